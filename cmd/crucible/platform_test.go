package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An evaluation stack renders and passes the checks against the outputs the platform's own
// render prints, the way an operator does it offline.
func TestCheckPassesAnEvaluationAgainstThePlatformsRenderedOutputs(t *testing.T) {
	outputs, stderr, code := runCheckBinary(t, "render", "--stack", "dev", "--cwd", "../..",
		"--config", "role=platform", "--outputs-json")
	require.Equal(t, 0, code, "stderr: %s", stderr)

	path := filepath.Join(t.TempDir(), "platform.json")
	require.NoError(t, os.WriteFile(path, []byte(outputs), 0o600))

	stdout, stderr, code := runCheckBinary(t, "check", "--stack", "dev", "--cwd", "../..",
		"--config", "role=platform")
	assert.Equal(t, 0, code, "stderr: %s", stderr)
	assert.Equal(t, "\nstack dev: passed: 24 rules over 52 resources: 0 mandatory, 0 advisory "+
		"(0 could not be checked)\n", stdout)

	stdout, stderr, code = runCheckBinary(t, "check", "--stack", "dev", "--cwd", "../..",
		"--config", "role=evaluation", "--config", "platformStack=org/crucible/dev",
		"--platform-outputs", path)
	assert.Equal(t, 0, code, "stderr: %s", stderr)
	assert.Equal(t, "\nstack dev: passed: 24 rules over 16 resources: 0 mandatory, 0 advisory "+
		"(0 could not be checked)\n", stdout)
}

func TestEvaluationWithoutPlatformOutputsIsInvalidConfig(t *testing.T) {
	_, stderr, code := runCheckBinary(t, "render", "--stack", "dev", "--cwd", "../..",
		"--config", "role=evaluation", "--config", "platformStack=org/crucible/dev")

	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "stack dev has crucible:role evaluation and reads its platform "+
		"stack's outputs: render the platform stack with --outputs-json > platform.json and "+
		"pass --platform-outputs platform.json")
}
