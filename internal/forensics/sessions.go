package forensics

import (
	"sort"
	"time"
)

// Session is everything the evidence says about one Session Manager session on the host.
type Session struct {
	ID        string `json:"id"`
	Owner     string `json:"owner,omitempty"`
	RunAsUser string `json:"runAsUser,omitempty"`
	// Opened and Closed come from the best evidence at hand: CloudTrail StartSession and
	// TerminateSession, else the first and last streamed record, else the transcript trailer.
	Opened       time.Time `json:"opened,omitzero"`
	OpenedSource string    `json:"openedSource,omitempty"`
	Closed       time.Time `json:"closed,omitzero"`
	ClosedBy     string    `json:"closedBy,omitempty"`
	ClosedSource string    `json:"closedSource,omitempty"`
	// Transcript is the S3 transcript; Streamed the lines streamed to CloudWatch Logs.
	Transcript *Transcript    `json:"transcript,omitempty"`
	Streamed   []StreamedLine `json:"streamed,omitempty"`
	StreamName string         `json:"streamSource,omitempty"`
}

// StreamedLine is one terminal line from a session stream, stamped with its record's time.
type StreamedLine struct {
	Time time.Time `json:"time"`
	Text string    `json:"text"`
}

// sessionBook gathers session evidence from every source before events are derived, because
// CloudTrail, the streams and the transcripts each know part of a session.
type sessionBook struct {
	byID map[string]*Session
}

func newSessionBook() *sessionBook {
	return &sessionBook{byID: map[string]*Session{}}
}

func (b *sessionBook) get(id string) *Session {
	s, ok := b.byID[id]
	if !ok {
		s = &Session{ID: id}
		b.byID[id] = s
	}
	return s
}

func (b *sessionBook) addStreamRecord(rec sessionStreamRecord, at time.Time, source string) {
	s := b.get(rec.SessionID)
	s.StreamName = source
	if s.Owner == "" {
		s.Owner = rec.UserIdentity.Arn
	}
	if s.RunAsUser == "" {
		s.RunAsUser = rec.RunAsUser
	}
	for _, line := range rec.SessionData {
		s.Streamed = append(s.Streamed, StreamedLine{Time: at, Text: line})
	}
}

func (b *sessionBook) addTranscript(t Transcript) {
	s := b.get(t.SessionID)
	s.Transcript = &t
}

// settle fixes each session's open and close from the best evidence, matching CloudTrail's
// TerminateSession calls to sessions that other evidence places on the host.
func (b *sessionBook) settle(trail *trailFindings, lastModified map[string]time.Time) {
	for id, mark := range trail.starts {
		s := b.get(id)
		s.Opened, s.OpenedSource = mark.Time, mark.Source
		s.Owner = mark.Actor
	}

	for _, s := range b.byID {
		if mark, ok := trail.terminates[s.ID]; ok {
			s.Closed, s.ClosedBy, s.ClosedSource = mark.Time, mark.Actor, mark.Source
		}
		// Streams interleave in a FilterLogEvents answer; a session's lines are put back in
		// time order, keeping the agent's order within one record.
		sort.SliceStable(s.Streamed, func(i, j int) bool {
			return s.Streamed[i].Time.Before(s.Streamed[j].Time)
		})
		if n := len(s.Streamed); n > 0 {
			if s.Opened.IsZero() {
				s.Opened, s.OpenedSource = s.Streamed[0].Time, s.StreamName
			}
			if s.Closed.IsZero() {
				s.Closed, s.ClosedSource = s.Streamed[n-1].Time, s.StreamName
			}
		}
		if s.Closed.IsZero() && s.Transcript != nil {
			s.Closed, s.ClosedSource = s.Transcript.Done, s.Transcript.Source
			if s.Closed.IsZero() {
				s.Closed = lastModified[s.ID]
			}
		}
		if s.ClosedBy == "" && !s.Closed.IsZero() {
			s.ClosedBy = s.Owner
		}
	}
}

// sessions lists sessions by opening (then closing) time, then id.
func (b *sessionBook) sessions() []*Session {
	out := make([]*Session, 0, len(b.byID))
	for _, s := range b.byID {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		ti, tj := sessionTime(out[i]), sessionTime(out[j])
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func sessionTime(s *Session) time.Time {
	if !s.Opened.IsZero() {
		return s.Opened
	}
	return s.Closed
}

// events derives the session and command rows of the timeline.
func (s *Session) events() []Event {
	var out []Event
	if !s.Opened.IsZero() {
		subject := s.ID
		if s.RunAsUser != "" {
			subject += " as " + s.RunAsUser
		}
		out = append(out, Event{
			Time: s.Opened, Kind: KindSession, Verdict: VerdictOpen, Subject: subject,
			Actor: s.Owner, SessionID: s.ID, Source: s.OpenedSource,
		})
	}
	for _, line := range s.Streamed {
		cmd := typedCommand(line.Text)
		if cmd == "" {
			continue
		}
		out = append(out, Event{
			Time: line.Time, Kind: KindCommand, Verdict: VerdictTyped, Subject: cmd,
			Actor: s.Owner, SessionID: s.ID, Source: s.StreamName,
		})
	}
	if !s.Closed.IsZero() {
		out = append(out, Event{
			Time: s.Closed, Kind: KindSession, Verdict: VerdictClose, Subject: s.ID,
			Actor: s.ClosedBy, SessionID: s.ID, Source: s.ClosedSource,
		})
	}
	return out
}
