package evals

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"
)

// listParallelism bounds the Pulumi commands list runs at once: each stack takes a few, and
// a shared backend may hold many evaluations.
const listParallelism = 4

// List returns every evaluation in the backend, oldest first, with its state and instance.
func (m *Manager) List(ctx context.Context) ([]Evaluation, error) {
	return m.evaluations(ctx, true)
}

// evaluations reads the evaluation stacks; detail adds the latest update's result and the
// instance id, which cost two more Pulumi commands per stack.
//
// Each stack is read in a throwaway workspace directory: reading must not touch the workspace
// directory of an evaluation whose `eval up` may be running.
func (m *Manager) evaluations(ctx context.Context, detail bool) ([]Evaluation, error) {
	names, err := m.opts.Backend.StackNames(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing stacks in %s: %w", m.opts.Backend.Describe(), err)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return !strings.HasPrefix(n, StackPrefix) })

	scratch, err := os.MkdirTemp("", "crucible-eval-list-")
	if err != nil {
		return nil, fmt.Errorf("listing evaluations: %w", err)
	}
	defer func() { _ = os.RemoveAll(scratch) }()

	found := make([]*Evaluation, len(names))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(listParallelism)
	for i, name := range names {
		g.Go(func() error {
			e, err := m.describe(gctx, name, filepath.Join(scratch, name), detail)
			found[i] = e
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	out := make([]Evaluation, 0, len(found))
	for _, e := range found {
		if e != nil {
			out = append(out, *e)
		}
	}
	slices.SortFunc(out, func(a, b Evaluation) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// describe reads one evaluation stack; nil when it was removed meanwhile.
func (m *Manager) describe(
	ctx context.Context, name, dir string, detail bool,
) (*Evaluation, error) {
	stack, err := m.opts.Backend.Stack(ctx, name, dir, false)
	if errors.Is(err, ErrStackNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("stack %s: %w", name, err)
	}

	tags, err := stack.Tags(ctx)
	if err != nil {
		return nil, fmt.Errorf("stack %s: tags: %w", name, err)
	}
	e := fromTags(name, tags)
	e.State = stateOf("", e.Expires, m.opts.Now())
	if !detail {
		return &e, nil
	}

	result, err := stack.LastUpdate(ctx)
	if err != nil {
		return nil, fmt.Errorf("stack %s: latest update: %w", name, err)
	}
	e.State = stateOf(result, e.Expires, m.opts.Now())

	outputs, err := stack.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("stack %s: outputs: %w", name, err)
	}
	e.InstanceID = outputs[OutputInstanceID]
	return &e, nil
}

// Outputs returns the stack outputs of an evaluation, read from the backend it lives in.
func (m *Manager) Outputs(ctx context.Context, id string) (Outputs, error) {
	t, err := m.resolve(id)
	if err != nil {
		return nil, err
	}
	stack, err := m.open(ctx, t)
	if err != nil {
		return nil, err
	}
	outputs, err := stack.Outputs(ctx)
	if err != nil {
		return nil, fmt.Errorf("evaluation %q: outputs: %w", t.id, err)
	}
	return outputs, nil
}
