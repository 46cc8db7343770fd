package compute_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/compute"
	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
)

const (
	instanceType = "aws:ec2/instance:Instance"
	sgType       = "aws:ec2/securityGroup:SecurityGroup"
)

func renderHost(t *testing.T, mutate func(*compute.HostArgs)) *render.Result {
	t.Helper()

	args := compute.HostArgs{
		VpcID:                 pulumi.String("vpc-0123"),
		SubnetID:              pulumi.String("subnet-0123"),
		ExtraSecurityGroupIDs: pulumi.StringArray{pulumi.String("sg-clients")},
		InstanceProfileName:   pulumi.String("host-profile"),
		InstanceType:          "t3.medium",
		Tags:                  map[string]string{"team": "evals"},
	}
	if mutate != nil {
		mutate(&args)
	}

	program := func(ctx *pulumi.Context) error {
		_, err := compute.NewHost(ctx, "box", &args)

		return err
	}

	return rendertest.RenderConfig(t, rendertest.Config(t), render.WithProgram(program))
}

func TestHostHasNoPathInAndIsHardened(t *testing.T) {
	res := renderHost(t, nil)
	vm := rendertest.One(t, res, instanceType, "box-instance")
	sg := rendertest.One(t, res, sgType, "box-sg")

	assert.Equal(t, false, vm.Get("associatePublicIpAddress"), "Security Hub EC2.9")
	assert.Equal(t, "", vm.Get("publicIp"))
	assert.Nil(t, vm.Get("keyName"), "no SSH key pair: access is Session Manager only")
	assert.Nil(t, vm.Get("securityGroups"), "securityGroups is for EC2-Classic/default VPC names")
	assert.Equal(t, []any{sg.ID, "sg-clients"}, vm.Get("vpcSecurityGroupIds"))
	assert.Equal(t, "subnet-0123", vm.Get("subnetId"))
	assert.Equal(t, "host-profile", vm.Get("iamInstanceProfile"))
	assert.Equal(t, "t3.medium", vm.Get("instanceType"))
	assert.Equal(t, true, vm.Get("monitoring"))

	assert.Equal(t, "required", vm.Get("metadataOptions.httpTokens"), "Security Hub EC2.8: IMDSv2")
	assert.Equal(t, float64(1), vm.Get("metadataOptions.httpPutResponseHopLimit"),
		"a hop limit of 1 keeps metadata tokens on the host")
	assert.Equal(t, "enabled", vm.Get("metadataOptions.httpEndpoint"))

	assert.Equal(t, true, vm.Get("rootBlockDevice.encrypted"), "Security Hub EC2.3")
	assert.Equal(t, "gp3", vm.Get("rootBlockDevice.volumeType"))
	assert.Equal(t, float64(30), vm.Get("rootBlockDevice.volumeSize"))
	assert.Equal(t, "evals", vm.Get("tags.team"))
}

func TestHostGroupHasNoIngressAndHTTPSEgressOnly(t *testing.T) {
	res := renderHost(t, nil)
	sg := rendertest.One(t, res, sgType, "box-sg")

	assert.Equal(t, "vpc-0123", sg.Get("vpcId"))
	assert.Equal(t, []any{}, sg.Get("ingress"), "the host group must have no ingress rule at all")
	assert.Equal(t, []any{map[string]any{
		"description": "TCP 443 out",
		"protocol":    "tcp",
		"fromPort":    float64(443),
		"toPort":      float64(443),
		"cidrBlocks":  []any{"0.0.0.0/0"},
	}}, sg.Get("egress"))
}

func TestEgressPortsAreSortedAndUnique(t *testing.T) {
	res := renderHost(t, func(a *compute.HostArgs) { a.EgressPorts = []int{8443, 443, 8443} })
	sg := rendertest.One(t, res, sgType, "box-sg")

	egress, ok := sg.Get("egress").([]any)
	require.True(t, ok)
	require.Len(t, egress, 2)
	assert.Equal(t, float64(443), egress[0].(map[string]any)["fromPort"])
	assert.Equal(t, float64(8443), egress[1].(map[string]any)["fromPort"])
}

func TestLatestAmiIsFollowedWithoutReplacingTheHost(t *testing.T) {
	res := renderHost(t, nil)
	vm := rendertest.One(t, res, instanceType, "box-instance")

	assert.Regexp(t, `^ami-0[0-9a-f]{16}$`, vm.Get("ami"))
	assert.Equal(t, []string{"ami"}, vm.IgnoreChanges,
		"a new image in the public parameter must not replace the host on a routine update")
}

func TestArmInstanceTypesGetTheArmImage(t *testing.T) {
	x86 := rendertest.One(t, renderHost(t, nil), instanceType, "box-instance")
	arm := rendertest.One(t, renderHost(t, func(a *compute.HostArgs) { a.InstanceType = "m7g.large" }),
		instanceType, "box-instance")

	assert.NotEqual(t, x86.Get("ami"), arm.Get("ami"),
		"arm64 and x86_64 come from different public parameters")
}

func TestPinnedAmiIsUsedAndFollowed(t *testing.T) {
	res := renderHost(t, func(a *compute.HostArgs) { a.AmiID = "ami-0123456789abcdef0" })
	vm := rendertest.One(t, res, instanceType, "box-instance")

	assert.Equal(t, "ami-0123456789abcdef0", vm.Get("ami"))
	assert.Empty(t, vm.IgnoreChanges, "a pinned image is the user's choice: changing the pin applies")
}

func TestAmiParameterNamesArePublicAL2023Parameters(t *testing.T) {
	assert.Equal(t, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
		compute.AmiParameter("x86_64"))
	assert.Equal(t, "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
		compute.AmiParameter("arm64"))
}

func TestHostChildrenAreParentedToTheComponent(t *testing.T) {
	res := renderHost(t, nil)
	comp := rendertest.One(t, res, "crucible:compute:Host", "box")

	for _, r := range res.Resources {
		if r.Custom {
			assert.Equal(t, comp.URN, r.Parent, "%s %s", r.Type, r.Name)
		}
	}
}

func TestInvalidHostArgumentsAreRejected(t *testing.T) {
	cases := map[string]func(*compute.HostArgs){
		"no instance type": func(a *compute.HostArgs) { a.InstanceType = "" },
		"no subnet":        func(a *compute.HostArgs) { a.SubnetID = nil },
		"port zero":        func(a *compute.HostArgs) { a.EgressPorts = []int{0} },
		"port too high":    func(a *compute.HostArgs) { a.EgressPorts = []int{70000} },
	}

	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			args := compute.HostArgs{
				VpcID: pulumi.String("vpc-1"), SubnetID: pulumi.String("subnet-1"),
				InstanceProfileName: pulumi.String("p"), InstanceType: "t3.micro",
			}
			mutate(&args)

			program := func(ctx *pulumi.Context) error {
				_, err := compute.NewHost(ctx, "box", &args)

				return err
			}

			res, err := render.Render(rendertest.Config(t), render.WithProgram(program))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `compute: host "box":`)
			assert.Len(t, res.Resources, 1, "nothing may be registered")
		})
	}
}
