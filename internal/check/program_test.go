package check_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/check"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/policy/rules"
)

// renderedDev is the real program's render of the real dev stack, as the JSON document that
// `crucible render --json` prints and `crucible check --state` reads.
func renderedDev(t *testing.T) *document {
	t.Helper()

	data, err := json.Marshal(rendertest.Render(t).Document())
	require.NoError(t, err)

	return parseDocument(t, data)
}

// mandatoryRules are the ids of the rules with mandatory findings, sorted.
func mandatoryRules(report check.Report) []string {
	ids := map[string]bool{}
	for _, f := range report.Findings {
		if f.Level == rules.Mandatory {
			ids[f.Rule.ID] = true
		}
	}

	return slices.Sorted(maps.Keys(ids))
}

// hostInstance returns the instance's state; hostGroupID the id of its first security group.
func hostInstance(d *document) map[string]any {
	return d.state(ofType("aws:ec2/instance:Instance"))
}

func hostGroupID(d *document) string {
	return hostInstance(d)["vpcSecurityGroupIds"].([]any)[0].(string)
}

// knownGaps are the mandatory rules the program does not satisfy yet, each with the reason. The
// list is exact: a rule that newly fails the dev stack is a regression, and a gap that closes
// must leave this list (and the limitations in the README's policy section) in the same change.
var knownGaps = map[string]string{}

func TestTheDevStackPassesEveryMandatoryRule(t *testing.T) {
	report := check.Run("stack dev", "Pulumi.dev.yaml", renderedDev(t).deployment(), rules.All(), nil)

	assert.Equal(t, slices.Sorted(maps.Keys(knownGaps)), mandatoryRules(report),
		"the unmodified program must pass every mandatory rule but the known gaps; findings: %v",
		report.Findings)
}

// withGaps is want plus the known gaps, sorted: what a mutated render must fail.
func withGaps(want []string) []string {
	all := slices.Clone(want)
	for id := range knownGaps {
		if !slices.Contains(all, id) {
			all = append(all, id)
		}
	}
	slices.Sort(all)

	return all
}

// newFindings counts the mandatory findings of rule id in after that before did not have.
func newFindings(before, after check.Report, id string) int {
	seen := map[string]bool{}
	for _, f := range before.Findings {
		if f.Rule.ID == id {
			seen[f.URN+"|"+f.Message] = true
		}
	}

	n := 0
	for _, f := range after.Findings {
		if f.Rule.ID == id && f.Level == rules.Mandatory && !seen[f.URN+"|"+f.Message] {
			n++
		}
	}

	return n
}

