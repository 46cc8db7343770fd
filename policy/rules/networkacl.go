package rules

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// NetworkACLNoAdminPortsFromAnywhere keeps SSH and RDP closed at the subnet boundary as well.
// Network ACLs are stateless, so a subnet behind NAT may admit return traffic from anywhere, but
// only on a range that leaves out ports 22 and 3389 (Linux's 32768-65535, not 1024-65535).
var NetworkACLNoAdminPortsFromAnywhere = Rule{
	ID:       "network-acl-no-admin-ports-from-anywhere",
	Controls: []string{"EC2.21"},
	Description: "No network ACL entry allows ingress from 0.0.0.0/0 or ::/0 to port 22 (SSH) " +
		"or port 3389 (RDP).",
	Level:    Mandatory,
	Types:    []string{typeNetworkACL, typeDefaultNetworkACL, typeNetworkACLRule},
	Resource: networkACLNoAdminPortsFromAnywhere,
}

func networkACLNoAdminPortsFromAnywhere(typ string, props resource.PropertyMap) []Violation {
	r := &report{}

	if typ == typeNetworkACLRule {
		checkNetworkACLRule(r, get(props))
		return r.out
	}

	ingress := get(props, "ingress")
	if ingress.state == unknown {
		r.unknown(ingress.path)
	}

	for _, entry := range ingress.items() {
		if entry.state == unknown {
			r.unknown(entry.path)
			continue
		}

		checkNetworkACLEntry(r, entry, entry.sub("action"))
	}

	return r.out
}

// checkNetworkACLRule checks a standalone rule; egress rules are out of scope.
func checkNetworkACLRule(r *report, rule field) {
	egress := rule.sub("egress")
	if egress.state == unknown {
		r.unknown(egress.path)
		return
	}

	if isEgress, _ := egress.boolean(); isEgress {
		return
	}

	checkNetworkACLEntry(r, rule, rule.sub("ruleAction"))
}

// checkNetworkACLEntry fails an allow entry that opens SSH or RDP to every address.
func checkNetworkACLEntry(r *report, entry, action field) {
	if action.state == unknown {
		r.unknown(action.path)
		return
	}

	if a, _ := action.str(); !strings.EqualFold(a, "allow") {
		return
	}

	ports := readPortRange(entry, "protocol")
	if !ports.covers(portSSH) && !ports.covers(portRDP) {
		return
	}

	for _, src := range []field{entry.sub("cidrBlock"), entry.sub("ipv6CidrBlock")} {
		if cidr, open := openToAnywhere(r, src); open {
			r.fail("%s is %s: the entry allows %s, which includes SSH or RDP, from the "+
				"whole internet", src.path, cidr, ports)
		}
	}
}
