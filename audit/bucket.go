package audit

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/internal/tags"
)

// abortUploadDays drops parts of uploads the agent never finished; they are not transcripts.
const abortUploadDays = 7

// TransitionStorageClass is where transcripts move after TransitionDays: cheap to keep, and read
// back at once when an investigation needs them.
const TransitionStorageClass = "GLACIER_IR"

// Short names for the SDK's longest argument types.
type (
	sseRule         = s3.BucketServerSideEncryptionConfigurationV2RuleArgs
	sseByDefault    = s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs
	lifecycleRule   = s3.BucketLifecycleConfigurationV2RuleArgs
	noncurrentRule  = s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs
	abortUploadRule = s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs
	lockRetention   = s3.BucketObjectLockConfigurationV2RuleDefaultRetentionArgs
)

// BucketPolicy refuses every request to the bucket and its objects that does not use TLS, and
// every object written with a key of the writer's own (SSE-C): the host can write transcripts,
// and an object only the agent can decrypt would be evidence no reviewer can read.
func BucketPolicy(bucketArn string) iam.PolicyDocument {
	return iam.NewPolicyDocument(
		iam.Statement{
			Sid:       "DenyRequestsWithoutTLS",
			Effect:    "Deny",
			Principal: map[string]any{"AWS": "*"},
			Action:    []string{"s3:*"},
			Resource:  []string{bucketArn, bucketArn + "/*"},
			Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
		},
		iam.Statement{
			Sid:       "DenyCustomerProvidedKeys",
			Effect:    "Deny",
			Principal: map[string]any{"AWS": "*"},
			Action:    []string{"s3:PutObject"},
			Resource:  []string{bucketArn + "/*"},
			Condition: map[string]map[string]any{
				"Null": {"s3:x-amz-server-side-encryption-customer-algorithm": "false"},
			},
		},
	)
}

// bucketArn is the ARN of a bucket by name.
func bucketArn(partition, bucket string) string {
	return "arn:" + partition + ":s3:::" + bucket
}

// newBucket creates the transcript bucket and every setting that protects it. The settings take
// the bucket's options, retention included: deleting them would leave retained evidence public,
// unencrypted by default, unversioned or open to plain HTTP.
func newBucket(ctx *pulumi.Context, name string, args *SessionAuditArgs,
	key *kms.Key, opts ...pulumi.ResourceOption,
) (*s3.BucketV2, error) {
	bucketName := BucketName(args.Stack, args.AccountID, args.Region)
	base := name + "-transcripts"

	bucket, err := s3.NewBucketV2(ctx, base, &s3.BucketV2Args{
		Bucket: pulumi.String(bucketName),
		// Never empty the bucket to delete it: transcripts go only by lifecycle or by hand.
		ForceDestroy: pulumi.Bool(false),
		Tags:         tags.Named(args.Tags, base),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("transcript bucket: %w", err)
	}

	policy, err := BucketPolicy(bucketArn(args.Partition, bucketName)).JSON()
	if err != nil {
		return nil, fmt.Errorf("transcript bucket policy: %w", err)
	}

	if err := protectBucket(ctx, base, bucket, key, policy, opts); err != nil {
		return nil, fmt.Errorf("transcript bucket %w", err)
	}

	if err := keepVersions(ctx, base, bucket, args, opts); err != nil {
		return nil, fmt.Errorf("transcript bucket %w", err)
	}

	return bucket, nil
}

// protectBucket blocks public access, enforces bucket-owner ownership, refuses plain HTTP and
// encrypts every object with the stack's key.
func protectBucket(ctx *pulumi.Context, base string, bucket *s3.BucketV2, key *kms.Key,
	policy string, opts []pulumi.ResourceOption,
) error {
	if _, err := s3.NewBucketPublicAccessBlock(ctx, base+"-public-access-block",
		&s3.BucketPublicAccessBlockArgs{
			Bucket:                bucket.ID(),
			BlockPublicAcls:       pulumi.Bool(true),
			BlockPublicPolicy:     pulumi.Bool(true),
			IgnorePublicAcls:      pulumi.Bool(true),
			RestrictPublicBuckets: pulumi.Bool(true),
		}, opts...); err != nil {
		return fmt.Errorf("public access block: %w", err)
	}

	if _, err := s3.NewBucketOwnershipControls(ctx, base+"-ownership",
		&s3.BucketOwnershipControlsArgs{
			Bucket: bucket.ID(),
			Rule: &s3.BucketOwnershipControlsRuleArgs{
				ObjectOwnership: pulumi.String("BucketOwnerEnforced"),
			},
		}, opts...); err != nil {
		return fmt.Errorf("ownership controls: %w", err)
	}

	if _, err := s3.NewBucketPolicy(ctx, base+"-policy", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: pulumi.String(policy),
	}, opts...); err != nil {
		return fmt.Errorf("policy: %w", err)
	}

	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, base+"-encryption",
		&s3.BucketServerSideEncryptionConfigurationV2Args{
			Bucket: bucket.ID(),
			Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&sseRule{
				ApplyServerSideEncryptionByDefault: &sseByDefault{
					SseAlgorithm:   pulumi.String("aws:kms"),
					KmsMasterKeyId: key.Arn,
				},
				// One data key per bucket rather than per object: fewer KMS calls, same key.
				BucketKeyEnabled: pulumi.Bool(true),
			}},
		}, opts...); err != nil {
		return fmt.Errorf("encryption: %w", err)
	}

	return nil
}

