package iam

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
	"github.com/crucible-sandbox/crucible/settings"
)

// OperatorPrincipal is an IAM role or user of the stack's account that gets the operator policy.
type OperatorPrincipal struct {
	// Kind is "role" or "user".
	Kind string
	// Name is the role or user name, without its path.
	Name string
}

// OperatorAccessArgs configure an OperatorAccess component.
type OperatorAccessArgs struct {
	// Partition, Region and AccountID place the ARNs the policy names. Required.
	Partition, Region, AccountID string
	// StackTagKey and Stack are the tag the host carries and its value; the policy only
	// reaches a host with that tag. Required.
	StackTagKey, Stack string

	// InstanceArn and InstanceID name the host. Required.
	InstanceArn pulumi.StringInput
	InstanceID  pulumi.StringInput
	// SessionDocumentArn is the logged session document, the only one operators may use.
	// Required.
	SessionDocumentArn pulumi.StringInput
	// KeyArn is the key that encrypts session data; operators generate data keys with it.
	// Required.
	KeyArn pulumi.StringInput
	// InstanceRoleName is the host's role; revocation denies it the session channels. Required.
	InstanceRoleName pulumi.StringInput

	// Principals get the policy attached. Default: none; attach it by hand or by group.
	Principals []OperatorPrincipal
	// RunAsUser is the Linux user the stack's session document runs sessions as; the policy
	// refuses principals tagged SSMSessionRunAs with any other user, since Session Manager would
	// prefer the tag. Required.
	RunAsUser string
	// Revoked denies every session on the host, to operators and to everyone else. Default
	// false.
	Revoked bool

	// Tags are merged into the policy's tags. Default: none.
	Tags map[string]string
}

func (a *OperatorAccessArgs) validate() error {
	if a.Partition == "" || a.Region == "" || a.StackTagKey == "" || a.Stack == "" {
		return errors.New("the partition, region, stack tag key and stack are required")
	}

	if !settings.AccountIDPattern.MatchString(a.AccountID) {
		return fmt.Errorf("AccountID %q is not a twelve-digit account id", a.AccountID)
	}

	if a.RunAsUser == "" {
		return errors.New("the run-as user is required")
	}

	if a.InstanceArn == nil || a.InstanceID == nil || a.SessionDocumentArn == nil ||
		a.KeyArn == nil || a.InstanceRoleName == nil {
		return fmt.Errorf("InstanceArn, InstanceID, SessionDocumentArn, KeyArn and " +
			"InstanceRoleName are required")
	}

	seen := map[OperatorPrincipal]bool{}
	for _, p := range a.Principals {
		if (p.Kind != "role" && p.Kind != "user") || !settings.IAMNamePattern.MatchString(p.Name) {
			return fmt.Errorf("principal %s %q is not an IAM role or user name", p.Kind, p.Name)
		}

		if seen[p] {
			return fmt.Errorf("principal %s %q is listed twice", p.Kind, p.Name)
		}

		seen[p] = true
	}

	return nil
}

// OperatorAccess is the operator policy, its attachments, and, while access is revoked, the
// host's deny of every session channel.
type OperatorAccess struct {
	pulumi.ResourceState

	// PolicyArn and PolicyName identify the customer-managed operator policy.
	PolicyArn  pulumi.StringOutput
	PolicyName pulumi.StringOutput
}

// NewOperatorAccess builds the operator policy and attaches it. Arguments are validated before
// anything is registered.
func NewOperatorAccess(
	ctx *pulumi.Context, name string, args *OperatorAccessArgs, opts ...pulumi.ResourceOption,
) (*OperatorAccess, error) {
	if args == nil {
		return nil, fmt.Errorf("iam: operator access %q: args are required", name)
	}

	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("iam: operator access %q: %w", name, err)
	}

	c := &OperatorAccess{}
	err := ctx.RegisterComponentResource("crucible:iam:OperatorAccess", name, c, opts...)
	if err != nil {
		return nil, fmt.Errorf("iam: operator access %q: %w", name, err)
	}

	if err := c.build(ctx, name, args); err != nil {
		return nil, fmt.Errorf("iam: operator access %q: %w", name, err)
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"policyArn":  c.PolicyArn,
		"policyName": c.PolicyName,
	}); err != nil {
		return nil, fmt.Errorf("iam: operator access %q: %w", name, err)
	}

	return c, nil
}

