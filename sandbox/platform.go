package sandbox

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/audit"
	"github.com/crucible-sandbox/crucible/settings"
)

// buildPlatform builds what evaluation stacks share: the network with its endpoints, DNS
// Firewall, network ACL and recorders, and the evidence store their sessions are recorded to.
// It builds no host and no host role; the key names the host roles by their IAM path.
func buildPlatform(ctx *pulumi.Context, s *settings.Settings, acct account) error {
	name := ResourcePrefix

	targets, err := newAuditTargets(s, acct.partition.Partition, acct.caller.AccountId)
	if err != nil {
		return err
	}

	vpc, err := newVpc(ctx, name, s, acct, targets)
	if err != nil {
		return err
	}

	if _, err := buildFirewall(ctx, name, s, acct.partition, vpc, targets); err != nil {
		return err
	}

	store, err := audit.NewEvidenceStore(ctx, name+"-evidence", &audit.EvidenceStoreArgs{
		Partition:               acct.partition.Partition,
		DNSSuffix:               acct.partition.DnsSuffix,
		Region:                  s.Region,
		AccountID:               acct.caller.AccountId,
		Stack:                   s.Stack,
		HostRolePath:            audit.HostRolePath,
		RetentionDays:           s.Audit.RetentionDays,
		TransitionDays:          s.Audit.TransitionDays,
		ObjectLockDays:          s.Audit.ObjectLockDays,
		DeleteEvidenceOnDestroy: !s.Audit.RetainOnDestroy,
		Tags:                    s.ResourceTags(),
	})
	if err != nil {
		return err
	}

	recorders, err := buildRecorders(ctx, name, s, acct.partition.Partition,
		acct.caller.AccountId, vpc, store.KeyArn)
	if err != nil {
		return err
	}

	ports := make(pulumi.IntArray, 0, len(s.Containment.EgressPorts))
	for _, p := range s.Containment.EgressPorts {
		ports = append(ports, pulumi.Int(p))
	}

	ctx.Export("region", pulumi.String(s.Region))
	ctx.Export("accountId", pulumi.String(acct.caller.AccountId))
	ctx.Export("vpcId", vpc.VpcID)
	ctx.Export("privateSubnetId", vpc.PrivateSubnetID)
	ctx.Export("endpointClientSecurityGroupId", vpc.EndpointClientSecurityGroupID)
	ctx.Export("egressPorts", ports)
	ctx.Export("auditKeyArn", store.KeyArn)
	ctx.Export("auditBucketName", store.BucketName)
	ctx.Export("sessionLogGroupName", store.LogGroupName)
	ctx.Export("dnsQueryLogGroupName", recorders.queryLog.LogGroupName)
	ctx.Export("flowLogGroupName", recorders.flowLog.LogGroupName)

	return nil
}
