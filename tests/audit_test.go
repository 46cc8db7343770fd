package tests

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/audit"
	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
)

// Type tokens of the audit resources, as pulumi-aws v6 registers them.
const (
	typeKey        = "aws:kms/key:Key"
	typeBucket     = "aws:s3/bucketV2:BucketV2"
	typeVersioning = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	typeEncryption = "aws:s3/bucketServerSideEncryptionConfigurationV2:" +
		"BucketServerSideEncryptionConfigurationV2"
	typePublicAccess = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	typeOwnership    = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	typeBucketPolicy = "aws:s3/bucketPolicy:BucketPolicy"
	typeLifecycle    = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	typeObjectLock   = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
	typeLogGroup     = "aws:cloudwatch/logGroup:LogGroup"
	typeDocument     = "aws:ssm/document:Document"
	typeRolePolicy   = "aws:iam/rolePolicy:RolePolicy"
	typeRole         = "aws:iam/role:Role"
	typeInstance     = "aws:ec2/instance:Instance"
	typeEndpoint     = "aws:ec2/vpcEndpoint:VpcEndpoint"
	typeComponent    = "crucible:audit:SessionAudit"
)

// The dev stack's names, as the stand-in account (123456789012, us-east-1) makes them.
const (
	devBucket   = "crucible-audit-dev-123456789012-us-east-1"
	devLogGroup = "/crucible/dev/sessions"
	devDocument = "crucible-dev-sessions"
)

// evidence lists every resource that holds or protects session evidence, by type and name.
var evidence = []struct{ typ, name string }{
	{typeKey, "sandbox-audit-key"},
	{typeBucket, "sandbox-audit-transcripts"},
	{typeVersioning, "sandbox-audit-transcripts-versioning"},
	{typeEncryption, "sandbox-audit-transcripts-encryption"},
	{typePublicAccess, "sandbox-audit-transcripts-public-access-block"},
	{typeOwnership, "sandbox-audit-transcripts-ownership"},
	{typeBucketPolicy, "sandbox-audit-transcripts-policy"},
	{typeLifecycle, "sandbox-audit-transcripts-lifecycle"},
	{typeLogGroup, "sandbox-audit-sessions"},
}

func key(t *testing.T, res *render.Result) *render.Resource {
	t.Helper()

	return rendertest.One(t, res, typeKey, "sandbox-audit-key")
}

func TestAuditKeyRotatesYearlyAndWaitsAMonthBeforeDeletion(t *testing.T) {
	res := rendertest.Render(t)
	k := key(t, res)

	assert.Equal(t, true, k.Get("enableKeyRotation"))
	assert.Equal(t, float64(30), k.Get("deletionWindowInDays"))
	assert.Equal(t, "ENCRYPT_DECRYPT", k.Get("keyUsage"))

	component := rendertest.One(t, res, typeComponent, "sandbox-audit")
	assert.Equal(t, component.URN, k.Parent, "the key is a child of the audit component")
}

func TestAuditKeyPolicyNamesTheHostRoleAndThisStacksLogGroups(t *testing.T) {
	res := rendertest.Render(t)
	role := rendertest.One(t, res, typeRole, "sandbox-host-role")
	policy := rendertest.JSONDoc(t, key(t, res), "policy")

	statements := bySid(t, policy)
	require.Len(t, statements, 3)

	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::123456789012:root"},
		statements["AccountAdministersTheKey"]["Principal"])
	assert.Equal(t, map[string]any{"AWS": role.String("arn")},
		statements["HostRoleEncryptsSessionsAndTranscripts"]["Principal"])
	assert.Equal(t, []any{"kms:Decrypt", "kms:GenerateDataKey"},
		statements["HostRoleEncryptsSessionsAndTranscripts"]["Action"])

	logs := statements["CloudWatchLogsEncryptsThisStacksLogGroups"]
	assert.Equal(t, map[string]any{"Service": "logs.us-east-1.amazonaws.com"}, logs["Principal"])
	assert.Equal(t, map[string]any{"ArnLike": map[string]any{
		"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:" +
			"/crucible/dev/*",
	}}, logs["Condition"])
}