// OperatorPolicyName is the operator policy's name in IAM: per stack, so one person can hold the
// policies of several stacks.
func OperatorPolicyName(stack string) string {
	return "crucible-" + stack + "-operator"
}

func (c *OperatorAccess) build(ctx *pulumi.Context, name string, args *OperatorAccessArgs) error {
	parent := pulumi.Parent(c)

	document := pulumi.All(args.InstanceArn, args.InstanceID, args.SessionDocumentArn, args.KeyArn).
		ApplyT(func(v []any) (string, error) {
			return OperatorPolicy(OperatorPolicyParams{
				Partition: args.Partition, Region: args.Region, AccountID: args.AccountID,
				StackTagKey: args.StackTagKey, Stack: args.Stack,
				InstanceArn: v[0].(string), InstanceID: v[1].(string),
				DocumentArn: v[2].(string), KeyArn: v[3].(string),
				RunAsUser: args.RunAsUser, Revoked: args.Revoked,
			}).JSON()
		}).(pulumi.StringOutput)

	policyTags := tags.Named(args.Tags, name+"-policy")
	policyTags[OperatorRoleTag] = pulumi.String(OperatorRoleValue)

	policy, err := iam.NewPolicy(ctx, name+"-policy", &iam.PolicyArgs{
		Name: pulumi.String(OperatorPolicyName(args.Stack)),
		Description: pulumi.String("Crucible " + args.Stack + ": MFA-only, logged Session " +
			"Manager access to the sandbox host"),
		Policy: document,
		Tags:   policyTags,
	}, parent)
	if err != nil {
		return fmt.Errorf("operator policy: %w", err)
	}

	c.PolicyArn = policy.Arn
	c.PolicyName = policy.Name

	if err := attach(ctx, name, args.Principals, policy.Arn, parent); err != nil {
		return err
	}

	if !args.Revoked {
		return nil
	}

	revoke, err := HostRevocationPolicy().JSON()
	if err != nil {
		return fmt.Errorf("host revocation policy: %w", err)
	}

	if _, err := iam.NewRolePolicy(ctx, name+"-host-revoked", &iam.RolePolicyArgs{
		Name:   pulumi.String("crucible-session-access-revoked"),
		Role:   args.InstanceRoleName,
		Policy: pulumi.String(revoke),
	}, parent); err != nil {
		return fmt.Errorf("host revocation policy: %w", err)
	}

	return nil
}

// attach attaches the policy to every principal. Each attachment is named after its principal,
// so adding or removing one principal leaves the others untouched.
func attach(ctx *pulumi.Context, name string, principals []OperatorPrincipal,
	policyArn pulumi.StringOutput, parent pulumi.ResourceOption,
) error {
	for _, p := range principals {
		resName := name + "-" + p.Kind + "-" + p.Name

		var err error
		if p.Kind == "role" {
			_, err = iam.NewRolePolicyAttachment(ctx, resName, &iam.RolePolicyAttachmentArgs{
				Role: pulumi.String(p.Name), PolicyArn: policyArn,
			}, parent)
		} else {
			_, err = iam.NewUserPolicyAttachment(ctx, resName, &iam.UserPolicyAttachmentArgs{
				User: pulumi.String(p.Name), PolicyArn: policyArn,
			}, parent)
		}

		if err != nil {
			return fmt.Errorf("operator policy attachment to %s %s: %w", p.Kind, p.Name, err)
		}
	}

	return nil
}
