package tests

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/enginetest"
	"github.com/crucible-sandbox/crucible/sandbox"
)

// TestRealEngineRecordsRetainedEvidenceAndRevokesAccess runs the sandbox on the real Pulumi
// engine with the stand-in provider: the evidence resources reach the state with retainOnDelete,
// the session document does not, the outputs name the document and the transcripts, and turning
// accessRevoked on is an in-place update that adds the host deny without replacing anything.
func TestRealEngineRecordsRetainedEvidenceAndRevokesAccess(t *testing.T) {
	e := enginetest.Start(t)
	ctx := context.Background()
	stack := e.InlineStack(t, "crucible", "dev", sandbox.Program)

	require.NoError(t, stack.SetAllConfigWithOptions(ctx, auto.ConfigMap{
		"aws:region":                  {Value: "us-east-1"},
		"crucible:operatorPrincipals": {Value: `["arn:aws:iam::123456789012:role/evaluator"]`},
	}, nil))

	up, err := stack.Up(ctx)
	require.NoError(t, err, "up")

	host := up.Outputs["instanceId"].Value.(string)
	assert.Equal(t, "aws ssm start-session --target "+host+" --document-name "+devDocument+
		" --region us-east-1", up.Outputs["connectCommand"].Value)
	assert.Equal(t, "sessions/dev/"+host, up.Outputs["auditTranscriptPrefix"].Value)

	deployment, err := stack.Export(ctx)
	require.NoError(t, err)

	var state struct {
		Resources []struct {
			URN            string `json:"urn"`
			Type           string `json:"type"`
			RetainOnDelete bool   `json:"retainOnDelete"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(deployment.Deployment, &state))

	retained := map[string]bool{}
	count := map[string]int{}
	for _, r := range state.Resources {
		retained[r.Type] = retained[r.Type] || r.RetainOnDelete
		count[r.Type]++
	}

	assert.Equal(t, 2, count[typeRoleAttachment],
		"the host's managed policy and the operator policy on the configured role")

	for _, ev := range evidence {
		assert.True(t, retained[ev.typ], "%s is retained in the engine's state", ev.typ)
	}
	assert.False(t, retained[typeDocument], "the document goes with the stack")
	assert.False(t, retained[typeInstance], "the host goes with the stack")

	require.NoError(t, stack.SetConfig(ctx, "crucible:accessRevoked", auto.ConfigValue{Value: "true"}))

	revoked, err := stack.Up(ctx, optup.Diff())
	require.NoError(t, err, "up with accessRevoked")
	assert.Equal(t, 1, (*revoked.Summary.ResourceChanges)["create"],
		"revocation adds the host's deny: %v", *revoked.Summary.ResourceChanges)
	assert.Equal(t, 1, (*revoked.Summary.ResourceChanges)["update"],
		"and updates the operator policy: %v", *revoked.Summary.ResourceChanges)
	assert.Zero(t, (*revoked.Summary.ResourceChanges)["replace"], "nothing is replaced")

	_, err = stack.Destroy(ctx, optdestroy.Remove())
	require.NoError(t, err, "destroy")
}
