package tests

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/check"
	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/policy/rules"
	"github.com/crucible-sandbox/crucible/settings"
)

func TestPlatformBuildsTheSharedPartsAndNoHost(t *testing.T) {
	platform := rendertest.Render(t, "role=platform")

	assert.Len(t, platform.OfType(vpcType), 1)
	assert.Len(t, platform.OfType(endpointType), 6)
	assert.Len(t, platform.OfType(typeKey), 1)
	assert.Len(t, platform.OfType(typeBucket), 1)
	assert.Empty(t, platform.OfType(instanceType), "a platform runs no host")
	assert.Empty(t, platform.OfType(profileType), "a platform has no host role or profile")
	for _, r := range platform.OfType(typeRole) {
		assert.Equal(t, "sandbox-flow-log-delivery", r.Name, "the flow log's role is the only one")
	}
	assert.Empty(t, platform.OfType(typeDocument), "session documents are per evaluation")

	assert.Equal(t, []string{
		"accountId", "auditBucketName", "auditKeyArn", "dnsQueryLogGroupName", "egressPorts",
		"endpointClientSecurityGroupId", "flowLogGroupName", "privateSubnetId", "region",
		"sessionLogGroupName", "vpcId",
	}, slices.Sorted(maps.Keys(platform.Outputs)))
	assert.Equal(t, "crucible-audit-dev-123456789012-us-east-1", platform.Outputs["auditBucketName"])
	assert.Equal(t, "/crucible/dev/sessions", platform.Outputs["sessionLogGroupName"])
	assert.Equal(t, []int{443}, platform.Outputs["egressPorts"])
}

// The platform key exists before any evaluation role, so it cannot name them: it grants the
// account, but only principals whose ARN is under the host path.
func TestPlatformKeyGrantsHostRolesByTheirPath(t *testing.T) {
	platform := rendertest.Render(t, "role=platform")
	doc := rendertest.JSONDoc(t, rendertest.One(t, platform, typeKey, "sandbox-evidence-key"),
		"policy")

	statements := doc["Statement"].([]any)
	require.Len(t, statements, 3)
	assert.Equal(t, map[string]any{
		"Sid":       "HostRolesUnderThePathEncryptSessionsAndTranscripts",
		"Effect":    "Allow",
		"Principal": map[string]any{"AWS": "arn:aws:iam::123456789012:root"},
		"Action":    []any{"kms:Decrypt", "kms:GenerateDataKey"},
		"Resource":  []any{"*"},
		"Condition": map[string]any{"ArnLike": map[string]any{
			"aws:PrincipalArn": "arn:aws:iam::123456789012:role/crucible/hosts/*",
		}},
	}, statements[1])
}

func TestEvaluationBuildsOnlyTheHostAndItsAccess(t *testing.T) {
	platform, evaluation := renderPlatformAndEvaluation(t, nil, nil)

	assert.Empty(t, evaluation.OfType(vpcType), "the VPC is the platform's")
	assert.Empty(t, evaluation.OfType(endpointType))
	assert.Empty(t, evaluation.OfType(typeKey))
	assert.Empty(t, evaluation.OfType(typeBucket))
	assert.Empty(t, evaluation.OfType(typeLogGroup))

	hostSg := rendertest.One(t, evaluation, sgType, "sandbox-host-sg")
	vm := rendertest.One(t, evaluation, instanceType, "sandbox-host-instance")
	assert.Equal(t, platform.Outputs["vpcId"], hostSg.Get("vpcId"))
	assert.Equal(t, platform.Outputs["privateSubnetId"], vm.Get("subnetId"))
	assert.Equal(t, []any{hostSg.ID, platform.Outputs["endpointClientSecurityGroupId"]},
		vm.Get("vpcSecurityGroupIds"), "the host joins the group the platform's endpoints trust")

	role := rendertest.One(t, evaluation, typeRole, "sandbox-host-role")
	assert.Equal(t, "/crucible/hosts/", role.Get("path"))
	assert.True(t, strings.HasPrefix(role.String("arn"), "arn:aws:iam::123456789012:role/crucible/hosts/"),
		"the role falls under the platform key's ArnLike pattern: %s", role.String("arn"))
}

// Transcripts of one evaluation go under its own prefix of the shared bucket, and its role may
// write nowhere else.
func TestEvaluationTranscriptsAndLoggingAreScopedToTheEvaluation(t *testing.T) {
	platform, evaluation := renderPlatformAndEvaluation(t, nil, nil)
	bucket := platform.Outputs["auditBucketName"].(string)
	vm := rendertest.One(t, evaluation, instanceType, "sandbox-host-instance")

	doc := rendertest.JSONDoc(t, rendertest.One(t, evaluation, typeDocument,
		"sandbox-sessions-session-preferences"), "content")
	inputs := doc["inputs"].(map[string]any)
	assert.Equal(t, bucket, inputs["s3BucketName"])
	assert.Equal(t, "sessions/eval-1/"+vm.ID, inputs["s3KeyPrefix"])
	assert.Equal(t, "/crucible/dev/sessions", inputs["cloudWatchLogGroupName"])
	assert.Equal(t, platform.Outputs["auditKeyArn"], inputs["kmsKeyId"])
	assert.Equal(t, "sessions/eval-1/"+vm.ID, evaluation.Outputs["auditTranscriptPrefix"])

	logging := rendertest.JSONDoc(t, rendertest.One(t, evaluation, typeRolePolicy,
		"sandbox-sessions-host-logging"), "policy")
	write := logging["Statement"].([]any)[0].(map[string]any)
	assert.Equal(t, "WriteTranscripts", write["Sid"])
	assert.Equal(t, []any{"arn:aws:s3:::" + bucket + "/sessions/eval-1/*"}, write["Resource"])
	stream := logging["Statement"].([]any)[2].(map[string]any)
	assert.Equal(t, []any{
		"arn:aws:logs:us-east-1:123456789012:log-group:/crucible/dev/sessions",
		"arn:aws:logs:us-east-1:123456789012:log-group:/crucible/dev/sessions:*",
	}, stream["Resource"])
}

