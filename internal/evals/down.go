package evals

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Evidence says where an evaluation's session records stay after `eval down`: the program marks
// the transcript bucket and the log group retainOnDelete, so destroying the stack leaves them.
type Evidence struct {
	// Transcripts is the s3:// location of the session transcripts.
	Transcripts string `json:"transcripts,omitempty"`
	// SessionLogGroup is the CloudWatch Logs group the sessions streamed to.
	SessionLogGroup string `json:"sessionLogGroup,omitempty"`
	// ReviewCommand prints the evaluation's audit trail.
	ReviewCommand string `json:"reviewCommand,omitempty"`
}

// Empty reports whether the stack recorded no evidence location (its update never finished, or
// the program it ran had no audit outputs).
func (e Evidence) Empty() bool { return e == Evidence{} }

func evidenceFrom(o Outputs) Evidence {
	var e Evidence
	if bucket := o[OutputAuditBucket]; bucket != "" {
		e.Transcripts = "s3://" + bucket + "/" + o[OutputAuditPrefix]
	}
	e.SessionLogGroup = o[OutputSessionLogs]
	e.ReviewCommand = o[OutputAuditTrail]
	return e
}

// DownResult is what `eval down` did.
type DownResult struct {
	ID      string    `json:"id"`
	Stack   string    `json:"stack"`
	Removed time.Time `json:"removed"`

	// AlreadyRemoved says an earlier `eval down` from this machine removed the stack.
	AlreadyRemoved bool `json:"-"`

	Evidence Evidence `json:"evidence"`
}

// Down destroys the evaluation's resources and removes its stack. An id this machine already
// took down is a no-op that repeats where the evidence is; an id the backend never had is an
// error. A failed destroy leaves the stack, so `eval down` can run again.
func (m *Manager) Down(ctx context.Context, id string) (*DownResult, error) {
	t, err := m.resolve(id)
	if err != nil {
		return nil, err
	}

	lock, err := lockEvaluation(t.id, t.dir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = lock.Unlock() }()

	stack, err := m.open(ctx, t)
	var unknown *UnknownError
	if errors.As(err, &unknown) {
		return m.alreadyRemoved(t, err)
	}
	if err != nil {
		return nil, err
	}

	outputs, err := stack.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("evaluation %q: outputs: %w", t.id, err)
	}

	if err := stack.Destroy(ctx, m.opts.Out); err != nil {
		return nil, fmt.Errorf("evaluation %q: destroying stack %s failed; the stack stays: "+
			"run `crucible eval down %s` again: %w", t.id, t.stack, shellArg(t.id), err)
	}

	result := &DownResult{
		ID: t.id, Stack: t.stack, Removed: m.opts.Now().UTC(), Evidence: evidenceFrom(outputs),
	}
	if err := writeTombstone(t.dir, result); err != nil {
		return nil, fmt.Errorf("evaluation %q: stack removed, but recording it failed: %w",
			t.id, err)
	}
	return result, nil
}

// alreadyRemoved answers `eval down` for a stack the backend does not have: a no-op when this
// machine removed it, otherwise unknown, the error that says the id is unknown.
func (m *Manager) alreadyRemoved(t target, unknown error) (*DownResult, error) {
	data, err := os.ReadFile(tombstonePath(t.dir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, unknown
	}
	if err != nil {
		return nil, fmt.Errorf("evaluation %q: %w", t.id, err)
	}

	var result DownResult
	if err := json.Unmarshal(data, &result); err != nil {
		return nil, fmt.Errorf("evaluation %q: %s: %w", t.id, tombstonePath(t.dir), err)
	}
	result.AlreadyRemoved = true
	return &result, nil
}

// The tombstone is how a later `eval down` knows the id was taken down rather than never
// existed; it lives in the evaluation's workspace directory.
func tombstonePath(dir string) string { return filepath.Join(dir, "removed.json") }

func writeTombstone(dir string, result *DownResult) error {
	data, err := json.MarshalIndent(result, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(tombstonePath(dir), append(data, '\n'), 0o600)
}
