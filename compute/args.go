package compute

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// HostArgs configure a Host component.
type HostArgs struct {
	// VpcID is the VPC of the host's security group. Required.
	VpcID pulumi.StringInput
	// SubnetID is the private subnet the host lives in. Required.
	SubnetID pulumi.StringInput
	// ExtraSecurityGroupIDs are groups the host joins besides its own, such as the endpoint
	// client marker group. Default: none.
	ExtraSecurityGroupIDs pulumi.StringArrayInput
	// InstanceProfileName is the profile carrying the host's role. Required.
	InstanceProfileName pulumi.StringInput
	// InstanceType is the EC2 instance type. Required.
	InstanceType string
	// AmiID pins the image. Default: the latest Amazon Linux 2023 image for the instance type's
	// architecture, from AWS's public SSM parameter; changes to it are ignored on later updates so
	// a routine `pulumi up` never replaces the host.
	AmiID string
	// RootVolumeGiB is the encrypted gp3 root volume's size. Default 30.
	RootVolumeGiB int
	// EgressPorts are the TCP ports the host may connect out to. Default: [443], what Session
	// Manager and the AWS APIs need.
	EgressPorts []int
	// UserData is the cloud-init script run at first boot; changing it replaces the host.
	// Default: none.
	UserData string
	// Tags are merged into every taggable child. Default: none.
	Tags map[string]string
}

// DefaultRootVolumeGiB is the root volume size when none is given.
const DefaultRootVolumeGiB = 30

func (a *HostArgs) validate() error {
	if a.VpcID == nil || a.SubnetID == nil || a.InstanceProfileName == nil {
		return errors.New("the VPC, subnet and instance profile are required")
	}

	if a.InstanceType == "" {
		return errors.New("the instance type is required")
	}

	if a.RootVolumeGiB == 0 {
		a.RootVolumeGiB = DefaultRootVolumeGiB
	}

	if len(a.EgressPorts) == 0 {
		a.EgressPorts = []int{443}
	}

	for _, p := range a.EgressPorts {
		if p < 1 || p > 65535 {
			return fmt.Errorf("egress port %d is outside 1-65535", p)
		}
	}

	a.EgressPorts = slices.Compact(slices.Sorted(slices.Values(a.EgressPorts)))

	return nil
}
