package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// namePrefix starts every name the audit component gives AWS; it also keeps the session document
// clear of the aws, amazon and amzn prefixes SSM reserves.
const namePrefix = "crucible"

// S3 bucket names are 3 to 63 characters; SSM document names 3 to 128.
const (
	maxBucketNameLen   = 63
	maxDocumentNameLen = 128
)

var (
	documentNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_\-.]{3,128}$`)
	bucketUnsafe        = regexp.MustCompile(`[^a-z0-9]+`)
)

// LogGroupName is the session log group of a stack. The prefix /crucible/<stack>/ is shared with
// the stack's other log groups, so one key policy condition covers them all.
func LogGroupName(stack string) string {
	return "/" + namePrefix + "/" + stack + "/sessions"
}

// LogGroupPattern matches the names of every log group of a stack.
func LogGroupPattern(stack string) string {
	return "/" + namePrefix + "/" + stack + "/*"
}

// TranscriptPrefix is the S3 key prefix of one host's transcripts: per stack, then per instance,
// so the objects of one host can be listed on their own.
func TranscriptPrefix(stack, instanceID string) string {
	return TranscriptStackPrefix(stack) + instanceID
}

// TranscriptStackPrefix is the S3 key prefix of every transcript of a stack, ending in "/".
func TranscriptStackPrefix(stack string) string {
	return "sessions/" + stack + "/"
}

// SessionDocumentName is the stack's session preferences document. It never is the account-wide
// default (SSM-SessionManagerRunShell), which other stacks and people may change.
func SessionDocumentName(stack string) (string, error) {
	name := namePrefix + "-" + stack + "-sessions"
	if len(name) > maxDocumentNameLen || !documentNamePattern.MatchString(name) {
		return "", fmt.Errorf("session document name %q is not a valid SSM document name "+
			"(3 to %d of A-Z, a-z, 0-9, _, - and .); use a shorter stack name",
			name, maxDocumentNameLen)
	}

	return name, nil
}

// BucketName is the stack's transcript bucket. S3 names are global, so the account and region are
// part of it; a stack name that S3 cannot hold as it is (upper case, _ or ., too long) is
// shortened and followed by a hash of the original, so two stacks never share a bucket.
func BucketName(stack, accountID, region string) string {
	head := namePrefix + "-audit-"
	tail := "-" + accountID + "-" + region

	safe := strings.Trim(bucketUnsafe.ReplaceAllString(strings.ToLower(stack), "-"), "-")
	room := maxBucketNameLen - len(head) - len(tail)

	if safe == stack && len(safe) <= room && safe != "" {
		return head + safe + tail
	}

	sum := sha256.Sum256([]byte(stack))
	hash := hex.EncodeToString(sum[:])[:8]

	keep := room - len(hash) - 1
	if keep < 0 {
		keep = 0
	}

	if len(safe) > keep {
		safe = strings.TrimRight(safe[:keep], "-")
	}

	if safe == "" {
		return head + hash + tail
	}

	return head + safe + "-" + hash + tail
}
