package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/check"
	"github.com/crucible-sandbox/crucible/internal/enginetest"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/policy/rules"
	"github.com/crucible-sandbox/crucible/sandbox"
)

// policyFinding is one policy violation as the engine reported it during a preview.
type policyFinding struct {
	Policy string
	Level  string
	URN    string
}

// buildPack builds the pack binary. The engine runs a pack directory through the Go language
// host, which builds it with `go build`; given the built binary instead, the engine starts it
// directly. The CLI built for the tests has no language host (the Go module proxy does not serve
// pulumi-language-go), so the test hands the engine the binary: the same program, the same
// protocol, the same engine.
func buildPack(t *testing.T) string {
	t.Helper()

	bin := filepath.Join(t.TempDir(), "crucible-policy")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "building the pack: %s", out)

	return bin
}

// devStack creates the dev stack on the engine with the committed dev configuration.
func devStack(t *testing.T, e *enginetest.Engine, program pulumi.RunFunc) auto.Stack {
	t.Helper()

	stack := e.InlineStack(t, "crucible", "dev", program)

	cfg := auto.ConfigMap{}
	for k, v := range rendertest.Config(t).Values {
		cfg[k] = auto.ConfigValue{Value: v}
	}
	require.NoError(t, stack.SetAllConfig(context.Background(), cfg))

	return stack
}

// previewWithPack previews the stack with the built pack and returns the findings the engine
// reported, and the preview's error.
func previewWithPack(t *testing.T, stack auto.Stack, pack string, configFiles ...string,
) ([]policyFinding, error) {
	t.Helper()

	var (
		mu       sync.Mutex
		findings []policyFinding
		done     = make(chan struct{})
		stream   = make(chan events.EngineEvent)
	)

	go func() {
		defer close(done)
		for ev := range stream {
			if p := ev.PolicyEvent; p != nil {
				mu.Lock()
				findings = append(findings, policyFinding{p.PolicyName, p.EnforcementLevel, p.ResourceURN})
				mu.Unlock()
			}
		}
	}()

	opts := []optpreview.Option{optpreview.PolicyPacks(pack), optpreview.EventStreams(stream)}
	if len(configFiles) > 0 {
		opts = append(opts, optpreview.PolicyPackConfigs(configFiles...))
	}

	_, err := stack.Preview(context.Background(), opts...)
	<-done

	return findings, err
}

// withSSHFromAnywhere is the program plus one bad change: SSH opened to the internet on the
// host's own security group.
func withSSHFromAnywhere(ctx *pulumi.Context) error {
	if err := sandbox.Program(ctx); err != nil {
		return err
	}

	group, ok := ctx.GetCurrentExportMap()["securityGroupId"]
	if !ok {
		return fmt.Errorf("the program exports no securityGroupId")
	}

	_, err := ec2.NewSecurityGroupRule(ctx, "debug-ssh", &ec2.SecurityGroupRuleArgs{
		Type:       pulumi.String("ingress"),
		Protocol:   pulumi.String("tcp"),
		FromPort:   pulumi.Int(22),
		ToPort:     pulumi.Int(22),
		CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		SecurityGroupId: pulumi.ToOutput(group).ApplyT(func(id any) string {
			return fmt.Sprint(id)
		}).(pulumi.StringOutput),
	})

	return err
}

// offlineVerdict is the mandatory rules `crucible check --stack dev` fails, plus extra: what the
// engine must fail too, since both places run the same rules.
func offlineVerdict(t *testing.T, extra ...string) []string {
	t.Helper()

	dep, err := check.FromRender(rendertest.Render(t))
	require.NoError(t, err)

	out := slices.Clone(extra)
	for _, f := range check.Run("stack dev", "Pulumi.dev.yaml", dep, rules.All(), nil).Findings {
		if f.Level == rules.Mandatory && !slices.Contains(out, f.Rule.ID) {
			out = append(out, f.Rule.ID)
		}
	}
	slices.Sort(out)

	return out
}

// requireVerdict requires the preview to fail exactly the mandatory policies want, and to fail
// as a whole exactly when there is one.
func requireVerdict(t *testing.T, want []string, findings []policyFinding, err error) {
	t.Helper()

	assert.Equal(t, want, mandatoryPolicies(findings))
	if len(want) == 0 {
		require.NoError(t, err, "findings: %v", findings)
		return
	}

	require.Error(t, err, "a mandatory violation must fail the preview")
}

func mandatoryPolicies(findings []policyFinding) []string {
	var out []string
	for _, f := range findings {
		if f.Level == "mandatory" && !slices.Contains(out, f.Policy) {
			out = append(out, f.Policy)
		}
	}
	slices.Sort(out)

	return out
}

// TestThePackGuardsPreviewsOnTheRealEngine previews the real program with `--policy-pack` on the
// built pack and the real engine (the built Pulumi CLI, the stand-in AWS provider, a file
// backend). The engine's verdict on the dev stack is the offline check's, so the dev stack passes
// exactly when `crucible check --stack dev` does;
// the same program with SSH opened to the internet fails naming the rules, and the pack's
// configuration file can lower those rules.
func TestThePackGuardsPreviewsOnTheRealEngine(t *testing.T) {
	e := enginetest.Start(t)
	pack := buildPack(t)

	t.Run("the dev stack gets the offline check's verdict", func(t *testing.T) {
		findings, err := previewWithPack(t, devStack(t, e, sandbox.Program), pack)
		requireVerdict(t, offlineVerdict(t), findings, err)
	})

	t.Run("SSH from anywhere fails the preview", func(t *testing.T) {
		findings, err := previewWithPack(t, devStack(t, e, withSSHFromAnywhere), pack)
		require.Error(t, err, "a mandatory violation must fail the preview")
		assert.Equal(t,
			offlineVerdict(t, "host-security-group-no-ingress", "security-group-no-ingress-from-anywhere"),
			mandatoryPolicies(findings))
		assert.Contains(t, findings, policyFinding{
			Policy: "security-group-no-ingress-from-anywhere", Level: "mandatory",
			URN: "urn:pulumi:dev::crucible::aws:ec2/securityGroupRule:SecurityGroupRule::debug-ssh",
		})
		assert.Contains(t, findings, policyFinding{
			Policy: "host-security-group-no-ingress", Level: "mandatory",
			URN: "urn:pulumi:dev::crucible::aws:ec2/securityGroupRule:SecurityGroupRule::debug-ssh",
		})
	})

	t.Run("the pack config lowers the rules to advisory", func(t *testing.T) {
		config := filepath.Join(t.TempDir(), "policy-config.json")
		require.NoError(t, os.WriteFile(config, []byte(`{
			"security-group-no-ingress-from-anywhere": "advisory",
			"host-security-group-no-ingress": {"enforcementLevel": "advisory"}
		}`), 0o600))

		findings, err := previewWithPack(t, devStack(t, e, withSSHFromAnywhere), pack, config)
		requireVerdict(t, offlineVerdict(t), findings, err)
		assert.Contains(t, findings, policyFinding{
			Policy: "security-group-no-ingress-from-anywhere", Level: "advisory",
			URN: "urn:pulumi:dev::crucible::aws:ec2/securityGroupRule:SecurityGroupRule::debug-ssh",
		})
	})
}
