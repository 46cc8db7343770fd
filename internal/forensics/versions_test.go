package forensics_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/crucible-sandbox/crucible/internal/forensics"
	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

// original is the transcript as the SSM Agent uploaded it, before the agent wrote over it with
// the host's s3:PutObject.
const original = "Script started on 2026-03-01 09:00:00+00:00\nsh-5.2$ cat /etc/shadow\n"

func overwrittenScenario() *ft.Evidence {
	e := ft.Scenario(scenarioStart)
	e.Overwritten = map[string]map[string][][]byte{
		ft.AuditBucket: {ft.TranscriptKey: {[]byte(original)}},
	}
	return e
}

func TestTimelineFlagsTranscriptsWithEarlierVersions(t *testing.T) {
	tl := collect(t, overwrittenScenario(), forensics.Filter{})

	var out bytes.Buffer
	if err := tl.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	want := "  rewritten: s3://" + ft.AuditBucket + "/" + ft.TranscriptKey +
		": 2 versions (audit export keeps each version)\n"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("timeline summary lacks %q:\n%s", want, out.String())
	}
	for _, s := range tl.Sources {
		if s.Source != forensics.SourceTranscripts {
			continue
		}
		if len(s.Rewritten) != 1 || s.Rewritten[0] != (forensics.Rewritten{
			Location: "s3://" + ft.AuditBucket + "/" + ft.TranscriptKey, Versions: 2,
		}) {
			t.Fatalf("rewritten = %+v, want the transcript with 2 versions", s.Rewritten)
		}
	}

	tl = collect(t, ft.Scenario(scenarioStart), forensics.Filter{})
	for _, s := range tl.Sources {
		if len(s.Rewritten) != 0 {
			t.Fatalf("%s: rewritten = %+v for evidence written once", s.Source, s.Rewritten)
		}
	}
}

func TestExportCopiesEveryVersionOfATranscript(t *testing.T) {
	e := overwrittenScenario()
	dir := filepath.Join(t.TempDir(), "evidence")
	m := exportEvidence(t, ft.NewMemory(e).Clients(), e, dir)

	source := "s3://" + ft.AuditBucket + "/" + ft.TranscriptKey
	want := map[string]string{
		"v1": string(e.Objects[ft.AuditBucket][ft.TranscriptKey]),
		"v0": original,
	}
	paths := map[string]string{
		"v1": "s3/" + ft.AuditBucket + "/" + exportedName(ft.TranscriptKey),
		"v0": "s3/" + ft.AuditBucket + "/" + exportedName(ft.TranscriptKey) + "@v0",
	}
	found := 0
	for _, f := range m.Files {
		if f.Source != source {
			continue
		}
		found++
		if f.Path != paths[f.VersionID] {
			t.Errorf("version %s exported as %q, want %q", f.VersionID, f.Path, paths[f.VersionID])
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil || string(data) != want[f.VersionID] {
			t.Errorf("%s holds %q (%v), want %q", f.Path, data, err, want[f.VersionID])
		}
	}
	if found != 2 {
		t.Fatalf("exported %d versions of the transcript, want 2", found)
	}
}

// noVersionsS3 is a reviewer without s3:ListBucketVersions.
type noVersionsS3 struct{ forensics.S3API }

var errNoListVersions = errors.New("api error AccessDenied: not authorized to perform " +
	"s3:ListBucketVersions")

func (noVersionsS3) ListObjectVersions(context.Context, *s3.ListObjectVersionsInput,
	...func(*s3.Options),
) (*s3.ListObjectVersionsOutput, error) {
	return nil, errNoListVersions
}

func TestWithoutVersionListingTheCurrentEvidenceIsStillRead(t *testing.T) {
	e := overwrittenScenario()
	clients := ft.NewMemory(e).Clients()
	clients.S3 = noVersionsS3{clients.S3}

	tl, err := forensics.Collect(context.Background(), clients,
		forensics.Options{Locations: e.Locations})
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, rows(t, tl), wantScenarioRows(scenarioStart))
	prefix := "s3://" + ft.AuditBucket + "/" + ft.TranscriptDir + "/"
	wantReason := "rewritten objects not checked: list versions of " + prefix + ": " +
		errNoListVersions.Error()
	for _, s := range tl.Sources {
		if s.Source == forensics.SourceTranscripts && (s.MalformedCount != 1 ||
			s.Malformed[0].Location != prefix || s.Malformed[0].Reason != wantReason) {
			t.Fatalf("transcripts report = %+v, want one note %q", s, wantReason)
		}
	}

	m := exportEvidence(t, clients, e, filepath.Join(t.TempDir(), "evidence"))
	if len(m.Files) != 5 || len(m.Skipped) != 1 ||
		m.Skipped[0] != "earlier versions of session transcripts: list versions of "+prefix+
			": "+errNoListVersions.Error() {
		t.Fatalf("export = %d files, skipped %q; want the scenario's 5 and the versions note",
			len(m.Files), m.Skipped)
	}
}

func TestMotoFlagsAndExportsEveryVersionOfATranscript(t *testing.T) {
	start := time.Now().UTC().Truncate(time.Minute).Add(-time.Hour)
	e := ft.Scenario(start)
	e.Overwritten = map[string]map[string][][]byte{
		ft.AuditBucket: {ft.TranscriptKey: {[]byte(original)}},
	}
	clients, e := seedMoto(t, e)

	tl, err := forensics.Collect(context.Background(), clients,
		forensics.Options{Locations: e.Locations})
	if err != nil {
		t.Fatal(err)
	}
	assertRows(t, rows(t, tl), wantScenarioRows(start))
	location := "s3://" + e.Locations.AuditBucketName + "/" + ft.TranscriptKey
	for _, s := range tl.Sources {
		if s.Source == forensics.SourceTranscripts && (len(s.Rewritten) != 1 ||
			s.Rewritten[0] != forensics.Rewritten{Location: location, Versions: 2}) {
			t.Fatalf("rewritten = %+v, want %s with 2 versions", s.Rewritten, location)
		}
	}

	dir := filepath.Join(t.TempDir(), "evidence")
	m := exportEvidence(t, clients, e, dir)
	var bodies []string
	for _, f := range m.Files {
		if f.Source != location {
			continue
		}
		if f.VersionID == "" || f.VersionID == "null" {
			t.Errorf("%s: no version id recorded", f.Path)
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, string(data))
	}
	sort.Strings(bodies)
	want := []string{string(e.Objects[e.Locations.AuditBucketName][ft.TranscriptKey]), original}
	sort.Strings(want)
	if strings.Join(bodies, "|") != strings.Join(want, "|") {
		t.Fatalf("exported versions %q, want %q", bodies, want)
	}
}
