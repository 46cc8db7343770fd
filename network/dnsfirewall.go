package network

import (
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
	// VpcID is the VPC whose resolver is guarded and logged. Required.
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
	// InsecureDisableFirewall leaves the resolver unfiltered; queries are still logged.
	// Default false.
	InsecureDisableFirewall bool
	// QueryLog is where every query the VPC's resolver answers is recorded. Required.
	QueryLog LogGroupArgs
	// Tags are merged into every taggable child. Default: none.
	Tags map[string]string
}

func (a *DNSFirewallArgs) validate() error {
	if a.VpcID == nil || a.Region == "" || a.DNSSuffix == "" || len(a.Services) == 0 {
		return fmt.Errorf("VpcID, Region, DNSSuffix and Services are required")
	}

	if a.InsecureDisableFirewall && len(a.AllowedDomains) > 0 {
		return fmt.Errorf("AllowedDomains has no effect with InsecureDisableFirewall")
	}

	if slices.Contains(a.AllowedDomains, BlockEverythingDomain) {
		return fmt.Errorf("AllowedDomains holds %q, which would allow every name",
			BlockEverythingDomain)
	}

	return a.QueryLog.validate()
}

// DNSFirewall is Route 53 Resolver DNS Firewall on the VPC, failing closed, plus Resolver query
// logging: the host resolves only the names it needs, and every name it asks for is recorded.
type DNSFirewall struct {
	pulumi.ResourceState

	// RuleGroupID is the firewall rule group, or empty when the firewall is disabled.
	RuleGroupID pulumi.StringOutput
	// QueryLogGroupName and QueryLogGroupArn identify the query log group.
	QueryLogGroupName pulumi.StringOutput
	QueryLogGroupArn  pulumi.StringOutput
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

// InstanceDomain covers the private DNS names EC2 gives instances in a region.
func InstanceDomain(region string) string {
	if region == "us-east-1" {
		return "*.ec2.internal"
	}

	return "*." + region + ".compute.internal"
}

// NewDNSFirewall builds the firewall and the query logging. Arguments are validated before
// anything is registered.
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
	if err := ctx.RegisterComponentResource("crucible:network:DnsFirewall", name, c, opts...); err != nil {
		return nil, fmt.Errorf("network: dns firewall %q: %w", name, err)
	}

	parent := pulumi.Parent(c)

	c.RuleGroupID = pulumi.String("").ToStringOutput()
	if !args.InsecureDisableFirewall {
		if err := c.buildFirewall(ctx, name, args, parent); err != nil {
			return nil, fmt.Errorf("network: dns firewall %q: %w", name, err)
		}
	}

	if err := c.buildQueryLogging(ctx, name, args, parent); err != nil {
		return nil, fmt.Errorf("network: dns firewall %q: %w", name, err)
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"ruleGroupId":       c.RuleGroupID,
		"queryLogGroupName": c.QueryLogGroupName,
		"queryLogGroupArn":  c.QueryLogGroupArn,
	}); err != nil {
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

		names := append(HostDomains(a.Region, a.DNSSuffix, a.Services, buckets), a.AllowedDomains...)

		return slices.Compact(slices.Sorted(slices.Values(names)))
	}).(pulumi.StringArrayOutput)
}

