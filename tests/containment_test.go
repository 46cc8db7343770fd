package tests

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/settings"
)

// Types of the containment controls.
const (
	aclType           = "aws:ec2/networkAcl:NetworkAcl"
	aclRuleType       = "aws:ec2/networkAclRule:NetworkAclRule"
	aclAssocType      = "aws:ec2/networkAclAssociation:NetworkAclAssociation"
	fwRuleType        = "aws:route53/resolverFirewallRule:ResolverFirewallRule"
	fwAssocType       = "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation"
	fwConfigType      = "aws:route53/resolverFirewallConfig:ResolverFirewallConfig"
	domainListType    = "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList"
	rolePolicyType    = "aws:iam/rolePolicy:RolePolicy"
	flowLogType       = "aws:ec2/flowLog:FlowLog"
	logGroupType      = "aws:cloudwatch/logGroup:LogGroup"
	queryLogType      = "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig"
	queryLogAssocType = "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation"
	roleType          = "aws:iam/role:Role"
	stackAccountID    = "123456789012" // the stand-in account
	hostComponentID   = "sandbox-host"
)

// Route 1, DNS tunnelling: the VPC's resolver answers only the listed names, and refuses rather
// than answers unfiltered when the firewall cannot run.
func TestRoute1DNSFirewallGuardsTheResolverInEveryScenario(t *testing.T) {
	eachScenario(t, func(t *testing.T, _ scenario, res *render.Result) {
		vpc := rendertest.One(t, res, vpcType, "sandbox-vpc")
		assoc := rendertest.One(t, res, fwAssocType, "sandbox-dns-firewall-association")
		allow := rendertest.One(t, res, fwRuleType, "sandbox-dns-firewall-allow")
		block := rendertest.One(t, res, fwRuleType, "sandbox-dns-firewall-block")
		config := rendertest.One(t, res, fwConfigType, "sandbox-dns-firewall-config")

		assert.Equal(t, vpc.ID, assoc.Get("vpcId"))
		assert.Equal(t, "ALLOW", allow.Get("action"))
		assert.Equal(t, float64(100), allow.Get("priority"))
		assert.Equal(t, "BLOCK", block.Get("action"))
		assert.Equal(t, "NXDOMAIN", block.Get("blockResponse"))
		assert.Equal(t, float64(200), block.Get("priority"), "block-all runs after the allow list")
		assert.Equal(t, vpc.ID, config.Get("resourceId"))
		assert.Equal(t, "DISABLED", config.Get("firewallFailOpen"), "fail closed")

		allowed := rendertest.Strings(rendertest.One(t, res, domainListType, "sandbox-dns-firewall-allowed").
			Get("domains"))
		for _, svc := range []string{"ssm", "ssmmessages", "ec2messages"} {
			assert.Contains(t, allowed, svc+".us-east-1.amazonaws.com",
				"the agent reaches its endpoint by the service's regional name")
		}
		assert.NotContains(t, allowed, "*")
	})
}

func TestRoute1AllowedDomainsReachTheFirewall(t *testing.T) {
	res := rendertest.Render(t, `allowedDomains=["pypi.org", "*.pythonhosted.org"]`,
		"enableNat=true")

	allowed := rendertest.Strings(rendertest.One(t, res, domainListType, "sandbox-dns-firewall-allowed").
		Get("domains"))
	assert.Contains(t, allowed, "pypi.org")
	assert.Contains(t, allowed, "*.pythonhosted.org")
}

func TestRoute1FirewallIsOffOnlyByTheInsecureFlag(t *testing.T) {
	res := rendertest.Render(t, "insecureDisableDnsFirewall=true")

	rendertest.One(t, res, "crucible:network:DnsFirewall", "sandbox-dns-firewall")
	for _, typ := range []string{fwAssocType, fwRuleType, fwConfigType, domainListType} {
		assert.Empty(t, res.OfType(typ), typ)
	}
}

// Route 2, exfiltration through the endpoints: every endpoint admits only this account's
// principals, in both NAT modes.
func TestRoute2EveryEndpointPolicyIsLimitedToThisAccount(t *testing.T) {
	eachScenario(t, func(t *testing.T, _ scenario, res *render.Result) {
		endpoints := res.OfType(endpointType)
		require.Len(t, endpoints, 6, "ssm, ssmmessages, ec2messages, logs, kms and the S3 gateway")

		for _, e := range endpoints {
			doc := rendertest.JSONDoc(t, e, "policy")
			statements, _ := doc["Statement"].([]any)
			require.NotEmpty(t, statements, e.Name)

			for i, s := range statements {
				principalAccount := conditionValue(s, "aws:PrincipalAccount")
				assert.Equal(t, stackAccountID, principalAccount,
					"%s statement %d: every statement names this account's principals", e.Name, i)
			}
		}
	})
}

