// Package forensicstest builds evaluation evidence in AWS's own formats for the forensics tests:
// a scripted scenario, hostile variants, and two ways to serve it (seeded into an S3 and
// CloudWatch Logs endpoint such as moto_server, or held in memory behind the same client
// interfaces). It writes nothing anywhere unless Seed is called.
package forensicstest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/crucible-sandbox/crucible/internal/forensics"
)

// Evidence is a set of S3 objects and CloudWatch Logs events plus where they belong.
type Evidence struct {
	Locations forensics.Locations
	// Objects maps bucket to key to body.
	Objects map[string]map[string][]byte
	// Overwritten maps bucket to key to the bodies a key held before its current one in
	// Objects, oldest first: what a versioned bucket keeps when the agent rewrites a key.
	Overwritten map[string]map[string][][]byte
	// Logs maps log group to log stream to events in order.
	Logs map[string]map[string][]LogEvent
}

// LogEvent is one CloudWatch Logs event.
type LogEvent struct {
	Time    time.Time
	Message string
}

// The scenario's fixed identities.
const (
	Region      = "us-east-1"
	AccountID   = "123456789012"
	InstanceID  = "i-0123456789abcdef0"
	HostAddress = "10.0.1.25"
	ENI         = "eni-0a1b2c3d4e5f60718"
	Operator    = "arn:aws:iam::123456789012:user/alice"
	SessionID   = "alice-0a1b2c3d4e5f6a7b8"
	HostRoleArn = "arn:aws:sts::123456789012:assumed-role/crucible-eval-host/" + InstanceID

	AuditBucket   = "crucible-audit-test"
	TrailBucket   = "crucible-trail-test"
	SessionGroup  = "/crucible/test/sessions"
	DNSGroup      = "/crucible/test/dns-queries"
	FlowGroup     = "/crucible/test/flow-logs"
	TranscriptDir = "session-transcripts"
	TrailPrefix   = "trail"

	FirewallRuleGroup = "rslvr-frg-0123456789abcdef"
	FirewallDomains   = "rslvr-fdl-0123456789abcdef"
)

func newEvidence() *Evidence {
	return &Evidence{
		Locations: forensics.Locations{
			Region:                Region,
			InstanceID:            InstanceID,
			AuditBucketName:       AuditBucket,
			AuditTranscriptPrefix: TranscriptDir,
			SessionLogGroupName:   SessionGroup,
			DNSQueryLogGroupName:  DNSGroup,
			FlowLogGroupName:      FlowGroup,
			TrailBucketName:       TrailBucket,
			TrailPrefix:           TrailPrefix,
		},
		Objects: map[string]map[string][]byte{AuditBucket: {}, TrailBucket: {}},
		Logs:    map[string]map[string][]LogEvent{SessionGroup: {}, DNSGroup: {}, FlowGroup: {}},
	}
}

func (e *Evidence) putObject(bucket, key string, body []byte) {
	e.Objects[bucket][key] = body
}

func (e *Evidence) putLog(group, stream string, at time.Time, message string) {
	e.Logs[group][stream] = append(e.Logs[group][stream], LogEvent{Time: at, Message: message})
}

// Merge adds other's objects and events to e (other's win on the same key).
func (e *Evidence) Merge(other *Evidence) {
	for bucket, objects := range other.Objects {
		for key, body := range objects {
			e.putObject(bucket, key, body)
		}
	}
	for group, streams := range other.Logs {
		for stream, events := range streams {
			e.Logs[group][stream] = append(e.Logs[group][stream], events...)
			sort.SliceStable(e.Logs[group][stream], func(i, j int) bool {
				return e.Logs[group][stream][i].Time.Before(e.Logs[group][stream][j].Time)
			})
		}
	}
}

// sessionStreamRecord writes the JSON the SSM Agent streams to CloudWatch Logs.
func sessionStreamRecord(at time.Time, lines ...string) string {
	return mustJSON(map[string]any{
		"eventVersion": "1.0",
		"eventTime":    at.UTC().Format(time.RFC3339),
		"awsRegion":    Region,
		"target":       map[string]string{"id": InstanceID},
		"userIdentity": map[string]string{"arn": Operator},
		"runAsUser":    "ssm-user",
		"sessionId":    SessionID,
		"sessionData":  lines,
	})
}

// QueryLogRecord writes a Route 53 Resolver query log record; action "" means no firewall rule
// matched (the firewall fields are then absent, as in AWS's records).
func QueryLogRecord(at time.Time, name, qtype, rcode, action string, answers ...string) string {
	rec := map[string]any{
		"version":         "1.100000",
		"account_id":      AccountID,
		"region":          Region,
		"vpc_id":          "vpc-0123456789abcdef0",
		"query_timestamp": at.UTC().Format(time.RFC3339),
		"query_name":      name,
		"query_type":      qtype,
		"query_class":     "IN",
		"rcode":           rcode,
		"srcaddr":         HostAddress,
		"srcport":         "53144",
		"transport":       "UDP",
		"srcids":          map[string]string{"instance": InstanceID},
	}
	var list []map[string]string
	for _, a := range answers {
		list = append(list, map[string]string{"Rdata": a, "Type": qtype, "Class": "IN"})
	}
	rec["answers"] = list
	if action != "" {
		rec["firewall_rule_action"] = action
		rec["firewall_rule_group_id"] = FirewallRuleGroup
		rec["firewall_domain_list_id"] = FirewallDomains
	}
	return mustJSON(rec)
}

