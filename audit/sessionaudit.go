package audit

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/tags"
)

// InterfaceEndpoints are the services the host reaches for session audit besides Session
// Manager's own: CloudWatch Logs for streaming, KMS for session encryption. Transcripts go to S3
// through the gateway endpoint.
var InterfaceEndpoints = []string{"logs", "kms"}

// SessionAudit is the evidence of every session on a host: key, transcript bucket, session log
// group, preferences document, and the host's permission to write them.
type SessionAudit struct {
	pulumi.ResourceState

	// KeyArn and KeyID identify the customer-managed key.
	KeyArn pulumi.StringOutput
	KeyID  pulumi.StringOutput
	// BucketName is the transcript bucket; TranscriptPrefix the key prefix of this host's
	// transcripts in it (without a trailing "/").
	BucketName       pulumi.StringOutput
	TranscriptPrefix pulumi.StringOutput
	// LogGroupName and LogGroupArn identify the session log group.
	LogGroupName pulumi.StringOutput
	LogGroupArn  pulumi.StringOutput
	// SessionDocumentName and SessionDocumentArn identify the preferences document that every
	// session must name.
	SessionDocumentName pulumi.StringOutput
	SessionDocumentArn  pulumi.StringOutput
}

// NewSessionAudit builds the audit trail. Arguments are validated before anything is registered.
func NewSessionAudit(
	ctx *pulumi.Context, name string, args *SessionAuditArgs, opts ...pulumi.ResourceOption,
) (*SessionAudit, error) {
	if args == nil {
		return nil, fmt.Errorf("audit: session audit %q: args are required", name)
	}

	if err := args.validate(); err != nil {
		return nil, fmt.Errorf("audit: session audit %q: %w", name, err)
	}

	c := &SessionAudit{}
	err := ctx.RegisterComponentResource("crucible:audit:SessionAudit", name, c, opts...)
	if err != nil {
		return nil, fmt.Errorf("audit: session audit %q: %w", name, err)
	}

	if err := c.build(ctx, name, args); err != nil {
		return nil, fmt.Errorf("audit: session audit %q: %w", name, err)
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"keyArn":              c.KeyArn,
		"keyId":               c.KeyID,
		"bucketName":          c.BucketName,
		"transcriptPrefix":    c.TranscriptPrefix,
		"logGroupName":        c.LogGroupName,
		"logGroupArn":         c.LogGroupArn,
		"sessionDocumentName": c.SessionDocumentName,
		"sessionDocumentArn":  c.SessionDocumentArn,
	}); err != nil {
		return nil, fmt.Errorf("audit: session audit %q: %w", name, err)
	}

	return c, nil
}

func (c *SessionAudit) build(ctx *pulumi.Context, name string, args *SessionAuditArgs) error {
	parent := pulumi.Parent(c)

	policy := args.InstanceRoleArn.ToStringOutput().ApplyT(func(role string) (string, error) {
		return KeyPolicy(KeyPolicyParams{
			Partition: args.Partition, DNSSuffix: args.DNSSuffix, Region: args.Region,
			AccountID: args.AccountID, Stack: args.Stack, InstanceRoleArn: role,
		}).JSON()
	}).(pulumi.StringOutput)

	ev, err := newEvidence(ctx, name, args, policy, parent)
	if err != nil {
		return err
	}

	prefix, doc, err := newHostSessions(ctx, name, args, hostSessionTargets{
		bucket: ev.bucket.Bucket, keyArn: ev.key.Arn, logGroup: ev.group.Name,
		logGroupName: pulumi.String(LogGroupName(args.Stack)),
	}, parent)
	if err != nil {
		return err
	}

	c.KeyArn = ev.key.Arn
	c.KeyID = ev.key.KeyId
	c.BucketName = ev.bucket.Bucket
	c.TranscriptPrefix = prefix
	c.LogGroupName = ev.group.Name
	c.LogGroupArn = ev.group.Arn
	c.SessionDocumentName = doc.Name
	c.SessionDocumentArn = doc.Arn

	return nil
}

// evidence is what holds the sessions' records: the key, the transcript bucket and the session
// log group.
type evidence struct {
	key    *kms.Key
	bucket *s3.BucketV2
	group  *cloudwatch.LogGroup
}

