package forensics

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Defaults for Options fields left zero.
const (
	DefaultMaxEvents      = 1_000_000
	DefaultMaxObjectBytes = 1 << 30
)

// Options say where to read and how much to keep.
type Options struct {
	Locations Locations
	Filter    Filter
	// MaxEvents bounds the events a timeline holds (memory); more is an error asking for a
	// narrower filter. MaxLine bounds one line of a transcript, MaxTranscriptLines the lines
	// kept per transcript, MaxObjectBytes one decompressed S3 object.
	MaxEvents          int
	MaxLine            int
	MaxTranscriptLines int
	MaxObjectBytes     int64
	// Progress, when set, shows the pull on a terminal.
	Progress *Progress
}

func (o *Options) defaults() {
	if o.MaxEvents <= 0 {
		o.MaxEvents = DefaultMaxEvents
	}
	if o.MaxLine <= 0 {
		o.MaxLine = DefaultMaxLine
	}
	if o.MaxTranscriptLines <= 0 {
		o.MaxTranscriptLines = DefaultMaxTranscriptLines
	}
	if o.MaxObjectBytes <= 0 {
		o.MaxObjectBytes = DefaultMaxObjectBytes
	}
}

// Timeline is the merged, ordered account of an evaluation.
type Timeline struct {
	Locations Locations      `json:"locations"`
	Filter    Filter         `json:"-"`
	Events    []Event        `json:"events"`
	Sessions  []*Session     `json:"sessions"`
	Sources   []SourceReport `json:"sources"`
}

// ErrTooManyEvents means the filter kept more events than Options.MaxEvents.
var ErrTooManyEvents = errors.New("too many events")

// Collect reads every source the locations name, concurrently, and merges the result. A source
// whose location is not set (or whose log group does not exist) is reported as skipped; an AWS
// error listing or reading a source that exists fails the whole collection, so a reviewer never
// mistakes a partial timeline for a complete one. One object that lists but cannot be read
// (the agent can upload objects its reviewer cannot decrypt) is counted as malformed, with its
// key, and the rest is read.
func Collect(ctx context.Context, clients Clients, opts Options) (*Timeline, error) {
	opts.defaults()
	if err := opts.Locations.Validate(); err != nil {
		return nil, err
	}
	if err := opts.Filter.Validate(); err != nil {
		return nil, fmt.Errorf("forensics: %w", err)
	}

	c := &collection{
		clients: clients,
		opts:    opts,
		report:  newReport(),
		book:    newSessionBook(),
		trail:   newTrailFindings(),
		closed:  map[string]time.Time{},
	}
	c.budget.Store(int64(opts.MaxEvents))

	readers := []func(context.Context) error{
		c.readTranscripts, c.readSessionStreams, c.readQueryLogs, c.readFlowLogs, c.readTrail,
	}
	errs := make([]error, len(readers))
	var wg sync.WaitGroup
	for i, read := range readers {
		wg.Go(func() { errs[i] = read(ctx) })
	}
	wg.Wait()
	opts.Progress.Done()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	return c.merge()
}

// collection is the state of one Collect call. Each reader owns its own slice and source report.
type collection struct {
	clients Clients
	opts    Options
	report  *Report
	budget  atomic.Int64

	book   *sessionBook
	bookMu sync.Mutex
	trail  *trailFindings
	closed map[string]time.Time

	dns, flow, trailCalls []Event
}

func (c *collection) keep(dst *[]Event, src *SourceReport, e Event) error {
	if !c.opts.Filter.Keep(&e) {
		return nil
	}
	if c.budget.Add(-1) < 0 {
		return fmt.Errorf("forensics: more than %d events match: %w; narrow the timeline "+
			"with --since/--until/--kind or raise --max-events", c.opts.MaxEvents,
			ErrTooManyEvents)
	}
	if src != nil {
		src.Kept++
	}
	*dst = append(*dst, e)
	return nil
}

