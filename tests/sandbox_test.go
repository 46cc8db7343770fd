package tests

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
)

func TestNoSecurityGroupAcceptsTrafficFromAnywhere(t *testing.T) {
	eachScenario(t, func(t *testing.T, _ scenario, res *render.Result) {
		for _, sg := range append(res.OfType(sgType), res.OfType(defaultSgType)...) {
			rules, _ := sg.Get("ingress").([]any)
			for i, r := range rules {
				rule := r.(map[string]any)
				assert.NotContains(t, rendertest.Strings(rule["cidrBlocks"]), "0.0.0.0/0", "%s ingress[%d]", sg.Name, i)
				assert.NotContains(t, rendertest.Strings(rule["ipv6CidrBlocks"]), "::/0", "%s ingress[%d]", sg.Name, i)
			}
		}

		for _, r := range res.OfType(sgRuleType) {
			if r.Get("type") == "ingress" {
				assert.NotContains(t, rendertest.Strings(r.Get("cidrBlocks")), "0.0.0.0/0", r.Name)
				assert.NotContains(t, rendertest.Strings(r.Get("ipv6CidrBlocks")), "::/0", r.Name)
			}
		}

		for _, r := range res.OfType(sgIngressType) {
			assert.NotEqual(t, "0.0.0.0/0", r.Get("cidrIpv4"), r.Name)
			assert.NotEqual(t, "::/0", r.Get("cidrIpv6"), r.Name)
		}
	})
}

func TestHostGroupHasNoIngressAndHTTPSEgress(t *testing.T) {
	eachScenario(t, func(t *testing.T, _ scenario, res *render.Result) {
		sg := rendertest.One(t, res, sgType, "sandbox-host-sg")

		assert.Equal(t, []any{}, sg.Get("ingress"), "nothing may connect to the host")

		egress, _ := sg.Get("egress").([]any)
		require.NotEmpty(t, egress)
		for _, e := range egress {
			assert.Equal(t, "tcp", e.(map[string]any)["protocol"])
			assert.Equal(t, float64(443), e.(map[string]any)["fromPort"])
			assert.Equal(t, float64(443), e.(map[string]any)["toPort"])
		}

		for _, r := range res.OfType(sgRuleType) {
			assert.NotEqual(t, sg.ID, r.Get("securityGroupId"),
				"no standalone rule may add to the host group: %s", r.Name)
		}
	})
}

func TestHostHasNoPublicAddressAndNoPathFromTheInternet(t *testing.T) {
	eachScenario(t, func(t *testing.T, s scenario, res *render.Result) {
		vm := rendertest.One(t, res, instanceType, "sandbox-host-instance")
		private := rendertest.One(t, res, subnetType, "sandbox-private")

		assert.Equal(t, false, vm.Get("associatePublicIpAddress"))
		assert.Equal(t, "", vm.Get("publicIp"))
		assert.Nil(t, vm.Get("keyName"))
		assert.Equal(t, private.ID, vm.Get("subnetId"), "the host lives in the private subnet")

		for _, sn := range res.OfType(subnetType) {
			assert.Equal(t, false, sn.Get("mapPublicIpOnLaunch"), "EC2.15: %s", sn.Name)
		}

		privateRT := rendertest.One(t, res, routeTableType, "sandbox-private-rt")
		for _, route := range res.OfType(routeType) {
			if route.Get("routeTableId") == privateRT.ID {
				assert.Nil(t, route.Get("gatewayId"),
					"the private route table must never point at an internet gateway")
			}
		}

		for _, eip := range res.OfType(eipType) {
			assert.Nil(t, eip.Get("instance"), "no elastic IP may attach to the host")
		}
	})
}

