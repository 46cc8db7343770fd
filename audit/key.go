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
	// InstanceRoleArn is the host's role, which decrypts session data. A platform key leaves it
	// empty and sets HostRolePath instead: its hosts' roles do not exist yet.
	InstanceRoleArn string
	// HostRolePath is the IAM path ("/crucible/hosts/") of every host role that may use the key.
	HostRolePath string
}

// KeyPolicy lets the account administer the key (and so grant its use through IAM policies, as
// the operator policy does), the host's role use it for Session Manager and S3 transcripts, and
// CloudWatch Logs use it for this stack's log groups only.
func KeyPolicy(p KeyPolicyParams) iam.PolicyDocument {
	root := "arn:" + p.Partition + ":iam::" + p.AccountID + ":root"

	return iam.NewPolicyDocument(
		iam.Statement{
			Sid:       "AccountAdministersTheKey",
			Effect:    "Allow",
			Principal: map[string]any{"AWS": root},
			Action:    []string{"kms:*"},
			Resource:  []string{"*"},
		},
		hostKeyStatement(p, root),
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

// newKey creates the customer-managed key, rotated yearly, with the given key policy.
func newKey(ctx *pulumi.Context, name string, args *SessionAuditArgs, policy pulumi.StringOutput,
	parent pulumi.ResourceOption,
) (*kms.Key, error) {
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

// hostKeyStatement lets the host's role use the key. A platform key cannot name roles that
// evaluation stacks create later, so it names the account and lets only roles under the host
// path through: each role still needs its own policy naming the key.
func hostKeyStatement(p KeyPolicyParams, root string) iam.Statement {
	if p.InstanceRoleArn != "" {
		return iam.Statement{
			Sid:       "HostRoleEncryptsSessionsAndTranscripts",
			Effect:    "Allow",
			Principal: map[string]any{"AWS": p.InstanceRoleArn},
			Action:    []string{"kms:Decrypt", "kms:GenerateDataKey"},
			Resource:  []string{"*"},
		}
	}

	return iam.Statement{
		Sid:       "HostRolesUnderThePathEncryptSessionsAndTranscripts",
		Effect:    "Allow",
		Principal: map[string]any{"AWS": root},
		Action:    []string{"kms:Decrypt", "kms:GenerateDataKey"},
		Resource:  []string{"*"},
		Condition: map[string]map[string]any{
			"ArnLike": {"aws:PrincipalArn": "arn:" + p.Partition + ":iam::" + p.AccountID +
				":role" + p.HostRolePath + "*"},
		},
	}
}
