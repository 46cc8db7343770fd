package forensics

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// OutputsReader yields the stack outputs of an evaluation, as `pulumi stack output --json`
// prints them. The CLI picks one by its flags: an evaluation id, --stack or --outputs.
type OutputsReader interface {
	ReadOutputs(ctx context.Context) ([]byte, error)
	// Describe names the source in errors.
	Describe() string
}

// OutputsFile reads outputs saved with `pulumi stack output --json > FILE`.
type OutputsFile string

// ReadOutputs reads the file.
func (f OutputsFile) ReadOutputs(context.Context) ([]byte, error) {
	data, err := os.ReadFile(string(f))
	if err != nil {
		return nil, fmt.Errorf("--outputs: %w", err)
	}
	return data, nil
}

// Describe names the file.
func (f OutputsFile) Describe() string { return "--outputs " + string(f) }

// PulumiStack reads a stack's outputs with the Pulumi CLI.
type PulumiStack struct {
	Name string
	// CLI is the pulumi binary; empty uses CRUCIBLE_PULUMI_CLI, then pulumi on PATH.
	CLI string
	// Dir is the project directory the CLI runs in; empty is the current directory.
	Dir string
}

// ReadOutputs runs `pulumi stack output --json --stack NAME`.
func (s PulumiStack) ReadOutputs(ctx context.Context) ([]byte, error) {
	cli := s.CLI
	if cli == "" {
		cli = os.Getenv("CRUCIBLE_PULUMI_CLI")
	}
	if cli == "" {
		cli = "pulumi"
	}

	// The binary is the operator's choice (CRUCIBLE_PULUMI_CLI) and arguments are not parsed
	// by a shell.
	cmd := exec.CommandContext(ctx, cli, //nolint:gosec // see above
		"stack", "output", "--json", "--stack", s.Name)
	cmd.Dir = s.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var notFound *exec.Error
	if errors.As(err, &notFound) {
		return nil, fmt.Errorf("--stack %s: the pulumi CLI %q is not available (set "+
			"CRUCIBLE_PULUMI_CLI, or save the outputs and pass --outputs FILE): %w", s.Name, cli, err)
	}
	if err != nil {
		return nil, fmt.Errorf("--stack %s: pulumi stack output: %w: %s", s.Name, err,
			Sanitize(strings.TrimSpace(stderr.String())))
	}
	return out, nil
}

// Describe names the stack.
func (s PulumiStack) Describe() string { return "--stack " + s.Name }
