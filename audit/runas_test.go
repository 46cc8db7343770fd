package audit

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const runAsWithoutSudo = `#!/bin/bash
# Crucible: the Linux user Session Manager runs every session as (runAsDefaultUser).
set -euo pipefail

user='crucible-operator'
if ! id -u "$user" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash --comment "Crucible session user" "$user"
fi
usermod --lock "$user"
rm -f /etc/sudoers.d/90-crucible-run-as
`

func TestRunAsUserDataCreatesALockedUserWithoutSudo(t *testing.T) {
	assert.Equal(t, runAsWithoutSudo, RunAsUserData("crucible-operator", false))
}

func TestRunAsUserDataGrantsSudoOnlyWhenAsked(t *testing.T) {
	want := runAsWithoutSudo[:len(runAsWithoutSudo)-len("rm -f /etc/sudoers.d/90-crucible-run-as\n")] +
		`printf '%s ALL=(ALL) NOPASSWD:ALL\n' "$user" > /etc/sudoers.d/90-crucible-run-as.tmp
chmod 0440 /etc/sudoers.d/90-crucible-run-as.tmp
visudo -cf /etc/sudoers.d/90-crucible-run-as.tmp
mv /etc/sudoers.d/90-crucible-run-as.tmp /etc/sudoers.d/90-crucible-run-as
`

	assert.Equal(t, want, RunAsUserData("crucible-operator", true))
}

func TestRunAsUserDataIsValidBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	require.NoError(t, err, "bash is needed to check the boot script's syntax")

	for _, sudo := range []bool{false, true} {
		script := filepath.Join(t.TempDir(), "user-data.sh")
		require.NoError(t, os.WriteFile(script, []byte(RunAsUserData("evaluator", sudo)), 0o600))

		out, err := exec.Command(bash, "-n", script).CombinedOutput()
		assert.NoError(t, err, "sudo=%v: bash -n: %s", sudo, out)
	}
}

// TestRunAsUserDataRunsAgainstStubbedTools runs the script with id, useradd, usermod and rm
// replaced by recorders, so the commands it issues are checked, not just its text: a user that
// exists is not created twice, and its password is locked either way.
func TestRunAsUserDataRunsAgainstStubbedTools(t *testing.T) {
	bash, err := exec.LookPath("bash")
	require.NoError(t, err)

	cases := []struct {
		name   string
		exists bool
		want   string
	}{
		{"new user", false, "id -u evaluator\nuseradd --create-home --shell /bin/bash " +
			"--comment Crucible session user evaluator\nusermod --lock evaluator\n" +
			"rm -f /etc/sudoers.d/90-crucible-run-as\n"},
		{"existing user", true, "id -u evaluator\nusermod --lock evaluator\n" +
			"rm -f /etc/sudoers.d/90-crucible-run-as\n"},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			log := filepath.Join(dir, "calls")

			idExit := "1"
			if tc.exists {
				idExit = "0"
			}

			stubs := map[string]string{
				"id":      `echo "id $*" >> "$CALLS"; exit ` + idExit,
				"useradd": `echo "useradd $*" >> "$CALLS"`,
				"usermod": `echo "usermod $*" >> "$CALLS"`,
				"rm":      `echo "rm $*" >> "$CALLS"`,
			}
			for name, body := range stubs {
				require.NoError(t, os.WriteFile(filepath.Join(dir, name),
					[]byte("#!/bin/bash\n"+body+"\n"), 0o700))
			}

			cmd := exec.Command(bash, "-c", RunAsUserData("evaluator", false))
			cmd.Env = []string{"PATH=" + dir, "CALLS=" + log}
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)

			calls, err := os.ReadFile(log)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(calls))
		})
	}
}
