package audit

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
)

// newLogGroup creates the log group sessions stream to, encrypted with the stack's key. The agent
// refuses to stream to a group without a key when cloudWatchEncryptionEnabled is set.
func newLogGroup(ctx *pulumi.Context, name string, args *SessionAuditArgs,
	key *kms.Key, opts ...pulumi.ResourceOption,
) (*cloudwatch.LogGroup, error) {
	group, err := cloudwatch.NewLogGroup(ctx, name+"-sessions", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(LogGroupName(args.Stack)),
		KmsKeyId:        key.Arn,
		RetentionInDays: pulumi.Int(args.RetentionDays),
		Tags:            tags.Named(args.Tags, name+"-sessions"),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("session log group: %w", err)
	}

	return group, nil
}
