package iam

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Condition keys of the EC2 instance credential guard, spelled as the IAM User Guide spells them.
// Every credential EC2 delivers to an instance carries the VPC and the primary private address
// of that instance; a request that arrives through a VPC endpoint carries the VPC and address it
// came from. Comparing the two pairs tells a request from the host apart from one made with
// credentials copied off it.
const (
	KeyEc2InstanceSourceVpc         = "aws:Ec2InstanceSourceVpc"
	KeyEc2InstanceSourcePrivateIPv4 = "aws:Ec2InstanceSourcePrivateIPv4"
	KeySourceVpc                    = "aws:SourceVpc"
	KeyVpcSourceIP                  = "aws:VpcSourceIp"
	KeySourceInstanceARN            = "ec2:SourceInstanceARN"
	KeyViaAWSService                = "aws:ViaAWSService"
)

// ParameterReadActions are the Parameter Store reads; AmazonSSMManagedInstanceCore grants the
// first two on every parameter of the account, SecureStrings under the default key included.
var ParameterReadActions = []string{
	"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory",
}

// DocumentReadActions are the document reads AmazonSSMManagedInstanceCore grants on every
// document of the account.
var DocumentReadActions = []string{"ssm:GetDocument", "ssm:DescribeDocument"}

// AwsPublicParametersArn is AWS's public parameter namespace in a region (/aws/service/...,
// /aws/reference/...): AWS-owned parameters have no account in their ARN.
func AwsPublicParametersArn(partition, region string) string {
	return "arn:" + partition + ":ssm:" + region + "::parameter/aws/*"
}

// AwsOwnedDocumentsArn covers the documents AWS owns in a region, such as AWS-RunShellScript.
func AwsOwnedDocumentsArn(partition, region string) string {
	return "arn:" + partition + ":ssm:" + region + "::document/*"
}

// CredentialGuardPolicy is the host role's guard: its credentials work only from the host, and
// the account-wide reads that AmazonSSMManagedInstanceCore grants are cut back to what AWS owns
// plus the documents named (the stack's session document).
//
// The first two statements are the pattern the IAM User Guide documents for
// aws:Ec2InstanceSourceVpc and aws:Ec2InstanceSourcePrivateIPv4. A request that does not arrive
// through a VPC endpoint has no aws:SourceVpc, so it is denied too: every AWS API the host uses
// must be reached through an endpoint. The aws:ViaAWSService exception lets services act for the
// host (S3 calling KMS to encrypt a transcript); the ec2:SourceInstanceARN test confines the
// deny to credentials that EC2 delivered to an instance.
func CredentialGuardPolicy(partition, region string, documentArns ...string) PolicyDocument {
	instanceCredentials := map[string]any{KeySourceInstanceARN: "false"}
	notViaService := map[string]any{KeyViaAWSService: "false"}

	return NewPolicyDocument(
		Statement{
			Sid:      "DenyCredentialsUsedOutsideTheirVpc",
			Effect:   "Deny",
			Action:   []string{"*"},
			Resource: []string{"*"},
			Condition: map[string]map[string]any{
				"StringNotEquals": {KeyEc2InstanceSourceVpc: "${" + KeySourceVpc + "}"},
				"Null":            instanceCredentials,
				"BoolIfExists":    notViaService,
			},
		},
		Statement{
			Sid:      "DenyCredentialsUsedOffTheirInstance",
			Effect:   "Deny",
			Action:   []string{"*"},
			Resource: []string{"*"},
			Condition: map[string]map[string]any{
				"StringNotEquals": {KeyEc2InstanceSourcePrivateIPv4: "${" + KeyVpcSourceIP + "}"},
				"Null":            instanceCredentials,
				"BoolIfExists":    notViaService,
			},
		},
		Statement{
			Sid:         "DenyParametersOutsideAwsPublicNamespace",
			Effect:      "Deny",
			Action:      ParameterReadActions,
			NotResource: []string{AwsPublicParametersArn(partition, region)},
		},
		Statement{
			Sid:         "DenyDocumentsNotOwnedByAwsOrThisStack",
			Effect:      "Deny",
			Action:      DocumentReadActions,
			NotResource: append([]string{AwsOwnedDocumentsArn(partition, region)}, documentArns...),
		},
	)
}

// CredentialGuardArgs configure a CredentialGuard component.
type CredentialGuardArgs struct {
	// RoleName is the instance role to guard. Required.
	RoleName pulumi.StringInput
	// Partition and Region name the AWS-owned parameters and documents the host may still read.
	// Required.
	Partition string
	Region    string
	// DocumentArns are the account's documents the host may read, such as the stack's session
	// document. Default: none, only AWS-owned documents.
	DocumentArns pulumi.StringArrayInput
}

// CredentialGuard is the inline policy that keeps the host role's credentials on the host.
type CredentialGuard struct {
	pulumi.ResourceState

	// PolicyName is the inline policy's name on the role.
	PolicyName pulumi.StringOutput
	// Guards are the resources that must exist before a host uses the role: the inline policy.
	Guards []pulumi.Resource
}

// NewCredentialGuard attaches the guard to the role. Hosts should depend on its Guards, so no
// instance runs with unguarded credentials.
func NewCredentialGuard(
	ctx *pulumi.Context, name string, args *CredentialGuardArgs, opts ...pulumi.ResourceOption,
) (*CredentialGuard, error) {
	if args == nil || args.RoleName == nil || args.Partition == "" || args.Region == "" {
		return nil, fmt.Errorf("iam: credential guard %q: RoleName, Partition and Region are "+
			"required", name)
	}

	c := &CredentialGuard{}
	err := ctx.RegisterComponentResource("crucible:iam:CredentialGuard", name, c, opts...)
	if err != nil {
		return nil, fmt.Errorf("iam: credential guard %q: %w", name, err)
	}

	documents := args.DocumentArns
	if documents == nil {
		documents = pulumi.StringArray{}
	}

	policy := documents.ToStringArrayOutput().ApplyT(func(arns []string) (string, error) {
		return CredentialGuardPolicy(args.Partition, args.Region, arns...).JSON()
	}).(pulumi.StringOutput)

	attached, err := iam.NewRolePolicy(ctx, name+"-policy", &iam.RolePolicyArgs{
		Role:   args.RoleName,
		Policy: policy,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("iam: credential guard %q: role policy: %w", name, err)
	}

	c.PolicyName = attached.Name
	c.Guards = []pulumi.Resource{attached}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"policyName": c.PolicyName}); err != nil {
		return nil, fmt.Errorf("iam: credential guard %q: %w", name, err)
	}

	return c, nil
}
