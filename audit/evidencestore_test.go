package audit

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlatformKeyPolicyNamesTheHostPathNotARole(t *testing.T) {
	doc := KeyPolicy(KeyPolicyParams{
		Partition: "aws-us-gov", DNSSuffix: "amazonaws.com", Region: "us-gov-west-1",
		AccountID: "123456789012", Stack: "platform", HostRolePath: HostRolePath,
	})

	require.Len(t, doc.Statement, 3)
	host := doc.Statement[1]
	assert.Equal(t, "HostRolesUnderThePathEncryptSessionsAndTranscripts", host.Sid)
	assert.Equal(t, map[string]any{"AWS": "arn:aws-us-gov:iam::123456789012:root"}, host.Principal)
	assert.Equal(t, []string{"kms:Decrypt", "kms:GenerateDataKey"}, host.Action)
	assert.Equal(t, map[string]map[string]any{"ArnLike": {
		"aws:PrincipalArn": "arn:aws-us-gov:iam::123456789012:role/crucible/hosts/*",
	}}, host.Condition)
}

func TestHostSessionsArgsNameWhatIsMissing(t *testing.T) {
	valid := func() *HostSessionsArgs {
		return &HostSessionsArgs{
			Partition: "aws", Region: "us-east-1", AccountID: "123456789012", Stack: "eval-1",
			BucketName: "crucible-audit-platform-123456789012-us-east-1",
			KeyArn:     "arn:aws:kms:us-east-1:123456789012:key/k", LogGroupName: "/crucible/p/sessions",
			InstanceRoleName: pulumi.String("role"), InstanceID: pulumi.String("i-0"),
			RunAsUser: "crucible-operator",
		}
	}

	_, err := valid().sessionArgs()
	require.NoError(t, err)

	cases := map[string]struct {
		change func(a *HostSessionsArgs)
		want   string
	}{
		"no bucket": {
			func(a *HostSessionsArgs) { a.BucketName = "" },
			"the platform's BucketName, KeyArn and LogGroupName are required",
		},
		"bad account": {
			func(a *HostSessionsArgs) { a.AccountID = "12" },
			`AccountID "12" is not a twelve-digit account id`,
		},
		"no host": {
			func(a *HostSessionsArgs) { a.InstanceID = nil },
			"InstanceRoleName and InstanceID are required",
		},
		"bad user": {
			func(a *HostSessionsArgs) { a.RunAsUser = "Root User" },
			`RunAsUser "Root User" is not a Linux user name`,
		},
	}

	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			a := valid()
			c.change(a)

			_, err := a.sessionArgs()
			require.EqualError(t, err, c.want)
		})
	}
}
