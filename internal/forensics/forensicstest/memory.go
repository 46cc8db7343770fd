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

// GetObject returns an object's body.
func (m *Memory) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (
	*s3.GetObjectOutput, error,
) {
	body, ok := m.evidence.Objects[aws.ToString(in.Bucket)][aws.ToString(in.Key)]
	if !ok {
		return nil, &s3types.NoSuchKey{Message: aws.String("no such key")}
	}
	return &s3.GetObjectOutput{
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: aws.Int64(int64(len(body))),
	}, nil
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
