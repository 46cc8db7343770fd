package evals

import (
	"context"
	"fmt"
	"os"
	"time"
)

// UpRequest is `crucible eval up`.
type UpRequest struct {
	ID string

	// BaseStack names the Pulumi.<stack>.yaml to copy; default DefaultBaseStack.
	BaseStack string

	// Config holds key=value overrides in `pulumi config set` syntax.
	Config []string

	// TTL is how long from now the evaluation lives; default DefaultTTL.
	TTL time.Duration
}

// UpResult is what `eval up` deployed.
type UpResult struct {
	Evaluation Evaluation
	Outputs    Outputs

	// Changes counts the resources by operation; only "same" when nothing changed.
	Changes map[string]int

	// KeptRevocation says access stays revoked from an earlier `eval revoke`.
	KeptRevocation bool
}

// Up creates or updates the evaluation's stack and deploys it. The configuration and TTL are
// checked before the lock is taken, and the lock before the first engine call. The stack is
// tagged before the update, so an update that fails still carries the expiry reap goes by; a
// failed update leaves the stack for another `eval up` or `eval down`.
func (m *Manager) Up(ctx context.Context, req UpRequest) (*UpResult, error) {
	t, err := m.resolve(req.ID)
	if err != nil {
		return nil, err
	}
	ttl, base := req.TTL, req.BaseStack
	if ttl == 0 {
		ttl = DefaultTTL
	}
	if ttl < MinTTL || ttl > MaxTTL {
		return nil, fmt.Errorf("--ttl %s: must be between %s and %s", ttl,
			formatTTL(MinTTL), formatTTL(MaxTTL))
	}
	if base == "" {
		base = DefaultBaseStack
	}
	desired, overridden, err := evaluationConfig(m.opts.ProjectDir, base, req.Config)
	if err != nil {
		return nil, err
	}

	lock, err := lockEvaluation(t.id, t.dir)
	if err != nil {
		return nil, err
	}
	defer func() { _ = lock.Unlock() }()

	stack, err := m.opts.Backend.Stack(ctx, t.stack, t.dir, true)
	if err != nil {
		return nil, fmt.Errorf("evaluation %q: stack %s: %w", t.id, t.stack, err)
	}

	tags, err := m.claim(ctx, t, stack, ttl)
	if err != nil {
		return nil, err
	}

	deployed, err := stack.DeployedConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("evaluation %q: deployed configuration: %w", t.id, err)
	}
	kept := keepRevocation(desired, deployed, overridden)
	if err := stack.SetConfig(ctx, desired); err != nil {
		return nil, fmt.Errorf("evaluation %q: configuration: %w", t.id, err)
	}
	_ = os.Remove(tombstonePath(t.dir))

	update, err := stack.Up(ctx, configKeys(desired), m.opts.Out)
	if err != nil {
		return nil, m.upFailed(ctx, t, err)
	}

	e := fromTags(t.stack, tags)
	e.State = StateUp
	e.InstanceID = update.Outputs[OutputInstanceID]
	return &UpResult{
		Evaluation: e, Outputs: update.Outputs, Changes: update.Changes, KeptRevocation: kept,
	}, nil
}

// claim tags the stack with the evaluation id, its owner, creation and expiry time. An existing
// owner and creation time are kept; the expiry restarts from now, so `eval up` on a running
// evaluation extends it. A stack already tagged with another id is refused: that would be two
// ids sharing one name, which StackName is built never to produce.
func (m *Manager) claim(ctx context.Context, t target, stack Stack, ttl time.Duration) (
	map[string]string, error,
) {
	tags, err := stack.Tags(ctx)
	if err != nil {
		return nil, fmt.Errorf("evaluation %q: stack tags: %w", t.id, err)
	}
	if other := tags[TagID]; other != "" && other != t.id {
		return nil, fmt.Errorf("evaluation %q: stack %s belongs to evaluation %q; "+
			"choose another id", t.id, t.stack, other)
	}

	now := m.opts.Now()
	want := map[string]string{
		TagID:      t.id,
		TagOwner:   m.opts.Owner,
		TagCreated: formatTime(now),
		TagExpires: formatTime(now.Add(ttl)),
	}
	for _, keep := range []string{TagOwner, TagCreated} {
		if v := tags[keep]; v != "" {
			want[keep] = v
		}
	}

	changed := map[string]string{}
	for k, v := range want {
		if tags[k] != v {
			changed[k] = v
		}
	}
	if err := stack.SetTags(ctx, changed); err != nil {
		return nil, fmt.Errorf("evaluation %q: stack tags: %w", t.id, err)
	}
	return want, nil
}

// upFailed explains a failed or interrupted update; both leave the stack in place.
func (m *Manager) upFailed(ctx context.Context, t target, err error) error {
	what := "failed"
	if ctx.Err() != nil {
		what = "was interrupted"
	}
	return fmt.Errorf("evaluation %q: update of stack %s %s; the stack stays: run `crucible "+
		"eval up %s` to resume or `crucible eval down %s` to remove it: %w",
		t.id, t.stack, what, shellArg(t.id), shellArg(t.id), err)
}
