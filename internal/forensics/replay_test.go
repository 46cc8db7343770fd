package forensics_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/crucible-sandbox/crucible/internal/forensics"
	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

// replayingLogs answers every page twice in its events, as a page fetched again after a retried
// request does: the same event ids come back.
type replayingLogs struct {
	forensics.LogsAPI
}

func (r replayingLogs) FilterLogEvents(ctx context.Context, in *cloudwatchlogs.FilterLogEventsInput,
	opts ...func(*cloudwatchlogs.Options),
) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	out, err := r.LogsAPI.FilterLogEvents(ctx, in, opts...)
	if err != nil {
		return nil, err
	}

	out.Events = append(out.Events, out.Events...)

	return out, nil
}

// A repeated event is one event: shown once, and counted as ignored rather than dropped silently.
func TestRepeatedLogEventsAppearOnce(t *testing.T) {
	start := time.Date(2026, 12, 3, 15, 22, 0, 0, time.UTC)
	e := ft.Scenario(start)
	clients := ft.NewMemory(e).Clients()
	clients.Logs = replayingLogs{clients.Logs}

	tl, err := forensics.Collect(context.Background(), clients, forensics.Options{Locations: e.Locations})
	if err != nil {
		t.Fatal(err)
	}

	assertRows(t, rows(t, tl), wantScenarioRows(start))

	for _, s := range tl.Sources {
		if s.Source == forensics.SourceFlow && s.Ignored == 0 {
			t.Fatalf("flow log repeats were not counted as ignored: %+v", s)
		}
	}
}
