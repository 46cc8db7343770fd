package network

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
)

// Linux picks the source ports of outgoing connections from 32768 up (Amazon Linux 2023 stops at
// 60999); replies come back to them. Starting there keeps SSH and RDP out of every range open to
// addresses outside the subnet.
const (
	EphemeralPortFirst = 32768
	EphemeralPortLast  = 65535
)

// AnyIPv4 is every IPv4 address.
const AnyIPv4 = "0.0.0.0/0"

// AclEntry is one network ACL rule. Network ACLs are stateless: each allowed connection needs
// an entry for its requests and one for its replies.
type AclEntry struct {
	RuleNumber int
	Egress     bool
	Action     string // allow or deny
	Protocol   string // tcp, or -1 for every protocol
	CidrBlock  string
	FromPort   int
	ToPort     int
}

// PrivateSubnetAclEntries are the private subnet's rules. Within the subnet: HTTPS to the
// interface endpoints and their replies. The rest of the VPC: nothing, either way, so no other
// subnet (the NAT gateway's included) can open a connection to the host. Outside the VPC: the
// egress ports out (S3 through its gateway endpoint, and the internet with NAT) and replies back
// to ephemeral ports. Everything else meets the ACL's final implicit deny.
//
// The Amazon DNS server, instance metadata and the Time Sync Service are not filtered by network
// ACLs at all; the DNS Firewall guards the resolver.
func PrivateSubnetAclEntries(vpc, private netip.Prefix, egressPorts []int) []AclEntry {
	subnet := private.String()
	entries := []AclEntry{
		{100, false, "allow", "tcp", subnet, HTTPSPort, HTTPSPort},
		{110, false, "allow", "tcp", subnet, EphemeralPortFirst, EphemeralPortLast},
		{200, false, "deny", "-1", vpc.String(), 0, 0},
		{300, false, "allow", "tcp", AnyIPv4, EphemeralPortFirst, EphemeralPortLast},
		{100, true, "allow", "tcp", subnet, HTTPSPort, HTTPSPort},
		{110, true, "allow", "tcp", subnet, EphemeralPortFirst, EphemeralPortLast},
		{200, true, "deny", "-1", vpc.String(), 0, 0},
	}

	for i, port := range egressPorts {
		entries = append(entries, AclEntry{300 + 10*i, true, "allow", "tcp", AnyIPv4, port, port})
	}

	return entries
}

// buildNetworkACL gives the private subnet its own network ACL, replacing the VPC's default one,
// which allows everything.
func (c *Vpc) buildNetworkACL(
	ctx *pulumi.Context, name string, vpc *ec2.Vpc, private *subnet, args *VpcArgs,
	parent pulumi.ResourceOption,
) error {
	acl, err := ec2.NewNetworkAcl(ctx, name+"-private-acl", &ec2.NetworkAclArgs{
		VpcId: vpc.ID(),
		Tags:  tags.Named(args.Tags, name+"-private-acl"),
	}, parent)
	if err != nil {
		return fmt.Errorf("private network acl: %w", err)
	}

	entries := PrivateSubnetAclEntries(args.CidrBlock, args.PrivateSubnetCidr, args.EgressPorts)
	for _, e := range entries {
		direction := "in"
		if e.Egress {
			direction = "out"
		}

		ruleName := fmt.Sprintf("%s-private-acl-%s-%d", name, direction, e.RuleNumber)
		rule, err := ec2.NewNetworkAclRule(ctx, ruleName, &ec2.NetworkAclRuleArgs{
			NetworkAclId: acl.ID(),
			RuleNumber:   pulumi.Int(e.RuleNumber),
			Egress:       pulumi.Bool(e.Egress),
			RuleAction:   pulumi.String(e.Action),
			Protocol:     pulumi.String(e.Protocol),
			CidrBlock:    pulumi.String(e.CidrBlock),
			FromPort:     pulumi.Int(e.FromPort),
			ToPort:       pulumi.Int(e.ToPort),
		}, parent)
		if err != nil {
			return fmt.Errorf("network acl rule %s: %w", ruleName, err)
		}

		c.Guards = append(c.Guards, rule)
	}

	association := &ec2.NetworkAclAssociationArgs{
		NetworkAclId: acl.ID(),
		SubnetId:     private.subnet.ID(),
	}
	assoc, err := ec2.NewNetworkAclAssociation(ctx, name+"-private-acl-assoc", association, parent)
	if err != nil {
		return fmt.Errorf("private network acl association: %w", err)
	}

	c.Guards = append(c.Guards, assoc)

	c.PrivateNetworkACLID = acl.ID().ToStringOutput()

	return nil
}
