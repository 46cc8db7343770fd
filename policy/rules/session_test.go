package rules_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

const documentType = "aws:ssm/document:Document"

// sessionInputs are the preferences of a fully logged session document.
func sessionInputs() map[string]any {
	return map[string]any{
		"s3BucketName":                "crucible-audit-1a2b3c",
		"s3KeyPrefix":                 "transcripts/",
		"s3EncryptionEnabled":         true,
		"cloudWatchLogGroupName":      "/crucible/dev/sessions",
		"cloudWatchEncryptionEnabled": true,
		"cloudWatchStreamingEnabled":  true,
		"kmsKeyId":                    "arn:aws:kms:us-east-1:123456789012:key/0b1c",
		"idleSessionTimeout":          "20",
	}
}

func sessionDocument(t *testing.T, edit func(inputs map[string]any)) map[string]any {
	t.Helper()

	inputs := sessionInputs()
	if edit != nil {
		edit(inputs)
	}

	content, err := json.Marshal(map[string]any{
		"schemaVersion": "1.0", "description": "Crucible sessions",
		"sessionType": "Standard_Stream", "inputs": inputs,
	})
	require.NoError(t, err)

	return map[string]any{
		"documentType": "Session", "documentFormat": "JSON", "content": string(content),
	}
}

func TestSessionDocumentLogsEverySession(t *testing.T) {
	runResourceCases(t, rules.SessionDocumentLogging, []resourceCase{
		{name: "fully logged document passes", typ: documentType, props: sessionDocument(t, nil)},
		{
			name: "a YAML document is read too", typ: documentType,
			props: map[string]any{
				"documentType": "Session", "documentFormat": "YAML",
				"content": "schemaVersion: '1.0'\nsessionType: Standard_Stream\ninputs:\n" +
					"  s3BucketName: audit\n  s3EncryptionEnabled: true\n" +
					"  cloudWatchLogGroupName: /sessions\n  cloudWatchEncryptionEnabled: true\n" +
					"  kmsKeyId: alias/crucible\n",
			},
		},
		{
			name: "other document types are out of scope", typ: documentType,
			props: map[string]any{"documentType": "Command", "content": "{}"},
		},
		{
			name: "logging and encryption off fails", typ: documentType,
			props: sessionDocument(t, func(in map[string]any) {
				in["s3EncryptionEnabled"] = false
				delete(in, "cloudWatchLogGroupName")
				in["cloudWatchEncryptionEnabled"] = false
				in["kmsKeyId"] = ""
			}),
			want: []rules.Violation{
				fail("content.inputs.s3EncryptionEnabled is false; it must be true: Session " +
					"Manager must refuse a bucket without default encryption"),
				fail("content.inputs.cloudWatchLogGroupName is not set: transcripts must be " +
					"written to CloudWatch Logs"),
				fail("content.inputs.cloudWatchEncryptionEnabled is false; it must be true: " +
					"Session Manager must refuse a log group without encryption"),
				fail(`content.inputs.kmsKeyId is "": session data must be encrypted with the ` +
					"project's key"),
			},
		},
		{
			name: "a port forwarding document fails", typ: documentType,
			props: map[string]any{
				"documentType": "Session",
				"content":      `{"schemaVersion":"1.0","sessionType":"Port","inputs":{}}`,
			},
			want: []rules.Violation{
				fail(`content.sessionType is "Port"; it must be "Standard_Stream"`),
				fail("content.inputs.s3BucketName is not set: transcripts must be written to S3"),
				fail("content.inputs.s3EncryptionEnabled is not set; it must be true: Session " +
					"Manager must refuse a bucket without default encryption"),
				fail("content.inputs.cloudWatchLogGroupName is not set: transcripts must be " +
					"written to CloudWatch Logs"),
				fail("content.inputs.cloudWatchEncryptionEnabled is not set; it must be true: " +
					"Session Manager must refuse a log group without encryption"),
				fail("content.inputs.kmsKeyId is not set: session data must be encrypted with " +
					"the project's key"),
			},
		},
		{
			name: "content that does not parse fails", typ: documentType,
			props: map[string]any{"documentType": "Session", "content": "{"},
			want:  []rules.Violation{fail("content does not parse: unexpected end of JSON input")},
		},
		{
			name: "content unknown at preview is reported", typ: documentType,
			props: map[string]any{"documentType": "Session", "content": computed},
			want:  []rules.Violation{unchecked("content")},
		},
	})
}
