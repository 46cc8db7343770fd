package rules_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

const (
	bucketType     = "aws:s3/bucketV2:BucketV2"
	legacyBucket   = "aws:s3/bucket:Bucket"
	pabType        = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	bucketPolType  = "aws:s3/bucketPolicy:BucketPolicy"
	versioningType = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	encryptionType = "aws:s3/bucketServerSideEncryptionConfigurationV2:" +
		"BucketServerSideEncryptionConfigurationV2"
	bucketName = "crucible-audit-1a2b3c"
	bucketARN  = "arn:aws:s3:::" + bucketName
)

func auditBucket() rules.Resource {
	r := res(bucketType, "audit", map[string]any{"bucket": bucketName, "arn": bucketARN}, nil)
	r.ID = bucketName

	return r
}

func TestBucketBlocksPublicAccess(t *testing.T) {
	allBlocked := map[string]any{
		"bucket": bucketName, "blockPublicAcls": true, "blockPublicPolicy": true,
		"ignorePublicAcls": true, "restrictPublicBuckets": true,
	}
	policyAllowed := map[string]any{
		"bucket": bucketName, "blockPublicAcls": true, "blockPublicPolicy": false,
		"ignorePublicAcls": true, "restrictPublicBuckets": true,
	}

	runStackCases(t, rules.BucketPublicAccessBlocked, []stackCase{
		{
			name:      "all four settings on passes",
			resources: []rules.Resource{auditBucket(), res(pabType, "audit", allBlocked, nil)},
		},
		{
			name:      "a bucket without a public access block fails",
			resources: []rules.Resource{auditBucket()},
			want: []rules.Violation{failOn(urn(bucketType, "audit"),
				"no BucketPublicAccessBlock blocks public access to this bucket")},
		},
		{
			name:      "a public access block that allows public policies fails",
			resources: []rules.Resource{auditBucket(), res(pabType, "audit", policyAllowed, nil)},
			want: []rules.Violation{failOn(urn(pabType, "audit"), "blockPublicPolicy is false; "+
				"it must be true: transcripts must never become public")},
		},
		{
			name: "a block for an unknown bucket is reported on the bucket",
			resources: []rules.Resource{auditBucket(), res(pabType, "audit",
				map[string]any{"bucket": computed}, nil)},
			want: []rules.Violation{uncheckedOn(urn(bucketType, "audit"), "audit.bucket")},
		},
	})
}

// tlsOnlyPolicy is the statement S3.5 asks for, in the shape the audit component writes.
func tlsOnlyPolicy(t *testing.T, secureTransport any, resources ...string) string {
	t.Helper()

	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": map[string]any{"AWS": "*"},
			"Action": "s3:*", "Resource": resources,
			"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": secureTransport}},
		}},
	}

	text, err := json.Marshal(doc)
	require.NoError(t, err)

	return string(text)
}

func TestBucketRefusesPlainHTTP(t *testing.T) {
	policy := func(text any) rules.Resource {
		return res(bucketPolType, "audit", map[string]any{"bucket": bucketName, "policy": text}, nil)
	}
	noTLS := "policy has no statement that denies s3:* to every principal on the bucket and " +
		"its objects when aws:SecureTransport is false"

	runStackCases(t, rules.BucketTLSOnly, []stackCase{
		{name: "deny without secure transport passes", resources: []rules.Resource{
			auditBucket(), policy(tlsOnlyPolicy(t, "false", bucketARN, bucketARN+"/*")),
		}},
		{name: "a boolean false in the condition passes too", resources: []rules.Resource{
			auditBucket(), policy(tlsOnlyPolicy(t, false, bucketARN, bucketARN+"/*")),
		}},
		{
			name: "a statement that leaves the objects out fails",
			resources: []rules.Resource{
				auditBucket(), policy(tlsOnlyPolicy(t, "false", bucketARN)),
			},
			want: []rules.Violation{failOn(urn(bucketPolType, "audit"), noTLS)},
		},
		{
			name: "a statement on the wrong condition value fails",
			resources: []rules.Resource{
				auditBucket(), policy(tlsOnlyPolicy(t, "true", bucketARN, bucketARN+"/*")),
			},
			want: []rules.Violation{failOn(urn(bucketPolType, "audit"), noTLS)},
		},
		{
			name:      "a bucket without any policy fails",
			resources: []rules.Resource{auditBucket()},
			want: []rules.Violation{failOn(urn(bucketType, "audit"),
				"no bucket policy denies requests without TLS")},
		},
		{
			name:      "a policy that is not JSON fails",
			resources: []rules.Resource{auditBucket(), policy("{Statement")},
			want: []rules.Violation{failOn(urn(bucketPolType, "audit"), "policy is not a JSON "+
				"policy document: invalid character 'S' looking for beginning of object key string")},
		},
		{
			name:      "an unknown policy is reported",
			resources: []rules.Resource{auditBucket(), policy(computed)},
			want:      []rules.Violation{uncheckedOn(urn(bucketPolType, "audit"), "policy")},
		},
	})
}