// Route 3, stolen instance credentials: metadata stays on the host, and the role denies every
// action made with its credentials from anywhere but the host, before the host exists.
func TestRoute3HostCredentialsAreUselessOffTheHost(t *testing.T) {
	eachScenario(t, func(t *testing.T, s scenario, res *render.Result) {
		vm := rendertest.One(t, res, instanceType, "sandbox-host-instance")
		assert.Equal(t, "required", vm.Get("metadataOptions.httpTokens"))
		assert.Equal(t, float64(1), vm.Get("metadataOptions.httpPutResponseHopLimit"))

		role := rendertest.One(t, res, roleType, "sandbox-host-role")
		guard := rendertest.One(t, res, rolePolicyType, "sandbox-credential-guard-policy")
		assert.Equal(t, role.Get("name"), guard.Get("role"))

		var doc struct {
			Statement []struct {
				Sid       string
				Effect    string
				Action    []string
				Condition map[string]map[string]string
			}
		}
		require.NoError(t, json.Unmarshal([]byte(guard.String("policy")), &doc))
		require.GreaterOrEqual(t, len(doc.Statement), 2)

		vpcGuard := doc.Statement[0]
		assert.Equal(t, "Deny", vpcGuard.Effect)
		assert.Equal(t, []string{"*"}, vpcGuard.Action)
		assert.Equal(t, map[string]map[string]string{
			"StringNotEquals": {"aws:Ec2InstanceSourceVpc": "${aws:SourceVpc}"},
			"Null":            {"ec2:SourceInstanceARN": "false"},
			"BoolIfExists":    {"aws:ViaAWSService": "false"},
		}, vpcGuard.Condition)

		host := rendertest.One(t, res, hostComponent, hostComponentID)
		assert.Contains(t, host.Dependencies, guard.URN,
			"no instance may run before its credentials are guarded")
		if s.platform {
			ref := rendertest.One(t, res, stackReferenceType, "org/crucible/"+platformStackName)
			assert.Contains(t, host.Dependencies, ref.URN, "an evaluation host waits for the "+
				"platform, whose outputs exist only once its firewall and network ACL do")

			return
		}

		assert.Contains(t, host.Dependencies,
			rendertest.One(t, res, fwAssocType, "sandbox-dns-firewall-association").URN,
			"no instance may resolve a name before the firewall guards the resolver")
		assert.Contains(t, host.Dependencies,
			rendertest.One(t, res, aclAssocType, "sandbox-private-acl-assoc").URN,
			"no instance may run in a subnet without its network ACL")
	})
}

// Route 4, open internet with NAT: egress stays on the configured ports.
func TestRoute4NatEgressIsLimitedToTheConfiguredPorts(t *testing.T) {
	res := rendertest.Render(t, "enableNat=true", "egressPorts=[443, 8443]")

	sg := rendertest.One(t, res, sgType, "sandbox-host-sg")
	egress, _ := sg.Get("egress").([]any)
	require.Len(t, egress, 2)

	for i, port := range []float64{443, 8443} {
		rule := egress[i].(map[string]any)
		assert.Equal(t, "tcp", rule["protocol"])
		assert.Equal(t, port, rule["fromPort"])
		assert.Equal(t, port, rule["toPort"])
	}

	out := aclEntries(t, res)
	assert.Equal(t, []any{"allow", "tcp", "0.0.0.0/0", 443.0, 443.0}, out["out-300"])
	assert.Equal(t, []any{"allow", "tcp", "0.0.0.0/0", 8443.0, 8443.0}, out["out-310"])
	assert.NotContains(t, out, "out-320", "no port beyond the two configured")
}

func TestRoute4ExtraPortsWithoutNatAreRejected(t *testing.T) {
	res, err := render.Render(rendertest.Config(t, "egressPorts=[443, 8443]"))

	var cfgErr *settings.Error
	require.ErrorAs(t, err, &cfgErr)
	assert.Contains(t, err.Error(), "crucible:egressPorts: ports [8443] need crucible:enableNat true")
	assert.Len(t, res.Resources, 1, "nothing is registered")
}

