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

// Evaluate runs the rules over the resources. levels overrides rules' default enforcement by
// rule id. Findings about unknown values are advisory; disabled rules do not run.
func Evaluate(all []Rule, resources []Resource, levels map[string]Level) []Finding {
	var findings []Finding

	for _, rule := range all {
		level := rule.Level
		if l, ok := levels[rule.ID]; ok {
			level = l
		}

		if level == Disabled {
			continue
		}

		var violations []Violation
		if rule.Stack != nil {
			violations = CheckStack(rule, resources)
		}

		for _, res := range resources {
			for _, v := range CheckResource(rule, res.Type, res.Properties) {
				if v.URN == "" {
					v.URN = res.URN
				}
				violations = append(violations, v)
			}
		}

		for _, v := range violations {
			findings = append(findings, Finding{
				Rule: rule, URN: v.URN, Message: v.Message, Level: FindingLevel(level, v),
				Unknown: v.Unknown,
			})
		}
	}

	return findings
}

// FindingLevel is the level a violation is reported at under a rule enforced at level: a value
// that could not be checked is advisory, so a preview with unknowns is never blocked by them; a
// rule that broke is mandatory, so it never lets a change through.
func FindingLevel(level Level, v Violation) Level {
	switch {
	case v.Broken:
		return Mandatory
	case v.Unknown:
		return Advisory
	default:
		return level
	}
}
