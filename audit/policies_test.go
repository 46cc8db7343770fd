package audit

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/iam"
)

// parsed renders a policy and reads it back as plain JSON values, as AWS receives it.
func parsed(t *testing.T, doc iam.PolicyDocument) map[string]any {
	t.Helper()

	text, err := doc.JSON()
	require.NoError(t, err)

	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(text), &out))

	return out
}

func TestKeyPolicyLetsLogsUseTheKeyForThisStacksLogGroupsOnly(t *testing.T) {
	got := parsed(t, KeyPolicy(KeyPolicyParams{
		Partition: "aws-us-gov", DNSSuffix: "amazonaws.com", Region: "us-gov-west-1",
		AccountID: "123456789012", Stack: "dev",
		InstanceRoleArn: "arn:aws-us-gov:iam::123456789012:role/host",
	}))

	assert.Equal(t, map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid":       "AccountAdministersTheKey",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": "arn:aws-us-gov:iam::123456789012:root"},
				"Action":    []any{"kms:*"},
				"Resource":  []any{"*"},
			},
			map[string]any{
				"Sid":       "HostRoleEncryptsSessionsAndTranscripts",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": "arn:aws-us-gov:iam::123456789012:role/host"},
				"Action":    []any{"kms:Decrypt", "kms:GenerateDataKey"},
				"Resource":  []any{"*"},
			},
			map[string]any{
				"Sid":       "CloudWatchLogsEncryptsThisStacksLogGroups",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "logs.us-gov-west-1.amazonaws.com"},
				"Action": []any{
					"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
					"kms:Describe*",
				},
				"Resource": []any{"*"},
				"Condition": map[string]any{"ArnLike": map[string]any{
					"kms:EncryptionContext:aws:logs:arn": "arn:aws-us-gov:logs:us-gov-west-1:" +
						"123456789012:log-group:/crucible/dev/*",
				}},
			},
		},
	}, got)
}

// The bucket refuses plain HTTP, and objects encrypted with a key only their writer holds: the
// host may write transcripts, and an SSE-C object would be evidence no reviewer can read.
func TestBucketPolicyDeniesRequestsWithoutTLSAndCustomerProvidedKeys(t *testing.T) {
	assert.Equal(t, map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid":       "DenyRequestsWithoutTLS",
				"Effect":    "Deny",
				"Principal": map[string]any{"AWS": "*"},
				"Action":    []any{"s3:*"},
				"Resource":  []any{"arn:aws:s3:::b", "arn:aws:s3:::b/*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			},
			map[string]any{
				"Sid":       "DenyCustomerProvidedKeys",
				"Effect":    "Deny",
				"Principal": map[string]any{"AWS": "*"},
				"Action":    []any{"s3:PutObject"},
				"Resource":  []any{"arn:aws:s3:::b/*"},
				"Condition": map[string]any{"Null": map[string]any{
					"s3:x-amz-server-side-encryption-customer-algorithm": "false",
				}},
			},
		},
	}, parsed(t, BucketPolicy("arn:aws:s3:::b")))
}

func TestHostLoggingPolicyIsScopedToThisStacksEvidence(t *testing.T) {
	got := parsed(t, HostLoggingPolicy(HostLoggingPolicyParams{
		Partition: "aws", Region: "eu-west-1", AccountID: "123456789012",
		Bucket: "crucible-audit-dev-123456789012-eu-west-1", TranscriptStackPrefix: "sessions/dev/",
		LogGroup: "/crucible/dev/sessions", KeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
	}))

	group := "arn:aws:logs:eu-west-1:123456789012:log-group:/crucible/dev/sessions"
	assert.Equal(t, []any{
		map[string]any{
			"Sid": "WriteTranscripts", "Effect": "Allow", "Action": []any{"s3:PutObject"},
			"Resource": []any{"arn:aws:s3:::crucible-audit-dev-123456789012-eu-west-1/sessions/dev/*"},
		},
		map[string]any{
			"Sid": "CheckTranscriptBucketEncryption", "Effect": "Allow",
			"Action":   []any{"s3:GetEncryptionConfiguration"},
			"Resource": []any{"arn:aws:s3:::crucible-audit-dev-123456789012-eu-west-1"},
		},
		map[string]any{
			"Sid": "StreamSessions", "Effect": "Allow",
			"Action":   []any{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
			"Resource": []any{group, group + ":*"},
		},
		map[string]any{
			"Sid": "FindSessionLogGroup", "Effect": "Allow",
			"Action": []any{"logs:DescribeLogGroups"}, "Resource": []any{"*"},
		},
		map[string]any{
			"Sid": "UseSessionKey", "Effect": "Allow",
			"Action":   []any{"kms:Decrypt", "kms:GenerateDataKey"},
			"Resource": []any{"arn:aws:kms:eu-west-1:123456789012:key/k"},
		},
	}, got["Statement"])
}
