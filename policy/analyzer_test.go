package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

// startPack builds the pack the way the Go language host does (`go build` in this directory),
// starts it, and connects to the analyzer it serves, speaking the engine's side of the protocol.
func startPack(t *testing.T) pulumirpc.AnalyzerClient {
	t.Helper()

	bin := filepath.Join(t.TempDir(), "crucible-policy")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "the pack must build with `go build` in policy/: %s", out)

	pack := exec.Command(bin)
	pack.Stderr = os.Stderr
	stdout, err := pack.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, pack.Start())
	t.Cleanup(func() {
		_ = pack.Process.Kill()
		_ = pack.Wait()
	})

	// The analyzer protocol starts with the port on the first line of standard output.
	port, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "the pack must print its port")

	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(port),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })

	client := pulumirpc.NewAnalyzerClient(conn)
	dir, err := os.Getwd()
	require.NoError(t, err)

	ctx := context.Background()
	_, err = client.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{
		RootDirectory: &dir, ProgramDirectory: &dir,
	})
	require.NoError(t, err)

	_, err = client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{
		Stack: "dev", Project: "crucible", DryRun: true,
	})
	require.NoError(t, err)

	return client
}

func marshal(t *testing.T, props map[string]any) *structpb.Struct {
	t.Helper()

	s, err := plugin.MarshalProperties(resource.NewPropertyMapFromMap(props),
		plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
	require.NoError(t, err)

	return s
}

// diagnostic is the part of an engine diagnostic the tests compare.
type diagnostic struct {
	Policy  string
	Level   pulumirpc.EnforcementLevel
	URN     string
	Message string
}

func diagnostics(resp *pulumirpc.AnalyzeResponse) []diagnostic {
	var out []diagnostic
	for _, d := range resp.GetDiagnostics() {
		out = append(out, diagnostic{
			Policy: d.GetPolicyName(), Level: d.GetEnforcementLevel(), URN: d.GetUrn(),
			Message: d.GetMessage(),
		})
	}

	return out
}

func descriptionOf(t *testing.T, id string) string {
	t.Helper()

	for _, r := range rules.All() {
		if r.ID == id {
			return description(r)
		}
	}

	require.Failf(t, "no rule", "no rule %s", id)

	return ""
}

func TestThePackBinaryServesTheEngineProtocol(t *testing.T) {
	client := startPack(t)
	ctx := context.Background()

	info, err := client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, "crucible", info.GetName())
	assert.True(t, info.GetSupportsConfig(), "levels must be overridable by a config file")

	levels := map[string]pulumirpc.EnforcementLevel{}
	for _, p := range info.GetPolicies() {
		levels[p.GetName()] = p.GetEnforcementLevel()
	}
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, levels["instance-imdsv2-required"])
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, levels["kms-key-rotation-enabled"])
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, levels["unchecked-values"])
	assert.Len(t, levels, len(rules.All())+2)

	// A team lowers one rule in its policy configuration file; the engine sends it like this.
	_, err = client.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{
		PolicyConfig: map[string]*pulumirpc.PolicyConfig{
			"instance-no-key-pair": {
				EnforcementLevel: pulumirpc.EnforcementLevel_ADVISORY, Properties: &structpb.Struct{},
			},
		},
	})
	require.NoError(t, err)

	resp, err := client.Analyze(ctx, &pulumirpc.AnalyzeRequest{
		Type: instanceType, Urn: instanceURN, Name: "host",
		Properties: marshal(t, map[string]any{
			"keyName":                  "laptop",
			"associatePublicIpAddress": false,
			"iamInstanceProfile":       "host",
			"metadataOptions": map[string]any{
				"httpTokens": "optional", "httpPutResponseHopLimit": 1,
			},
			"rootBlockDevice": map[string]any{"encrypted": computed},
		}),
	})
	require.NoError(t, err)
	assert.ElementsMatch(t, []diagnostic{
		{
			Policy: "instance-imdsv2-required", Level: pulumirpc.EnforcementLevel_MANDATORY,
			URN: instanceURN,
			Message: descriptionOf(t, "instance-imdsv2-required") + "\n" +
				`metadataOptions.httpTokens is "optional"; it must be "required": IMDSv1 lets a ` +
				"forged request read the instance role's credentials",
		},
		{
			Policy: "instance-no-key-pair", Level: pulumirpc.EnforcementLevel_ADVISORY,
			URN: instanceURN,
			Message: descriptionOf(t, "instance-no-key-pair") + "\n" + `keyName is "laptop"; it ` +
				"must not be set: SSH keys bypass Session Manager's authorization and logging",
		},
		{
			Policy: "unchecked-values", Level: pulumirpc.EnforcementLevel_ADVISORY, URN: instanceURN,
			Message: "A rule could not check a resource: a value it needs is unknown until the " +
				"deployment runs. Run `pulumi preview` again after the update, or `crucible check " +
				"--state` on the exported stack.\ninstance-volumes-encrypted: could not be checked: " +
				"rootBlockDevice.encrypted is unknown until the deployment runs",
		},
	}, diagnostics(resp))

	stack, err := client.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{
		Resources: []*pulumirpc.AnalyzerResource{
			{
				Type: vpcType, Urn: "urn:pulumi:dev::crucible::aws:ec2/vpc:Vpc::sandbox", Name: "sandbox",
				Properties: marshal(t, map[string]any{"id": "vpc-1", "enableDnsHostnames": true}),
			},
		},
	})
	require.NoError(t, err)

	var stackPolicies []string
	for _, d := range diagnostics(stack) {
		stackPolicies = append(stackPolicies, d.Policy)
		assert.Equal(t, "urn:pulumi:dev::crucible::aws:ec2/vpc:Vpc::sandbox", d.URN)
		assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, d.Level)
	}
	assert.ElementsMatch(t, []string{"default-security-group-no-rules", "vpc-flow-logs-enabled"},
		stackPolicies, "a bare VPC lacks its flow log and its emptied default group")
}
