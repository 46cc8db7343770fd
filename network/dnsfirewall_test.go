package network_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/network"
)

func firewallArgs() network.DNSFirewallArgs {
	return network.DNSFirewallArgs{
		VpcID:     pulumi.String(testVpcID),
		Region:    "eu-west-1",
		DNSSuffix: "amazonaws.com",
		Services:  []string{"ssm", "ssmmessages", "ec2messages", "logs", "kms"},
		Tags:      map[string]string{"team": "evals"},
	}
}

func renderFirewall(t *testing.T, args network.DNSFirewallArgs) *render.Result {
	t.Helper()

	return renderProgram(t, func(ctx *pulumi.Context) error {
		_, err := network.NewDNSFirewall(ctx, "dns", &args)

		return err
	})
}

func TestHostDomainsAreExactlyTheServicesAndBucketsItUses(t *testing.T) {
	got := network.HostDomains("eu-west-1", "amazonaws.com", []string{"ssm", "logs"},
		[]string{"amazon-ssm-eu-west-1", "crucible-audit-dev-123456789012-eu-west-1"})

	assert.Equal(t, []string{
		"*.eu-west-1.compute.internal",
		"amazon-ssm-eu-west-1.s3.dualstack.eu-west-1.amazonaws.com",
		"amazon-ssm-eu-west-1.s3.eu-west-1.amazonaws.com",
		"crucible-audit-dev-123456789012-eu-west-1.s3.dualstack.eu-west-1.amazonaws.com",
		"crucible-audit-dev-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com",
		"logs.eu-west-1.amazonaws.com",
		"s3.dualstack.eu-west-1.amazonaws.com",
		"s3.eu-west-1.amazonaws.com",
		"ssm.eu-west-1.amazonaws.com",
	}, got, "no wildcard over an AWS zone: only the names the host's agents use")
}

func TestHostDomainsInUsEast1AddS3sGlobalNameAndEc2Internal(t *testing.T) {
	got := network.HostDomains("us-east-1", "amazonaws.com", []string{"ssm"},
		[]string{"amazon-ssm-us-east-1"})

	assert.Equal(t, []string{
		"*.ec2.internal",
		"amazon-ssm-us-east-1.s3.amazonaws.com",
		"amazon-ssm-us-east-1.s3.dualstack.us-east-1.amazonaws.com",
		"amazon-ssm-us-east-1.s3.us-east-1.amazonaws.com",
		"s3.amazonaws.com",
		"s3.dualstack.us-east-1.amazonaws.com",
		"s3.us-east-1.amazonaws.com",
		"ssm.us-east-1.amazonaws.com",
	}, got)
}

func TestHostDomainsFollowThePartitionsSuffix(t *testing.T) {
	got := network.HostDomains("cn-north-1", "amazonaws.com.cn", []string{"ssm"}, nil)

	assert.Equal(t, []string{
		"*.cn-north-1.compute.internal",
		"s3.cn-north-1.amazonaws.com.cn",
		"s3.dualstack.cn-north-1.amazonaws.com.cn",
		"ssm.cn-north-1.amazonaws.com.cn",
	}, got)
}

func TestFirewallAllowsTheListThenBlocksEveryOtherName(t *testing.T) {
	res := renderFirewall(t, firewallArgs())

	group := rendertest.One(t, res, ruleGroupType, "dns-rules")
	allowed := rendertest.One(t, res, domainListType, "dns-allowed")
	everything := rendertest.One(t, res, domainListType, "dns-everything")
	allow := rendertest.One(t, res, fwRuleType, "dns-allow")
	block := rendertest.One(t, res, fwRuleType, "dns-block")

	assert.Equal(t, []any{"*"}, everything.Get("domains"))

	assert.Equal(t, group.ID, allow.Get("firewallRuleGroupId"))
	assert.Equal(t, allowed.ID, allow.Get("firewallDomainListId"))
	assert.Equal(t, "ALLOW", allow.Get("action"))
	assert.Equal(t, float64(100), allow.Get("priority"))
	assert.Equal(t, "TRUST_REDIRECTION_DOMAIN", allow.Get("firewallDomainRedirectionAction"),
		"CNAME targets of an allowed AWS name are AWS's choice, not the host's")

	assert.Equal(t, group.ID, block.Get("firewallRuleGroupId"))
	assert.Equal(t, everything.ID, block.Get("firewallDomainListId"))
	assert.Equal(t, "BLOCK", block.Get("action"))
	assert.Equal(t, "NXDOMAIN", block.Get("blockResponse"))
	assert.Equal(t, float64(200), block.Get("priority"))

	assert.Less(t, allow.Get("priority"), block.Get("priority"),
		"DNS Firewall runs the lowest priority first: the allow list must come before block-all")
	assert.Len(t, res.OfType(fwRuleType), 2, "no other rule may sit between them")
}