func (c *DNSFirewall) buildFirewall(
	ctx *pulumi.Context, name string, args *DNSFirewallArgs, parent pulumi.ResourceOption,
) error {
	allowed, err := route53.NewResolverFirewallDomainList(ctx, name+"-allowed", &route53.ResolverFirewallDomainListArgs{
		Domains: args.allowedDomains(),
		Tags:    tags.Named(args.Tags, name+"-allowed"),
	}, parent)
	if err != nil {
		return fmt.Errorf("allowed domain list: %w", err)
	}

	everything, err := route53.NewResolverFirewallDomainList(ctx, name+"-everything", &route53.ResolverFirewallDomainListArgs{
		Domains: pulumi.StringArray{pulumi.String(BlockEverythingDomain)},
		Tags:    tags.Named(args.Tags, name+"-everything"),
	}, parent)
	if err != nil {
		return fmt.Errorf("block-all domain list: %w", err)
	}

	group, err := route53.NewResolverFirewallRuleGroup(ctx, name+"-rules", &route53.ResolverFirewallRuleGroupArgs{
		Tags: tags.Named(args.Tags, name+"-rules"),
	}, parent)
	if err != nil {
		return fmt.Errorf("rule group: %w", err)
	}

	// The allowed names' answers may be CNAMEs into other AWS names; their owners, not the host,
	// choose those targets, so the chain is trusted rather than blocked by the rule below.
	allow, err := route53.NewResolverFirewallRule(ctx, name+"-allow", &route53.ResolverFirewallRuleArgs{
		Name:                            pulumi.String(name + "-allow-listed-names"),
		FirewallRuleGroupId:             group.ID(),
		FirewallDomainListId:            allowed.ID(),
		Priority:                        pulumi.Int(AllowRulePriority),
		Action:                          pulumi.String("ALLOW"),
		FirewallDomainRedirectionAction: pulumi.String(TrustRedirectionDomain),
	}, parent)
	if err != nil {
		return fmt.Errorf("allow rule: %w", err)
	}

	block, err := route53.NewResolverFirewallRule(ctx, name+"-block", &route53.ResolverFirewallRuleArgs{
		Name:                 pulumi.String(name + "-block-every-other-name"),
		FirewallRuleGroupId:  group.ID(),
		FirewallDomainListId: everything.ID(),
		Priority:             pulumi.Int(BlockRulePriority),
		Action:               pulumi.String("BLOCK"),
		BlockResponse:        pulumi.String(BlockResponse),
	}, parent)
	if err != nil {
		return fmt.Errorf("block rule: %w", err)
	}

	// Associating an empty group would leave the resolver open until the rules land.
	if _, err := route53.NewResolverFirewallRuleGroupAssociation(ctx, name+"-association", &route53.ResolverFirewallRuleGroupAssociationArgs{
		Name:                pulumi.String(name),
		FirewallRuleGroupId: group.ID(),
		VpcId:               args.VpcID,
		Priority:            pulumi.Int(RuleGroupPriority),
		Tags:                tags.Named(args.Tags, name+"-association"),
	}, parent, pulumi.DependsOn([]pulumi.Resource{allow, block})); err != nil {
		return fmt.Errorf("rule group association: %w", err)
	}

	// If the firewall cannot answer, the resolver refuses rather than resolving unfiltered.
	if _, err := route53.NewResolverFirewallConfig(ctx, name+"-config", &route53.ResolverFirewallConfigArgs{
		ResourceId:       args.VpcID,
		FirewallFailOpen: pulumi.String(FirewallFailClosed),
	}, parent); err != nil {
		return fmt.Errorf("firewall config: %w", err)
	}

	c.RuleGroupID = group.ID().ToStringOutput()

	return nil
}

func (c *DNSFirewall) buildQueryLogging(
	ctx *pulumi.Context, name string, args *DNSFirewallArgs, parent pulumi.ResourceOption,
) error {
	group, err := newLogGroup(ctx, name+"-queries", args.QueryLog, args.Tags, parent)
	if err != nil {
		return err
	}

	cfg, err := route53.NewResolverQueryLogConfig(ctx, name+"-query-log", &route53.ResolverQueryLogConfigArgs{
		DestinationArn: group.Arn,
		Tags:           tags.Named(args.Tags, name+"-query-log"),
	}, parent)
	if err != nil {
		return fmt.Errorf("query log config: %w", err)
	}

	if _, err := route53.NewResolverQueryLogConfigAssociation(ctx, name+"-query-log-association",
		&route53.ResolverQueryLogConfigAssociationArgs{
			ResolverQueryLogConfigId: cfg.ID(),
			ResourceId:               args.VpcID,
		}, parent); err != nil {
		return fmt.Errorf("query log association: %w", err)
	}

	c.QueryLogGroupName = group.Name
	c.QueryLogGroupArn = group.Arn

	return nil
}
