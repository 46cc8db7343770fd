package forensics_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/crucible-sandbox/crucible/internal/forensics"
	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

// errSSEC is what S3 answers a GetObject without the customer key for an object the agent
// uploaded with SSE-C: the host role may encrypt with a key of its own choosing.
var errSSEC = errors.New("api error InvalidRequest: The object was stored using a form of " +
	"Server Side Encryption. The correct parameters must be provided to retrieve the object")

var errConnectionReset = errors.New("read: connection reset by peer")

// unreadableS3 fails GetObject for the keys in refuse, and fails the body of the keys in cut
// after its first bytes.
type unreadableS3 struct {
	forensics.S3API
	refuse, cut map[string]bool
}

func (s unreadableS3) GetObject(ctx context.Context, in *s3.GetObjectInput,
	opts ...func(*s3.Options),
) (*s3.GetObjectOutput, error) {
	if s.refuse[*in.Key] {
		return nil, errSSEC
	}
	out, err := s.S3API.GetObject(ctx, in, opts...)
	if err != nil || !s.cut[*in.Key] {
		return out, err
	}
	out.Body = io.NopCloser(io.MultiReader(io.LimitReader(out.Body, 3),
		failingReader{errConnectionReset}))
	return out, nil
}

type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

func TestTimelineCountsUnreadableObjectsAndReadsTheRest(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	planted := ft.TranscriptDir + "/planted.log"
	plantedTrail := ft.TrailKey(scenarioStart, "Planted00000001")
	e.Objects[ft.AuditBucket][planted] = []byte("x")
	e.Objects[ft.TrailBucket][plantedTrail] = ft.Gzip([]byte(`{"Records":[]}`))
	clients := ft.NewMemory(e).Clients()
	clients.S3 = unreadableS3{clients.S3, map[string]bool{planted: true, plantedTrail: true}, nil}

	tl, err := forensics.Collect(context.Background(), clients,
		forensics.Options{Locations: e.Locations})
	if err != nil {
		t.Fatalf("one unreadable object ended the timeline: %v", err)
	}
	assertRows(t, rows(t, tl), wantScenarioRows(scenarioStart))

	want := map[string]string{
		forensics.SourceTranscripts: "s3://" + ft.AuditBucket + "/" + planted,
		forensics.SourceCloudTrail:  "s3://" + ft.TrailBucket + "/" + plantedTrail,
	}
	for _, s := range tl.Sources {
		location, ok := want[s.Source]
		if !ok {
			continue
		}
		got := fmt.Sprint(s.MalformedCount, s.Malformed)
		wantMalformed := fmt.Sprint(1, []forensics.Malformed{{
			Location: location, Reason: "object unreadable: " + errSSEC.Error(),
		}})
		if got != wantMalformed {
			t.Errorf("%s: malformed %s, want %s", s.Source, got, wantMalformed)
		}
	}
}

// cancellingS3 is a reviewer pressing Ctrl-C while an object is read.
type cancellingS3 struct {
	forensics.S3API
	cancel context.CancelFunc
}

func (s cancellingS3) GetObject(ctx context.Context, _ *s3.GetObjectInput,
	_ ...func(*s3.Options),
) (*s3.GetObjectOutput, error) {
	s.cancel()
	return nil, ctx.Err()
}

func TestReadsStopWhenCancelledRatherThanCountTheObject(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	ctx, cancel := context.WithCancel(context.Background())
	clients := ft.NewMemory(e).Clients()
	clients.S3 = cancellingS3{clients.S3, cancel}
	_, err := forensics.Collect(ctx, clients, forensics.Options{Locations: e.Locations})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("timeline error = %v, want the cancellation", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	clients.S3 = cancellingS3{ft.NewMemory(e).Clients().S3, cancel}
	_, err = forensics.Export(ctx, clients, forensics.ExportOptions{
		Locations: e.Locations, OutDir: filepath.Join(t.TempDir(), "evidence"),
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("export error = %v, want the cancellation", err)
	}
}

func TestExportListsUnreadableObjectsAndCopiesTheRest(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	refused := ft.TranscriptDir + "/planted.log"
	cut := ft.TranscriptDir + "/cut.log"
	e.Objects[ft.AuditBucket][refused] = []byte("x")
	e.Objects[ft.AuditBucket][cut] = []byte("abcdefgh")
	clients := ft.NewMemory(e).Clients()
	clients.S3 = unreadableS3{clients.S3, map[string]bool{refused: true}, map[string]bool{cut: true}}
	dir := filepath.Join(t.TempDir(), "evidence")
	m := exportEvidence(t, clients, e, dir)

	want := []forensics.SkippedObject{
		{
			Source: "s3://" + ft.AuditBucket + "/" + cut, VersionID: "v0", Size: 8,
			Reason: "unreadable: " + errConnectionReset.Error(),
		},
		{
			Source: "s3://" + ft.AuditBucket + "/" + refused, VersionID: "v0", Size: 1,
			Reason: "unreadable: " + errSSEC.Error(),
		},
	}
	if fmt.Sprint(m.SkippedObjects) != fmt.Sprint(want) {
		t.Fatalf("skipped objects = %+v, want %+v", m.SkippedObjects, want)
	}
	if len(m.Files) != 5 {
		t.Fatalf("exported %d files, want the scenario's 5", len(m.Files))
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "s3", ft.AuditBucket))
	if len(entries) != 1 || entries[0].Name() != exportedName(ft.TranscriptKey) {
		t.Fatalf("audit bucket directory holds %v, want only the transcript", entries)
	}
	manifest, _ := os.ReadFile(filepath.Join(dir, forensics.ManifestName))
	if !strings.Contains(string(manifest), `"reason": "unreadable: `+errConnectionReset.Error()) {
		t.Fatalf("manifest.json does not list the cut object:\n%s", manifest)
	}
}
