package audit

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// s3BucketName is S3's naming rule for general purpose buckets, without dots (which break TLS
// for virtual-hosted addressing) and without the reserved prefixes and suffixes.
var s3BucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

func TestBucketNameIsTheStackAccountAndRegionWhenTheyFit(t *testing.T) {
	assert.Equal(t, "crucible-audit-dev-123456789012-us-east-1",
		BucketName("dev", "123456789012", "us-east-1"))
	assert.Equal(t, "crucible-audit-eval-7-210987654321-ap-southeast-2",
		BucketName("eval-7", "210987654321", "ap-southeast-2"))
}

func TestBucketNameHashesStackNamesS3CannotHold(t *testing.T) {
	cases := []struct{ stack, want string }{
		{"Dev", "crucible-audit-dev-"},
		{"eval_run.7", "crucible-audit-eval-run-7-"},
		{strings.Repeat("long-stack-name-", 6), "crucible-audit-long-stack-"},
		{"___", "crucible-audit-"},
	}

	seen := map[string]string{"dev": BucketName("dev", "123456789012", "us-gov-west-1")}
	for _, tc := range cases {
		got := BucketName(tc.stack, "123456789012", "us-gov-west-1")

		assert.True(t, strings.HasPrefix(got, tc.want), "%q: %s", tc.stack, got)
		assert.True(t, strings.HasSuffix(got, "-123456789012-us-gov-west-1"), "%q: %s", tc.stack, got)
		assert.Regexp(t, s3BucketName, got, "%q must give a valid S3 bucket name", tc.stack)
		assert.LessOrEqual(t, len(got), 63, "%q: %s", tc.stack, got)
		assert.NotContains(t, got, "--", "%q: %s", tc.stack, got)

		for other, name := range seen {
			assert.NotEqual(t, name, got, "stacks %q and %q must not share a bucket", other, tc.stack)
		}

		seen[tc.stack] = got
	}
}

func TestBucketNameIsStableForAStack(t *testing.T) {
	stack := "Eval_" + strings.Repeat("x", 80)

	assert.Equal(t, BucketName(stack, "123456789012", "eu-west-1"),
		BucketName(stack, "123456789012", "eu-west-1"))
}

func TestSessionDocumentNameFollowsSSMRules(t *testing.T) {
	name, err := SessionDocumentName("dev")
	require.NoError(t, err)
	assert.Equal(t, "crucible-dev-sessions", name)

	longest := strings.Repeat("s", 100) // Pulumi's longest stack name
	name, err = SessionDocumentName(longest)
	require.NoError(t, err)
	assert.Len(t, name, 118)

	_, err = SessionDocumentName(strings.Repeat("s", 111))
	require.EqualError(t, err, `session document name "crucible-`+strings.Repeat("s", 111)+
		`-sessions" is not a valid SSM document name (3 to 128 of A-Z, a-z, 0-9, _, - and .); `+
		`use a shorter stack name`)
}

func TestLogGroupsAndTranscriptsAreFiledPerStack(t *testing.T) {
	assert.Equal(t, "/crucible/dev/sessions", LogGroupName("dev"))
	assert.Equal(t, "/crucible/dev/*", LogGroupPattern("dev"))
	assert.Equal(t, "sessions/dev/", TranscriptStackPrefix("dev"))
	assert.Equal(t, "sessions/dev/i-0123456789abcdef0", TranscriptPrefix("dev", "i-0123456789abcdef0"))
}
