package audit

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSessionDocumentContentLogsEverySessionEncrypted(t *testing.T) {
	content, err := SessionDocumentContent(SessionDocumentParams{
		Stack:              "dev",
		Bucket:             "crucible-audit-dev-123456789012-us-east-1",
		TranscriptPrefix:   "sessions/dev/i-0123456789abcdef0",
		LogGroup:           "/crucible/dev/sessions",
		KeyArn:             "arn:aws:kms:us-east-1:123456789012:key/k",
		RunAsUser:          "crucible-operator",
		IdleTimeoutMinutes: 15,
		MaxDurationMinutes: 240,
	})
	require.NoError(t, err)

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(content), &doc))

	assert.Equal(t, map[string]any{
		"schemaVersion": "1.0",
		"description": "Crucible dev: every session is streamed to CloudWatch Logs and " +
			"transcribed to S3, encrypted with the stack's key, and runs as crucible-operator",
		"sessionType": "Standard_Stream",
		"inputs": map[string]any{
			"s3BucketName":                "crucible-audit-dev-123456789012-us-east-1",
			"s3KeyPrefix":                 "sessions/dev/i-0123456789abcdef0",
			"s3EncryptionEnabled":         true,
			"cloudWatchLogGroupName":      "/crucible/dev/sessions",
			"cloudWatchEncryptionEnabled": true,
			"cloudWatchStreamingEnabled":  true,
			"kmsKeyId":                    "arn:aws:kms:us-east-1:123456789012:key/k",
			"runAsEnabled":                true,
			"runAsDefaultUser":            "crucible-operator",
			"idleSessionTimeout":          "15",
			"maxSessionDuration":          "240",
			"shellProfile":                map[string]any{"linux": "", "windows": ""},
		},
	}, doc)
}

// sessionInputs are the inputs the Session document schema (schemaVersion 1.0, Standard_Stream)
// defines; Session Manager rejects a document with any other.
var sessionInputs = []string{
	"s3BucketName", "s3KeyPrefix", "s3EncryptionEnabled", "cloudWatchLogGroupName",
	"cloudWatchEncryptionEnabled", "cloudWatchStreamingEnabled", "kmsKeyId", "runAsEnabled",
	"runAsDefaultUser", "idleSessionTimeout", "maxSessionDuration", "shellProfile",
}

func TestSessionDocumentUsesOnlyTheSchemasInputs(t *testing.T) {
	content, err := SessionDocumentContent(SessionDocumentParams{
		Stack: "dev", Bucket: "b", TranscriptPrefix: "p", LogGroup: "g", KeyArn: "k",
		RunAsUser: "u", IdleTimeoutMinutes: 1, MaxDurationMinutes: 1,
	})
	require.NoError(t, err)

	var doc struct {
		Inputs map[string]any `json:"inputs"`
	}
	require.NoError(t, json.Unmarshal([]byte(content), &doc))

	keys := make([]string, 0, len(doc.Inputs))
	for k := range doc.Inputs {
		keys = append(keys, k)
	}

	assert.ElementsMatch(t, sessionInputs, keys)
}