func TestFirewallAllowListIsTheHostDomainsPlusTheUsers(t *testing.T) {
	args := firewallArgs()
	args.AllowedDomains = []string{"pypi.org", "*.pythonhosted.org"}
	args.AuditBucketName = pulumi.String("crucible-audit-dev-123456789012-eu-west-1")
	res := renderFirewall(t, args)

	want := network.HostDomains("eu-west-1", "amazonaws.com", args.Services,
		append(network.AwsOwnedBuckets("eu-west-1"), "crucible-audit-dev-123456789012-eu-west-1"))
	want = append(want, "pypi.org", "*.pythonhosted.org")

	got := rendertest.Strings(rendertest.One(t, res, domainListType, "dns-allowed").Get("domains"))
	assert.ElementsMatch(t, want, got)
	assert.IsIncreasing(t, got, "sorted, so an unchanged list never shows a diff")
	assert.Contains(t, got, "kms.eu-west-1.amazonaws.com", "session encryption reaches KMS by name")
	assert.Contains(t, got, "crucible-audit-dev-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com")
	assert.NotContains(t, got, "*", "the allow list never holds the block-all domain")
}

func TestFirewallIsAssociatedWithTheVpcAfterItsRulesAndFailsClosed(t *testing.T) {
	res := renderFirewall(t, firewallArgs())

	group := rendertest.One(t, res, ruleGroupType, "dns-rules")
	assoc := rendertest.One(t, res, fwAssocType, "dns-association")
	config := rendertest.One(t, res, fwConfigType, "dns-config")

	assert.Equal(t, testVpcID, assoc.Get("vpcId"))
	assert.Equal(t, group.ID, assoc.Get("firewallRuleGroupId"))
	assert.Equal(t, float64(101), assoc.Get("priority"))
	assert.Subset(t, assoc.Dependencies, []string{
		rendertest.One(t, res, fwRuleType, "dns-allow").URN,
		rendertest.One(t, res, fwRuleType, "dns-block").URN,
	}, "an empty rule group must never guard the VPC")

	assert.Equal(t, testVpcID, config.Get("resourceId"))
	assert.Equal(t, "DISABLED", config.Get("firewallFailOpen"),
		"fail closed: an unavailable firewall must not mean an unfiltered resolver")
}

func TestDisabledFirewallBuildsNoRule(t *testing.T) {
	args := firewallArgs()
	args.InsecureDisableFirewall = true
	res, err := render.Render(rendertest.Config(t, "aws:region=eu-west-1"),
		render.WithProgram(func(ctx *pulumi.Context) error {
			_, err := network.NewDNSFirewall(ctx, "dns", &args)

			return err
		}))
	require.NoError(t, err)

	rendertest.One(t, res, "crucible:network:DnsFirewall", "dns")
	assert.Zero(t, res.CustomCount(), "the resolver is left unfiltered by choice: no rule at all")
}

func TestInvalidFirewallArgumentsRegisterNothing(t *testing.T) {
	cases := map[string]struct {
		mutate func(a *network.DNSFirewallArgs)
		want   string
	}{
		"no vpc":           {func(a *network.DNSFirewallArgs) { a.VpcID = nil }, "required"},
		"no services":      {func(a *network.DNSFirewallArgs) { a.Services = nil }, "required"},
		"block-all listed": {func(a *network.DNSFirewallArgs) { a.AllowedDomains = []string{"*"} }, `"*"`},
		"list while disabled": {func(a *network.DNSFirewallArgs) {
			a.AllowedDomains = []string{"pypi.org"}
			a.InsecureDisableFirewall = true
		}, "no effect"},
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			args := firewallArgs()
			tc.mutate(&args)

			err := renderProgramErr(t, func(ctx *pulumi.Context) error {
				_, err := network.NewDNSFirewall(ctx, "dns", &args)

				return err
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), `network: dns firewall "dns":`)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
