package evals

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUpDeploysTheBaseStackConfigWithOverridesAndTagsTheStack(t *testing.T) {
	tm := newTestManager(t)

	res, err := tm.Up(context.Background(), UpRequest{
		ID: "run-42", TTL: 2 * time.Hour, Config: []string{"enableNat=true", "aws:region=eu-west-1"},
	})
	require.NoError(t, err)

	assert.Equal(t, auto.ConfigMap{
		"aws:region":            {Value: "eu-west-1"},
		"crucible:enableNat":    {Value: "true"},
		"crucible:instanceType": {Value: "t3.medium"},
		"crucible:tags":         {Value: `{"team":"evals"}`},
		"crucible:vpcCidr":      {Value: "10.0.0.0/16"},
	}, tm.backend.lastUpdate("eval-run-42").config,
		"Pulumi.yaml defaults, then Pulumi.dev.yaml, then --config")
	assert.Equal(t, []string{
		"aws:region", "crucible:enableNat", "crucible:instanceType", "crucible:tags",
		"crucible:vpcCidr",
	}, tm.backend.lastUpdate("eval-run-42").keys, "the program is told every key the stack sets")

	assert.Equal(t, map[string]string{
		TagID:      "run-42",
		TagOwner:   "alice",
		TagCreated: "2026-03-01T09:00:00Z",
		TagExpires: "2026-03-01T11:00:00Z",
	}, tm.backend.tags("eval-run-42"))

	assert.Equal(t, "aws ssm start-session --target i-eval-run-42 --region us-east-1",
		res.Outputs[OutputConnectCommand])
	assert.Equal(t, Evaluation{
		ID: "run-42", Stack: "eval-run-42", Owner: "alice", State: StateUp,
		Created: testClock, Expires: testClock.Add(2 * time.Hour), InstanceID: "i-eval-run-42",
	}, res.Evaluation)
	assert.Equal(t, []string{
		"create eval-run-42",
		"tag eval-run-42 crucible:created=2026-03-01T09:00:00Z",
		"tag eval-run-42 crucible:evaluation-id=run-42",
		"tag eval-run-42 crucible:expires=2026-03-01T11:00:00Z",
		"tag eval-run-42 crucible:owner=alice",
		"config eval-run-42",
		"up eval-run-42",
	}, tm.backend.Calls(), "tags are set before the update, so a failed update still expires")
	assert.Contains(t, tm.out.String(), "Updating (eval-run-42)", "progress reaches the terminal")
}

func TestUpAgainKeepsOwnerAndCreationAndRestartsTheTTL(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")

	tm.now = testClock.Add(3 * time.Hour)
	tm.opts.Owner = "bob"
	res := tm.up(t, "run-42")

	assert.Equal(t, map[string]string{
		TagID:      "run-42",
		TagOwner:   "alice",
		TagCreated: "2026-03-01T09:00:00Z",
		TagExpires: "2026-03-01T20:00:00Z",
	}, tm.backend.tags("eval-run-42"), "the expiry is now + the default 8h TTL")
	assert.Equal(t, map[string]int{"same": 2}, res.Changes)
}

func TestUpUsesAnotherBaseStack(t *testing.T) {
	tm := newTestManager(t)
	tm.opts.ProjectDir = writeProject(t, map[string]string{
		"dev": testDevStack,
		"gpu": "config:\n  aws:region: us-west-2\n  crucible:instanceType: g5.xlarge\n",
	})

	_, err := tm.Up(context.Background(), UpRequest{ID: "run-1", BaseStack: "gpu"})
	require.NoError(t, err)
	assert.Equal(t, auto.ConfigMap{
		"aws:region":            {Value: "us-west-2"},
		"crucible:enableNat":    {Value: "false"},
		"crucible:instanceType": {Value: "g5.xlarge"},
		"crucible:vpcCidr":      {Value: "10.0.0.0/16"},
	}, tm.backend.lastUpdate("eval-run-1").config)
}

func TestUpRejectsBadInputBeforeAnyEngineCall(t *testing.T) {
	for name, tc := range map[string]struct {
		req  UpRequest
		want string
	}{
		"empty id": {UpRequest{ID: ""}, "evaluation id is empty"},
		"short ttl": {
			UpRequest{ID: "a", TTL: time.Minute}, "--ttl 1m0s: must be between 10m and 168h",
		},
		"missing base": {
			UpRequest{ID: "a", BaseStack: "prod"}, `--base-stack prod: render: stack "prod"`,
		},
		"bad override": {
			UpRequest{ID: "a", Config: []string{"enableNat"}}, `--config "enableNat": expected key=value`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			tm := newTestManager(t)
			_, err := tm.Up(context.Background(), tc.req)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, tm.backend.Calls(), "nothing may reach the backend")
		})
	}
}