// TestEveryBadChangeToTheProgramFailsTheCheck applies one bad change at a time to the dev render
// and requires the check to fail naming exactly the rules that guard against it.
func TestEveryBadChangeToTheProgramFailsTheCheck(t *testing.T) {
	sshFromAnywhere := map[string]any{
		"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []any{"0.0.0.0/0"},
	}

	mutations := []struct {
		name   string
		mutate func(d *document)
		want   []string
	}{
		{
			name: "SSH from 0.0.0.0/0 on the host's group",
			mutate: func(d *document) {
				d.state(withID(hostGroupID(d)))["ingress"] = []any{sshFromAnywhere}
			},
			want: []string{"host-security-group-no-ingress", "security-group-no-ingress-from-anywhere"},
		},
		{
			name: "a standalone ingress rule from the VPC on the host's group",
			mutate: func(d *document) {
				d.add(map[string]any{
					"urn":    "urn:pulumi:dev::crucible::aws:ec2/securityGroupRule:SecurityGroupRule::debug",
					"type":   "aws:ec2/securityGroupRule:SecurityGroupRule",
					"custom": true, "id": "sgrule-1",
					"outputs": map[string]any{
						"type": "ingress", "protocol": "tcp", "fromPort": 22, "toPort": 22,
						"cidrBlocks": []any{"10.0.0.0/16"}, "securityGroupId": hostGroupID(d),
					},
				})
			},
			want: []string{"host-security-group-no-ingress"},
		},
		{
			name: "HTTPS from ::/0 on the endpoints' group",
			mutate: func(d *document) {
				endpoint := d.state(func(r map[string]any) bool {
					out, _ := r["outputs"].(map[string]any)
					return r["type"] == "aws:ec2/vpcEndpoint:VpcEndpoint" &&
						out["vpcEndpointType"] == "Interface"
				})
				groupID := endpoint["securityGroupIds"].([]any)[0].(string)
				d.state(withID(groupID))["ingress"] = []any{map[string]any{
					"protocol": "tcp", "fromPort": 443, "toPort": 443, "ipv6CidrBlocks": []any{"::/0"},
				}}
			},
			want: []string{"security-group-no-ingress-from-anywhere"},
		},
		{
			name: "a public IP on the instance",
			mutate: func(d *document) {
				hostInstance(d)["associatePublicIpAddress"] = true
				hostInstance(d)["publicIp"] = "203.0.113.10"
			},
			want: []string{"instance-no-public-ip"},
		},
		{
			name: "a subnet that hands out public addresses",
			mutate: func(d *document) {
				d.state(ofType("aws:ec2/subnet:Subnet"))["mapPublicIpOnLaunch"] = true
			},
			want: []string{"subnet-no-auto-assign-public-ip"},
		},
		{
			name: "IMDSv1 allowed",
			mutate: func(d *document) {
				hostInstance(d)["metadataOptions"].(map[string]any)["httpTokens"] = "optional"
			},
			want: []string{"instance-imdsv2-required"},
		},
		{
			name: "an unencrypted root volume",
			mutate: func(d *document) {
				hostInstance(d)["rootBlockDevice"].(map[string]any)["encrypted"] = false
			},
			want: []string{"instance-volumes-encrypted"},
		},
		{
			name:   "an SSH key pair on the instance",
			mutate: func(d *document) { hostInstance(d)["keyName"] = "laptop" },
			want:   []string{"instance-no-key-pair"},
		},
		{
			name: "the instance left in the VPC's default group",
			mutate: func(d *document) {
				delete(hostInstance(d), "vpcSecurityGroupIds")
			},
			want: []string{"host-security-group-no-ingress"},
		},
		{
			name: "the default security group no longer emptied",
			mutate: func(d *document) {
				d.remove(ofType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"))
			},
			want: []string{"default-security-group-no-rules"},
		},
		{
			name: "the default security group allowing all traffic between members",
			mutate: func(d *document) {
				group := d.state(ofType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"))
				group["ingress"] = []any{
					map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": true},
				}
			},
			want: []string{"default-security-group-no-rules"},
		},
		{
			name:   "the VPC flow log removed",
			mutate: func(d *document) { d.remove(ofType("aws:ec2/flowLog:FlowLog")) },
			want:   []string{"vpc-flow-logs-enabled"},
		},
		{
			name: "the flow log recording accepted traffic only",
			mutate: func(d *document) {
				d.state(ofType("aws:ec2/flowLog:FlowLog"))["trafficType"] = "ACCEPT"
			},
			want: []string{"vpc-flow-logs-enabled"},
		},
		{
			name: "a network ACL entry letting SSH in from the internet",
			mutate: func(d *document) {
				d.add(map[string]any{
					"urn":    "urn:pulumi:dev::crucible::aws:ec2/networkAclRule:NetworkAclRule::ssh",
					"type":   "aws:ec2/networkAclRule:NetworkAclRule",
					"custom": true, "id": "nacl-ssh",
					"outputs": map[string]any{
						"egress": false, "ruleAction": "allow", "protocol": "tcp",
						"fromPort": 22, "toPort": 22, "cidrBlock": "0.0.0.0/0", "ruleNumber": 150,
					},
				})
			},
			want: []string{"network-acl-no-admin-ports-from-anywhere"},
		},
		{
			name: "session transcripts no longer sent to S3 encrypted",
			mutate: func(d *document) {
				editJSON(d, named("sandbox-audit-session-preferences"), "content", func(doc map[string]any) {
					inputs := doc["inputs"].(map[string]any)
					inputs["s3EncryptionEnabled"] = false
					inputs["s3BucketName"] = ""
				})
			},
			want: []string{"session-document-logging"},
		},
		{
			name: "the transcript bucket accepting public ACLs",
			mutate: func(d *document) {
				d.state(ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"))["ignorePublicAcls"] = false
			},
			want: []string{"s3-bucket-public-access-blocked"},
		},
		{
			name: "the transcript bucket's TLS-only statement removed",
			mutate: func(d *document) {
				editJSON(d, ofType("aws:s3/bucketPolicy:BucketPolicy"), "policy", func(doc map[string]any) {
					doc["Statement"] = dropSid(doc["Statement"], "DenyRequestsWithoutTLS")
				})
			},
			want: []string{"s3-bucket-tls-only"},
		},
		{
			name: "transcripts encrypted with S3-managed keys instead of the audit key",
			mutate: func(d *document) {
				sse := d.state(ofType("aws:s3/bucketServerSideEncryptionConfigurationV2:" +
					"BucketServerSideEncryptionConfigurationV2"))
				rule := sse["rules"].([]any)[0].(map[string]any)
				rule["applyServerSideEncryptionByDefault"] = map[string]any{"sseAlgorithm": "AES256"}
			},
			want: []string{"s3-bucket-kms-encrypted"},
		},
		{
			name: "the operator policy's MFA deny removed",
			mutate: func(d *document) {
				editJSON(d, named("sandbox-operators-policy"), "policy", func(doc map[string]any) {
					doc["Statement"] = dropSid(doc["Statement"], "DenyEverythingWithoutMFA")
				})
			},
			want: []string{"operator-policy-requires-mfa"},
		},
		{
			name: "administrator access for the instance role",
			mutate: func(d *document) {
				d.add(map[string]any{
					"urn":    "urn:pulumi:dev::crucible::aws:iam/rolePolicy:RolePolicy::everything",
					"type":   "aws:iam/rolePolicy:RolePolicy",
					"custom": true, "id": "host-role:everything",
					"outputs": map[string]any{
						"role": "host-role",
						"policy": `{"Version":"2012-10-17","Statement":[` +
							`{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
					},
				})
			},
			want: []string{"iam-no-admin-privileges"},
		},
	}

	base := check.Run("stack dev", "Pulumi.dev.yaml", renderedDev(t).deployment(), rules.All(), nil)

	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			d := renderedDev(t)
			m.mutate(d)

			report := check.Run("stack dev", "Pulumi.dev.yaml", d.deployment(), rules.All(), nil)
			assert.True(t, report.Failed(), "the change must fail the check")
			assert.Equal(t, withGaps(m.want), mandatoryRules(report))

			for _, id := range m.want {
				assert.Positive(t, newFindings(base, report, id),
					"the change must add a finding of %s", id)
			}
		})
	}
}

// named matches a resource by its logical name, the last part of its URN.
func named(name string) func(map[string]any) bool {
	return func(r map[string]any) bool { return strings.HasSuffix(r["urn"].(string), "::"+name) }
}

// editJSON changes a JSON document held in a string property of the matching resource.
func editJSON(d *document, match func(map[string]any) bool, key string, edit func(map[string]any)) {
	d.t.Helper()

	state := d.state(match)

	var doc map[string]any
	require.NoError(d.t, json.Unmarshal([]byte(state[key].(string)), &doc))
	edit(doc)

	text, err := json.Marshal(doc)
	require.NoError(d.t, err)
	state[key] = string(text)
}

// dropSid returns a policy's statements without the one with the given Sid.
func dropSid(statements any, sid string) []any {
	var kept []any

	for _, st := range statements.([]any) {
		if st.(map[string]any)["Sid"] != sid {
			kept = append(kept, st)
		}
	}

	return kept
}

// Hygiene rules are advisory: a change that breaks one is reported but does not fail the check.
func TestHygieneChangesAreReportedAsAdvisory(t *testing.T) {
	mutations := []struct {
		name   string
		mutate func(d *document)
		want   string
	}{
		{
			name:   "the audit key's rotation switched off",
			mutate: func(d *document) { d.state(ofType("aws:kms/key:Key"))["enableKeyRotation"] = false },
			want:   "kms-key-rotation-enabled",
		},
		{
			name: "session logs kept for a month",
			mutate: func(d *document) {
				d.state(named("sandbox-audit-sessions"))["retentionInDays"] = 30
			},
			want: "log-group-retention-one-year",
		},
	}

	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			d := renderedDev(t)
			m.mutate(d)

			report := check.Run("stack dev", "Pulumi.dev.yaml", d.deployment(), rules.All(), nil)
			assert.False(t, report.Failed(), "an advisory finding alone does not fail the check")

			advisory := 0
			for _, f := range report.Findings {
				if f.Rule.ID == m.want && f.Level == rules.Advisory {
					advisory++
				}
			}

			assert.Equal(t, 1, advisory, "the change must add one advisory finding of %s", m.want)
		})
	}
}