// Route 5, lateral movement: nothing in the VPC may reach the host, nor the host anything but
// the endpoints and, through the ACL, replies and the egress ports.
func TestRoute5NothingInTheVpcReachesTheHost(t *testing.T) {
	eachScenario(t, func(t *testing.T, _ scenario, res *render.Result) {
		hostSg := rendertest.One(t, res, sgType, "sandbox-host-sg")
		endpoints := rendertest.One(t, res, sgType, "sandbox-endpoints")

		for _, sg := range res.OfType(sgType) {
			rules, _ := sg.Get("ingress").([]any)
			for i, r := range rules {
				rule := r.(map[string]any)
				assert.NotContains(t, rendertest.Strings(rule["securityGroups"]), hostSg.ID,
					"%s ingress[%d]: no rule names the host's own group as a source", sg.Name, i)

				if len(rendertest.Strings(rule["securityGroups"])) == 0 {
					continue
				}

				assert.Equal(t, endpoints.ID, sg.ID, "%s: only the endpoints admit group members",
					sg.Name)
				assert.Equal(t, 443.0, rule["fromPort"])
				assert.Equal(t, 443.0, rule["toPort"])
			}
		}

		vpc := rendertest.One(t, res, vpcType, "sandbox-vpc")
		out := aclEntries(t, res)
		assert.Equal(t, []any{"deny", "-1", vpc.Get("cidrBlock"), 0.0, 0.0}, out["in-200"],
			"the rest of the VPC cannot open a connection into the private subnet")
		assert.Equal(t, []any{"deny", "-1", vpc.Get("cidrBlock"), 0.0, 0.0}, out["out-200"])
	})
}

func TestConfigThatWouldOpenARouteIsRejectedNamingTheFlag(t *testing.T) {
	cases := map[string]struct {
		overrides []string
		want      string
	}{
		"every name":       {[]string{`allowedDomains=["*"]`}, "crucible:insecureDisableDnsFirewall true"},
		"a top-level zone": {[]string{`allowedDomains=["*.com"]`}, "crucible:insecureAllowPublicSuffixWildcards true"},
		"every port":       {[]string{`egressPorts=["0-65535"]`}, "crucible:egressPorts"},
		"port zero":        {[]string{"egressPorts=[0]"}, "0 is not a TCP port"},
		"a list with the firewall off": {
			[]string{`allowedDomains=["pypi.org"]`, "insecureDisableDnsFirewall=true"},
			"has no effect while crucible:insecureDisableDnsFirewall is true",
		},
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := render.Render(rendertest.Config(t, tc.overrides...))

			var cfgErr *settings.Error
			require.ErrorAs(t, err, &cfgErr)
			assert.Contains(t, err.Error(), tc.want)
			assert.Len(t, res.Resources, 1, "nothing is registered")
		})
	}
}

// aclEntries reads the private ACL's rules as direction-number to
// [action, protocol, cidr, from, to].
func aclEntries(t *testing.T, res *render.Result) map[string][]any {
	t.Helper()

	acl := rendertest.One(t, res, aclType, "sandbox-private-acl")
	out := map[string][]any{}

	for _, r := range res.OfType(aclRuleType) {
		require.Equal(t, acl.ID, r.Get("networkAclId"))

		direction := "in"
		if r.Get("egress") == true {
			direction = "out"
		}

		key := direction + "-" + jsonNumber(r.Get("ruleNumber"))
		out[key] = []any{
			r.Get("ruleAction"), r.Get("protocol"), r.Get("cidrBlock"),
			r.Get("fromPort"), r.Get("toPort"),
		}
	}

	return out
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)

	return string(b)
}

// conditionValue finds a condition key's value in a statement, under any operator.
func conditionValue(statement any, key string) any {
	cond, _ := statement.(map[string]any)["Condition"].(map[string]any)
	for _, keys := range cond {
		if v, ok := keys.(map[string]any)[key]; ok {
			return v
		}
	}

	return nil
}

