package sandbox

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/audit"
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

// account is where the stack deploys: the partition and the caller's account.
type account struct {
	partition *aws.GetPartitionResult
	caller    *aws.GetCallerIdentityResult
}

func buildStack(ctx *pulumi.Context, s *settings.Settings) error {
	warnWeakenings(ctx, s)

	partition, err := aws.GetPartition(ctx, nil)
	if err != nil {
		return fmt.Errorf("sandbox: partition: %w", err)
	}

	caller, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return fmt.Errorf("sandbox: caller identity: %w", err)
	}

	acct := account{partition: partition, caller: caller}

	switch s.Role {
	case settings.RolePlatform:
		return buildPlatform(ctx, s, acct)
	case settings.RoleEvaluation:
		return buildEvaluation(ctx, s, acct)
	}

	return buildStandalone(ctx, s, acct)
}

// buildStandalone builds one stack with everything: network, recorders, evidence store and host.
func buildStandalone(ctx *pulumi.Context, s *settings.Settings, acct account) error {
	name := ResourcePrefix
	tags := s.ResourceTags()
	partition, caller := acct.partition, acct.caller

	// The account is known only now; principals of another account are refused before the
	// first resource, like every other configuration error.
	if err := checkPrincipalAccounts(s.Audit.OperatorPrincipals, caller.AccountId); err != nil {
		return err
	}

	targets, err := newAuditTargets(s, partition.Partition, caller.AccountId)
	if err != nil {
		return err
	}

	vpc, err := newVpc(ctx, name, s, acct, targets)
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

	guards, err := buildGuards(ctx, name, s, partition, vpc, role, targets)
	if err != nil {
		return err
	}

	host, err := newHost(ctx, name, s, hostNetwork{
		vpcID:           vpc.VpcID,
		subnetID:        vpc.PrivateSubnetID,
		endpointClients: vpc.EndpointClientSecurityGroupID,
		egressPorts:     s.Containment.EgressPorts,
	}, role, guards.hostDependencies(vpc))
	if err != nil {
		return err
	}

	sessions, err := audit.NewSessionAudit(ctx, name+"-audit", &audit.SessionAuditArgs{
		Partition:               partition.Partition,
		DNSSuffix:               partition.DnsSuffix,
		Region:                  s.Region,
		AccountID:               caller.AccountId,
		Stack:                   s.Stack,
		InstanceRoleName:        role.RoleName,
		InstanceRoleArn:         role.RoleArn,
		InstanceID:              host.InstanceID,
		RetentionDays:           s.Audit.RetentionDays,
		TransitionDays:          s.Audit.TransitionDays,
		ObjectLockDays:          s.Audit.ObjectLockDays,
		DeleteEvidenceOnDestroy: !s.Audit.RetainOnDestroy,
		IdleTimeoutMinutes:      s.Audit.IdleTimeoutMinutes,
		MaxDurationMinutes:      s.Audit.MaxDurationMinutes,
		RunAsUser:               s.Audit.RunAsUser,
		Tags:                    tags,
	})
	if err != nil {
		return err
	}

	recorders, err := buildRecorders(ctx, name, s, partition.Partition, caller.AccountId, vpc,
		sessions.KeyArn)
	if err != nil {
		return err
	}

	operators, err := newOperatorAccess(ctx, name, s, acct, host, role, sessions.SessionDocumentArn,
		sessions.KeyArn)
	if err != nil {
		return err
	}

	ctx.Export("instanceId", host.InstanceID)
	ctx.Export("vpcId", vpc.VpcID)
	ctx.Export("privateSubnetId", vpc.PrivateSubnetID)
	ctx.Export("securityGroupId", host.SecurityGroupID)
	ctx.Export("region", pulumi.String(s.Region))
	ctx.Export("connectCommand", pulumi.Sprintf(
		"aws ssm start-session --target %s --document-name %s --region %s",
		host.InstanceID, sessions.SessionDocumentName, s.Region))
	ctx.Export("sessionDocumentName", sessions.SessionDocumentName)
	ctx.Export("auditBucketName", sessions.BucketName)
	ctx.Export("auditTranscriptPrefix", sessions.TranscriptPrefix)
	ctx.Export("sessionLogGroupName", sessions.LogGroupName)
	ctx.Export("auditKeyArn", sessions.KeyArn)
	ctx.Export("operatorPolicyArn", operators.PolicyArn)
	ctx.Export("dnsQueryLogGroupName", recorders.queryLog.LogGroupName)
	ctx.Export("flowLogGroupName", recorders.flowLog.LogGroupName)
	ctx.Export("auditTrailCommand", pulumi.Sprintf("aws s3 ls s3://%s/%s/ --region %s",
		sessions.BucketName, sessions.TranscriptPrefix, s.Region))

	return nil
}

// newVpc builds the network every host of the stack (standalone) or of the platform shares.
func newVpc(ctx *pulumi.Context, name string, s *settings.Settings, acct account,
	targets auditTargets,
) (*network.Vpc, error) {
	return network.NewVpc(ctx, name, &network.VpcArgs{
		Region:             s.Region,
		CidrBlock:          s.VpcCidr,
		PrivateSubnetCidr:  s.PrivateSubnetCidr,
		PublicSubnetCidr:   s.PublicSubnetCidr,
		AvailabilityZone:   s.AvailabilityZone,
		EnableNat:          s.EnableNat,
		InterfaceEndpoints: slices.Concat(network.DefaultInterfaceEndpoints, audit.InterfaceEndpoints),
		AccountID:          acct.caller.AccountId,
		Partition:          acct.partition.Partition,
		AuditBucketArn:     pulumi.String(targets.bucketArn),
		EgressPorts:        s.Containment.EgressPorts,
		Tags:               s.ResourceTags(),
	})
}

// ResourcePrefix names the components; children take it as the prefix of their own names.
const ResourcePrefix = "sandbox"
