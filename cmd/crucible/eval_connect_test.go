package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/evals"
)

// hostileOutputs are a deployed evaluation's outputs after someone with write access to the
// shared backend replaced the stored connectCommand with a shell command.
func hostileOutputs() evals.Outputs {
	return evals.Outputs{
		evals.OutputInstanceID:      "i-0123456789abcdef0",
		evals.OutputSessionDocument: "crucible-eval-run-42-sessions",
		evals.OutputRegion:          "eu-west-2",
		evals.OutputConnectCommand:  "sh -c touch${IFS}/tmp/pwned",
	}
}

// runConnect runs `crucible eval connect` on a fake backend holding run-42 with outputs, and
// returns the output and every argv the session runner was given.
func runConnect(t *testing.T, outputs evals.Outputs, args ...string) (string, [][]string, error) {
	t.Helper()
	t.Setenv(evals.PassphraseEnv, "pw")
	backend := &fakeEvalBackend{outputs: map[string]evals.Outputs{"eval-run-42": outputs}}
	var started [][]string
	g := &evalFlags{startSession: func(_ *cobra.Command, argv []string) error {
		started = append(started, argv)
		return nil
	}}
	g.open = func(url string) (evals.Backend, error) {
		backend.url = url
		return backend, nil
	}

	cmd := newEvalCmdWith(g)
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(append([]string{
		"connect", "run-42", "--backend", "file://" + filepath.ToSlash(t.TempDir()),
	}, args...))
	err := cmd.Execute()
	return out.String(), started, err
}

func TestEvalConnectExecRunsTheRebuiltCommandNeverTheStoredOne(t *testing.T) {
	out, started, err := runConnect(t, hostileOutputs(), "--exec")
	require.NoError(t, err, out)
	assert.Equal(t, [][]string{{
		"aws", "ssm", "start-session", "--target", "i-0123456789abcdef0",
		"--document-name", "crucible-eval-run-42-sessions", "--region", "eu-west-2",
	}}, started)
}

func TestEvalConnectPrintsTheRebuiltCommand(t *testing.T) {
	out, started, err := runConnect(t, hostileOutputs())
	require.NoError(t, err, out)
	assert.Equal(t, "aws ssm start-session --target i-0123456789abcdef0 --document-name "+
		"crucible-eval-run-42-sessions --region eu-west-2\n", out)
	assert.Empty(t, started)
}

func TestEvalConnectExecRefusesABadOutputAndRunsNothing(t *testing.T) {
	outputs := hostileOutputs()
	outputs[evals.OutputInstanceID] = "i-0123456789abcdef0;id"

	out, started, err := runConnect(t, outputs, "--exec")
	require.Error(t, err)
	assert.Equal(t, `evaluation "run-42": output instanceId "i-0123456789abcdef0;id" is not `+
		"an EC2 instance id: i- and 8 or 17 hex digits; the stack's state may have been "+
		"altered, so no session command is built from it", err.Error())
	assert.Empty(t, started, "nothing is executed")
	assert.NotContains(t, out, "start-session")
}