func (c *collection) readTranscripts(ctx context.Context) error {
	loc := c.opts.Locations
	if loc.AuditBucketName == "" {
		c.report.skip(SourceTranscripts, "the evaluation has no auditBucketName output")
		return nil
	}

	prefix := strings.TrimSuffix(loc.AuditTranscriptPrefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	src := c.report.source(SourceTranscripts, s3URL(loc.AuditBucketName, prefix))
	progress := c.opts.Progress.counter("transcripts")

	err := eachObject(ctx, c.clients.S3, loc.AuditBucketName, prefix, func(obj s3types.Object) error {
		key := str(obj.Key)
		id, ok := transcriptSessionID(loc.AuditTranscriptPrefix, key)
		if !ok {
			src.Ignored++
			return nil
		}
		src.Objects++
		progress.addObject()

		object := s3URL(loc.AuditBucketName, key)
		body, err := openObject(ctx, c.clients.S3, loc.AuditBucketName, key)
		if err != nil {
			return unreadableObject(ctx, src, object, err)
		}
		defer body.Close()

		r := &limitedReader{
			r: countingReader{body, progress}, left: c.opts.MaxObjectBytes,
			max: c.opts.MaxObjectBytes,
		}
		t, err := readTranscript(r, object, id, c.opts.MaxLine, c.opts.MaxTranscriptLines, src)
		if err != nil {
			src.malformed(object, err.Error(), nil)
		}
		src.Records += int64(len(t.Lines)) + t.Omitted

		c.bookMu.Lock()
		defer c.bookMu.Unlock()
		c.book.addTranscript(t)
		if obj.LastModified != nil {
			c.closed[id] = obj.LastModified.UTC()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flagRewritten(ctx, c.clients.S3, loc.AuditBucketName, prefix, src)
}

func (c *collection) readSessionStreams(ctx context.Context) error {
	group := c.opts.Locations.SessionLogGroupName
	if group == "" {
		c.report.skip(SourceSessionStream, "the evaluation has no sessionLogGroupName output")
		return nil
	}
	src := c.report.source(SourceSessionStream, "logs:"+group)

	err := c.eachLogRecord(ctx, group, src, "streams", func(stream, location string,
		message []byte,
	) error {
		rec, at, err := parseSessionStreamRecord(message, c.opts.Locations.InstanceID)
		if errors.Is(err, errOtherSource) {
			src.Ignored++
			return nil
		}
		if err != nil {
			src.malformed(location, err.Error(), message)
			return nil
		}

		c.bookMu.Lock()
		defer c.bookMu.Unlock()
		c.book.addStreamRecord(rec, at, logsURL(group, stream))
		return nil
	})
	return c.missingGroup(err, SourceSessionStream, group)
}

func (c *collection) readQueryLogs(ctx context.Context) error {
	group := c.opts.Locations.DNSQueryLogGroupName
	if group == "" {
		c.report.skip(SourceDNS, "the evaluation has no dnsQueryLogGroupName output")
		return nil
	}
	if !c.opts.Filter.wants(KindDNS) {
		c.report.skip(SourceDNS, "not asked for (--kind)")
		return nil
	}
	src := c.report.source(SourceDNS, "logs:"+group)

	err := c.eachLogRecord(ctx, group, src, "dns", func(stream, location string,
		message []byte,
	) error {
		e, err := parseQueryLog(message, c.opts.Locations.InstanceID)
		if errors.Is(err, errOtherSource) {
			src.Ignored++
			return nil
		}
		if err != nil {
			src.malformed(location, err.Error(), message)
			return nil
		}
		e.Source = logsURL(group, stream)
		return c.keep(&c.dns, src, e)
	})
	return c.missingGroup(err, SourceDNS, group)
}

func (c *collection) readFlowLogs(ctx context.Context) error {
	group := c.opts.Locations.FlowLogGroupName
	if group == "" {
		c.report.skip(SourceFlow, "the evaluation has no flowLogGroupName output")
		return nil
	}
	if !c.opts.Filter.wants(KindFlow) {
		c.report.skip(SourceFlow, "not asked for (--kind)")
		return nil
	}
	src := c.report.source(SourceFlow, "logs:"+group)

	err := c.eachLogRecord(ctx, group, src, "flow", func(stream, location string,
		message []byte,
	) error {
		e, err := parseFlowLog(message)
		if errors.Is(err, errFlowNoData) {
			src.Ignored++
			return nil
		}
		if err != nil {
			src.malformed(location, "flow log record: "+err.Error(), message)
			return nil
		}
		e.Source = logsURL(group, stream)
		return c.keep(&c.flow, src, e)
	})
	return c.missingGroup(err, SourceFlow, group)
}

// eachLogRecord reads a log group's events, counting streams, records and bytes, and hands each
// message to fn with the stream name and a location naming the event.
func (c *collection) eachLogRecord(ctx context.Context, group string, src *SourceReport,
	progressName string, fn func(stream, location string, message []byte) error,
) error {
	progress := c.opts.Progress.counter(progressName)
	seen := map[string]bool{}
	// A page fetched again after a retried request repeats its events; an event id is unique,
	// so a repeat is counted as ignored rather than shown twice.
	events := map[string]bool{}

	return eachLogEvent(ctx, c.clients.Logs, group, c.opts.Filter,
		func(ev logtypes.FilteredLogEvent) error {
			if id := str(ev.EventId); id != "" {
				if events[id] {
					src.Ignored++

					return nil
				}

				events[id] = true
			}

			stream := str(ev.LogStreamName)
			if !seen[stream] {
				seen[stream] = true
				src.Objects++
				progress.addObject()
			}
			message := []byte(str(ev.Message))
			src.Records++
			progress.addRecord()
			progress.addBytes(int64(len(message)))
			return fn(stream, logsURL(group, stream)+" event "+str(ev.EventId), message)
		})
}

func (c *collection) missingGroup(err error, source, group string) error {
	if errors.Is(err, errLogGroupMissing) {
		c.report.skip(source, "log group "+group+" does not exist")
		return nil
	}
	return err
}

// trailKey matches a CloudTrail log file key and captures its delivery day:
// AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_..._.json.gz.
var trailKey = regexp.MustCompile(`AWSLogs/(?:o-[a-z0-9]+/)?[0-9]{12}/CloudTrail/[a-z0-9-]+/` +
	`([0-9]{4}/[0-9]{2}/[0-9]{2})/[^/]+\.json\.gz$`)

func (c *collection) readTrail(ctx context.Context) error {
	loc := c.opts.Locations
	if loc.TrailBucketName == "" {
		c.report.skip(SourceCloudTrail, "no --trail-bucket given (CloudTrail is account-level)")
		return nil
	}

	prefix := strings.TrimSuffix(loc.TrailPrefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	prefix += "AWSLogs/"
	src := c.report.source(SourceCloudTrail, s3URL(loc.TrailBucketName, prefix))
	progress := c.opts.Progress.counter("cloudtrail")

	err := eachObject(ctx, c.clients.S3, loc.TrailBucketName, prefix, func(obj s3types.Object) error {
		key := str(obj.Key)
		m := trailKey.FindStringSubmatch(key)
		if m == nil || !c.opts.Filter.coversDeliveryDay(m[1]) {
			src.Ignored++
			return nil
		}
		src.Objects++
		progress.addObject()

		object := s3URL(loc.TrailBucketName, key)
		body, err := openObject(ctx, c.clients.S3, loc.TrailBucketName, key)
		if err != nil {
			return unreadableObject(ctx, src, object, err)
		}
		defer body.Close()

		gz, err := gzip.NewReader(countingReader{body, progress})
		if err != nil {
			src.malformed(object, "not a gzip file: "+err.Error(), nil)
			return nil
		}
		defer gz.Close()

		r := &limitedReader{r: gz, left: c.opts.MaxObjectBytes, max: c.opts.MaxObjectBytes}
		readTrailFile(r, object, loc.InstanceID, src, c.trail)
		return nil
	})
	if err != nil {
		return err
	}

	for _, e := range c.trail.calls {
		if err := c.keep(&c.trailCalls, src, e); err != nil {
			return err
		}
	}
	return nil
}

// merge settles the sessions and orders every kept event by time. Ties keep a fixed source
// order (sessions and commands, DNS, flows, API calls) and each source's own order.
func (c *collection) merge() (*Timeline, error) {
	c.book.settle(c.trail, c.opts.Locations.TrailBucketName != "", c.closed)
	sessions := c.book.sessions()

	// Session rows draw on several sources, so they count against no single one.
	var sessionEvents []Event
	for _, s := range sessions {
		for _, e := range s.events() {
			if err := c.keep(&sessionEvents, nil, e); err != nil {
				return nil, err
			}
		}
	}

	events := slices.Concat(sessionEvents, c.dns, c.flow, c.trailCalls)
	slices.SortStableFunc(events, func(a, b Event) int {
		return a.Time.Compare(b.Time)
	})

	return &Timeline{
		Locations: c.opts.Locations,
		Filter:    c.opts.Filter,
		Events:    events,
		Sessions:  sessions,
		Sources:   c.report.Sources(),
	}, nil
}

// str dereferences an optional SDK string.
func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
