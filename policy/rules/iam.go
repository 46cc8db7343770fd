package rules

import (
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// OperatorRoleTag is the tag that marks the operator access policy, the one people attach to get
// into the sandbox: its value is OperatorRoleValue. The iam component sets it.
const (
	OperatorRoleTag   = "crucible:role"
	OperatorRoleValue = "operator"
)

// actionStartSession is the action that opens a Session Manager session.
const actionStartSession = "ssm:StartSession"

// OperatorPolicyRequiresMFA makes sure a stolen password or access key alone cannot open a
// session: the operator policy denies starting sessions whenever MFA is absent.
var OperatorPolicyRequiresMFA = Rule{
	ID: "operator-policy-requires-mfa",
	Description: "The operator policy (tag " + OperatorRoleTag + "=" + OperatorRoleValue + ") " +
		"denies ssm:StartSession on every resource with BoolIfExists " +
		"aws:MultiFactorAuthPresent false.",
	Level:    Mandatory,
	Types:    []string{typeIAMPolicy},
	Resource: operatorPolicyRequiresMFA,
}

func operatorPolicyRequiresMFA(_ string, props resource.PropertyMap) []Violation {
	r := &report{}

	role := get(props, "tags", OperatorRoleTag)
	if role.state == unknown {
		r.unknown(role.path)
		return r.out
	}

	if s, _ := role.str(); s != OperatorRoleValue {
		return nil
	}

	policy := get(props, "policy")
	doc, ok := readPolicy(r, policy)
	if !ok {
		return r.out
	}

	weakCondition := false
	for _, s := range doc.Statements {
		if !strings.EqualFold(s.Effect, "Deny") || !s.coversAction(actionStartSession) ||
			!slices.Contains(s.Resources, "*") {
			continue
		}

		if mfaAbsent(s, "BoolIfExists") {
			return nil
		}

		weakCondition = weakCondition || mfaAbsent(s, "Bool")
	}

	if weakCondition {
		r.fail("%s denies %s with Bool aws:MultiFactorAuthPresent; it must use BoolIfExists, "+
			"or requests signed with long-term access keys, which carry no MFA key, get through",
			policy.path, actionStartSession)
		return r.out
	}

	r.fail("%s has no statement that denies %s on every resource when "+
		"aws:MultiFactorAuthPresent is false (BoolIfExists)", policy.path, actionStartSession)

	return r.out
}

// mfaAbsent reports whether the statement's condition matches requests without MFA.
func mfaAbsent(s policyStatement, operator string) bool {
	values, ok := s.condition(operator, "aws:MultiFactorAuthPresent")

	return ok && len(values) == 1 && strings.EqualFold(values[0], "false")
}

// IAMNoAdminPrivileges keeps every policy the stack writes, the instance role's above all, away
// from full administrative access: code running in the sandbox holds the instance role.
var IAMNoAdminPrivileges = Rule{
	ID:       "iam-no-admin-privileges",
	Controls: []string{"IAM.1"},
	Description: "No IAM policy, inline role policy or role inline policy allows Action \"*\" " +
		"on Resource \"*\".",
	Level:    Mandatory,
	Types:    []string{typeIAMPolicy, typeRolePolicy, typeUserPolicy, typeGroupPolicy, typeIAMRole},
	Resource: iamNoAdminPrivileges,
}

func iamNoAdminPrivileges(typ string, props resource.PropertyMap) []Violation {
	r := &report{}

	policies := []field{get(props, "policy")}
	if typ == typeIAMRole {
		inline := get(props, "inlinePolicies")
		if inline.state == unknown {
			r.unknown(inline.path)
		}

		policies = nil
		for _, p := range inline.items() {
			policies = append(policies, p.sub("policy"))
		}
	}

	for _, policy := range policies {
		if s, ok := policy.str(); policy.state == absent || (ok && s == "") {
			continue
		}

		doc, ok := readPolicy(r, policy)
		if !ok {
			continue
		}

		for i, s := range doc.Statements {
			if strings.EqualFold(s.Effect, "Allow") && slices.Contains(s.Actions, "*") &&
				slices.Contains(s.Resources, "*") {
				r.fail("%s statement %d allows Action \"*\" on Resource \"*\": full "+
					"administrative access", policy.path, i)
			}
		}
	}

	return r.out
}