// keepVersions turns versioning on, expires transcripts after the retention and, when asked,
// locks each one in governance mode.
func keepVersions(ctx *pulumi.Context, base string, bucket *s3.BucketV2, args *SessionAuditArgs,
	opts []pulumi.ResourceOption,
) error {
	versioning, err := s3.NewBucketVersioningV2(ctx, base+"-versioning", &s3.BucketVersioningV2Args{
		Bucket: bucket.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{
			Status: pulumi.String("Enabled"),
		},
	}, opts...)
	if err != nil {
		return fmt.Errorf("versioning: %w", err)
	}

	// Lifecycle rules on versions and Object Lock both need versioning on first.
	versioned := slices.Concat(opts, []pulumi.ResourceOption{
		pulumi.DependsOn([]pulumi.Resource{versioning}),
	})

	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, base+"-lifecycle",
		&s3.BucketLifecycleConfigurationV2Args{
			Bucket: bucket.ID(),
			Rules:  s3.BucketLifecycleConfigurationV2RuleArray{lifecycle(args)},
		}, versioned...); err != nil {
		return fmt.Errorf("lifecycle: %w", err)
	}

	if args.ObjectLockDays == 0 {
		return nil
	}

	// Object Lock can be turned on for an existing versioned bucket, so enabling it later
	// never replaces the bucket and its evidence.
	if _, err := s3.NewBucketObjectLockConfigurationV2(ctx, base+"-object-lock",
		&s3.BucketObjectLockConfigurationV2Args{
			Bucket:            bucket.ID(),
			ObjectLockEnabled: pulumi.String("Enabled"),
			Rule: &s3.BucketObjectLockConfigurationV2RuleArgs{
				DefaultRetention: &lockRetention{
					Mode: pulumi.String("GOVERNANCE"),
					Days: pulumi.Int(args.ObjectLockDays),
				},
			},
		}, versioned...); err != nil {
		return fmt.Errorf("object lock: %w", err)
	}

	return nil
}

// lifecycle keeps every transcript, current or overwritten, for RetentionDays and then deletes
// it, after an optional move to a colder storage class.
func lifecycle(args *SessionAuditArgs) *lifecycleRule {
	rule := &lifecycleRule{
		Id:     pulumi.String("expire-transcripts"),
		Status: pulumi.String("Enabled"),
		Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
		Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{
			Days: pulumi.Int(args.RetentionDays),
		},
		NoncurrentVersionExpiration: &noncurrentRule{
			NoncurrentDays: pulumi.Int(args.RetentionDays),
		},
		AbortIncompleteMultipartUpload: &abortUploadRule{
			DaysAfterInitiation: pulumi.Int(abortUploadDays),
		},
	}

	if args.TransitionDays > 0 {
		rule.Transitions = s3.BucketLifecycleConfigurationV2RuleTransitionArray{
			&s3.BucketLifecycleConfigurationV2RuleTransitionArgs{
				Days:         pulumi.Int(args.TransitionDays),
				StorageClass: pulumi.String(TransitionStorageClass),
			},
		}
	}

	return rule
}
