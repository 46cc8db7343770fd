package audit

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validArgs() *SessionAuditArgs {
	return &SessionAuditArgs{
		Partition: "aws", DNSSuffix: "amazonaws.com", Region: "us-east-1",
		AccountID: "123456789012", Stack: "dev",
		InstanceRoleName: pulumi.String("host"),
		InstanceRoleArn:  pulumi.String("arn:aws:iam::123456789012:role/host"),
		InstanceID:       pulumi.String("i-0123456789abcdef0"),
		RunAsUser:        "crucible-operator",
	}
}

func TestSessionAuditArgsDefaultToAYearAndShortSessions(t *testing.T) {
	a := validArgs()
	require.NoError(t, a.validate())

	assert.Equal(t, 365, a.RetentionDays)
	assert.Equal(t, 20, a.IdleTimeoutMinutes)
	assert.Equal(t, 60, a.MaxDurationMinutes)
	assert.Equal(t, 0, a.TransitionDays)
	assert.Equal(t, 0, a.ObjectLockDays)
	assert.False(t, a.DeleteEvidenceOnDestroy, "evidence is retained unless the caller says so")
}

func TestSessionAuditArgsRefuseValuesAWSRejects(t *testing.T) {
	cases := []struct {
		name   string
		change func(a *SessionAuditArgs)
		want   string
	}{
		{
			"no account", func(a *SessionAuditArgs) { a.AccountID = "" },
			`AccountID "" is not a twelve-digit account id`,
		},
		{
			"no role", func(a *SessionAuditArgs) { a.InstanceRoleArn = nil },
			"InstanceRoleName, InstanceRoleArn and InstanceID are required",
		},
		{
			"retention", func(a *SessionAuditArgs) { a.RetentionDays = 364 },
			"RetentionDays 364 is not a CloudWatch Logs retention",
		},
		{
			"transition", func(a *SessionAuditArgs) { a.TransitionDays = 365 },
			"TransitionDays 365 is not 0 to RetentionDays-1",
		},
		{
			"object lock", func(a *SessionAuditArgs) { a.ObjectLockDays = 366 },
			"ObjectLockDays 366 is not 0 to RetentionDays",
		},
		{
			"idle", func(a *SessionAuditArgs) { a.IdleTimeoutMinutes = 61 },
			"IdleTimeoutMinutes 61 is not 1 to 60",
		},
		{
			"duration", func(a *SessionAuditArgs) { a.MaxDurationMinutes = 1441 },
			"MaxDurationMinutes 1441 is not 1 to 1440",
		},
		{
			"user", func(a *SessionAuditArgs) { a.RunAsUser = "Root" },
			`RunAsUser "Root" is not a Linux user name`,
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := validArgs()
			tc.change(a)
			assert.EqualError(t, a.validate(), tc.want)
		})
	}
}
