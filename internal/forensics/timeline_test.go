package forensics_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crucible-sandbox/crucible/internal/forensics"
	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

// scenarioStart is fixed for in-memory tests; moto rejects log events older than 14 days, so the
// moto test starts the scenario an hour ago instead.
var scenarioStart = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// wantScenarioRows is the scenario's merged timeline as `crucible audit timeline` prints it.
func wantScenarioRows(start time.Time) []string {
	ts := func(d time.Duration) string { return start.Add(d).Format("2006-01-02T15:04:05Z") }
	alice := "by=" + ft.Operator
	cmd := alice + "  session=" + ft.SessionID
	rule := "rule=" + ft.FirewallRuleGroup + "/" + ft.FirewallDomains
	return []string{
		ts(ft.AtStartSession) + "  session  OPEN    " + ft.SessionID + " as ssm-user  " + alice,
		ts(ft.AtResolveSSM) + "  dns      ALLOW   ssm.us-east-1.amazonaws.com. A NOERROR  by=10.0.1.25",
		ts(ft.AtEndpointFlow) + "  flow     ACCEPT  10.0.1.25:43310 -> 10.0.1.100:443 TCP  by=10.0.1.25",
		ts(ft.AtFirstCommand) + "  command  TYPED   " + ft.FirstCommand + "  " + cmd,
		ts(ft.AtTunnelQuery) + "  dns      BLOCK   " + ft.TunnelName + " TXT NXDOMAIN  " + rule +
			"  by=10.0.1.25",
		ts(ft.AtSecondCommand) + "  command  TYPED   " + ft.SecondCommand + "  " + cmd,
		ts(ft.AtRejectedFlow) + "  flow     REJECT  10.0.1.25:40112 -> 203.0.113.10:443 TCP  by=10.0.1.25",
		ts(ft.AtThirdCommand) + "  command  TYPED   " + ft.ThirdCommand + "  " + cmd,
		ts(ft.AtDeniedCall) + "  api      DENIED  s3:ListBuckets  rule=AccessDenied  by=" + ft.HostRoleArn,
		ts(ft.AtTerminateSession) + "  session  CLOSE   " + ft.SessionID + "  " + alice,
	}
}

func collect(t *testing.T, e *ft.Evidence, f forensics.Filter) *forensics.Timeline {
	t.Helper()
	tl, err := forensics.Collect(context.Background(), ft.NewMemory(e).Clients(),
		forensics.Options{Locations: e.Locations, Filter: f})
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

func rows(t *testing.T, tl *forensics.Timeline) []string {
	t.Helper()
	var out bytes.Buffer
	if err := tl.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	body, _, _ := strings.Cut(out.String(), "\n\n")
	return strings.Split(body, "\n")
}

func assertRows(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") == strings.Join(want, "\n") {
		return
	}
	t.Errorf("timeline has %d rows, want %d", len(got), len(want))
	for i := range max(len(got), len(want)) {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("row %d:\n got  %q\n want %q", i+1, g, w)
		}
	}
}

func TestScenarioMergesIntoOneOrderedTimeline(t *testing.T) {
	tl := collect(t, ft.Scenario(scenarioStart), forensics.Filter{})
	assertRows(t, rows(t, tl), wantScenarioRows(scenarioStart))

	want := []forensics.Counts{
		{Kind: "session", Total: 2},
		{Kind: "command", Total: 3},
		{Kind: "dns", Total: 2, Blocked: 1},
		{Kind: "flow", Total: 2, Blocked: 1},
		{Kind: "api", Total: 1, Blocked: 1},
	}
	if fmt.Sprint(tl.Counts()) != fmt.Sprint(want) {
		t.Fatalf("counts = %v, want %v", tl.Counts(), want)
	}
	if tl.MalformedTotal() != 0 {
		t.Fatalf("malformed = %d, want 0 for well-formed evidence", tl.MalformedTotal())
	}
}

