package forensics

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// DefaultMaxTranscriptLines bounds the lines of one transcript kept for the transcript view; the
// rest is counted and stays in the raw object.
const DefaultMaxTranscriptLines = 20000

// Transcript is one session's terminal text as the reviewer sees it in the transcript view.
type Transcript struct {
	SessionID string   `json:"sessionId"`
	Source    string   `json:"source"`
	Lines     []string `json:"lines"`
	// Omitted counts lines beyond the kept bound; the raw object holds them.
	Omitted int64 `json:"omitted,omitempty"`
	// Done is when util-linux script finished writing the transcript, read from its trailer
	// ("Script done on ..."), the closest S3 evidence of the session's end.
	Done time.Time `json:"done,omitzero"`
}

// transcriptSessionID derives the session id from an S3 transcript key: the agent uploads
// <s3KeyPrefix>/<session-id>.log.
func transcriptSessionID(prefix, key string) (string, bool) {
	rel := key
	if p := strings.TrimSuffix(prefix, "/"); p != "" {
		var ok bool
		if rel, ok = strings.CutPrefix(key, p+"/"); !ok {
			return "", false
		}
	}
	id, ok := strings.CutSuffix(rel, ".log")
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

// scriptDone matches the trailer util-linux script writes when the transcript is complete.
var scriptDone = regexp.MustCompile(`^Script done on (\S+ \S+)`)

// scriptTimeLayout is the trailer's time format since util-linux 2.35 (Amazon Linux 2023 ships
// 2.37). An older trailer's locale date is not read; the object's LastModified stands in.
const scriptTimeLayout = "2006-01-02 15:04:05Z07:00"

// readTranscript reads an S3 session transcript line by line. Lines are kept verbatim (with any
// terminal control sequences) up to maxLines; a line longer than maxLine is counted as malformed
// and replaced with a note of its length, so the view shows where it was.
func readTranscript(r io.Reader, object, sessionID string, maxLine, maxLines int,
	src *SourceReport,
) (Transcript, error) {
	t := Transcript{SessionID: sessionID, Source: object}
	lr := newLineReader(r, maxLine)
	last := ""

	for {
		line, n, oversize, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errLineTooLong) {
			src.malformed(fmt.Sprintf("%s line %d", object, n),
				fmt.Sprintf("line of %d bytes exceeds the %d-byte line limit", oversize, lr.max),
				line)
			t.keep(fmt.Sprintf("[crucible: line %d of %d bytes not shown; it is in the raw "+
				"object]", n, oversize), maxLines)
			last = ""
			continue
		}
		if err != nil {
			return t, fmt.Errorf("forensics: transcript %s line %d: %w", object, n+1, err)
		}

		text := string(line)
		t.keep(text, maxLines)
		if strings.TrimSpace(text) != "" {
			last = text
		}
	}

	t.Done = scriptDoneTime(last)
	return t, nil
}

func (t *Transcript) keep(line string, maxLines int) {
	if maxLines <= 0 {
		maxLines = DefaultMaxTranscriptLines
	}
	if len(t.Lines) >= maxLines {
		t.Omitted++
		return
	}
	t.Lines = append(t.Lines, line)
}

// scriptDoneTime reads the trailer from the transcript's last non-blank line only: an earlier
// line with the same text was written by whoever used the terminal.
func scriptDoneTime(last string) time.Time {
	m := scriptDone.FindStringSubmatch(last)
	if m == nil {
		return time.Time{}
	}
	t, err := time.Parse(scriptTimeLayout, m[1])
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
