package rules

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// NoIngressFromAnywhere keeps every security group closed to the internet. The host is reached
// only through Session Manager, and the endpoints only from inside the VPC, so no group has a
// reason to admit 0.0.0.0/0 or ::/0 on any port.
var NoIngressFromAnywhere = Rule{
	ID:       "security-group-no-ingress-from-anywhere",
	Controls: []string{"EC2.13", "EC2.14", "EC2.18", "EC2.19", "EC2.53", "EC2.54"},
	Description: "No security group or security group rule admits traffic from 0.0.0.0/0 or ::/0 " +
		"on any port.",
	Level: Mandatory,
	Types: []string{
		typeSecurityGroup, typeDefaultSecurityGroup, typeSecurityGroupRule,
		typeSecurityGroupIngressRule,
	},
	Resource: noIngressFromAnywhere,
}

func noIngressFromAnywhere(typ string, props resource.PropertyMap) []Violation {
	r := &report{}

	switch typ {
	case typeSecurityGroup, typeDefaultSecurityGroup:
		ingress := get(props, "ingress")
		if ingress.state == unknown {
			r.unknown(ingress.path)
		}

		for _, rule := range ingress.items() {
			checkIngressEntry(r, rule)
		}
	case typeSecurityGroupRule:
		checkSecurityGroupRule(r, props)
	case typeSecurityGroupIngressRule:
		rule := get(props)
		ports := readPortRange(rule, "ipProtocol")
		checkSources(r, ports, rule.sub("cidrIpv4"), rule.sub("cidrIpv6"))
	}

	return r.out
}

// checkIngressEntry checks one inline ingress block of a security group.
func checkIngressEntry(r *report, rule field) {
	if rule.state == unknown {
		r.unknown(rule.path)
		return
	}

	ports := readPortRange(rule, "protocol")
	checkSourceLists(r, ports, rule.sub("cidrBlocks"), rule.sub("ipv6CidrBlocks"))
}

// checkSecurityGroupRule checks a standalone ec2 SecurityGroupRule of type ingress.
func checkSecurityGroupRule(r *report, props resource.PropertyMap) {
	rule := get(props)

	kind := rule.sub("type")
	if kind.state == unknown {
		r.unknown(kind.path)
		return
	}

	if s, _ := kind.str(); s != "ingress" {
		return
	}

	ports := readPortRange(rule, "protocol")
	checkSourceLists(r, ports, rule.sub("cidrBlocks"), rule.sub("ipv6CidrBlocks"))
}

// checkSourceLists checks arrays of CIDR blocks.
func checkSourceLists(r *report, ports portRange, lists ...field) {
	for _, list := range lists {
		if list.state == unknown {
			r.unknown(list.path)
			continue
		}

		checkSources(r, ports, list.items()...)
	}
}

// checkSources fails every source CIDR that covers the whole internet.
func checkSources(r *report, ports portRange, sources ...field) {
	for _, src := range sources {
		if cidr, open := openToAnywhere(r, src); open {
			r.fail("%s is %s: %s is open to the whole internet", src.path, cidr, ports)
		}
	}
}

// openToAnywhere reads one source CIDR field and reports whether it covers every address. It
// reports an unknown value, and a block that does not parse, itself.
func openToAnywhere(r *report, src field) (string, bool) {
	if src.state == unknown {
		r.unknown(src.path)
		return "", false
	}

	cidr, ok := src.str()
	if !ok || cidr == "" {
		return "", false
	}

	anywhere, err := cidrFromAnywhere(cidr)
	if err != nil {
		r.fail("%s: %v", src.path, err)
		return "", false
	}

	return cidr, anywhere
}
