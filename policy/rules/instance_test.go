package rules_test

import (
	"testing"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

const (
	volumeType  = "aws:ebs/volume:Volume"
	keyPairType = "aws:ec2/keyPair:KeyPair"
	eipType     = "aws:ec2/eip:Eip"
)

func TestInstanceHasNoPublicAddress(t *testing.T) {
	runResourceCases(t, rules.InstanceNoPublicIP, []resourceCase{
		{
			name: "explicitly private instance passes", typ: instanceType,
			props: map[string]any{"associatePublicIpAddress": false, "publicIp": ""},
		},
		{
			name: "a public IP fails", typ: instanceType,
			props: map[string]any{"associatePublicIpAddress": true, "publicIp": "203.0.113.7"},
			want: []rules.Violation{
				fail("associatePublicIpAddress is true; it must be false: otherwise the subnet's " +
					"setting decides whether the host gets a public address"),
				fail(`publicIp is "203.0.113.7"; it must not be set: the host must have no ` +
					"public IPv4 address"),
			},
		},
		{
			name: "leaving the choice to the subnet fails", typ: instanceType,
			props: map[string]any{},
			want: []rules.Violation{fail("associatePublicIpAddress is not set; it must be " +
				"false: otherwise the subnet's setting decides whether the host gets a public address")},
		},
		{
			name: "IPv6 addresses fail", typ: instanceType,
			props: map[string]any{"associatePublicIpAddress": false, "ipv6AddressCount": 1},
			want: []rules.Violation{fail("ipv6AddressCount is 1; it must be 0: IPv6 addresses " +
				"are reachable from the internet")},
		},
		{
			name: "unknown public address is reported", typ: instanceType,
			props: map[string]any{"associatePublicIpAddress": false, "publicIp": computed},
			want:  []rules.Violation{unchecked("publicIp")},
		},
		{
			name: "an Elastic IP for the NAT gateway passes", typ: eipType,
			props: map[string]any{"domain": "vpc"},
		},
		{
			name: "an Elastic IP on an instance fails", typ: eipType,
			props: map[string]any{"domain": "vpc", "instance": "i-0abc"},
			want: []rules.Violation{fail(`instance is "i-0abc"; it must not be set: an Elastic ` +
				"IP makes the host reachable")},
		},
	})
}

func TestInstanceRequiresIMDSv2(t *testing.T) {
	runResourceCases(t, rules.InstanceIMDSv2Required, []resourceCase{
		{
			name: "tokens required passes", typ: instanceType,
			props: map[string]any{"metadataOptions": map[string]any{"httpTokens": "required"}},
		},
		{
			name: "metadata endpoint disabled passes", typ: instanceType,
			props: map[string]any{"metadataOptions": map[string]any{
				"httpEndpoint": "disabled", "httpTokens": "optional",
			}},
		},
		{
			name: "IMDSv1 allowed fails", typ: instanceType,
			props: map[string]any{"metadataOptions": map[string]any{"httpTokens": "optional"}},
			want: []rules.Violation{fail(`metadataOptions.httpTokens is "optional"; it must be ` +
				`"required": IMDSv1 lets a forged request read the instance role's credentials`)},
		},
		{
			name: "no metadata options fails", typ: instanceType, props: map[string]any{},
			want: []rules.Violation{fail(`metadataOptions.httpTokens is not set; it must be ` +
				`"required": without it, token-less IMDSv1 requests can read the instance ` +
				"role's credentials")},
		},
		{
			name: "unknown tokens setting is reported", typ: instanceType,
			props: map[string]any{"metadataOptions": map[string]any{"httpTokens": computed}},
			want:  []rules.Violation{unchecked("metadataOptions.httpTokens")},
		},
		{
			name: "unknown metadata options are reported", typ: instanceType,
			props: map[string]any{"metadataOptions": unknownOutput},
			want:  []rules.Violation{unchecked("metadataOptions.httpTokens")},
		},
	})
}

func TestInstanceMetadataStaysOnTheHost(t *testing.T) {
	runResourceCases(t, rules.InstanceMetadataHopLimit, []resourceCase{
		{
			name: "hop limit 1 passes", typ: instanceType,
			props: map[string]any{"metadataOptions": map[string]any{"httpPutResponseHopLimit": 1}},
		},
		{
			name: "hop limit 2 fails", typ: instanceType,
			props: map[string]any{"metadataOptions": map[string]any{"httpPutResponseHopLimit": 2}},
			want:  []rules.Violation{fail("metadataOptions.httpPutResponseHopLimit is 2; set it to 1")},
		},
		{
			name: "unknown hop limit is reported", typ: instanceType,
			props: map[string]any{"metadataOptions": map[string]any{"httpPutResponseHopLimit": computed}},
			want:  []rules.Violation{unchecked("metadataOptions.httpPutResponseHopLimit")},
		},
	})
}

func TestInstanceVolumesAreEncrypted(t *testing.T) {
	const why = "the account's default encryption setting must not decide"

	runResourceCases(t, rules.InstanceVolumesEncrypted, []resourceCase{
		{
			name: "encrypted root and data volumes pass", typ: instanceType,
			props: map[string]any{
				"rootBlockDevice": map[string]any{"encrypted": true, "volumeType": "gp3"},
				"ebsBlockDevices": []any{map[string]any{"encrypted": true, "deviceName": "/dev/sdf"}},
			},
		},
		{
			name: "unencrypted root volume fails", typ: instanceType,
			props: map[string]any{"rootBlockDevice": map[string]any{"encrypted": false}},
			want:  []rules.Violation{fail("rootBlockDevice.encrypted is false; it must be true: " + why)},
		},
		{
			name: "root volume left to the account default fails", typ: instanceType,
			props: map[string]any{"rootBlockDevice": map[string]any{"volumeSize": 30}},
			want:  []rules.Violation{fail("rootBlockDevice.encrypted is not set; it must be true: " + why)},
		},
		{
			name: "unencrypted data volume fails", typ: instanceType,
			props: map[string]any{
				"rootBlockDevice": map[string]any{"encrypted": true},
				"ebsBlockDevices": []any{map[string]any{"encrypted": false}},
			},
			want: []rules.Violation{fail("ebsBlockDevices[0].encrypted is false; it must be true: " + why)},
		},
		{
			name: "unencrypted EBS volume fails", typ: volumeType,
			props: map[string]any{"encrypted": false, "size": 10},
			want:  []rules.Violation{fail("encrypted is false; it must be true: " + why)},
		},
		{
			name: "unknown encryption is reported", typ: instanceType,
			props: map[string]any{"rootBlockDevice": map[string]any{"encrypted": computed}},
			want:  []rules.Violation{unchecked("rootBlockDevice.encrypted")},
		},
	})
}

func TestNoSSHKeys(t *testing.T) {
	runResourceCases(t, rules.InstanceNoKeyPair, []resourceCase{
		{
			name: "no key name passes", typ: instanceType,
			props: map[string]any{"instanceType": "t3.medium"},
		},
		{name: "empty key name passes", typ: instanceType, props: map[string]any{"keyName": ""}},
		{
			name: "a key name fails", typ: instanceType, props: map[string]any{"keyName": "laptop"},
			want: []rules.Violation{fail(`keyName is "laptop"; it must not be set: SSH keys ` +
				"bypass Session Manager's authorization and logging")},
		},
		{
			name: "a key pair resource fails", typ: keyPairType,
			props: map[string]any{"publicKey": "ssh-ed25519 AAAA"},
			want: []rules.Violation{fail("the stack creates an EC2 key pair; access must be " +
				"through Session Manager only")},
		},
		{
			name: "unknown key name is reported", typ: instanceType,
			props: map[string]any{"keyName": computed},
			want:  []rules.Violation{unchecked("keyName")},
		},
	})
}

func TestInstanceIsManagedBySSM(t *testing.T) {
	runResourceCases(t, rules.InstanceManagedBySSM, []resourceCase{
		{
			name: "instance profile passes", typ: instanceType,
			props: map[string]any{"iamInstanceProfile": "sandbox-host"},
		},
		{
			name: "no instance profile fails", typ: instanceType, props: map[string]any{},
			want: []rules.Violation{fail("iamInstanceProfile is not set: the Session Manager " +
				"agent cannot register without a role")},
		},
		{
			name: "unknown instance profile is reported", typ: instanceType,
			props: map[string]any{"iamInstanceProfile": computed},
			want:  []rules.Violation{unchecked("iamInstanceProfile")},
		},
	})
}
