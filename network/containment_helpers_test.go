package network_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/network"
)

// Types of the containment controls the tests look at.
const (
	aclType          = "aws:ec2/networkAcl:NetworkAcl"
	aclRuleType      = "aws:ec2/networkAclRule:NetworkAclRule"
	aclAssocType     = "aws:ec2/networkAclAssociation:NetworkAclAssociation"
	domainListType   = "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList"
	ruleGroupType    = "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup"
	fwRuleType       = "aws:route53/resolverFirewallRule:ResolverFirewallRule"
	fwAssocType      = "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation"
	fwConfigType     = "aws:route53/resolverFirewallConfig:ResolverFirewallConfig"
	queryLogType     = "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig"
	queryLogAssoc    = "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation"
	logGroupType     = "aws:cloudwatch/logGroup:LogGroup"
	flowLogType      = "aws:ec2/flowLog:FlowLog"
	roleType         = "aws:iam/role:Role"
	rolePolicyType   = "aws:iam/rolePolicy:RolePolicy"
	testKeyArn       = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
	testVpcID        = "vpc-0a1b2c3d4e5f67890"
	testAccountID    = "123456789012"
	testRetention    = 365
	testQueryLogName = "/crucible/dev/dns-queries"
	testFlowLogName  = "/crucible/dev/flow-logs"
)

// renderVpcErr renders a Vpc expected to fail, and proves nothing was registered.
func renderVpcErr(t *testing.T, args network.VpcArgs) error {
	t.Helper()

	program := func(ctx *pulumi.Context) error {
		_, err := network.NewVpc(ctx, "net", &args)

		return err
	}

	res, err := render.Render(rendertest.Config(t), render.WithProgram(program))
	assert.Len(t, res.Resources, 1, "only the root stack: nothing may be registered")

	return err
}

// renderProgram renders a test program in eu-west-1.
func renderProgram(t *testing.T, program pulumi.RunFunc) *render.Result {
	t.Helper()

	return rendertest.RenderConfig(t, rendertest.Config(t, "aws:region=eu-west-1"),
		render.WithProgram(program))
}

// renderProgramErr renders a test program expected to fail, and proves nothing was registered.
func renderProgramErr(t *testing.T, program pulumi.RunFunc) error {
	t.Helper()

	res, err := render.Render(rendertest.Config(t, "aws:region=eu-west-1"),
		render.WithProgram(program))
	assert.Len(t, res.Resources, 1, "only the root stack: nothing may be registered")

	return err
}

// testLog is a valid log destination.
func testLog(name string) network.LogGroupArgs {
	return network.LogGroupArgs{
		Name:          name,
		KmsKeyArn:     pulumi.String(testKeyArn),
		RetentionDays: testRetention,
	}
}
