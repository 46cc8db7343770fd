package forensics_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crucible-sandbox/crucible/internal/forensics"
	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

// traversalKey is an object the evaluated agent could upload under the transcript prefix with
// the host's s3:PutObject: it tries to climb out of the export directory and to break a line of
// SHA256SUMS.
const traversalKey = ft.TranscriptDir + "/../../outside\nfake  line.log"

// exportedName is the file name of a key of safe characters: the key whole, "/" escaped.
func exportedName(key string) string {
	return strings.ReplaceAll(key, "/", "%2F")
}

func exportEvidence(t *testing.T, clients forensics.Clients, e *ft.Evidence,
	dir string,
) *forensics.Manifest {
	t.Helper()
	m, err := forensics.Export(context.Background(), clients, forensics.ExportOptions{
		Locations: e.Locations, OutDir: dir,
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestExportCopiesRawEvidenceWithAVerifiableManifest(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	e.Objects[ft.AuditBucket][traversalKey] = []byte("planted")
	dir := filepath.Join(t.TempDir(), "evidence")
	m := exportEvidence(t, ft.NewMemory(e).Clients(), e, dir)

	var paths []string
	for _, f := range m.Files {
		paths = append(paths, f.Path+" <- "+f.Source)
	}
	trailKey := ft.TrailKey(scenarioStart, "Scenario0000001")
	want := []string{
		"logs/%2Fcrucible%2Ftest%2Fdns-queries.jsonl <- logs:/crucible/test/dns-queries",
		"logs/%2Fcrucible%2Ftest%2Fflow-logs.jsonl <- logs:/crucible/test/flow-logs",
		"logs/%2Fcrucible%2Ftest%2Fsessions.jsonl <- logs:/crucible/test/sessions",
		"s3/crucible-audit-test/session-transcripts%2F..%2F..%2Foutside%0Afake%20%20line.log <- " +
			"s3://crucible-audit-test/" + traversalKey,
		"s3/crucible-audit-test/" + exportedName(ft.TranscriptKey) + " <- s3://crucible-audit-test/" +
			ft.TranscriptKey,
		"s3/crucible-trail-test/" + exportedName(trailKey) + " <- s3://crucible-trail-test/" + trailKey,
	}
	sort.Strings(want)
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Fatalf("exported:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}

	// Every file is there, byte for byte, and SHA256SUMS matches it.
	sums, err := os.ReadFile(filepath.Join(dir, forensics.SumsName))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(sums), "\n"), "\n")
	if len(lines) != len(m.Files) {
		t.Fatalf("SHA256SUMS has %d lines, want %d: a key broke a line", len(lines), len(m.Files))
	}
	for i, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(data)) != f.Size ||
			lines[i] != f.SHA256+"  "+f.Path {
			t.Fatalf("%s: sha256/size/SHA256SUMS line disagree with the file", f.Path)
		}
	}
	transcript, _ := os.ReadFile(filepath.Join(dir, "s3", ft.AuditBucket,
		exportedName(ft.TranscriptKey)))
	if !bytes.Equal(transcript, e.Objects[ft.AuditBucket][ft.TranscriptKey]) {
		t.Fatal("the transcript was not copied byte for byte")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "outside\nfake  line.log")); err == nil {
		t.Fatal("a planted key escaped the export directory")
	}

	// The manifest on disk is the one returned.
	var onDisk forensics.Manifest
	data, _ := os.ReadFile(filepath.Join(dir, forensics.ManifestName))
	if err := json.Unmarshal(data, &onDisk); err != nil || len(onDisk.Files) != len(m.Files) {
		t.Fatalf("manifest.json: %v, %d files", err, len(onDisk.Files))
	}
}

