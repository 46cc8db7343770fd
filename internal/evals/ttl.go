package evals

import (
	"fmt"
	"time"
)

const (
	// DefaultTTL is how long an evaluation lives when `eval up` is not given --ttl: a working
	// day, so a forgotten host does not run (and cost) for long.
	DefaultTTL = 8 * time.Hour

	// MinTTL and MaxTTL bound --ttl. Below the minimum a host would expire during its own
	// creation; above the maximum it is no longer an evaluation run but a standing host.
	MinTTL = 10 * time.Minute
	MaxTTL = 7 * 24 * time.Hour
)

// ParseTTL reads --ttl: a Go duration such as 90m, 8h or 48h, within [MinTTL, MaxTTL].
func ParseTTL(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("--ttl %q: not a duration; use hours and minutes such as 8h, "+
			"90m or 48h", s)
	}
	if d < MinTTL || d > MaxTTL {
		return 0, fmt.Errorf("--ttl %s: must be between %s and %s", s,
			formatTTL(MinTTL), formatTTL(MaxTTL))
	}
	return d, nil
}

// Expired reports whether an evaluation expiring at expires has passed its TTL at now.
func Expired(expires, now time.Time) bool {
	return !expires.IsZero() && !now.Before(expires)
}

func formatTTL(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dm", int(d.Minutes()))
}
