package forensics

import (
	"fmt"
	"sync"
)

// maxSamples bounds how many malformed records are kept with their reason; the count stays exact.
const maxSamples = 20

// excerptBytes bounds how much of a malformed record is kept to show the reviewer.
const excerptBytes = 160

// Malformed describes one record that could not be read.
type Malformed struct {
	// Location names the object or log stream and the record within it.
	Location string `json:"location"`
	Reason   string `json:"reason"`
	// Excerpt is the start of the raw record, verbatim (hostile; neutralise before showing).
	Excerpt string `json:"excerpt,omitempty"`
}

// SourceReport counts what one evidence source yielded.
type SourceReport struct {
	Source string `json:"source"`
	// Location is where the source was read, e.g. the log group or the bucket and prefix.
	Location string `json:"location"`
	// Objects counts S3 objects or log streams read.
	Objects int64 `json:"objects"`
	// Records counts records read, well-formed or not.
	Records int64 `json:"records"`
	// Kept counts events that passed the filter.
	Kept int64 `json:"kept"`
	// Ignored counts well-formed records that are not about the host (another instance, a
	// flow log NODATA/SKIPDATA record, a call by another principal) and log events delivered
	// again with an id already read.
	Ignored int64 `json:"ignored"`
	// MalformedCount counts records that could not be read; Malformed keeps the first few.
	MalformedCount int64       `json:"malformedCount"`
	Malformed      []Malformed `json:"malformed,omitempty"`
	// Rewritten lists objects the bucket keeps more than one version of: what was read is
	// the latest, and the agent may have written it over the original.
	Rewritten []Rewritten `json:"rewritten,omitempty"`
	// Skipped says why the source was not read at all (e.g. the stack does not output it).
	Skipped string `json:"skipped,omitempty"`
}

// Rewritten is one object with earlier versions or delete markers in a versioned bucket.
type Rewritten struct {
	Location      string `json:"location"`
	Versions      int    `json:"versions"`
	DeleteMarkers int    `json:"deleteMarkers,omitempty"`
	// Deleted means the latest version is a delete marker: the key no longer lists, and only
	// its earlier versions (in `audit export`) hold what was there.
	Deleted bool `json:"deleted,omitempty"`
}

// Report is the account of a whole read: one SourceReport per source, in a fixed order.
type Report struct {
	mu      sync.Mutex
	sources map[string]*SourceReport
}

// Source names used in reports, in display order.
const (
	SourceTranscripts   = "session transcripts (S3)"
	SourceSessionStream = "session streams (CloudWatch Logs)"
	SourceDNS           = "resolver query logs"
	SourceFlow          = "VPC flow logs"
	SourceCloudTrail    = "CloudTrail"
)

var sourceOrder = []string{
	SourceTranscripts, SourceSessionStream, SourceDNS, SourceFlow, SourceCloudTrail,
}

func newReport() *Report {
	return &Report{sources: map[string]*SourceReport{}}
}

// source returns the report for a source, creating it on first use.
func (r *Report) source(name, location string) *SourceReport {
	r.mu.Lock()
	defer r.mu.Unlock()

	s, ok := r.sources[name]
	if !ok {
		s = &SourceReport{Source: name, Location: location}
		r.sources[name] = s
	}
	return s
}

func (r *Report) skip(name, why string) {
	r.source(name, "").Skipped = why
}

// Sources lists the source reports in display order.
func (r *Report) Sources() []SourceReport {
	r.mu.Lock()
	defer r.mu.Unlock()

	out := make([]SourceReport, 0, len(r.sources))
	for _, name := range sourceOrder {
		if s, ok := r.sources[name]; ok {
			out = append(out, *s)
		}
	}
	return out
}

// malformed counts one unreadable record. Each source is filled by one goroutine, so the
// counters need no lock of their own.
func (s *SourceReport) malformed(location, reason string, raw []byte) {
	s.MalformedCount++
	if len(s.Malformed) >= maxSamples {
		return
	}

	excerpt := raw
	if len(excerpt) > excerptBytes {
		excerpt = excerpt[:excerptBytes]
	}
	s.Malformed = append(s.Malformed, Malformed{
		Location: location,
		Reason:   reason,
		Excerpt:  string(excerpt),
	})
}

func recordLocation(object string, n int64) string {
	return fmt.Sprintf("%s record %d", object, n)
}
