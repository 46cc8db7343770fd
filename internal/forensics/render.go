package forensics

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Counts summarises a timeline per kind.
type Counts struct {
	Kind    Kind `json:"kind"`
	Total   int  `json:"total"`
	Blocked int  `json:"blocked"`
}

// Counts returns, for each kind in display order, how many events the timeline holds and how
// many of them the sandbox stopped.
func (t *Timeline) Counts() []Counts {
	byKind := map[Kind]*Counts{}
	for _, k := range Kinds {
		byKind[k] = &Counts{Kind: k}
	}
	for i := range t.Events {
		c := byKind[t.Events[i].Kind]
		c.Total++
		if t.Events[i].Blocked {
			c.Blocked++
		}
	}
	out := make([]Counts, 0, len(Kinds))
	for _, k := range Kinds {
		out = append(out, *byKind[k])
	}
	return out
}

// MalformedTotal is the number of records that could not be read, over all sources.
func (t *Timeline) MalformedTotal() int64 {
	var n int64
	for _, s := range t.Sources {
		n += s.MalformedCount
	}
	return n
}

// timeLayout is second-precision UTC: the evidence is no finer (flow logs, CloudTrail, streamed
// records), and equal widths keep the column aligned.
const timeLayout = "2006-01-02T15:04:05Z"

// WriteText prints the timeline for a terminal: one sanitised line per event, then the counts
// and each source's account, malformed records included.
func (t *Timeline) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for i := range t.Events {
		writeEventLine(bw, &t.Events[i])
	}
	if len(t.Events) == 0 {
		fmt.Fprintln(bw, "no events match")
	}
	fmt.Fprintln(bw)
	t.writeSummary(bw)
	return bw.Flush()
}

func writeEventLine(w io.Writer, e *Event) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %-7s  %-6s  %s", e.Time.UTC().Format(timeLayout), e.Kind, e.Verdict,
		Sanitize(e.Subject))
	if e.Rule != "" {
		b.WriteString("  rule=" + Sanitize(e.Rule))
	}
	switch {
	case e.Actor != "" && e.Claimed:
		b.WriteString("  claimed-by=" + Sanitize(e.Actor))
	case e.Actor != "":
		b.WriteString("  by=" + Sanitize(e.Actor))
	}
	if e.SessionID != "" && e.Kind == KindCommand {
		b.WriteString("  session=" + Sanitize(e.SessionID))
	}
	b.WriteByte('\n')
	// w is the caller's bufio.Writer: a write error sticks and WriteText returns it at Flush.
	_, _ = io.WriteString(w, b.String())
}

func (t *Timeline) writeSummary(w io.Writer) {
	parts := make([]string, 0, len(Kinds))
	total := 0
	for _, c := range t.Counts() {
		total += c.Total
		part := fmt.Sprintf("%s %d", c.Kind, c.Total)
		if c.Blocked > 0 {
			part += fmt.Sprintf(" (%d blocked)", c.Blocked)
		}
		parts = append(parts, part)
	}
	fmt.Fprintf(w, "%d events: %s\n", total, strings.Join(parts, ", "))

	for _, s := range t.Sources {
		if s.Skipped != "" {
			fmt.Fprintf(w, "%s: not read: %s\n", s.Source, Sanitize(s.Skipped))
			continue
		}
		fmt.Fprintf(w, "%s (%s): %d objects/streams, %d records, %d kept, %d ignored, "+
			"%d malformed\n", s.Source, Sanitize(s.Location), s.Objects, s.Records, s.Kept,
			s.Ignored, s.MalformedCount)
		for _, m := range s.Malformed {
			fmt.Fprintf(w, "  malformed: %s: %s", Sanitize(m.Location), Sanitize(m.Reason))
			if m.Excerpt != "" {
				fmt.Fprintf(w, ": %s", Sanitize(m.Excerpt))
			}
			fmt.Fprintln(w)
		}
		if extra := s.MalformedCount - int64(len(s.Malformed)); extra > 0 {
			fmt.Fprintf(w, "  malformed: %d more not listed\n", extra)
		}
		for _, r := range s.Rewritten {
			fmt.Fprintf(w, "  rewritten: %s: %s\n", Sanitize(r.Location), r.Describe())
		}
	}
}

// jsonTimeline is the --json document: events and the account of every source, with sessions
// summarised (their transcripts are in the export and the web view).
type jsonTimeline struct {
	Locations Locations      `json:"locations"`
	Counts    []Counts       `json:"counts"`
	Events    []Event        `json:"events"`
	Sessions  []jsonSession  `json:"sessions"`
	Sources   []SourceReport `json:"sources"`
}

type jsonSession struct {
	ID              string    `json:"id"`
	Owner           string    `json:"owner,omitempty"`
	OwnerClaimed    bool      `json:"ownerClaimed,omitempty"`
	ClaimedOwner    string    `json:"claimedOwner,omitempty"`
	Unverified      bool      `json:"unverified,omitempty"`
	RunAsUser       string    `json:"runAsUser,omitempty"`
	Opened          time.Time `json:"opened,omitzero"`
	Closed          time.Time `json:"closed,omitzero"`
	ClosedBy        string    `json:"closedBy,omitempty"`
	ClosedByClaimed bool      `json:"closedByClaimed,omitempty"`
}

// WriteJSON prints the timeline as one JSON document. Strings are the evidence verbatim, with
// every control character and bidirectional format character \u-escaped, so the document is
// also safe to print on a terminal.
func (t *Timeline) WriteJSON(w io.Writer) error {
	doc := jsonTimeline{
		Locations: t.Locations,
		Counts:    t.Counts(),
		Events:    t.Events,
		Sources:   t.Sources,
		Sessions:  make([]jsonSession, 0, len(t.Sessions)),
	}
	if doc.Events == nil {
		doc.Events = []Event{}
	}
	for _, s := range t.Sessions {
		doc.Sessions = append(doc.Sessions, jsonSession{
			ID: s.ID, Owner: s.Owner, OwnerClaimed: s.OwnerClaimed,
			ClaimedOwner: s.ClaimedOwner, Unverified: s.Unverified, RunAsUser: s.RunAsUser,
			Opened: s.Opened, Closed: s.Closed, ClosedBy: s.ClosedBy,
			ClosedByClaimed: s.ClosedByClaimed,
		})
	}

	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("forensics: encode timeline: %w", err)
	}
	_, err = w.Write(append(escapeJSONUnsafe(data), '\n'))
	return err
}

// Describe says how an object was rewritten, e.g. "3 versions, deleted", for the text summary
// and the page.
func (r Rewritten) Describe() string {
	out := fmt.Sprintf("%d versions", r.Versions)
	if r.DeleteMarkers > 0 {
		out += fmt.Sprintf(", %d delete markers", r.DeleteMarkers)
	}
	if r.Deleted {
		out += ", deleted"
	}
	return out + " (audit export keeps each version)"
}
