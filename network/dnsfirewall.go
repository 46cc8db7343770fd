package network

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
)

// DNS Firewall settings. Rules run from the lowest priority: the allow list first, then the rule
// that blocks every other name. The rule group is associated above the 100 that Firewall Manager
// policies of an organization take first.
const (
	AllowRulePriority      = 100
	BlockRulePriority      = 200
	RuleGroupPriority      = 101
	BlockEverythingDomain  = "*"
	BlockResponse          = "NXDOMAIN"
	TrustRedirectionDomain = "TRUST_REDIRECTION_DOMAIN"
	FirewallFailClosed     = "DISABLED" // the firewallFailOpen setting
)

// DNSFirewallArgs configure a DNSFirewall component.
type DNSFirewallArgs struct {
	// VpcID is the VPC whose resolver is guarded. Required.
	VpcID pulumi.StringInput
	// Region and DNSSuffix (the partition's, such as amazonaws.com) spell the AWS names the host
	// needs. Required.
	Region    string
	DNSSuffix string
	// Services are the services with an interface endpoint in the VPC; their regional names
	// are allowed. Required.
	Services []string
	// AuditBucketName is the stack's audit bucket, whose names are allowed beside the AWS-owned
	// buckets'. Default: none.
	AuditBucketName pulumi.StringInput
	// AllowedDomains are the user's extra names, validated by the settings. Default: none.
	AllowedDomains []string
	// InsecureDisableFirewall leaves the resolver unfiltered: the component builds nothing.
	// DnsQueryLog records the queries either way. Default false.
	InsecureDisableFirewall bool
	// Tags are merged into every taggable child. Default: none.
	Tags map[string]string
}

func (a *DNSFirewallArgs) validate() error {
	if a.VpcID == nil || a.Region == "" || a.DNSSuffix == "" || len(a.Services) == 0 {
		return errors.New("the VPC, region, DNS suffix and endpoint services are required")
	}

	if a.InsecureDisableFirewall && len(a.AllowedDomains) > 0 {
		return errors.New("allowed domains have no effect with the firewall disabled")
	}

	if slices.Contains(a.AllowedDomains, BlockEverythingDomain) {
		return fmt.Errorf("allowed domains hold %q, which would allow every name",
			BlockEverythingDomain)
	}

	return nil
}

// DNSFirewall is Route 53 Resolver DNS Firewall on the VPC, failing closed: the host resolves
// only the names it needs, and every other name is answered NXDOMAIN.
type DNSFirewall struct {
	pulumi.ResourceState

	// RuleGroupID is the firewall rule group, or empty when the firewall is disabled.
	RuleGroupID pulumi.StringOutput
	// Guards are the resources that must exist before a host uses the resolver: the rule group's
	// association with the VPC (which waits for the rules) and the fail-closed setting.
	Guards []pulumi.Resource
}

// HostDomains are the names the host resolves to do its work: the regional names of its
// interface endpoints, S3's regional names for path-style requests and the buckets it uses
// (virtual-hosted, plain and dual-stack), and the VPC's own instance names. In us-east-1 the
// older SDKs use S3's global name, so it is allowed there too. Nothing else of AWS is reachable
// by name, let alone anything outside it.
func HostDomains(region, dnsSuffix string, services, buckets []string) []string {
	var names []string

	for _, svc := range services {
		names = append(names, svc+"."+region+"."+dnsSuffix)
	}

	s3Hosts := []string{"s3." + region + "." + dnsSuffix, "s3.dualstack." + region + "." + dnsSuffix}
	if region == "us-east-1" {
		s3Hosts = append(s3Hosts, "s3."+dnsSuffix)
	}

	names = append(names, s3Hosts...)
	for _, b := range buckets {
		for _, host := range s3Hosts {
			names = append(names, b+"."+host)
		}
	}

	names = append(names, InstanceDomain(region))

	return slices.Compact(slices.Sorted(slices.Values(names)))
}

// InstanceDomain covers the private DNS names EC2 gives instances in a region. The VPC's resolver
// answers them itself, so no query under it leaves the VPC.
func InstanceDomain(region string) string {
	if region == "us-east-1" {
		return "*.ec2.internal"
	}

	return "*." + region + ".compute.internal"
}

// NewDNSFirewall builds the firewall. Arguments are validated before anything is registered.
// Hosts should depend on its Guards, so no host resolves a name before the firewall is in place.
func NewDNSFirewall(
	ctx *pulumi.Context, name string, args *DNSFirewallArgs, opts ...pulumi.ResourceOption,
) (*DNSFirewall, error) {
	if args == nil {
		return nil, fmt.Errorf("network: dns firewall %q: args are required", name)
	}

	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("network: dns firewall %q: %w", name, err)
	}

	c := &DNSFirewall{}
	err := ctx.RegisterComponentResource("crucible:network:DnsFirewall", name, c, opts...)
	if err != nil {
		return nil, fmt.Errorf("network: dns firewall %q: %w", name, err)
	}

	parent := pulumi.Parent(c)

	c.RuleGroupID = pulumi.String("").ToStringOutput()
	if !args.InsecureDisableFirewall {
		if err := c.buildFirewall(ctx, name, args, parent); err != nil {
			return nil, fmt.Errorf("network: dns firewall %q: %w", name, err)
		}
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"ruleGroupId": c.RuleGroupID}); err != nil {
		return nil, fmt.Errorf("network: dns firewall %q: %w", name, err)
	}

	return c, nil
}