func TestTranscriptBucketIsVersionedKMSEncryptedPrivateAndTLSOnly(t *testing.T) {
	res := rendertest.Render(t)
	k := key(t, res)

	bucket := rendertest.One(t, res, typeBucket, "sandbox-audit-transcripts")
	assert.Equal(t, devBucket, bucket.ID)
	assert.Equal(t, false, bucket.Get("forceDestroy"))

	versioning := rendertest.One(t, res, typeVersioning, "sandbox-audit-transcripts-versioning")
	assert.Equal(t, devBucket, versioning.Get("bucket"))
	assert.Equal(t, "Enabled", versioning.Get("versioningConfiguration.status"))

	enc := rendertest.One(t, res, typeEncryption, "sandbox-audit-transcripts-encryption")
	assert.Equal(t, devBucket, enc.Get("bucket"))
	assert.Equal(t, []any{map[string]any{
		"applyServerSideEncryptionByDefault": map[string]any{
			"sseAlgorithm": "aws:kms", "kmsMasterKeyId": k.String("arn"),
		},
		"bucketKeyEnabled": true,
	}}, enc.Get("rules"))

	pab := rendertest.One(t, res, typePublicAccess, "sandbox-audit-transcripts-public-access-block")
	assert.Equal(t, devBucket, pab.Get("bucket"))
	for _, flag := range []string{
		"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets",
	} {
		assert.Equal(t, true, pab.Get(flag), flag)
	}

	owner := rendertest.One(t, res, typeOwnership, "sandbox-audit-transcripts-ownership")
	assert.Equal(t, devBucket, owner.Get("bucket"))
	assert.Equal(t, "BucketOwnerEnforced", owner.Get("rule.objectOwnership"))

	policyRes := rendertest.One(t, res, typeBucketPolicy, "sandbox-audit-transcripts-policy")
	assert.Equal(t, devBucket, policyRes.Get("bucket"))
	assert.Equal(t, map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid": "DenyRequestsWithoutTLS", "Effect": "Deny",
				"Principal": map[string]any{"AWS": "*"},
				"Action":    []any{"s3:*"},
				"Resource":  []any{"arn:aws:s3:::" + devBucket, "arn:aws:s3:::" + devBucket + "/*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			},
			map[string]any{
				"Sid": "DenyCustomerProvidedKeys", "Effect": "Deny",
				"Principal": map[string]any{"AWS": "*"},
				"Action":    []any{"s3:PutObject"},
				"Resource":  []any{"arn:aws:s3:::" + devBucket + "/*"},
				"Condition": map[string]any{"Null": map[string]any{
					"s3:x-amz-server-side-encryption-customer-algorithm": "false",
				}},
			},
		},
	}, rendertest.JSONDoc(t, policyRes, "policy"))
}

func TestTranscriptsExpireAfterTheRetentionAndStayInStandardByDefault(t *testing.T) {
	res := rendertest.Render(t)

	lifecycle := rendertest.One(t, res, typeLifecycle, "sandbox-audit-transcripts-lifecycle")
	assert.Equal(t, devBucket, lifecycle.Get("bucket"))
	assert.Equal(t, []any{map[string]any{
		"id":                             "expire-transcripts",
		"status":                         "Enabled",
		"filter":                         map[string]any{"prefix": ""},
		"expiration":                     map[string]any{"days": float64(365)},
		"noncurrentVersionExpiration":    map[string]any{"noncurrentDays": float64(365)},
		"abortIncompleteMultipartUpload": map[string]any{"daysAfterInitiation": float64(7)},
	}}, lifecycle.Get("rules"))

	_, locked := res.Find(typeObjectLock, "sandbox-audit-transcripts-object-lock")
	assert.False(t, locked, "Object Lock is off unless auditObjectLockDays is set")
}

func TestRetentionTransitionAndObjectLockComeFromConfig(t *testing.T) {
	res := rendertest.Render(t, "auditRetentionDays=731", "auditTransitionDays=90",
		"auditObjectLockDays=400")

	lifecycle := rendertest.One(t, res, typeLifecycle, "sandbox-audit-transcripts-lifecycle")
	assert.Equal(t, float64(731), lifecycle.Get("rules[0].expiration.days"))
	assert.Equal(t, float64(731), lifecycle.Get("rules[0].noncurrentVersionExpiration.noncurrentDays"))
	assert.Equal(t, []any{map[string]any{"days": float64(90), "storageClass": "GLACIER_IR"}},
		lifecycle.Get("rules[0].transitions"))

	lock := rendertest.One(t, res, typeObjectLock, "sandbox-audit-transcripts-object-lock")
	assert.Equal(t, devBucket, lock.Get("bucket"))
	assert.Equal(t, "Enabled", lock.Get("objectLockEnabled"))
	assert.Equal(t, map[string]any{"mode": "GOVERNANCE", "days": float64(400)},
		lock.Get("rule.defaultRetention"))
	assert.Equal(t, true, *lock.RetainOnDelete)

	versioning := rendertest.One(t, res, typeVersioning, "sandbox-audit-transcripts-versioning")
	assert.Contains(t, lock.Dependencies, versioning.URN, "Object Lock needs versioning first")

	group := rendertest.One(t, res, typeLogGroup, "sandbox-audit-sessions")
	assert.Equal(t, float64(731), group.Get("retentionInDays"))
}

