package network

import (
	"github.com/crucible-sandbox/crucible/iam"
)

// Perimeter is the data perimeter the endpoint policies enforce: requests through the VPC's
// endpoints must come from principals of one account and, except for named AWS-owned
// resources, reach resources of that account. Without it an endpoint carries the credentials of
// any account, and the host could write its findings to a bucket of its own.
type Perimeter struct {
	// AccountID is the twelve-digit account that owns the stack.
	AccountID string
	// Partition is the AWS partition ("aws", "aws-cn", "aws-us-gov").
	Partition string
	// Region is the stack's region; AWS-owned buckets and documents are regional.
	Region string
}

// Condition keys of the perimeter.
const (
	KeyPrincipalAccount = "aws:PrincipalAccount"
	KeyResourceAccount  = "aws:ResourceAccount"
)

// AuditBucketActions are what the host may do to the stack's audit bucket through the S3
// endpoint: write transcripts and check the bucket's encryption, as the Session Manager agent
// does before it uploads. Reading transcripts back is not among them.
var AuditBucketActions = []string{"s3:PutObject", "s3:GetEncryptionConfiguration"}

// AwsOwnedBuckets are the AWS-owned buckets an Amazon Linux 2023 host reads in a region: those
// the Session Manager agent uses for its updates, packages, documents and patch snapshots, and
// the Amazon Linux 2023 package repository. AWS's list for the agent also names
// aws-windows-downloads-<region> and aws-patchmanager-macos-<region>; a Linux host needs neither.
func AwsOwnedBuckets(region string) []string {
	return []string{
		"aws-ssm-" + region,
		"amazon-ssm-" + region,
		"amazon-ssm-packages-" + region,
		region + "-birdwatcher-prod",
		"aws-ssm-distributor-file-" + region,
		"aws-ssm-document-attachments-" + region,
		"patch-baseline-snapshot-" + region,
		"al2023-repos-" + region + "-de612dc2",
	}
}

// anyPrincipal is every principal, anonymous requests included; the conditions narrow it.
var anyPrincipal = map[string]any{"AWS": "*"}

// thisAccountOnly is the core of every endpoint policy: any action, by this account's
// principals, on this account's resources.
func (p Perimeter) thisAccountOnly() iam.Statement {
	return iam.Statement{
		Sid:       "ThisAccountPrincipalsOnThisAccountResources",
		Effect:    "Allow",
		Principal: anyPrincipal,
		Action:    []string{"*"},
		Resource:  []string{"*"},
		Condition: map[string]map[string]any{
			"StringEquals": {
				KeyPrincipalAccount: p.AccountID,
				KeyResourceAccount:  p.AccountID,
			},
		},
	}
}

// InterfaceEndpointPolicy is the policy of the interface endpoint of a service. The ssm
// endpoint also lets this account read AWS-owned documents and public parameters, which belong
// to AWS rather than to the account; the credential guard allows exactly those reads.
func InterfaceEndpointPolicy(p Perimeter, service string) iam.PolicyDocument {
	doc := iam.NewPolicyDocument(p.thisAccountOnly())
	if service != "ssm" {
		return doc
	}

	doc.Statement = append(doc.Statement, iam.Statement{
		Sid:       "ThisAccountPrincipalsReadAwsOwnedSsmResources",
		Effect:    "Allow",
		Principal: anyPrincipal,
		Action:    append(append([]string{}, iam.DocumentReadActions...), iam.ParameterReadActions...),
		Resource: []string{
			iam.AwsOwnedDocumentsArn(p.Partition, p.Region),
			iam.AwsPublicParametersArn(p.Partition, p.Region),
		},
		Condition: map[string]map[string]any{
			"StringEquals": {KeyPrincipalAccount: p.AccountID},
		},
	})

	return doc
}

// S3EndpointPolicy is the S3 gateway endpoint's policy: the AWS-owned buckets read-only, and the
// audit bucket (when given) write-only for this account. Nothing else in S3 is reachable through
// the endpoint, and without NAT nothing in S3 is reachable at all without it.
//
// The AWS-owned statement cannot test aws:ResourceAccount: the buckets are AWS's. The package
// repository and agent downloads are anonymous requests, which carry no aws:PrincipalAccount;
// StringEqualsIfExists lets those through while a signed request must come from this account,
// so another account's credentials cannot leave a trail of object names in its own logs.
func S3EndpointPolicy(p Perimeter, auditBucketArn string) iam.PolicyDocument {
	buckets := AwsOwnedBuckets(p.Region)
	objects := make([]string, 0, len(buckets))

	for _, b := range buckets {
		objects = append(objects, "arn:"+p.Partition+":s3:::"+b+"/*")
	}

	doc := iam.NewPolicyDocument(iam.Statement{
		Sid:       "ReadAwsOwnedBucketsAnonymouslyOrAsThisAccount",
		Effect:    "Allow",
		Principal: anyPrincipal,
		Action:    []string{"s3:GetObject"},
		Resource:  objects,
		Condition: map[string]map[string]any{
			"StringEqualsIfExists": {KeyPrincipalAccount: p.AccountID},
		},
	})

	if auditBucketArn == "" {
		return doc
	}

	doc.Statement = append(doc.Statement, iam.Statement{
		Sid:       "WriteThisStackAuditBucketAsThisAccount",
		Effect:    "Allow",
		Principal: anyPrincipal,
		Action:    AuditBucketActions,
		Resource:  []string{auditBucketArn, auditBucketArn + "/*"},
		Condition: map[string]map[string]any{
			"StringEquals": {
				KeyPrincipalAccount: p.AccountID,
				KeyResourceAccount:  p.AccountID,
			},
		},
	})

	return doc
}
