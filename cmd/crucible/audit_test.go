package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/crucible-sandbox/crucible/internal/forensics"
	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

// seedAudit puts the scripted scenario into moto and writes the stack outputs file the way
// `pulumi stack output --json` prints it. It returns the flags that reach the evidence.
func seedAudit(t *testing.T) (time.Time, *ft.Evidence, []string) {
	t.Helper()
	endpoint := ft.MotoEndpoint(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")

	start := time.Now().UTC().Truncate(time.Minute).Add(-time.Hour)
	e := ft.Scenario(start).WithSuffix(fmt.Sprintf("cli%d", time.Now().UnixNano()))
	clients, err := forensics.NewClients(context.Background(), ft.Region,
		forensics.ClientOptions{EndpointURL: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	if err := ft.Seed(context.Background(), clients.S3.(*s3.Client),
		clients.Logs.(*cloudwatchlogs.Client), e); err != nil {
		t.Fatal(err)
	}

	l := e.Locations
	outputs, _ := json.Marshal(map[string]any{
		"instanceId": l.InstanceID, "region": l.Region, "vpcId": "vpc-0123456789abcdef0",
		"auditBucketName": l.AuditBucketName, "auditTranscriptPrefix": l.AuditTranscriptPrefix,
		"sessionLogGroupName": l.SessionLogGroupName, "dnsQueryLogGroupName": l.DNSQueryLogGroupName,
		"flowLogGroupName": l.FlowLogGroupName, "connectCommand": "aws ssm start-session",
	})
	file := filepath.Join(t.TempDir(), "outputs.json")
	if err := os.WriteFile(file, outputs, 0o600); err != nil {
		t.Fatal(err)
	}
	return start, e, []string{
		"--outputs", file, "--trail-bucket", l.TrailBucketName, "--trail-prefix", l.TrailPrefix,
		"--endpoint-url", endpoint,
	}
}

func TestAuditTimelinePrintsTheScenarioInOrder(t *testing.T) {
	start, _, flags := seedAudit(t)
	code, out, errOut := runCLI(t, append([]string{"audit", "timeline"}, flags...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}

	ts := func(d time.Duration) string { return start.Add(d).Format("2006-01-02T15:04:05Z") }
	lines := strings.Split(out, "\n")
	want := []string{
		ts(ft.AtStartSession) + "  session  OPEN    " + ft.SessionID + " as ssm-user  by=" + ft.Operator,
		ts(ft.AtResolveSSM) + "  dns      ALLOW   ssm.us-east-1.amazonaws.com. A NOERROR  by=10.0.1.25",
	}
	if lines[0] != want[0] || lines[1] != want[1] || len(lines) < 10 {
		t.Fatalf("timeline starts:\n%s\nwant:\n%s", strings.Join(lines[:2], "\n"),
			strings.Join(want, "\n"))
	}
	if !strings.Contains(out, "10 events: session 2, command 3, dns 2 (1 blocked), flow 2 "+
		"(1 blocked), api 1 (1 blocked)\n") {
		t.Fatalf("summary missing or wrong:\n%s", out)
	}
}

func TestAuditTimelineJSONBlockedOnly(t *testing.T) {
	_, _, flags := seedAudit(t)
	code, out, errOut := runCLI(t, append([]string{
		"audit", "timeline", "--blocked-only",
		"--json",
	}, flags...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Events []forensics.Event `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range doc.Events {
		got = append(got, string(e.Kind)+" "+e.Verdict+" "+e.Subject)
	}
	want := []string{
		"dns BLOCK " + ft.TunnelName + " TXT NXDOMAIN",
		"flow REJECT 10.0.1.25:40112 -> 203.0.113.10:443 TCP",
		"api DENIED s3:ListBuckets",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("blocked events = %q, want %q", got, want)
	}
}

func TestAuditExportWritesTheManifest(t *testing.T) {
	_, _, flags := seedAudit(t)
	dir := filepath.Join(t.TempDir(), "export")
	code, out, errOut := runCLI(t, append([]string{"audit", "export", "--out", dir}, flags...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "exported 5 files (") ||
		!strings.Contains(out, "verify with: (cd "+dir+" && sha256sum -c SHA256SUMS)") {
		t.Fatalf("export output:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, forensics.ManifestName)); err != nil {
		t.Fatal(err)
	}
}

func TestAuditExportListsObjectsOverMaxObjectBytes(t *testing.T) {
	start, e, flags := seedAudit(t)
	dir := filepath.Join(t.TempDir(), "export")
	code, out, errOut := runCLI(t, append([]string{
		"audit", "export", "--out", dir, "--max-object-bytes", "1",
	}, flags...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}

	l := e.Locations
	trailKey := ft.TrailKey(start, "Scenario0000001")
	for _, want := range []string{
		"exported 3 files (",
		"not exported: s3://" + l.AuditBucketName + "/" + ft.TranscriptKey +
			": larger than --max-object-bytes 1\n",
		"not exported: s3://" + l.TrailBucketName + "/" + trailKey +
			": larger than --max-object-bytes 1\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export output lacks %q:\n%s", want, out)
		}
	}
}

func TestAuditRefusesBadCommandLines(t *testing.T) {
	outputs := filepath.Join(t.TempDir(), "outputs.json")
	if err := os.WriteFile(outputs, []byte(`{"instanceId":"i-0123456789abcdef0",`+
		`"region":"us-east-1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{
			"no evaluation named",
			[]string{"audit", "timeline"},
			"name the evaluation exactly one way: its ID, --stack NAME or --outputs FILE",
		},
		{
			"two ways",
			[]string{"audit", "timeline", "run-1", "--stack", "x"},
			"name the evaluation exactly one way",
		},
		{
			"unknown kind",
			[]string{"audit", "timeline", "--outputs", outputs, "--kind", "dns,ssh"},
			`--kind: unknown kind "ssh" (allowed: session, command, dns, flow, api)`,
		},
		{
			"bad since",
			[]string{"audit", "timeline", "--outputs", outputs, "--since", "soon"},
			`--since: "soon" is not a time`,
		},
		{"window backwards", []string{
			"audit", "timeline", "--outputs", outputs,
			"--since", "2026-03-02", "--until", "2026-03-01",
		}, "--until (2026-03-01T00:00:00Z) must be after --since"},
		{
			"export without --out",
			[]string{"audit", "export", "--outputs", outputs},
			"--out: name a directory to export into",
		},
		{
			"export with no room for any object",
			[]string{"audit", "export", "--outputs", outputs, "--out", "x", "--max-object-bytes", "0"},
			"--max-object-bytes 0: want a positive number of bytes (default 1073741824)",
		},
		{
			"bad evaluation id",
			[]string{"audit", "timeline", "!!"},
			`evaluation id "!!" has no ASCII letters or digits`,
		},
		{
			"bad evaluation backend",
			[]string{"audit", "serve", "run-1", "--backend", "ftp://x"},
			`--backend "ftp://x": not a Pulumi backend URL`,
		},
		{"bad trail bucket", []string{
			"audit", "timeline", "--outputs", outputs,
			"--trail-bucket", "Not_A_Bucket",
		}, `--trail-bucket "Not_A_Bucket" is not an S3 bucket name`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, c.args...)
			if code != exitInvalidConfig || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, errOut,
					exitInvalidConfig, c.want)
			}
		})
	}
}

func TestAuditOutputsMustNameTheInstance(t *testing.T) {
	outputs := filepath.Join(t.TempDir(), "outputs.json")
	if err := os.WriteFile(outputs, []byte(`{"region":"us-east-1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "audit", "timeline", "--outputs", outputs)
	want := "--outputs " + outputs + ": forensics: instanceId is missing from the evaluation's outputs"
	if code == 0 || !strings.Contains(errOut, want) {
		t.Fatalf("exit %d, stderr %q; want %q", code, errOut, want)
	}
}
