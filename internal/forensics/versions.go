package forensics

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// The host role may write under the transcript prefix, so the agent can overwrite or delete a
// transcript after the agent uploaded it. A versioned bucket keeps what was there before; the
// timeline flags such keys and the export copies every version.

// eachObjectVersion lists every version and delete marker under prefix, page by page.
func eachObjectVersion(ctx context.Context, api S3API, bucket, prefix string,
	version func(s3types.ObjectVersion) error, marker func(s3types.DeleteMarkerEntry),
) error {
	pages := s3.NewListObjectVersionsPaginator(api, &s3.ListObjectVersionsInput{
		Bucket: aws.String(bucket),
		Prefix: aws.String(prefix),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list versions of %s: %w", s3URL(bucket, prefix), err)
		}
		for _, v := range page.Versions {
			if err := version(v); err != nil {
				return err
			}
		}
		for _, d := range page.DeleteMarkers {
			marker(d)
		}
	}
	return nil
}

// flagRewritten records in src each key under prefix with more than one version or a delete
// marker. A listing the reader may not make (s3:ListBucketVersions) is counted as malformed,
// naming what was not checked, and the timeline goes on.
func flagRewritten(ctx context.Context, api S3API, bucket, prefix string, src *SourceReport) error {
	byKey := map[string]*Rewritten{}
	entry := func(key string) *Rewritten {
		r, ok := byKey[key]
		if !ok {
			r = &Rewritten{Location: s3URL(bucket, key)}
			byKey[key] = r
		}
		return r
	}
	err := eachObjectVersion(ctx, api, bucket, prefix, func(v s3types.ObjectVersion) error {
		entry(str(v.Key)).Versions++
		return nil
	}, func(d s3types.DeleteMarkerEntry) {
		r := entry(str(d.Key))
		r.DeleteMarkers++
		r.Deleted = r.Deleted || aws.ToBool(d.IsLatest)
	})
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("forensics: %w", err)
		}
		src.malformed(s3URL(bucket, prefix), "rewritten objects not checked: "+err.Error(), nil)
		return nil
	}

	for _, r := range byKey {
		if r.Versions > 1 || r.DeleteMarkers > 0 {
			src.Rewritten = append(src.Rewritten, *r)
		}
	}
	sort.Slice(src.Rewritten, func(i, j int) bool {
		return src.Rewritten[i].Location < src.Rewritten[j].Location
	})
	return nil
}
