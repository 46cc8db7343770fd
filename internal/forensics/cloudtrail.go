package forensics

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// trailRecord holds the CloudTrail record fields the timeline uses. Request parameters and
// response elements differ per API, so they stay raw until a Session Manager call needs them.
type trailRecord struct {
	EventTime       string `json:"eventTime"`
	EventSource     string `json:"eventSource"`
	EventName       string `json:"eventName"`
	EventID         string `json:"eventID"`
	SourceIPAddress string `json:"sourceIPAddress"`
	ErrorCode       string `json:"errorCode"`
	ErrorMessage    string `json:"errorMessage"`
	UserIdentity    struct {
		Type        string `json:"type"`
		PrincipalID string `json:"principalId"`
		Arn         string `json:"arn"`
	} `json:"userIdentity"`
	RequestParameters json.RawMessage `json:"requestParameters"`
	ResponseElements  json.RawMessage `json:"responseElements"`
}

// sessionMark is a Session Manager call about one session: who started or ended it, and when.
type sessionMark struct {
	Time   time.Time
	Actor  string
	Source string
}

// trailFindings is what CloudTrail says about the host: calls made with its role, and the
// Session Manager calls that opened and closed sessions on it.
type trailFindings struct {
	calls      []Event
	starts     map[string]sessionMark
	terminates map[string]sessionMark
}

func newTrailFindings() *trailFindings {
	return &trailFindings{starts: map[string]sessionMark{}, terminates: map[string]sessionMark{}}
}

// readTrailFile streams one CloudTrail log file ({"Records":[...]}, already decompressed) and
// keeps what concerns the instance. A record that does not decode is counted and skipped; a file
// that ends early (truncated gzip, JSON cut off) is counted once and its earlier records kept.
func readTrailFile(r io.Reader, object, instanceID string, src *SourceReport, out *trailFindings) {
	dec := json.NewDecoder(r)
	var n int64

	fail := func(err error) {
		src.malformed(recordLocation(object, n+1), fmt.Sprintf("file ends early after %d "+
			"records: %v", n, err), nil)
	}

	if err := expectDelim(dec, '{'); err != nil {
		fail(err)
		return
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			fail(err)
			return
		}
		if key != "Records" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				fail(err)
				return
			}
			continue
		}
		if err := expectDelim(dec, '['); err != nil {
			fail(err)
			return
		}
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				fail(err)
				return
			}
			n++
			src.Records++
			out.add(raw, recordLocation(object, n), instanceID, src)
		}
		if err := expectDelim(dec, ']'); err != nil {
			fail(err)
			return
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		fail(err)
		return
	}

	// Reading on to the end is what verifies a gzip file's checksum and length: a file cut
	// after its last record still decodes, and only its end tells that it was cut.
	tok, err := dec.Token()
	switch {
	case err == nil:
		src.malformed(object, fmt.Sprintf("data after the Records document: %v", tok), nil)
		return
	case !errors.Is(err, io.EOF):
		fail(err)
		return
	}
	if _, err := io.Copy(io.Discard, r); err != nil {
		fail(err)
	}
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("found %v where %q was expected", tok, want)
	}
	return nil
}

// add classifies one record: a call by the host's role, a Session Manager call on the host, or
// something else (ignored, but counted).
func (t *trailFindings) add(raw json.RawMessage, location, instanceID string, src *SourceReport) {
	var rec trailRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		src.malformed(location, "CloudTrail record: "+err.Error(), raw)
		return
	}
	at, err := time.Parse(time.RFC3339Nano, rec.EventTime)
	if err != nil {
		src.malformed(location, fmt.Sprintf("eventTime %q is not RFC 3339", rec.EventTime), raw)
		return
	}
	at = at.UTC()

	switch {
	case roleSessionName(rec.UserIdentity.Type, rec.UserIdentity.Arn) == instanceID:
		t.calls = append(t.calls, apiEvent(rec, at, location))
	case rec.EventSource == "ssm.amazonaws.com":
		if !t.sessionCall(rec, at, location, instanceID) {
			src.Ignored++
		}
	default:
		src.Ignored++
	}
}

// sessionCall records StartSession on the host and any TerminateSession (matched to the host's
// sessions once every source is read).
func (t *trailFindings) sessionCall(rec trailRecord, at time.Time, location, instanceID string) bool {
	var params struct {
		Target    string `json:"target"`
		SessionID string `json:"sessionId"`
	}
	var response struct {
		SessionID string `json:"sessionId"`
	}
	// Malformed parameters simply leave the fields empty: the call then matches no session.
	_ = json.Unmarshal(rec.RequestParameters, &params)
	_ = json.Unmarshal(rec.ResponseElements, &response)

	mark := sessionMark{Time: at, Actor: rec.UserIdentity.Arn, Source: location}
	switch {
	case rec.EventName == "StartSession" && params.Target == instanceID &&
		response.SessionID != "" && rec.ErrorCode == "":
		t.starts[response.SessionID] = mark
		return true
	case rec.EventName == "TerminateSession" && params.SessionID != "" && rec.ErrorCode == "":
		t.terminates[params.SessionID] = mark
		return true
	}
	return false
}

// roleSessionName returns the role session name of an assumed-role principal
// (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION). EC2 names the session of an instance
// profile's credentials after the instance id.
func roleSessionName(identityType, arn string) string {
	if identityType != "AssumedRole" {
		return ""
	}
	_, resource, ok := strings.Cut(arn, ":assumed-role/")
	if !ok {
		return ""
	}
	parts := strings.Split(resource, "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[len(parts)-1]
}

func apiEvent(rec trailRecord, at time.Time, location string) Event {
	verdict := VerdictOK
	switch {
	case deniedErrorCode(rec.ErrorCode):
		verdict = VerdictDenied
	case rec.ErrorCode != "":
		verdict = VerdictError
	}

	service := strings.TrimSuffix(rec.EventSource, ".amazonaws.com")
	return Event{
		Time:    at,
		Kind:    KindAPI,
		Verdict: verdict,
		Blocked: verdict == VerdictDenied,
		Subject: service + ":" + rec.EventName,
		Actor:   rec.UserIdentity.Arn,
		Rule:    rec.ErrorCode,
		Source:  location,
		API: &APICall{
			EventSource:     rec.EventSource,
			EventName:       rec.EventName,
			ErrorCode:       rec.ErrorCode,
			ErrorMessage:    rec.ErrorMessage,
			SourceIPAddress: rec.SourceIPAddress,
			EventID:         rec.EventID,
		},
	}
}

// deniedErrorCode recognises the error codes services return when IAM refused a call:
// AccessDenied (S3, STS), AccessDeniedException (JSON services), Client.UnauthorizedOperation
// (EC2).
func deniedErrorCode(code string) bool {
	return strings.Contains(code, "AccessDenied") || strings.Contains(code, "UnauthorizedOperation")
}
