package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sealedExport = "../../internal/check/testdata/sealed-stack-export.json"

var (
	checkBinaryOnce sync.Once
	checkBinaryPath string
	checkBinaryErr  error
)

// runCheckBinary runs the built CLI, so exit statuses are the real process's.
func runCheckBinary(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()

	checkBinaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "crucible-check-test")
		if err != nil {
			checkBinaryErr = err
			return
		}

		checkBinaryPath = filepath.Join(dir, "crucible")
		out, err := exec.Command("go", "build", "-o", checkBinaryPath, ".").CombinedOutput()
		if err != nil {
			checkBinaryErr = errors.New(string(out))
		}
	})
	require.NoError(t, checkBinaryErr, "building the CLI")

	var out, errOut bytes.Buffer
	cmd := exec.Command(checkBinaryPath, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut

	err := cmd.Run()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		return out.String(), errOut.String(), exitErr.ExitCode()
	}
	require.NoError(t, err)

	return out.String(), errOut.String(), 0
}

// writeMutatedExport writes the sealed export with one security group opened to the internet.
func writeMutatedExport(t *testing.T) string {
	t.Helper()

	data, err := os.ReadFile(sealedExport)
	require.NoError(t, err)

	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))

	for _, r := range doc["deployment"].(map[string]any)["resources"].([]any) {
		res := r.(map[string]any)
		if res["id"] == "sg-0host000000000001" {
			res["outputs"].(map[string]any)["ingress"] = []any{map[string]any{
				"cidrBlocks": []any{"0.0.0.0/0"}, "fromPort": 22, "toPort": 22, "protocol": "tcp",
			}}
		}
	}

	out, err := json.Marshal(doc)
	require.NoError(t, err)

	path := filepath.Join(t.TempDir(), "opened.json")
	require.NoError(t, os.WriteFile(path, out, 0o600))

	return path
}

func TestCheckStatePassesASealedStack(t *testing.T) {
	stdout, stderr, code := runCheckBinary(t, "check", "--state", sealedExport)

	assert.Equal(t, 0, code, "stderr: %s", stderr)
	assert.Contains(t, stdout, sealedExport+": passed: 24 rules over 9 resources: 0 mandatory, "+
		"1 advisory (1 could not be checked)\n")
}

func TestCheckStateFailsAMandatoryViolationWithStatus1(t *testing.T) {
	stdout, stderr, code := runCheckBinary(t, "check", "--state", writeMutatedExport(t))

	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "mandatory  security-group-no-ingress-from-anywhere")
	assert.Contains(t, stdout, "mandatory  host-security-group-no-ingress")
	assert.Contains(t, stderr, ": 2 mandatory finding(s)\n")
}

func TestCheckPolicyConfigCanLowerARule(t *testing.T) {
	config := filepath.Join(t.TempDir(), "policy-config.json")
	require.NoError(t, os.WriteFile(config, []byte(`{
		"security-group-no-ingress-from-anywhere": "advisory",
		"host-security-group-no-ingress": {"enforcementLevel": "disabled"}
	}`), 0o600))

	stdout, stderr, code := runCheckBinary(t, "check", "--state", writeMutatedExport(t),
		"--policy-config", config, "--json")
	require.Equal(t, 0, code, "stderr: %s", stderr)

	var got struct {
		Passed   bool
		Findings []struct{ Rule, Level string }
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	assert.True(t, got.Passed)
	assert.Equal(t, []struct{ Rule, Level string }{
		{"security-group-no-ingress-from-anywhere", "advisory"},
		{"kms-key-rotation-enabled", "advisory"},
	}, got.Findings)
}

func TestCheckRefusesInvalidInvocationsWithStatus2(t *testing.T) {
	badConfig := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(badConfig, []byte(`{"instance-no-key-pair": "warn"}`), 0o600))

	cases := map[string]struct {
		args []string
		want string
	}{
		"no target": {
			args: []string{"check"},
			want: "crucible: --stack is required, for example --stack dev\n",
		},
		"both targets": {
			args: []string{"check", "--stack", "dev", "--state", sealedExport},
			want: "crucible: --stack and --state exclude each other: check a render or a state " +
				"document\n",
		},
		"two formats": {
			args: []string{"check", "--state", sealedExport, "--json", "--sarif"},
			want: "crucible: --json and --sarif exclude each other\n",
		},
		"a missing state file": {
			args: []string{"check", "--state", "no-such-export.json"},
			want: "crucible: check: --state: open no-such-export.json: no such file or directory\n",
		},
		"a bad policy config": {
			args: []string{"check", "--state", sealedExport, "--policy-config", badConfig},
			want: `crucible: check: policy config "instance-no-key-pair": enforcement level ` +
				`"warn" is not one of advisory, mandatory, disabled` + "\n",
		},
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			stdout, stderr, code := runCheckBinary(t, tc.args...)

			assert.Equal(t, 2, code)
			assert.Equal(t, tc.want, stderr)
			assert.Empty(t, stdout)
		})
	}
}

func TestCheckUnknownStackIsInvalidConfig(t *testing.T) {
	_, stderr, code := runCheckBinary(t, "check", "--stack", "no-such-stack")

	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `stack "no-such-stack"`)
}

func TestCheckStackSARIFPointsAtTheStackFile(t *testing.T) {
	stdout, stderr, code := runCheckBinary(t, "check", "--stack", "dev", "--sarif")

	var report struct {
		Runs []struct {
			AutomationDetails struct{ ID string }
			Results           []struct {
				Level     string
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &report), "stderr: %s", stderr)
	require.Len(t, report.Runs, 1)

	// The test runs in cmd/crucible; the stack file is at the repository root.
	assert.Equal(t, "crucible-check/../../Pulumi.dev.yaml/", report.Runs[0].AutomationDetails.ID)

	errorResults := 0
	for _, r := range report.Runs[0].Results {
		assert.Equal(t, "../../Pulumi.dev.yaml", r.Locations[0].PhysicalLocation.ArtifactLocation.URI)
		if r.Level == "error" {
			errorResults++
		}
	}

	wantCode := 0
	if errorResults > 0 {
		wantCode = 1
	}
	assert.Equal(t, wantCode, code, "the exit status must agree with the findings; stderr: %s", stderr)
}
