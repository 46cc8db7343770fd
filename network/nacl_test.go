package network_test

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/network"
	"github.com/crucible-sandbox/crucible/policy/rules"
)

func TestPrivateSubnetAclAllowsOnlyEndpointsRepliesAndEgressPorts(t *testing.T) {
	entries := network.PrivateSubnetAclEntries(netip.MustParsePrefix("10.0.0.0/16"),
		netip.MustParsePrefix("10.0.2.0/24"), []int{443, 8443})

	assert.Equal(t, []network.AclEntry{
		{RuleNumber: 100, Action: "allow", Protocol: "tcp", CidrBlock: "10.0.2.0/24", FromPort: 443, ToPort: 443},
		{RuleNumber: 110, Action: "allow", Protocol: "tcp", CidrBlock: "10.0.2.0/24", FromPort: 32768, ToPort: 65535},
		{RuleNumber: 200, Action: "deny", Protocol: "-1", CidrBlock: "10.0.0.0/16"},
		{RuleNumber: 300, Action: "allow", Protocol: "tcp", CidrBlock: "0.0.0.0/0", FromPort: 32768, ToPort: 65535},
		{
			RuleNumber: 100, Egress: true, Action: "allow", Protocol: "tcp", CidrBlock: "10.0.2.0/24",
			FromPort: 443, ToPort: 443,
		},
		{
			RuleNumber: 110, Egress: true, Action: "allow", Protocol: "tcp", CidrBlock: "10.0.2.0/24",
			FromPort: 32768, ToPort: 65535,
		},
		{RuleNumber: 200, Egress: true, Action: "deny", Protocol: "-1", CidrBlock: "10.0.0.0/16"},
		{
			RuleNumber: 300, Egress: true, Action: "allow", Protocol: "tcp", CidrBlock: "0.0.0.0/0",
			FromPort: 443, ToPort: 443,
		},
		{
			RuleNumber: 310, Egress: true, Action: "allow", Protocol: "tcp", CidrBlock: "0.0.0.0/0",
			FromPort: 8443, ToPort: 8443,
		},
	}, entries)
}

// aclRules indexes the rendered rules by direction and number, such as "in-200".
func aclRules(t *testing.T, res *render.Result, aclID string) map[string]map[string]any {
	t.Helper()

	out := map[string]map[string]any{}
	for _, r := range res.OfType(aclRuleType) {
		require.Equal(t, aclID, r.Get("networkAclId"), r.Name)

		direction := "in"
		if r.Get("egress") == true {
			direction = "out"
		}

		out[fmt.Sprintf("%s-%v", direction, r.Get("ruleNumber"))] = map[string]any{
			"action": r.Get("ruleAction"), "protocol": r.Get("protocol"), "cidr": r.Get("cidrBlock"),
			"from": r.Get("fromPort"), "to": r.Get("toPort"),
		}
	}

	return out
}

func TestPrivateSubnetHasItsOwnAclInBothNatModes(t *testing.T) {
	for _, nat := range []bool{false, true} {
		t.Run(fmt.Sprintf("nat=%v", nat), func(t *testing.T) {
			args := baseArgs()
			args.EnableNat = nat
			res := renderVpc(t, args)

			acl := rendertest.One(t, res, aclType, "net-private-acl")
			private := rendertest.One(t, res, subnetType, "net-private")
			vpc := rendertest.One(t, res, vpcType, "net-vpc")
			assoc := rendertest.One(t, res, aclAssocType, "net-private-acl-assoc")

			assert.Equal(t, vpc.ID, acl.Get("vpcId"))
			assert.Equal(t, acl.ID, assoc.Get("networkAclId"))
			assert.Equal(t, private.ID, assoc.Get("subnetId"))
			require.Len(t, res.OfType(aclAssocType), 1,
				"only the private subnet: the NAT gateway's subnet keeps the default ACL")

			subnet, vpcCidr := "10.20.8.0/24", "10.20.0.0/16"
			assert.Equal(t, map[string]map[string]any{
				"in-100":  {"action": "allow", "protocol": "tcp", "cidr": subnet, "from": 443.0, "to": 443.0},
				"in-110":  {"action": "allow", "protocol": "tcp", "cidr": subnet, "from": 32768.0, "to": 65535.0},
				"in-200":  {"action": "deny", "protocol": "-1", "cidr": vpcCidr, "from": 0.0, "to": 0.0},
				"in-300":  {"action": "allow", "protocol": "tcp", "cidr": "0.0.0.0/0", "from": 32768.0, "to": 65535.0},
				"out-100": {"action": "allow", "protocol": "tcp", "cidr": subnet, "from": 443.0, "to": 443.0},
				"out-110": {"action": "allow", "protocol": "tcp", "cidr": subnet, "from": 32768.0, "to": 65535.0},
				"out-200": {"action": "deny", "protocol": "-1", "cidr": vpcCidr, "from": 0.0, "to": 0.0},
				"out-300": {"action": "allow", "protocol": "tcp", "cidr": "0.0.0.0/0", "from": 443.0, "to": 443.0},
			}, aclRules(t, res, acl.ID))
		})
	}
}

func TestAclLetsOutEveryEgressPortWithNat(t *testing.T) {
	args := baseArgs()
	args.EnableNat = true
	args.EgressPorts = []int{8443, 443, 8443}
	res := renderVpc(t, args)

	got := aclRules(t, res, rendertest.One(t, res, aclType, "net-private-acl").ID)
	assert.Equal(t, 443.0, got["out-300"]["from"])
	assert.Equal(t, 8443.0, got["out-310"]["from"])
	assert.Equal(t, 8443.0, got["out-310"]["to"])
	assert.Len(t, got, 9, "four inbound entries, four outbound plus one per extra port")
}

func TestAclKeepsAdminPortsClosedToTheInternet(t *testing.T) {
	res := renderVpc(t, baseArgs())

	for _, r := range res.OfType(aclRuleType) {
		assert.Empty(t, rules.CheckResource(rules.NetworkACLNoAdminPortsFromAnywhere, r.Type, r.Outputs),
			"%s: Security Hub EC2.21", r.Name)
	}
}