func TestNatResourcesExistExactlyWhenAskedFor(t *testing.T) {
	eachScenario(t, func(t *testing.T, s scenario, res *render.Result) {
		want := 0
		if s.nat {
			want = 1
		}

		assert.Len(t, res.OfType(igwType), want, "internet gateways")
		assert.Len(t, res.OfType(eipType), want, "elastic IPs")
		assert.Len(t, res.OfType(natType), want, "NAT gateways")

		privateRT := rendertest.One(t, res, routeTableType, "sandbox-private-rt")
		routes := res.OfType(routeType)

		if !s.nat {
			assert.Empty(t, routes, "without NAT the private subnet has no default route")
			assert.Len(t, res.OfType(subnetType), 1, "without NAT there is no public subnet")

			return
		}

		public := rendertest.One(t, res, subnetType, "sandbox-public")
		nat := res.OfType(natType)[0]
		assert.Equal(t, public.ID, nat.Get("subnetId"))
		assert.Equal(t, res.OfType(eipType)[0].ID, nat.Get("allocationId"))

		privateDefault := rendertest.One(t, res, routeType, "sandbox-private-default")
		assert.Equal(t, privateRT.ID, privateDefault.Get("routeTableId"))
		assert.Equal(t, nat.ID, privateDefault.Get("natGatewayId"))

		publicDefault := rendertest.One(t, res, routeType, "sandbox-public-default")
		assert.Equal(t, res.OfType(igwType)[0].ID, publicDefault.Get("gatewayId"))
		assert.Equal(t, "0.0.0.0/0", publicDefault.Get("destinationCidrBlock"))
	})
}

func TestSessionManagerEndpointsExistWithPrivateDNS(t *testing.T) {
	eachScenario(t, func(t *testing.T, _ scenario, res *render.Result) {
		for _, svc := range []string{"ssm", "ssmmessages", "ec2messages"} {
			ep := rendertest.One(t, res, endpointType, "sandbox-"+svc)
			assert.Equal(t, "com.amazonaws.us-east-1."+svc, ep.Get("serviceName"))
			assert.Equal(t, true, ep.Get("privateDnsEnabled"))
			assert.Equal(t, "Interface", ep.Get("vpcEndpointType"))
		}

		s3 := rendertest.One(t, res, endpointType, "sandbox-s3")
		assert.Equal(t, "Gateway", s3.Get("vpcEndpointType"))
	})
}

func TestHostJoinsTheGroupTheEndpointsTrust(t *testing.T) {
	res := rendertest.Render(t)
	vm := rendertest.One(t, res, instanceType, "sandbox-host-instance")
	hostSg := rendertest.One(t, res, sgType, "sandbox-host-sg")
	clients := rendertest.One(t, res, sgType, "sandbox-endpoint-clients")
	endpoints := rendertest.One(t, res, sgType, "sandbox-endpoints")

	assert.Equal(t, []any{hostSg.ID, clients.ID}, vm.Get("vpcSecurityGroupIds"))
	assert.Equal(t, []any{clients.ID}, endpoints.Get("ingress[0].securityGroups"),
		"the endpoints accept 443 from the group the host is in, nothing else")
	assert.Equal(t, float64(443), endpoints.Get("ingress[0].fromPort"))
}

func TestHostUsesTheProfileTheRoleComponentMade(t *testing.T) {
	res := rendertest.Render(t)
	vm := rendertest.One(t, res, instanceType, "sandbox-host-instance")
	profile := rendertest.One(t, res, profileType, "sandbox-host-profile")

	assert.Regexp(t, `^sandbox-host-profile-[0-9a-f]{7}$`, profile.Get("name"),
		"the stand-in autonames the profile like the provider does")
	assert.Equal(t, profile.Get("name"), vm.Get("iamInstanceProfile"))
}

