package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
)

// Vpc is the sandbox network: the VPC, its private subnet and endpoints, and the optional NAT path.
type Vpc struct {
	pulumi.ResourceState

	// VpcID is the VPC's id.
	VpcID pulumi.StringOutput
	// PrivateSubnetID is the subnet that holds the host and the interface endpoints.
	PrivateSubnetID pulumi.StringOutput
	// PrivateRouteTableID is the private subnet's own route table.
	PrivateRouteTableID pulumi.StringOutput
	// EndpointClientSecurityGroupID is the group a host joins to reach the interface endpoints;
	// it has no rules of its own, it only marks who may connect.
	EndpointClientSecurityGroupID pulumi.StringOutput
	// EndpointSecurityGroupID guards the interface endpoints.
	EndpointSecurityGroupID pulumi.StringOutput
	// NatGatewayID is the NAT gateway's id, or empty when NAT is off.
	NatGatewayID pulumi.StringOutput
}

// NewVpc builds the network. Arguments are validated before anything is registered.
func NewVpc(ctx *pulumi.Context, name string, args *VpcArgs, opts ...pulumi.ResourceOption) (*Vpc, error) {
	if args == nil {
		return nil, fmt.Errorf("network: vpc %q: args are required", name)
	}

	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("network: vpc %q: %w", name, err)
	}

	c := &Vpc{}
	if err := ctx.RegisterComponentResource("crucible:network:Vpc", name, c, opts...); err != nil {
		return nil, fmt.Errorf("network: vpc %q: %w", name, err)
	}

	if err := c.build(ctx, name, args); err != nil {
		return nil, fmt.Errorf("network: vpc %q: %w", name, err)
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"vpcId":                         c.VpcID,
		"privateSubnetId":               c.PrivateSubnetID,
		"privateRouteTableId":           c.PrivateRouteTableID,
		"endpointClientSecurityGroupId": c.EndpointClientSecurityGroupID,
		"endpointSecurityGroupId":       c.EndpointSecurityGroupID,
		"natGatewayId":                  c.NatGatewayID,
	}); err != nil {
		return nil, fmt.Errorf("network: vpc %q: %w", name, err)
	}

	return c, nil
}

func (c *Vpc) build(ctx *pulumi.Context, name string, args *VpcArgs) error {
	parent := pulumi.Parent(c)

	zone, err := availabilityZone(ctx, args.AvailabilityZone, parent)
	if err != nil {
		return err
	}

	vpc, err := ec2.NewVpc(ctx, name+"-vpc", &ec2.VpcArgs{
		CidrBlock:          pulumi.String(args.CidrBlock.String()),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               tags.Named(args.Tags, name+"-vpc"),
	}, parent)
	if err != nil {
		return fmt.Errorf("vpc: %w", err)
	}

	c.VpcID = vpc.ID().ToStringOutput()

	// Taking over the default group strips its rules (Security Hub EC2.2), so nothing that
	// lands in it by accident can talk to anything.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  tags.Named(args.Tags, name+"-default-sg"),
	}, parent); err != nil {
		return fmt.Errorf("default security group: %w", err)
	}

	private, err := newSubnet(ctx, name+"-private", vpc, args.PrivateSubnetCidr.String(), zone, args, parent)
	if err != nil {
		return err
	}

	c.PrivateSubnetID = private.subnet.ID().ToStringOutput()
	c.PrivateRouteTableID = private.routeTable.ID().ToStringOutput()
	c.NatGatewayID = pulumi.String("").ToStringOutput()

	if args.EnableNat {
		nat, err := newNatPath(ctx, name, vpc, zone, private, args, parent)
		if err != nil {
			return err
		}

		c.NatGatewayID = nat.ID().ToStringOutput()
	}

	return c.buildEndpoints(ctx, name, vpc, private, args, parent)
}

