package mockcloud

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// auditSpecs are the types of session audit and operator access.
var auditSpecs = withBucketSettings(map[string]spec{
	"aws:kms/key:Key": func(r *created) string {
		id := r.seed[:8] + "-" + r.seed[8:12] + "-" + r.seed[12:16] + "-" + r.seed[16:20] + "-" +
			r.seed[20:32]
		r.setString("keyId", id)
		r.setString("arn", r.arn("kms", "key/"+id))
		r.setString("keyUsage", "ENCRYPT_DECRYPT")
		r.setString("customerMasterKeySpec", "SYMMETRIC_DEFAULT")
		r.set("isEnabled", resource.NewBoolProperty(true))
		r.set("multiRegion", resource.NewBoolProperty(false))
		r.set("bypassPolicyLockoutSafetyCheck", resource.NewBoolProperty(false))
		r.set("rotationPeriodInDays", resource.NewNumberProperty(365))
		r.tagsAll()

		return id
	},
	"aws:s3/bucketV2:BucketV2": func(r *created) string {
		name := r.bucketName()
		r.setString("arn", "arn:aws:s3:::"+name)
		r.setString("bucketDomainName", name+".s3.amazonaws.com")
		r.setString("bucketRegionalDomainName", name+".s3."+r.cloud.region+".amazonaws.com")
		r.setString("hostedZoneId", "Z3AQBSTGFYJSTF")
		r.setString("region", r.cloud.region)
		r.setString("requestPayer", "BucketOwner")
		r.set("objectLockEnabled", resource.NewBoolProperty(false))
		r.set("forceDestroy", resource.NewBoolProperty(false))
		r.tagsAll()

		return name
	},
	"aws:cloudwatch/logGroup:LogGroup": func(r *created) string {
		name := r.autoname("name")
		r.setString("arn", r.arn("logs", "log-group:"+name))
		r.setString("logGroupClass", "STANDARD")
		r.set("skipDestroy", resource.NewBoolProperty(false))
		r.tagsAll()

		return name
	},
	"aws:ssm/document:Document": func(r *created) string {
		name := r.autoname("name")
		content := r.str("content")
		sum := sha256.Sum256([]byte(content))

		var parsed struct {
			SchemaVersion string `json:"schemaVersion"`
			Description   string `json:"description"`
		}
		_ = json.Unmarshal([]byte(content), &parsed)

		r.setString("arn", r.arn("ssm", "document/"+name))
		r.setString("createdDate", "2026-01-01T00:00:00Z")
		r.setString("defaultVersion", "1")
		r.setString("documentVersion", "1")
		r.setString("latestVersion", "1")
		r.setString("hash", hex.EncodeToString(sum[:]))
		r.setString("hashType", "Sha256")
		r.setString("owner", r.cloud.account)
		r.setString("schemaVersion", parsed.SchemaVersion)
		r.setString("description", parsed.Description)
		r.setString("status", "Active")
		r.set("platformTypes", strings2("Windows", "Linux", "MacOS"))
		r.tagsAll()

		return name
	},
})

// bucketSettingTypes configure one aspect of a bucket each; S3 keys them by the bucket's name.
var bucketSettingTypes = []string{
	"aws:s3/bucketVersioningV2:BucketVersioningV2",
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls",
	"aws:s3/bucketPolicy:BucketPolicy",
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
	"aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
}

// withBucketSettings adds the bucket setting types to specs: their id is the bucket's name.
func withBucketSettings(specs map[string]spec) map[string]spec {
	for _, typ := range bucketSettingTypes {
		specs[typ] = func(r *created) string { return r.str("bucket") }
	}

	return specs
}

// bucketName returns the bucket's name as given, or as the provider autonames it: the prefix (or
// the logical name) and a suffix, lower case as S3 requires.
func (r *created) bucketName() string {
	if v := r.str("bucket"); v != "" {
		return v
	}

	v := r.name + "-" + r.seed[:7]
	if p := r.str("bucketPrefix"); p != "" {
		v = p + r.seed[:26]
	}

	r.out["bucket"] = resource.NewStringProperty(v)

	return v
}
