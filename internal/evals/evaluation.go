package evals

import (
	"strings"
	"time"
)

// Stack tag names. Tags live in the backend, so every machine sharing it sees the same ids,
// owners and expiry times.
const (
	TagID      = "crucible:evaluation-id"
	TagOwner   = "crucible:owner"
	TagCreated = "crucible:created"
	TagExpires = "crucible:expires"
)

// Output names of the sandbox program that the evaluation commands read.
const (
	OutputInstanceID     = "instanceId"
	OutputRegion         = "region"
	OutputConnectCommand = "connectCommand"
	OutputAuditBucket    = "auditBucketName"
	OutputAuditPrefix    = "auditTranscriptPrefix"
	OutputSessionLogs    = "sessionLogGroupName"
	OutputAuditTrail     = "auditTrailCommand"
)

// RevokedKey is the configuration key that withdraws operator access to the host.
const RevokedKey = "crucible:accessRevoked"

// State is an evaluation's state as `eval list` shows it.
type State string

const (
	StateUp       State = "up"       // the latest update succeeded and the TTL has not passed
	StateFailed   State = "failed"   // the latest update failed, was interrupted, or never ran
	StateUpdating State = "updating" // an update is running now
	StateExpired  State = "expired"  // the TTL has passed; `eval reap` will take it down
)

// Evaluation is one evaluation stack as recorded in the backend.
type Evaluation struct {
	ID         string    `json:"id"`
	Stack      string    `json:"stack"`
	Owner      string    `json:"owner"`
	State      State     `json:"state"`
	Created    time.Time `json:"created"`
	Expires    time.Time `json:"expires"`
	InstanceID string    `json:"instanceId"`
}

// fromTags reads the recorded fields of the evaluation on stack name. A stack that lost its id
// tag (its first `eval up` died between creating and tagging it) falls back to the id its name
// carries, which is exact for ids of the direct form.
func fromTags(name string, tags map[string]string) Evaluation {
	e := Evaluation{
		ID:    tags[TagID],
		Stack: name,
		Owner: tags[TagOwner],
	}
	if e.ID == "" {
		e.ID = strings.TrimPrefix(name, StackPrefix)
	}
	e.Created, _ = time.Parse(time.RFC3339, tags[TagCreated])
	e.Expires, _ = time.Parse(time.RFC3339, tags[TagExpires])
	return e
}

// stateOf combines the latest update's result with the TTL; an expired evaluation is expired
// whatever its last result, because that is what decides whether reap takes it down.
func stateOf(lastResult string, expires, now time.Time) State {
	switch {
	case Expired(expires, now):
		return StateExpired
	case lastResult == "succeeded":
		return StateUp
	case lastResult == "in-progress":
		return StateUpdating
	default:
		return StateFailed
	}
}

func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}
