package settings

import "slices"

// Namespace is the configuration namespace of the project's own keys.
const Namespace = "crucible"

// RegionKey is the AWS provider's region key; the program needs it to name service endpoints.
const RegionKey = "aws:region"

// Key describes one configuration key of the crucible namespace: the single source of its type,
// default and description. Pulumi.yaml declares the same keys, and a test keeps the two equal.
type Key struct {
	// Name is the key without its namespace, as written in Pulumi.yaml.
	Name string
	// Type is the Pulumi config type: string, boolean, integer or array; objects are written as
	// string-keyed maps and declared without a type.
	Type string
	// Items is the element type of an array key (string, integer); empty for other types.
	Items string
	// Default is the value used when the stack does not set the key; nil means no default.
	Default any
	// Description says what the key does, for Pulumi.yaml and the README.
	Description string
}

// Keys lists every key the program reads, in the order the README documents them: the sandbox's
// own, then session audit and operator access, then containment, then the stack's role.
var Keys = slices.Concat(sandboxKeys, auditKeys, containmentKeys, platformKeys)

var sandboxKeys = []Key{
	{
		Name: "vpcCidr", Type: "string", Default: "10.0.0.0/16",
		Description: "IPv4 CIDR of the VPC; prefix length /16 to /28.",
	},
	{
		Name: "publicSubnetCidr", Type: "string", Default: "10.0.1.0/24",
		Description: "CIDR of the public subnet that holds only the NAT gateway; " +
			"used only when enableNat is true.",
	},
	{
		Name: "privateSubnetCidr", Type: "string", Default: "10.0.2.0/24",
		Description: "CIDR of the private subnet that holds the host and the endpoints.",
	},
	{
		Name: "availabilityZone", Type: "string",
		Description: "Availability zone of the subnets; default: the region's first zone.",
	},
	{
		Name: "enableNat", Type: "boolean", Default: false,
		Description: "Give the host outbound internet through a NAT gateway. " +
			"Off by default: maximum isolation.",
	},
	{
		Name: "instanceType", Type: "string", Default: "t3.medium",
		Description: "EC2 instance type of the host.",
	},
	{
		Name: "amiId", Type: "string",
		Description: "Pin the host's AMI; default: the latest Amazon Linux 2023 image for the " +
			"instance type's architecture, read from AWS's public SSM parameter.",
	},
	{
		Name: "rootVolumeGiB", Type: "integer", Default: 30,
		Description: "Size of the encrypted gp3 root volume in GiB (8 to 16384).",
	},
	{
		Name:        "tags",
		Description: "Tags merged into every taggable resource (map of string to string).",
	},
}

// lookupKey returns the declaration of a crucible key by its short name.
func lookupKey(name string) (Key, bool) {
	for _, k := range Keys {
		if k.Name == name {
			return k, true
		}
	}

	return Key{}, false
}
