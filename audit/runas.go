package audit

import (
	"fmt"
	"strings"
)

// SudoersFile is where the run-as user's sudo rule lives when sudo is asked for; the boot script
// removes it otherwise.
const SudoersFile = "/etc/sudoers.d/90-crucible-run-as"

// RunAsUserData is the host's first-boot script: it creates the Linux user every session runs as,
// with a locked password and a login shell, and gives it passwordless sudo only when sudo is
// true. The user name must already be valid (settings checks it); it is quoted anyway.
func RunAsUserData(user string, sudo bool) string {
	var b strings.Builder

	fmt.Fprintf(&b, `#!/bin/bash
# Crucible: the Linux user Session Manager runs every session as (runAsDefaultUser).
set -euo pipefail

user=%s
if ! id -u "$user" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash --comment "Crucible session user" "$user"
fi
usermod --lock "$user"
`, shellQuote(user))

	if !sudo {
		fmt.Fprintf(&b, "rm -f %s\n", SudoersFile)

		return b.String()
	}

	fmt.Fprintf(&b, `printf '%%s ALL=(ALL) NOPASSWD:ALL\n' "$user" > %[1]s.tmp
chmod 0440 %[1]s.tmp
visudo -cf %[1]s.tmp
mv %[1]s.tmp %[1]s
`, SudoersFile)

	return b.String()
}

// shellQuote quotes a word for bash.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
