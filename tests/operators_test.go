package tests

import (
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/iam"
	"github.com/crucible-sandbox/crucible/internal/mockcloud"
	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/policy/rules"
	"github.com/crucible-sandbox/crucible/sandbox"
)

const (
	typePolicy         = "aws:iam/policy:Policy"
	typeRoleAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	typeUserAttachment = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
	operatorPolicyName = "sandbox-operators-policy"
	principalsConfig   = `operatorPrincipals=["arn:aws:iam::123456789012:role/evals/Reviewer",` +
		`"arn:aws:iam::123456789012:user/alice"]`
)

func operatorStatements(t *testing.T, res *render.Result) map[string]map[string]any {
	t.Helper()

	return bySid(t, rendertest.JSONDoc(t, rendertest.One(t, res, typePolicy, operatorPolicyName),
		"policy"))
}

func TestOperatorPolicyIsTaggedForThePolicyPackAndNamedPerStack(t *testing.T) {
	res := rendertest.Render(t)
	policy := rendertest.One(t, res, typePolicy, operatorPolicyName)

	assert.Equal(t, "crucible-dev-operator", policy.Get("name"))
	assert.Equal(t, "operator", policy.Get("tags.crucible:role"))
	assert.Equal(t, "dev", policy.Get("tags.crucible-stack"))
	assert.Equal(t, rules.OperatorRoleTag, iam.OperatorRoleTag, "the pack finds the policy by tag")
	assert.Equal(t, rules.OperatorRoleValue, iam.OperatorRoleValue)
}

func TestOperatorPolicyRequiresMFAThisHostAndTheLoggedDocument(t *testing.T) {
	res := rendertest.Render(t)
	host := rendertest.One(t, res, typeInstance, "sandbox-host-instance")
	doc := rendertest.One(t, res, typeDocument, "sandbox-audit-session-preferences")
	s := operatorStatements(t, res)

	start := s["StartSessionOnThisStacksHost"]
	assert.Equal(t, []any{host.String("arn")}, start["Resource"])
	assert.Equal(t, map[string]any{
		"StringEquals": map[string]any{"ssm:resourceTag/crucible-stack": "dev"},
		"BoolIfExists": map[string]any{"ssm:SessionDocumentAccessCheck": "true"},
	}, start["Condition"])
	assert.Equal(t, "dev", host.Get("tags.crucible-stack"),
		"the host carries the tag the policy needs")

	withDoc := s["StartSessionWithThisStacksDocumentOnly"]
	assert.Equal(t, []any{doc.String("arn")}, withDoc["Resource"])
	assert.Equal(t, "arn:aws:ssm:us-east-1:123456789012:document/"+devDocument, doc.String("arn"))
	assert.Equal(t, map[string]any{
		"BoolIfExists": map[string]any{"ssm:SessionDocumentAccessCheck": "true"},
	}, withDoc["Condition"])

	mfa := s["DenyEverythingWithoutMFA"]
	assert.Equal(t, "Deny", mfa["Effect"])
	assert.Equal(t, []any{"*"}, mfa["Resource"])
	assert.Equal(t, map[string]any{
		"BoolIfExists": map[string]any{"aws:MultiFactorAuthPresent": "false"},
	}, mfa["Condition"])

	instance := rendertest.One(t, res, "aws:ec2/instance:Instance", "sandbox-host-instance")
	onThisHost := map[string]any{"ssm:resourceTag/aws:ssmmessages:target-id": instance.ID}
	own := s["EndOrResumeOwnSessionsAsAssumedRole"]
	assert.Equal(t, map[string]any{
		"StringLike":   map[string]any{"ssm:resourceTag/aws:ssmmessages:session-id": "${aws:userid}"},
		"StringEquals": onThisHost,
	}, own["Condition"])
	assert.Equal(t, map[string]any{"StringEquals": onThisHost},
		s["EndOrResumeOwnSessionsAsIAMUser"]["Condition"])
	runAs := s["DenyRunAsTagOverride"]["Condition"].(map[string]any)["StringNotEquals"]
	assert.Equal(t, map[string]any{"aws:PrincipalTag/SSMSessionRunAs": "crucible-operator"}, runAs,
		"the run-as tag may only name the stack's own session user")
	assert.Equal(t, []any{"arn:aws:ssm:us-east-1:123456789012:session/${aws:username}-*"},
		s["EndOrResumeOwnSessionsAsIAMUser"]["Resource"])

	assert.Equal(t, []any{key(t, res).String("arn")}, s["EncryptSessionData"]["Resource"])
	assert.NotContains(t, s, "AccessRevokedNoNewSessions")
}

