package main

import (
	"context"
	"fmt"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

// packName is the name the engine shows with every finding.
const packName = "crucible"

// packVersion is the pack's version; bump it when a rule changes what it accepts.
var packVersion = semver.MustParse("1.0.0")

// newPack registers one policy per rule, at the rule's default level, plus the two policies for
// unknown values. The engine applies levels from a policy configuration file on top.
func newPack(all []rules.Rule) (policyx.PolicyPack, error) {
	policies := make([]policyx.Policy, 0, len(all)+2)

	for _, rule := range all {
		if rule.Stack != nil {
			policies = append(policies, stackPolicy(rule))
			continue
		}

		policies = append(policies, resourcePolicy(rule))
	}

	policies = append(policies,
		policyx.NewResourceValidationPolicy(rules.UncheckedResourcePolicy,
			policyx.ResourceValidationPolicyArgs{
				Description: "A rule could not check a resource: a value it needs is unknown " +
					"until the deployment runs. Run `pulumi preview` again after the update, " +
					"or `crucible check --state` on the exported stack.",
				EnforcementLevel: policyx.EnforcementLevelAdvisory,
				ValidateResource: func(_ context.Context, args policyx.ResourceValidationArgs) error {
					return reportUnchecked(all, args)
				},
			}),
		policyx.NewStackValidationPolicy(rules.UncheckedStackPolicy, policyx.StackValidationPolicyArgs{
			Description: "A stack rule could not relate resources: a reference it follows is " +
				"unknown until the deployment runs.",
			EnforcementLevel: policyx.EnforcementLevelAdvisory,
			ValidateStack: func(_ context.Context, args policyx.StackValidationArgs) error {
				return reportStackUnchecked(all, args)
			},
		}),
	)

	pack, err := policyx.NewPolicyPack(packName, packVersion, policyx.EnforcementLevelMandatory,
		policies)
	if err != nil {
		return nil, fmt.Errorf("policy pack %s: %w", packName, err)
	}

	return pack, nil
}

// description is what the engine prints above each finding: the rule, its controls and its
// requirement.
func description(rule rules.Rule) string {
	return rule.Title() + ": " + rule.Description
}

func level(l rules.Level) policyx.EnforcementLevel {
	switch l {
	case rules.Mandatory:
		return policyx.EnforcementLevelMandatory
	case rules.Disabled:
		return policyx.EnforcementLevelDisabled
	default:
		return policyx.EnforcementLevelAdvisory
	}
}

func resourcePolicy(rule rules.Rule) policyx.Policy {
	return policyx.NewResourceValidationPolicy(rule.ID, policyx.ResourceValidationPolicyArgs{
		Description:      description(rule),
		EnforcementLevel: level(rule.Level),
		ValidateResource: func(_ context.Context, args policyx.ResourceValidationArgs) error {
			violations, err := checkResource(rule, args.Resource)
			if err != nil {
				return err
			}

			for _, v := range violations {
				if !v.Unknown {
					args.Manager.ReportViolation(v.Message, "")
				}
			}

			return nil
		},
	})
}

func stackPolicy(rule rules.Rule) policyx.Policy {
	return policyx.NewStackValidationPolicy(rule.ID, policyx.StackValidationPolicyArgs{
		Description:      description(rule),
		EnforcementLevel: level(rule.Level),
		ValidateStack: func(_ context.Context, args policyx.StackValidationArgs) error {
			violations, err := checkStack(rule, args.Resources)
			if err != nil {
				return err
			}

			for _, v := range violations {
				if !v.Unknown {
					args.Manager.ReportViolation(v.Message, v.URN)
				}
			}

			return nil
		},
	})
}

func reportUnchecked(all []rules.Rule, args policyx.ResourceValidationArgs) error {
	for _, rule := range all {
		violations, err := checkResource(rule, args.Resource)
		if err != nil {
			return err
		}

		for _, v := range violations {
			if v.Unknown {
				args.Manager.ReportViolation(rule.ID+": "+v.Message, "")
			}
		}
	}

	return nil
}

func reportStackUnchecked(all []rules.Rule, args policyx.StackValidationArgs) error {
	for _, rule := range all {
		violations, err := checkStack(rule, args.Resources)
		if err != nil {
			return err
		}

		for _, v := range violations {
			if v.Unknown {
				args.Manager.ReportViolation(rule.ID+": "+v.Message, v.URN)
			}
		}
	}

	return nil
}

// checkResource runs a resource rule on the engine's view of a resource. A rule that broke is an
// error, which fails the preview: a broken rule must never let a change through.
func checkResource(rule rules.Rule, r policyx.AnalyzerResource) ([]rules.Violation, error) {
	if !rule.AppliesTo(r.Type) {
		return nil, nil
	}

	violations := rules.CheckResource(rule, r.Type, resource.ToResourcePropertyMap(r.Properties))

	return violations, brokenRule(violations, r.URN)
}

func checkStack(rule rules.Rule, resources []policyx.AnalyzerResource) ([]rules.Violation, error) {
	if rule.Stack == nil {
		return nil, nil
	}

	violations := rules.CheckStack(rule, stackResources(resources))

	return violations, brokenRule(violations, "the stack")
}

func brokenRule(violations []rules.Violation, subject string) error {
	for _, v := range violations {
		if v.Broken {
			return fmt.Errorf("policy pack %s on %s: %s", packName, subject, v.Message)
		}
	}

	return nil
}

// stackResources converts the engine's resources for the stack rules. The engine gives no ids;
// the rules link resources through property dependencies and the id in the outputs instead.
func stackResources(in []policyx.AnalyzerResource) []rules.Resource {
	out := make([]rules.Resource, 0, len(in))
	for _, r := range in {
		out = append(out, rules.Resource{
			URN:                  r.URN,
			Type:                 r.Type,
			Properties:           resource.ToResourcePropertyMap(r.Properties),
			PropertyDependencies: r.PropertyDependencies,
		})
	}

	return out
}
