package rules

import (
	"strings"
)

// The audit bucket holds the session transcripts: the record of everything done on the host. The
// bucket rules pair each bucket with its companion resources (public access block, policy,
// versioning, encryption) by the companion's bucket property, and fall back to the bucket's own
// inline settings where no companion exists.

// BucketPublicAccessBlocked keeps transcripts from ever being published by an ACL or a policy.
var BucketPublicAccessBlocked = Rule{
	ID:       "s3-bucket-public-access-blocked",
	Controls: []string{"S3.8"},
	Description: "Every bucket has a BucketPublicAccessBlock with blockPublicAcls, " +
		"blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
	Level: Mandatory,
	Stack: func(resources []Resource) []Violation {
		return checkBuckets(resources, bucketAspect{
			companionType:  typeBucketPublicAccessBlock,
			missing:        "no BucketPublicAccessBlock blocks public access to this bucket",
			checkCompanion: checkPublicAccessBlock,
		})
	},
}

func checkPublicAccessBlock(r *report, pab Resource, _ Resource) {
	const why = "transcripts must never become public"

	for _, key := range []string{
		"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets",
	} {
		r.requireBool(get(pab.Properties, key), true, why)
	}
}

// BucketTLSOnly refuses every request that does not use TLS.
var BucketTLSOnly = Rule{
	ID:       "s3-bucket-tls-only",
	Controls: []string{"S3.5"},
	Description: "Every bucket's policy denies s3:* to every principal when aws:SecureTransport " +
		"is false, on the bucket and on its objects.",
	Level: Mandatory,
	Stack: func(resources []Resource) []Violation {
		return checkBuckets(resources, bucketAspect{
			companionType: typeBucketPolicy,
			missing:       "no bucket policy denies requests without TLS",
			checkCompanion: func(r *report, policy, bucket Resource) {
				checkTLSOnly(r, get(policy.Properties, "policy"), bucket)
			},
			inlineKey:   "policy",
			checkInline: checkTLSOnly,
		})
	},
}

// checkTLSOnly looks for the statement that denies plain-HTTP requests.
func checkTLSOnly(r *report, policy field, bucket Resource) {
	doc, ok := readPolicy(r, policy)
	if !ok {
		return
	}

	arn, _ := get(bucket.Properties, "arn").str()
	for _, s := range doc.Statements {
		if !strings.EqualFold(s.Effect, "Deny") || !s.anyPrincipal() || !s.coversAction("s3:*") {
			continue
		}

		values, ok := s.condition("Bool", "aws:SecureTransport")
		if !ok || len(values) != 1 || !strings.EqualFold(values[0], "false") {
			continue
		}

		if arn == "" || (resourceMatchesAny(s.Resources, arn) &&
			resourceMatchesAny(s.Resources, arn+"/*")) {
			return
		}
	}

	r.fail("%s has no statement that denies s3:* to every principal on the bucket and its "+
		"objects when aws:SecureTransport is false", policy.path)
}

// readPolicy parses a policy document property, reporting an unknown or unreadable one.
func readPolicy(r *report, policy field) (policyDocument, bool) {
	switch policy.state {
	case unknown:
		r.unknown(policy.path)
		return policyDocument{}, false
	case absent:
		r.fail("%s is not set", policy.path)
		return policyDocument{}, false
	}

	text, ok := policy.str()
	if !ok {
		r.fail("%s is %s, not a JSON policy document", policy.path, policy.describe())
		return policyDocument{}, false
	}

	doc, err := parsePolicy(text)
	if err != nil {
		r.fail("%s %v", policy.path, err)
		return policyDocument{}, false
	}

	return doc, true
}

// BucketVersioningEnabled keeps overwritten or deleted transcripts recoverable.
var BucketVersioningEnabled = Rule{
	ID:       "s3-bucket-versioning-enabled",
	Controls: []string{"S3.14"},
	Description: "Every bucket has versioning enabled (a BucketVersioningV2 with status " +
		"\"Enabled\"), so a deleted or overwritten transcript can be recovered.",
	Level: Advisory,
	Stack: func(resources []Resource) []Violation {
		return checkBuckets(resources, bucketAspect{
			companionType: typeBucketVersioningV2,
			missing:       "no BucketVersioningV2 enables versioning on this bucket",
			checkCompanion: func(r *report, v, _ Resource) {
				status := get(v.Properties, "versioningConfiguration", "status")
				requireString(r, status, "Enabled")
			},
			inlineKey:   inlineVersioningKey,
			checkInline: checkInlineVersioning,
		})
	},
}

// inlineVersioningKey is read from Bucket (versioning) and BucketV2 (versionings) alike: the
// check below looks at both shapes.
const inlineVersioningKey = "versioning"

func checkInlineVersioning(r *report, f field, _ Resource) {
	for _, v := range f.items() {
		r.requireBool(v.sub("enabled"), true, "deleted transcripts must stay recoverable")
	}
}

