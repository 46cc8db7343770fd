package network_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/network"
)

// thisAccountOnly is the statement every endpoint policy starts with, for account 123456789012.
const thisAccountOnly = `{
	"Sid": "ThisAccountPrincipalsOnThisAccountResources",
	"Effect": "Allow",
	"Principal": {"AWS": "*"},
	"Action": ["*"],
	"Resource": ["*"],
	"Condition": {"StringEquals": {
		"aws:PrincipalAccount": "123456789012",
		"aws:ResourceAccount": "123456789012"
	}}
}`

func TestInterfaceEndpointsAdmitOnlyThisAccountsPrincipalsOnItsResources(t *testing.T) {
	res := renderVpc(t, baseArgs())

	for _, svc := range []string{"ssmmessages", "ec2messages"} {
		endpoint := rendertest.One(t, res, endpointType, "net-"+svc)
		assert.JSONEq(t, `{"Version": "2012-10-17", "Statement": [`+thisAccountOnly+`]}`,
			endpoint.String("policy"),
			"%s: another account's credentials must not pass the endpoint", svc)
	}
}

func TestSsmEndpointAlsoReadsAwsOwnedDocumentsAndPublicParameters(t *testing.T) {
	res := renderVpc(t, baseArgs())
	ssm := rendertest.One(t, res, endpointType, "net-ssm")

	assert.JSONEq(t, `{"Version": "2012-10-17", "Statement": [`+thisAccountOnly+`, {
		"Sid": "ThisAccountPrincipalsReadAwsOwnedSsmResources",
		"Effect": "Allow",
		"Principal": {"AWS": "*"},
		"Action": ["ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetParameter",
			"ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"],
		"Resource": ["arn:aws:ssm:eu-west-1::document/*", "arn:aws:ssm:eu-west-1::parameter/aws/*"],
		"Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}
	}]}`, ssm.String("policy"))
}

func TestEveryEndpointHasAPolicyInBothNatModes(t *testing.T) {
	for _, nat := range []bool{false, true} {
		args := baseArgs()
		args.EnableNat = nat
		res := renderVpc(t, args)

		endpoints := res.OfType(endpointType)
		require.Len(t, endpoints, 4, "ssm, ssmmessages, ec2messages and the S3 gateway")

		for _, e := range endpoints {
			doc := rendertest.JSONDoc(t, e, "policy")
			statements, _ := doc["Statement"].([]any)
			require.NotEmpty(t, statements, "%s (nat=%v): the default policy admits everyone",
				e.Name, nat)

			for i, s := range statements {
				cond, _ := s.(map[string]any)["Condition"].(map[string]any)
				assert.NotEmpty(t, cond, "%s statement %d: every statement is narrowed by account",
					e.Name, i)
			}
		}
	}
}

func TestS3EndpointReachesOnlyAwsOwnedBucketsWithoutAnAuditBucket(t *testing.T) {
	res := renderVpc(t, baseArgs())
	s3 := rendertest.One(t, res, endpointType, "net-s3")

	assert.JSONEq(t, `{"Version": "2012-10-17", "Statement": [{
		"Sid": "ReadAwsOwnedBucketsAnonymouslyOrAsThisAccount",
		"Effect": "Allow",
		"Principal": {"AWS": "*"},
		"Action": ["s3:GetObject"],
		"Resource": [
			"arn:aws:s3:::aws-ssm-eu-west-1/*",
			"arn:aws:s3:::amazon-ssm-eu-west-1/*",
			"arn:aws:s3:::amazon-ssm-packages-eu-west-1/*",
			"arn:aws:s3:::eu-west-1-birdwatcher-prod/*",
			"arn:aws:s3:::aws-ssm-distributor-file-eu-west-1/*",
			"arn:aws:s3:::aws-ssm-document-attachments-eu-west-1/*",
			"arn:aws:s3:::patch-baseline-snapshot-eu-west-1/*",
			"arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/*"
		],
		"Condition": {"StringEqualsIfExists": {"aws:PrincipalAccount": "123456789012"}}
	}]}`, s3.String("policy"))
}

func TestS3EndpointLetsThisAccountWriteOnlyTheAuditBucket(t *testing.T) {
	args := baseArgs()
	args.AuditBucketArn = pulumi.String("arn:aws:s3:::crucible-audit-dev-123456789012-eu-west-1")
	res := renderVpc(t, args)

	doc := rendertest.JSONDoc(t, rendertest.One(t, res, endpointType, "net-s3"), "policy")
	statements, _ := doc["Statement"].([]any)
	require.Len(t, statements, 2)

	assert.Equal(t, map[string]any{
		"Sid":       "WriteThisStackAuditBucketAsThisAccount",
		"Effect":    "Allow",
		"Principal": map[string]any{"AWS": "*"},
		"Action":    []any{"s3:PutObject", "s3:GetEncryptionConfiguration"},
		"Resource": []any{
			"arn:aws:s3:::crucible-audit-dev-123456789012-eu-west-1",
			"arn:aws:s3:::crucible-audit-dev-123456789012-eu-west-1/*",
		},
		"Condition": map[string]any{"StringEquals": map[string]any{
			"aws:PrincipalAccount": "123456789012",
			"aws:ResourceAccount":  "123456789012",
		}},
	}, statements[1], "reading transcripts back, or writing any other bucket, is not allowed")
}

func TestAwsOwnedBucketsAreTheLinuxAgentsAndTheAL2023Repository(t *testing.T) {
	buckets := network.AwsOwnedBuckets("ap-southeast-2")

	assert.Equal(t, []string{
		"aws-ssm-ap-southeast-2",
		"amazon-ssm-ap-southeast-2",
		"amazon-ssm-packages-ap-southeast-2",
		"ap-southeast-2-birdwatcher-prod",
		"aws-ssm-distributor-file-ap-southeast-2",
		"aws-ssm-document-attachments-ap-southeast-2",
		"patch-baseline-snapshot-ap-southeast-2",
		"al2023-repos-ap-southeast-2-de612dc2",
	}, buckets)
	assert.NotContains(t, buckets, "aws-windows-downloads-ap-southeast-2", "a Linux host")
}

func TestPerimeterArgumentsAreRequired(t *testing.T) {
	cases := map[string]struct {
		mutate func(a *network.VpcArgs)
		want   string
	}{
		"missing account":      {func(a *network.VpcArgs) { a.AccountID = "" }, `account id ""`},
		"malformed account":    {func(a *network.VpcArgs) { a.AccountID = "12345" }, `"12345"`},
		"missing partition":    {func(a *network.VpcArgs) { a.Partition = "" }, "partition"},
		"egress without https": {func(a *network.VpcArgs) { a.EgressPorts = []int{8443} }, "include 443"},
		"egress port out of range": {
			func(a *network.VpcArgs) { a.EgressPorts = []int{443, 70000} }, "70000",
		},
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			args := baseArgs()
			tc.mutate(&args)

			err := renderVpcErr(t, args)
			require.Error(t, err)
			assert.Contains(t, err.Error(), `network: vpc "net":`)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
