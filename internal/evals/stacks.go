package evals

import (
	"context"
	"errors"
	"io"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// ErrStackNotFound is returned by Backend.Stack for a stack that does not exist when it was not
// asked to create one.
var ErrStackNotFound = errors.New("stack not found")

// Backend is the Pulumi side of the evaluations: the Automation API in production (see
// NewAutoBackend), an in-memory fake in unit tests, so the orchestration is tested without an
// engine.
type Backend interface {
	// StackNames lists the names of the project's stacks.
	StackNames(ctx context.Context) ([]string, error)

	// Stack opens the stack name with dir as its workspace directory. With create, a missing
	// stack is created; without, it is ErrStackNotFound.
	Stack(ctx context.Context, name, dir string, create bool) (Stack, error)

	// Describe names the backend for messages, without credentials.
	Describe() string
}

// Stack is one evaluation stack.
type Stack interface {
	Tags(ctx context.Context) (map[string]string, error)

	// SetTags sets the given tags, leaving the stack's other tags as they are.
	SetTags(ctx context.Context, tags map[string]string) error

	// SetConfig replaces the stack's whole configuration with cfg.
	SetConfig(ctx context.Context, cfg auto.ConfigMap) error

	// DeployedConfig returns the configuration of the stack's latest update, secrets in the
	// clear and marked secret, or an empty map when the stack has never been updated. It is
	// the backend's record, so it is the same on every machine that shares the backend.
	DeployedConfig(ctx context.Context) (auto.ConfigMap, error)

	// Up runs the program, given every configuration key the stack sets, streaming progress.
	Up(ctx context.Context, keys []string, progress io.Writer) (*Update, error)

	// Outputs returns the stack outputs of the last update (empty when there is none).
	Outputs(ctx context.Context) (Outputs, error)

	// LastUpdate returns the result of the stack's latest update: "succeeded", "failed",
	// "in-progress", or "" when it has none.
	LastUpdate(ctx context.Context) (string, error)

	// Destroy deletes the stack's resources (those marked retainOnDelete stay in AWS), then
	// the stack itself. When it fails, the stack stays.
	Destroy(ctx context.Context, progress io.Writer) error
}

// Update is the outcome of a successful `up`.
type Update struct {
	Outputs Outputs
	// Changes counts the resources by operation ("create", "update", "same", ...).
	Changes map[string]int
}

// Outputs are stack outputs rendered as strings (non-string values as JSON).
type Outputs map[string]string
