package evals

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRevokeOnTheEngine revokes a deployed evaluation on the real engine: the program deploys
// the revocation, Systems Manager (a local stand-in) is asked to end the host's sessions, and a
// later eval up keeps access revoked.
func TestRevokeOnTheEngine(t *testing.T) {
	ctx := context.Background()
	ev := startEvals(t, time.Now)

	up, err := ev.Up(ctx, UpRequest{ID: "revoke-1"})
	require.NoError(t, err, "eval up; progress:\n%s", ev.out)
	instance := up.Outputs[OutputInstanceID]

	f := &fakeSSM{pages: []string{
		`{"Sessions":[{"SessionId":"alice-0a1b2c","Target":"` + instance + `","Status":"Connected"}]}`,
	}}
	srv := httptest.NewServer(f)
	defer srv.Close()
	ev.opts.Sessions = func(_ context.Context, region string) (SessionAPI, error) {
		return ssm.New(ssm.Options{
			Region:       region,
			BaseEndpoint: aws.String(srv.URL),
			Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		}), nil
	}

	res, err := ev.Revoke(ctx, "revoke-1")
	require.NoError(t, err, "eval revoke; progress:\n%s", ev.out)
	assert.Equal(t, &RevokeResult{
		InstanceID: instance, Updated: true, Terminated: []string{"alice-0a1b2c"},
	}, res)
	assert.Equal(t, []ssmCall{
		{Target: "AmazonSSM.DescribeSessions", Body: map[string]any{
			"State":   "Active",
			"Filters": []any{map[string]any{"key": "Target", "value": instance}},
		}},
		terminateCall("alice-0a1b2c"),
	}, f.Calls())

	stack, err := ev.backend.Stack(ctx, "eval-revoke-1", t.TempDir(), false)
	require.NoError(t, err)
	deployed, err := stack.DeployedConfig(ctx)
	require.NoError(t, err)
	assert.Equal(t, auto.ConfigValue{Value: "true"}, deployed[RevokedKey],
		"the backend's record shows the revocation deployed")

	again, err := ev.Up(ctx, UpRequest{ID: "revoke-1"})
	require.NoError(t, err, "eval up after revoke; progress:\n%s", ev.out)
	assert.True(t, again.KeptRevocation)
	onlySame(t, again.Changes)
}
