package audit

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/internal/tags"
)

// keyDeletionWindowDays is KMS's longest waiting period: a key deleted by mistake can be
// recovered for a month, and with it the evidence it encrypts.
const keyDeletionWindowDays = 30

// KeyPolicyParams are the facts the key policy names.
type KeyPolicyParams struct {
	Partition, DNSSuffix, Region, AccountID, Stack string
	// InstanceRoleArn is the host's role, which decrypts session data.
	InstanceRoleArn string
}

// KeyPolicy lets the account administer the key (and so grant its use through IAM policies, as
// the operator policy does), the host's role use it for Session Manager and S3 transcripts, and
// CloudWatch Logs use it for this stack's log groups only.
func KeyPolicy(p KeyPolicyParams) iam.PolicyDocument {
	return iam.NewPolicyDocument(
		iam.Statement{
			Sid:       "AccountAdministersTheKey",
			Effect:    "Allow",
			Principal: map[string]any{"AWS": "arn:" + p.Partition + ":iam::" + p.AccountID + ":root"},
			Action:    []string{"kms:*"},
			Resource:  []string{"*"},
		},
		iam.Statement{
			Sid:       "HostRoleEncryptsSessionsAndTranscripts",
			Effect:    "Allow",
			Principal: map[string]any{"AWS": p.InstanceRoleArn},
			Action:    []string{"kms:Decrypt", "kms:GenerateDataKey"},
			Resource:  []string{"*"},
		},
		iam.Statement{
			Sid:       "CloudWatchLogsEncryptsThisStacksLogGroups",
			Effect:    "Allow",
			Principal: map[string]any{"Service": "logs." + p.Region + "." + p.DNSSuffix},
			Action: []string{
				"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
				"kms:Describe*",
			},
			Resource: []string{"*"},
			Condition: map[string]map[string]any{
				"ArnLike": {"kms:EncryptionContext:aws:logs:arn": logGroupArn(p.Partition,
					p.Region, p.AccountID, LogGroupPattern(p.Stack))},
			},
		},
	)
}

// newKey creates the customer-managed key, rotated yearly.
func (c *SessionAudit) newKey(ctx *pulumi.Context, name string, args *SessionAuditArgs,
	parent pulumi.ResourceOption,
) (*kms.Key, error) {
	policy := args.InstanceRoleArn.ToStringOutput().ApplyT(func(role string) (string, error) {
		return KeyPolicy(KeyPolicyParams{
			Partition: args.Partition, DNSSuffix: args.DNSSuffix, Region: args.Region,
			AccountID: args.AccountID, Stack: args.Stack, InstanceRoleArn: role,
		}).JSON()
	}).(pulumi.StringOutput)

	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description: pulumi.String("Crucible " + args.Stack + ": session data, transcripts " +
			"and session logs"),
		KeyUsage:             pulumi.String("ENCRYPT_DECRYPT"),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(keyDeletionWindowDays),
		Policy:               policy,
		Tags:                 tags.Named(args.Tags, name+"-key"),
	}, parent, args.retain())
	if err != nil {
		return nil, fmt.Errorf("key: %w", err)
	}

	return key, nil
}

// logGroupArn is the ARN of a log group (or a pattern of them) by name.
func logGroupArn(partition, region, account, group string) string {
	return "arn:" + partition + ":logs:" + region + ":" + account + ":log-group:" + group
}
