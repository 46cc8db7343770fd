package evals

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDownDestroysRemovesAndSaysWhereTheEvidenceIs(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	tm.now = testClock.Add(time.Hour)

	res, err := tm.Down(context.Background(), "run-42")
	require.NoError(t, err)
	assert.Equal(t, &DownResult{
		ID: "run-42", Stack: "eval-run-42", Removed: testClock.Add(time.Hour),
		Evidence: Evidence{
			Transcripts:     "s3://crucible-audit-eval-run-42/sessions/",
			SessionLogGroup: "/crucible/sessions/eval-run-42",
		},
	}, res)
	assert.False(t, tm.backend.has("eval-run-42"))
	assert.Equal(t, []string{"select eval-run-42", "destroy eval-run-42"},
		tm.backend.Calls()[len(tm.backend.Calls())-2:])
}

func TestDownOfARemovedEvaluationIsANoOpThatRepeatsTheEvidence(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	first, err := tm.Down(context.Background(), "run-42")
	require.NoError(t, err)
	calls := len(tm.backend.Calls())

	again, err := tm.Down(context.Background(), "run-42")
	require.NoError(t, err)
	assert.True(t, again.AlreadyRemoved)
	assert.Equal(t, first.Evidence, again.Evidence)
	assert.Equal(t, []string{"select eval-run-42: not found"}, tm.backend.Calls()[calls:],
		"nothing is destroyed twice")
}

func TestDownOfAnUnknownEvaluationIsAnError(t *testing.T) {
	tm := newTestManager(t)

	_, err := tm.Down(context.Background(), "never-was")
	var unknown *UnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, `no evaluation "never-was" (stack eval-never-was) in backend fake://; `+
		"`crucible eval list` shows the evaluations", err.Error())
}

func TestAFailedDownKeepsTheStackAndRecordsNothing(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	tm.backend.destroyErr = errors.New("pulumi destroy: exit status 255")

	_, err := tm.Down(context.Background(), "run-42")
	require.Error(t, err)
	assert.Equal(t, `evaluation "run-42": destroying stack eval-run-42 failed; the stack `+
		"stays: run `crucible eval down run-42` again: pulumi destroy: exit status 255",
		err.Error())
	assert.True(t, tm.backend.has("eval-run-42"))

	tm.backend.destroyErr = nil
	_, err = tm.Down(context.Background(), "run-42")
	require.NoError(t, err)
	assert.False(t, tm.backend.has("eval-run-42"))
}

func TestUpAfterDownStartsAFreshEvaluation(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	_, err := tm.Down(context.Background(), "run-42")
	require.NoError(t, err)

	tm.now = testClock.Add(24 * time.Hour)
	tm.up(t, "run-42")
	assert.Equal(t, "2026-03-02T09:00:00Z", tm.backend.tags("eval-run-42")[TagCreated])

	_, err = tm.Down(context.Background(), "run-42")
	require.NoError(t, err, "the earlier removal record does not hide the new stack")
	assert.False(t, tm.backend.has("eval-run-42"))
}