// FlowLogRecord writes a default-format (version 2) flow log record.
func FlowLogRecord(start time.Time, src, dst string, srcPort, dstPort, proto int, action string) string {
	return fmt.Sprintf("2 %s %s %s %s %d %d %d 3 180 %d %d %s OK", AccountID, ENI, src, dst,
		srcPort, dstPort, proto, start.Unix(), start.Add(time.Minute).Unix(), action)
}

// trailRecord writes one CloudTrail record.
func trailRecord(at time.Time, identity map[string]any, source, name, sourceIP, errorCode string,
	request, response any,
) map[string]any {
	rec := map[string]any{
		"eventVersion":       "1.09",
		"userIdentity":       identity,
		"eventTime":          at.UTC().Format(time.RFC3339),
		"eventSource":        source,
		"eventName":          name,
		"awsRegion":          Region,
		"sourceIPAddress":    sourceIP,
		"userAgent":          "aws-cli/2.17.0",
		"requestParameters":  request,
		"responseElements":   response,
		"eventID":            fmt.Sprintf("%08x-0000-4000-8000-%012x", at.Unix(), len(name)),
		"readOnly":           true,
		"eventType":          "AwsApiCall",
		"managementEvent":    true,
		"recipientAccountId": AccountID,
		"eventCategory":      "Management",
	}
	if errorCode != "" {
		rec["errorCode"] = errorCode
		rec["errorMessage"] = "User: " + HostRoleArn + " is not authorized to perform this action"
	}
	return rec
}

func hostIdentity() map[string]any {
	return map[string]any{
		"type":        "AssumedRole",
		"principalId": "AROAEXAMPLEHOSTROLE:" + InstanceID,
		"arn":         HostRoleArn,
		"accountId":   AccountID,
		"accessKeyId": "ASIAEXAMPLEHOSTKEY",
		"sessionContext": map[string]any{
			"sessionIssuer": map[string]string{
				"type": "Role", "principalId": "AROAEXAMPLEHOSTROLE",
				"arn": "arn:aws:iam::123456789012:role/crucible-eval-host", "accountId": AccountID,
				"userName": "crucible-eval-host",
			},
			"ec2RoleDelivery": "2.0",
		},
	}
}

func operatorIdentity() map[string]any {
	return map[string]any{
		"type": "IAMUser", "principalId": "AIDAEXAMPLEALICE", "arn": Operator,
		"accountId": AccountID, "userName": "alice",
	}
}

// TrailKey names a CloudTrail log file the way CloudTrail delivers it.
func TrailKey(at time.Time, unique string) string {
	at = at.UTC()
	return fmt.Sprintf("%s/AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_%s.json.gz",
		TrailPrefix, AccountID, Region, at.Format("2006/01/02"), AccountID, Region,
		at.Format("20060102T1504Z"), unique)
}

// TrailFile gzips {"Records": records}.
func TrailFile(records ...map[string]any) []byte {
	return Gzip([]byte(mustJSON(map[string]any{"Records": records})))
}

// Gzip compresses data.
func Gzip(data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(data)
	_ = zw.Close()
	return buf.Bytes()
}

// mustJSON encodes without HTML escaping: AWS writes "<" as it is, and hostile fixtures need
// the raw bytes to reach the readers.
func mustJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// WithSuffix renames the evidence's buckets and log groups with a suffix, so that tests sharing
// one emulator never see each other's evidence.
func (e *Evidence) WithSuffix(suffix string) *Evidence {
	rename := map[string]string{}
	for bucket := range e.Objects {
		rename[bucket] = bucket + "-" + suffix
	}
	for group := range e.Logs {
		rename[group] = group + "-" + suffix
	}

	out := &Evidence{
		Locations:   e.Locations,
		Objects:     map[string]map[string][]byte{},
		Overwritten: map[string]map[string][][]byte{},
		Logs:        map[string]map[string][]LogEvent{},
	}
	for bucket, objects := range e.Objects {
		out.Objects[rename[bucket]] = objects
	}
	for bucket, older := range e.Overwritten {
		out.Overwritten[rename[bucket]] = older
	}
	for group, streams := range e.Logs {
		out.Logs[rename[group]] = streams
	}
	l := &out.Locations
	for _, name := range []*string{
		&l.AuditBucketName, &l.TrailBucketName, &l.SessionLogGroupName,
		&l.DNSQueryLogGroupName, &l.FlowLogGroupName,
	} {
		if renamed, ok := rename[*name]; ok {
			*name = renamed
		}
	}
	return out
}