// BucketKMSEncrypted encrypts transcripts with the project's KMS key, so reading them needs a
// key grant as well as bucket access.
var BucketKMSEncrypted = Rule{
	ID:       "s3-bucket-kms-encrypted",
	Controls: []string{"S3.4", "S3.17"},
	Description: "Every bucket's default encryption is SSE-KMS (aws:kms or aws:kms:dsse) with " +
		"a named KMS key.",
	Level: Mandatory,
	Stack: func(resources []Resource) []Violation {
		return checkBuckets(resources, bucketAspect{
			companionType: typeBucketEncryptionV2,
			missing: "no BucketServerSideEncryptionConfigurationV2 sets SSE-KMS as this " +
				"bucket's default encryption",
			checkCompanion: func(r *report, enc, _ Resource) {
				rules := get(enc.Properties, "rules")
				if rules.state == unknown {
					r.unknown(rules.path)
					return
				}

				if len(rules.items()) == 0 {
					r.fail("%s is empty: the bucket has no default encryption", rules.path)
				}

				for _, rule := range rules.items() {
					checkSSEDefault(r, rule.sub("applyServerSideEncryptionByDefault"))
				}
			},
			inlineKey:   "serverSideEncryptionConfiguration",
			checkInline: checkInlineEncryption,
		})
	},
}

// checkInlineEncryption reads Bucket's single rule and BucketV2's lists of rules alike.
func checkInlineEncryption(r *report, conf field, _ Resource) {
	checked := 0
	for _, c := range conf.items() {
		for _, rule := range append(c.sub("rule").items(), c.sub("rules").items()...) {
			for _, def := range append(rule.sub("applyServerSideEncryptionByDefault").items(),
				rule.sub("applyServerSideEncryptionByDefaults").items()...) {
				checkSSEDefault(r, def)
				checked++
			}
		}
	}

	if checked == 0 {
		r.fail("%s sets no default encryption", conf.path)
	}
}

// checkSSEDefault checks one applyServerSideEncryptionByDefault block.
func checkSSEDefault(r *report, def field) {
	if def.state == unknown {
		r.unknown(def.path)
		return
	}

	algorithm := def.sub("sseAlgorithm")
	switch algorithm.state {
	case unknown:
		r.unknown(algorithm.path)
	default:
		if s, _ := algorithm.str(); s != "aws:kms" && s != "aws:kms:dsse" {
			r.fail("%s is %s; it must be aws:kms or aws:kms:dsse", algorithm.path,
				algorithm.describe())
		}
	}

	key := def.sub("kmsMasterKeyId")
	switch key.state {
	case unknown:
		r.unknown(key.path)
	default:
		if s, _ := key.str(); s == "" {
			r.fail("%s is not set; name the project's KMS key, not the AWS managed key",
				key.path)
		}
	}
}

// bucketAspect describes one of the settings every bucket must have.
type bucketAspect struct {
	// companionType is the resource type that carries the setting for a bucket.
	companionType string
	// missing is the message when a bucket has neither a companion nor an inline setting.
	missing string
	// checkCompanion checks one companion of the bucket.
	checkCompanion func(r *report, companion, bucket Resource)
	// inlineKey names the bucket's own property for the setting (Bucket's singular name;
	// BucketV2's plural, with an s, is read too); empty when there is none.
	inlineKey string
	// checkInline checks the bucket's inline setting.
	checkInline func(r *report, f field, bucket Resource)
}

// checkBuckets checks one aspect for every bucket of the stack.
func checkBuckets(resources []Resource, a bucketAspect) []Violation {
	r := &report{}
	candidates := ofType(resources, a.companionType)

	for _, b := range ofType(resources, typeBucket, typeBucketV2) {
		found, unresolvedPaths := companions(b, candidates, "bucket", "bucket")
		for _, c := range found {
			r.about(c.URN, func(sub *report) { a.checkCompanion(sub, c, b) })
		}

		if len(found) > 0 {
			continue
		}

		if len(unresolvedPaths) > 0 {
			r.unknownOn(b.URN, strings.Join(unresolvedPaths, ", "))
			continue
		}

		if inline, ok := inlineSetting(b, a.inlineKey); ok {
			if inline.state == unknown {
				r.unknownOn(b.URN, inline.path)
				continue
			}

			r.about(b.URN, func(sub *report) { a.checkInline(sub, inline, b) })
			continue
		}

		r.failOn(b.URN, "%s", a.missing)
	}

	return r.out
}

// inlineSetting returns the bucket's own setting when it has one that is not empty.
func inlineSetting(bucket Resource, key string) (field, bool) {
	if key == "" {
		return field{}, false
	}

	for _, k := range []string{key, key + "s"} {
		f := get(bucket.Properties, k)
		if f.state == unknown {
			return f, true
		}

		if s, ok := f.str(); ok && s == "" {
			continue
		}

		if f.state == known && len(f.items()) > 0 {
			return f, true
		}
	}

	return field{}, false
}
