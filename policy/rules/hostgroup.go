package rules

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// HostSecurityGroupNoIngress keeps the host's own security groups free of any inbound rule.
// Session Manager's agent dials out to the endpoints, so the host needs no inbound traffic at all;
// even a rule from inside the VPC would be a door the sandbox does not need.
var HostSecurityGroupNoIngress = Rule{
	ID: "host-security-group-no-ingress",
	Description: "Every security group attached to an instance has no ingress rule at all, " +
		"inline or standalone, and every instance has a security group of its own.",
	Level: Mandatory,
	Stack: hostSecurityGroupNoIngress,
}

func hostSecurityGroupNoIngress(resources []Resource) []Violation {
	r := &report{}
	hostGroups := attachedGroups(r, resources)

	rules := ofType(resources, typeSecurityGroupRule, typeSecurityGroupIngressRule)
	unresolvedRules := map[string]bool{}
	for _, g := range hostGroups {
		checkInlineIngressEmpty(r, g)

		for _, rule := range rules {
			direction := ruleDirection(rule)
			if direction.state == known && direction.value.V != "ingress" {
				continue
			}

			switch linkTo(rule, "securityGroupId", g) {
			case linked:
				if direction.state == unknown {
					r.unknownOn(rule.URN, direction.path)
					continue
				}

				r.failOn(rule.URN, "securityGroupId is the host's security group %s: the host's "+
					"group must admit no inbound traffic", urnName(g.URN))
			case unresolved:
				if !unresolvedRules[rule.URN] {
					unresolvedRules[rule.URN] = true
					r.unknownOn(rule.URN, "securityGroupId")
				}
			}
		}
	}

	return r.out
}

// attachedGroups returns the security groups that some instance uses, and fails instances that
// have none of their own.
func attachedGroups(r *report, resources []Resource) []Resource {
	groups := ofType(resources, typeSecurityGroup)
	attached := map[string]bool{}
	var out []Resource

	for _, inst := range ofType(resources, typeInstance) {
		ids := get(inst.Properties, "vpcSecurityGroupIds")
		names := get(inst.Properties, "securityGroups")
		if ids.state != unknown && names.state != unknown &&
			len(ids.items()) == 0 && len(names.items()) == 0 {
			r.failOn(inst.URN, "vpcSecurityGroupIds is not set: the instance would join the "+
				"VPC's default security group; give it a group of its own with no ingress")
		}

		reportedUnknown := false
		for _, g := range groups {
			l := linkTo(inst, "vpcSecurityGroupIds", g)
			if l != linked {
				l = max(l, linkTo(inst, "securityGroups", g, "name"))
			}

			if l == unresolved && !reportedUnknown {
				reportedUnknown = true
				r.unknownOn(inst.URN, "vpcSecurityGroupIds")
			}

			if l == linked && !attached[g.URN] {
				attached[g.URN] = true
				out = append(out, g)
			}
		}
	}

	return out
}

// checkInlineIngressEmpty fails a host group that declares inline ingress blocks.
func checkInlineIngressEmpty(r *report, g Resource) {
	ingress := get(g.Properties, "ingress")
	if ingress.state == unknown {
		r.unknownOn(g.URN, ingress.path)
		return
	}

	if n := len(ingress.items()); n > 0 {
		r.failOn(g.URN, "ingress has %d rule(s); an instance's security group must have none: "+
			"Session Manager needs no inbound traffic", n)
	}
}

// ruleDirection reads whether a standalone rule is ingress or egress.
func ruleDirection(rule Resource) field {
	if rule.Type == typeSecurityGroupIngressRule {
		return field{path: "type", value: resource.NewProperty("ingress"), state: known}
	}

	return get(rule.Properties, "type")
}

// urnName is the resource's name, the last part of its URN.
func urnName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}

	return urn
}
