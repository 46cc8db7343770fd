package forensics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// deliveryDelay widens CloudWatch Logs queries around the requested window: a record's own time
// (a flow's start, a query's timestamp) can precede its log event by the delivery interval.
const deliveryDelay = 15 * time.Minute

// errLogGroupMissing reports a log group that does not exist; the source is skipped, not failed.
var errLogGroupMissing = errors.New("log group does not exist")

// eachObject lists the objects under prefix, page by page, and calls fn for each.
func eachObject(ctx context.Context, api S3API, bucket, prefix string,
	fn func(s3types.Object) error,
) error {
	pages := s3.NewListObjectsV2Paginator(api, &s3.ListObjectsV2Input{
		Bucket: aws.String(bucket),
		Prefix: aws.String(prefix),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("forensics: list s3://%s/%s: %w", bucket, prefix, err)
		}
		for _, obj := range page.Contents {
			if err := fn(obj); err != nil {
				return err
			}
		}
	}
	return nil
}

// openObject streams one object's body; the caller closes it. The error is the service's own:
// the caller decides whether it ends the read or only this object.
func openObject(ctx context.Context, api S3API, bucket, key string) (io.ReadCloser, error) {
	out, err := api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	return out.Body, nil
}

// unreadableObject records an object that listed but could not be read, and goes on: the host
// role can write objects its reader cannot read (SSE-C with the agent's own key, say), and
// one such object must not hide the rest of the evidence. A cancelled read still stops.
func unreadableObject(ctx context.Context, src *SourceReport, object string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("forensics: read %s: %w", object, err)
	}
	src.malformed(object, "object unreadable: "+err.Error(), nil)
	return nil
}

// eachLogEvent pages through every event of a log group within the filter's window (widened by
// deliveryDelay) and calls fn for each.
func eachLogEvent(ctx context.Context, api LogsAPI, group string, f Filter,
	fn func(logtypes.FilteredLogEvent) error,
) error {
	in := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(group)}
	if !f.Since.IsZero() {
		in.StartTime = aws.Int64(f.Since.Add(-deliveryDelay).UnixMilli())
	}
	if !f.Until.IsZero() {
		in.EndTime = aws.Int64(f.Until.Add(deliveryDelay).UnixMilli())
	}

	pages := cloudwatchlogs.NewFilterLogEventsPaginator(api, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		var missing *logtypes.ResourceNotFoundException
		if errors.As(err, &missing) {
			return errLogGroupMissing
		}
		if err != nil {
			return fmt.Errorf("forensics: read log group %s: %w", group, err)
		}
		for _, ev := range page.Events {
			if err := fn(ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// countingReader reports bytes read to the progress display.
type countingReader struct {
	r        io.Reader
	progress *progressCounter
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.progress.addBytes(int64(n))
	return n, err
}

// limitedReader fails, rather than ends quietly, once more than max bytes were read: a
// decompressed object that large is refused as malformed instead of filling memory or disk.
type limitedReader struct {
	r    io.Reader
	left int64
	max  int64
}

var errObjectTooLarge = errors.New("object larger than the read limit")

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// At the limit exactly: only a further byte makes the object too large.
		var probe [1]byte
		if n, err := l.r.Read(probe[:]); n == 0 && err != nil {
			return 0, err
		}
		return 0, fmt.Errorf("%w (%d bytes)", errObjectTooLarge, l.max)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
