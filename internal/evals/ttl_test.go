package evals

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTTLAcceptsDurationsWithinBounds(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"8h": 8 * time.Hour, "90m": 90 * time.Minute, "10m": 10 * time.Minute,
		"168h": 168 * time.Hour, "1h30m": 90 * time.Minute,
	} {
		got, err := ParseTTL(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
}

func TestParseTTLRejectsWithTheFlagAndTheBounds(t *testing.T) {
	for in, want := range map[string]string{
		"9m":      "--ttl 9m: must be between 10m and 168h",
		"169h":    "--ttl 169h: must be between 10m and 168h",
		"-1h":     "--ttl -1h: must be between 10m and 168h",
		"8 hours": `--ttl "8 hours": not a duration; use hours and minutes such as 8h, 90m or 48h`,
		"2d":      `--ttl "2d": not a duration`,
		"":        `--ttl "": not a duration`,
	} {
		_, err := ParseTTL(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want)
	}
}

func TestExpiredAtAndAfterTheExpiryTime(t *testing.T) {
	expires := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	assert.False(t, Expired(expires, expires.Add(-time.Second)), "a second before")
	assert.True(t, Expired(expires, expires), "at the expiry time")
	assert.True(t, Expired(expires, expires.Add(time.Hour)), "after")
	assert.False(t, Expired(time.Time{}, expires), "no recorded expiry never expires")
}
