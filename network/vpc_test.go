package network_test

import (
	"net/netip"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/network"
)

const (
	vpcType      = "aws:ec2/vpc:Vpc"
	subnetType   = "aws:ec2/subnet:Subnet"
	routeType    = "aws:ec2/route:Route"
	sgType       = "aws:ec2/securityGroup:SecurityGroup"
	endpointType = "aws:ec2/vpcEndpoint:VpcEndpoint"
)

func renderVpc(t *testing.T, args network.VpcArgs) *render.Result {
	t.Helper()

	program := func(ctx *pulumi.Context) error {
		_, err := network.NewVpc(ctx, "net", &args)

		return err
	}

	return rendertest.RenderConfig(t, rendertest.Config(t, "aws:region=eu-west-1"), render.WithProgram(program))
}

func baseArgs() network.VpcArgs {
	return network.VpcArgs{
		Region:            "eu-west-1",
		CidrBlock:         netip.MustParsePrefix("10.20.0.0/16"),
		PrivateSubnetCidr: netip.MustParsePrefix("10.20.8.0/24"),
		PublicSubnetCidr:  netip.MustParsePrefix("10.20.9.0/24"),
		Tags:              map[string]string{"team": "evals"},
	}
}

func TestVpcHasDNSForPrivateEndpoints(t *testing.T) {
	res := renderVpc(t, baseArgs())

	vpc := rendertest.One(t, res, vpcType, "net-vpc")
	assert.Equal(t, "10.20.0.0/16", vpc.Get("cidrBlock"))
	assert.Equal(t, true, vpc.Get("enableDnsSupport"), "private DNS of endpoints needs DNS support")
	assert.Equal(t, true, vpc.Get("enableDnsHostnames"), "private DNS of endpoints needs DNS hostnames")
	assert.Equal(t, "evals", vpc.Get("tags.team"))
	assert.Equal(t, "net-vpc", vpc.Get("tags.Name"))
}

func TestWithoutNatNothingPublicIsBuilt(t *testing.T) {
	res := renderVpc(t, baseArgs())

	for _, typ := range []string{
		"aws:ec2/internetGateway:InternetGateway", "aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway",
	} {
		assert.Empty(t, res.OfType(typ), "NAT off must build no %s", typ)
	}

	assert.Len(t, res.OfType(subnetType), 1, "only the private subnet exists without NAT")
	assert.Empty(t, res.OfType(routeType), "the private subnet has no default route without NAT")

	private := rendertest.One(t, res, subnetType, "net-private")
	assert.Equal(t, "10.20.8.0/24", private.Get("cidrBlock"))
	assert.Equal(t, false, private.Get("mapPublicIpOnLaunch"), "Security Hub EC2.15")
	assert.Equal(t, "eu-west-1a", private.Get("availabilityZone"),
		"the first available zone of the region is the default")
}

func TestWithNatTheOnlyPathOutIsThroughTheNatGateway(t *testing.T) {
	args := baseArgs()
	args.EnableNat = true
	args.AvailabilityZone = "eu-west-1b"
	res := renderVpc(t, args)

	igws := res.OfType("aws:ec2/internetGateway:InternetGateway")
	eips := res.OfType("aws:ec2/eip:Eip")
	nats := res.OfType("aws:ec2/natGateway:NatGateway")
	require.Len(t, igws, 1)
	require.Len(t, eips, 1)
	require.Len(t, nats, 1)

	public := rendertest.One(t, res, subnetType, "net-public")
	assert.Equal(t, "10.20.9.0/24", public.Get("cidrBlock"))
	assert.Equal(t, false, public.Get("mapPublicIpOnLaunch"),
		"even the public subnet assigns no public address (EC2.15)")
	assert.Equal(t, "eu-west-1b", public.Get("availabilityZone"))

	assert.Equal(t, "vpc", eips[0].Get("domain"))
	assert.Equal(t, public.ID, nats[0].Get("subnetId"), "the NAT gateway lives in the public subnet")
	assert.Equal(t, eips[0].ID, nats[0].Get("allocationId"))

	publicRT := rendertest.One(t, res, "aws:ec2/routeTable:RouteTable", "net-public-rt")
	privateRT := rendertest.One(t, res, "aws:ec2/routeTable:RouteTable", "net-private-rt")

	publicDefault := rendertest.One(t, res, routeType, "net-public-default")
	assert.Equal(t, publicRT.ID, publicDefault.Get("routeTableId"))
	assert.Equal(t, "0.0.0.0/0", publicDefault.Get("destinationCidrBlock"))
	assert.Equal(t, igws[0].ID, publicDefault.Get("gatewayId"))

	privateDefault := rendertest.One(t, res, routeType, "net-private-default")
	assert.Equal(t, privateRT.ID, privateDefault.Get("routeTableId"))
	assert.Equal(t, "0.0.0.0/0", privateDefault.Get("destinationCidrBlock"))
	assert.Equal(t, nats[0].ID, privateDefault.Get("natGatewayId"))
	assert.Nil(t, privateDefault.Get("gatewayId"), "the private subnet never routes to the IGW")

	assert.Len(t, res.OfType(routeType), 2, "exactly the two default routes")
}