// newEvidence builds the evidence store. The key is evidence too: retained transcripts and logs
// are unreadable without it.
func newEvidence(ctx *pulumi.Context, name string, args *SessionAuditArgs,
	keyPolicy pulumi.StringOutput, parent pulumi.ResourceOption,
) (*evidence, error) {
	key, err := newKey(ctx, name, args, keyPolicy, parent)
	if err != nil {
		return nil, err
	}

	bucket, err := newBucket(ctx, name, args, key, parent, args.retain())
	if err != nil {
		return nil, err
	}

	group, err := newLogGroup(ctx, name, args, key, parent, args.retain())
	if err != nil {
		return nil, err
	}

	return &evidence{key: key, bucket: bucket, group: group}, nil
}

// hostSessionTargets are the evidence store a host's sessions are recorded to: bucket, key and
// log group as the document names them, and the log group's name as the policy names it.
type hostSessionTargets struct {
	bucket, keyArn, logGroup pulumi.StringOutput
	logGroupName             pulumi.StringInput
}

// newHostSessions grants the host's role its logging permissions and creates the session
// document that files the host's transcripts under the stack's own prefix.
func newHostSessions(ctx *pulumi.Context, name string, args *SessionAuditArgs,
	to hostSessionTargets, parent pulumi.ResourceOption,
) (pulumi.StringOutput, *ssm.Document, error) {
	if err := grantHostLogging(ctx, name, args, to.bucket, to.keyArn, to.logGroupName,
		parent); err != nil {
		return pulumi.StringOutput{}, nil, err
	}

	prefix := args.InstanceID.ToStringOutput().ApplyT(func(id string) string {
		return TranscriptPrefix(args.Stack, id)
	}).(pulumi.StringOutput)

	doc, err := newSessionDocument(ctx, name, args, to.bucket, prefix, to.logGroup, to.keyArn,
		parent)
	if err != nil {
		return pulumi.StringOutput{}, nil, err
	}

	return prefix, doc, nil
}

// grantHostLogging gives the host's role HostLoggingPolicy as an inline policy.
func grantHostLogging(ctx *pulumi.Context, name string, args *SessionAuditArgs,
	bucket, keyArn pulumi.StringOutput, logGroup pulumi.StringInput, parent pulumi.ResourceOption,
) error {
	policy := pulumi.All(bucket, keyArn, logGroup).ApplyT(func(v []any) (string, error) {
		return HostLoggingPolicy(HostLoggingPolicyParams{
			Partition: args.Partition, Region: args.Region, AccountID: args.AccountID,
			Bucket: v[0].(string), TranscriptStackPrefix: TranscriptStackPrefix(args.Stack),
			LogGroup: v[2].(string), KeyArn: v[1].(string),
		}).JSON()
	}).(pulumi.StringOutput)

	if _, err := iam.NewRolePolicy(ctx, name+"-host-logging", &iam.RolePolicyArgs{
		Name:   pulumi.String("crucible-session-logging"),
		Role:   args.InstanceRoleName,
		Policy: policy,
	}, parent); err != nil {
		return fmt.Errorf("host logging policy: %w", err)
	}

	return nil
}

// newSessionDocument creates the stack's session preferences document.
func newSessionDocument(ctx *pulumi.Context, name string,
	args *SessionAuditArgs, bucket, prefix, group, keyArn pulumi.StringOutput,
	parent pulumi.ResourceOption,
) (*ssm.Document, error) {
	docName, err := SessionDocumentName(args.Stack)
	if err != nil {
		return nil, err
	}

	content := pulumi.All(bucket, prefix, group, keyArn).ApplyT(func(v []any) (string, error) {
		return SessionDocumentContent(SessionDocumentParams{
			Stack: args.Stack, Bucket: v[0].(string), TranscriptPrefix: v[1].(string),
			LogGroup: v[2].(string), KeyArn: v[3].(string), RunAsUser: args.RunAsUser,
			IdleTimeoutMinutes: args.IdleTimeoutMinutes, MaxDurationMinutes: args.MaxDurationMinutes,
		})
	}).(pulumi.StringOutput)

	doc, err := ssm.NewDocument(ctx, name+"-session-preferences", &ssm.DocumentArgs{
		Name:           pulumi.String(docName),
		DocumentType:   pulumi.String(SessionDocumentType),
		DocumentFormat: pulumi.String("JSON"),
		Content:        content,
		Tags:           tags.Named(args.Tags, name+"-session-preferences"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("session document: %w", err)
	}

	return doc, nil
}
