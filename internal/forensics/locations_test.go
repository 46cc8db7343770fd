package forensics

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func TestLocationsFromOutputsReadsTheStackOutputs(t *testing.T) {
	outputs := `{"instanceId":"i-0123456789abcdef0","region":"eu-west-1","vpcId":"vpc-1",` +
		`"auditBucketName":"crucible-audit-1","auditTranscriptPrefix":"sessions",` +
		`"sessionLogGroupName":"/crucible/sessions","dnsQueryLogGroupName":"/crucible/dns",` +
		`"flowLogGroupName":"/crucible/flow","connectCommand":"aws ssm start-session",` +
		`"someNumber":3}`
	got, err := LocationsFromOutputs([]byte(outputs))
	if err != nil {
		t.Fatal(err)
	}
	want := Locations{
		Region: "eu-west-1", InstanceID: "i-0123456789abcdef0",
		AuditBucketName: "crucible-audit-1", AuditTranscriptPrefix: "sessions",
		SessionLogGroupName: "/crucible/sessions", DNSQueryLogGroupName: "/crucible/dns",
		FlowLogGroupName: "/crucible/flow",
	}
	if got != want {
		t.Fatalf("locations = %+v, want %+v", got, want)
	}
}

func TestLocationsFromOutputsNamesTheBadOutput(t *testing.T) {
	// with adds fields to the two required outputs.
	with := func(fields string) string {
		return `{"region":"us-east-1","instanceId":"i-0123456789abcdef0"` + fields + `}`
	}
	cases := map[string]struct{ outputs, want string }{
		"not JSON":     {`[1,2]`, "stack outputs are not a JSON object"},
		"no instance":  {`{"region":"us-east-1"}`, "instanceId is missing"},
		"no region":    {`{"instanceId":"i-0123456789abcdef0"}`, "region is missing"},
		"bad instance": {`{"region":"us-east-1","instanceId":"i-xyz"}`, `instanceId "i-xyz" is not`},
		"bad region": {
			`{"region":"mars","instanceId":"i-0123456789abcdef0"}`,
			`region "mars" is not an AWS region`,
		},
		"number bucket": {with(`,"auditBucketName":5`), "auditBucketName is float64, want a string"},
		"bad bucket": {
			with(`,"auditBucketName":"A_B"`),
			`auditBucketName "A_B" is not an S3 bucket name`,
		},
		"bad group": {
			with(`,"flowLogGroupName":"a b"`),
			`flowLogGroupName "a b" is not a CloudWatch Logs group name`,
		},
		"absolute prefix": {with(`,"auditTranscriptPrefix":"/x"`), `must not start with "/"`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := LocationsFromOutputs([]byte(c.outputs))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestParseTimeAcceptsTimesDatesAndDurations(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Time{
		"2026-02-28T10:30:00Z":      time.Date(2026, 2, 28, 10, 30, 0, 0, time.UTC),
		"2026-02-28T10:30:00+02:00": time.Date(2026, 2, 28, 8, 30, 0, 0, time.UTC),
		"2026-02-28":                time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC),
		"90m":                       time.Date(2026, 3, 1, 10, 30, 0, 0, time.UTC),
		"":                          {},
	}
	for in, want := range cases {
		got, err := ParseTime("--since", in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"yesterday", "-2h", "0s", "2026-13-01"} {
		if _, err := ParseTime("--until", bad, now); err == nil ||
			!strings.HasPrefix(err.Error(), "--until: ") {
			t.Errorf("ParseTime(%q) error = %v, want one naming --until", bad, err)
		}
	}
}

func TestParseKindsNamesTheAllowedKinds(t *testing.T) {
	kinds, err := ParseKinds(" DNS, flow ")
	if err != nil || len(kinds) != 2 || kinds[0] != KindDNS || kinds[1] != KindFlow {
		t.Fatalf("ParseKinds = %v, %v; want [dns flow]", kinds, err)
	}
	if kinds, err := ParseKinds(""); err != nil || kinds != nil {
		t.Fatalf("empty list = %v, %v; want every kind (nil)", kinds, err)
	}
	_, err = ParseKinds("dns,packets")
	want := `--kind: unknown kind "packets" (allowed: session, command, dns, flow, api)`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v", err)
	}
}

func TestSafeSegmentCannotNameAPlaceOutsideTheExport(t *testing.T) {
	cases := map[string]string{
		"alice-1.log": "alice-1.log",
		"..":          "%2E%2E",
		".":           "%2E",
		"":            "%",
		"a b\nc":      "a%20b%0Ac",
		"100%":        "100%25",
		"x/y":         "x%2Fy",
		"\x1b[31m":    "%1B%5B31m",
		"日":           "%E6%97%A5",
	}
	for in, want := range cases {
		if got := safeSegment(in); got != want {
			t.Errorf("safeSegment(%q) = %q, want %q", in, got, want)
		}
	}
	long := safeSegment(strings.Repeat("z", 400))
	if len(long) != maxSegment+1+16 || !strings.HasPrefix(long, strings.Repeat("z", maxSegment)+"~") {
		t.Errorf("a 400-byte name became %q (%d bytes), want %d bytes cut with a hash suffix",
			long, len(long), maxSegment+17)
	}
	if got := safeSegment("p/../../etc/passwd"); got != "p%2F..%2F..%2Fetc%2Fpasswd" {
		t.Errorf("a whole key escapes to %q, want one name with no directory", got)
	}
}

func TestExportNamesNeverGiveOneNameTwiceIgnoringCase(t *testing.T) {
	n := newExportNames()
	first := n.claim("s3/b", "Key.log", "s3://b/Key.log")
	second := n.claim("s3/b", "key.log", "s3://b/key.log")
	sum := sha256.Sum256([]byte("s3://b/key.log\x000"))
	if first != "s3/b/Key.log" || second != "s3/b/key.log~"+hex.EncodeToString(sum[:6]) {
		t.Fatalf("names = %q, %q; want the second suffixed with its source's hash", first, second)
	}
	// A key the agent chose to equal that suffixed name still gets a name of its own.
	third := n.claim("s3/b", "key.log~"+hex.EncodeToString(sum[:6]), "s3://b/planted")
	if third == second || !strings.HasPrefix(third, second+"~") {
		t.Fatalf("planted name = %q, want %q with a further suffix", third, second)
	}
}

func TestLimitedReaderFailsPastTheLimitButNotAtIt(t *testing.T) {
	read := func(data string, max int64) error {
		r := &limitedReader{r: strings.NewReader(data), left: max, max: max}
		buf := make([]byte, 3)
		for {
			_, err := r.Read(buf)
			if err != nil {
				return err
			}
		}
	}
	if err := read("abcdef", 6); err.Error() != "EOF" {
		t.Errorf("exactly at the limit: %v, want EOF", err)
	}
	if err := read("abcdefg", 6); err == nil || !strings.Contains(err.Error(),
		"object larger than the read limit (6 bytes)") {
		t.Errorf("past the limit: %v, want the limit error", err)
	}
}

func TestProgressDrawsOnlyCountsAndClearsItsLine(t *testing.T) {
	var out strings.Builder
	p := NewProgress(&out, 0)
	c := p.counter("dns")
	c.addObject()
	c.addRecord()
	c.addBytes(2048)
	p.Done()

	want := "\r\x1b[Kreading evidence: dns 1 objects 1 records; 2.0 KiB\r\x1b[K"
	if !strings.HasSuffix(out.String(), want) {
		t.Fatalf("progress output ends %q, want %q", out.String(), want)
	}
	var nilProgress *Progress
	nilProgress.counter("x").addRecord()
	nilProgress.Done()
}

func TestCoversDeliveryDayKeepsTheDaysFilesOfTheWindowCanHaveArrived(t *testing.T) {
	f := Filter{
		Since: time.Date(2026, 3, 10, 23, 50, 0, 0, time.UTC),
		Until: time.Date(2026, 3, 11, 0, 10, 0, 0, time.UTC),
	}
	cases := map[string]bool{
		"2026/03/09": false, "2026/03/10": true, "2026/03/11": true, "2026/03/12": false,
		"2026/13/01": false,
	}
	for day, want := range cases {
		if got := f.coversDeliveryDay(day); got != want {
			t.Errorf("coversDeliveryDay(%s) = %v, want %v", day, got, want)
		}
	}
	if !(Filter{}).coversDeliveryDay("2001/01/01") {
		t.Error("an open window must cover every day")
	}
}
