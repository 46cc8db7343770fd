package sandbox

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/audit"
	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/network"
	"github.com/crucible-sandbox/crucible/settings"
)

// guards are the containment controls that must be in place before the host boots: the DNS
// Firewall and the credential guard. The network ACL and endpoint policies are part of the VPC.
type guards struct {
	firewall    *network.DNSFirewall
	credentials *iam.CredentialGuard
}

// auditTargets are the audit resources the guards name before they exist: the session audit
// component needs the host, and the host waits for its guards, so the guards use the names the
// audit package derives from the stack, account and region.
type auditTargets struct {
	bucketName         string
	bucketArn          string
	sessionDocumentArn string
}

func newAuditTargets(s *settings.Settings, partition, accountID string) (auditTargets, error) {
	document, err := audit.SessionDocumentName(s.Stack)
	if err != nil {
		return auditTargets{}, fmt.Errorf("sandbox: %w", err)
	}

	bucket := audit.BucketName(s.Stack, accountID, s.Region)

	return auditTargets{
		bucketName: bucket,
		bucketArn:  "arn:" + partition + ":s3:::" + bucket,
		sessionDocumentArn: fmt.Sprintf("arn:%s:ssm:%s:%s:document/%s", partition, s.Region,
			accountID, document),
	}, nil
}

// buildGuards builds the DNS Firewall on the VPC and the credential guard on the host's role.
func buildGuards(
	ctx *pulumi.Context, name string, s *settings.Settings, partition *aws.GetPartitionResult,
	vpc *network.Vpc, role *iam.InstanceRole, targets auditTargets,
) (*guards, error) {
	firewall, err := buildFirewall(ctx, name, s, partition, vpc, targets)
	if err != nil {
		return nil, err
	}

	credentials, err := buildCredentialGuard(ctx, name, s, partition, role, targets)
	if err != nil {
		return nil, err
	}

	return &guards{firewall: firewall, credentials: credentials}, nil
}

// buildFirewall builds the DNS Firewall of the VPC.
func buildFirewall(
	ctx *pulumi.Context, name string, s *settings.Settings, partition *aws.GetPartitionResult,
	vpc *network.Vpc, targets auditTargets,
) (*network.DNSFirewall, error) {
	return network.NewDNSFirewall(ctx, name+"-dns-firewall", &network.DNSFirewallArgs{
		VpcID:                   vpc.VpcID,
		Region:                  s.Region,
		DNSSuffix:               partition.DnsSuffix,
		Services:                vpc.InterfaceEndpoints,
		AuditBucketName:         pulumi.String(targets.bucketName),
		AllowedDomains:          s.Containment.AllowedDomains,
		InsecureDisableFirewall: s.Containment.InsecureDisableDNSFirewall,
		Tags:                    s.ResourceTags(),
	})
}

// buildCredentialGuard keeps the host role's credentials usable only from the host.
func buildCredentialGuard(
	ctx *pulumi.Context, name string, s *settings.Settings, partition *aws.GetPartitionResult,
	role *iam.InstanceRole, targets auditTargets,
) (*iam.CredentialGuard, error) {
	return iam.NewCredentialGuard(ctx, name+"-credential-guard", &iam.CredentialGuardArgs{
		RoleName:     role.RoleName,
		Partition:    partition.Partition,
		Region:       s.Region,
		DocumentArns: pulumi.StringArray{pulumi.String(targets.sessionDocumentArn)},
	})
}

// hostDependencies is what the host waits for, so that no instance runs, even for a moment,
// with an open subnet, an unfiltered resolver or unguarded credentials.
func (g *guards) hostDependencies(vpc *network.Vpc) pulumi.ResourceOption {
	return pulumi.DependsOn(slices.Concat(vpc.Guards, g.firewall.Guards, g.credentials.Guards))
}

// recorders are the containment controls that record: the VPC flow log and Resolver query
// logging, both encrypted with the audit key and kept as long as the session evidence.
type recorders struct {
	flowLog  *network.FlowLog
	queryLog *network.DNSQueryLog
}

// buildRecorders builds the recorders. They need the audit key, which the session audit
// component creates after the host, so they start recording once the host exists.
func buildRecorders(
	ctx *pulumi.Context, name string, s *settings.Settings, partition, accountID string,
	vpc *network.Vpc, keyArn pulumi.StringInput,
) (*recorders, error) {
	logGroup := func(purpose string) network.LogGroupArgs {
		return network.LogGroupArgs{
			Name:                    stackLogGroup(s.Stack, purpose),
			KmsKeyArn:               keyArn,
			RetentionDays:           s.Audit.RetentionDays,
			DeleteEvidenceOnDestroy: !s.Audit.RetainOnDestroy,
		}
	}

	flowLog, err := network.NewFlowLog(ctx, name+"-flow-log", &network.FlowLogArgs{
		VpcID:     vpc.VpcID,
		AccountID: accountID,
		Partition: partition,
		Region:    s.Region,
		Log:       logGroup(flowLogPurpose),
		Tags:      s.ResourceTags(),
	})
	if err != nil {
		return nil, err
	}

	queryLog, err := network.NewDNSQueryLog(ctx, name+"-dns-queries", &network.DNSQueryLogArgs{
		VpcID: vpc.VpcID,
		Log:   logGroup(dnsQueryPurpose),
		Tags:  s.ResourceTags(),
	})
	if err != nil {
		return nil, err
	}

	return &recorders{flowLog: flowLog, queryLog: queryLog}, nil
}

// The last part of the containment log groups' names: /crucible/<stack>/<purpose>.
const (
	flowLogPurpose  = "flow-logs"
	dnsQueryPurpose = "dns-queries"
)

// stackLogGroup names a log group of the stack under the prefix the audit key's policy covers.
func stackLogGroup(stack, purpose string) string {
	return strings.TrimSuffix(audit.LogGroupPattern(stack), "*") + purpose
}

// containmentWeakenings are the deploy-time warnings for the containment choices that weaken
// isolation, one sentence each, naming the key that made the choice.
func containmentWeakenings(s *settings.Settings) []string {
	var out []string

	if s.EnableNat {
		out = append(out, fmt.Sprintf("%s:enableNat is true: the host can reach the internet "+
			"through a NAT gateway on TCP %s; the DNS Firewall still refuses unlisted names at "+
			"the VPC resolver, but connections to IP addresses get out, DNS-over-HTTPS resolvers "+
			"included. Set %s:enableNat false for full isolation",
			settings.Namespace, joinPorts(s.Containment.EgressPorts), settings.Namespace))
	}

	if s.Containment.InsecureDisableDNSFirewall {
		out = append(out, fmt.Sprintf("%s:insecureDisableDnsFirewall is true: the host "+
			"resolves every DNS name, so data can leave inside DNS queries even without NAT; "+
			"queries are still logged", settings.Namespace))
	}

	if broad := s.Containment.PublicSuffixWildcards(); len(broad) > 0 {
		out = append(out, fmt.Sprintf("%s:allowedDomains holds %s, covering names anyone can "+
			"register, whose DNS servers then receive the host's queries "+
			"(%s:insecureAllowPublicSuffixWildcards is true)", settings.Namespace,
			strings.Join(broad, ", "), settings.Namespace))
	}

	return out
}

func joinPorts(ports []int) string {
	words := make([]string, 0, len(ports))
	for _, p := range ports {
		words = append(words, fmt.Sprint(p))
	}

	if len(words) == 1 {
		return "port " + words[0]
	}

	return "ports " + strings.Join(words, ", ")
}
