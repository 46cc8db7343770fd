package evals

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A base stack that names a platform makes every evaluation an evaluation stack on it.
func TestEvaluationsOfAnEvaluationBaseStackBuildOnItsPlatform(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"shared": "config:\n  aws:region: us-east-1\n  crucible:role: evaluation\n" +
			"  crucible:platformStack: acme/crucible/platform\n",
	})

	cfg, _, err := evaluationConfig(dir, "shared", nil)
	require.NoError(t, err)

	assert.Equal(t, auto.ConfigValue{Value: "evaluation"}, cfg["crucible:role"])
	assert.Equal(t, auto.ConfigValue{Value: "acme/crucible/platform"}, cfg["crucible:platformStack"])
}

// TestEvaluationOnAPlatformOnTheEngine brings up a platform stack and one evaluation stack that
// reads it through a real StackReference on the file backend, then tears both down.
func TestEvaluationOnAPlatformOnTheEngine(t *testing.T) {
	ctx := context.Background()
	ev := startEvals(t, time.Now)

	platform, err := ev.Up(ctx, UpRequest{ID: "platform-1", Config: []string{"role=platform"}})
	require.NoError(t, err, "platform up; progress:\n%s", ev.out)
	assert.Regexp(t, `^vpc-[0-9a-f]+$`, platform.Outputs["vpcId"])
	assert.Equal(t, "[443]", platform.Outputs["egressPorts"])
	assert.NotContains(t, platform.Outputs, "instanceId", "a platform runs no host")

	evaluation, err := ev.Up(ctx, UpRequest{ID: "on-platform-1", Config: []string{
		"role=evaluation", "platformStack=" + platform.Evaluation.Stack,
	}})
	require.NoError(t, err, "evaluation up; progress:\n%s", ev.out)

	for _, shared := range []string{
		"vpcId", "privateSubnetId", "auditBucketName", "auditKeyArn",
		"sessionLogGroupName", "flowLogGroupName", "dnsQueryLogGroupName",
	} {
		assert.Equal(t, platform.Outputs[shared], evaluation.Outputs[shared], shared)
	}

	assert.Equal(t, platform.Evaluation.Stack, evaluation.Outputs["platformStack"])
	assert.Regexp(t, `^sessions/`+regexp.QuoteMeta(evaluation.Evaluation.Stack)+`/i-[0-9a-f]{17}$`,
		evaluation.Outputs["auditTranscriptPrefix"])

	_, err = ev.Down(ctx, "on-platform-1")
	require.NoError(t, err, "evaluation down; progress:\n%s", ev.out)
	_, err = ev.Down(ctx, "platform-1")
	require.NoError(t, err, "platform down; progress:\n%s", ev.out)

	names, err := ev.backend.StackNames(ctx)
	require.NoError(t, err)
	assert.NotContains(t, names, evaluation.Evaluation.Stack)
	assert.NotContains(t, names, platform.Evaluation.Stack)
}
