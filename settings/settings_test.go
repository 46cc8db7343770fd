package settings

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func source(values map[string]string) Source {
	v := map[string]string{RegionKey: "us-east-1"}
	for k, val := range values {
		v[k] = val
	}

	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}

	return Source{Project: "crucible", Stack: "test", Values: v, Keys: keys}
}

func TestDefaultsAreTheMostIsolatedSandbox(t *testing.T) {
	s, err := Parse(source(nil))
	require.NoError(t, err)

	assert.Equal(t, netip.MustParsePrefix("10.0.0.0/16"), s.VpcCidr)
	assert.Equal(t, netip.MustParsePrefix("10.0.1.0/24"), s.PublicSubnetCidr)
	assert.Equal(t, netip.MustParsePrefix("10.0.2.0/24"), s.PrivateSubnetCidr)
	assert.False(t, s.EnableNat, "NAT must be off unless asked for: no route to the internet")
	assert.Equal(t, "t3.medium", s.InstanceType)
	assert.Equal(t, "", s.AmiID, "no pin: the latest AL2023 image is looked up")
	assert.Equal(t, 30, s.RootVolumeGiB)
	assert.Equal(t, "", s.AvailabilityZone)
	assert.Equal(t, "us-east-1", s.Region)
	assert.Empty(t, s.Tags)
}

func TestValuesFromTheStackOverrideDefaults(t *testing.T) {
	s, err := Parse(source(map[string]string{
		"crucible:vpcCidr":           "172.16.0.0/20",
		"crucible:privateSubnetCidr": "172.16.4.0/24",
		"crucible:publicSubnetCidr":  "172.16.5.0/24",
		"crucible:enableNat":         "true",
		"crucible:instanceType":      "m7g.large",
		"crucible:amiId":             "ami-0123456789abcdef0",
		"crucible:rootVolumeGiB":     "64",
		"crucible:availabilityZone":  "us-east-1c",
		"crucible:tags":              `{"team":"evals","cost-center":"42"}`,
	}))
	require.NoError(t, err)

	assert.Equal(t, netip.MustParsePrefix("172.16.0.0/20"), s.VpcCidr)
	assert.Equal(t, netip.MustParsePrefix("172.16.4.0/24"), s.PrivateSubnetCidr)
	assert.True(t, s.EnableNat)
	assert.Equal(t, "m7g.large", s.InstanceType)
	assert.Equal(t, "ami-0123456789abcdef0", s.AmiID)
	assert.Equal(t, 64, s.RootVolumeGiB)
	assert.Equal(t, "us-east-1c", s.AvailabilityZone)
	assert.Equal(t, map[string]string{"team": "evals", "cost-center": "42"}, s.Tags)
}

func TestResourceTagsAddTheStackIdentity(t *testing.T) {
	s, err := Parse(source(map[string]string{"crucible:tags": `{"team":"evals"}`}))
	require.NoError(t, err)

	assert.Equal(t, map[string]string{
		"team":             "evals",
		"crucible-project": "crucible",
		"crucible-stack":   "test",
	}, s.ResourceTags())
}

