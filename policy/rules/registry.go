package rules

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// All returns every rule, security invariants first, in the order reports list them.
func All() []Rule {
	return []Rule{
		NoIngressFromAnywhere,
		HostSecurityGroupNoIngress,
		NetworkACLNoAdminPortsFromAnywhere,
		DefaultSecurityGroupNoRules,
		InstanceNoPublicIP,
		SubnetNoAutoAssignPublicIP,
		InstanceIMDSv2Required,
		InstanceVolumesEncrypted,
		InstanceNoKeyPair,
		VPCFlowLogsEnabled,
		SessionDocumentLogging,
		OperatorPolicyRequiresMFA,
		IAMNoAdminPrivileges,
		BucketPublicAccessBlocked,
		BucketTLSOnly,
		BucketKMSEncrypted,
		BucketVersioningEnabled,
		KMSKeyRotation,
		LogGroupRetention,
		LogGroupKMSEncrypted,
		InterfaceEndpointPrivateDNS,
		VPCDNSEnabled,
		InstanceMetadataHopLimit,
		InstanceManagedBySSM,
	}
}

// Finding is one violation with the rule that found it and the level it is enforced at.
type Finding struct {
	Rule    Rule
	URN     string
	Message string
	Level   Level
	Unknown bool
}

// CheckResource runs a resource rule on one resource. A rule that panics yields a mandatory
// finding instead of crashing the caller: a broken rule must fail closed, and visibly.
func CheckResource(rule Rule, typ string, props resource.PropertyMap) (out []Violation) {
	if rule.Resource == nil || !rule.AppliesTo(typ) {
		return nil
	}

	defer recoverInto(rule, &out)

	return rule.Resource(typ, props)
}

// CheckStack runs a stack rule on all resources, failing closed like CheckResource.
func CheckStack(rule Rule, resources []Resource) (out []Violation) {
	if rule.Stack == nil {
		return nil
	}

	defer recoverInto(rule, &out)

	return rule.Stack(resources)
}

func recoverInto(rule Rule, out *[]Violation) {
	if p := recover(); p != nil {
		*out = []Violation{{Message: fmt.Sprintf("rule %s failed: %v", rule.ID, p), Broken: true}}
	}
}

// The policies that carry every rule's "could not be checked" findings, resource rules' and stack
// rules' respectively. A rule's own level may be mandatory, and an unknown value must not block a
// preview, so these findings are enforced at the level of these policies instead: advisory unless
// a policy configuration says otherwise.
const (
	UncheckedResourcePolicy = "unchecked-values"
	UncheckedStackPolicy    = "unchecked-stack-values"
)

// Evaluate runs the rules over the resources. levels overrides enforcement by policy name: a
// rule's id, or one of the two unchecked policies. Disabled rules do not run.
func Evaluate(all []Rule, resources []Resource, levels map[string]Level) []Finding {
	var findings []Finding

	for _, rule := range all {
		level := levelOf(levels, rule.ID, rule.Level)
		if level == Disabled {
			continue
		}

		unchecked := levelOf(levels, UncheckedResourcePolicy, Advisory)
		if rule.Stack != nil {
			unchecked = levelOf(levels, UncheckedStackPolicy, Advisory)
		}

		for _, v := range violations(rule, resources) {
			l := FindingLevel(level, unchecked, v)
			if l == Disabled {
				continue
			}

			findings = append(findings, Finding{
				Rule: rule, URN: v.URN, Message: v.Message, Level: l, Unknown: v.Unknown,
			})
		}
	}

	return findings
}

func levelOf(levels map[string]Level, name string, def Level) Level {
	if l, ok := levels[name]; ok {
		return l
	}

	return def
}

// violations runs one rule over every resource it applies to, naming each violation's resource.
func violations(rule Rule, resources []Resource) []Violation {
	if rule.Stack != nil {
		return CheckStack(rule, resources)
	}

	var out []Violation
	for _, res := range resources {
		for _, v := range CheckResource(rule, res.Type, res.Properties) {
			if v.URN == "" {
				v.URN = res.URN
			}
			out = append(out, v)
		}
	}

	return out
}

// FindingLevel is the level a violation is reported at: a value that could not be checked at the
// unchecked policy's level, so a preview with unknowns is not blocked by them; a rule that broke
// is mandatory, so it never lets a change through; anything else at the rule's level.
func FindingLevel(level, unchecked Level, v Violation) Level {
	switch {
	case v.Broken:
		return Mandatory
	case v.Unknown:
		return unchecked
	default:
		return level
	}
}
