package evals

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tagsFor(id string, created time.Time, ttl time.Duration) map[string]string {
	return map[string]string{
		TagID: id, TagOwner: "alice",
		TagCreated: formatTime(created), TagExpires: formatTime(created.Add(ttl)),
	}
}

// seedEvaluations puts one evaluation of each state, and a stack that is not an evaluation, into
// the backend.
func seedEvaluations(tm *testManager) {
	b := tm.backend
	b.add("eval-ok", tagsFor("ok", testClock, 8*time.Hour), "succeeded",
		Outputs{OutputInstanceID: "i-0ok"})
	b.add("eval-broken", tagsFor("broken", testClock.Add(-time.Hour), 8*time.Hour), "failed",
		Outputs{})
	b.add("eval-old", tagsFor("old", testClock.Add(-10*time.Hour), 8*time.Hour), "succeeded",
		Outputs{OutputInstanceID: "i-0old"})
	b.add("dev", map[string]string{}, "succeeded", Outputs{OutputInstanceID: "i-0dev"})
}

func TestListShowsEveryEvaluationWithItsState(t *testing.T) {
	tm := newTestManager(t)
	seedEvaluations(tm)

	got, err := tm.List(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []Evaluation{
		{
			ID: "old", Stack: "eval-old", Owner: "alice", State: StateExpired,
			Created: testClock.Add(-10 * time.Hour), Expires: testClock.Add(-2 * time.Hour),
			InstanceID: "i-0old",
		},
		{
			ID: "broken", Stack: "eval-broken", Owner: "alice", State: StateFailed,
			Created: testClock.Add(-time.Hour), Expires: testClock.Add(7 * time.Hour),
		},
		{
			ID: "ok", Stack: "eval-ok", Owner: "alice", State: StateUp,
			Created: testClock, Expires: testClock.Add(8 * time.Hour), InstanceID: "i-0ok",
		},
	}, got, "oldest first; the dev stack is not an evaluation")
}

func TestReapTakesDownOnlyExpiredEvaluations(t *testing.T) {
	tm := newTestManager(t)
	seedEvaluations(tm)

	res, err := tm.Reap(context.Background(), false)
	require.NoError(t, err)
	assert.Equal(t, []string{"old"}, res.Removed)
	assert.Empty(t, res.Skipped)
	assert.False(t, tm.backend.has("eval-old"))
	assert.True(t, tm.backend.has("eval-ok"))
	assert.True(t, tm.backend.has("eval-broken"))
	assert.True(t, tm.backend.has("dev"))
}

func TestReapDryRunRemovesNothing(t *testing.T) {
	tm := newTestManager(t)
	seedEvaluations(tm)

	res, err := tm.Reap(context.Background(), true)
	require.NoError(t, err)
	require.Len(t, res.Expired, 1)
	assert.Equal(t, "old", res.Expired[0].ID)
	assert.Empty(t, res.Removed)
	assert.True(t, tm.backend.has("eval-old"))
	for _, c := range tm.backend.Calls() {
		assert.NotContains(t, c, "destroy")
	}
}

func TestReapSkipsAnEvaluationAnotherCommandHolds(t *testing.T) {
	tm := newTestManager(t)
	seedEvaluations(tm)
	held, err := lockEvaluation("old", tm.opts.WorkspaceRoot+"/eval-old")
	require.NoError(t, err)
	defer func() { _ = held.Unlock() }()

	res, err := tm.Reap(context.Background(), false)
	require.NoError(t, err)
	assert.Empty(t, res.Removed)
	assert.Equal(t, map[string]string{"old": "locked by another crucible command"}, res.Skipped)
	assert.True(t, tm.backend.has("eval-old"))
}
