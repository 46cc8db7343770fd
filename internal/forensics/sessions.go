package forensics

import (
	"sort"
	"time"
)

// Session is everything the evidence says about one Session Manager session on the host.
type Session struct {
	ID string `json:"id"`
	// Owner is the principal CloudTrail's StartSession names. Without a trail it is the
	// stream's claim and OwnerClaimed is set: the host role can write its session streams
	// (logs:PutLogEvents), so the agent can put any name in a record's userIdentity.
	Owner        string `json:"owner,omitempty"`
	OwnerClaimed bool   `json:"ownerClaimed,omitempty"`
	// ClaimedOwner is what the host-written stream records say, kept for the reviewer.
	ClaimedOwner string `json:"claimedOwner,omitempty"`
	// Unverified means the trail was read and holds no StartSession for this session: nothing
	// but host-written evidence says it happened, so it names no operator.
	Unverified bool   `json:"unverified,omitempty"`
	RunAsUser  string `json:"runAsUser,omitempty"`
	// Opened and Closed come from the best evidence at hand: CloudTrail StartSession and
	// TerminateSession, else the first and last streamed record, else the transcript trailer.
	Opened       time.Time `json:"opened,omitzero"`
	OpenedSource string    `json:"openedSource,omitempty"`
	Closed       time.Time `json:"closed,omitzero"`
	ClosedBy     string    `json:"closedBy,omitempty"`
	// ClosedByClaimed says ClosedBy comes from the stream's claim, not a CloudTrail call.
	ClosedByClaimed bool   `json:"closedByClaimed,omitempty"`
	ClosedSource    string `json:"closedSource,omitempty"`
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
	if s.ClaimedOwner == "" {
		s.ClaimedOwner = rec.UserIdentity.Arn
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
// TerminateSession calls to sessions that other evidence places on the host. Only CloudTrail
// names an operator; trailRead says whether it was read, so a session it does not know is
// unverified rather than owned by whoever the host's own records claim.
func (b *sessionBook) settle(trail *trailFindings, trailRead bool,
	lastModified map[string]time.Time,
) {
	for id, mark := range trail.starts {
		s := b.get(id)
		s.Opened, s.OpenedSource = mark.Time, mark.Source
		s.Owner = mark.Actor
	}

	for _, s := range b.byID {
		if _, started := trail.starts[s.ID]; !started {
			s.Unverified = trailRead
			if !trailRead && s.ClaimedOwner != "" {
				s.Owner, s.OwnerClaimed = s.ClaimedOwner, true
			}
		}
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
			s.ClosedBy, s.ClosedByClaimed = s.Owner, s.OwnerClaimed
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
			Actor: s.Owner, Claimed: s.OwnerClaimed, SessionID: s.ID,
			Source: s.OpenedSource,
		})
	}
	for _, line := range s.Streamed {
		cmd := typedCommand(line.Text)
		if cmd == "" {
			continue
		}
		out = append(out, Event{
			Time: line.Time, Kind: KindCommand, Verdict: VerdictTyped, Subject: cmd,
			Actor: s.Owner, Claimed: s.OwnerClaimed, SessionID: s.ID,
			Source: s.StreamName,
		})
	}
	if !s.Closed.IsZero() {
		out = append(out, Event{
			Time: s.Closed, Kind: KindSession, Verdict: VerdictClose, Subject: s.ID,
			Actor: s.ClosedBy, Claimed: s.ClosedByClaimed, SessionID: s.ID,
			Source: s.ClosedSource,
		})
	}
	return out
}
