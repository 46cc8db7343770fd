package audit

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// HostRolePath is the IAM path of every evaluation host's role. A platform key grants its use to
// roles under this path, because the roles of evaluation stacks are created after the key.
const HostRolePath = "/crucible/hosts/"

// EvidenceStoreArgs configure an EvidenceStore: the shared part of session audit that a platform
// stack builds once for every evaluation.
type EvidenceStoreArgs struct {
	// Partition, DNSSuffix, Region, AccountID and Stack are as in SessionAuditArgs; Stack is the
	// platform stack, and names the bucket, the key and the log groups. Required.
	Partition, DNSSuffix, Region, AccountID, Stack string
	// HostRolePath is the IAM path of the host roles that may use the key, starting and ending
	// with "/". Default HostRolePath.
	HostRolePath string
	// RetentionDays, TransitionDays, ObjectLockDays and DeleteEvidenceOnDestroy are as in
	// SessionAuditArgs.
	RetentionDays, TransitionDays, ObjectLockDays int
	DeleteEvidenceOnDestroy                       bool
	// Tags are merged into every taggable child. Default: none.
	Tags map[string]string
}

// EvidenceStore is the key, transcript bucket and session log group that every evaluation host of
// a platform records its sessions to.
type EvidenceStore struct {
	pulumi.ResourceState

	KeyArn       pulumi.StringOutput
	KeyID        pulumi.StringOutput
	BucketName   pulumi.StringOutput
	LogGroupName pulumi.StringOutput
	LogGroupArn  pulumi.StringOutput
}

// NewEvidenceStore builds the shared evidence store. Arguments are validated before anything is
// registered.
func NewEvidenceStore(
	ctx *pulumi.Context, name string, args *EvidenceStoreArgs, opts ...pulumi.ResourceOption,
) (*EvidenceStore, error) {
	if args == nil {
		return nil, fmt.Errorf("audit: evidence store %q: args are required", name)
	}

	full := args.sessionArgs()
	if err := full.validateEvidence(); err != nil {
		return nil, fmt.Errorf("audit: evidence store %q: %w", name, err)
	}

	path := args.HostRolePath
	if path == "" {
		path = HostRolePath
	}

	if !strings.HasPrefix(path, "/") || !strings.HasSuffix(path, "/") {
		return nil, fmt.Errorf("audit: evidence store %q: %w", name,
			errors.New("HostRolePath must start and end with /"))
	}

	c := &EvidenceStore{}
	if err := ctx.RegisterComponentResource("crucible:audit:EvidenceStore", name, c,
		opts...); err != nil {
		return nil, fmt.Errorf("audit: evidence store %q: %w", name, err)
	}

	policy, err := KeyPolicy(KeyPolicyParams{
		Partition: args.Partition, DNSSuffix: args.DNSSuffix, Region: args.Region,
		AccountID: args.AccountID, Stack: args.Stack, HostRolePath: path,
	}).JSON()
	if err != nil {
		return nil, fmt.Errorf("audit: evidence store %q: key policy: %w", name, err)
	}

	ev, err := newEvidence(ctx, name, full, pulumi.String(policy).ToStringOutput(),
		pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("audit: evidence store %q: %w", name, err)
	}

	c.KeyArn = ev.key.Arn
	c.KeyID = ev.key.KeyId
	c.BucketName = ev.bucket.Bucket
	c.LogGroupName = ev.group.Name
	c.LogGroupArn = ev.group.Arn

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"keyArn":       c.KeyArn,
		"keyId":        c.KeyID,
		"bucketName":   c.BucketName,
		"logGroupName": c.LogGroupName,
		"logGroupArn":  c.LogGroupArn,
	}); err != nil {
		return nil, fmt.Errorf("audit: evidence store %q: %w", name, err)
	}

	return c, nil
}

func (a *EvidenceStoreArgs) sessionArgs() *SessionAuditArgs {
	return &SessionAuditArgs{
		Partition: a.Partition, DNSSuffix: a.DNSSuffix, Region: a.Region,
		AccountID: a.AccountID, Stack: a.Stack,
		RetentionDays: a.RetentionDays, TransitionDays: a.TransitionDays,
		ObjectLockDays: a.ObjectLockDays, DeleteEvidenceOnDestroy: a.DeleteEvidenceOnDestroy,
		Tags: a.Tags,
	}
}
