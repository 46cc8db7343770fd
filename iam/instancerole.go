package iam

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
)

// ManagedInstanceCorePolicy is AWS's managed policy for the Session Manager agent, by name; the
// ARN is built with the partition so the program works outside the commercial partition too.
const ManagedInstanceCorePolicy = "AmazonSSMManagedInstanceCore"

// InstanceRoleArgs configure an InstanceRole component.
type InstanceRoleArgs struct {
	// Partition is the AWS partition ("aws", "aws-cn", "aws-us-gov") the managed policy lives
	// in. Required.
	Partition string
	// Path is the role's IAM path, such as "/crucible/hosts/": a key policy can grant every
	// role under it before the roles exist. Default: "/", AWS's own default.
	Path string
	// Tags are merged into the role and the profile. Default: none.
	Tags map[string]string
}

// InstanceRole is the host's identity: a role only EC2 can assume, with the Session Manager
// agent's permissions, and the instance profile that carries it.
type InstanceRole struct {
	pulumi.ResourceState

	// RoleName and RoleArn identify the role.
	RoleName pulumi.StringOutput
	RoleArn  pulumi.StringOutput
	// ProfileName and ProfileArn identify the instance profile the host uses.
	ProfileName pulumi.StringOutput
	ProfileArn  pulumi.StringOutput
}

// TrustPolicy is the role's trust policy: the EC2 service, nothing else.
func TrustPolicy() PolicyDocument {
	return NewPolicyDocument(Statement{
		Sid:       "Ec2AssumesTheHostRole",
		Effect:    "Allow",
		Principal: map[string]any{"Service": "ec2.amazonaws.com"},
		Action:    []string{"sts:AssumeRole"},
	})
}

// NewInstanceRole builds the role, attaches the agent's managed policy and wraps it in a profile.
func NewInstanceRole(
	ctx *pulumi.Context, name string, args *InstanceRoleArgs, opts ...pulumi.ResourceOption,
) (*InstanceRole, error) {
	if args == nil || args.Partition == "" {
		return nil, fmt.Errorf("iam: instance role %q: Partition is required", name)
	}

	trust, err := TrustPolicy().JSON()
	if err != nil {
		return nil, fmt.Errorf("iam: instance role %q: trust policy: %w", name, err)
	}

	c := &InstanceRole{}
	if err := ctx.RegisterComponentResource("crucible:iam:InstanceRole", name, c, opts...); err != nil {
		return nil, fmt.Errorf("iam: instance role %q: %w", name, err)
	}

	parent := pulumi.Parent(c)

	roleArgs := &iam.RoleArgs{
		Description:      pulumi.String("Sandbox host: Session Manager agent only"),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             tags.Named(args.Tags, name+"-role"),
	}
	if args.Path != "" {
		roleArgs.Path = pulumi.String(args.Path)
	}

	role, err := iam.NewRole(ctx, name+"-role", roleArgs, parent)
	if err != nil {
		return nil, fmt.Errorf("iam: instance role %q: role: %w", name, err)
	}

	if _, err := iam.NewRolePolicyAttachment(ctx, name+"-ssm-core", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(ManagedPolicyArn(args.Partition, ManagedInstanceCorePolicy)),
	}, parent); err != nil {
		return nil, fmt.Errorf("iam: instance role %q: managed policy: %w", name, err)
	}

	profile, err := iam.NewInstanceProfile(ctx, name+"-profile", &iam.InstanceProfileArgs{
		Role: role.Name,
		Tags: tags.Named(args.Tags, name+"-profile"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("iam: instance role %q: instance profile: %w", name, err)
	}

	c.RoleName = role.Name
	c.RoleArn = role.Arn
	c.ProfileName = profile.Name
	c.ProfileArn = profile.Arn

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"roleName":    c.RoleName,
		"roleArn":     c.RoleArn,
		"profileName": c.ProfileName,
		"profileArn":  c.ProfileArn,
	}); err != nil {
		return nil, fmt.Errorf("iam: instance role %q: %w", name, err)
	}

	return c, nil
}

// ManagedPolicyArn is the ARN of an AWS managed policy in a partition.
func ManagedPolicyArn(partition, policy string) string {
	return "arn:" + partition + ":iam::aws:policy/" + policy
}
