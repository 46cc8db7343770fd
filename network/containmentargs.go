package network

import (
	"errors"
	"fmt"
	"slices"

	"github.com/crucible-sandbox/crucible/settings"
)

// validateContainment checks the arguments of the containment controls the Vpc builds itself:
// the endpoint policies' perimeter and the network ACL's egress ports.
func (a *VpcArgs) validateContainment() error {
	if !settings.AccountIDPattern.MatchString(a.AccountID) {
		return fmt.Errorf("account id %q is not a twelve-digit AWS account id", a.AccountID)
	}

	if a.Partition == "" {
		return errors.New("the partition is required")
	}

	if len(a.EgressPorts) == 0 {
		a.EgressPorts = []int{HTTPSPort}
	}

	for _, p := range a.EgressPorts {
		if p < 1 || p > 65535 {
			return fmt.Errorf("egress port %d is outside 1-65535", p)
		}
	}

	a.EgressPorts = slices.Compact(slices.Sorted(slices.Values(a.EgressPorts)))
	if !slices.Contains(a.EgressPorts, HTTPSPort) {
		return fmt.Errorf("egress ports %v must include %d, the port of the AWS endpoints",
			a.EgressPorts, HTTPSPort)
	}

	return nil
}
