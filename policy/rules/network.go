package rules

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// SubnetNoAutoAssignPublicIP keeps every subnet from handing out public addresses, so no instance
// launched into it, now or later, is reachable from the internet by default.
var SubnetNoAutoAssignPublicIP = Rule{
	ID:          "subnet-no-auto-assign-public-ip",
	Controls:    []string{"EC2.15"},
	Description: "No subnet assigns public IPv4 addresses on launch (mapPublicIpOnLaunch).",
	Level:       Mandatory,
	Types:       []string{typeSubnet},
	Resource:    subnetNoAutoAssignPublicIP,
}

func subnetNoAutoAssignPublicIP(_ string, props resource.PropertyMap) []Violation {
	r := &report{}

	f := get(props, "mapPublicIpOnLaunch")
	switch f.state {
	case unknown:
		r.unknown(f.path)
	case known:
		if b, ok := f.boolean(); !ok || b {
			r.fail("%s is %s; it must be false: every instance launched into the subnet would "+
				"get a public address", f.path, f.describe())
		}
	}

	return r.out
}

// DefaultSecurityGroupNoRules strips the default security group of every VPC the stack builds.
// AWS's default group admits all traffic from its own members and allows all egress; anything
// launched without a group of its own would join it.
var DefaultSecurityGroupNoRules = Rule{
	ID:       "default-security-group-no-rules",
	Controls: []string{"EC2.2"},
	Description: "Every VPC's default security group is adopted by the stack " +
		"(a DefaultSecurityGroup with that vpcId) and has no ingress and no egress rule.",
	Level: Mandatory,
	Stack: defaultSecurityGroupNoRules,
}

func defaultSecurityGroupNoRules(resources []Resource) []Violation {
	r := &report{}
	defaults := ofType(resources, typeDefaultSecurityGroup)

	for _, g := range defaults {
		for _, key := range []string{"ingress", "egress"} {
			f := get(g.Properties, key)
			if f.state == unknown {
				r.unknownOn(g.URN, f.path)
				continue
			}

			if n := len(f.items()); n > 0 {
				r.failOn(g.URN, "%s has %d rule(s); the default security group must have none",
					key, n)
			}
		}
	}

	for _, vpc := range ofType(resources, typeVPC) {
		requireCompanion(r, vpc, defaults, "vpcId", "no DefaultSecurityGroup adopts this VPC's "+
			"default security group, so it keeps AWS's allow-all rules")
	}

	return r.out
}

// requireCompanion returns the candidates whose property prop refers to owner. When there are
// none it fails owner with the message missing, or reports the owner as unknown when some
// candidate's reference cannot be resolved yet.
func requireCompanion(r *report, owner Resource, candidates []Resource, prop, missing string,
	identityKeys ...string,
) []Resource {
	found, unresolvedPaths := companions(owner, candidates, prop, identityKeys...)
	if len(found) > 0 {
		return found
	}

	if len(unresolvedPaths) > 0 {
		r.unknownOn(owner.URN, strings.Join(unresolvedPaths, ", "))
		return nil
	}

	r.failOn(owner.URN, "%s", missing)

	return nil
}

// companions returns the candidates whose property prop refers to owner, and the paths of
// references that cannot be resolved yet.
func companions(owner Resource, candidates []Resource, prop string, identityKeys ...string,
) (found []Resource, unresolvedPaths []string) {
	for _, c := range candidates {
		switch linkTo(c, prop, owner, identityKeys...) {
		case linked:
			found = append(found, c)
		case unresolved:
			unresolvedPaths = append(unresolvedPaths, urnName(c.URN)+"."+prop)
		}
	}

	return found, unresolvedPaths
}

// VPCFlowLogsEnabled records every VPC's traffic, the evidence a forensic review of the sandbox
// starts from.
var VPCFlowLogsEnabled = Rule{
	ID:       "vpc-flow-logs-enabled",
	Controls: []string{"EC2.6"},
	Description: "Every VPC has a flow log (a FlowLog with that vpcId) that records ALL traffic " +
		"or at least REJECT.",
	Level: Mandatory,
	Stack: vpcFlowLogsEnabled,
}

func vpcFlowLogsEnabled(resources []Resource) []Violation {
	r := &report{}
	flowLogs := ofType(resources, typeFlowLog)

	for _, vpc := range ofType(resources, typeVPC) {
		found := requireCompanion(r, vpc, flowLogs, "vpcId",
			"no flow log records this VPC's traffic")
		checkFlowLogTraffic(r, found)
	}

	return r.out
}

// checkFlowLogTraffic fails flow logs that record only accepted traffic, which hides the probes
// and exfiltration attempts that the security groups refused.
func checkFlowLogTraffic(r *report, flowLogs []Resource) {
	for _, fl := range flowLogs {
		t := get(fl.Properties, "trafficType")
		switch t.state {
		case unknown:
			r.unknownOn(fl.URN, t.path)
		case absent:
			r.failOn(fl.URN, "%s is not set; it must be ALL or REJECT", t.path)
		default:
			if s, _ := t.str(); s != "ALL" && s != "REJECT" {
				r.failOn(fl.URN, "%s is %s; it must be ALL or REJECT: rejected traffic is the "+
					"evidence of probing", t.path, t.describe())
			}
		}
	}
}

// InterfaceEndpointPrivateDNS makes the AWS service names resolve to the VPC's interface
// endpoints, which is how the Session Manager agent reaches SSM without any internet route.
var InterfaceEndpointPrivateDNS = Rule{
	ID:          "interface-endpoint-private-dns",
	Description: "Interface VPC endpoints set privateDnsEnabled to true.",
	Level:       Advisory,
	Types:       []string{typeVPCEndpoint},
	Resource:    interfaceEndpointPrivateDNS,
}

func interfaceEndpointPrivateDNS(_ string, props resource.PropertyMap) []Violation {
	r := &report{}

	kind := get(props, "vpcEndpointType")
	if kind.state == unknown {
		r.unknown(kind.path)
		return r.out
	}

	if s, _ := kind.str(); s != "Interface" {
		return nil
	}

	r.requireBool(get(props, "privateDnsEnabled"), true,
		"the agent resolves the public service names and would bypass the endpoint")

	return r.out
}

// VPCDNSEnabled turns on the two VPC attributes that private DNS on interface endpoints needs.
var VPCDNSEnabled = Rule{
	ID: "vpc-dns-enabled",
	Description: "VPCs set enableDnsSupport and enableDnsHostnames to true, which interface " +
		"endpoints with private DNS require.",
	Level:    Advisory,
	Types:    []string{typeVPC},
	Resource: vpcDNSEnabled,
}

func vpcDNSEnabled(_ string, props resource.PropertyMap) []Violation {
	r := &report{}
	const why = "interface endpoints with private DNS need it"

	r.requireBool(get(props, "enableDnsHostnames"), true, why)

	// enableDnsSupport defaults to true in AWS, so only an explicit false is wrong.
	support := get(props, "enableDnsSupport")
	if support.state == unknown {
		r.unknown(support.path)
	} else if b, ok := support.boolean(); ok && !b {
		r.fail("%s is false; it must be true: %s", support.path, why)
	}

	return r.out
}