func TestStackOutputsDescribeTheHostAndHowToConnect(t *testing.T) {
	res := rendertest.Render(t)
	vm := rendertest.One(t, res, instanceType, "sandbox-host-instance")
	vpc := rendertest.One(t, res, vpcType, "sandbox-vpc")
	private := rendertest.One(t, res, subnetType, "sandbox-private")
	hostSg := rendertest.One(t, res, sgType, "sandbox-host-sg")

	assert.Equal(t, vm.ID, res.Outputs["instanceId"])
	assert.Equal(t, vpc.ID, res.Outputs["vpcId"])
	assert.Equal(t, private.ID, res.Outputs["privateSubnetId"])
	assert.Equal(t, hostSg.ID, res.Outputs["securityGroupId"])
	assert.Equal(t, "us-east-1", res.Outputs["region"])
	assert.Equal(t, fmt.Sprintf("aws ssm start-session --target %s --document-name "+
		"crucible-dev-sessions --region us-east-1", vm.ID), res.Outputs["connectCommand"])
}

func TestEveryCloudResourceIsAChildOfAComponent(t *testing.T) {
	eachScenario(t, func(t *testing.T, _ scenario, res *render.Result) {
		for _, r := range res.Resources {
			if !r.Custom {
				continue
			}

			parent, ok := res.ByURN(r.Parent)
			require.True(t, ok, "%s %s has no registered parent", r.Type, r.Name)
			assert.False(t, parent.Custom, "%s %s must be parented to a component, not to %s",
				r.Type, r.Name, parent.Type)
			assert.NotEqual(t, "pulumi:pulumi:Stack", parent.Type,
				"%s %s must sit under its component, not the stack", r.Type, r.Name)
		}
	})
}

func TestEveryTaggableResourceCarriesTheStackTags(t *testing.T) {
	res := rendertest.Render(t)

	tagged := 0
	for _, r := range res.Resources {
		if !r.Custom || r.Get("tags") == nil {
			continue
		}

		tagged++
		assert.Equal(t, "evals", r.Get("tags.team"), "%s %s: user tags from Pulumi.dev.yaml", r.Type, r.Name)
		assert.Equal(t, "dev", r.Get("tags.crucible-stack"), "%s %s", r.Type, r.Name)
		assert.Equal(t, "crucible", r.Get("tags.crucible-project"), "%s %s", r.Type, r.Name)
		assert.Equal(t, r.Name, r.Get("tags.Name"), "%s %s", r.Type, r.Name)
	}

	assert.GreaterOrEqual(t, tagged, 14, "the VPC, subnet, tables, groups, endpoints, role, profile "+
		"and instance are all taggable")
}

func TestAvailabilityZoneDefaultsToTheFirstZoneAndCanBePinned(t *testing.T) {
	def := rendertest.One(t, rendertest.Render(t), subnetType, "sandbox-private")
	assert.Equal(t, "us-east-1a", def.Get("availabilityZone"))

	pinned := rendertest.One(t, rendertest.Render(t, "availabilityZone=us-east-1c"), subnetType, "sandbox-private")
	assert.Equal(t, "us-east-1c", pinned.Get("availabilityZone"))
}

func TestCustomCIDRsReachTheResources(t *testing.T) {
	res := rendertest.Render(t, "vpcCidr=172.20.0.0/20", "publicSubnetCidr=172.20.0.0/24",
		"privateSubnetCidr=172.20.8.0/22", "enableNat=true")

	assert.Equal(t, "172.20.0.0/20", rendertest.One(t, res, vpcType, "sandbox-vpc").Get("cidrBlock"))
	assert.Equal(t, "172.20.8.0/22", rendertest.One(t, res, subnetType, "sandbox-private").Get("cidrBlock"))
	assert.Equal(t, "172.20.0.0/24", rendertest.One(t, res, subnetType, "sandbox-public").Get("cidrBlock"))

	ip := netip.MustParseAddr(rendertest.One(t, res, instanceType, "sandbox-host-instance").String("privateIp"))
	assert.True(t, netip.MustParsePrefix("172.20.8.0/22").Contains(ip),
		"the host's address %s comes from the private subnet", ip)
}
