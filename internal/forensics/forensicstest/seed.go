package forensicstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Seed writes e into real S3 and CloudWatch Logs endpoints (moto_server in the tests): buckets,
// objects, log groups, streams and events, in AWS's formats.
func Seed(ctx context.Context, s3c *s3.Client, logs *cloudwatchlogs.Client, e *Evidence) error {
	for _, bucket := range sortedKeys(e.Objects) {
		_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
		var owned *s3types.BucketAlreadyOwnedByYou
		if err != nil && !errors.As(err, &owned) {
			return fmt.Errorf("create bucket %s: %w", bucket, err)
		}
		if err := seedVersions(ctx, s3c, bucket, e.Overwritten[bucket]); err != nil {
			return err
		}
		for _, key := range sortedKeys(e.Objects[bucket]) {
			_, err := s3c.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String(key),
				Body: bytes.NewReader(e.Objects[bucket][key]),
			})
			if err != nil {
				return fmt.Errorf("put s3://%s/%s: %w", bucket, key, err)
			}
		}
	}

	for _, group := range sortedKeys(e.Logs) {
		_, err := logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{
			LogGroupName: aws.String(group),
		})
		var exists *logtypes.ResourceAlreadyExistsException
		if err != nil && !errors.As(err, &exists) {
			return fmt.Errorf("create log group %s: %w", group, err)
		}
		for _, stream := range sortedKeys(e.Logs[group]) {
			if err := seedStream(ctx, logs, group, stream, e.Logs[group][stream]); err != nil {
				return err
			}
		}
	}
	return nil
}

func seedStream(ctx context.Context, logs *cloudwatchlogs.Client, group, stream string,
	events []LogEvent,
) error {
	_, err := logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{
		LogGroupName: aws.String(group), LogStreamName: aws.String(stream),
	})
	var exists *logtypes.ResourceAlreadyExistsException
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("create log stream %s/%s: %w", group, stream, err)
	}

	// PutLogEvents wants a batch in time order.
	sorted := append([]LogEvent(nil), events...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Time.Before(sorted[j].Time) })
	in := &cloudwatchlogs.PutLogEventsInput{
		LogGroupName: aws.String(group), LogStreamName: aws.String(stream),
	}
	for _, ev := range sorted {
		in.LogEvents = append(in.LogEvents, logtypes.InputLogEvent{
			Timestamp: aws.Int64(ev.Time.UnixMilli()), Message: aws.String(ev.Message),
		})
	}
	out, err := logs.PutLogEvents(ctx, in)
	if err != nil {
		return fmt.Errorf("put log events %s/%s: %w", group, stream, err)
	}
	if r := out.RejectedLogEventsInfo; r != nil {
		return fmt.Errorf("put log events %s/%s: events rejected (too old %v, too new %v, "+
			"expired %v)", group, stream, aws.ToInt32(r.TooOldLogEventEndIndex),
			aws.ToInt32(r.TooNewLogEventStartIndex), aws.ToInt32(r.ExpiredLogEventEndIndex))
	}
	return nil
}

// seedVersions turns versioning on for a bucket with overwritten keys and puts their earlier
// bodies, oldest first, so the current body put afterwards is the latest version.
func seedVersions(ctx context.Context, s3c *s3.Client, bucket string,
	older map[string][][]byte,
) error {
	if len(older) == 0 {
		return nil
	}
	_, err := s3c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{
		Bucket: aws.String(bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{
			Status: s3types.BucketVersioningStatusEnabled,
		},
	})
	if err != nil {
		return fmt.Errorf("enable versioning on %s: %w", bucket, err)
	}
	for _, key := range sortedKeys(older) {
		for _, body := range older[key] {
			_, err := s3c.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
			})
			if err != nil {
				return fmt.Errorf("put an earlier s3://%s/%s: %w", bucket, key, err)
			}
		}
	}
	return nil
}
