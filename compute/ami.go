package compute

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AmiParameter is AWS's public SSM parameter holding the latest Amazon Linux 2023 image for an
// architecture (x86_64 or arm64). Amazon Linux 2023 ships the Session Manager agent.
func AmiParameter(arch string) string {
	return "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-" + arch
}

// latestAmi resolves the image for an instance type: its architecture from EC2, then the
// matching public parameter. Asking EC2 rather than guessing from the family name keeps new
// Graviton families right.
func latestAmi(ctx *pulumi.Context, instanceType string, opts ...pulumi.InvokeOption) (string, error) {
	it, err := ec2.GetInstanceType(ctx, &ec2.GetInstanceTypeArgs{InstanceType: instanceType}, opts...)
	if err != nil {
		return "", fmt.Errorf("instance type %s: %w", instanceType, err)
	}

	arch := "x86_64"
	if slices.Contains(it.SupportedArchitectures, "arm64") && !slices.Contains(it.SupportedArchitectures, "x86_64") {
		arch = "arm64"
	}

	param, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: AmiParameter(arch)}, opts...)
	if err != nil {
		return "", fmt.Errorf("ami parameter %s: %w", AmiParameter(arch), err)
	}

	return param.Value, nil
}
