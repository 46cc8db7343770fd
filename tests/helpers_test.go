// Package tests holds the whole-program scenarios: the real program on the real dev stack and
// its variants, rendered against the AWS stand-in.
package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
)

// Resource type tokens the scenarios look at.
const (
	vpcType            = "aws:ec2/vpc:Vpc"
	subnetType         = "aws:ec2/subnet:Subnet"
	routeType          = "aws:ec2/route:Route"
	routeTableType     = "aws:ec2/routeTable:RouteTable"
	rtAssocType        = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	sgType             = "aws:ec2/securityGroup:SecurityGroup"
	sgRuleType         = "aws:ec2/securityGroupRule:SecurityGroupRule"
	sgIngressType      = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	endpointType       = "aws:ec2/vpcEndpoint:VpcEndpoint"
	instanceType       = "aws:ec2/instance:Instance"
	igwType            = "aws:ec2/internetGateway:InternetGateway"
	eipType            = "aws:ec2/eip:Eip"
	natType            = "aws:ec2/natGateway:NatGateway"
	profileType        = "aws:iam/instanceProfile:InstanceProfile"
	defaultSgType      = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	hostComponent      = "crucible:compute:Host"
	networkComponent   = "crucible:network:Vpc"
	stackReferenceType = "pulumi:pulumi:StackReference"
)

// scenario is one named configuration of the whole program. A platform scenario renders a
// platform stack with overrides, then an evaluation stack with evalOverrides against the
// platform render's own outputs, and checks the two renders together: what one evaluation runs
// on.
type scenario struct {
	name          string
	overrides     []string
	nat           bool
	platform      bool
	evalOverrides []string
}

// scenarios are the configurations every invariant must hold for.
var scenarios = []scenario{
	{name: "dev stack as committed"},
	{name: "NAT off explicitly", overrides: []string{"enableNat=false"}},
	{name: "NAT on", overrides: []string{"enableNat=true"}, nat: true},
	{
		name: "custom CIDRs with NAT",
		overrides: []string{
			"vpcCidr=172.20.0.0/20", "publicSubnetCidr=172.20.0.0/24",
			"privateSubnetCidr=172.20.8.0/22", "enableNat=true",
		},
		nat: true,
	},
	{
		name:      "graviton host in a pinned zone",
		overrides: []string{"instanceType=t4g.small", "availabilityZone=us-east-1b"},
	},
	{name: "platform and one evaluation", platform: true},
	{
		name:          "platform with NAT and a graviton evaluation host",
		overrides:     []string{"enableNat=true", "availabilityZone=us-east-1b"},
		evalOverrides: []string{"instanceType=t4g.small"},
		nat:           true,
		platform:      true,
	},
}

func (s scenario) render(t *testing.T) *render.Result {
	t.Helper()

	if !s.platform {
		return rendertest.Render(t, s.overrides...)
	}

	platform, evaluation := renderPlatformAndEvaluation(t, s.overrides, s.evalOverrides)

	return together(platform, evaluation)
}

// The stacks of the platform scenarios. The platform keeps the dev stack's name, so its log
// groups read /crucible/dev/... as in the standalone scenarios.
const (
	platformStackName   = "dev"
	evaluationStackName = "eval-1"
)

// renderPlatformAndEvaluation renders the platform stack, then an evaluation stack fed the
// platform render's own outputs, the way `crucible render --platform-outputs` does.
func renderPlatformAndEvaluation(t testing.TB, platformOverrides, evalOverrides []string,
) (*render.Result, *render.Result) {
	t.Helper()

	platform := rendertest.Render(t, append([]string{"role=platform"}, platformOverrides...)...)

	cfg := rendertest.Config(t, append([]string{
		"role=evaluation", "platformStack=org/crucible/" + platformStackName,
	}, evalOverrides...)...)
	cfg.Stack = evaluationStackName

	outputs := platformOutputsFile(t, platform)

	return platform, rendertest.RenderConfig(t, cfg, render.WithPlatformOutputs(outputs))
}

// platformOutputsFile round-trips the platform's outputs through JSON, as the file that
// `crucible render --outputs-json` writes and `--platform-outputs` reads.
func platformOutputsFile(t testing.TB, platform *render.Result) map[string]any {
	t.Helper()

	path := filepath.Join(t.TempDir(), "platform.json")
	raw, err := json.Marshal(platform.Outputs)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, raw, 0o600))

	outputs, err := render.LoadOutputs(path)
	require.NoError(t, err)

	return outputs
}

// together is the platform and one evaluation as one result: everything the evaluation's host
// runs on, with the evaluation's outputs.
func together(platform, evaluation *render.Result) *render.Result {
	return &render.Result{
		Project:   evaluation.Project,
		Stack:     evaluation.Stack,
		Resources: append(append([]*render.Resource{}, platform.Resources...), evaluation.Resources...),
		Outputs:   evaluation.Outputs,
		Config:    evaluation.Config,
	}
}

func eachScenario(t *testing.T, check func(t *testing.T, s scenario, res *render.Result)) {
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			check(t, s, s.render(t))
		})
	}
}
