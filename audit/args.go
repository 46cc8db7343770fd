package audit

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/settings"
)

// SessionAuditArgs configure a SessionAudit component.
type SessionAuditArgs struct {
	// Partition ("aws", "aws-cn", "aws-us-gov"), DNSSuffix ("amazonaws.com") and Region place
	// the ARNs and the CloudWatch Logs service principal. Required.
	Partition string
	DNSSuffix string
	Region    string
	// AccountID is the account the stack deploys to; it names the bucket. Required.
	AccountID string
	// Stack is the stack name: it names the bucket, the log group, the document and the
	// transcript prefix. Required.
	Stack string

	// InstanceRoleName and InstanceRoleArn identify the host's role: the key policy lets it use
	// the key, and it gets the logging permissions. Required.
	InstanceRoleName pulumi.StringInput
	InstanceRoleArn  pulumi.StringInput
	// InstanceID is the host whose transcripts the document files under their own prefix.
	// Required.
	InstanceID pulumi.StringInput

	// RetentionDays is the log group's retention and the transcripts' expiry. Default 365.
	RetentionDays int
	// TransitionDays moves transcripts to S3 Glacier Instant Retrieval after that many days.
	// Default 0: they stay in S3 Standard.
	TransitionDays int
	// ObjectLockDays turns on S3 Object Lock in governance mode with that default retention.
	// Default 0: off.
	ObjectLockDays int
	// DeleteEvidenceOnDestroy lets `pulumi destroy` delete the key, the bucket and the log group.
	// Default false: they are retained, because deleting a stack must not delete its evidence.
	DeleteEvidenceOnDestroy bool

	// IdleTimeoutMinutes (1 to 60, default 20) and MaxDurationMinutes (1 to 1440, default 60)
	// bound every session.
	IdleTimeoutMinutes int
	MaxDurationMinutes int
	// RunAsUser is the Linux user every session runs as; RunAsUserData creates it. Required.
	RunAsUser string

	// Tags are merged into every taggable child. Default: none.
	Tags map[string]string
}

// Defaults of the optional arguments.
const (
	DefaultRetentionDays      = 365
	DefaultIdleTimeoutMinutes = 20
	DefaultMaxDurationMinutes = 60
)

// validate checks the arguments and fills defaults; it runs before any child is registered.
func (a *SessionAuditArgs) validate() error {
	if err := a.validateEvidence(); err != nil {
		return err
	}

	if err := a.validateHost(); err != nil || a.InstanceRoleArn == nil {
		return fmt.Errorf("InstanceRoleName, InstanceRoleArn and InstanceID are required")
	}

	return a.validateSessions()
}

// validateEvidence checks what the evidence store is built from and fills the defaults.
func (a *SessionAuditArgs) validateEvidence() error {
	if a.Partition == "" || a.DNSSuffix == "" || a.Region == "" || a.Stack == "" {
		return errors.New("the partition, DNS suffix, region and stack are required")
	}

	if !settings.AccountIDPattern.MatchString(a.AccountID) {
		return fmt.Errorf("AccountID %q is not a twelve-digit account id", a.AccountID)
	}

	a.fillDefaults()

	return firstFailure([]check{
		{
			slices.Contains(settings.CloudWatchRetentionDays, a.RetentionDays),
			fmt.Sprintf("RetentionDays %d is not a CloudWatch Logs retention", a.RetentionDays),
		},
		{
			a.TransitionDays >= 0 && a.TransitionDays < a.RetentionDays,
			fmt.Sprintf("TransitionDays %d is not 0 to RetentionDays-1", a.TransitionDays),
		},
		{
			a.ObjectLockDays >= 0 && a.ObjectLockDays <= a.RetentionDays,
			fmt.Sprintf("ObjectLockDays %d is not 0 to RetentionDays", a.ObjectLockDays),
		},
	})
}

// validateHost checks that the host whose sessions are recorded is named.
func (a *SessionAuditArgs) validateHost() error {
	if a.InstanceRoleName == nil || a.InstanceID == nil {
		return errors.New("InstanceRoleName and InstanceID are required")
	}

	return nil
}

// validateSessions checks the session document's bounds and names.
func (a *SessionAuditArgs) validateSessions() error {
	a.fillDefaults()

	err := firstFailure([]check{
		{
			a.IdleTimeoutMinutes >= 1 && a.IdleTimeoutMinutes <= settings.MaxIdleTimeoutMinutes,
			fmt.Sprintf("IdleTimeoutMinutes %d is not 1 to %d", a.IdleTimeoutMinutes,
				settings.MaxIdleTimeoutMinutes),
		},
		{
			a.MaxDurationMinutes >= 1 && a.MaxDurationMinutes <= settings.MaxSessionMinutes,
			fmt.Sprintf("MaxDurationMinutes %d is not 1 to %d", a.MaxDurationMinutes,
				settings.MaxSessionMinutes),
		},
		{
			settings.LinuxUserPattern.MatchString(a.RunAsUser),
			fmt.Sprintf("RunAsUser %q is not a Linux user name", a.RunAsUser),
		},
	})
	if err != nil {
		return err
	}

	if _, err := SessionDocumentName(a.Stack); err != nil {
		return err
	}

	return nil
}

// check is one condition on the arguments and what to say when it fails.
type check struct {
	ok   bool
	what string
}

func firstFailure(checks []check) error {
	for _, c := range checks {
		if !c.ok {
			return errors.New(c.what)
		}
	}

	return nil
}

func (a *SessionAuditArgs) fillDefaults() {
	if a.RetentionDays == 0 {
		a.RetentionDays = DefaultRetentionDays
	}

	if a.IdleTimeoutMinutes == 0 {
		a.IdleTimeoutMinutes = DefaultIdleTimeoutMinutes
	}

	if a.MaxDurationMinutes == 0 {
		a.MaxDurationMinutes = DefaultMaxDurationMinutes
	}
}

// retain is the resource option every evidence-holding child takes.
func (a *SessionAuditArgs) retain() pulumi.ResourceOption {
	return pulumi.RetainOnDelete(!a.DeleteEvidenceOnDestroy)
}
