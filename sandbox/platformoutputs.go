package sandbox

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/settings"
)

// PlatformOutputs are the platform stack's exports an evaluation stack builds on, validated.
type PlatformOutputs struct {
	Region                        string
	AccountID                     string
	VpcID                         string
	PrivateSubnetID               string
	EndpointClientSecurityGroupID string
	AuditKeyArn                   string
	AuditBucketName               string
	SessionLogGroupName           string
	DNSQueryLogGroupName          string
	FlowLogGroupName              string
	EgressPorts                   []int
}

// platformOutput is one export an evaluation stack requires: its name, the pattern of a
// well-formed value and the words for it in an error.
type platformOutput struct {
	name    string
	pattern *regexp.Regexp
	what    string
	set     func(o *PlatformOutputs, v string)
}

var (
	logGroupPattern = regexp.MustCompile(`^/crucible/[A-Za-z0-9_.-]+/[a-z-]+$`)
	bucketPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	kmsKeyPattern   = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$`)
	regionPattern   = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
)

// requiredPlatformOutputs are the exports, in the order errors list them.
var requiredPlatformOutputs = []platformOutput{
	{"region", regionPattern, "an AWS region name", func(o *PlatformOutputs, v string) {
		o.Region = v
	}},
	{
		"accountId", settings.AccountIDPattern, "a twelve-digit account id",
		func(o *PlatformOutputs, v string) { o.AccountID = v },
	},
	{
		"vpcId", regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`), "a VPC id (vpc-...)",
		func(o *PlatformOutputs, v string) { o.VpcID = v },
	},
	{
		"privateSubnetId", regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`), "a subnet id (subnet-...)",
		func(o *PlatformOutputs, v string) { o.PrivateSubnetID = v },
	},
	{
		"endpointClientSecurityGroupId", regexp.MustCompile(`^sg-[0-9a-f]{8,17}$`),
		"a security group id (sg-...)",
		func(o *PlatformOutputs, v string) { o.EndpointClientSecurityGroupID = v },
	},
	{"auditKeyArn", kmsKeyPattern, "a KMS key ARN", func(o *PlatformOutputs, v string) {
		o.AuditKeyArn = v
	}},
	{"auditBucketName", bucketPattern, "an S3 bucket name", func(o *PlatformOutputs, v string) {
		o.AuditBucketName = v
	}},
	{
		"sessionLogGroupName", logGroupPattern, "a crucible log group name (/crucible/...)",
		func(o *PlatformOutputs, v string) { o.SessionLogGroupName = v },
	},
	{
		"dnsQueryLogGroupName", logGroupPattern, "a crucible log group name (/crucible/...)",
		func(o *PlatformOutputs, v string) { o.DNSQueryLogGroupName = v },
	},
	{
		"flowLogGroupName", logGroupPattern, "a crucible log group name (/crucible/...)",
		func(o *PlatformOutputs, v string) { o.FlowLogGroupName = v },
	},
}

// egressPortsOutput is the platform's list of egress ports; the host's security group must
// agree with the platform's network ACL.
const egressPortsOutput = "egressPorts"

// PlatformOutputNames lists every export an evaluation stack reads from its platform stack.
func PlatformOutputNames() []string {
	names := make([]string, 0, len(requiredPlatformOutputs)+1)
	for _, o := range requiredPlatformOutputs {
		names = append(names, o.name)
	}

	return append(names, egressPortsOutput)
}

// ParsePlatformOutputs validates a platform stack's exports as a whole: every missing or
// malformed export is named, and the platform must be in the evaluation's region and account.
func ParsePlatformOutputs(platform string, outputs map[string]any, region, account string,
) (*PlatformOutputs, error) {
	out := &PlatformOutputs{}

	var problems []error

	fail := func(name, format string, args ...any) {
		problems = append(problems, fmt.Errorf("%s:platformStack: platform stack %s: output %s: %s",
			settings.Namespace, platform, name, fmt.Sprintf(format, args...)))
	}

	for _, o := range requiredPlatformOutputs {
		raw, ok := outputs[o.name]
		if !ok || raw == nil {
			fail(o.name, "is missing; is %s a crucible stack with role platform?", platform)

			continue
		}

		v, isString := raw.(string)
		if !isString || !o.pattern.MatchString(v) {
			fail(o.name, "%v is not %s", raw, o.what)

			continue
		}

		o.set(out, v)
	}

	out.EgressPorts = egressPorts(outputs[egressPortsOutput], func(format string, args ...any) {
		fail(egressPortsOutput, format, args...)
	})

	if out.Region != "" && out.Region != region {
		fail("region", "is %s, but this stack deploys to %s; an evaluation runs in its "+
			"platform's region", out.Region, region)
	}

	if out.AccountID != "" && account != "" && out.AccountID != account {
		fail("accountId", "is %s, but this stack deploys to account %s", out.AccountID, account)
	}

	if len(problems) > 0 {
		return nil, &settings.Error{Problems: problems}
	}

	return out, nil
}

// egressPorts reads the list of TCP ports; JSON numbers arrive as float64.
func egressPorts(raw any, fail func(format string, args ...any)) []int {
	list, ok := raw.([]any)
	if !ok {
		if raw == nil {
			fail("is missing; is the platform stack a crucible stack with role platform?")
		} else {
			fail("%v is not a list of TCP ports", raw)
		}

		return nil
	}

	ports := make([]int, 0, len(list))
	for _, x := range list {
		n, isNumber := x.(float64)
		if !isNumber || n != float64(int(n)) || n < 1 || n > 65535 {
			fail("%v is not a TCP port (1 to 65535)", x)

			return nil
		}

		ports = append(ports, int(n))
	}

	if !slices.Contains(ports, settings.RequiredEgressPort) {
		fail("%v does not hold %d, which Session Manager needs", raw, settings.RequiredEgressPort)

		return nil
	}

	return ports
}

// readPlatform reads the platform stack's exports through a stack reference and waits for them,
// so that a missing or malformed one stops the program before it registers anything else.
// The reference is returned too: the host depends on it, because the platform's guards (DNS
// Firewall, network ACL) exist before its outputs do.
func readPlatform(ctx *pulumi.Context, s *settings.Settings, account string,
) (*PlatformOutputs, *pulumi.StackReference, error) {
	ref, err := pulumi.NewStackReference(ctx, s.PlatformStack, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("sandbox: platform stack %s: %w", s.PlatformStack, err)
	}

	outputs := map[string]any{}

	for _, name := range PlatformOutputNames() {
		d, err := ref.GetOutputDetails(name)
		if err != nil {
			return nil, nil, fmt.Errorf("sandbox: platform stack %s: output %s: %w",
				s.PlatformStack, name, err)
		}

		if d.Value != nil {
			outputs[name] = d.Value
		}
	}

	platform, err := ParsePlatformOutputs(s.PlatformStack, outputs, s.Region, account)

	return platform, ref, err
}
