package rules

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// KMSKeyRotation rotates the key material that encrypts transcripts and session data every year,
// which limits what one leaked key version can decrypt.
var KMSKeyRotation = Rule{
	ID:          "kms-key-rotation-enabled",
	Controls:    []string{"KMS.4"},
	Description: "Customer managed KMS keys set enableKeyRotation to true.",
	Level:       Advisory,
	Types:       []string{typeKMSKey},
	Resource: func(_ string, props resource.PropertyMap) []Violation {
		r := &report{}

		// Asymmetric and HMAC keys cannot rotate automatically; only symmetric keys are in scope.
		spec := get(props, "customerMasterKeySpec")
		if s, ok := spec.str(); ok && s != "" && s != "SYMMETRIC_DEFAULT" {
			return nil
		}

		r.requireBool(get(props, "enableKeyRotation"), true,
			"rotation limits what one leaked key version can decrypt")

		return r.out
	},
}

// minimumRetentionDays is CloudWatch.16's default: a year of logs.
const minimumRetentionDays = 365

// LogGroupRetention keeps session and network logs for at least a year, long enough for a late
// investigation; a log group without a retention setting keeps its logs forever, which passes.
var LogGroupRetention = Rule{
	ID:       "log-group-retention-one-year",
	Controls: []string{"CloudWatch.16"},
	Description: "CloudWatch log groups keep their events for at least 365 days " +
		"(retentionInDays unset means forever).",
	Level: Advisory,
	Types: []string{typeLogGroup},
	Resource: func(_ string, props resource.PropertyMap) []Violation {
		r := &report{}

		days := get(props, "retentionInDays")
		switch days.state {
		case unknown:
			r.unknown(days.path)
		case known:
			n, ok := days.number()
			if !ok {
				r.fail("%s is %s, not a number of days", days.path, days.describe())
			} else if n != 0 && n < minimumRetentionDays {
				r.fail("%s is %d; it must be at least %d so a late investigation still finds "+
					"the logs", days.path, int(n), minimumRetentionDays)
			}
		}

		return r.out
	},
}

// LogGroupKMSEncrypted encrypts log groups with the project's key: session streams with
// cloudWatchEncryptionEnabled are only accepted into a log group that has one.
var LogGroupKMSEncrypted = Rule{
	ID:          "log-group-kms-encrypted",
	Description: "CloudWatch log groups name a KMS key (kmsKeyId).",
	Level:       Advisory,
	Types:       []string{typeLogGroup},
	Resource: func(_ string, props resource.PropertyMap) []Violation {
		r := &report{}
		requireNamed(r, get(props, "kmsKeyId"),
			"the log group's events are not encrypted with the project's key")

		return r.out
	},
}