func TestOperatorPolicyIsAttachedToEachConfiguredPrincipal(t *testing.T) {
	none := rendertest.Render(t)
	assert.Len(t, none.OfType(typeRoleAttachment), 1, "only the host role's managed policy")
	assert.Empty(t, none.OfType(typeUserAttachment))

	res := rendertest.Render(t, principalsConfig)
	policyArn := rendertest.One(t, res, typePolicy, operatorPolicyName).String("arn")

	role := rendertest.One(t, res, typeRoleAttachment, "sandbox-operators-role-Reviewer")
	assert.Equal(t, "Reviewer", role.Get("role"))
	assert.Equal(t, policyArn, role.Get("policyArn"))

	user := rendertest.One(t, res, typeUserAttachment, "sandbox-operators-user-alice")
	assert.Equal(t, "alice", user.Get("user"))
	assert.Equal(t, policyArn, user.Get("policyArn"))
}

func TestRevokedAccessDeniesOperatorsAndClosesTheHostsSessionChannels(t *testing.T) {
	res := rendertest.Render(t, "accessRevoked=true", principalsConfig)
	host := rendertest.One(t, res, typeInstance, "sandbox-host-instance")
	doc := rendertest.One(t, res, typeDocument, "sandbox-audit-session-preferences")
	s := operatorStatements(t, res)

	assert.Equal(t, map[string]any{
		"Sid": "AccessRevokedNoNewSessions", "Effect": "Deny",
		"Action":   []any{"ssm:StartSession"},
		"Resource": []any{host.String("arn"), doc.String("arn")},
	}, s["AccessRevokedNoNewSessions"])
	assert.Equal(t, map[string]any{
		"Sid": "AccessRevokedNoResumedSessions", "Effect": "Deny",
		"Action":   []any{"ssm:ResumeSession"},
		"Resource": []any{"arn:aws:ssm:us-east-1:123456789012:session/*"},
		"Condition": map[string]any{"StringEquals": map[string]any{
			"ssm:resourceTag/aws:ssmmessages:target-id": host.ID,
		}},
	}, s["AccessRevokedNoResumedSessions"])

	role := rendertest.One(t, res, typeRole, "sandbox-host-role")
	revoked := rendertest.One(t, res, typeRolePolicy, "sandbox-operators-host-revoked")
	assert.Equal(t, role.ID, revoked.Get("role"))
	assert.Equal(t, map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid": "AccessRevokedNoSessionChannels", "Effect": "Deny",
			"Action": []any{
				"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
				"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
			},
			"Resource": []any{"*"},
		}},
	}, rendertest.JSONDoc(t, revoked, "policy"))

	_, open := rendertest.Render(t).Find(typeRolePolicy, "sandbox-operators-host-revoked")
	assert.False(t, open, "the host deny exists only while access is revoked")
}