func TestBucketKeepsVersions(t *testing.T) {
	versioning := func(status any) rules.Resource {
		return res(versioningType, "audit", map[string]any{
			"bucket": bucketName, "versioningConfiguration": map[string]any{"status": status},
		}, nil)
	}

	runStackCases(t, rules.BucketVersioningEnabled, []stackCase{
		{name: "enabled passes", resources: []rules.Resource{auditBucket(), versioning("Enabled")}},
		{
			name:      "suspended fails",
			resources: []rules.Resource{auditBucket(), versioning("Suspended")},
			want: []rules.Violation{failOn(urn(versioningType, "audit"),
				`versioningConfiguration.status is "Suspended"; it must be "Enabled"`)},
		},
		{
			name: "a legacy bucket's inline versioning is read",
			resources: []rules.Resource{res(legacyBucket, "old", map[string]any{
				"bucket": "old", "versioning": map[string]any{"enabled": false},
			}, nil)},
			want: []rules.Violation{failOn(urn(legacyBucket, "old"), "versioning.enabled is false; "+
				"it must be true: deleted transcripts must stay recoverable")},
		},
		{
			name:      "unknown status is reported",
			resources: []rules.Resource{auditBucket(), versioning(computed)},
			want: []rules.Violation{
				uncheckedOn(urn(versioningType, "audit"), "versioningConfiguration.status"),
			},
		},
	})
}

func TestBucketIsEncryptedWithTheProjectKey(t *testing.T) {
	encryption := func(algorithm, key any) rules.Resource {
		return res(encryptionType, "audit", map[string]any{
			"bucket": bucketName,
			"rules": []any{map[string]any{
				"bucketKeyEnabled": true,
				"applyServerSideEncryptionByDefault": map[string]any{
					"sseAlgorithm": algorithm, "kmsMasterKeyId": key,
				},
			}},
		}, nil)
	}
	keyARN := "arn:aws:kms:us-east-1:123456789012:key/0b1c"

	runStackCases(t, rules.BucketKMSEncrypted, []stackCase{
		{
			name:      "SSE-KMS with the project key passes",
			resources: []rules.Resource{auditBucket(), encryption("aws:kms", keyARN)},
		},
		{
			name:      "SSE-S3 fails",
			resources: []rules.Resource{auditBucket(), encryption("AES256", "")},
			want: []rules.Violation{
				failOn(urn(encryptionType, "audit"), "rules[0].applyServerSideEncryptionByDefault."+
					`sseAlgorithm is "AES256"; it must be aws:kms or aws:kms:dsse`),
				failOn(urn(encryptionType, "audit"), "rules[0].applyServerSideEncryptionByDefault."+
					"kmsMasterKeyId is not set; name the project's KMS key, not the AWS managed key"),
			},
		},
		{
			name: "a BucketV2 with only the default inline encryption fails",
			resources: []rules.Resource{res(bucketType, "bare", map[string]any{
				"bucket": "bare",
				"serverSideEncryptionConfigurations": []any{map[string]any{"rules": []any{
					map[string]any{"applyServerSideEncryptionByDefaults": []any{
						map[string]any{"sseAlgorithm": "AES256"},
					}},
				}}},
			}, nil)},
			want: []rules.Violation{
				failOn(urn(bucketType, "bare"), "serverSideEncryptionConfigurations[0].rules[0]."+
					`applyServerSideEncryptionByDefaults[0].sseAlgorithm is "AES256"; it must be `+
					"aws:kms or aws:kms:dsse"),
				failOn(urn(bucketType, "bare"), "serverSideEncryptionConfigurations[0].rules[0]."+
					"applyServerSideEncryptionByDefaults[0].kmsMasterKeyId is not set; name the "+
					"project's KMS key, not the AWS managed key"),
			},
		},
		{
			name:      "a bucket without encryption settings fails",
			resources: []rules.Resource{res(bucketType, "bare", map[string]any{"bucket": "bare"}, nil)},
			want: []rules.Violation{failOn(urn(bucketType, "bare"), "no BucketServerSide"+
				"EncryptionConfigurationV2 sets SSE-KMS as this bucket's default encryption")},
		},
		{
			name:      "an unknown key is reported",
			resources: []rules.Resource{auditBucket(), encryption("aws:kms", computed)},
			want: []rules.Violation{uncheckedOn(urn(encryptionType, "audit"),
				"rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId")},
		},
	})
}
