package network_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/network"
)

func flowLogArgs() network.FlowLogArgs {
	return network.FlowLogArgs{
		VpcID:     pulumi.String(testVpcID),
		AccountID: testAccountID,
		Partition: "aws",
		Region:    "eu-west-1",
		Log:       testLog(testFlowLogName),
		Tags:      map[string]string{"team": "evals"},
	}
}

func renderFlowLog(t *testing.T, args network.FlowLogArgs) *render.Result {
	t.Helper()

	return renderProgram(t, func(ctx *pulumi.Context) error {
		_, err := network.NewFlowLog(ctx, "flow", &args)

		return err
	})
}

func TestFlowLogRecordsAllTrafficToTheEncryptedGroup(t *testing.T) {
	res := renderFlowLog(t, flowLogArgs())

	flow := rendertest.One(t, res, flowLogType, "flow")
	group := rendertest.One(t, res, logGroupType, "flow-records")
	role := rendertest.One(t, res, roleType, "flow-delivery")

	assert.Equal(t, testVpcID, flow.Get("vpcId"))
	assert.Equal(t, "ALL", flow.Get("trafficType"), "rejected attempts are the evidence of probing")
	assert.Equal(t, "cloud-watch-logs", flow.Get("logDestinationType"))
	assert.Equal(t, group.Get("arn"), flow.Get("logDestination"))
	assert.Equal(t, role.Get("arn"), flow.Get("iamRoleArn"))
	assert.Equal(t, float64(60), flow.Get("maxAggregationInterval"))
	assert.Equal(t, network.FlowLogDefaultFormat, flow.Get("logFormat"),
		"the forensics readers parse AWS's default version 2 format")

	assert.Equal(t, testFlowLogName, group.Get("name"))
	assert.Equal(t, testKeyArn, group.Get("kmsKeyId"))
	assert.Equal(t, float64(365), group.Get("retentionInDays"))
}

func TestFlowLogDeliveryRoleIsTrustedOnlyByThisAccountsFlowLogs(t *testing.T) {
	res := renderFlowLog(t, flowLogArgs())
	role := rendertest.One(t, res, roleType, "flow-delivery")

	assert.JSONEq(t, `{"Version": "2012-10-17", "Statement": [{
		"Sid": "FlowLogsOfThisAccountAssumeTheDeliveryRole",
		"Effect": "Allow",
		"Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
		"Action": ["sts:AssumeRole"],
		"Condition": {
			"StringEquals": {"aws:SourceAccount": "123456789012"},
			"ArnLike": {"aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*"}
		}
	}]}`, role.String("assumeRolePolicy"), "the confused-deputy conditions AWS documents")
}

func TestFlowLogDeliveryRoleWritesOnlyItsLogGroup(t *testing.T) {
	res := renderFlowLog(t, flowLogArgs())
	role := rendertest.One(t, res, roleType, "flow-delivery")
	policy := rendertest.One(t, res, rolePolicyType, "flow-delivery")
	flow := rendertest.One(t, res, flowLogType, "flow")

	assert.Equal(t, role.Get("name"), policy.Get("role"))
	assert.JSONEq(t, `{"Version": "2012-10-17", "Statement": [
		{
			"Sid": "WriteRecordsToTheFlowLogGroup",
			"Effect": "Allow",
			"Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
			"Resource": [
				"arn:aws:logs:eu-west-1:123456789012:log-group:/crucible/dev/flow-logs",
				"arn:aws:logs:eu-west-1:123456789012:log-group:/crucible/dev/flow-logs:log-stream:*"
			]
		},
		{
			"Sid": "FindTheFlowLogGroup",
			"Effect": "Allow",
			"Action": ["logs:DescribeLogGroups"],
			"Resource": ["arn:aws:logs:eu-west-1:123456789012:log-group:*"]
		}
	]}`, policy.String("policy"))
	assert.Contains(t, flow.Dependencies, policy.URN,
		"the flow log starts only once its role may write, so no record is lost")
}

func TestEveryFlowLogChildIsParentedToTheComponent(t *testing.T) {
	res := renderFlowLog(t, flowLogArgs())
	comp := rendertest.One(t, res, "crucible:network:FlowLog", "flow")

	for _, r := range res.Resources {
		if r.Custom {
			assert.Equal(t, comp.URN, r.Parent, "%s %s", r.Type, r.Name)
		}
	}
}

func TestInvalidFlowLogArgumentsRegisterNothing(t *testing.T) {
	cases := map[string]struct {
		mutate func(a *network.FlowLogArgs)
		want   string
	}{
		"no vpc":     {func(a *network.FlowLogArgs) { a.VpcID = nil }, "required"},
		"no account": {func(a *network.FlowLogArgs) { a.AccountID = "" }, "required"},
		"no key":     {func(a *network.FlowLogArgs) { a.Log.KmsKeyArn = nil }, "never stored unencrypted"},
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			args := flowLogArgs()
			tc.mutate(&args)

			err := renderProgramErr(t, func(ctx *pulumi.Context) error {
				_, err := network.NewFlowLog(ctx, "flow", &args)

				return err
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), `network: flow log "flow":`)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
