package audit

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/settings"
)

// HostSessionsArgs configure a HostSessions component: the per-host part of session audit on an
// evaluation stack, recording to a platform's evidence store.
type HostSessionsArgs struct {
	// Partition, Region and AccountID place the ARNs. Required.
	Partition, Region, AccountID string
	// Stack is the evaluation stack: it names the session document and the transcript prefix,
	// so one evaluation's role cannot write another's transcripts. Required.
	Stack string

	// BucketName, KeyArn and LogGroupName are the platform's evidence store. Required.
	BucketName, KeyArn, LogGroupName string

	// InstanceRoleName and InstanceID identify the host. Required.
	InstanceRoleName pulumi.StringInput
	InstanceID       pulumi.StringInput

	// IdleTimeoutMinutes, MaxDurationMinutes and RunAsUser are as in SessionAuditArgs.
	IdleTimeoutMinutes, MaxDurationMinutes int
	RunAsUser                              string

	// Tags are merged into every taggable child. Default: none.
	Tags map[string]string
}

// HostSessions is one host's session document and logging permissions.
type HostSessions struct {
	pulumi.ResourceState

	// TranscriptPrefix is the key prefix of this host's transcripts in the shared bucket.
	TranscriptPrefix pulumi.StringOutput
	// SessionDocumentName and SessionDocumentArn identify the document every session must name.
	SessionDocumentName pulumi.StringOutput
	SessionDocumentArn  pulumi.StringOutput
}

// NewHostSessions builds the host's part of session audit.
func NewHostSessions(
	ctx *pulumi.Context, name string, args *HostSessionsArgs, opts ...pulumi.ResourceOption,
) (*HostSessions, error) {
	if args == nil {
		return nil, fmt.Errorf("audit: host sessions %q: args are required", name)
	}

	full, err := args.sessionArgs()
	if err != nil {
		return nil, fmt.Errorf("audit: host sessions %q: %w", name, err)
	}

	c := &HostSessions{}
	if err := ctx.RegisterComponentResource("crucible:audit:HostSessions", name, c,
		opts...); err != nil {
		return nil, fmt.Errorf("audit: host sessions %q: %w", name, err)
	}

	prefix, doc, err := newHostSessions(ctx, name, full, hostSessionTargets{
		bucket:       pulumi.String(args.BucketName).ToStringOutput(),
		keyArn:       pulumi.String(args.KeyArn).ToStringOutput(),
		logGroup:     pulumi.String(args.LogGroupName).ToStringOutput(),
		logGroupName: pulumi.String(args.LogGroupName),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("audit: host sessions %q: %w", name, err)
	}

	c.TranscriptPrefix = prefix
	c.SessionDocumentName = doc.Name
	c.SessionDocumentArn = doc.Arn

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"transcriptPrefix":    c.TranscriptPrefix,
		"sessionDocumentName": c.SessionDocumentName,
		"sessionDocumentArn":  c.SessionDocumentArn,
	}); err != nil {
		return nil, fmt.Errorf("audit: host sessions %q: %w", name, err)
	}

	return c, nil
}

func (a *HostSessionsArgs) sessionArgs() (*SessionAuditArgs, error) {
	if a.Partition == "" || a.Region == "" || a.Stack == "" {
		return nil, errors.New("the partition, region and stack are required")
	}

	if !settings.AccountIDPattern.MatchString(a.AccountID) {
		return nil, fmt.Errorf("AccountID %q is not a twelve-digit account id", a.AccountID)
	}

	if a.BucketName == "" || a.KeyArn == "" || a.LogGroupName == "" {
		return nil, errors.New("the platform's BucketName, KeyArn and LogGroupName are required")
	}

	full := &SessionAuditArgs{
		Partition: a.Partition, Region: a.Region, AccountID: a.AccountID, Stack: a.Stack,
		InstanceRoleName: a.InstanceRoleName, InstanceID: a.InstanceID,
		IdleTimeoutMinutes: a.IdleTimeoutMinutes, MaxDurationMinutes: a.MaxDurationMinutes,
		RunAsUser: a.RunAsUser, Tags: a.Tags,
	}

	if err := full.validateHost(); err != nil {
		return nil, err
	}

	return full, full.validateSessions()
}