func TestSessionLogGroupIsEncryptedWithTheKeyAndKeptAYear(t *testing.T) {
	res := rendertest.Render(t)

	group := rendertest.One(t, res, typeLogGroup, "sandbox-audit-sessions")
	assert.Equal(t, devLogGroup, group.Get("name"))
	assert.Equal(t, key(t, res).String("arn"), group.Get("kmsKeyId"))
	assert.Equal(t, float64(365), group.Get("retentionInDays"))
}

func TestEvidenceIsRetainedWhenTheStackIsDestroyed(t *testing.T) {
	res := rendertest.Render(t)

	for _, e := range evidence {
		r := rendertest.One(t, res, e.typ, e.name)
		if assert.NotNil(t, r.RetainOnDelete, "%s must set retainOnDelete", e.name) {
			assert.True(t, *r.RetainOnDelete, "%s must outlive the stack", e.name)
		}
	}

	doc := rendertest.One(t, res, typeDocument, "sandbox-audit-session-preferences")
	if doc.RetainOnDelete != nil {
		assert.False(t, *doc.RetainOnDelete, "the document holds no evidence and goes with the stack")
	}
}

func TestEvidenceGoesWithTheStackOnlyWhenConfigSaysSo(t *testing.T) {
	res := rendertest.Render(t, "auditRetainOnDestroy=false")

	for _, e := range evidence {
		r := rendertest.One(t, res, e.typ, e.name)
		if assert.NotNil(t, r.RetainOnDelete, e.name) {
			assert.False(t, *r.RetainOnDelete, "%s is deleted with the stack", e.name)
		}
	}

	bucket := rendertest.One(t, res, typeBucket, "sandbox-audit-transcripts")
	assert.Equal(t, false, bucket.Get("forceDestroy"), "a bucket with transcripts is never emptied")
}

func TestSessionDocumentPointsAtThisStacksEvidence(t *testing.T) {
	res := rendertest.Render(t, "sessionIdleTimeoutMinutes=15", "sessionMaxDurationMinutes=240")
	host := rendertest.One(t, res, typeInstance, "sandbox-host-instance")

	doc := rendertest.One(t, res, typeDocument, "sandbox-audit-session-preferences")
	assert.Equal(t, devDocument, doc.Get("name"))
	assert.Equal(t, "Session", doc.Get("documentType"))
	assert.Equal(t, "JSON", doc.Get("documentFormat"))

	content := rendertest.JSONDoc(t, doc, "content")
	assert.Equal(t, "1.0", content["schemaVersion"])
	assert.Equal(t, "Standard_Stream", content["sessionType"])
	assert.Equal(t, map[string]any{
		"s3BucketName":                devBucket,
		"s3KeyPrefix":                 "sessions/dev/" + host.ID,
		"s3EncryptionEnabled":         true,
		"cloudWatchLogGroupName":      devLogGroup,
		"cloudWatchEncryptionEnabled": true,
		"cloudWatchStreamingEnabled":  true,
		"kmsKeyId":                    key(t, res).String("arn"),
		"runAsEnabled":                true,
		"runAsDefaultUser":            "crucible-operator",
		"idleSessionTimeout":          "15",
		"maxSessionDuration":          "240",
		"shellProfile":                map[string]any{"linux": "", "windows": ""},
	}, content["inputs"])
}

func TestDefaultSessionTimeoutsAreTwentyAndSixtyMinutes(t *testing.T) {
	res := rendertest.Render(t)

	content := rendertest.JSONDoc(t,
		rendertest.One(t, res, typeDocument, "sandbox-audit-session-preferences"), "content")
	inputs := content["inputs"].(map[string]any)

	assert.Equal(t, "20", inputs["idleSessionTimeout"])
	assert.Equal(t, "60", inputs["maxSessionDuration"])
}

