package tests

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/settings"
)

func TestInvalidConfigFailsWithItsMessageAndRegistersNothing(t *testing.T) {
	cases := []struct {
		name     string
		override string
		want     string
	}{
		{"unparsable CIDR", "vpcCidr=10.0.0.0/99", `crucible:vpcCidr: "10.0.0.0/99" is not an IPv4 CIDR`},
		{
			"subnet outside VPC", "privateSubnetCidr=10.9.0.0/24",
			"crucible:privateSubnetCidr: 10.9.0.0/24 is not inside vpcCidr 10.0.0.0/16",
		},
		{
			"VPC prefix out of range", "vpcCidr=10.0.0.0/12",
			"crucible:vpcCidr: 10.0.0.0/12 has prefix /12; AWS allows /16 to /28",
		},
		{"unknown key", "crucible:enableNatGateway=true", "crucible:enableNatGateway: unknown key"},
		{"malformed instance type", "instanceType=huge", `crucible:instanceType: "huge" is not an EC2 instance type`},
		{"malformed AMI", "amiId=ubuntu", `crucible:amiId: "ubuntu" is not an AMI id`},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := render.Render(rendertest.Config(t, tc.override))

			var cfgErr *settings.Error
			require.ErrorAs(t, err, &cfgErr, "a configuration problem must surface as such, unwrapped")
			assert.Contains(t, err.Error(), tc.want)
			assert.Len(t, res.Resources, 1, "only the root stack: invalid config registers nothing")
		})
	}
}

func TestOverlappingSubnetsAreRejectedWithNat(t *testing.T) {
	_, err := render.Render(rendertest.Config(t, "enableNat=true", "publicSubnetCidr=10.0.2.0/24"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "crucible:publicSubnetCidr: 10.0.2.0/24 overlaps privateSubnetCidr 10.0.2.0/24")
}

// Pulumi.yaml declares the same keys, types, defaults and descriptions as the settings package,
// so `pulumi config` and the program never disagree about a default.
func TestPulumiYamlDeclaresExactlyTheSettingsKeys(t *testing.T) {
	project, err := workspace.LoadProject(filepath.Join(rendertest.Root(), "Pulumi.yaml"))
	require.NoError(t, err)

	assert.Equal(t, "crucible", string(project.Name))
	assert.Equal(t, "go", project.Runtime.Name())
	require.Len(t, project.Config, len(settings.Keys), "Pulumi.yaml and settings.Keys list different keys")

	for _, k := range settings.Keys {
		decl, ok := project.Config[k.Name]
		if !assert.True(t, ok, "Pulumi.yaml does not declare %s", k.Name) {
			continue
		}

		typ := ""
		if decl.Type != nil {
			typ = *decl.Type
		}

		assert.Equal(t, k.Type, typ, "%s: type", k.Name)
		assert.Equal(t, k.Description, decl.Description, "%s: description", k.Name)
		assert.Equal(t, normalize(k.Default), normalize(decl.Default), "%s: default", k.Name)
	}
}

// normalize makes YAML-decoded and Go-declared defaults comparable.
func normalize(v any) any {
	switch n := v.(type) {
	case int:
		return float64(n)
	case []int:
		out := make([]any, len(n))
		for i, x := range n {
			out[i] = float64(x)
		}

		return out
	case []string:
		out := make([]any, len(n))
		for i, x := range n {
			out[i] = x
		}

		return out
	}

	return v
}

func TestSecretConfigIsNeverShown(t *testing.T) {
	dir := t.TempDir()
	project, err := os.ReadFile(filepath.Join(rendertest.Root(), "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), project, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.sec.yaml"), []byte(
		"config:\n  aws:region: us-east-1\n  aws:secretKey:\n    secure: v1:abcdefghijklmnop:qrstuvwxyz==\n"),
		0o600))

	cfg, err := render.LoadStack(dir, "sec")
	require.NoError(t, err)

	res := rendertest.RenderConfig(t, cfg)
	assert.Equal(t, "[secret]", res.Document().Config["aws:secretKey"])
	assert.Equal(t, "us-east-1", res.Document().Config["aws:region"])
}

func TestReadmeDocumentsEveryConfigKey(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(rendertest.Root(), "README.md"))
	require.NoError(t, err)

	for _, k := range settings.Keys {
		assert.Contains(t, string(readme), "| `"+k.Name+"` |", "README's configuration reference lacks %s", k.Name)
	}
}
