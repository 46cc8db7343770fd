package forensics_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/crucible-sandbox/crucible/internal/forensics"
	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

// motoClients returns reader clients built the way the CLI builds them (endpoint override, path
// style), and writer clients for seeding, all pointed at the test's moto_server.
func motoClients(t *testing.T) (forensics.Clients, *s3.Client, *cloudwatchlogs.Client) {
	t.Helper()
	endpoint := ft.MotoEndpoint(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")

	clients, err := forensics.NewClients(context.Background(), ft.Region,
		forensics.ClientOptions{EndpointURL: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	return clients, clients.S3.(*s3.Client), clients.Logs.(*cloudwatchlogs.Client)
}

func seedMoto(t *testing.T, e *ft.Evidence) (forensics.Clients, *ft.Evidence) {
	t.Helper()
	clients, s3c, logs := motoClients(t)
	e = e.WithSuffix(fmt.Sprintf("%d", time.Now().UnixNano()))
	if err := ft.Seed(context.Background(), s3c, logs, e); err != nil {
		t.Fatalf("seeding moto: %v", err)
	}
	return clients, e
}

func TestMotoScenarioTimelineIsExact(t *testing.T) {
	// CloudWatch Logs refuses events older than 14 days, so the scenario happened an hour ago.
	start := time.Now().UTC().Truncate(time.Minute).Add(-time.Hour)
	clients, e := seedMoto(t, ft.Scenario(start))

	tl, err := forensics.Collect(context.Background(), clients, forensics.Options{Locations: e.Locations})
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, rows(t, tl), wantScenarioRows(start))
	if tl.MalformedTotal() != 0 {
		t.Fatalf("malformed = %d, want 0", tl.MalformedTotal())
	}
}

func TestMotoBlockedOnlyAndWindow(t *testing.T) {
	start := time.Now().UTC().Truncate(time.Minute).Add(-time.Hour)
	clients, e := seedMoto(t, ft.Scenario(start))

	tl, err := forensics.Collect(context.Background(), clients, forensics.Options{
		Locations: e.Locations,
		Filter: forensics.Filter{
			BlockedOnly: true,
			Since:       start.Add(ft.AtTunnelQuery),
			Until:       start.Add(ft.AtDeniedCall),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	all := wantScenarioRows(start)
	assertRows(t, rows(t, tl), []string{all[4], all[6]})
}

func TestMotoHostileEvidenceIsCountedNeverFatal(t *testing.T) {
	start := time.Now().UTC().Truncate(time.Minute).Add(-time.Hour)
	e := ft.Scenario(start)
	e.Merge(ft.Hostile(start.Add(2 * time.Minute)))
	clients, e := seedMoto(t, e)

	before := time.Now().UTC().Add(-time.Minute)
	tl, err := forensics.Collect(context.Background(), clients, forensics.Options{Locations: e.Locations})
	if err != nil {
		t.Fatal(err)
	}

	counts := map[string]int64{}
	for _, s := range tl.Sources {
		counts[s.Source] = s.MalformedCount
	}
	want := map[string]int64{
		forensics.SourceTranscripts: 1, forensics.SourceSessionStream: 0, forensics.SourceDNS: 1,
		forensics.SourceFlow: 1, forensics.SourceCloudTrail: 2,
	}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Fatalf("malformed per source = %v, want %v", counts, want)
	}

	// The hostile transcript has no trailer: its session closes at the object's LastModified.
	var mallory *forensics.Session
	for _, s := range tl.Sessions {
		if s.ID == ft.HostileSessionID {
			mallory = s
		}
	}
	if mallory == nil || mallory.Closed.Before(before) ||
		!strings.HasSuffix(mallory.Transcript.Lines[len(mallory.Transcript.Lines)-1], "after the huge line") {
		t.Fatalf("hostile session = %+v, want it closed at upload time with its lines after the "+
			"huge one kept", mallory)
	}
}
