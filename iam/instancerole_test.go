package iam_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
)

func TestInstanceRoleIsAssumableByEC2Only(t *testing.T) {
	program := func(ctx *pulumi.Context) error {
		_, err := iam.NewInstanceRole(ctx, "host", &iam.InstanceRoleArgs{Partition: "aws"})

		return err
	}
	res := rendertest.RenderConfig(t, rendertest.Config(t), render.WithProgram(program))

	role := rendertest.One(t, res, "aws:iam/role:Role", "host-role")
	assert.Equal(t, map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid":       "Ec2AssumesTheHostRole",
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "ec2.amazonaws.com"},
			"Action":    []any{"sts:AssumeRole"},
		}},
	}, rendertest.JSONDoc(t, role, "assumeRolePolicy"))

	attach := rendertest.One(t, res, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "host-ssm-core")
	assert.Equal(t, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", attach.Get("policyArn"))
	assert.Equal(t, role.Get("name"), attach.Get("role"))

	profile := rendertest.One(t, res, "aws:iam/instanceProfile:InstanceProfile", "host-profile")
	assert.Equal(t, role.Get("name"), profile.Get("role"))

	comp := rendertest.One(t, res, "crucible:iam:InstanceRole", "host")
	for _, r := range []*render.Resource{role, attach, profile} {
		assert.Equal(t, comp.URN, r.Parent)
	}
}

func TestManagedPolicyArnFollowsThePartition(t *testing.T) {
	assert.Equal(t, "arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore",
		iam.ManagedPolicyArn("aws-us-gov", iam.ManagedInstanceCorePolicy))
}
