package sandbox

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/compute"
	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/settings"
)

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

// newOperatorAccess builds the operators' policy for the host: one definition for standalone and
// evaluation stacks, which differ only in where the session document and the key come from.
func newOperatorAccess(
	ctx *pulumi.Context, name string, s *settings.Settings, acct account, host *compute.Host,
	role *iam.InstanceRole, documentArn, keyArn pulumi.StringInput,
) (*iam.OperatorAccess, error) {
	return iam.NewOperatorAccess(ctx, name+"-operators", &iam.OperatorAccessArgs{
		Partition:          acct.partition.Partition,
		Region:             s.Region,
		AccountID:          acct.caller.AccountId,
		StackTagKey:        settings.StackTag,
		Stack:              s.Stack,
		InstanceArn:        host.InstanceArn,
		InstanceID:         host.InstanceID,
		SessionDocumentArn: documentArn,
		KeyArn:             keyArn,
		InstanceRoleName:   role.RoleName,
		Principals:         operatorPrincipals(s.Audit.OperatorPrincipals),
		RunAsUser:          s.Audit.RunAsUser,
		Revoked:            s.Audit.AccessRevoked,
		Tags:               s.ResourceTags(),
	})
}
