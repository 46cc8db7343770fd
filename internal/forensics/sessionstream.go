package forensics

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// sessionStreamRecord is one event the SSM Agent streams to CloudWatch Logs when session
// streaming is on with JSON records: a batch of terminal lines (control sequences already
// stripped by the agent) stamped with the time of upload. The log stream is named after the
// session id.
type sessionStreamRecord struct {
	EventVersion string `json:"eventVersion"`
	EventTime    string `json:"eventTime"`
	AwsRegion    string `json:"awsRegion"`
	Target       struct {
		ID string `json:"id"`
	} `json:"target"`
	UserIdentity struct {
		Arn string `json:"arn"`
	} `json:"userIdentity"`
	RunAsUser   string   `json:"runAsUser"`
	SessionID   string   `json:"sessionId"`
	SessionData []string `json:"sessionData"`
}

func parseSessionStreamRecord(message []byte, instanceID string) (sessionStreamRecord, time.Time,
	error,
) {
	var rec sessionStreamRecord
	if err := json.Unmarshal(message, &rec); err != nil {
		return rec, time.Time{}, fmt.Errorf("session stream JSON: %w", err)
	}
	if rec.SessionID == "" || rec.EventTime == "" {
		return rec, time.Time{}, errors.New("session stream record without sessionId or eventTime")
	}
	at, err := time.Parse(time.RFC3339Nano, rec.EventTime)
	if err != nil {
		return rec, time.Time{}, fmt.Errorf("eventTime %q: %w", rec.EventTime, err)
	}
	if rec.Target.ID != "" && rec.Target.ID != instanceID {
		return rec, time.Time{}, errOtherSource
	}
	return rec, at.UTC(), nil
}

// promptLine recognises a shell prompt followed by what was typed after it: the sh and bash
// defaults ("sh-5.2$ ", "bash-5.2# "), Amazon Linux ("[ssm-user@ip-10-0-1-5 ~]$ ") and Debian
// style ("user@host:~$ ") prompts. The transcript only holds what the terminal echoed, so a
// command is what followed a prompt; output that imitates a prompt is indistinguishable (see
// the limitations of "Reviewing an evaluation" in the README).
var promptLine = regexp.MustCompile(
	`^(?:(?:sh|bash|zsh)-[0-9]+(?:\.[0-9]+)*|\[[^\]\s]+@[^\]]+\]|[\w.-]+@[\w.-]+:[^\s$#]*)[$#] (.*\S)`)

// typedCommand returns the command on a prompt line, or "" for output.
func typedCommand(line string) string {
	m := promptLine.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	return m[1]
}
