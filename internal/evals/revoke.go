package evals

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// RevokeResult is what `eval revoke` did.
type RevokeResult struct {
	InstanceID string
	// Terminated lists the session ids ended, in the order Systems Manager listed them.
	Terminated []string
}

// Revoke withdraws operator access: it sets crucible:accessRevoked on the configuration the
// stack last deployed (from the backend's history, so a colleague sharing the backend can
// revoke too), updates the stack, then terminates the host's live sessions, which the new
// policy no longer lets anyone restart.
//
// The sessions are terminated even when the update fails, because ending the live sessions
// is the urgent half of revoking; the update's error is still returned.
func (m *Manager) Revoke(ctx context.Context, id string) (*RevokeResult, error) {
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

	result := &RevokeResult{InstanceID: outputs[OutputInstanceID]}
	if result.InstanceID == "" {
		return result, errors.Join(upErr, fmt.Errorf("evaluation %q: no %s output, so no "+
			"sessions to terminate", t.id, OutputInstanceID))
	}

	api, err := m.opts.Sessions(ctx, outputs[OutputRegion])
	if err != nil {
		return result, errors.Join(upErr, fmt.Errorf("evaluation %q: %w", t.id, err))
	}
	result.Terminated, err = terminateSessions(ctx, api, result.InstanceID)
	if err != nil {
		err = fmt.Errorf("evaluation %q: %w", t.id, err)
	}
	return result, errors.Join(upErr, err)
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