func TestInvalidConfigurationNamesTheKeyAndWhatIsAllowed(t *testing.T) {
	cases := []struct {
		name   string
		values map[string]string
		want   string
	}{
		{
			"unparsable VPC CIDR",
			map[string]string{"crucible:vpcCidr": "10.0.0.0/33"},
			`crucible:vpcCidr: "10.0.0.0/33" is not an IPv4 CIDR such as 10.0.0.0/16`,
		},
		{
			"IPv6 VPC CIDR",
			map[string]string{"crucible:vpcCidr": "fd00::/56"},
			`crucible:vpcCidr: "fd00::/56" is not IPv4; the sandbox uses IPv4 only`,
		},
		{
			"CIDR with host bits",
			map[string]string{"crucible:privateSubnetCidr": "10.0.2.7/24"},
			`crucible:privateSubnetCidr: "10.0.2.7/24" has host bits set; write the network ` +
				`address, 10.0.2.0/24`,
		},
		{
			"VPC prefix too large",
			map[string]string{"crucible:vpcCidr": "10.0.0.0/8"},
			"crucible:vpcCidr: 10.0.0.0/8 has prefix /8; AWS allows /16 to /28",
		},
		{
			"VPC prefix too small",
			map[string]string{
				"crucible:vpcCidr": "10.0.0.0/29", "crucible:privateSubnetCidr": "10.0.0.0/29",
			},
			"crucible:vpcCidr: 10.0.0.0/29 has prefix /29; AWS allows /16 to /28",
		},
		{
			"private subnet outside the VPC",
			map[string]string{"crucible:privateSubnetCidr": "192.168.2.0/24"},
			"crucible:privateSubnetCidr: 192.168.2.0/24 is not inside vpcCidr 10.0.0.0/16",
		},
		{
			"private subnet larger than the VPC",
			map[string]string{"crucible:privateSubnetCidr": "10.0.0.0/15"},
			"crucible:privateSubnetCidr: 10.0.0.0/15 is not inside vpcCidr 10.0.0.0/16",
		},
		{
			"public subnet outside the VPC with NAT",
			map[string]string{
				"crucible:enableNat": "true", "crucible:publicSubnetCidr": "10.1.1.0/24",
			},
			"crucible:publicSubnetCidr: 10.1.1.0/24 is not inside vpcCidr 10.0.0.0/16",
		},
		{
			"overlapping subnets with NAT",
			map[string]string{
				"crucible:enableNat":         "true",
				"crucible:publicSubnetCidr":  "10.0.2.0/25",
				"crucible:privateSubnetCidr": "10.0.2.0/24",
			},
			"crucible:publicSubnetCidr: 10.0.2.0/25 overlaps privateSubnetCidr 10.0.2.0/24; " +
				"subnets must not overlap",
		},
		{
			"unknown key",
			map[string]string{"crucible:enableNAT": "true"},
			"crucible:enableNAT: unknown key; the crucible namespace has: vpcCidr,",
		},
		{
			"malformed instance type",
			map[string]string{"crucible:instanceType": "T3 Medium"},
			`crucible:instanceType: "T3 Medium" is not an EC2 instance type such as t3.medium`,
		},
		{
			"malformed AMI id",
			map[string]string{"crucible:amiId": "ami-12345"},
			`crucible:amiId: "ami-12345" is not an AMI id: ami- followed by 8 or 17 hex digits`,
		},
		{
			"boolean that is not one",
			map[string]string{"crucible:enableNat": "yes"},
			`crucible:enableNat: "yes" is not a boolean; allowed: true or false`,
		},
		{
			"root volume too small",
			map[string]string{"crucible:rootVolumeGiB": "4"},
			`crucible:rootVolumeGiB: "4" is not a whole number from 8 to 16384`,
		},
		{
			"tags that are not a map",
			map[string]string{"crucible:tags": `["a"]`},
			"crucible:tags: is not a map of string to string",
		},
		{
			"tag that overrides the stack identity",
			map[string]string{"crucible:tags": `{"crucible-stack":"prod"}`},
			`crucible:tags: tag key "crucible-stack" is set by the program and cannot be overridden`,
		},
		{
			"reserved aws: tag prefix",
			map[string]string{"crucible:tags": `{"aws:owner":"x"}`},
			`crucible:tags: tag key "aws:owner": the aws: prefix is reserved by AWS`,
		},
		{
			"malformed availability zone",
			map[string]string{"crucible:availabilityZone": "east"},
			`crucible:availabilityZone: "east" is not an availability zone name such as us-east-1a`,
		},
		{
			"region missing",
			map[string]string{RegionKey: ""},
			"aws:region: is not set; run `pulumi config set aws:region <region>`",
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(source(tc.values))

			require.Error(t, err)
			assert.Nil(t, s, "no settings may come out of an invalid configuration")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestEveryProblemIsReportedAtOnce(t *testing.T) {
	_, err := Parse(source(map[string]string{
		"crucible:vpcCidr":      "nonsense",
		"crucible:instanceType": "big",
		"crucible:typo":         "1",
	}))

	var cfgErr *Error
	require.ErrorAs(t, err, &cfgErr)
	assert.Len(t, cfgErr.Problems, 3, "one pass must show every problem: %v", err)
}

func TestPublicSubnetIsIgnoredWithoutNat(t *testing.T) {
	// With NAT off the public subnet is never built, so a VPC that does not hold the default
	// public block is fine.
	s, err := Parse(source(map[string]string{
		"crucible:vpcCidr":           "192.168.0.0/24",
		"crucible:privateSubnetCidr": "192.168.0.0/26",
	}))
	require.NoError(t, err)
	assert.Equal(t, netip.MustParsePrefix("192.168.0.0/26"), s.PrivateSubnetCidr)
}

func TestUnknownKeysAreNotCheckedWhenTheCallerCannotListThem(t *testing.T) {
	src := source(map[string]string{"crucible:typo": "1"})
	src.Keys = nil

	_, err := Parse(src)
	assert.NoError(t, err)
}

func TestOtherNamespacesAreNotOurs(t *testing.T) {
	_, err := Parse(source(map[string]string{"aws:profile": "dev", "other:key": "x"}))
	assert.NoError(t, err)
}