func TestScenarioSourcesAccountForEveryRecord(t *testing.T) {
	tl := collect(t, ft.Scenario(scenarioStart), forensics.Filter{})

	var got []string
	for _, s := range tl.Sources {
		got = append(got, fmt.Sprintf("%s objects=%d records=%d kept=%d ignored=%d malformed=%d",
			s.Source, s.Objects, s.Records, s.Kept, s.Ignored, s.MalformedCount))
	}
	want := []string{
		// The transcript: script header, 8 terminal lines, trailer.
		"session transcripts (S3) objects=1 records=10 kept=0 ignored=0 malformed=0",
		"session streams (CloudWatch Logs) objects=1 records=3 kept=0 ignored=0 malformed=0",
		"resolver query logs objects=1 records=2 kept=2 ignored=0 malformed=0",
		// The NODATA record is counted, not shown.
		"VPC flow logs objects=1 records=3 kept=2 ignored=1 malformed=0",
		// bob's call is not the host's; Start/TerminateSession feed the session rows.
		"CloudTrail objects=1 records=4 kept=1 ignored=1 malformed=0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("sources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestScenarioSessionCarriesItsTranscriptAndWhoClosedIt(t *testing.T) {
	tl := collect(t, ft.Scenario(scenarioStart), forensics.Filter{})
	if len(tl.Sessions) != 1 {
		t.Fatalf("sessions = %d, want 1", len(tl.Sessions))
	}
	s := tl.Sessions[0]
	if s.ID != ft.SessionID || s.Owner != ft.Operator || s.RunAsUser != "ssm-user" ||
		s.ClosedBy != ft.TerminatedBy {
		t.Fatalf("session = %+v", s)
	}
	if !s.Opened.Equal(scenarioStart) || !s.Closed.Equal(scenarioStart.Add(ft.AtTerminateSession)) {
		t.Fatalf("opened %s closed %s, want StartSession and TerminateSession times", s.Opened,
			s.Closed)
	}
	if s.Transcript == nil || s.Transcript.Lines[1] != "\x1b[?2004hsh-5.2$ "+ft.FirstCommand {
		t.Fatalf("transcript = %+v, want the S3 transcript verbatim", s.Transcript)
	}
	if len(s.Streamed) != 5 || s.Streamed[0].Text != "sh-5.2$ "+ft.FirstCommand {
		t.Fatalf("streamed = %+v, want the 5 streamed lines in order", s.Streamed)
	}
}

func TestBlockedOnlyKeepsWhatTheSandboxStopped(t *testing.T) {
	tl := collect(t, ft.Scenario(scenarioStart), forensics.Filter{BlockedOnly: true})
	all := wantScenarioRows(scenarioStart)
	assertRows(t, rows(t, tl), []string{all[4], all[6], all[8]})
}

func TestKindAndWindowFiltersNarrowTheTimeline(t *testing.T) {
	all := wantScenarioRows(scenarioStart)
	cases := []struct {
		name   string
		filter forensics.Filter
		want   []string
	}{
		{
			"kind dns,api",
			forensics.Filter{Kinds: []forensics.Kind{"dns", "api"}},
			[]string{all[1], all[4], all[8]},
		},
		{
			"kind command",
			forensics.Filter{Kinds: []forensics.Kind{"command"}},
			[]string{all[3], all[5], all[7]},
		},
		{"since the second command until the denied call (exclusive)", forensics.Filter{
			Since: scenarioStart.Add(ft.AtSecondCommand),
			Until: scenarioStart.Add(ft.AtDeniedCall),
		}, []string{all[5], all[6], all[7]}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assertRows(t, rows(t, collect(t, ft.Scenario(scenarioStart), c.filter)), c.want)
		})
	}
}

func TestMaxEventsRefusesAnUnboundedTimeline(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	_, err := forensics.Collect(context.Background(), ft.NewMemory(e).Clients(),
		forensics.Options{Locations: e.Locations, MaxEvents: 4})
	if !errors.Is(err, forensics.ErrTooManyEvents) || !strings.Contains(err.Error(), "--max-events") {
		t.Fatalf("error = %v, want ErrTooManyEvents naming --max-events", err)
	}
}

func TestHostileEvidenceIsCountedNeverFatal(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	e.Merge(ft.Hostile(scenarioStart.Add(2 * time.Minute)))
	tl := collect(t, e, forensics.Filter{})

	malformed := map[string][]string{}
	for _, s := range tl.Sources {
		for _, m := range s.Malformed {
			malformed[s.Source] = append(malformed[s.Source], m.Reason)
		}
	}
	want := map[string][]string{
		forensics.SourceTranscripts: {fmt.Sprintf(
			"line of %d bytes exceeds the 1048576-byte line limit", ft.HugeLineBytes+2)},
		forensics.SourceDNS:  {"query log JSON: unexpected end of JSON input"},
		forensics.SourceFlow: {"flow log record: 6 fields, want 14 (default version 2 format)"},
		forensics.SourceCloudTrail: {
			"not a gzip file: gzip: invalid header",
			"file ends early after 1 records: unexpected EOF",
		},
	}
	if fmt.Sprint(malformed) != fmt.Sprint(want) {
		t.Fatalf("malformed reasons:\n%v\nwant:\n%v", malformed, want)
	}

	// The scenario survives around the hostile records, and the hostile query is shown.
	var hostile *forensics.Event
	for i := range tl.Events {
		if tl.Events[i].DNS != nil && tl.Events[i].DNS.QueryName == ft.HostileQueryName {
			hostile = &tl.Events[i]
		}
	}
	if hostile == nil || !hostile.Blocked {
		t.Fatalf("hostile query missing or not blocked: %+v", hostile)
	}
	if len(tl.Events) != len(wantScenarioRows(scenarioStart))+2 {
		t.Fatalf("events = %d, want the scenario's %d plus the hostile query and the "+
			"GetCallerIdentity decoded before the gzip cut", len(tl.Events),
			len(wantScenarioRows(scenarioStart)))
	}
}

func TestTerminalOutputCannotCarryControlSequences(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	e.Merge(ft.Hostile(scenarioStart.Add(2 * time.Minute)))
	tl := collect(t, e, forensics.Filter{})

	for name, write := range map[string]func(*bytes.Buffer) error{
		"text": func(b *bytes.Buffer) error { return tl.WriteText(b) },
		"json": func(b *bytes.Buffer) error { return tl.WriteJSON(b) },
	} {
		var out bytes.Buffer
		if err := write(&out); err != nil {
			t.Fatal(err)
		}
		for i, r := range out.String() {
			if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
				t.Fatalf("%s output has control %U at byte %d: a transcript could drive the "+
					"reviewer's terminal", name, r, i)
			}
		}
		if !strings.Contains(out.String(), `\x1b[2J`) && !strings.Contains(out.String(), `\u001b[2J`) {
			t.Fatalf("%s output does not show the hostile flow record's escape visibly", name)
		}
	}
}
