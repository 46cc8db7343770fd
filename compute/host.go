package compute

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
)

// Host is the sandbox instance and its security group.
type Host struct {
	pulumi.ResourceState

	// InstanceID is the EC2 instance id, the target of Session Manager.
	InstanceID pulumi.StringOutput
	// InstanceArn is the instance's ARN, for access policies.
	InstanceArn pulumi.StringOutput
	// PrivateIP is the host's only address.
	PrivateIP pulumi.StringOutput
	// SecurityGroupID is the host's own group: no ingress, egress on the allowed ports only.
	SecurityGroupID pulumi.StringOutput
	// AmiID is the image the host was built from.
	AmiID pulumi.StringOutput
}

// NewHost builds the host. Arguments are validated and the image resolved before anything is
// registered.
func NewHost(ctx *pulumi.Context, name string, args *HostArgs, opts ...pulumi.ResourceOption) (*Host, error) {
	if args == nil {
		return nil, fmt.Errorf("compute: host %q: args are required", name)
	}

	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("compute: host %q: %w", name, err)
	}

	c := &Host{}
	if err := ctx.RegisterComponentResource("crucible:compute:Host", name, c, opts...); err != nil {
		return nil, fmt.Errorf("compute: host %q: %w", name, err)
	}

	if err := c.build(ctx, name, args); err != nil {
		return nil, fmt.Errorf("compute: host %q: %w", name, err)
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"instanceId":      c.InstanceID,
		"instanceArn":     c.InstanceArn,
		"privateIp":       c.PrivateIP,
		"securityGroupId": c.SecurityGroupID,
		"amiId":           c.AmiID,
	}); err != nil {
		return nil, fmt.Errorf("compute: host %q: %w", name, err)
	}

	return c, nil
}

func (c *Host) build(ctx *pulumi.Context, name string, args *HostArgs) error {
	parent := pulumi.Parent(c)

	ami := args.AmiID
	if ami == "" {
		latest, err := latestAmi(ctx, args.InstanceType, parent)
		if err != nil {
			return err
		}

		ami = latest
	}

	sg, err := ec2.NewSecurityGroup(ctx, name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       args.VpcID,
		Description: pulumi.String("Sandbox host: no ingress; egress on allowed ports only"),
		Ingress:     ec2.SecurityGroupIngressArray{},
		Egress:      egressRules(args.EgressPorts),
		Tags:        tags.Named(args.Tags, name+"-sg"),
	}, parent)
	if err != nil {
		return fmt.Errorf("security group: %w", err)
	}

	groups := pulumi.StringArray{sg.ID()}.ToStringArrayOutput()
	if args.ExtraSecurityGroupIDs != nil {
		groups = pulumi.All(sg.ID(), args.ExtraSecurityGroupIDs).ApplyT(func(v []any) []string {
			return append([]string{string(v[0].(pulumi.ID))}, v[1].([]string)...)
		}).(pulumi.StringArrayOutput)
	}

	instanceOpts := []pulumi.ResourceOption{parent}
	if args.AmiID == "" {
		// The public parameter moves with every Amazon Linux release; following it would
		// replace the host on a routine update. A pinned AMI is followed: the user chose it.
		instanceOpts = append(instanceOpts, pulumi.IgnoreChanges([]string{"ami"}))
	}

	instance, err := ec2.NewInstance(ctx, name+"-instance", &ec2.InstanceArgs{
		Ami:                      pulumi.String(ami),
		InstanceType:             pulumi.String(args.InstanceType),
		SubnetId:                 args.SubnetID,
		VpcSecurityGroupIds:      groups,
		AssociatePublicIpAddress: pulumi.Bool(false),
		IamInstanceProfile:       args.InstanceProfileName,
		Monitoring:               pulumi.Bool(true),
		MetadataOptions: &ec2.InstanceMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1),
			InstanceMetadataTags:    pulumi.String("disabled"),
		},
		RootBlockDevice: &ec2.InstanceRootBlockDeviceArgs{
			VolumeType:          pulumi.String("gp3"),
			VolumeSize:          pulumi.Int(args.RootVolumeGiB),
			Encrypted:           pulumi.Bool(true),
			DeleteOnTermination: pulumi.Bool(true),
		},
		UserData: stringOrNil(args.UserData),
		// Boot scripts run once per instance, so a changed script only takes effect on a new
		// host; a stop and start would leave the old one in force.
		UserDataReplaceOnChange: pulumi.Bool(args.UserData != ""),
		Tags:                    tags.Named(args.Tags, name+"-instance"),
		VolumeTags:              tags.Named(args.Tags, name+"-root"),
	}, instanceOpts...)
	if err != nil {
		return fmt.Errorf("instance: %w", err)
	}

	c.InstanceID = instance.ID().ToStringOutput()
	c.InstanceArn = instance.Arn
	c.PrivateIP = instance.PrivateIp
	c.SecurityGroupID = sg.ID().ToStringOutput()
	c.AmiID = instance.Ami

	return nil
}

func egressRules(ports []int) ec2.SecurityGroupEgressArray {
	rules := make(ec2.SecurityGroupEgressArray, 0, len(ports))
	for _, p := range ports {
		rules = append(rules, ec2.SecurityGroupEgressArgs{
			Description: pulumi.Sprintf("TCP %d out", p),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(p),
			ToPort:      pulumi.Int(p),
			CidrBlocks:  pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		})
	}

	return rules
}

func stringOrNil(s string) pulumi.StringPtrInput {
	if s == "" {
		return nil
	}

	return pulumi.String(s)
}
