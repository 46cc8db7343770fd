package mockcloud

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// containmentSpecs are the types of the containment controls.
var containmentSpecs = map[string]spec{
	"aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList": resolverResource(
		"rslvr-fdl", "firewall-domain-list"),
	"aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup": func(r *created) string {
		id := resolverResource("rslvr-frg", "firewall-rule-group")(r)
		r.setString("ownerId", r.cloud.account)
		r.setString("shareStatus", "NOT_SHARED")

		return id
	},
	"aws:route53/resolverFirewallRule:ResolverFirewallRule": func(r *created) string {
		// The provider's id joins the rule group and the domain list the rule applies.
		return r.str("firewallRuleGroupId") + ":" + r.str("firewallDomainListId")
	},
	"aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation": func(
		r *created,
	) string {
		id := resolverResource("rslvr-frgassoc", "firewall-rule-group-association")(r)
		r.setString("mutationProtection", "DISABLED")

		return id
	},
	"aws:route53/resolverFirewallConfig:ResolverFirewallConfig": func(r *created) string {
		r.setString("ownerId", r.cloud.account)
		r.setString("firewallFailOpen", "DISABLED")

		return r.hexID("rslvr-fc")
	},
	"aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig": func(r *created) string {
		id := resolverResource("rslvr-qlc", "resolver-query-log-config")(r)
		r.setString("ownerId", r.cloud.account)
		r.setString("shareStatus", "NOT_SHARED")

		return id
	},
	"aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation": plainID(
		"rslvr-qlcassoc"),
	"aws:ec2/flowLog:FlowLog": func(r *created) string {
		id := r.hexID("fl")
		r.setString("arn", r.arn("ec2", "vpc-flow-log/"+id))
		r.setString("logFormat", defaultFlowLogFormat)
		r.set("maxAggregationInterval", resource.NewNumberProperty(600))
		r.tagsAll()

		return id
	},
	"aws:ec2/networkAcl:NetworkAcl": func(r *created) string {
		id := ec2Resource("acl", "network-acl")(r)
		r.set("ingress", resource.NewArrayProperty(nil))
		r.set("egress", resource.NewArrayProperty(nil))
		r.set("subnetIds", resource.NewArrayProperty(nil))

		return id
	},
	"aws:ec2/networkAclRule:NetworkAclRule": func(r *created) string {
		return "nacl-" + r.seed[:10]
	},
	"aws:ec2/networkAclAssociation:NetworkAclAssociation": plainID("aclassoc"),
}

// defaultFlowLogFormat is the version 2 format AWS uses when a flow log names none.
const defaultFlowLogFormat = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} " +
	"${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"

// resolverResource is a Route 53 Resolver resource: an id with the service's prefix, an ARN, and
// an autonamed name.
func resolverResource(prefix, arnType string) spec {
	return func(r *created) string {
		id := r.hexID(prefix)
		r.setString("arn", r.arn("route53resolver", arnType+"/"+id))
		r.autoname("name")
		r.tagsAll()

		return id
	}
}
