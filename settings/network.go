package settings

import (
	"fmt"
	"net/netip"
)

// VPC prefix bounds are AWS's: a VPC's primary block is /16 to /28.
const (
	minVpcPrefix = 16
	maxVpcPrefix = 28
)

// validateNetwork checks how the blocks relate to each other. It runs after each block parsed on
// its own, and skips the relations of any block that did not.
func validateNetwork(s *Settings) []error {
	var errs []error

	vpc := s.VpcCidr
	if vpc.IsValid() && (vpc.Bits() < minVpcPrefix || vpc.Bits() > maxVpcPrefix) {
		errs = append(errs, fmt.Errorf("%s:vpcCidr: %s has prefix /%d; AWS allows /%d to /%d",
			Namespace, vpc, vpc.Bits(), minVpcPrefix, maxVpcPrefix))
	}

	subnets := []struct {
		key  string
		cidr netip.Prefix
		used bool
	}{
		{"privateSubnetCidr", s.PrivateSubnetCidr, true},
		{"publicSubnetCidr", s.PublicSubnetCidr, s.EnableNat},
	}

	for _, sn := range subnets {
		if !sn.used || !sn.cidr.IsValid() || !vpc.IsValid() {
			continue
		}

		if !contains(vpc, sn.cidr) {
			errs = append(errs, fmt.Errorf("%s:%s: %s is not inside vpcCidr %s",
				Namespace, sn.key, sn.cidr, vpc))
		}

		if sn.cidr.Bits() > maxVpcPrefix {
			errs = append(errs, fmt.Errorf("%s:%s: %s is smaller than AWS's smallest subnet, /%d",
				Namespace, sn.key, sn.cidr, maxVpcPrefix))
		}
	}

	pub, priv := s.PublicSubnetCidr, s.PrivateSubnetCidr
	if s.EnableNat && pub.IsValid() && priv.IsValid() && pub.Overlaps(priv) {
		errs = append(errs, fmt.Errorf("%s:publicSubnetCidr: %s overlaps privateSubnetCidr %s; "+
			"subnets must not overlap", Namespace, pub, priv))
	}

	return errs
}

// contains reports whether inner lies wholly inside outer.
func contains(outer, inner netip.Prefix) bool {
	return inner.Bits() >= outer.Bits() && outer.Contains(inner.Addr())
}
