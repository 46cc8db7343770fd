package sandbox

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/settings"
)

// warnWeakenings says out loud each choice of the stack that weakens isolation or evidence.
func warnWeakenings(ctx *pulumi.Context, s *settings.Settings) {
	for _, w := range containmentWeakenings(s) {
		_ = ctx.Log.Warn(w, nil)
	}

	if s.Audit.Sudo {
		_ = ctx.Log.Warn("sessionSudo is true: sessions run as "+s.Audit.RunAsUser+" with "+
			"passwordless sudo and can change the host's own logging; set crucible:sessionSudo "+
			"false to keep sessions unprivileged", nil)
	}

	if !s.Audit.RetainOnDestroy {
		_ = ctx.Log.Warn("auditRetainOnDestroy is false: destroying the stack deletes its "+
			"session log group and schedules its key for deletion, and with it the evidence", nil)
	}
}