func TestAuditAndAccessPassThePolicyPack(t *testing.T) {
	audited := []string{
		rules.SessionDocumentLogging.ID, rules.OperatorPolicyRequiresMFA.ID,
		rules.IAMNoAdminPrivileges.ID, rules.BucketPublicAccessBlocked.ID,
		rules.BucketTLSOnly.ID, rules.BucketKMSEncrypted.ID, rules.BucketVersioningEnabled.ID,
		rules.KMSKeyRotation.ID, rules.LogGroupRetention.ID, rules.LogGroupKMSEncrypted.ID,
		rules.InterfaceEndpointPrivateDNS.ID,
	}

	for _, overrides := range [][]string{nil, {"accessRevoked=true", principalsConfig}} {
		res := rendertest.Render(t, overrides...)

		var resources []rules.Resource
		for _, r := range res.Resources {
			resources = append(resources, rules.Resource{
				URN: r.URN, Type: r.Type, ID: r.ID, Properties: r.Outputs,
				PropertyDependencies: r.PropertyDependencies,
			})
		}

		var selected []rules.Rule
		for _, r := range rules.All() {
			for _, id := range audited {
				if r.ID == id {
					selected = append(selected, r)
				}
			}
		}
		require.Len(t, selected, len(audited))

		for _, f := range rules.Evaluate(selected, resources, nil) {
			t.Errorf("%v: %s finds %s: %s", overrides, f.Rule.ID, f.URN, f.Message)
		}
	}
}

// countingMonitor answers like the stand-in account and records what the program registers.
type countingMonitor struct {
	cloud *mockcloud.Cloud

	mu         sync.Mutex
	registered []string
}

func (m *countingMonitor) NewResource(
	args pulumi.MockResourceArgs,
) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.registered = append(m.registered, args.TypeToken+" "+args.Name)
	m.mu.Unlock()

	if !args.Custom {
		return "", args.Inputs, nil
	}

	return m.cloud.Resource(args.TypeToken, args.Name, args.Inputs)
}

func (m *countingMonitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return m.cloud.Invoke(args.Token, args.Args)
}

// runCounting runs the program on cfg and returns what it registered and its error.
func runCounting(cfg *render.StackConfig) ([]string, error) {
	mon := &countingMonitor{cloud: mockcloud.New(mockcloud.Options{})}

	err := pulumi.RunErr(sandbox.WithConfigKeys(cfg.Keys()),
		pulumi.WithMocks(cfg.Project, cfg.Stack, mon),
		func(info *pulumi.RunInfo) { info.Config = cfg.Values })

	return mon.registered, err
}

func TestInvalidAccessAndAuditConfigRegistersNothing(t *testing.T) {
	registered, err := runCounting(rendertest.Config(t))
	require.NoError(t, err)
	require.Contains(t, registered, "crucible:audit:SessionAudit sandbox-audit",
		"the monitor sees registrations, so an empty record below means none happened")
	cases := []struct {
		name     string
		override string
		want     string
	}{
		{
			"idle timeout", "sessionIdleTimeoutMinutes=90",
			`crucible:sessionIdleTimeoutMinutes: "90" is not a whole number from 1 to 60`,
		},
		{
			"session length", "sessionMaxDurationMinutes=0",
			`crucible:sessionMaxDurationMinutes: "0" is not a whole number from 1 to 1440`,
		},
		{
			"retention", "auditRetentionDays=100",
			`crucible:auditRetentionDays: "100" is not a retention CloudWatch Logs accepts`,
		},
		{
			"malformed principal", `operatorPrincipals=["arn:aws:iam::123456789012:root"]`,
			`crucible:operatorPrincipals[0]: "arn:aws:iam::123456789012:root" is not an IAM ` +
				`role or user ARN`,
		},
		{
			"principal of another account", `operatorPrincipals=["arn:aws:iam::210987654321:role/x"]`,
			`crucible:operatorPrincipals[0]: "arn:aws:iam::210987654321:role/x" is in account ` +
				`210987654321, but the stack deploys to account 123456789012`,
		},
		{
			"run-as user", "sessionRunAsUser=ec2-user",
			`crucible:sessionRunAsUser: "ec2-user" is an account the image or the Session ` +
				`Manager agent already has`,
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := rendertest.Config(t, tc.override)

			registered, err := runCounting(cfg)
			require.Error(t, err)
			assert.True(t, strings.Contains(err.Error(), tc.want), "error %q must say %q", err, tc.want)
			assert.Empty(t, registered, "nothing may be registered before the config is valid")

			_, err = render.Render(cfg)
			require.Error(t, err, "the offline render refuses it too")
		})
	}
}
