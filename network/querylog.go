package network

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
)

// DNSQueryLogArgs configure a DNSQueryLog component.
type DNSQueryLogArgs struct {
	// VpcID is the VPC whose resolver queries are recorded. Required.
	VpcID pulumi.StringInput
	// Log is where the queries go. Required.
	Log LogGroupArgs
	// Tags are merged into every taggable child. Default: none.
	Tags map[string]string
}

// DNSQueryLog is Resolver query logging on the VPC: every name the host asked for, with the DNS
// Firewall's verdict, in an encrypted log group. It records whether or not the firewall is on.
type DNSQueryLog struct {
	pulumi.ResourceState

	// LogGroupName and LogGroupArn identify the log group.
	LogGroupName pulumi.StringOutput
	LogGroupArn  pulumi.StringOutput
}

// NewDNSQueryLog builds the query logging. Arguments are validated before anything is
// registered. CloudWatch Logs gives the log group the resource policy that lets Resolver
// deliver to it when the query log configuration is created.
func NewDNSQueryLog(
	ctx *pulumi.Context, name string, args *DNSQueryLogArgs, opts ...pulumi.ResourceOption,
) (*DNSQueryLog, error) {
	if args == nil || args.VpcID == nil {
		return nil, fmt.Errorf("network: dns query log %q: %w", name,
			errors.New("the VPC is required"))
	}

	if err := args.Log.validate(); err != nil {
		return nil, fmt.Errorf("network: dns query log %q: %w", name, err)
	}

	c := &DNSQueryLog{}
	err := ctx.RegisterComponentResource("crucible:network:DnsQueryLog", name, c, opts...)
	if err != nil {
		return nil, fmt.Errorf("network: dns query log %q: %w", name, err)
	}

	if err := c.build(ctx, name, args); err != nil {
		return nil, fmt.Errorf("network: dns query log %q: %w", name, err)
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"logGroupName": c.LogGroupName,
		"logGroupArn":  c.LogGroupArn,
	}); err != nil {
		return nil, fmt.Errorf("network: dns query log %q: %w", name, err)
	}

	return c, nil
}

func (c *DNSQueryLog) build(ctx *pulumi.Context, name string, args *DNSQueryLogArgs) error {
	parent := pulumi.Parent(c)

	group, err := newLogGroup(ctx, name+"-records", args.Log, args.Tags, parent)
	if err != nil {
		return err
	}

	cfg, err := route53.NewResolverQueryLogConfig(ctx, name, &route53.ResolverQueryLogConfigArgs{
		DestinationArn: group.Arn,
		Tags:           tags.Named(args.Tags, name),
	}, parent)
	if err != nil {
		return fmt.Errorf("query log config: %w", err)
	}

	if _, err := route53.NewResolverQueryLogConfigAssociation(ctx, name+"-association",
		&route53.ResolverQueryLogConfigAssociationArgs{
			ResolverQueryLogConfigId: cfg.ID(),
			ResourceId:               args.VpcID,
		}, parent); err != nil {
		return fmt.Errorf("query log association: %w", err)
	}

	c.LogGroupName = group.Name
	c.LogGroupArn = group.Arn

	return nil
}
