package sandbox

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/settings"
)

// warnWeakenings says out loud each choice of the stack that weakens isolation or evidence.
func warnWeakenings(ctx *pulumi.Context, s *settings.Settings) {
	if s.EnableNat {
		_ = ctx.Log.Warn("enableNat is true: the host can reach the internet on its egress ports "+
			"through a NAT gateway; set crucible:enableNat false for full isolation", nil)
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

// checkPrincipalAccounts refuses operator principals outside the stack's account: the policy can
// only be attached to roles and users of the account it lives in.
func checkPrincipalAccounts(principals []settings.Principal, account string) error {
	var problems []error

	for i, p := range principals {
		if p.AccountID != account {
			problems = append(problems, fmt.Errorf("%s:operatorPrincipals[%d]: %q is in account "+
				"%s, but the stack deploys to account %s; list roles and users of that account",
				settings.Namespace, i, p.Arn, p.AccountID, account))
		}
	}

	if len(problems) > 0 {
		return &settings.Error{Problems: problems}
	}

	return nil
}

// operatorPrincipals converts the configured principals to the component's arguments.
func operatorPrincipals(principals []settings.Principal) []iam.OperatorPrincipal {
	out := make([]iam.OperatorPrincipal, 0, len(principals))
	for _, p := range principals {
		out = append(out, iam.OperatorPrincipal{Kind: p.Kind, Name: p.Name})
	}

	return out
}
