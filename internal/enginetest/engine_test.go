package enginetest_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/enginetest"
	"github.com/crucible-sandbox/crucible/internal/mockcloud"
)

const smokeCIDR = "10.42.0.0/16"

func smokeProgram(ctx *pulumi.Context) error {
	vpc, err := ec2.NewVpc(ctx, "smoke", &ec2.VpcArgs{CidrBlock: pulumi.String(smokeCIDR)})
	if err != nil {
		return err
	}
	ctx.Export("vpcId", vpc.ID())
	ctx.Export("vpcArn", vpc.Arn)
	ctx.Export("cidrBlock", vpc.CidrBlock)
	return nil
}

// TestEngineRunsTheStandInProviderThroughALifecycle proves the harness: the real engine, the
// built CLI and the stand-in plugin create a VPC, find nothing to change on a second up, and
// destroy it, all without network or an AWS account.
func TestEngineRunsTheStandInProviderThroughALifecycle(t *testing.T) {
	e := enginetest.Start(t)
	ctx := context.Background()
	stack := e.InlineStack(t, "smoke", "dev", smokeProgram)

	first, err := stack.Up(ctx)
	require.NoError(t, err, "first up")
	assert.Equal(t, map[string]int{"create": 2}, *first.Summary.ResourceChanges,
		"the first up creates the stack and the VPC")

	// The plugin answers from mockcloud, so its computed fields equal the in-process ones.
	wantID, wantState, err := mockcloud.New(mockcloud.Options{}).Resource("aws:ec2/vpc:Vpc", "smoke",
		resource.PropertyMap{"cidrBlock": resource.NewStringProperty(smokeCIDR)})
	require.NoError(t, err)
	assert.Equal(t, wantID, first.Outputs["vpcId"].Value, "VPC id comes from mockcloud")
	assert.Equal(t, wantState["arn"].StringValue(), first.Outputs["vpcArn"].Value,
		"VPC ARN comes from mockcloud")
	assert.Equal(t, smokeCIDR, first.Outputs["cidrBlock"].Value, "inputs reach the state")

	second, err := stack.Up(ctx)
	require.NoError(t, err, "second up")
	assert.Equal(t, map[string]int{"same": 2}, *second.Summary.ResourceChanges,
		"an unchanged program must report no changes on a second up")

	preview, err := stack.Preview(ctx)
	require.NoError(t, err, "preview")
	assert.Equal(t, map[apitype.OpType]int{apitype.OpSame: 2}, preview.ChangeSummary,
		"preview after up shows nothing to do")

	destroyed, err := stack.Destroy(ctx, optdestroy.Remove())
	require.NoError(t, err, "destroy")
	assert.Equal(t, map[string]int{"delete": 2}, *destroyed.Summary.ResourceChanges,
		"destroy deletes the VPC and the stack")
}

func TestPinnedAWSPluginVersionMatchesGoMod(t *testing.T) {
	assert.Equal(t, enginetest.ModuleVersion(t, "github.com/pulumi/pulumi-aws/sdk/v6"),
		enginetest.AWSPluginVersion,
		"the stand-in is installed as the plugin version the typed SDK in go.mod asks for")
}
