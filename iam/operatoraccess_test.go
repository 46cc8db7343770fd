package iam

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
)

func operatorArgs(principals ...OperatorPrincipal) *OperatorAccessArgs {
	return &OperatorAccessArgs{
		Partition: "aws", Region: "us-east-1", AccountID: "123456789012",
		StackTagKey: "crucible-stack", Stack: "dev",
		InstanceArn:        pulumi.String("arn:aws:ec2:us-east-1:123456789012:instance/i-1"),
		InstanceID:         pulumi.String("i-1"),
		SessionDocumentArn: pulumi.String("arn:aws:ssm:us-east-1:123456789012:document/d"),
		KeyArn:             pulumi.String("arn:aws:kms:us-east-1:123456789012:key/k"),
		InstanceRoleName:   pulumi.String("host"),
		RunAsUser:          "crucible-operator",
		Principals:         principals,
	}
}

func TestOperatorAccessArgsRefuseWhatIAMCannotAttach(t *testing.T) {
	assert.NoError(t, operatorArgs(OperatorPrincipal{"role", "Reviewer"},
		OperatorPrincipal{"user", "alice@example.com"}).validate())

	cases := []struct {
		name string
		args *OperatorAccessArgs
		want string
	}{
		{
			"group", operatorArgs(OperatorPrincipal{"group", "evals"}),
			`principal group "evals" is not an IAM role or user name`,
		},
		{
			"path in the name", operatorArgs(OperatorPrincipal{"role", "team/Reviewer"}),
			`principal role "team/Reviewer" is not an IAM role or user name`,
		},
		{
			"twice", operatorArgs(OperatorPrincipal{"user", "alice"}, OperatorPrincipal{"user", "alice"}),
			`principal user "alice" is listed twice`,
		},
		{
			"no key", func() *OperatorAccessArgs { a := operatorArgs(); a.KeyArn = nil; return a }(),
			"InstanceArn, InstanceID, SessionDocumentArn, KeyArn and InstanceRoleName are required",
		},
		{
			"no run-as user", func() *OperatorAccessArgs { a := operatorArgs(); a.RunAsUser = ""; return a }(),
			"the run-as user is required",
		},
		{"short account", func() *OperatorAccessArgs {
			a := operatorArgs()
			a.AccountID = "1234"

			return a
		}(), `AccountID "1234" is not a twelve-digit account id`},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.EqualError(t, tc.args.validate(), tc.want)
		})
	}
}
