package forensicstest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/crucible-sandbox/crucible/internal/forensics"
)

// Memory serves evidence through the forensics client interfaces without a network. Pages are
// deliberately small so readers exercise pagination.
type Memory struct {
	evidence *Evidence
	PageSize int
}

// NewMemory serves e.
func NewMemory(e *Evidence) *Memory {
	return &Memory{evidence: e, PageSize: 2}
}

// Clients returns forensics clients backed by m.
func (m *Memory) Clients() forensics.Clients {
	return forensics.Clients{S3: m, Logs: m}
}

// ListObjectsV2 lists keys in order, PageSize at a time.
func (m *Memory) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input,
	_ ...func(*s3.Options),
) (*s3.ListObjectsV2Output, error) {
	objects, ok := m.evidence.Objects[aws.ToString(in.Bucket)]
	if !ok {
		return nil, &s3types.NoSuchBucket{Message: aws.String("no such bucket")}
	}
	var keys []string
	for k := range objects {
		if strings.HasPrefix(k, aws.ToString(in.Prefix)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)

	from := 0
	if in.ContinuationToken != nil {
		from, _ = strconv.Atoi(*in.ContinuationToken)
	}
	to := min(from+m.PageSize, len(keys))
	out := &s3.ListObjectsV2Output{IsTruncated: aws.Bool(to < len(keys))}
	for _, k := range keys[from:to] {
		out.Contents = append(out.Contents, s3types.Object{
			Key: aws.String(k), Size: aws.Int64(int64(len(objects[k]))),
		})
	}
	if to < len(keys) {
		out.NextContinuationToken = aws.String(strconv.Itoa(to))
	}
	return out, nil
}

// GetObject returns an object's body, or with VersionId one of its versions: "v0" is the
// oldest, and the current body is "vN" after N overwritten ones.
func (m *Memory) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (
	*s3.GetObjectOutput, error,
) {
	bucket, key := aws.ToString(in.Bucket), aws.ToString(in.Key)
	body, ok := m.evidence.Objects[bucket][key]
	if !ok {
		return nil, &s3types.NoSuchKey{Message: aws.String("no such key")}
	}
	older := m.evidence.Overwritten[bucket][key]
	version := versionID(len(older))
	if in.VersionId != nil && *in.VersionId != version {
		n, err := strconv.Atoi(strings.TrimPrefix(*in.VersionId, "v"))
		if err != nil || n < 0 || n >= len(older) {
			return nil, &s3types.NoSuchKey{Message: aws.String("no such version")}
		}
		body, version = older[n], *in.VersionId
	}
	return &s3.GetObjectOutput{
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: aws.Int64(int64(len(body))),
		VersionId:     aws.String(version),
	}, nil
}

// ListObjectVersions lists every version of the keys under the prefix in one page, newest
// first within a key, as S3 does.
func (m *Memory) ListObjectVersions(_ context.Context, in *s3.ListObjectVersionsInput,
	_ ...func(*s3.Options),
) (*s3.ListObjectVersionsOutput, error) {
	bucket := aws.ToString(in.Bucket)
	objects, ok := m.evidence.Objects[bucket]
	if !ok {
		return nil, &s3types.NoSuchBucket{Message: aws.String("no such bucket")}
	}
	var keys []string
	for k := range objects {
		if strings.HasPrefix(k, aws.ToString(in.Prefix)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)

	out := &s3.ListObjectVersionsOutput{IsTruncated: aws.Bool(false)}
	for _, k := range keys {
		older := m.evidence.Overwritten[bucket][k]
		out.Versions = append(out.Versions, s3types.ObjectVersion{
			Key: aws.String(k), VersionId: aws.String(versionID(len(older))),
			IsLatest: aws.Bool(true), Size: aws.Int64(int64(len(objects[k]))),
		})
		for n := len(older) - 1; n >= 0; n-- {
			out.Versions = append(out.Versions, s3types.ObjectVersion{
				Key: aws.String(k), VersionId: aws.String(versionID(n)),
				IsLatest: aws.Bool(false), Size: aws.Int64(int64(len(older[n]))),
			})
		}
	}
	return out, nil
}

func versionID(n int) string {
	return "v" + strconv.Itoa(n)
}

// FilterLogEvents returns a group's events in time order, PageSize at a time.
func (m *Memory) FilterLogEvents(_ context.Context, in *cloudwatchlogs.FilterLogEventsInput,
	_ ...func(*cloudwatchlogs.Options),
) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	streams, ok := m.evidence.Logs[aws.ToString(in.LogGroupName)]
	if !ok {
		return nil, &logtypes.ResourceNotFoundException{Message: aws.String("no such group")}
	}

	var events []logtypes.FilteredLogEvent
	for _, name := range sortedKeys(streams) {
		for i, ev := range streams[name] {
			ms := ev.Time.UnixMilli()
			if in.StartTime != nil && ms < *in.StartTime || in.EndTime != nil && ms > *in.EndTime {
				continue
			}
			events = append(events, logtypes.FilteredLogEvent{
				LogStreamName: aws.String(name),
				Timestamp:     aws.Int64(ms),
				Message:       aws.String(ev.Message),
				EventId:       aws.String(name + "-" + strconv.Itoa(i)),
			})
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return *events[i].Timestamp < *events[j].Timestamp })

	from := 0
	if in.NextToken != nil {
		var err error
		if from, err = strconv.Atoi(*in.NextToken); err != nil {
			return nil, errors.New("bad next token")
		}
	}
	to := min(from+m.PageSize, len(events))
	out := &cloudwatchlogs.FilterLogEventsOutput{Events: events[from:to]}
	if to < len(events) {
		out.NextToken = aws.String(strconv.Itoa(to))
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