func TestEachSubnetHasItsOwnRouteTable(t *testing.T) {
	args := baseArgs()
	args.EnableNat = true
	res := renderVpc(t, args)

	for _, sn := range []string{"net-private", "net-public"} {
		subnet := rendertest.One(t, res, subnetType, sn)
		rt := rendertest.One(t, res, "aws:ec2/routeTable:RouteTable", sn+"-rt")
		assoc := rendertest.One(t, res, "aws:ec2/routeTableAssociation:RouteTableAssociation", sn+"-rta")

		assert.Equal(t, subnet.ID, assoc.Get("subnetId"))
		assert.Equal(t, rt.ID, assoc.Get("routeTableId"))
	}
}

func TestSessionManagerEndpointsExistWithPrivateDNSInBothModes(t *testing.T) {
	for _, nat := range []bool{false, true} {
		args := baseArgs()
		args.EnableNat = nat
		res := renderVpc(t, args)

		private := rendertest.One(t, res, subnetType, "net-private")
		endpointSg := rendertest.One(t, res, sgType, "net-endpoints")

		for _, svc := range []string{"ssm", "ssmmessages", "ec2messages"} {
			ep := rendertest.One(t, res, endpointType, "net-"+svc)
			assert.Equal(t, "com.amazonaws.eu-west-1."+svc, ep.Get("serviceName"), "nat=%v", nat)
			assert.Equal(t, "Interface", ep.Get("vpcEndpointType"))
			assert.Equal(t, true, ep.Get("privateDnsEnabled"), "%s needs private DNS", svc)
			assert.Equal(t, []any{private.ID}, ep.Get("subnetIds"))
			assert.Equal(t, []any{endpointSg.ID}, ep.Get("securityGroupIds"))
		}

		s3 := rendertest.One(t, res, endpointType, "net-s3")
		privateRT := rendertest.One(t, res, "aws:ec2/routeTable:RouteTable", "net-private-rt")
		assert.Equal(t, "com.amazonaws.eu-west-1.s3", s3.Get("serviceName"))
		assert.Equal(t, "Gateway", s3.Get("vpcEndpointType"))
		assert.Equal(t, []any{privateRT.ID}, s3.Get("routeTableIds"))
	}
}

func TestEndpointGroupAcceptsHTTPSOnlyFromEndpointClients(t *testing.T) {
	res := renderVpc(t, baseArgs())

	clients := rendertest.One(t, res, sgType, "net-endpoint-clients")
	assert.Equal(t, []any{}, clients.Get("ingress"), "the marker group has no rules")
	assert.Equal(t, []any{}, clients.Get("egress"), "the marker group has no rules")

	endpoints := rendertest.One(t, res, sgType, "net-endpoints")
	assert.Equal(t, []any{map[string]any{
		"description":    "HTTPS from endpoint clients",
		"protocol":       "tcp",
		"fromPort":       float64(443),
		"toPort":         float64(443),
		"securityGroups": []any{clients.ID},
	}}, endpoints.Get("ingress"))
	assert.Equal(t, []any{}, endpoints.Get("egress"), "endpoints never open connections")
}

func TestDefaultSecurityGroupIsTakenOverWithNoRules(t *testing.T) {
	res := renderVpc(t, baseArgs())

	vpc := rendertest.One(t, res, vpcType, "net-vpc")
	def := rendertest.One(t, res, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "net-default-sg")
	assert.Equal(t, vpc.ID, def.Get("vpcId"))
	assert.Nil(t, def.Get("ingress"), "Security Hub EC2.2: the default group has no rules")
	assert.Nil(t, def.Get("egress"), "Security Hub EC2.2: the default group has no rules")
}

func TestEveryChildIsParentedToTheComponent(t *testing.T) {
	args := baseArgs()
	args.EnableNat = true
	res := renderVpc(t, args)

	comp := rendertest.One(t, res, "crucible:network:Vpc", "net")
	for _, r := range res.Resources {
		if r.Custom {
			assert.Equal(t, comp.URN, r.Parent, "%s %s must be a child of the component", r.Type, r.Name)
		}
	}
}

func TestInvalidArgumentsRegisterNothing(t *testing.T) {
	cases := map[string]func(a *network.VpcArgs){
		"missing region":        func(a *network.VpcArgs) { a.Region = "" },
		"subnet outside vpc":    func(a *network.VpcArgs) { a.PrivateSubnetCidr = netip.MustParsePrefix("10.99.0.0/24") },
		"overlap with nat":      func(a *network.VpcArgs) { a.EnableNat = true; a.PublicSubnetCidr = a.PrivateSubnetCidr },
		"nat without public":    func(a *network.VpcArgs) { a.EnableNat = true; a.PublicSubnetCidr = netip.Prefix{} },
		"missing private block": func(a *network.VpcArgs) { a.PrivateSubnetCidr = netip.Prefix{} },
	}

	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			args := baseArgs()
			mutate(&args)

			program := func(ctx *pulumi.Context) error {
				_, err := network.NewVpc(ctx, "net", &args)

				return err
			}

			res, err := render.Render(rendertest.Config(t), render.WithProgram(program))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `network: vpc "net":`)
			assert.Len(t, res.Resources, 1, "only the root stack: nothing may be registered")
		})
	}
}
