package rules_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

const (
	iamPolicyType  = "aws:iam/policy:Policy"
	rolePolicyType = "aws:iam/rolePolicy:RolePolicy"
	roleType       = "aws:iam/role:Role"
)

func policyJSON(t *testing.T, statements ...map[string]any) string {
	t.Helper()

	text, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	require.NoError(t, err)

	return string(text)
}

func operatorPolicy(policy any) map[string]any {
	return map[string]any{
		"policy": policy,
		"tags":   map[string]any{rules.OperatorRoleTag: rules.OperatorRoleValue},
	}
}

func TestOperatorPolicyDeniesSessionsWithoutMFA(t *testing.T) {
	allowStart := map[string]any{
		"Effect": "Allow", "Action": "ssm:StartSession",
		"Resource": []any{"arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"},
	}
	denyWithoutMFA := func(operator string) map[string]any {
		return map[string]any{
			"Sid": "DenyWithoutMFA", "Effect": "Deny", "Resource": "*",
			"Action":    []any{"ssm:StartSession", "ssm:ResumeSession"},
			"Condition": map[string]any{operator: map[string]any{"aws:MultiFactorAuthPresent": "false"}},
		}
	}

	runResourceCases(t, rules.OperatorPolicyRequiresMFA, []resourceCase{
		{
			name: "deny without MFA passes", typ: iamPolicyType,
			props: operatorPolicy(policyJSON(t, allowStart, denyWithoutMFA("BoolIfExists"))),
		},
		{
			name: "a deny on every action except IAM self-service passes", typ: iamPolicyType,
			props: operatorPolicy(policyJSON(t, allowStart, map[string]any{
				"Effect": "Deny", "NotAction": []any{"iam:*", "sts:GetSessionToken"}, "Resource": "*",
				"Condition": map[string]any{"BoolIfExists": map[string]any{
					"aws:MultiFactorAuthPresent": false,
				}},
			})),
		},
		{
			name: "policies without the operator tag are out of scope", typ: iamPolicyType,
			props: map[string]any{"policy": policyJSON(t, allowStart)},
		},
		{
			name: "no MFA deny fails", typ: iamPolicyType,
			props: operatorPolicy(policyJSON(t, allowStart)),
			want: []rules.Violation{fail("policy has no statement that denies ssm:StartSession " +
				"on every resource when aws:MultiFactorAuthPresent is false (BoolIfExists)")},
		},
		{
			name: "a Bool condition fails: access keys carry no MFA key", typ: iamPolicyType,
			props: operatorPolicy(policyJSON(t, allowStart, denyWithoutMFA("Bool"))),
			want: []rules.Violation{fail("policy denies ssm:StartSession with Bool " +
				"aws:MultiFactorAuthPresent; it must use BoolIfExists, or requests signed with " +
				"long-term access keys, which carry no MFA key, get through")},
		},
		{
			name: "unknown policy is reported", typ: iamPolicyType, props: operatorPolicy(computed),
			want: []rules.Violation{unchecked("policy")},
		},
		{
			name: "unknown tags are reported", typ: iamPolicyType,
			props: map[string]any{"policy": "{}", "tags": computed},
			want:  []rules.Violation{unchecked("tags." + rules.OperatorRoleTag)},
		},
	})
}

func TestNoPolicyGrantsAdministratorAccess(t *testing.T) {
	admin := map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}
	logs := map[string]any{
		"Effect": "Allow", "Action": []any{"logs:CreateLogStream", "logs:PutLogEvents"},
		"Resource": "arn:aws:logs:us-east-1:123456789012:log-group:/crucible/*",
	}

	runResourceCases(t, rules.IAMNoAdminPrivileges, []resourceCase{
		{
			name: "scoped instance role policy passes", typ: rolePolicyType,
			props: map[string]any{"policy": policyJSON(t, logs)},
		},
		{
			name: "administrator access fails", typ: rolePolicyType,
			props: map[string]any{"policy": policyJSON(t, logs, admin)},
			want: []rules.Violation{fail(`policy statement 1 allows Action "*" on Resource "*": ` +
				"full administrative access")},
		},
		{
			name: "a role's inline policy is read", typ: roleType,
			props: map[string]any{"inlinePolicies": []any{map[string]any{
				"name": "everything", "policy": policyJSON(t, admin),
			}}},
			want: []rules.Violation{fail(`inlinePolicies[0].policy statement 0 allows Action "*" ` +
				`on Resource "*": full administrative access`)},
		},
		{
			name: "unknown policy is reported", typ: rolePolicyType,
			props: map[string]any{"policy": computed},
			want:  []rules.Violation{unchecked("policy")},
		},
	})
}
