package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/crucible-sandbox/crucible/internal/evals"
)

var printClock = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func TestPrintListIsATableOfEveryEvaluation(t *testing.T) {
	var out bytes.Buffer
	printList(&out, []evals.Evaluation{
		{
			ID: "run-1", State: evals.StateUp, Created: printClock,
			Expires: printClock.Add(8 * time.Hour), InstanceID: "i-0abc", Owner: "alice",
		},
		{ID: "Run 2", State: evals.StateFailed},
	})
	assert.Equal(t, ""+
		"ID     STATE   CREATED               EXPIRES               INSTANCE  OWNER\n"+
		"run-1  up      2026-03-01T09:00:00Z  2026-03-01T17:00:00Z  i-0abc    alice\n"+
		"Run 2  failed  -                     -                     -         -\n", out.String())

	out.Reset()
	printList(&out, nil)
	assert.Equal(t, "No evaluations.\n", out.String())
}

func TestPrintRevokeNamesEveryTerminatedSession(t *testing.T) {
	var out bytes.Buffer
	printRevoke(&out, "run-1", &evals.RevokeResult{
		InstanceID: "i-0abc", Updated: true, Terminated: []string{"alice-0a1b", "bob-2c3d"},
	})
	assert.Equal(t, "\nAccess to evaluation run-1 revoked (crucible:accessRevoked=true deployed).\n"+
		"Terminated session alice-0a1b on i-0abc.\n"+
		"Terminated session bob-2c3d on i-0abc.\n", out.String())

	out.Reset()
	printRevoke(&out, "run-1", &evals.RevokeResult{InstanceID: "i-0abc"})
	assert.Equal(t, "\nAccess policy of evaluation run-1 NOT updated: new sessions can still "+
		"start.\nNo live sessions on i-0abc.\n", out.String(),
		"a failed or locked-out update does not claim access is revoked")
}

func TestPrintRevokeNamesEverySessionItCouldNotEnd(t *testing.T) {
	var out bytes.Buffer
	printRevoke(&out, "run-1", &evals.RevokeResult{
		InstanceID: "i-0abc", Updated: true,
		Terminated: []string{"bob-2c3d"}, Failed: []string{"alice-0a1b"},
	})
	assert.Equal(t, "\nAccess to evaluation run-1 revoked (crucible:accessRevoked=true deployed).\n"+
		"Terminated session bob-2c3d on i-0abc.\n"+
		"Could NOT terminate session alice-0a1b on i-0abc.\n", out.String())
}

func TestPrintDownSaysWhereTheEvidenceStays(t *testing.T) {
	var out bytes.Buffer
	printDown(&out, &evals.DownResult{
		ID: "run-1", Stack: "eval-run-1", Removed: printClock,
		Evidence: evals.Evidence{
			Transcripts:     "s3://crucible-audit-123/sessions/",
			SessionLogGroup: "/crucible/sessions",
			ReviewCommand:   "crucible audit timeline run-1",
		},
	})
	assert.Equal(t, "\nEvaluation run-1 removed (stack eval-run-1).\n"+
		"Session evidence stays in AWS (retained when the stack is destroyed):\n"+
		"  transcripts:  s3://crucible-audit-123/sessions/\n"+
		"  session logs: CloudWatch Logs group /crucible/sessions\n"+
		"  review with:  crucible audit timeline run-1\n", out.String())
}

func TestPrintReapReportsEachExpiredEvaluation(t *testing.T) {
	res := &evals.ReapResult{
		Expired: []evals.Evaluation{
			{ID: "old-1", Expires: printClock}, {ID: "old-2", Expires: printClock},
		},
		Removed: []string{"old-1"},
		Skipped: map[string]string{"old-2": "locked by another crucible command"},
	}
	var out bytes.Buffer
	printReap(&out, res, false)
	assert.Equal(t, "Took down old-1 (expired 2026-03-01T09:00:00Z).\n"+
		"Skipped old-2: locked by another crucible command.\n"+
		"2 expired, 1 taken down.\n", out.String())

	out.Reset()
	printReap(&out, &evals.ReapResult{Expired: res.Expired}, true)
	assert.Equal(t, "Would take down old-1 (expired 2026-03-01T09:00:00Z).\n"+
		"Would take down old-2 (expired 2026-03-01T09:00:00Z).\n"+
		"2 expired, 0 taken down.\n", out.String())
}
