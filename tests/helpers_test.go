// Package tests holds the whole-program scenarios: the real program on the real dev stack and
// its variants, rendered against the AWS stand-in.
package tests

import (
	"testing"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
)

// Resource type tokens the scenarios look at.
const (
	vpcType          = "aws:ec2/vpc:Vpc"
	subnetType       = "aws:ec2/subnet:Subnet"
	routeType        = "aws:ec2/route:Route"
	routeTableType   = "aws:ec2/routeTable:RouteTable"
	rtAssocType      = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	sgType           = "aws:ec2/securityGroup:SecurityGroup"
	sgRuleType       = "aws:ec2/securityGroupRule:SecurityGroupRule"
	sgIngressType    = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	endpointType     = "aws:ec2/vpcEndpoint:VpcEndpoint"
	instanceType     = "aws:ec2/instance:Instance"
	igwType          = "aws:ec2/internetGateway:InternetGateway"
	eipType          = "aws:ec2/eip:Eip"
	natType          = "aws:ec2/natGateway:NatGateway"
	profileType      = "aws:iam/instanceProfile:InstanceProfile"
	defaultSgType    = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	hostComponent    = "crucible:compute:Host"
	networkComponent = "crucible:network:Vpc"
)

// scenario is one named configuration of the whole program.
type scenario struct {
	name      string
	overrides []string
	nat       bool
}

// scenarios are the configurations every invariant must hold for.
var scenarios = []scenario{
	{name: "dev stack as committed"},
	{name: "NAT off explicitly", overrides: []string{"enableNat=false"}},
	{name: "NAT on", overrides: []string{"enableNat=true"}, nat: true},
	{
		name: "custom CIDRs with NAT",
		overrides: []string{
			"vpcCidr=172.20.0.0/20", "publicSubnetCidr=172.20.0.0/24",
			"privateSubnetCidr=172.20.8.0/22", "enableNat=true",
		},
		nat: true,
	},
	{
		name:      "graviton host in a pinned zone",
		overrides: []string{"instanceType=t4g.small", "availabilityZone=us-east-1b"},
	},
}

func (s scenario) render(t *testing.T) *render.Result {
	t.Helper()

	return rendertest.Render(t, s.overrides...)
}

func eachScenario(t *testing.T, check func(t *testing.T, s scenario, res *render.Result)) {
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			check(t, s, s.render(t))
		})
	}
}
