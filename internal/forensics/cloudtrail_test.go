package forensics

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"time"
)

const testInstance = "i-0123456789abcdef0"

func hostCall(name, errorCode string) string {
	rec := `{"eventTime":"2026-01-02T03:04:05Z","eventSource":"s3.amazonaws.com",` +
		`"eventName":"` + name + `","sourceIPAddress":"10.0.1.25",` +
		`"userIdentity":{"type":"AssumedRole","principalId":"AROAX:` + testInstance + `",` +
		`"arn":"arn:aws:sts::123456789012:assumed-role/host-role/` + testInstance + `"}`
	if errorCode != "" {
		rec += `,"errorCode":"` + errorCode + `"`
	}
	return rec + "}"
}

func readTrail(t *testing.T, r io.Reader) (*trailFindings, *SourceReport) {
	t.Helper()
	src := &SourceReport{Source: SourceCloudTrail}
	out := newTrailFindings()
	readTrailFile(r, "s3://trail/f.json.gz", testInstance, src, out)
	return out, src
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.Bytes()
}

func gunzip(t *testing.T, data []byte) io.Reader {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReadTrailFileKeepsHostRoleCallsAndMarksDenials(t *testing.T) {
	other := `{"eventTime":"2026-01-02T03:04:05Z","eventSource":"ec2.amazonaws.com",` +
		`"eventName":"DescribeInstances","userIdentity":{"type":"IAMUser",` +
		`"arn":"arn:aws:iam::123456789012:user/bob"}}`
	doc := `{"Records":[` + hostCall("GetObject", "") + `,` + other + `,` +
		hostCall("ListBuckets", "AccessDenied") + `,` +
		strings.Replace(hostCall("RunInstances", "Client.UnauthorizedOperation"),
			"s3.amazonaws.com", "ec2.amazonaws.com", 1) + `]}`

	out, src := readTrail(t, strings.NewReader(doc))

	var got []string
	for _, e := range out.calls {
		got = append(got, e.Verdict+" "+e.Subject+" "+e.Rule)
	}
	want := []string{
		"OK s3:GetObject ",
		"DENIED s3:ListBuckets AccessDenied",
		"DENIED ec2:RunInstances Client.UnauthorizedOperation",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("calls = %q, want %q", got, want)
	}
	if src.Records != 4 || src.Ignored != 1 || src.MalformedCount != 0 {
		t.Fatalf("records=%d ignored=%d malformed=%d, want 4, 1 (bob's call), 0",
			src.Records, src.Ignored, src.MalformedCount)
	}
	if !out.calls[1].Blocked || out.calls[0].Blocked {
		t.Fatal("only denied calls are blocked")
	}
}

func TestReadTrailFileCountsABadRecordAndReadsOn(t *testing.T) {
	doc := `{"Records":[` + hostCall("A", "") + `,{"eventTime":5},` +
		`{"eventTime":"not a time"},` + hostCall("B", "") + `]}`
	out, src := readTrail(t, strings.NewReader(doc))

	if len(out.calls) != 2 || out.calls[0].Subject != "s3:A" || out.calls[1].Subject != "s3:B" {
		t.Fatalf("calls = %+v, want s3:A and s3:B around the bad records", out.calls)
	}
	if src.MalformedCount != 2 {
		t.Fatalf("malformed = %d, want 2", src.MalformedCount)
	}
	if src.Malformed[0].Location != "s3://trail/f.json.gz record 2" ||
		!strings.Contains(src.Malformed[0].Reason, "cannot unmarshal number") {
		t.Fatalf("first malformed = %+v", src.Malformed[0])
	}
	if src.Malformed[1].Location != "s3://trail/f.json.gz record 3" ||
		src.Malformed[1].Reason != `eventTime "not a time" is not RFC 3339` {
		t.Fatalf("second malformed = %+v", src.Malformed[1])
	}
}

func TestReadTrailFileReportsAFileCutInHalf(t *testing.T) {
	doc := `{"Records":[` + hostCall("A", "") + `,` + hostCall("B", "")
	out, src := readTrail(t, strings.NewReader(doc[:len(doc)-40]))

	if len(out.calls) != 1 || out.calls[0].Subject != "s3:A" {
		t.Fatalf("calls = %+v, want the one whole record before the cut", out.calls)
	}
	if src.MalformedCount != 1 || !strings.Contains(src.Malformed[0].Reason,
		"file ends early after 1 records") {
		t.Fatalf("malformed = %+v, want one 'file ends early' entry", src.Malformed)
	}
}

func TestReadTrailFileReportsTruncatedGzipEvenAfterTheLastRecord(t *testing.T) {
	whole := gz(`{"Records":[` + hostCall("A", "") + `]}`)
	// Cutting the gzip trailer leaves a document that decodes completely; only reading to the
	// end shows the checksum is missing.
	out, src := readTrail(t, gunzip(t, whole[:len(whole)-6]))

	if len(out.calls) != 1 {
		t.Fatalf("calls = %d, want the decoded record kept", len(out.calls))
	}
	if src.MalformedCount != 1 || !strings.Contains(src.Malformed[0].Reason, "unexpected EOF") {
		t.Fatalf("malformed = %+v, want the truncated gzip reported", src.Malformed)
	}
}

func TestReadTrailFileFindsSessionsOnTheHost(t *testing.T) {
	start := `{"eventTime":"2026-01-02T03:00:00Z","eventSource":"ssm.amazonaws.com",` +
		`"eventName":"StartSession","userIdentity":{"type":"IAMUser",` +
		`"arn":"arn:aws:iam::123456789012:user/alice"},` +
		`"requestParameters":{"target":"` + testInstance + `"},` +
		`"responseElements":{"sessionId":"alice-0a1b2c3d4e5f6a7b8"}}`
	elsewhere := strings.Replace(strings.Replace(start, testInstance, "i-0fffffffffffffff0", 1),
		"alice-0a1b", "alice-9a1b", 1)
	terminate := `{"eventTime":"2026-01-02T03:09:00Z","eventSource":"ssm.amazonaws.com",` +
		`"eventName":"TerminateSession","userIdentity":{"type":"IAMUser",` +
		`"arn":"arn:aws:iam::123456789012:user/admin"},` +
		`"requestParameters":{"sessionId":"alice-0a1b2c3d4e5f6a7b8"}}`
	out, src := readTrail(t, strings.NewReader(`{"Records":[`+start+`,`+elsewhere+`,`+terminate+`]}`))

	got, ok := out.starts["alice-0a1b2c3d4e5f6a7b8"]
	if !ok || len(out.starts) != 1 {
		t.Fatalf("starts = %+v, want only the session on %s", out.starts, testInstance)
	}
	if got.Actor != "arn:aws:iam::123456789012:user/alice" ||
		!got.Time.Equal(time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)) {
		t.Fatalf("start = %+v", got)
	}
	if out.terminates["alice-0a1b2c3d4e5f6a7b8"].Actor != "arn:aws:iam::123456789012:user/admin" {
		t.Fatalf("terminate = %+v, want admin's TerminateSession", out.terminates)
	}
	if src.Ignored != 1 {
		t.Fatalf("ignored = %d, want 1 (the session on another instance)", src.Ignored)
	}
}

func TestRoleSessionNameIsTheLastSegmentOfAnAssumedRoleArn(t *testing.T) {
	cases := []struct{ typ, arn, want string }{
		{"AssumedRole", "arn:aws:sts::1:assumed-role/r/" + testInstance, testInstance},
		{"AssumedRole", "arn:aws:sts::1:assumed-role/path/r/" + testInstance, testInstance},
		{"IAMUser", "arn:aws:iam::1:user/" + testInstance, ""},
		{"AssumedRole", "arn:aws:sts::1:assumed-role/only-role", ""},
	}
	for _, c := range cases {
		if got := roleSessionName(c.typ, c.arn); got != c.want {
			t.Errorf("roleSessionName(%s, %s) = %q, want %q", c.typ, c.arn, got, c.want)
		}
	}
}