func TestUpRefusesToCopyASecretFromTheBaseStack(t *testing.T) {
	tm := newTestManager(t)
	tm.opts.ProjectDir = writeProject(t, map[string]string{
		"dev": testDevStack + "  crucible:apiToken:\n    secure: v1:abc:def\n",
	})

	_, err := tm.Up(context.Background(), UpRequest{ID: "run-1"})
	require.Error(t, err)
	assert.Equal(t, "--base-stack dev: crucible:apiToken is a secret, which an evaluation "+
		"cannot copy from Pulumi.dev.yaml; pass it with --config crucible:apiToken=<value> "+
		"(it stays secret)", err.Error())

	_, err = tm.Up(context.Background(), UpRequest{ID: "run-1", Config: []string{"apiToken=t0k"}})
	require.NoError(t, err)
	assert.Equal(t, auto.ConfigValue{Value: "t0k", Secret: true},
		tm.backend.lastUpdate("eval-run-1").config["crucible:apiToken"])
}

func TestUpOfALockedEvaluationFailsAtOnceAndTouchesNothing(t *testing.T) {
	tm := newTestManager(t)
	dir := filepath.Join(tm.opts.WorkspaceRoot, "eval-run-42")
	held, err := lockEvaluation("run-42", dir)
	require.NoError(t, err)
	defer func() { _ = held.Unlock() }()

	_, err = tm.Up(context.Background(), UpRequest{ID: "run-42"})
	var locked *LockedError
	require.ErrorAs(t, err, &locked)
	assert.Equal(t, `evaluation "run-42" is locked: another `+"`crucible eval`"+` command is `+
		`working on it (lock file `+filepath.Join(dir, ".crucible-eval.lock")+`); wait for it `+
		`to finish`, err.Error())
	assert.Empty(t, tm.backend.Calls(), "the lock is taken before any engine call")
}

func TestAFailedUpLeavesTheStackForAnotherUpOrDown(t *testing.T) {
	tm := newTestManager(t)
	tm.backend.upErr = errors.New("pulumi up: exit status 255")

	_, err := tm.Up(context.Background(), UpRequest{ID: "run-42"})
	require.Error(t, err)
	assert.Equal(t, `evaluation "run-42": update of stack eval-run-42 failed; the stack stays: `+
		"run `crucible eval up run-42` to resume or `crucible eval down run-42` to remove it: "+
		"pulumi up: exit status 255", err.Error())
	assert.True(t, tm.backend.has("eval-run-42"), "a failed update never deletes the stack")
	assert.Equal(t, "2026-03-01T17:00:00Z", tm.backend.tags("eval-run-42")[TagExpires],
		"the failed evaluation still expires, so reap removes it")

	tm.backend.upErr = nil
	res := tm.up(t, "run-42")
	assert.Equal(t, StateUp, res.Evaluation.State, "a later eval up resumes")
}

func TestAnInterruptedUpSaysSo(t *testing.T) {
	tm := newTestManager(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tm.backend.upErr = context.Canceled

	_, err := tm.Up(ctx, UpRequest{ID: "Run 42"})
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "update of stack eval-run-42_da74b6b1b847 was interrupted; "+
		"the stack stays: run `crucible eval up 'Run 42'` to resume")
}

func TestUpKeepsARevocationUnlessTheOverridesLiftIt(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	_, err := tm.Revoke(context.Background(), "run-42")
	require.Error(t, err, "no SSM client is configured in this test")

	res := tm.up(t, "run-42")
	assert.True(t, res.KeptRevocation)
	assert.Equal(t, auto.ConfigValue{Value: "true"},
		tm.backend.lastUpdate("eval-run-42").config[RevokedKey],
		"eval up must not quietly restore access")

	res = tm.up(t, "run-42", "accessRevoked=false")
	assert.False(t, res.KeptRevocation)
	assert.Equal(t, auto.ConfigValue{Value: "false"},
		tm.backend.lastUpdate("eval-run-42").config[RevokedKey], "lifting it is explicit")
}

func TestUpRefusesAStackThatBelongsToAnotherID(t *testing.T) {
	tm := newTestManager(t)
	tm.backend.add("eval-run-42", map[string]string{TagID: "someone-else"}, "succeeded", Outputs{})

	_, err := tm.Up(context.Background(), UpRequest{ID: "run-42"})
	require.Error(t, err)
	assert.Equal(t, `evaluation "run-42": stack eval-run-42 belongs to evaluation "someone-else"; `+
		"choose another id", err.Error())
}

func TestABaseStackValueDoesNotLiftARevocation(t *testing.T) {
	tm := newTestManager(t)
	tm.opts.ProjectDir = writeProject(t, map[string]string{
		"dev": testDevStack + "  crucible:accessRevoked: false\n",
	})
	tm.up(t, "run-42")
	_, _ = tm.Revoke(context.Background(), "run-42")

	res := tm.up(t, "run-42")
	assert.True(t, res.KeptRevocation)
	assert.Equal(t, auto.ConfigValue{Value: "true"},
		tm.backend.lastUpdate("eval-run-42").config[RevokedKey],
		"only --config on this eval up can restore access")
}
