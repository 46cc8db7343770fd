package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
)

// HTTPSPort is the only port the endpoints listen on and the host may use.
const HTTPSPort = 443

// buildEndpoints gives the private subnet its way to AWS without the internet: an interface
// endpoint per service with private DNS, reachable only from members of the endpoint client
// group, and an S3 gateway endpoint on the private route table.
func (c *Vpc) buildEndpoints(
	ctx *pulumi.Context, name string, vpc *ec2.Vpc, private *subnet, args *VpcArgs,
	parent pulumi.ResourceOption,
) error {
	// The client group has no rules: it is a marker. Endpoints trust members of it rather than
	// a host's own group, so the network does not depend on the host and many hosts can share it.
	clients, err := ec2.NewSecurityGroup(ctx, name+"-endpoint-clients", &ec2.SecurityGroupArgs{
		VpcId:       vpc.ID(),
		Description: pulumi.String("Members may reach the VPC interface endpoints; no rules"),
		Ingress:     ec2.SecurityGroupIngressArray{},
		Egress:      ec2.SecurityGroupEgressArray{},
		Tags:        tags.Named(args.Tags, name+"-endpoint-clients"),
	}, parent)
	if err != nil {
		return fmt.Errorf("endpoint client security group: %w", err)
	}

	c.EndpointClientSecurityGroupID = clients.ID().ToStringOutput()

	endpointSg, err := ec2.NewSecurityGroup(ctx, name+"-endpoints", &ec2.SecurityGroupArgs{
		VpcId:       vpc.ID(),
		Description: pulumi.String("VPC interface endpoints: HTTPS from endpoint clients only"),
		Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description:    pulumi.String("HTTPS from endpoint clients"),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(HTTPSPort),
			ToPort:         pulumi.Int(HTTPSPort),
			SecurityGroups: pulumi.StringArray{clients.ID()},
		}},
		// Endpoints answer on the connections they accepted; they never open one.
		Egress: ec2.SecurityGroupEgressArray{},
		Tags:   tags.Named(args.Tags, name+"-endpoints"),
	}, parent)
	if err != nil {
		return fmt.Errorf("endpoint security group: %w", err)
	}

	c.EndpointSecurityGroupID = endpointSg.ID().ToStringOutput()

	perimeter := Perimeter{AccountID: args.AccountID, Partition: args.Partition, Region: args.Region}

	for _, svc := range args.InterfaceEndpoints {
		policy, err := InterfaceEndpointPolicy(perimeter, svc).JSON()
		if err != nil {
			return fmt.Errorf("%s endpoint policy: %w", svc, err)
		}

		if _, err := ec2.NewVpcEndpoint(ctx, name+"-"+svc, &ec2.VpcEndpointArgs{
			VpcId:             vpc.ID(),
			ServiceName:       pulumi.String(ServiceName(args.Region, svc)),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         pulumi.StringArray{private.subnet.ID()},
			SecurityGroupIds:  pulumi.StringArray{endpointSg.ID()},
			Policy:            pulumi.String(policy),
			Tags:              tags.Named(args.Tags, name+"-"+svc),
		}, parent); err != nil {
			return fmt.Errorf("%s endpoint: %w", svc, err)
		}
	}

	auditBucket := pulumi.StringInput(pulumi.String(""))
	if args.AuditBucketArn != nil {
		auditBucket = args.AuditBucketArn
	}

	s3Policy := auditBucket.ToStringOutput().ApplyT(func(bucketArn string) (string, error) {
		return S3EndpointPolicy(perimeter, bucketArn).JSON()
	}).(pulumi.StringOutput)

	if _, err := ec2.NewVpcEndpoint(ctx, name+"-s3", &ec2.VpcEndpointArgs{
		VpcId:           vpc.ID(),
		ServiceName:     pulumi.String(ServiceName(args.Region, "s3")),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   pulumi.StringArray{private.routeTable.ID()},
		Policy:          s3Policy,
		Tags:            tags.Named(args.Tags, name+"-s3"),
	}, parent); err != nil {
		return fmt.Errorf("s3 gateway endpoint: %w", err)
	}

	return nil
}

// ServiceName is the endpoint service name of an AWS service in a region.
func ServiceName(region, service string) string {
	return "com.amazonaws." + region + "." + service
}
