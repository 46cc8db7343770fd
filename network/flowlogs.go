package network

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	awsiam "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/internal/tags"
)

// Flow log settings: every connection attempt, accepted or rejected, in one-minute records of
// the default (version 2) format that the forensics readers parse.
const (
	FlowLogTrafficType     = "ALL"
	FlowLogDestinationType = "cloud-watch-logs"
	FlowLogIntervalSeconds = 60
	flowLogsService        = "vpc-flow-logs.amazonaws.com"
)

// FlowLogDefaultFormat is AWS's default version 2 record format, named explicitly because the
// forensics readers parse exactly these fourteen fields.
const FlowLogDefaultFormat = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} " +
	"${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"

// FlowLogArgs configure a FlowLog component.
type FlowLogArgs struct {
	// VpcID is the VPC whose traffic is recorded. Required.
	VpcID pulumi.StringInput
	// AccountID, Partition and Region scope the delivery role to this account's flow logs and
	// this log group. Required.
	AccountID string
	Partition string
	Region    string
	// Log is where the records go. Required.
	Log LogGroupArgs
	// Tags are merged into every taggable child. Default: none.
	Tags map[string]string
}

func (a *FlowLogArgs) validate() error {
	if a.VpcID == nil || a.AccountID == "" || a.Partition == "" || a.Region == "" {
		return errors.New("the VPC, account id, partition and region are required")
	}

	return a.Log.validate()
}

// logGroupArn is the log group's ARN, known before the group exists, so the delivery role's
// policy is a plain document.
func (a *FlowLogArgs) logGroupArn() string {
	return fmt.Sprintf("arn:%s:logs:%s:%s:log-group:%s", a.Partition, a.Region, a.AccountID,
		a.Log.Name)
}

// FlowLogTrustPolicy lets the flow logs service assume the delivery role, only for flow logs of
// this account: the confused-deputy conditions AWS documents for the service.
func FlowLogTrustPolicy(partition, region, accountID string) iam.PolicyDocument {
	return iam.NewPolicyDocument(iam.Statement{
		Sid:       "FlowLogsOfThisAccountAssumeTheDeliveryRole",
		Effect:    "Allow",
		Principal: map[string]any{"Service": flowLogsService},
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string]any{
			"StringEquals": {"aws:SourceAccount": accountID},
			"ArnLike": {
				"aws:SourceArn": fmt.Sprintf("arn:%s:ec2:%s:%s:vpc-flow-log/*", partition, region,
					accountID),
			},
		},
	})
}

// FlowLogDeliveryPolicy lets the delivery role write to one log group and find it; nothing else.
func FlowLogDeliveryPolicy(partition, region, accountID, logGroupArn string) iam.PolicyDocument {
	return iam.NewPolicyDocument(
		iam.Statement{
			Sid:    "WriteRecordsToTheFlowLogGroup",
			Effect: "Allow",
			Action: []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			Resource: []string{
				logGroupArn,
				logGroupArn + ":log-stream:*",
			},
		},
		iam.Statement{
			Sid:    "FindTheFlowLogGroup",
			Effect: "Allow",
			Action: []string{"logs:DescribeLogGroups"},
			Resource: []string{
				fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", partition, region, accountID),
			},
		},
	)
}

// FlowLog is the VPC's flow log: every connection attempt, accepted or rejected, to an
// encrypted log group, delivered by a role that can write nowhere else.
type FlowLog struct {
	pulumi.ResourceState

	// FlowLogID is the flow log's id.
	FlowLogID pulumi.StringOutput
	// LogGroupName and LogGroupArn identify the log group.
	LogGroupName pulumi.StringOutput
	LogGroupArn  pulumi.StringOutput
}

// NewFlowLog builds the flow log. Arguments are validated before anything is registered.
func NewFlowLog(
	ctx *pulumi.Context, name string, args *FlowLogArgs, opts ...pulumi.ResourceOption,
) (*FlowLog, error) {
	if args == nil {
		return nil, fmt.Errorf("network: flow log %q: args are required", name)
	}

	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("network: flow log %q: %w", name, err)
	}

	c := &FlowLog{}
	if err := ctx.RegisterComponentResource("crucible:network:FlowLog", name, c, opts...); err != nil {
		return nil, fmt.Errorf("network: flow log %q: %w", name, err)
	}

	if err := c.build(ctx, name, args); err != nil {
		return nil, fmt.Errorf("network: flow log %q: %w", name, err)
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"flowLogId":    c.FlowLogID,
		"logGroupName": c.LogGroupName,
		"logGroupArn":  c.LogGroupArn,
	}); err != nil {
		return nil, fmt.Errorf("network: flow log %q: %w", name, err)
	}

	return c, nil
}

func (c *FlowLog) build(ctx *pulumi.Context, name string, args *FlowLogArgs) error {
	parent := pulumi.Parent(c)

	group, err := newLogGroup(ctx, name+"-records", args.Log, args.Tags, parent)
	if err != nil {
		return err
	}

	trust, err := FlowLogTrustPolicy(args.Partition, args.Region, args.AccountID).JSON()
	if err != nil {
		return fmt.Errorf("delivery role trust policy: %w", err)
	}

	role, err := awsiam.NewRole(ctx, name+"-delivery", &awsiam.RoleArgs{
		Description:      pulumi.String("Delivers the sandbox VPC's flow logs to their log group"),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             tags.Named(args.Tags, name+"-delivery"),
	}, parent)
	if err != nil {
		return fmt.Errorf("delivery role: %w", err)
	}

	delivery, err := FlowLogDeliveryPolicy(args.Partition, args.Region, args.AccountID,
		args.logGroupArn()).JSON()
	if err != nil {
		return fmt.Errorf("delivery policy: %w", err)
	}

	policy, err := awsiam.NewRolePolicy(ctx, name+"-delivery", &awsiam.RolePolicyArgs{
		Role:   role.Name,
		Policy: pulumi.String(delivery),
	}, parent)
	if err != nil {
		return fmt.Errorf("delivery role policy: %w", err)
	}

	// The flow log is created only once its role may write, so no record is lost at the start.
	flowLog, err := ec2.NewFlowLog(ctx, name, &ec2.FlowLogArgs{
		VpcId:                  args.VpcID,
		TrafficType:            pulumi.String(FlowLogTrafficType),
		LogDestinationType:     pulumi.String(FlowLogDestinationType),
		LogDestination:         group.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(FlowLogIntervalSeconds),
		LogFormat:              pulumi.String(FlowLogDefaultFormat),
		Tags:                   tags.Named(args.Tags, name),
	}, parent, pulumi.DependsOn([]pulumi.Resource{policy}))
	if err != nil {
		return fmt.Errorf("flow log: %w", err)
	}

	c.FlowLogID = flowLog.ID().ToStringOutput()
	c.LogGroupName = group.Name
	c.LogGroupArn = group.Arn

	return nil
}
