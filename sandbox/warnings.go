package sandbox

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/settings"
)

// warnWeakenings says out loud, at deploy time, each choice that weakens isolation or evidence.
func warnWeakenings(ctx *pulumi.Context, s *settings.Settings) {
	for _, w := range Warnings(s) {
		_ = ctx.Log.Warn(w, nil)
	}
}

// Warnings lists each choice of the stack that weakens isolation or evidence, one sentence
// each naming the key; the offline render shows the same list the deploy prints.
func Warnings(s *settings.Settings) []string {
	warnings := containmentWeakenings(s)

	if s.Audit.Sudo {
		warnings = append(warnings, "sessionSudo is true: sessions run as "+s.Audit.RunAsUser+
			" with passwordless sudo and can change the host's own logging; set "+
			"crucible:sessionSudo false to keep sessions unprivileged")
	}

	if !s.Audit.RetainOnDestroy {
		warnings = append(warnings, "auditRetainOnDestroy is false: destroying the stack "+
			"deletes its session log group and schedules its key for deletion, and with it the "+
			"evidence")
	}

	return warnings
}
