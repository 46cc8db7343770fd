package iam_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
)

// guardStatements are the four statements of the guard in eu-west-1, with extra document ARNs.
func guardStatements(documents string) string {
	return `[
		{
			"Sid": "DenyCredentialsUsedOutsideTheirVpc",
			"Effect": "Deny",
			"Action": ["*"],
			"Resource": ["*"],
			"Condition": {
				"StringNotEquals": {"aws:Ec2InstanceSourceVpc": "${aws:SourceVpc}"},
				"Null": {"ec2:SourceInstanceARN": "false"},
				"BoolIfExists": {"aws:ViaAWSService": "false"}
			}
		},
		{
			"Sid": "DenyCredentialsUsedOffTheirInstance",
			"Effect": "Deny",
			"Action": ["*"],
			"Resource": ["*"],
			"Condition": {
				"StringNotEquals": {"aws:Ec2InstanceSourcePrivateIPv4": "${aws:VpcSourceIp}"},
				"Null": {"ec2:SourceInstanceARN": "false"},
				"BoolIfExists": {"aws:ViaAWSService": "false"}
			}
		},
		{
			"Sid": "DenyParametersOutsideAwsPublicNamespace",
			"Effect": "Deny",
			"Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
				"ssm:GetParameterHistory"],
			"NotResource": ["arn:aws:ssm:eu-west-1::parameter/aws/*"]
		},
		{
			"Sid": "DenyDocumentsNotOwnedByAwsOrThisStack",
			"Effect": "Deny",
			"Action": ["ssm:GetDocument", "ssm:DescribeDocument"],
			"NotResource": ["arn:aws:ssm:eu-west-1::document/*"` + documents + `]
		}
	]`
}

func TestCredentialGuardIsAWSsDocumentedPatternExactly(t *testing.T) {
	doc, err := iam.CredentialGuardPolicy("aws", "eu-west-1").JSON()
	require.NoError(t, err)

	assert.JSONEq(t, `{"Version": "2012-10-17", "Statement": `+guardStatements("")+`}`, doc,
		"copied credentials fail outside the VPC and off the instance; AWS services acting for "+
			"the host are exempt; account-wide parameter and document reads are cut back")
}

func TestCredentialGuardIsAttachedToTheRoleWithTheStacksDocuments(t *testing.T) {
	program := func(ctx *pulumi.Context) error {
		_, err := iam.NewCredentialGuard(ctx, "guard", &iam.CredentialGuardArgs{
			RoleName:  pulumi.String("sandbox-host-role-1234567"),
			Partition: "aws",
			Region:    "eu-west-1",
			DocumentArns: pulumi.StringArray{
				pulumi.String("arn:aws:ssm:eu-west-1:123456789012:document/crucible-dev-sessions"),
			},
		})

		return err
	}

	res := rendertest.RenderConfig(t, rendertest.Config(t, "aws:region=eu-west-1"),
		render.WithProgram(program))
	policy := rendertest.One(t, res, "aws:iam/rolePolicy:RolePolicy", "guard-policy")
	comp := rendertest.One(t, res, "crucible:iam:CredentialGuard", "guard")

	assert.Equal(t, "sandbox-host-role-1234567", policy.Get("role"))
	assert.Equal(t, comp.URN, policy.Parent)
	assert.JSONEq(t, `{"Version": "2012-10-17", "Statement": `+guardStatements(
		`, "arn:aws:ssm:eu-west-1:123456789012:document/crucible-dev-sessions"`)+`}`,
		policy.String("policy"))
}

func TestCredentialGuardNeedsItsRoleAndRegion(t *testing.T) {
	cases := map[string]*iam.CredentialGuardArgs{
		"no args":   nil,
		"no role":   {Partition: "aws", Region: "eu-west-1"},
		"no region": {RoleName: pulumi.String("r"), Partition: "aws"},
	}

	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := render.Render(rendertest.Config(t), render.WithProgram(
				func(ctx *pulumi.Context) error {
					_, err := iam.NewCredentialGuard(ctx, "guard", args)

					return err
				}))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `iam: credential guard "guard": RoleName, Partition and Region`)
			assert.Len(t, res.Resources, 1, "nothing may be registered")
		})
	}
}
