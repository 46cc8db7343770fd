package rules

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// InstanceNoPublicIP keeps the host off the internet: no public IPv4 address of its own, no
// Elastic IP, no globally routable IPv6 address.
var InstanceNoPublicIP = Rule{
	ID:       "instance-no-public-ip",
	Controls: []string{"EC2.9"},
	Description: "Instances set associatePublicIpAddress to false and get no public or IPv6 " +
		"address, and no Elastic IP is associated with an instance or network interface.",
	Level:    Mandatory,
	Types:    []string{typeInstance, typeEIP, typeEIPAssociation},
	Resource: instanceNoPublicIP,
}

func instanceNoPublicIP(typ string, props resource.PropertyMap) []Violation {
	r := &report{}

	switch typ {
	case typeInstance:
		r.requireBool(get(props, "associatePublicIpAddress"), false,
			"otherwise the subnet's setting decides whether the host gets a public address")
		requireEmpty(r, get(props, "publicIp"), "the host must have no public IPv4 address")
		requireEmpty(r, get(props, "ipv6Addresses"), "IPv6 addresses are reachable from the internet")
		requireZero(r, get(props, "ipv6AddressCount"), "IPv6 addresses are reachable from the internet")
	case typeEIP:
		requireEmpty(r, get(props, "instance"), "an Elastic IP makes the host reachable")
	case typeEIPAssociation:
		requireEmpty(r, get(props, "instanceId"), "an Elastic IP makes the host reachable")
		requireEmpty(r, get(props, "networkInterfaceId"), "an Elastic IP makes the host reachable")
	}

	return r.out
}

// InstanceIMDSv2Required closes the instance metadata service to token-less requests, which a
// server-side request forgery from code running in the sandbox could otherwise use to read the
// instance role's credentials.
var InstanceIMDSv2Required = Rule{
	ID:       "instance-imdsv2-required",
	Controls: []string{"EC2.8"},
	Description: "Instances require IMDSv2: metadataOptions.httpTokens is \"required\" " +
		"(or the metadata endpoint is disabled).",
	Level:    Mandatory,
	Types:    []string{typeInstance},
	Resource: instanceIMDSv2Required,
}

func instanceIMDSv2Required(_ string, props resource.PropertyMap) []Violation {
	r := &report{}

	endpoint := get(props, "metadataOptions", "httpEndpoint")
	if s, _ := endpoint.str(); s == "disabled" {
		return nil
	}

	tokens := get(props, "metadataOptions", "httpTokens")
	switch tokens.state {
	case unknown:
		r.unknown(tokens.path)
	case absent:
		r.fail("%s is not set; it must be \"required\": without it, token-less IMDSv1 requests "+
			"can read the instance role's credentials", tokens.path)
	default:
		if s, _ := tokens.str(); s != "required" {
			r.fail("%s is %s; it must be \"required\": IMDSv1 lets a forged request read the "+
				"instance role's credentials", tokens.path, tokens.describe())
		}
	}

	return r.out
}

// InstanceMetadataHopLimit keeps metadata responses on the host itself: the agent runs on the
// host, so a hop limit of 1 is enough, and a larger one lets containers on the host reach IMDS.
var InstanceMetadataHopLimit = Rule{
	ID: "instance-metadata-hop-limit",
	Description: "Instances set metadataOptions.httpPutResponseHopLimit to 1, so metadata " +
		"tokens do not travel past the host.",
	Level:    Advisory,
	Types:    []string{typeInstance},
	Resource: instanceMetadataHopLimit,
}

func instanceMetadataHopLimit(_ string, props resource.PropertyMap) []Violation {
	r := &report{}

	limit := get(props, "metadataOptions", "httpPutResponseHopLimit")
	switch limit.state {
	case unknown:
		r.unknown(limit.path)
	case absent:
		r.fail("%s is not set; set it to 1", limit.path)
	default:
		if n, ok := limit.number(); !ok || n != 1 {
			r.fail("%s is %s; set it to 1", limit.path, limit.describe())
		}
	}

	return r.out
}

// InstanceVolumesEncrypted keeps the sandbox's disks encrypted, whatever the account default.
var InstanceVolumesEncrypted = Rule{
	ID:       "instance-volumes-encrypted",
	Controls: []string{"EC2.3"},
	Description: "The root volume, every EBS block device of an instance and every EBS volume " +
		"set encrypted to true.",
	Level:    Mandatory,
	Types:    []string{typeInstance, typeEBSVolume},
	Resource: instanceVolumesEncrypted,
}

func instanceVolumesEncrypted(typ string, props resource.PropertyMap) []Violation {
	r := &report{}
	const why = "the account's default encryption setting must not decide"

	if typ == typeEBSVolume {
		r.requireBool(get(props, "encrypted"), true, why)
		return r.out
	}

	r.requireBool(get(props, "rootBlockDevice", "encrypted"), true, why)

	devices := get(props, "ebsBlockDevices")
	if devices.state == unknown {
		r.unknown(devices.path)
	}

	for _, d := range devices.items() {
		r.requireBool(d.sub("encrypted"), true, why)
	}

	return r.out
}

// InstanceNoKeyPair keeps SSH keys out of the sandbox: access is through Session Manager only,
// where every session is authorized by IAM and logged.
var InstanceNoKeyPair = Rule{
	ID: "instance-no-key-pair",
	Description: "No instance names a key pair (keyName) and the stack creates no EC2 key pair: " +
		"access is through Session Manager only.",
	Level:    Mandatory,
	Types:    []string{typeInstance, typeKeyPair},
	Resource: instanceNoKeyPair,
}

func instanceNoKeyPair(typ string, props resource.PropertyMap) []Violation {
	r := &report{}

	if typ == typeKeyPair {
		r.fail("the stack creates an EC2 key pair; access must be through Session Manager only")
		return r.out
	}

	requireEmpty(r, get(props, "keyName"), "SSH keys bypass Session Manager's authorization "+
		"and logging")

	return r.out
}

// InstanceManagedBySSM gives each instance an instance profile, without which the Session
// Manager agent cannot register and the host is unreachable.
var InstanceManagedBySSM = Rule{
	ID:       "instance-managed-by-ssm",
	Controls: []string{"SSM.1"},
	Description: "Instances have an IAM instance profile (iamInstanceProfile), so Systems " +
		"Manager manages them.",
	Level:    Advisory,
	Types:    []string{typeInstance},
	Resource: instanceManagedBySSM,
}

func instanceManagedBySSM(_ string, props resource.PropertyMap) []Violation {
	r := &report{}
	requireNamed(r, get(props, "iamInstanceProfile"),
		"the Session Manager agent cannot register without a role")

	return r.out
}
