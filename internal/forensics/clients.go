package forensics

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3API is the part of the S3 client the readers use: listing and reading objects and their
// versions, nothing that writes.
type S3API interface {
	s3.ListObjectsV2APIClient
	s3.ListObjectVersionsAPIClient
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (
		*s3.GetObjectOutput, error)
}

// LogsAPI is the part of the CloudWatch Logs client the readers use.
type LogsAPI interface {
	cloudwatchlogs.FilterLogEventsAPIClient
}

// Clients are the AWS clients evidence is read with.
type Clients struct {
	S3   S3API
	Logs LogsAPI
}

// ClientOptions adjust how the AWS clients are built.
type ClientOptions struct {
	// Profile selects a shared-config profile; empty uses the SDK's default chain.
	Profile string
	// EndpointURL overrides every service endpoint (also read from AWS_ENDPOINT_URL by the SDK),
	// for S3-compatible stores and local emulators.
	EndpointURL string
}

// NewClients builds S3 and CloudWatch Logs clients for the evidence's region with the SDK's
// standard credential chain. With a custom endpoint S3 is addressed path-style, which every
// S3-compatible endpoint serves; AWS itself is addressed the SDK's default way.
func NewClients(ctx context.Context, region string, opts ClientOptions) (Clients, error) {
	loadOpts := []func(*config.LoadOptions) error{config.WithRegion(region)}
	if opts.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.EndpointURL != "" {
		loadOpts = append(loadOpts, config.WithBaseEndpoint(opts.EndpointURL))
	}

	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return Clients{}, fmt.Errorf("forensics: AWS configuration: %w", err)
	}

	custom := cfg.BaseEndpoint != nil && *cfg.BaseEndpoint != ""
	return Clients{
		S3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.UsePathStyle = custom
			// Objects uploaded without a checksum (transcripts, CloudTrail files) are normal
			// here; the SDK's note about each one would only bury the timeline.
			o.DisableLogOutputChecksumValidationSkipped = true
		}),
		Logs: cloudwatchlogs.NewFromConfig(cfg),
	}, nil
}

func s3URL(bucket, key string) string {
	return "s3://" + bucket + "/" + key
}

func logsURL(group, stream string) string {
	return "logs:" + group + "/" + stream
}
