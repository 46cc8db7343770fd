package mockcloud

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnmodelledResourceTypeFailsLoudly(t *testing.T) {
	_, _, err := New(Options{}).Resource("aws:ec2/keyPair:KeyPair", "k", resource.PropertyMap{})
	require.EqualError(t, err, "mockcloud: resource type aws:ec2/keyPair:KeyPair is not modelled; "+
		"add it to internal/mockcloud/resources.go")
}

func TestUnmodelledInvokeFailsLoudly(t *testing.T) {
	_, err := New(Options{}).Invoke("aws:ec2/getVpc:getVpc", resource.PropertyMap{})
	require.EqualError(t, err, "mockcloud: invoke aws:ec2/getVpc:getVpc is not modelled; "+
		"add it to internal/mockcloud/invokes.go")
}

func TestOnlyPublicAmiParametersAreAnswered(t *testing.T) {
	_, err := New(Options{}).Invoke("aws:ssm/getParameter:getParameter",
		resource.NewPropertyMapFromMap(map[string]any{"name": "/team/secret"}))
	require.ErrorContains(t, err, `parameter "/team/secret" is not modelled`)
}

func TestIdsAreStableAcrossRunsAndDistinctAcrossNames(t *testing.T) {
	a1, _, err := New(Options{}).Resource("aws:ec2/vpc:Vpc", "a", resource.PropertyMap{})
	require.NoError(t, err)
	a2, _, _ := New(Options{}).Resource("aws:ec2/vpc:Vpc", "a", resource.PropertyMap{})
	b, _, _ := New(Options{}).Resource("aws:ec2/vpc:Vpc", "b", resource.PropertyMap{})

	assert.Regexp(t, `^vpc-[0-9a-f]{17}$`, a1)
	assert.Equal(t, a1, a2, "the same resource gets the same id on every run")
	assert.NotEqual(t, a1, b)
}

func TestComputedFieldsFollowTheAccountAndRegion(t *testing.T) {
	c := New(Options{Region: "eu-central-1", AccountID: "210987654321"})

	id, out, err := c.Resource("aws:iam/role:Role", "host-role", resource.PropertyMap{})
	require.NoError(t, err)
	assert.Regexp(t, `^host-role-[0-9a-f]{7}$`, id, "roles are autonamed like the provider does")
	assert.Equal(t, "arn:aws:iam::210987654321:role/"+id, out["arn"].StringValue())

	vpcID, vpc, err := c.Resource("aws:ec2/vpc:Vpc", "v", resource.PropertyMap{})
	require.NoError(t, err)
	assert.Equal(t, "arn:aws:ec2:eu-central-1:210987654321:vpc/"+vpcID, vpc["arn"].StringValue())
}

func TestGivenNamesAreKept(t *testing.T) {
	id, out, err := New(Options{}).Resource("aws:iam/role:Role", "r",
		resource.NewPropertyMapFromMap(map[string]any{"name": "exact"}))
	require.NoError(t, err)
	assert.Equal(t, "exact", id)
	assert.Equal(t, "exact", out["name"].StringValue())
}

func TestInstanceAddressComesFromItsSubnet(t *testing.T) {
	c := New(Options{})
	subnetID, _, err := c.Resource("aws:ec2/subnet:Subnet", "s",
		resource.NewPropertyMapFromMap(map[string]any{"cidrBlock": "10.9.4.0/24"}))
	require.NoError(t, err)

	_, vm, err := c.Resource("aws:ec2/instance:Instance", "i",
		resource.NewPropertyMapFromMap(map[string]any{"subnetId": subnetID}))
	require.NoError(t, err)
	assert.Regexp(t, `^10\.9\.4\.1[0-3]$`, vm["privateIp"].StringValue())
	assert.Equal(t, "", vm["publicIp"].StringValue(), "no public address unless one is asked for")
}

func TestGravitonFamiliesAreArm(t *testing.T) {
	for typ, arch := range map[string]string{
		"t4g.small": "arm64", "m7gd.large": "arm64", "c7gn.xlarge": "arm64", "a1.medium": "arm64",
		"t3.medium": "x86_64", "m7i-flex.large": "x86_64", "g5.xlarge": "x86_64",
	} {
		out, err := New(Options{}).Invoke("aws:ec2/getInstanceType:getInstanceType",
			resource.NewPropertyMapFromMap(map[string]any{"instanceType": typ}))
		require.NoError(t, err)
		assert.Equal(t, arch, out["supportedArchitectures"].ArrayValue()[0].StringValue(), typ)
	}
}
