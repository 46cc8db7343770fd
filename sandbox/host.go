package sandbox

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/audit"
	"github.com/crucible-sandbox/crucible/compute"
	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/settings"
)

// hostNetwork is where a host lives: the stack's own VPC, or a platform's shared one.
type hostNetwork struct {
	vpcID, subnetID pulumi.StringInput
	endpointClients pulumi.StringInput
	egressPorts     []int
}

// newHost builds the sandbox host: one definition for standalone and evaluation stacks, which
// differ only in their network and in what the host must wait for.
func newHost(
	ctx *pulumi.Context, name string, s *settings.Settings, network hostNetwork,
	role *iam.InstanceRole, wait pulumi.ResourceOption,
) (*compute.Host, error) {
	return compute.NewHost(ctx, name+"-host", &compute.HostArgs{
		VpcID:                 network.vpcID,
		SubnetID:              network.subnetID,
		ExtraSecurityGroupIDs: pulumi.StringArray{network.endpointClients},
		InstanceProfileName:   role.ProfileName,
		InstanceType:          s.InstanceType,
		AmiID:                 s.AmiID,
		RootVolumeGiB:         s.RootVolumeGiB,
		EgressPorts:           network.egressPorts,
		UserData:              audit.RunAsUserData(s.Audit.RunAsUser, s.Audit.Sudo),
		Tags:                  s.ResourceTags(),
	}, wait)
}
