package audit

import (
	"encoding/json"
	"strconv"
)

// SessionDocumentType and SessionType are what make a document Session Manager's preferences.
const (
	SessionDocumentType = "Session"
	SessionType         = "Standard_Stream"
	sessionSchema       = "1.0"
)

// SessionPreferences are the inputs of a Session Manager preferences document, named as the
// document schema names them.
type SessionPreferences struct {
	S3BucketName                string       `json:"s3BucketName"`
	S3KeyPrefix                 string       `json:"s3KeyPrefix"`
	S3EncryptionEnabled         bool         `json:"s3EncryptionEnabled"`
	CloudWatchLogGroupName      string       `json:"cloudWatchLogGroupName"`
	CloudWatchEncryptionEnabled bool         `json:"cloudWatchEncryptionEnabled"`
	CloudWatchStreamingEnabled  bool         `json:"cloudWatchStreamingEnabled"`
	KmsKeyID                    string       `json:"kmsKeyId"`
	RunAsEnabled                bool         `json:"runAsEnabled"`
	RunAsDefaultUser            string       `json:"runAsDefaultUser"`
	IdleSessionTimeout          string       `json:"idleSessionTimeout"`
	MaxSessionDuration          string       `json:"maxSessionDuration"`
	ShellProfile                ShellProfile `json:"shellProfile"`
}

// ShellProfile holds commands run at the start of each session, per platform.
type ShellProfile struct {
	Linux   string `json:"linux"`
	Windows string `json:"windows"`
}

// sessionDocument is the whole preferences document.
type sessionDocument struct {
	SchemaVersion string             `json:"schemaVersion"`
	Description   string             `json:"description"`
	SessionType   string             `json:"sessionType"`
	Inputs        SessionPreferences `json:"inputs"`
}

// SessionDocumentParams are the facts a stack's preferences document is built from.
type SessionDocumentParams struct {
	Stack, Bucket, TranscriptPrefix, LogGroup, KeyArn, RunAsUser string
	IdleTimeoutMinutes, MaxDurationMinutes                       int
}

// SessionDocumentContent is the JSON content of a stack's preferences document. Both
// destinations are encrypted and the agent refuses to start a session it cannot log that way;
// sessions always run as the configured user.
func SessionDocumentContent(p SessionDocumentParams) (string, error) {
	doc := sessionDocument{
		SchemaVersion: sessionSchema,
		Description: "Crucible " + p.Stack + ": every session is streamed to CloudWatch Logs and " +
			"transcribed to S3, encrypted with the stack's key, and runs as " + p.RunAsUser,
		SessionType: SessionType,
		Inputs: SessionPreferences{
			S3BucketName:                p.Bucket,
			S3KeyPrefix:                 p.TranscriptPrefix,
			S3EncryptionEnabled:         true,
			CloudWatchLogGroupName:      p.LogGroup,
			CloudWatchEncryptionEnabled: true,
			CloudWatchStreamingEnabled:  true,
			KmsKeyID:                    p.KeyArn,
			RunAsEnabled:                true,
			RunAsDefaultUser:            p.RunAsUser,
			IdleSessionTimeout:          strconv.Itoa(p.IdleTimeoutMinutes),
			MaxSessionDuration:          strconv.Itoa(p.MaxDurationMinutes),
			ShellProfile:                ShellProfile{},
		},
	}

	b, err := json.Marshal(doc)

	return string(b), err
}