func TestExportWritesLogEventsAsJSONLines(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	dir := t.TempDir()
	m := exportEvidence(t, ft.NewMemory(e).Clients(), e, dir)

	var flow forensics.ManifestFile
	for _, f := range m.Files {
		if f.Source == "logs:"+ft.FlowGroup {
			flow = f
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(flow.Path)))
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if flow.Events != 3 || len(lines) != 3 {
		t.Fatalf("flow log export has %d events, %d lines; want 3 and 3", flow.Events, len(lines))
	}
	var first struct {
		LogStreamName string `json:"logStreamName"`
		Timestamp     int64  `json:"timestamp"`
		Message       string `json:"message"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	wantMessage := ft.FlowLogRecord(scenarioStart.Add(ft.AtEndpointFlow), ft.HostAddress,
		ft.EndpointAddr, 43310, 443, 6, "ACCEPT")
	if first.LogStreamName != ft.ENI+"-all" || first.Message != wantMessage ||
		first.Timestamp != scenarioStart.Add(ft.AtEndpointFlow).UnixMilli() {
		t.Fatalf("first flow line = %+v, want the raw record %q", first, wantMessage)
	}
}

func TestExportRefusesADirectoryThatIsNotEmpty(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := forensics.Export(context.Background(), ft.NewMemory(e).Clients(),
		forensics.ExportOptions{Locations: e.Locations, OutDir: dir})
	if err == nil || !strings.Contains(err.Error(), "--out") || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("error = %v, want a refusal naming --out", err)
	}
}

func TestMotoExportMatchesTheBucketsAndGroups(t *testing.T) {
	start := time.Now().UTC().Truncate(time.Minute).Add(-time.Hour)
	clients, e := seedMoto(t, ft.Scenario(start))
	dir := t.TempDir()
	m := exportEvidence(t, clients, e, dir)

	if len(m.Files) != 5 {
		t.Fatalf("exported %d files, want 5 (transcript, trail file, three log groups)", len(m.Files))
	}
	for _, f := range m.Files {
		if strings.HasPrefix(f.Source, "s3://") && f.ETag == "" {
			t.Errorf("%s: no ETag recorded from S3", f.Source)
		}
	}
	transcript, err := os.ReadFile(filepath.Join(dir, "s3", e.Locations.AuditBucketName,
		exportedName(ft.TranscriptKey)))
	if err != nil || string(transcript) != ft.Transcript(start.Add(ft.AtTranscriptDone)) {
		t.Fatalf("transcript from moto: %v, differs from what was uploaded", err)
	}
}

func TestExportGivesEveryKeyItsOwnFileWhateverItsName(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	// The agent can upload these with the host's s3:PutObject: "x" would be a file and a
	// directory at once, and "Case.log"/"case.log" are one file on macOS and Windows.
	planted := map[string]string{
		ft.TranscriptDir + "/x":        "file",
		ft.TranscriptDir + "/x/y":      "below",
		ft.TranscriptDir + "/Case.log": "upper",
		ft.TranscriptDir + "/case.log": "lower",
	}
	for key, body := range planted {
		e.Objects[ft.AuditBucket][key] = []byte(body)
	}
	dir := filepath.Join(t.TempDir(), "evidence")
	m := exportEvidence(t, ft.NewMemory(e).Clients(), e, dir)

	suffix := func(source string) string {
		sum := sha256.Sum256([]byte(source + "\x000"))
		return "~" + hex.EncodeToString(sum[:6])
	}
	// Keys are listed in byte order, so "Case.log" takes its name first.
	lower := "s3://" + ft.AuditBucket + "/" + ft.TranscriptDir + "/case.log"
	want := map[string]string{
		ft.TranscriptDir + "/x":        exportedName(ft.TranscriptDir + "/x"),
		ft.TranscriptDir + "/x/y":      exportedName(ft.TranscriptDir + "/x/y"),
		ft.TranscriptDir + "/Case.log": exportedName(ft.TranscriptDir + "/Case.log"),
		ft.TranscriptDir + "/case.log": exportedName(ft.TranscriptDir+"/case.log") + suffix(lower),
	}
	got := map[string]string{}
	for _, f := range m.Files {
		key, ok := strings.CutPrefix(f.Source, "s3://"+ft.AuditBucket+"/")
		if _, mine := planted[key]; ok && mine {
			got[key] = f.Path
		}
	}
	for key, name := range want {
		path := "s3/" + ft.AuditBucket + "/" + name
		if got[key] != path {
			t.Errorf("%s exported as %q, want %q", key, got[key], path)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
		if err != nil || string(data) != planted[key] {
			t.Errorf("%s: file holds %q (%v), want %q", path, data, err, planted[key])
		}
	}
	if _, err := os.Stat(filepath.Join(dir, forensics.ManifestName)); err != nil {
		t.Fatalf("no manifest: %v", err)
	}
}

func TestExportListsObjectsOverTheSizeBoundAsSkipped(t *testing.T) {
	e := ft.Scenario(scenarioStart)
	big := ft.TranscriptDir + "/big.log"
	e.Objects[ft.AuditBucket][big] = bytes.Repeat([]byte("a"), 2048)
	dir := filepath.Join(t.TempDir(), "evidence")
	m, err := forensics.Export(context.Background(), ft.NewMemory(e).Clients(),
		forensics.ExportOptions{Locations: e.Locations, OutDir: dir, MaxObjectBytes: 1024})
	if err != nil {
		t.Fatal(err)
	}

	want := []forensics.SkippedObject{{
		Source: "s3://" + ft.AuditBucket + "/" + big, VersionID: "v0", Size: 2048,
		Reason: "larger than --max-object-bytes 1024",
	}}
	if fmt.Sprint(m.SkippedObjects) != fmt.Sprint(want) {
		t.Fatalf("skipped objects = %+v, want %+v", m.SkippedObjects, want)
	}
	for _, f := range m.Files {
		if f.Source == want[0].Source {
			t.Fatalf("%s exported although over the bound", f.Source)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "s3", ft.AuditBucket))
	if len(entries) != 1 || entries[0].Name() != exportedName(ft.TranscriptKey) {
		t.Fatalf("audit bucket directory holds %v, want only the transcript", entries)
	}
}
