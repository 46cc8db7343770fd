package tests

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/rendertest"
)

// motoEndpoint returns the moto_server to validate against: CRUCIBLE_MOTO_ENDPOINT when set (CI
// and scripts/start-moto), else one this test starts on a free loopback port and stops at its
// end. Without moto_server the test skips, or fails under CRUCIBLE_REQUIRE_ALL=1.
func motoEndpoint(t *testing.T) string {
	t.Helper()

	if endpoint := os.Getenv("CRUCIBLE_MOTO_ENDPOINT"); endpoint != "" {
		return endpoint
	}

	bin, err := exec.LookPath("moto_server")
	if err != nil {
		const howTo = "install it (pip install 'moto[server]') or set CRUCIBLE_MOTO_ENDPOINT " +
			"to a running one, for example $(scripts/start-moto)"
		if os.Getenv("CRUCIBLE_REQUIRE_ALL") == "1" {
			t.Fatalf("moto_server is required (CRUCIBLE_REQUIRE_ALL=1) but missing: %s", howTo)
		}

		t.Skipf("moto_server is missing; %s (CI sets CRUCIBLE_REQUIRE_ALL=1 and runs this test)",
			howTo)
	}

	port := freePort(t)
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", port)
	require.NoError(t, cmd.Start(), "starting moto_server")

	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	endpoint := "http://127.0.0.1:" + port
	deadline := time.Now().Add(30 * time.Second)

	for time.Now().Before(deadline) {
		resp, err := http.Get(endpoint + "/moto-api/")
		if err == nil {
			_ = resp.Body.Close()

			return endpoint
		}

		time.Sleep(200 * time.Millisecond)
	}

	t.Fatalf("moto_server did not answer on %s within 30s", endpoint)

	return ""
}

