package main

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

const (
	sgType       = "aws:ec2/securityGroup:SecurityGroup"
	instanceType = "aws:ec2/instance:Instance"
	vpcType      = "aws:ec2/vpc:Vpc"
	sgURN        = "urn:pulumi:dev::crucible::aws:ec2/securityGroup:SecurityGroup::host"
	instanceURN  = "urn:pulumi:dev::crucible::aws:ec2/instance:Instance::host"
)

var computed = resource.MakeComputed(resource.NewStringProperty(""))

// recorder is a policy manager that keeps what the policies report.
type recorder struct {
	reports []string
}

func (r *recorder) ReportViolation(message, urn string) {
	r.reports = append(r.reports, urn+" "+message)
}

func policyByName(t *testing.T, pack policyx.PolicyPack, name string) policyx.Policy {
	t.Helper()

	for _, p := range pack.Policies() {
		if p.Name() == name {
			return p
		}
	}

	require.Failf(t, "policy missing", "the pack has no policy %s", name)

	return nil
}

// validatorOf finds a resource policy of the pack by name.
func validatorOf(t *testing.T, pack policyx.PolicyPack, name string,
) policyx.ResourceValidationPolicy {
	t.Helper()

	p, ok := policyByName(t, pack, name).(policyx.ResourceValidationPolicy)
	require.True(t, ok, "%s is a resource policy", name)

	return p
}

func analyzerResource(typ, urn string, props map[string]any) policyx.AnalyzerResource {
	return policyx.AnalyzerResource{
		Type: typ, URN: urn,
		Properties: resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(props)),
	}
}

func TestThePackRegistersEveryRuleAtItsLevel(t *testing.T) {
	pack, err := newPack(rules.All())
	require.NoError(t, err)
	assert.Equal(t, "crucible", pack.Name())

	for _, rule := range rules.All() {
		p := policyByName(t, pack, rule.ID)
		assert.Equal(t, level(rule.Level), p.EnforcementLevel(), rule.ID)
		assert.Equal(t, rule.Title()+": "+rule.Description, p.Description())

		_, isStack := p.(policyx.StackValidationPolicy)
		assert.Equal(t, rule.Stack != nil, isStack, "%s runs at the right scope", rule.ID)
	}

	assert.Equal(t, policyx.EnforcementLevelAdvisory,
		policyByName(t, pack, rules.UncheckedResourcePolicy).EnforcementLevel())
	assert.Equal(t, policyx.EnforcementLevelAdvisory,
		policyByName(t, pack, rules.UncheckedStackPolicy).EnforcementLevel())
	assert.Len(t, pack.Policies(), len(rules.All())+2)
}

func TestAResourcePolicyReportsViolationsAndLeavesUnknownsToTheAdvisoryPolicy(t *testing.T) {
	pack, err := newPack(rules.All())
	require.NoError(t, err)

	group := analyzerResource(sgType, sgURN, map[string]any{"ingress": []any{
		map[string]any{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []any{"0.0.0.0/0"}},
		map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": []any{computed}},
	}})

	mandatory := &recorder{}
	rule := validatorOf(t, pack, rules.NoIngressFromAnywhere.ID)
	require.NoError(t, rule.Validate(context.Background(),
		policyx.ResourceValidationArgs{Manager: mandatory, Resource: group}))
	assert.Equal(t, []string{
		" ingress[0].cidrBlocks[0] is 0.0.0.0/0: tcp port 22 is open to the whole internet",
	}, mandatory.reports)

	advisory := &recorder{}
	unchecked := validatorOf(t, pack, rules.UncheckedResourcePolicy)
	require.NoError(t, unchecked.Validate(context.Background(),
		policyx.ResourceValidationArgs{Manager: advisory, Resource: group}))
	assert.Equal(t, []string{
		" security-group-no-ingress-from-anywhere: could not be checked: " +
			"ingress[1].cidrBlocks[0] is unknown until the deployment runs",
	}, advisory.reports)
}

func TestAStackPolicyNamesTheOffendingResource(t *testing.T) {
	pack, err := newPack(rules.All())
	require.NoError(t, err)

	resources := []policyx.AnalyzerResource{
		analyzerResource(sgType, sgURN, map[string]any{"ingress": []any{
			map[string]any{
				"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []any{"10.0.0.0/8"},
			},
		}}),
		analyzerResource(instanceType, instanceURN, map[string]any{"vpcSecurityGroupIds": computed}),
	}
	resources[1].PropertyDependencies = map[string][]string{"vpcSecurityGroupIds": {sgURN}}

	got := &recorder{}
	rule := policyByName(t, pack, rules.HostSecurityGroupNoIngress.ID).(policyx.StackValidationPolicy)
	require.NoError(t, rule.Validate(context.Background(),
		policyx.StackValidationArgs{Manager: got, Resources: resources}))
	assert.Equal(t, []string{sgURN + " ingress has 1 rule(s); an instance's security group must " +
		"have none: Session Manager needs no inbound traffic"}, got.reports)
}

func TestABrokenRuleFailsThePreview(t *testing.T) {
	broken := rules.Rule{
		ID: "broken", Description: "panics", Level: rules.Advisory, Types: []string{vpcType},
		Resource: func(string, resource.PropertyMap) []rules.Violation { panic("nil map") },
	}

	pack, err := newPack([]rules.Rule{broken})
	require.NoError(t, err)

	p := policyByName(t, pack, "broken").(policyx.ResourceValidationPolicy)
	err = p.Validate(context.Background(), policyx.ResourceValidationArgs{
		Manager: &recorder{}, Resource: analyzerResource(vpcType, "urn:vpc", map[string]any{}),
	})
	require.EqualError(t, err, "policy pack crucible on urn:vpc: rule broken failed: nil map")
}
