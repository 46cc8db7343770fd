package network

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
)

// LogGroupArgs describe the encrypted log group a recording control writes to.
type LogGroupArgs struct {
	// Name is the log group's fixed name, such as /crucible/dev/flow-logs: the audit key's policy
	// lets CloudWatch Logs use the key for the stack's /crucible/<stack>/ groups only. Required.
	Name string
	// KmsKeyArn is the customer-managed key the events are encrypted with. Required.
	KmsKeyArn pulumi.StringInput
	// RetentionDays is how long events are kept. Required.
	RetentionDays int
	// DeleteEvidenceOnDestroy lets `pulumi destroy` delete the log group. Default false: it is
	// retained, because deleting a sandbox must not delete the record of what ran in it.
	DeleteEvidenceOnDestroy bool
}

func (l LogGroupArgs) validate() error {
	switch {
	case !strings.HasPrefix(l.Name, "/"):
		return fmt.Errorf("log group name %q must be a path such as /crucible/<stack>/flow-logs",
			l.Name)
	case l.KmsKeyArn == nil:
		return fmt.Errorf("log group %s: KmsKeyArn is required; evidence is never stored "+
			"unencrypted", l.Name)
	case l.RetentionDays < 1:
		return fmt.Errorf("log group %s: RetentionDays is required", l.Name)
	}

	return nil
}

// newLogGroup creates the log group, encrypted with the key and kept for the retention.
func newLogGroup(
	ctx *pulumi.Context, name string, l LogGroupArgs, common map[string]string,
	parent pulumi.ResourceOption,
) (*cloudwatch.LogGroup, error) {
	group, err := cloudwatch.NewLogGroup(ctx, name, &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(l.Name),
		KmsKeyId:        l.KmsKeyArn,
		RetentionInDays: pulumi.Int(l.RetentionDays),
		Tags:            tags.Named(common, name),
	}, parent, pulumi.RetainOnDelete(!l.DeleteEvidenceOnDestroy))
	if err != nil {
		return nil, fmt.Errorf("log group %s: %w", l.Name, err)
	}

	return group, nil
}
