package iam

import "slices"

// OperatorRoleTag marks the operator policy, so reviewers and the policy pack can find the one
// policy that lets people into a sandbox. Its value is OperatorRoleValue.
const (
	OperatorRoleTag   = "crucible:role"
	OperatorRoleValue = "operator"
)

// Condition keys the operator policy compares: the target a session was opened on, and the
// principal tag with which Session Manager lets a principal choose its own run-as user.
const (
	sessionTargetTag = "ssm:resourceTag/aws:ssmmessages:target-id"
	runAsTag         = "aws:PrincipalTag/SSMSessionRunAs"
)

// IAM policy variables. They reach AWS as written and IAM fills them in per request; nothing in
// the program may interpolate them.
const (
	varUsername = "${aws:username}"
	varUserID   = "${aws:userid}"
)

// OperatorPolicyParams are the facts the operator policy names.
type OperatorPolicyParams struct {
	Partition, Region, AccountID string
	// StackTagKey and Stack are the tag every resource of the stack carries, and its value.
	StackTagKey, Stack string
	// InstanceArn and InstanceID name the host; DocumentArn its session preferences document;
	// KeyArn the key that encrypts session data.
	InstanceArn, InstanceID, DocumentArn, KeyArn string
	// RunAsUser is the Linux user the session document runs sessions as. Session Manager
	// prefers a principal's SSMSessionRunAs tag over the document, so the policy refuses any
	// other value of that tag.
	RunAsUser string
	// Revoked adds the denies that end access to the host.
	Revoked bool
}

// Actions of the operator policy, by purpose; DenyWithoutMFA covers all of them.
var (
	startSessionActions = []string{"ssm:StartSession"}
	ownSessionActions   = []string{"ssm:ResumeSession", "ssm:TerminateSession"}
	dataChannelActions  = []string{"ssmmessages:OpenDataChannel"}
	findActions         = []string{
		"ec2:DescribeInstances", "ssm:DescribeInstanceInformation",
		"ssm:DescribeInstanceProperties", "ssm:DescribeSessions", "ssm:GetConnectionStatus",
	}
	documentReadActions = []string{"ssm:DescribeDocument", "ssm:GetDocument"}
	keyActions          = []string{"kms:GenerateDataKey"}
)

// SessionChannelActions are the Session Manager channels the host's agent opens; denying them to
// the instance role stops every session on the host, whoever starts it.
var SessionChannelActions = []string{
	"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
	"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
}

// OperatorPolicy lets a person, with MFA, open a logged session on this stack's host through this
// stack's document only, find the host and their sessions, and end or resume their own sessions.
// With Revoked it also denies starting and resuming sessions on the host, which no other grant the
// person holds can override.
func OperatorPolicy(p OperatorPolicyParams) PolicyDocument {
	sessions := "arn:" + p.Partition + ":ssm:" + p.Region + ":" + p.AccountID + ":session/"
	documentCheck := map[string]any{"ssm:SessionDocumentAccessCheck": "true"}
	// A session id starts with the caller's user name or role session name, which another
	// principal can share as a prefix or choose; the session's target pins "own" to this host.
	onThisHost := map[string]any{sessionTargetTag: p.InstanceID}

	doc := NewPolicyDocument(
		Statement{
			Sid:      "StartSessionOnThisStacksHost",
			Effect:   "Allow",
			Action:   startSessionActions,
			Resource: []string{p.InstanceArn},
			Condition: map[string]map[string]any{
				"StringEquals": {"ssm:resourceTag/" + p.StackTagKey: p.Stack},
				"BoolIfExists": documentCheck,
			},
		},
		Statement{
			Sid:       "StartSessionWithThisStacksDocumentOnly",
			Effect:    "Allow",
			Action:    startSessionActions,
			Resource:  []string{p.DocumentArn},
			Condition: map[string]map[string]any{"BoolIfExists": documentCheck},
		},
		Statement{
			Sid:      "OpenOwnSessionDataChannel",
			Effect:   "Allow",
			Action:   dataChannelActions,
			Resource: []string{sessions + varUserID + "-*", sessions + varUsername + "-*"},
		},
		Statement{
			Sid:       "EndOrResumeOwnSessionsAsIAMUser",
			Effect:    "Allow",
			Action:    ownSessionActions,
			Resource:  []string{sessions + varUsername + "-*"},
			Condition: map[string]map[string]any{"StringEquals": onThisHost},
		},
		Statement{
			Sid:      "EndOrResumeOwnSessionsAsAssumedRole",
			Effect:   "Allow",
			Action:   ownSessionActions,
			Resource: []string{sessions + "*"},
			Condition: map[string]map[string]any{
				"StringLike":   {"ssm:resourceTag/aws:ssmmessages:session-id": varUserID},
				"StringEquals": onThisHost,
			},
		},
		Statement{
			Sid:      "DenyRunAsTagOverride",
			Effect:   "Deny",
			Action:   startSessionActions,
			Resource: []string{p.InstanceArn, p.DocumentArn},
			Condition: map[string]map[string]any{
				"Null":            {runAsTag: "false"},
				"StringNotEquals": {runAsTag: p.RunAsUser},
			},
		},
		Statement{
			Sid:      "FindHostAndSessions",
			Effect:   "Allow",
			Action:   findActions,
			Resource: []string{"*"},
		},
		Statement{
			Sid:      "ReadThisStacksDocument",
			Effect:   "Allow",
			Action:   documentReadActions,
			Resource: []string{p.DocumentArn},
		},
		Statement{
			Sid:      "EncryptSessionData",
			Effect:   "Allow",
			Action:   keyActions,
			Resource: []string{p.KeyArn},
		},
		Statement{
			Sid:    "DenyEverythingWithoutMFA",
			Effect: "Deny",
			Action: slices.Concat(startSessionActions, ownSessionActions, dataChannelActions,
				findActions, documentReadActions, keyActions),
			Resource: []string{"*"},
			Condition: map[string]map[string]any{
				"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
			},
		},
	)

	if p.Revoked {
		doc.Statement = append(doc.Statement, revokedStatements(p, sessions)...)
	}

	return doc
}

// revokedStatements deny new sessions on the host and the resumption of its open ones.
func revokedStatements(p OperatorPolicyParams, sessions string) []Statement {
	return []Statement{
		{
			Sid:      "AccessRevokedNoNewSessions",
			Effect:   "Deny",
			Action:   []string{"ssm:StartSession"},
			Resource: []string{p.InstanceArn, p.DocumentArn},
		},
		{
			Sid:      "AccessRevokedNoResumedSessions",
			Effect:   "Deny",
			Action:   []string{"ssm:ResumeSession"},
			Resource: []string{sessions + "*"},
			Condition: map[string]map[string]any{
				"StringEquals": {sessionTargetTag: p.InstanceID},
			},
		},
	}
}

// HostRevocationPolicy is the instance role's deny of every session channel: with it the agent
// cannot open a session for anyone, administrators included.
func HostRevocationPolicy() PolicyDocument {
	return NewPolicyDocument(Statement{
		Sid:      "AccessRevokedNoSessionChannels",
		Effect:   "Deny",
		Action:   SessionChannelActions,
		Resource: []string{"*"},
	})
}
