package evals

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/user"
	"path/filepath"
	"strings"
	"time"
)

// Options configure a Manager.
type Options struct {
	// Backend runs the stacks.
	Backend Backend

	// ProjectDir holds Pulumi.yaml and the base stacks' Pulumi.<stack>.yaml files.
	ProjectDir string

	// WorkspaceRoot holds one workspace directory per evaluation; it must be specific to the
	// backend, because a workspace directory holds that backend's stack configuration.
	WorkspaceRoot string

	// Out receives the engine's live progress; default io.Discard.
	Out io.Writer

	// Now is the clock; default time.Now.
	Now func() time.Time

	// Owner is recorded on new evaluations; default the operating system user name.
	Owner string

	// Sessions returns the Systems Manager client revoke terminates sessions with, for the
	// host's region; default NewSessionClient.
	Sessions func(ctx context.Context, region string) (SessionAPI, error)
}

// Manager runs the evaluation commands.
type Manager struct {
	opts Options
}

// NewManager returns a Manager with opts' defaults filled in.
func NewManager(opts Options) *Manager {
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Owner == "" {
		opts.Owner = currentUser()
	}
	if opts.Sessions == nil {
		opts.Sessions = NewSessionClient
	}
	return &Manager{opts: opts}
}

func currentUser() string {
	u, err := user.Current()
	if err != nil || u.Username == "" {
		return "unknown"
	}
	return u.Username
}

// target is an evaluation resolved to its stack and workspace directory.
type target struct {
	id, stack, dir string
}

func (m *Manager) resolve(id string) (target, error) {
	name, err := StackName(id)
	if err != nil {
		return target{}, err
	}
	return target{id: id, stack: name, dir: filepath.Join(m.opts.WorkspaceRoot, name)}, nil
}

// open returns the existing stack of an evaluation, or an error saying it is unknown.
func (m *Manager) open(ctx context.Context, t target) (Stack, error) {
	s, err := m.opts.Backend.Stack(ctx, t.stack, t.dir, false)
	if errors.Is(err, ErrStackNotFound) {
		return nil, m.unknown(t)
	}
	if err != nil {
		return nil, fmt.Errorf("evaluation %q: stack %s: %w", t.id, t.stack, err)
	}
	return s, nil
}

func (m *Manager) unknown(t target) error {
	return &UnknownError{ID: t.id, Stack: t.stack, Backend: m.opts.Backend.Describe()}
}

// UnknownError says the backend has no stack for the evaluation.
type UnknownError struct {
	ID, Stack, Backend string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("no evaluation %q (stack %s) in %s; `crucible eval list` shows the "+
		"evaluations", e.ID, e.Stack, e.Backend)
}

// shellArg quotes id for the commands that messages suggest, so they can be pasted as shown.
func shellArg(id string) string {
	plain := !strings.ContainsFunc(id, func(r rune) bool {
		return !isAlnum(r) && r != '.' && r != '_' && r != '-'
	})
	if plain {
		return id
	}
	return "'" + strings.ReplaceAll(id, "'", `'\''`) + "'"
}
