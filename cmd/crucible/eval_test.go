package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/adrg/xdg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/enginetest"
	"github.com/crucible-sandbox/crucible/internal/evals"
)

// runEval runs the CLI in process and returns its output and exit status.
func runEval(t *testing.T, args ...string) (string, int, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(append([]string{"eval"}, args...))

	err := root.Execute()
	if err == nil {
		return out.String(), 0, nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return out.String(), ee.code, err
	}
	return out.String(), exitFailure, err
}

func TestEvalRejectsBadInputBeforeAnyWork(t *testing.T) {
	t.Setenv(evals.PassphraseEnv, "pw")
	t.Setenv(evals.PulumiCLIEnv, "/nonexistent/bin/pulumi")
	backend := "file://" + filepath.ToSlash(t.TempDir())

	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"no id": {
			[]string{"up"}, "eval up takes one evaluation id, for example: crucible eval up run-42",
		},
		"two ids":     {[]string{"down", "a", "b"}, "eval down takes one evaluation id"},
		"unusable id": {[]string{"connect", "!!"}, `evaluation id "!!" has no ASCII letters or digits`},
		"bad ttl": {
			[]string{"up", "run-1", "--ttl", "3d", "--backend", backend},
			`--ttl "3d": not a duration; use hours and minutes such as 8h, 90m or 48h`,
		},
		"ttl too long": {
			[]string{"up", "run-1", "--ttl", "200h", "--backend", backend},
			"--ttl 200h: must be between 10m and 168h",
		},
		"bad backend": {
			[]string{"list", "--backend", "ftp://x"}, `--backend "ftp://x": not a Pulumi backend URL`,
		},
		"bad secrets provider": {
			[]string{"list", "--backend", backend, "--secrets-provider", "gcpkms://k"},
			"--secrets-provider gcpkms://k: use passphrase (the default) or awskms://",
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, code, err := runEval(t, tc.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, exitInvalidConfig, code)
		})
	}
}

func TestEvalNeedsAPassphraseBeforeAnyWork(t *testing.T) {
	t.Setenv(evals.PassphraseEnv, "")
	require.NoError(t, os.Unsetenv(evals.PassphraseEnv))
	t.Setenv(evals.PassphraseFileEnv, "")
	require.NoError(t, os.Unsetenv(evals.PassphraseFileEnv))
	t.Setenv(evals.PulumiCLIEnv, "/nonexistent/bin/pulumi")
	backend := "file://" + filepath.ToSlash(t.TempDir())

	_, code, err := runEval(t, "up", "run-1", "--backend", backend)
	require.Error(t, err)
	assert.Equal(t, "PULUMI_CONFIG_PASSPHRASE is not set: evaluation stacks in "+backend+
		" encrypt their secrets with a passphrase; export PULUMI_CONFIG_PASSPHRASE (or "+
		"PULUMI_CONFIG_PASSPHRASE_FILE), or pass --secrets-provider awskms://<key>", err.Error())
	assert.Equal(t, exitInvalidConfig, code)
}

func TestEvalRefusesAnEmptyPassphraseBeforeAnyWork(t *testing.T) {
	t.Setenv(evals.PassphraseEnv, "")
	t.Setenv(evals.PulumiCLIEnv, "/nonexistent/bin/pulumi")
	backend := "file://" + filepath.ToSlash(t.TempDir())

	_, code, err := runEval(t, "list", "--backend", backend)
	require.Error(t, err)
	assert.Equal(t, "PULUMI_CONFIG_PASSPHRASE is set but empty: an empty passphrase does not "+
		"protect the secrets of the evaluation stacks in "+backend+" (and Pulumi uses it ahead "+
		"of PULUMI_CONFIG_PASSPHRASE_FILE); export a non-empty PULUMI_CONFIG_PASSPHRASE, or "+
		"pass --secrets-provider awskms://<key>", err.Error())
	assert.Equal(t, exitInvalidConfig, code)
}

// TestEvalCommandsOnTheEngine runs the lifecycle as a user types it, on the real engine.
func TestEvalCommandsOnTheEngine(t *testing.T) {
	e := enginetest.Start(t)
	for k, v := range e.Env() {
		t.Setenv(k, v)
	}
	t.Setenv(evals.PulumiCLIEnv, filepath.Join(e.CLIRoot, "bin", "pulumi"))
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	xdg.Reload()
	t.Cleanup(xdg.Reload)
	t.Chdir("../..")

	out, _, err := runEval(t, "up", "cli-1", "--ttl", "1h", "--config", "instanceType=t3.large")
	require.NoError(t, err, out)
	assert.Regexp(t, `Evaluation cli-1 is up \(stack eval-cli-1, owner \S+\), expires \S+Z\.\n`+
		`Connect with:\n  aws ssm start-session --target i-[0-9a-f]{17} --document-name `+
		`crucible-eval-cli-1-sessions --region us-east-1\n$`, out)
	command := regexp.MustCompile(`Connect with:\n  (.*)\n`).FindStringSubmatch(out)[1]

	out, _, err = runEval(t, "list", "--json")
	require.NoError(t, err, out)
	var list []evals.Evaluation
	require.NoError(t, json.Unmarshal([]byte(out), &list), out)
	require.Len(t, list, 1)
	assert.Equal(t, "cli-1", list[0].ID)
	assert.Equal(t, evals.StateUp, list[0].State)
	assert.Equal(t, strings.Fields(command)[4], list[0].InstanceID)

	out, _, err = runEval(t, "connect", "cli-1")
	require.NoError(t, err, out)
	assert.Equal(t, command+"\n", out)

	// audit finds the evaluation by the same id in the same backend, here PULUMI_BACKEND_URL.
	loc, err := parseAuditSource(t).locations(context.Background(), []string{"cli-1"})
	require.NoError(t, err)
	assert.Equal(t, strings.Fields(command)[4], loc.InstanceID)
	assert.Equal(t, "us-east-1", loc.Region)

	out, _, err = runEval(t, "down", "cli-1")
	require.NoError(t, err, out)
	assert.Contains(t, out, "\nEvaluation cli-1 removed (stack eval-cli-1).\n")

	out, _, err = runEval(t, "down", "cli-1")
	require.NoError(t, err, out)
	assert.Regexp(t, `^Evaluation cli-1 was already removed \(stack eval-cli-1, \S+\); `+
		`nothing to do\.\n`, out)

	_, code, err := runEval(t, "down", "never-was")
	require.Error(t, err)
	assert.Equal(t, exitFailure, code)
	assert.Contains(t, err.Error(), `no evaluation "never-was" (stack eval-never-was) in backend `+
		e.BackendURL)
}
