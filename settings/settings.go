package settings

import "net/netip"

// Settings is the validated configuration of one stack. Components receive parts of it as typed
// arguments; nothing downstream reads configuration again.
type Settings struct {
	// Project and Stack name the Pulumi project and stack; they prefix names and tags.
	Project string
	Stack   string

	// Role is what the stack builds: RoleStandalone, RolePlatform or RoleEvaluation.
	Role string
	// PlatformStack is the platform stack an evaluation stack reads; empty for other roles.
	PlatformStack string

	// Region is the AWS region (aws:region).
	Region string

	// VpcCidr is the VPC's IPv4 block.
	VpcCidr netip.Prefix
	// PublicSubnetCidr is the block of the public subnet that exists only when EnableNat is set.
	PublicSubnetCidr netip.Prefix
	// PrivateSubnetCidr is the block of the subnet that holds the host and the endpoints.
	PrivateSubnetCidr netip.Prefix
	// AvailabilityZone pins the zone; empty means the region's first available zone.
	AvailabilityZone string
	// EnableNat gives the host outbound internet through a NAT gateway.
	EnableNat bool

	// InstanceType is the host's EC2 instance type.
	InstanceType string
	// AmiID pins the host's image; empty means the latest Amazon Linux 2023 image.
	AmiID string
	// RootVolumeGiB is the root volume size.
	RootVolumeGiB int

	// Tags are the user's tags, merged into every taggable resource.
	Tags map[string]string

	// Audit configures session logging and operator access.
	Audit Audit
	// Containment configures what keeps the evaluated agent inside its host.
	Containment Containment
}

// ResourceTags returns the tags every taggable resource carries: the user's tags plus the
// project's own, which identify the stack for access policies and cost reports.
func (s *Settings) ResourceTags() map[string]string {
	tags := make(map[string]string, len(s.Tags)+2)
	for k, v := range s.Tags {
		tags[k] = v
	}

	tags[ProjectTag] = s.Project
	tags[StackTag] = s.Stack

	return tags
}

// ProjectTag and StackTag are the tag keys the program sets on every taggable resource. Operator
// access policies match StackTag, so users cannot override either.
const (
	ProjectTag = "crucible-project"
	StackTag   = "crucible-stack"
)
