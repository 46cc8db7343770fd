package forensics

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Filter narrows a timeline. The zero Filter keeps everything.
type Filter struct {
	// Since and Until bound event times (Since inclusive, Until exclusive); zero means open.
	Since time.Time
	Until time.Time
	// Kinds keeps only these kinds; empty keeps all.
	Kinds []Kind
	// BlockedOnly keeps only what the sandbox stopped: blocked DNS queries, rejected
	// connections, denied API calls.
	BlockedOnly bool
}

// Validate rejects a window that ends before it starts.
func (f Filter) Validate() error {
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
		return fmt.Errorf("--until (%s) must be after --since (%s)",
			f.Until.Format(time.RFC3339), f.Since.Format(time.RFC3339))
	}
	return nil
}

// Keep reports whether an event passes the filter.
func (f Filter) Keep(e *Event) bool {
	if !f.inWindow(e.Time) {
		return false
	}
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, e.Kind) {
		return false
	}
	return !f.BlockedOnly || e.Blocked
}

func (f Filter) wants(k Kind) bool {
	if f.BlockedOnly && (k == KindSession || k == KindCommand) {
		return false
	}
	return len(f.Kinds) == 0 || slices.Contains(f.Kinds, k)
}

func (f Filter) inWindow(t time.Time) bool {
	if !f.Since.IsZero() && t.Before(f.Since) {
		return false
	}
	return f.Until.IsZero() || t.Before(f.Until)
}

// trailDeliveryMargin bounds how long after a call CloudTrail delivers the file holding it
// (typically minutes), generously.
const trailDeliveryMargin = time.Hour

// coversDeliveryDay reports whether a CloudTrail log file delivered on day (YYYY/MM/DD, from its
// key) can hold records in the window. A file is delivered after the calls it holds, so days
// before the window's start cannot, and days after its end plus the delivery margin cannot.
func (f Filter) coversDeliveryDay(day string) bool {
	d, err := time.Parse("2006/01/02", day)
	if err != nil {
		return false
	}
	if !f.Since.IsZero() && !d.AddDate(0, 0, 1).After(f.Since) {
		return false
	}
	return f.Until.IsZero() || d.Before(f.Until.Add(trailDeliveryMargin))
}

// ParseTime reads a --since/--until value: an RFC 3339 time ("2025-03-01T10:00:00Z"), a date
// ("2025-03-01", midnight UTC) or a duration before now ("90m", "2h").
func ParseTime(flag, value string, now time.Time) (time.Time, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, value); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, value); err == nil {
		return t.UTC(), nil
	}
	if d, err := time.ParseDuration(value); err == nil && d > 0 {
		return now.Add(-d).UTC(), nil
	}
	return time.Time{}, fmt.Errorf(
		"%s: %q is not a time (use RFC 3339 like 2025-03-01T10:00:00Z, a date like "+
			"2025-03-01, or a positive duration before now like 90m)", flag, value)
}
