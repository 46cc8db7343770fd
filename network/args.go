package network

import (
	"errors"
	"fmt"
	"net/netip"
)

// DefaultInterfaceEndpoints are the services the Session Manager agent needs without the
// internet: ssm for registration, ssmmessages for the session channel, and ec2messages, which
// agents before 3.3.40.0 still need.
var DefaultInterfaceEndpoints = []string{"ssm", "ssmmessages", "ec2messages"}

// VpcArgs configure a Vpc component.
type VpcArgs struct {
	// Region is the AWS region; it names the endpoint services (com.amazonaws.<region>.<svc>).
	// Required.
	Region string
	// CidrBlock is the VPC's IPv4 block. Required.
	CidrBlock netip.Prefix
	// PrivateSubnetCidr is the private subnet's block, inside CidrBlock. Required.
	PrivateSubnetCidr netip.Prefix
	// PublicSubnetCidr is the public subnet's block; used only with EnableNat.
	PublicSubnetCidr netip.Prefix
	// AvailabilityZone places the subnets. Default: the region's first available zone.
	AvailabilityZone string
	// EnableNat builds the public subnet, internet gateway, elastic IP and NAT gateway and
	// routes the private subnet through them. Default false: no path to the internet at all.
	EnableNat bool
	// InterfaceEndpoints lists the services that get a private interface endpoint. Default:
	// DefaultInterfaceEndpoints. More (logs, kms) are added when session audit uses them.
	InterfaceEndpoints []string
	// Tags are merged into every taggable child. Default: none.
	Tags map[string]string
}

// validate checks the arguments and fills defaults; it runs before any child is registered.
func (a *VpcArgs) validate() error {
	if a.Region == "" {
		return errors.New("region is required")
	}

	if !a.CidrBlock.IsValid() || !a.PrivateSubnetCidr.IsValid() {
		return errors.New("the VPC and private subnet blocks are required")
	}

	if !a.CidrBlock.Overlaps(a.PrivateSubnetCidr) || a.PrivateSubnetCidr.Bits() < a.CidrBlock.Bits() {
		return fmt.Errorf("private subnet %s is not inside %s", a.PrivateSubnetCidr, a.CidrBlock)
	}

	if a.EnableNat {
		if !a.PublicSubnetCidr.IsValid() {
			return errors.New("the public subnet block is required with NAT")
		}

		if a.PublicSubnetCidr.Overlaps(a.PrivateSubnetCidr) {
			return fmt.Errorf("public subnet %s overlaps private subnet %s",
				a.PublicSubnetCidr, a.PrivateSubnetCidr)
		}
	}

	if len(a.InterfaceEndpoints) == 0 {
		a.InterfaceEndpoints = DefaultInterfaceEndpoints
	}

	return nil
}