// Route 6, silent activity: every connection attempt is recorded, encrypted with the audit key
// and kept as long as the session evidence.
func TestRoute6FlowLogRecordsAllTrafficWithTheAuditKeyAndRetention(t *testing.T) {
	eachScenario(t, func(t *testing.T, _ scenario, res *render.Result) {
		vpc := rendertest.One(t, res, vpcType, "sandbox-vpc")
		flow := rendertest.One(t, res, flowLogType, "sandbox-flow-log")
		group := rendertest.One(t, res, logGroupType, "sandbox-flow-log-records")

		assert.Equal(t, vpc.ID, flow.Get("vpcId"))
		assert.Equal(t, "ALL", flow.Get("trafficType"))
		assert.Equal(t, group.Get("arn"), flow.Get("logDestination"))
		assert.Equal(t, "/crucible/dev/flow-logs", group.Get("name"))
		assert.Equal(t, res.Outputs["auditKeyArn"], group.Get("kmsKeyId"))
		assert.Equal(t, float64(365), group.Get("retentionInDays"))
		require.NotNil(t, group.RetainOnDelete)
		assert.True(t, *group.RetainOnDelete, "destroying the stack keeps the evidence")
	})
}

func TestRoute1EveryQueryIsLoggedWithTheAuditKeyAndRetention(t *testing.T) {
	res := rendertest.Render(t, "auditRetentionDays=731", "auditRetainOnDestroy=false")

	vpc := rendertest.One(t, res, vpcType, "sandbox-vpc")
	group := rendertest.One(t, res, logGroupType, "sandbox-dns-queries-records")
	cfg := rendertest.One(t, res, queryLogType, "sandbox-dns-queries")
	assoc := rendertest.One(t, res, queryLogAssocType, "sandbox-dns-queries-association")

	assert.Equal(t, "/crucible/dev/dns-queries", group.Get("name"))
	assert.Equal(t, res.Outputs["auditKeyArn"], group.Get("kmsKeyId"))
	assert.Equal(t, float64(731), group.Get("retentionInDays"), "the audit retention, as set")
	require.NotNil(t, group.RetainOnDelete)
	assert.False(t, *group.RetainOnDelete, "auditRetainOnDestroy=false lets destroy delete it")
	assert.Equal(t, group.Get("arn"), cfg.Get("destinationArn"))
	assert.Equal(t, cfg.ID, assoc.Get("resolverQueryLogConfigId"))
	assert.Equal(t, vpc.ID, assoc.Get("resourceId"))

	assert.Equal(t, float64(731), rendertest.One(t, res, logGroupType,
		"sandbox-flow-log-records").Get("retentionInDays"))
}

// The guards name the audit resources before the audit component builds them; the names must be
// the ones it builds.
func TestGuardsNameTheAuditResourcesTheProgramBuilds(t *testing.T) {
	res := rendertest.Render(t)

	bucket := rendertest.One(t, res, "aws:s3/bucketV2:BucketV2", "sandbox-audit-transcripts")
	document := rendertest.One(t, res, "aws:ssm/document:Document",
		"sandbox-audit-session-preferences")

	s3 := rendertest.JSONDoc(t, rendertest.One(t, res, endpointType, "sandbox-s3"), "policy")
	statements, _ := s3["Statement"].([]any)
	require.Len(t, statements, 2)
	assert.Equal(t, []any{bucket.Get("arn"), bucket.String("arn") + "/*"},
		statements[1].(map[string]any)["Resource"], "the S3 endpoint writes the real audit bucket")

	guard := rendertest.JSONDoc(t, rendertest.One(t, res, rolePolicyType,
		"sandbox-credential-guard-policy"), "policy")
	guardStatements, _ := guard["Statement"].([]any)
	require.Len(t, guardStatements, 4)
	assert.Contains(t, guardStatements[3].(map[string]any)["NotResource"], document.Get("arn"),
		"the host may still read its own session document")

	allowed := rendertest.Strings(rendertest.One(t, res, domainListType, "sandbox-dns-firewall-allowed").
		Get("domains"))
	assert.Contains(t, allowed, bucket.String("bucket")+".s3.us-east-1.amazonaws.com")
	for _, svc := range []string{"logs", "kms"} {
		assert.Contains(t, allowed, svc+".us-east-1.amazonaws.com",
			"session audit's endpoints are reached by name too")
	}
}

func TestStackOutputsNameTheContainmentLogGroups(t *testing.T) {
	res := rendertest.Render(t)

	assert.Equal(t, "/crucible/dev/dns-queries", res.Outputs["dnsQueryLogGroupName"])
	assert.Equal(t, "/crucible/dev/flow-logs", res.Outputs["flowLogGroupName"])
}
