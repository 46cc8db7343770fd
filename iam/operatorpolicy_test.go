package iam

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func operatorParams(revoked bool) OperatorPolicyParams {
	return OperatorPolicyParams{
		Partition: "aws", Region: "us-east-1", AccountID: "123456789012",
		StackTagKey: "crucible-stack", Stack: "dev",
		InstanceArn: "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
		InstanceID:  "i-0123456789abcdef0",
		DocumentArn: "arn:aws:ssm:us-east-1:123456789012:document/crucible-dev-sessions",
		KeyArn:      "arn:aws:kms:us-east-1:123456789012:key/k",
		RunAsUser:   "crucible-operator",
		Revoked:     revoked,
	}
}

// statements renders a policy and returns its statements by Sid, as AWS would read them.
func statements(t *testing.T, doc PolicyDocument) (string, map[string]map[string]any) {
	t.Helper()

	text, err := doc.JSON()
	require.NoError(t, err)

	var parsed struct {
		Version   string           `json:"Version"`
		Statement []map[string]any `json:"Statement"`
	}
	require.NoError(t, json.Unmarshal([]byte(text), &parsed))
	assert.Equal(t, "2012-10-17", parsed.Version)

	bySid := map[string]map[string]any{}
	for _, s := range parsed.Statement {
		sid, _ := s["Sid"].(string)
		require.NotContains(t, bySid, sid, "Sids are unique")
		bySid[sid] = s
	}

	return text, bySid
}

func TestOperatorPolicyStartsSessionsOnlyOnThisHostThroughTheLoggedDocument(t *testing.T) {
	_, s := statements(t, OperatorPolicy(operatorParams(false)))

	assert.Equal(t, map[string]any{
		"Sid": "StartSessionOnThisStacksHost", "Effect": "Allow",
		"Action":   []any{"ssm:StartSession"},
		"Resource": []any{"arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"},
		"Condition": map[string]any{
			"StringEquals": map[string]any{"ssm:resourceTag/crucible-stack": "dev"},
			"BoolIfExists": map[string]any{"ssm:SessionDocumentAccessCheck": "true"},
		},
	}, s["StartSessionOnThisStacksHost"])

	assert.Equal(t, map[string]any{
		"Sid": "StartSessionWithThisStacksDocumentOnly", "Effect": "Allow",
		"Action":   []any{"ssm:StartSession"},
		"Resource": []any{"arn:aws:ssm:us-east-1:123456789012:document/crucible-dev-sessions"},
		"Condition": map[string]any{
			"BoolIfExists": map[string]any{"ssm:SessionDocumentAccessCheck": "true"},
		},
	}, s["StartSessionWithThisStacksDocumentOnly"])

	for sid, st := range s {
		if st["Effect"] != "Allow" {
			continue
		}

		for _, r := range st["Resource"].([]any) {
			assert.NotContains(t, r, "document/SSM-SessionManagerRunShell", sid)
			assert.NotContains(t, r, "document/AWS-", "%s must not allow port forwarding or SSH", sid)
		}
	}
}

func TestOperatorPolicyEndsAndResumesOnlyTheCallersOwnSessions(t *testing.T) {
	text, s := statements(t, OperatorPolicy(operatorParams(false)))

	assert.Equal(t, map[string]any{
		"Sid": "EndOrResumeOwnSessionsAsIAMUser", "Effect": "Allow",
		"Action":   []any{"ssm:ResumeSession", "ssm:TerminateSession"},
		"Resource": []any{"arn:aws:ssm:us-east-1:123456789012:session/${aws:username}-*"},
		"Condition": map[string]any{"StringEquals": map[string]any{
			"ssm:resourceTag/aws:ssmmessages:target-id": "i-0123456789abcdef0",
		}},
	}, s["EndOrResumeOwnSessionsAsIAMUser"], "user bob must not reach the sessions of bob-admin "+
		"on other hosts: the session id prefix is not ownership")

	assert.Equal(t, map[string]any{
		"Sid": "EndOrResumeOwnSessionsAsAssumedRole", "Effect": "Allow",
		"Action":   []any{"ssm:ResumeSession", "ssm:TerminateSession"},
		"Resource": []any{"arn:aws:ssm:us-east-1:123456789012:session/*"},
		"Condition": map[string]any{
			"StringLike": map[string]any{
				"ssm:resourceTag/aws:ssmmessages:session-id": "${aws:userid}",
			},
			"StringEquals": map[string]any{
				"ssm:resourceTag/aws:ssmmessages:target-id": "i-0123456789abcdef0",
			},
		},
	}, s["EndOrResumeOwnSessionsAsAssumedRole"])

	assert.Equal(t, map[string]any{
		"Sid": "OpenOwnSessionDataChannel", "Effect": "Allow",
		"Action": []any{"ssmmessages:OpenDataChannel"},
		"Resource": []any{
			"arn:aws:ssm:us-east-1:123456789012:session/${aws:userid}-*",
			"arn:aws:ssm:us-east-1:123456789012:session/${aws:username}-*",
		},
	}, s["OpenOwnSessionDataChannel"])

	// The variables must reach IAM as written, not escaped or filled in.
	assert.Contains(t, text, `session/${aws:username}-*"`)
	assert.Contains(t, text, `"ssm:resourceTag/aws:ssmmessages:session-id":"${aws:userid}"`)
}

