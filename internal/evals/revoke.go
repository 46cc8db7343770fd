package evals

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// RevokeResult is what `eval revoke` did.
type RevokeResult struct {
	InstanceID string
	// Updated reports that the update denying new sessions was deployed.
	Updated bool
	// Terminated lists the session ids ended, in the order Systems Manager listed them.
	Terminated []string
	// Failed lists the session ids that could not be ended; the error says why.
	Failed []string
}

// Revoke withdraws operator access: it sets crucible:accessRevoked on the configuration the
// stack last deployed (from the backend's history, so a colleague sharing the backend can
// revoke too), updates the stack, then terminates the host's live sessions, which the new
// policy no longer lets anyone restart.
//
// Ending the live sessions is the urgent half of revoking, so it happens even when the update
// fails or another crucible command holds the evaluation's lock; the error then says the
// policy update was not applied.
func (m *Manager) Revoke(ctx context.Context, id string) (*RevokeResult, error) {
	t, err := m.resolve(id)
	if err != nil {
		return nil, err
	}

	lock, err := lockEvaluation(t.id, t.dir)
	var locked *LockedError
	if errors.As(err, &locked) {
		return m.revokeLocked(ctx, t, locked)
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = lock.Unlock() }()

	stack, err := m.open(ctx, t)
	if err != nil {
		return nil, err
	}

	deployed, err := stack.DeployedConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("evaluation %q: deployed configuration: %w", t.id, err)
	}
	if len(deployed) == 0 {
		return nil, fmt.Errorf("evaluation %q has never been deployed, so there is no access to "+
			"revoke; `crucible eval down %s` removes it", t.id, shellArg(t.id))
	}

	revoked := maps.Clone(deployed)
	revoked[RevokedKey] = auto.ConfigValue{Value: "true"}
	if err := stack.SetConfig(ctx, revoked); err != nil {
		return nil, fmt.Errorf("evaluation %q: configuration: %w", t.id, err)
	}
	outputs, upErr := m.revokeUpdate(ctx, t, stack, revoked)
	if outputs == nil {
		return nil, upErr
	}

	result, err := m.endSessions(ctx, t, outputs)
	result.Updated = upErr == nil
	return result, errors.Join(upErr, err)
}

// revokeLocked ends the live sessions of an evaluation whose lock another command holds,
// finding the host from the stack's current outputs. The stack is read in a throwaway
// workspace directory, leaving the running command's own untouched. The policy update is not
// attempted, and the error says so.
func (m *Manager) revokeLocked(
	ctx context.Context, t target, locked *LockedError,
) (*RevokeResult, error) {
	notApplied := fmt.Errorf("evaluation %q: the update that revokes access was not applied, so "+
		"new sessions can still start: %w; run `crucible eval revoke %s` again when it has "+
		"finished", t.id, locked, shellArg(t.id))

	scratch, err := os.MkdirTemp("", "crucible-eval-revoke-")
	if err != nil {
		return nil, errors.Join(notApplied, fmt.Errorf("evaluation %q: %w", t.id, err))
	}
	defer func() { _ = os.RemoveAll(scratch) }()

	read := target{id: t.id, stack: t.stack, dir: filepath.Join(scratch, t.stack)}
	stack, err := m.open(ctx, read)
	if err != nil {
		return nil, errors.Join(notApplied, err)
	}
	outputs, err := stack.Outputs(ctx)
	if err != nil {
		return nil, errors.Join(notApplied, fmt.Errorf("evaluation %q: outputs: %w", t.id, err))
	}

	result, err := m.endSessions(ctx, t, outputs)
	return result, errors.Join(notApplied, err)
}

// endSessions terminates the live sessions on the host the outputs name.
func (m *Manager) endSessions(
	ctx context.Context, t target, outputs Outputs,
) (*RevokeResult, error) {
	result := &RevokeResult{InstanceID: outputs[OutputInstanceID]}
	if result.InstanceID == "" {
		return result, fmt.Errorf("evaluation %q: no %s output, so no sessions to terminate",
			t.id, OutputInstanceID)
	}

	api, err := m.opts.Sessions(ctx, outputs[OutputRegion])
	if err != nil {
		return result, fmt.Errorf("evaluation %q: %w", t.id, err)
	}
	result.Terminated, result.Failed, err = terminateSessions(ctx, api, result.InstanceID)
	if err != nil {
		return result, fmt.Errorf("evaluation %q: %w", t.id, err)
	}
	return result, nil
}

// revokeUpdate deploys the revoked configuration and returns the outputs to find the host by:
// the new ones, or after a failed update the previous ones along with the update's error.
func (m *Manager) revokeUpdate(
	ctx context.Context, t target, stack Stack, revoked auto.ConfigMap,
) (Outputs, error) {
	update, err := stack.Up(ctx, configKeys(revoked), m.opts.Out)
	if err == nil {
		return update.Outputs, nil
	}

	upErr := fmt.Errorf("evaluation %q: the update that revokes access failed: %w", t.id, err)
	outputs, err := stack.Outputs(ctx)
	if err != nil {
		return nil, errors.Join(upErr, fmt.Errorf("evaluation %q: outputs: %w", t.id, err))
	}
	return outputs, upErr
}