func TestHostRoleGetsExactlyTheLoggingPermissions(t *testing.T) {
	res := rendertest.Render(t)
	role := rendertest.One(t, res, typeRole, "sandbox-host-role")
	keyArn := key(t, res).String("arn")

	logging := rendertest.One(t, res, typeRolePolicy, "sandbox-audit-host-logging")
	assert.Equal(t, role.ID, logging.Get("role"))

	group := "arn:aws:logs:us-east-1:123456789012:log-group:" + devLogGroup
	assert.Equal(t, map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid": "WriteTranscripts", "Effect": "Allow", "Action": []any{"s3:PutObject"},
				"Resource": []any{"arn:aws:s3:::" + devBucket + "/sessions/dev/*"},
			},
			map[string]any{
				"Sid": "CheckTranscriptBucketEncryption", "Effect": "Allow",
				"Action":   []any{"s3:GetEncryptionConfiguration"},
				"Resource": []any{"arn:aws:s3:::" + devBucket},
			},
			map[string]any{
				"Sid": "StreamSessions", "Effect": "Allow",
				"Action": []any{
					"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents",
				},
				"Resource": []any{group, group + ":*"},
			},
			map[string]any{
				"Sid": "FindSessionLogGroup", "Effect": "Allow",
				"Action": []any{"logs:DescribeLogGroups"}, "Resource": []any{"*"},
			},
			map[string]any{
				"Sid": "UseSessionKey", "Effect": "Allow",
				"Action":   []any{"kms:Decrypt", "kms:GenerateDataKey"},
				"Resource": []any{keyArn},
			},
		},
	}, rendertest.JSONDoc(t, logging, "policy"))

	var onHostRole []string
	for _, p := range res.OfType(typeRolePolicy) {
		if p.Get("role") == role.ID {
			onHostRole = append(onHostRole, p.Name)
		}
	}

	assert.ElementsMatch(t, []string{"sandbox-audit-host-logging", "sandbox-credential-guard-policy"},
		onHostRole, "without revocation the role has the logging policy and the credential guard only")
}

func TestHostCreatesTheRunAsUserAndIsReplacedWhenItChanges(t *testing.T) {
	res := rendertest.Render(t)
	host := rendertest.One(t, res, typeInstance, "sandbox-host-instance")

	assert.Equal(t, audit.RunAsUserData("crucible-operator", false), host.Get("userData"))
	assert.Equal(t, true, host.Get("userDataReplaceOnChange"))

	sudo := rendertest.Render(t, "sessionRunAsUser=evaluator", "sessionSudo=true")
	assert.Equal(t, audit.RunAsUserData("evaluator", true),
		rendertest.One(t, sudo, typeInstance, "sandbox-host-instance").Get("userData"))
}

func TestHostReachesLogsAndKMSThroughPrivateEndpoints(t *testing.T) {
	res := rendertest.Render(t)

	for _, svc := range []string{"logs", "kms", "ssm", "ssmmessages", "ec2messages"} {
		ep := rendertest.One(t, res, typeEndpoint, "sandbox-"+svc)
		assert.Equal(t, "com.amazonaws.us-east-1."+svc, ep.Get("serviceName"))
		assert.Equal(t, "Interface", ep.Get("vpcEndpointType"))
		assert.Equal(t, true, ep.Get("privateDnsEnabled"))
	}

	s3 := rendertest.One(t, res, typeEndpoint, "sandbox-s3")
	assert.Equal(t, "Gateway", s3.Get("vpcEndpointType"), "transcripts reach S3 privately")
}

func TestStackOutputsNameTheEvidenceAndHowToReachIt(t *testing.T) {
	res := rendertest.Render(t)
	host := rendertest.One(t, res, typeInstance, "sandbox-host-instance")
	policy := rendertest.One(t, res, "aws:iam/policy:Policy", "sandbox-operators-policy")
	prefix := "sessions/dev/" + host.ID

	assert.Equal(t, "aws ssm start-session --target "+host.ID+" --document-name "+devDocument+
		" --region us-east-1", res.Outputs["connectCommand"])
	assert.Equal(t, devDocument, res.Outputs["sessionDocumentName"])
	assert.Equal(t, devBucket, res.Outputs["auditBucketName"])
	assert.Equal(t, prefix, res.Outputs["auditTranscriptPrefix"])
	assert.Equal(t, devLogGroup, res.Outputs["sessionLogGroupName"])
	assert.Equal(t, key(t, res).String("arn"), res.Outputs["auditKeyArn"])
	assert.Equal(t, policy.String("arn"), res.Outputs["operatorPolicyArn"])
	assert.Equal(t, "arn:aws:iam::123456789012:policy/crucible-dev-operator",
		res.Outputs["operatorPolicyArn"])
	assert.Equal(t, "aws s3 ls s3://"+devBucket+"/"+prefix+"/ --region us-east-1",
		res.Outputs["auditTrailCommand"])
}

// bySid returns a policy's statements keyed by Sid.
func bySid(t *testing.T, policy map[string]any) map[string]map[string]any {
	t.Helper()

	raw, err := json.Marshal(policy["Statement"])
	require.NoError(t, err)

	var list []map[string]any
	require.NoError(t, json.Unmarshal(raw, &list))

	out := map[string]map[string]any{}
	for _, s := range list {
		sid, _ := s["Sid"].(string)
		require.NotEmpty(t, sid, "every statement has a Sid")
		require.NotContains(t, out, sid, "Sids are unique")
		out[sid] = s
	}

	return out
}