func TestOperatorPolicyDeniesEverythingWithoutMFA(t *testing.T) {
	_, s := statements(t, OperatorPolicy(operatorParams(false)))

	assert.Equal(t, map[string]any{
		"Sid": "DenyEverythingWithoutMFA", "Effect": "Deny",
		"Action": []any{
			"ssm:StartSession", "ssm:ResumeSession", "ssm:TerminateSession",
			"ssmmessages:OpenDataChannel", "ec2:DescribeInstances",
			"ssm:DescribeInstanceInformation", "ssm:DescribeInstanceProperties",
			"ssm:DescribeSessions", "ssm:GetConnectionStatus", "ssm:DescribeDocument",
			"ssm:GetDocument", "kms:GenerateDataKey",
		},
		"Resource": []any{"*"},
		"Condition": map[string]any{"BoolIfExists": map[string]any{
			"aws:MultiFactorAuthPresent": "false",
		}},
	}, s["DenyEverythingWithoutMFA"])

	denied := map[string]bool{}
	for _, a := range s["DenyEverythingWithoutMFA"]["Action"].([]any) {
		denied[a.(string)] = true
	}

	for sid, st := range s {
		if st["Effect"] != "Allow" {
			continue
		}

		for _, a := range st["Action"].([]any) {
			assert.True(t, denied[a.(string)], "%s allows %s, which the MFA deny must cover", sid, a)
		}
	}
}

func TestOperatorPolicyReadsAndEncryptsOnlyWhatASessionNeeds(t *testing.T) {
	_, s := statements(t, OperatorPolicy(operatorParams(false)))

	assert.Equal(t, []any{
		"ec2:DescribeInstances", "ssm:DescribeInstanceInformation",
		"ssm:DescribeInstanceProperties", "ssm:DescribeSessions", "ssm:GetConnectionStatus",
	}, s["FindHostAndSessions"]["Action"])
	assert.Equal(t, []any{"*"}, s["FindHostAndSessions"]["Resource"])
	assert.Equal(t, []any{"kms:GenerateDataKey"}, s["EncryptSessionData"]["Action"])
	assert.Equal(t, []any{"arn:aws:kms:us-east-1:123456789012:key/k"},
		s["EncryptSessionData"]["Resource"])
	assert.Equal(t, []any{"arn:aws:ssm:us-east-1:123456789012:document/crucible-dev-sessions"},
		s["ReadThisStacksDocument"]["Resource"])
	assert.Len(t, s, 10, "no statement beyond the ones above and DenyRunAsTagOverride")
}

func TestRevokedAccessDeniesNewAndResumedSessionsOnTheHost(t *testing.T) {
	_, open := statements(t, OperatorPolicy(operatorParams(false)))
	_, revoked := statements(t, OperatorPolicy(operatorParams(true)))

	assert.NotContains(t, open, "AccessRevokedNoNewSessions")
	assert.Len(t, revoked, len(open)+2)

	assert.Equal(t, map[string]any{
		"Sid": "AccessRevokedNoNewSessions", "Effect": "Deny",
		"Action": []any{"ssm:StartSession"},
		"Resource": []any{
			"arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
			"arn:aws:ssm:us-east-1:123456789012:document/crucible-dev-sessions",
		},
	}, revoked["AccessRevokedNoNewSessions"])

	assert.Equal(t, map[string]any{
		"Sid": "AccessRevokedNoResumedSessions", "Effect": "Deny",
		"Action":   []any{"ssm:ResumeSession"},
		"Resource": []any{"arn:aws:ssm:us-east-1:123456789012:session/*"},
		"Condition": map[string]any{"StringEquals": map[string]any{
			"ssm:resourceTag/aws:ssmmessages:target-id": "i-0123456789abcdef0",
		}},
	}, revoked["AccessRevokedNoResumedSessions"])
}

func TestHostRevocationDeniesEverySessionChannel(t *testing.T) {
	text, s := statements(t, HostRevocationPolicy())

	assert.Equal(t, map[string]any{
		"Sid": "AccessRevokedNoSessionChannels", "Effect": "Deny",
		"Action": []any{
			"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
			"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
		},
		"Resource": []any{"*"},
	}, s["AccessRevokedNoSessionChannels"])
	assert.False(t, strings.Contains(text, "Condition"), "the deny holds unconditionally")
}

// Session Manager runs a session as the principal's SSMSessionRunAs tag before it looks at the
// document, so a principal tagged ec2-user (passwordless sudo on Amazon Linux) would bypass
// sessionRunAsUser and sessionSudo=false.
func TestOperatorPolicyRefusesARunAsTagOtherThanTheStacksUser(t *testing.T) {
	_, s := statements(t, OperatorPolicy(operatorParams(false)))

	assert.Equal(t, map[string]any{
		"Sid": "DenyRunAsTagOverride", "Effect": "Deny",
		"Action": []any{"ssm:StartSession"},
		"Resource": []any{
			"arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
			"arn:aws:ssm:us-east-1:123456789012:document/crucible-dev-sessions",
		},
		"Condition": map[string]any{
			"Null":            map[string]any{"aws:PrincipalTag/SSMSessionRunAs": "false"},
			"StringNotEquals": map[string]any{"aws:PrincipalTag/SSMSessionRunAs": "crucible-operator"},
		},
	}, s["DenyRunAsTagOverride"])
}