func freePort(t *testing.T) string {
	t.Helper()

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()

	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func motoConfig(endpoint string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// policyText is one policy document the program produces, with where it came from.
type policyText struct {
	source string
	trust  bool
	text   string
}

// policyProperties are the properties of the rendered resources that hold a policy document.
var policyProperties = map[string]string{
	"aws:iam/role:Role":                "assumeRolePolicy",
	"aws:iam/policy:Policy":            "policy",
	"aws:iam/rolePolicy:RolePolicy":    "policy",
	"aws:kms/key:Key":                  "policy",
	"aws:s3/bucketPolicy:BucketPolicy": "policy",
	"aws:ec2/vpcEndpoint:VpcEndpoint":  "policy",
}

// collectPolicies returns every policy document of a render, failing on any resource type that
// could carry one and is not collected here.
func collectPolicies(t *testing.T, overrides ...string) []policyText {
	t.Helper()

	res := rendertest.Render(t, overrides...)

	var out []policyText
	for _, r := range res.Resources {
		prop, ok := policyProperties[r.Type]
		if !ok {
			require.Empty(t, r.String("policy"), "%s %s has a policy this test does not check",
				r.Type, r.Name)

			continue
		}

		text := r.String(prop)
		require.NotEmpty(t, text, "%s %s: %s is empty", r.Type, r.Name, prop)
		out = append(out, policyText{
			source: r.Type + " " + r.Name, trust: r.Type == "aws:iam/role:Role", text: text,
		})
	}

	return out
}

// TestEveryPolicyAndTheSessionDocumentPassAWSValidation sends every IAM policy document the
// program writes (trust policy, the host's inline policies, the operator policy, the revocation
// deny, and the key and bucket policies) through IAM's policy grammar as moto implements it, and
// the session document through SSM's CreateDocument. Mocks cannot see a misspelt condition
// operator; this can. moto's KMS and S3 accept any policy text, so the key and bucket policies are
// checked with IAM's grammar as well.
func TestEveryPolicyAndTheSessionDocumentPassAWSValidation(t *testing.T) {
	cfg := motoConfig(motoEndpoint(t))
	ctx := context.Background()
	iamClient := awsiam.NewFromConfig(cfg)
	ssmClient := ssm.NewFromConfig(cfg)
	run := fmt.Sprint(time.Now().UnixNano())

	scenarios := map[string][]string{
		"dev": nil,
		"revoked": {
			"accessRevoked=true", principalsConfig, "auditObjectLockDays=30",
			"sessionSudo=true",
		},
	}
	// dev: the host role's trust, logging and credential guard policies, the key and bucket
	// policies, the flow log delivery role's trust and policy, and the six endpoint policies;
	// revoked adds the revocation deny.
	wantCounts := map[string]int{"dev": 14, "revoked": 15}

	for scenario, overrides := range scenarios {
		policies := collectPolicies(t, overrides...)
		assert.Len(t, policies, wantCounts[scenario], "%s: policy documents found", scenario)

		for i, p := range policies {
			name := fmt.Sprintf("crucible-%s-%s-%d", scenario, run, i)
			err := createPolicy(ctx, iamClient, name, p)
			assert.NoError(t, err, "%s: %s must pass IAM policy validation:\n%s", scenario,
				p.source, p.text)
		}
	}

	t.Run("a misspelt condition operator is refused", func(t *testing.T) {
		bad := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ssm:StartSession",` +
			`"Resource":"*","Condition":{"BoolIfExist":{"aws:MultiFactorAuthPresent":"false"}}}]}`

		err := createPolicy(ctx, iamClient, "crucible-misspelt-"+run, policyText{text: bad})
		requireAPIError(t, err, "MalformedPolicyDocument")
	})

	t.Run("the session document is accepted", func(t *testing.T) {
		res := rendertest.Render(t)
		doc := rendertest.One(t, res, typeDocument, "sandbox-audit-session-preferences")
		content := doc.String("content")

		_, _ = ssmClient.DeleteDocument(ctx, &ssm.DeleteDocumentInput{Name: aws.String(devDocument)})
		t.Cleanup(func() {
			_, _ = ssmClient.DeleteDocument(ctx, &ssm.DeleteDocumentInput{Name: aws.String(devDocument)})
		})

		_, err := ssmClient.CreateDocument(ctx, &ssm.CreateDocumentInput{
			Name:           aws.String(doc.String("name")),
			Content:        aws.String(content),
			DocumentType:   ssmtypes.DocumentType(doc.String("documentType")),
			DocumentFormat: ssmtypes.DocumentFormat(doc.String("documentFormat")),
		})
		require.NoError(t, err, "SSM must accept the session document")

		got, err := ssmClient.GetDocument(ctx, &ssm.GetDocumentInput{Name: aws.String(devDocument)})
		require.NoError(t, err)
		assert.Equal(t, ssmtypes.DocumentTypeSession, got.DocumentType)
		assert.JSONEq(t, content, aws.ToString(got.Content))
	})

	t.Run("a reserved document name is refused", func(t *testing.T) {
		res := rendertest.Render(t)
		content := rendertest.One(t, res, typeDocument, "sandbox-audit-session-preferences").
			String("content")

		_, err := ssmClient.CreateDocument(ctx, &ssm.CreateDocumentInput{
			Name: aws.String("amazon-crucible-" + run), Content: aws.String(content),
			DocumentType: ssmtypes.DocumentTypeSession, DocumentFormat: ssmtypes.DocumentFormatJson,
		})
		requireAPIError(t, err, "ValidationException")
	})
}

// createPolicy creates a trust policy as a role's and anything else as a managed policy, the two
// IAM calls that run AWS's policy validation.
func createPolicy(ctx context.Context, c *awsiam.Client, name string, p policyText) error {
	if p.trust {
		_, err := c.CreateRole(ctx, &awsiam.CreateRoleInput{
			RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(p.text),
		})

		return err
	}

	_, err := c.CreatePolicy(ctx, &awsiam.CreatePolicyInput{
		PolicyName: aws.String(name), PolicyDocument: aws.String(p.text),
	})

	return err
}

func requireAPIError(t *testing.T, err error, code string) {
	t.Helper()

	var apiErr smithy.APIError
	require.True(t, errors.As(err, &apiErr), "want AWS error %s, got %v", code, err)
	assert.Equal(t, code, apiErr.ErrorCode())
}