// allowedDomains is the allow list: the host's AWS names, the audit bucket's, and the user's.
func (a *DNSFirewallArgs) allowedDomains() pulumi.StringArrayOutput {
	audit := pulumi.StringInput(pulumi.String(""))
	if a.AuditBucketName != nil {
		audit = a.AuditBucketName
	}

	return audit.ToStringOutput().ApplyT(func(auditBucket string) []string {
		buckets := AwsOwnedBuckets(a.Region)
		if auditBucket != "" {
			buckets = append(buckets, auditBucket)
		}

		names := slices.Concat(HostDomains(a.Region, a.DNSSuffix, a.Services, buckets),
			a.AllowedDomains)

		return slices.Compact(slices.Sorted(slices.Values(names)))
	}).(pulumi.StringArrayOutput)
}

func (c *DNSFirewall) buildFirewall(
	ctx *pulumi.Context, name string, args *DNSFirewallArgs, parent pulumi.ResourceOption,
) error {
	allowed, err := newDomainList(ctx, name+"-allowed", args.allowedDomains(), args.Tags, parent)
	if err != nil {
		return err
	}

	everything := pulumi.StringArray{pulumi.String(BlockEverythingDomain)}.ToStringArrayOutput()

	others, err := newDomainList(ctx, name+"-everything", everything, args.Tags, parent)
	if err != nil {
		return err
	}

	group, err := route53.NewResolverFirewallRuleGroup(ctx, name+"-rules",
		&route53.ResolverFirewallRuleGroupArgs{Tags: tags.Named(args.Tags, name+"-rules")}, parent)
	if err != nil {
		return fmt.Errorf("rule group: %w", err)
	}

	// The allowed names' answers may be CNAMEs into other AWS names; their owners, not the host,
	// choose those targets, so the chain is trusted rather than blocked by the rule below.
	allow, err := newRule(ctx, name+"-allow", &route53.ResolverFirewallRuleArgs{
		Name:                            pulumi.String(name + "-allow-listed-names"),
		FirewallRuleGroupId:             group.ID(),
		FirewallDomainListId:            allowed.ID(),
		Priority:                        pulumi.Int(AllowRulePriority),
		Action:                          pulumi.String("ALLOW"),
		FirewallDomainRedirectionAction: pulumi.String(TrustRedirectionDomain),
	}, parent)
	if err != nil {
		return err
	}

	block, err := newRule(ctx, name+"-block", &route53.ResolverFirewallRuleArgs{
		Name:                 pulumi.String(name + "-block-every-other-name"),
		FirewallRuleGroupId:  group.ID(),
		FirewallDomainListId: others.ID(),
		Priority:             pulumi.Int(BlockRulePriority),
		Action:               pulumi.String("BLOCK"),
		BlockResponse:        pulumi.String(BlockResponse),
	}, parent)
	if err != nil {
		return err
	}

	association := &route53.ResolverFirewallRuleGroupAssociationArgs{
		Name:                pulumi.String(name),
		FirewallRuleGroupId: group.ID(),
		VpcId:               args.VpcID,
		Priority:            pulumi.Int(RuleGroupPriority),
		Tags:                tags.Named(args.Tags, name+"-association"),
	}

	// Associating an empty group would leave the resolver open until the rules land.
	rulesFirst := pulumi.DependsOn([]pulumi.Resource{allow, block})
	assoc, err := route53.NewResolverFirewallRuleGroupAssociation(ctx, name+"-association",
		association, parent, rulesFirst)
	if err != nil {
		return fmt.Errorf("rule group association: %w", err)
	}

	// If the firewall cannot answer, the resolver refuses rather than resolving unfiltered.
	config := &route53.ResolverFirewallConfigArgs{
		ResourceId:       args.VpcID,
		FirewallFailOpen: pulumi.String(FirewallFailClosed),
	}
	failClosed, err := route53.NewResolverFirewallConfig(ctx, name+"-config", config, parent)
	if err != nil {
		return fmt.Errorf("firewall config: %w", err)
	}

	c.RuleGroupID = group.ID().ToStringOutput()
	c.Guards = []pulumi.Resource{assoc, failClosed}

	return nil
}

func newDomainList(
	ctx *pulumi.Context, name string, domains pulumi.StringArrayOutput, common map[string]string,
	parent pulumi.ResourceOption,
) (*route53.ResolverFirewallDomainList, error) {
	args := &route53.ResolverFirewallDomainListArgs{Domains: domains, Tags: tags.Named(common, name)}

	list, err := route53.NewResolverFirewallDomainList(ctx, name, args, parent)
	if err != nil {
		return nil, fmt.Errorf("domain list %s: %w", name, err)
	}

	return list, nil
}

func newRule(
	ctx *pulumi.Context, name string, args *route53.ResolverFirewallRuleArgs,
	parent pulumi.ResourceOption,
) (*route53.ResolverFirewallRule, error) {
	rule, err := route53.NewResolverFirewallRule(ctx, name, args, parent)
	if err != nil {
		return nil, fmt.Errorf("rule %s: %w", name, err)
	}

	return rule, nil
}