// availabilityZone returns the pinned zone or the region's first available one.
func availabilityZone(ctx *pulumi.Context, pinned string, opts ...pulumi.InvokeOption) (string, error) {
	if pinned != "" {
		return pinned, nil
	}

	zones, err := aws.GetAvailabilityZones(ctx, &aws.GetAvailabilityZonesArgs{
		State: pulumi.StringRef("available"),
	}, opts...)
	if err != nil {
		return "", fmt.Errorf("availability zones: %w", err)
	}

	if len(zones.Names) == 0 {
		return "", fmt.Errorf("availability zones: the region reports no available zone")
	}

	return zones.Names[0], nil
}

// subnet is a subnet with its own route table.
type subnet struct {
	subnet     *ec2.Subnet
	routeTable *ec2.RouteTable
}

func newSubnet(
	ctx *pulumi.Context, name string, vpc *ec2.Vpc, cidr, zone string, args *VpcArgs,
	parent pulumi.ResourceOption,
) (*subnet, error) {
	sn, err := ec2.NewSubnet(ctx, name, &ec2.SubnetArgs{
		VpcId:            vpc.ID(),
		CidrBlock:        pulumi.String(cidr),
		AvailabilityZone: pulumi.String(zone),
		// Security Hub EC2.15: no subnet hands out public addresses, the public one included;
		// the NAT gateway gets its address from its own elastic IP.
		MapPublicIpOnLaunch: pulumi.Bool(false),
		Tags:                tags.Named(args.Tags, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("subnet %s: %w", name, err)
	}

	rt, err := ec2.NewRouteTable(ctx, name+"-rt", &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  tags.Named(args.Tags, name+"-rt"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("route table %s: %w", name, err)
	}

	if _, err := ec2.NewRouteTableAssociation(ctx, name+"-rta", &ec2.RouteTableAssociationArgs{
		SubnetId:     sn.ID(),
		RouteTableId: rt.ID(),
	}, parent); err != nil {
		return nil, fmt.Errorf("route table association %s: %w", name, err)
	}

	return &subnet{subnet: sn, routeTable: rt}, nil
}

// newNatPath builds the public subnet that holds only the NAT gateway, and the two default
// routes: public to the internet gateway, private to the NAT gateway.
func newNatPath(
	ctx *pulumi.Context, name string, vpc *ec2.Vpc, zone string, private *subnet, args *VpcArgs,
	parent pulumi.ResourceOption,
) (*ec2.NatGateway, error) {
	public, err := newSubnet(ctx, name+"-public", vpc, args.PublicSubnetCidr.String(), zone, args, parent)
	if err != nil {
		return nil, err
	}

	igw, err := ec2.NewInternetGateway(ctx, name+"-igw", &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  tags.Named(args.Tags, name+"-igw"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("internet gateway: %w", err)
	}

	if _, err := ec2.NewRoute(ctx, name+"-public-default", &ec2.RouteArgs{
		RouteTableId:         public.routeTable.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, parent); err != nil {
		return nil, fmt.Errorf("public default route: %w", err)
	}

	eip, err := ec2.NewEip(ctx, name+"-nat-eip", &ec2.EipArgs{
		Domain: pulumi.String("vpc"),
		Tags:   tags.Named(args.Tags, name+"-nat-eip"),
	}, parent, pulumi.DependsOn([]pulumi.Resource{igw}))
	if err != nil {
		return nil, fmt.Errorf("nat elastic ip: %w", err)
	}

	nat, err := ec2.NewNatGateway(ctx, name+"-nat", &ec2.NatGatewayArgs{
		AllocationId: eip.AllocationId,
		SubnetId:     public.subnet.ID(),
		Tags:         tags.Named(args.Tags, name+"-nat"),
	}, parent, pulumi.DependsOn([]pulumi.Resource{igw}))
	if err != nil {
		return nil, fmt.Errorf("nat gateway: %w", err)
	}

	if _, err := ec2.NewRoute(ctx, name+"-private-default", &ec2.RouteArgs{
		RouteTableId:         private.routeTable.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		NatGatewayId:         nat.ID(),
	}, parent); err != nil {
		return nil, fmt.Errorf("private default route: %w", err)
	}

	return nat, nil
}
