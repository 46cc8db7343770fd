package sandbox

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/audit"
	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/settings"
)

// buildEvaluation builds one evaluation on a platform stack: only what must be separate per
// evaluation, so credentials, revocation and transcripts stay per evaluation. The platform's
// exports are validated before the first resource.
func buildEvaluation(ctx *pulumi.Context, s *settings.Settings, acct account) error {
	name := ResourcePrefix
	tags := s.ResourceTags()
	partition, caller := acct.partition, acct.caller

	if err := checkPrincipalAccounts(s.Audit.OperatorPrincipals, caller.AccountId); err != nil {
		return err
	}

	platform, ref, err := readPlatform(ctx, s, caller.AccountId)
	if err != nil {
		return err
	}

	targets, err := newAuditTargets(s, partition.Partition, caller.AccountId)
	if err != nil {
		return err
	}

	role, err := iam.NewInstanceRole(ctx, name+"-host", &iam.InstanceRoleArgs{
		Partition: partition.Partition,
		Path:      audit.HostRolePath,
		Tags:      tags,
	})
	if err != nil {
		return err
	}

	credentials, err := buildCredentialGuard(ctx, name, s, partition, role, targets)
	if err != nil {
		return err
	}

	host, err := newHost(ctx, name, s, hostNetwork{
		vpcID:           pulumi.String(platform.VpcID),
		subnetID:        pulumi.String(platform.PrivateSubnetID),
		endpointClients: pulumi.String(platform.EndpointClientSecurityGroupID),
		egressPorts:     platform.EgressPorts,
	}, role, pulumi.DependsOn(append(slices.Clone(credentials.Guards), ref)))
	if err != nil {
		return err
	}

	sessions, err := audit.NewHostSessions(ctx, name+"-sessions", &audit.HostSessionsArgs{
		Partition:          partition.Partition,
		Region:             s.Region,
		AccountID:          caller.AccountId,
		Stack:              s.Stack,
		BucketName:         platform.AuditBucketName,
		KeyArn:             platform.AuditKeyArn,
		LogGroupName:       platform.SessionLogGroupName,
		InstanceRoleName:   role.RoleName,
		InstanceID:         host.InstanceID,
		IdleTimeoutMinutes: s.Audit.IdleTimeoutMinutes,
		MaxDurationMinutes: s.Audit.MaxDurationMinutes,
		RunAsUser:          s.Audit.RunAsUser,
		Tags:               tags,
	})
	if err != nil {
		return err
	}

	operators, err := newOperatorAccess(ctx, name, s, acct, host, role, sessions.SessionDocumentArn,
		pulumi.String(platform.AuditKeyArn))
	if err != nil {
		return err
	}

	ctx.Export("instanceId", host.InstanceID)
	ctx.Export("vpcId", pulumi.String(platform.VpcID))
	ctx.Export("privateSubnetId", pulumi.String(platform.PrivateSubnetID))
	ctx.Export("securityGroupId", host.SecurityGroupID)
	ctx.Export("region", pulumi.String(s.Region))
	ctx.Export("platformStack", pulumi.String(s.PlatformStack))
	ctx.Export("connectCommand", pulumi.Sprintf(
		"aws ssm start-session --target %s --document-name %s --region %s",
		host.InstanceID, sessions.SessionDocumentName, s.Region))
	ctx.Export("sessionDocumentName", sessions.SessionDocumentName)
	ctx.Export("auditBucketName", pulumi.String(platform.AuditBucketName))
	ctx.Export("auditTranscriptPrefix", sessions.TranscriptPrefix)
	ctx.Export("sessionLogGroupName", pulumi.String(platform.SessionLogGroupName))
	ctx.Export("auditKeyArn", pulumi.String(platform.AuditKeyArn))
	ctx.Export("operatorPolicyArn", operators.PolicyArn)
	ctx.Export("dnsQueryLogGroupName", pulumi.String(platform.DNSQueryLogGroupName))
	ctx.Export("flowLogGroupName", pulumi.String(platform.FlowLogGroupName))
	ctx.Export("auditTrailCommand", pulumi.Sprintf("aws s3 ls s3://%s/%s/ --region %s",
		platform.AuditBucketName, sessions.TranscriptPrefix, s.Region))

	return nil
}
