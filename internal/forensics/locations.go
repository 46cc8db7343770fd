package forensics

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Locations says where an evaluation's evidence lies. The stack fills it through its outputs;
// CloudTrail is account-level, so the trail's bucket and prefix come from the operator.
type Locations struct {
	Region                string `json:"region"`
	InstanceID            string `json:"instanceId"`
	AuditBucketName       string `json:"auditBucketName,omitempty"`
	AuditTranscriptPrefix string `json:"auditTranscriptPrefix,omitempty"`
	SessionLogGroupName   string `json:"sessionLogGroupName,omitempty"`
	DNSQueryLogGroupName  string `json:"dnsQueryLogGroupName,omitempty"`
	FlowLogGroupName      string `json:"flowLogGroupName,omitempty"`
	TrailBucketName       string `json:"trailBucketName,omitempty"`
	TrailPrefix           string `json:"trailPrefix,omitempty"`
}

// Stack output names, as the sandbox program exports them.
const (
	OutputRegion                = "region"
	OutputInstanceID            = "instanceId"
	OutputAuditBucketName       = "auditBucketName"
	OutputAuditTranscriptPrefix = "auditTranscriptPrefix"
	OutputSessionLogGroupName   = "sessionLogGroupName"
	OutputDNSQueryLogGroupName  = "dnsQueryLogGroupName"
	OutputFlowLogGroupName      = "flowLogGroupName"
)

var (
	instanceIDPattern = regexp.MustCompile(`^i-[0-9a-f]{8}([0-9a-f]{9})?$`)
	regionPattern     = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	bucketPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	logGroupPattern   = regexp.MustCompile(`^[\w#/.-]{1,512}$`)
)

// LocationsFromOutputs reads the evidence locations from stack outputs, as printed by
// `pulumi stack output --json` (a JSON object of output name to value). Outputs that are
// absent leave their source unread; region and instanceId are required.
func LocationsFromOutputs(data []byte) (Locations, error) {
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return Locations{}, fmt.Errorf("forensics: stack outputs are not a JSON object: %w", err)
	}

	outputs := map[string]string{}
	for name, v := range raw {
		switch v := v.(type) {
		case nil:
		case string:
			outputs[name] = v
		default:
			if isLocationOutput(name) {
				return Locations{}, fmt.Errorf("forensics: stack output %s is %T, want a string",
					name, v)
			}
		}
	}
	return LocationsFromOutputMap(outputs)
}

// LocationsFromOutputMap reads the evidence locations from stack outputs rendered as strings.
func LocationsFromOutputMap(outputs map[string]string) (Locations, error) {
	loc := Locations{
		Region:                outputs[OutputRegion],
		InstanceID:            outputs[OutputInstanceID],
		AuditBucketName:       outputs[OutputAuditBucketName],
		AuditTranscriptPrefix: outputs[OutputAuditTranscriptPrefix],
		SessionLogGroupName:   outputs[OutputSessionLogGroupName],
		DNSQueryLogGroupName:  outputs[OutputDNSQueryLogGroupName],
		FlowLogGroupName:      outputs[OutputFlowLogGroupName],
	}
	return loc, loc.Validate()
}

func isLocationOutput(name string) bool {
	switch name {
	case OutputRegion, OutputInstanceID, OutputAuditBucketName, OutputAuditTranscriptPrefix,
		OutputSessionLogGroupName, OutputDNSQueryLogGroupName, OutputFlowLogGroupName:
		return true
	}
	return false
}

// Validate checks every location that is set; region and instance id must be.
func (l Locations) Validate() error {
	checks := []struct {
		name, value string
		pattern     *regexp.Regexp
		required    bool
		want        string
	}{
		{OutputRegion, l.Region, regionPattern, true, "an AWS region such as us-east-1"},
		{OutputInstanceID, l.InstanceID, instanceIDPattern, true, "an EC2 instance id i-..."},
		{OutputAuditBucketName, l.AuditBucketName, bucketPattern, false, "an S3 bucket name"},
		{
			OutputSessionLogGroupName, l.SessionLogGroupName, logGroupPattern, false,
			"a CloudWatch Logs group name",
		},
		{
			OutputDNSQueryLogGroupName, l.DNSQueryLogGroupName, logGroupPattern, false,
			"a CloudWatch Logs group name",
		},
		{
			OutputFlowLogGroupName, l.FlowLogGroupName, logGroupPattern, false,
			"a CloudWatch Logs group name",
		},
		{"--trail-bucket", l.TrailBucketName, bucketPattern, false, "an S3 bucket name"},
	}
	for _, c := range checks {
		if c.value == "" {
			if c.required {
				return fmt.Errorf("forensics: %s is missing from the evaluation's outputs "+
					"(want %s)", c.name, c.want)
			}
			continue
		}
		if !c.pattern.MatchString(c.value) {
			return fmt.Errorf("forensics: %s %q is not %s", c.name, c.value, c.want)
		}
	}
	if strings.HasPrefix(l.AuditTranscriptPrefix, "/") || strings.HasPrefix(l.TrailPrefix, "/") {
		return fmt.Errorf("forensics: S3 prefixes must not start with \"/\" (%s %q, "+
			"--trail-prefix %q)", OutputAuditTranscriptPrefix, l.AuditTranscriptPrefix, l.TrailPrefix)
	}
	return nil
}
