package evals

import (
	"context"
	"errors"
	"fmt"
)

// ReapResult is what `eval reap` found and did.
type ReapResult struct {
	// Expired lists the evaluations whose TTL had passed.
	Expired []Evaluation
	// Removed lists the ids taken down (none on a dry run).
	Removed []string
	// Skipped maps the ids left alone to the reason, such as another command holding the lock.
	Skipped map[string]string
}

// Reap takes down every evaluation whose TTL has passed; dryRun only reports them. One failure
// does not stop the others: each is reported, and the joined errors are returned.
func (m *Manager) Reap(ctx context.Context, dryRun bool) (*ReapResult, error) {
	all, err := m.evaluations(ctx, false)
	if err != nil {
		return nil, err
	}

	result := &ReapResult{Skipped: map[string]string{}}
	now := m.opts.Now()
	var errs []error
	for _, e := range all {
		if !Expired(e.Expires, now) {
			continue
		}
		result.Expired = append(result.Expired, e)
		if dryRun {
			continue
		}

		_, err := m.Down(ctx, e.ID)
		var locked *LockedError
		switch {
		case errors.As(err, &locked):
			result.Skipped[e.ID] = "locked by another crucible command"
		case err != nil:
			result.Skipped[e.ID] = "down failed"
			errs = append(errs, fmt.Errorf("reap %q: %w", e.ID, err))
		default:
			result.Removed = append(result.Removed, e.ID)
		}
	}
	return result, errors.Join(errs...)
}
