package rules_test

import (
	"testing"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

const (
	kmsKeyType   = "aws:kms/key:Key"
	logGroupType = "aws:cloudwatch/logGroup:LogGroup"
)

func TestKMSKeysRotate(t *testing.T) {
	runResourceCases(t, rules.KMSKeyRotation, []resourceCase{
		{name: "rotation on passes", typ: kmsKeyType, props: map[string]any{"enableKeyRotation": true}},
		{
			name: "asymmetric keys cannot rotate and pass", typ: kmsKeyType,
			props: map[string]any{"customerMasterKeySpec": "RSA_2048", "enableKeyRotation": false},
		},
		{
			name: "rotation off fails", typ: kmsKeyType, props: map[string]any{"enableKeyRotation": false},
			want: []rules.Violation{fail("enableKeyRotation is false; it must be true: rotation " +
				"limits what one leaked key version can decrypt")},
		},
		{
			name: "unknown rotation is reported", typ: kmsKeyType,
			props: map[string]any{"enableKeyRotation": computed},
			want:  []rules.Violation{unchecked("enableKeyRotation")},
		},
	})
}

func TestLogGroupsKeepAYear(t *testing.T) {
	runResourceCases(t, rules.LogGroupRetention, []resourceCase{
		{name: "a year passes", typ: logGroupType, props: map[string]any{"retentionInDays": 365}},
		{name: "never expiring passes", typ: logGroupType, props: map[string]any{"name": "sessions"}},
		{
			name: "ninety days fails", typ: logGroupType, props: map[string]any{"retentionInDays": 90},
			want: []rules.Violation{fail("retentionInDays is 90; it must be at least 365 so a " +
				"late investigation still finds the logs")},
		},
		{
			name: "unknown retention is reported", typ: logGroupType,
			props: map[string]any{"retentionInDays": computed},
			want:  []rules.Violation{unchecked("retentionInDays")},
		},
	})
}

func TestLogGroupsAreEncrypted(t *testing.T) {
	runResourceCases(t, rules.LogGroupKMSEncrypted, []resourceCase{
		{
			name: "a KMS key passes", typ: logGroupType,
			props: map[string]any{"kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/0b1c"},
		},
		{
			name: "no key fails", typ: logGroupType, props: map[string]any{"retentionInDays": 365},
			want: []rules.Violation{fail("kmsKeyId is not set: the log group's events are not " +
				"encrypted with the project's key")},
		},
		{
			name: "unknown key is reported", typ: logGroupType,
			props: map[string]any{"kmsKeyId": computed},
			want:  []rules.Violation{unchecked("kmsKeyId")},
		},
	})
}
