package sandbox

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/compute"
	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/network"
	"github.com/crucible-sandbox/crucible/settings"
)

// Program is the sandbox as `pulumi up` runs it. The engine lists the stack's config keys in the
// environment, so unknown keys are caught there too.
func Program(ctx *pulumi.Context) error {
	return build(ctx, engineConfigKeys())
}

// WithConfigKeys returns the program for callers that hold the stack's configuration themselves
// (the offline render, the evaluation stacks): keys lists every key the stack sets, so unknown
// keys in the crucible namespace are rejected.
func WithConfigKeys(keys []string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error { return build(ctx, keys) }
}

func build(ctx *pulumi.Context, keys []string) error {
	s, err := loadSettings(ctx, keys)
	if err != nil {
		return err
	}

	return buildStack(ctx, s)
}

func buildStack(ctx *pulumi.Context, s *settings.Settings) error {
	name := ResourcePrefix
	tags := s.ResourceTags()

	for _, w := range weakenings(s) {
		_ = ctx.Log.Warn(w, nil)
	}

	partition, err := aws.GetPartition(ctx, nil)
	if err != nil {
		return fmt.Errorf("sandbox: partition: %w", err)
	}

	caller, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return fmt.Errorf("sandbox: caller identity: %w", err)
	}

	vpc, err := network.NewVpc(ctx, name, &network.VpcArgs{
		Region:            s.Region,
		CidrBlock:         s.VpcCidr,
		PrivateSubnetCidr: s.PrivateSubnetCidr,
		PublicSubnetCidr:  s.PublicSubnetCidr,
		AvailabilityZone:  s.AvailabilityZone,
		EnableNat:         s.EnableNat,
		AccountID:         caller.AccountId,
		Partition:         partition.Partition,
		EgressPorts:       s.Containment.EgressPorts,
		Tags:              tags,
	})
	if err != nil {
		return err
	}

	role, err := iam.NewInstanceRole(ctx, name+"-host", &iam.InstanceRoleArgs{
		Partition: partition.Partition,
		Tags:      tags,
	})
	if err != nil {
		return err
	}

	guards, err := buildGuards(ctx, name, s, partition, vpc, role)
	if err != nil {
		return err
	}

	host, err := compute.NewHost(ctx, name+"-host", &compute.HostArgs{
		VpcID:                 vpc.VpcID,
		SubnetID:              vpc.PrivateSubnetID,
		ExtraSecurityGroupIDs: pulumi.StringArray{vpc.EndpointClientSecurityGroupID},
		InstanceProfileName:   role.ProfileName,
		InstanceType:          s.InstanceType,
		AmiID:                 s.AmiID,
		RootVolumeGiB:         s.RootVolumeGiB,
		EgressPorts:           s.Containment.EgressPorts,
		Tags:                  tags,
	}, guards.hostDependencies(vpc))
	if err != nil {
		return err
	}

	ctx.Export("instanceId", host.InstanceID)
	ctx.Export("vpcId", vpc.VpcID)
	ctx.Export("privateSubnetId", vpc.PrivateSubnetID)
	ctx.Export("securityGroupId", host.SecurityGroupID)
	ctx.Export("region", pulumi.String(s.Region))
	ctx.Export("connectCommand", pulumi.Sprintf("aws ssm start-session --target %s --region %s",
		host.InstanceID, s.Region))

	return nil
}

// ResourcePrefix names the components; children take it as the prefix of their own names.
const ResourcePrefix = "sandbox"
