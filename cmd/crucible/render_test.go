package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/rendertest"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()

	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)

	return code, stdout.String(), stderr.String()
}

func TestRenderPrintsTheWholeTreeAndOutputs(t *testing.T) {
	code, out, errOut := runCLI(t, "render", "--stack", "dev", "--cwd", rendertest.Root())
	require.Equal(t, 0, code, errOut)

	for _, want := range []string{
		"pulumi:pulumi:Stack", "crucible-dev",
		"└─ crucible:network:Vpc", "aws:ec2/vpcEndpoint:VpcEndpoint", "sandbox-ssmmessages",
		"crucible:compute:Host", "sandbox-host-instance",
		"connectCommand", "aws ssm start-session --target i-",
	} {
		assert.Contains(t, out, want)
	}
}

func TestRenderJSONIsShapedLikeAStackExport(t *testing.T) {
	code, out, errOut := runCLI(t, "render", "--stack", "dev", "--cwd", rendertest.Root(), "--json",
		"--config", "enableNat=true")
	require.Equal(t, 0, code, errOut)

	var doc struct {
		Version    int `json:"version"`
		Deployment struct {
			Resources []struct {
				URN          string         `json:"urn"`
				ID           string         `json:"id"`
				Custom       bool           `json:"custom"`
				Type         string         `json:"type"`
				Parent       string         `json:"parent"`
				Inputs       map[string]any `json:"inputs"`
				Outputs      map[string]any `json:"outputs"`
				Dependencies []string       `json:"dependencies"`
			} `json:"resources"`
		} `json:"deployment"`
		Outputs map[string]any `json:"outputs"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))

	assert.Equal(t, 3, doc.Version)
	require.NotEmpty(t, doc.Deployment.Resources)
	assert.Equal(t, "pulumi:pulumi:Stack", doc.Deployment.Resources[0].Type)

	nat := 0
	for _, r := range doc.Deployment.Resources {
		assert.True(t, strings.HasPrefix(r.URN, "urn:pulumi:dev::crucible::"), r.URN)
		if r.Type == "aws:ec2/natGateway:NatGateway" {
			nat++
			assert.Regexp(t, `^nat-[0-9a-f]{17}$`, r.ID)
			assert.True(t, r.Custom)
			assert.Contains(t, r.Parent, "crucible:network:Vpc::sandbox")
			assert.NotEmpty(t, r.Dependencies, "the NAT gateway depends on its subnet and address")
		}
	}

	assert.Equal(t, 1, nat, "the --config override reached the program")
	assert.Contains(t, doc.Outputs["connectCommand"], "aws ssm start-session --target i-")
}

func TestRenderRejectsInvalidConfigWithExitStatus2(t *testing.T) {
	code, out, errOut := runCLI(t, "render", "--stack", "dev", "--cwd", rendertest.Root(),
		"--config", "privateSubnetCidr=10.1.0.0/24")

	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "crucible: stack dev: invalid stack configuration:")
	assert.Contains(t, errOut, "crucible:privateSubnetCidr: 10.1.0.0/24 is not inside vpcCidr 10.0.0.0/16")
}

func TestRenderNeedsAStackThatExists(t *testing.T) {
	code, _, errOut := runCLI(t, "render", "--stack", "nope", "--cwd", rendertest.Root())
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `stack "nope"`)
	assert.Contains(t, errOut, "Pulumi.nope.yaml not found")

	code, _, errOut = runCLI(t, "render", "--cwd", rendertest.Root())
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--stack is required")

	code, _, errOut = runCLI(t, "render", "--stack", "dev", "--cwd", rendertest.Root(), "--config", "novalue")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `--config "novalue": expected key=value`)
}

func TestRenderShowsTheWarningsTheDeployWouldPrint(t *testing.T) {
	code, out, errOut := runCLI(t, "render", "--stack", "dev", "--cwd", rendertest.Root(),
		"--config", "enableNat=true", "--config", "auditRetainOnDestroy=false")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "\nwarning: crucible:enableNat is true: the host can reach the internet")
	assert.Contains(t, out, "\nwarning: auditRetainOnDestroy is false: destroying the stack deletes")

	code, out, errOut = runCLI(t, "render", "--stack", "dev", "--cwd", rendertest.Root())
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, "warning:", "the strict defaults weaken nothing")

	code, out, errOut = runCLI(t, "render", "--stack", "dev", "--cwd", rendertest.Root(), "--json",
		"--config", "sessionSudo=true")
	require.Equal(t, 0, code, errOut)

	var doc struct {
		Warnings []string `json:"warnings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Warnings, 1)
	assert.Contains(t, doc.Warnings[0], "sessionSudo is true: sessions run as crucible-operator")
}