func TestPlatformS3EndpointAllowsTheSharedBucket(t *testing.T) {
	platform := rendertest.Render(t, "role=platform")
	policy, err := json.Marshal(rendertest.JSONDoc(t,
		rendertest.One(t, platform, endpointType, "sandbox-s3"), "policy"))
	require.NoError(t, err)

	assert.Contains(t, string(policy),
		`"arn:aws:s3:::crucible-audit-dev-123456789012-us-east-1/*"`)
}

// renderEvaluation renders the evaluation stack against the given platform outputs.
func renderEvaluation(outputs map[string]any) error {
	cfg, err := render.LoadStack(rendertest.Root(), "dev")
	if err != nil {
		return err
	}

	for _, o := range []string{"role=evaluation", "platformStack=org/crucible/dev"} {
		if err := cfg.Set(o); err != nil {
			return err
		}
	}

	cfg.Stack = evaluationStackName

	var opts []render.Option
	if outputs != nil {
		opts = append(opts, render.WithPlatformOutputs(outputs))
	}

	_, err = render.Render(cfg, opts...)

	return err
}

func TestMissingOrMalformedPlatformOutputsAreNamedAndNothingIsBuilt(t *testing.T) {
	platform := rendertest.Render(t, "role=platform")

	good := func() map[string]any { return platformOutputsFile(t, platform) }
	prefix := "crucible:platformStack: platform stack org/crucible/dev: output "

	cases := []struct {
		name   string
		change func(o map[string]any)
		want   []string
	}{
		{
			name:   "VPC id missing",
			change: func(o map[string]any) { delete(o, "vpcId") },
			want: []string{prefix + "vpcId: is missing; is org/crucible/dev a crucible stack " +
				"with role platform?"},
		},
		{
			name: "subnet and group ids malformed",
			change: func(o map[string]any) {
				o["privateSubnetId"] = "vpc-0123456789abcdef0"
				o["endpointClientSecurityGroupId"] = 42
			},
			want: []string{
				prefix + "privateSubnetId: vpc-0123456789abcdef0 is not a subnet id (subnet-...)",
				prefix + "endpointClientSecurityGroupId: 42 is not a security group id (sg-...)",
			},
		},
		{
			name:   "key ARN is a bucket ARN",
			change: func(o map[string]any) { o["auditKeyArn"] = "arn:aws:s3:::bucket" },
			want:   []string{prefix + "auditKeyArn: arn:aws:s3:::bucket is not a KMS key ARN"},
		},
		{
			name:   "platform in another region",
			change: func(o map[string]any) { o["region"] = "eu-west-1" },
			want: []string{prefix + "region: is eu-west-1, but this stack deploys to us-east-1; " +
				"an evaluation runs in its platform's region"},
		},
		{
			name:   "egress ports without 443",
			change: func(o map[string]any) { o["egressPorts"] = []any{8443.0} },
			want: []string{prefix + "egressPorts: [8443] does not hold 443, which Session " +
				"Manager needs"},
		},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			outputs := good()
			c.change(outputs)

			err := renderEvaluation(outputs)

			var cfgErr *settings.Error
			require.True(t, errors.As(err, &cfgErr), "want a configuration error, got %v", err)

			got := make([]string, 0, len(cfgErr.Problems))
			for _, p := range cfgErr.Problems {
				got = append(got, p.Error())
			}

			assert.ElementsMatch(t, c.want, got)
		})
	}
}

func TestEvaluationRenderWithoutPlatformOutputsSaysHowToGiveThem(t *testing.T) {
	err := renderEvaluation(nil)
	require.Error(t, err)

	assert.Contains(t, err.Error(), "stack eval-1 reads stack org/crucible/dev, whose outputs "+
		"the offline render does not have; render the platform stack, save its outputs "+
		"(crucible render --stack <platform> --outputs-json > platform.json) and pass "+
		"--platform-outputs platform.json")
}

// Both stack kinds pass every mandatory rule. The flow-log rule checks each VPC in the render:
// the platform's VPC has its flow log; an evaluation builds no VPC, and its host's VPC is
// checked where it is built.
func TestBothStackKindsPassEveryMandatoryRule(t *testing.T) {
	platform, evaluation := renderPlatformAndEvaluation(t, nil, nil)

	for name, res := range map[string]*render.Result{
		"platform": platform, "evaluation": evaluation,
		"platform and evaluation together": together(platform, evaluation),
	} {
		t.Run(name, func(t *testing.T) {
			dep, err := check.FromRender(res)
			require.NoError(t, err)

			report := check.Run("stack "+res.Stack, "", dep, rules.All(), nil)
			for _, f := range report.Findings {
				assert.NotEqual(t, rules.Mandatory, f.Level, "%s: %v", f.Rule.ID, f)
			}
		})
	}
}
