package audit

import "github.com/crucible-sandbox/crucible/iam"

// HostLoggingPolicyParams are the resources the host's logging permissions are scoped to.
type HostLoggingPolicyParams struct {
	Partition, Region, AccountID  string
	Bucket, TranscriptStackPrefix string
	LogGroup                      string
	KeyArn                        string
}

// HostLoggingPolicy is exactly what the Session Manager agent needs to log a session: write
// transcripts under the stack's prefix, check the bucket's encryption, stream to the session log
// group and find it, and use the key. Only DescribeLogGroups is on "*": it lists log groups and
// takes no log group resource.
func HostLoggingPolicy(p HostLoggingPolicyParams) iam.PolicyDocument {
	bucket := bucketArn(p.Partition, p.Bucket)
	group := logGroupArn(p.Partition, p.Region, p.AccountID, p.LogGroup)

	return iam.NewPolicyDocument(
		iam.Statement{
			Sid:      "WriteTranscripts",
			Effect:   "Allow",
			Action:   []string{"s3:PutObject"},
			Resource: []string{bucket + "/" + p.TranscriptStackPrefix + "*"},
		},
		iam.Statement{
			Sid:      "CheckTranscriptBucketEncryption",
			Effect:   "Allow",
			Action:   []string{"s3:GetEncryptionConfiguration"},
			Resource: []string{bucket},
		},
		iam.Statement{
			Sid:    "StreamSessions",
			Effect: "Allow",
			Action: []string{
				"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents",
			},
			Resource: []string{group, group + ":*"},
		},
		iam.Statement{
			Sid:      "FindSessionLogGroup",
			Effect:   "Allow",
			Action:   []string{"logs:DescribeLogGroups"},
			Resource: []string{"*"},
		},
		iam.Statement{
			Sid:      "UseSessionKey",
			Effect:   "Allow",
			Action:   []string{"kms:Decrypt", "kms:GenerateDataKey"},
			Resource: []string{p.KeyArn},
		},
	)
}
