package rules_test

import (
	"regexp"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

func TestEveryRuleIsWellFormed(t *testing.T) {
	// Pulumi policy names share this alphabet; the pack registers each rule under its id.
	idPattern := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	seen := map[string]bool{}

	for _, r := range rules.All() {
		assert.Regexp(t, idPattern, r.ID)
		assert.False(t, seen[r.ID], "rule id %s is used twice", r.ID)
		seen[r.ID] = true

		assert.NotEmpty(t, r.Description, "rule %s needs a description", r.ID)
		assert.Contains(t, []rules.Level{rules.Advisory, rules.Mandatory}, r.Level, r.ID)
		assert.True(t, (r.Resource == nil) != (r.Stack == nil),
			"rule %s must have exactly one of Resource and Stack", r.ID)
		assert.Equal(t, r.Resource != nil, len(r.Types) > 0,
			"resource rule %s must name the types it inspects", r.ID)
	}
}

func TestTheSecurityInvariantsAreMandatory(t *testing.T) {
	mandatory := map[string]bool{}
	for _, r := range rules.All() {
		mandatory[r.ID] = r.Level == rules.Mandatory
	}

	for _, id := range []string{
		"security-group-no-ingress-from-anywhere", "host-security-group-no-ingress",
		"instance-no-public-ip", "subnet-no-auto-assign-public-ip", "instance-imdsv2-required",
		"instance-volumes-encrypted", "instance-no-key-pair", "default-security-group-no-rules",
		"vpc-flow-logs-enabled", "session-document-logging", "operator-policy-requires-mfa",
		"s3-bucket-public-access-blocked", "s3-bucket-tls-only", "s3-bucket-kms-encrypted",
	} {
		assert.True(t, mandatory[id], "%s guards the sandbox's isolation and must be mandatory", id)
	}

	for _, id := range []string{
		"s3-bucket-versioning-enabled", "kms-key-rotation-enabled", "log-group-retention-one-year",
		"interface-endpoint-private-dns",
	} {
		assert.False(t, mandatory[id], "%s is hygiene and must be advisory", id)
	}
}

func TestEvaluateAppliesLevelsAndReportsUnknownsAsAdvisory(t *testing.T) {
	openGroup := rules.Resource{
		URN:  urn(sgType, "open"),
		Type: sgType,
		Properties: resource.NewPropertyMapFromMap(map[string]any{"ingress": []any{
			map[string]any{
				"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []any{"0.0.0.0/0"},
			},
		}}),
	}
	previewGroup := rules.Resource{
		URN: urn(sgType, "preview"), Type: sgType,
		Properties: resource.PropertyMap{"ingress": computed},
	}
	one := []rules.Rule{rules.NoIngressFromAnywhere}
	resources := []rules.Resource{openGroup, previewGroup}

	got := rules.Evaluate(one, resources, nil)
	require.Len(t, got, 2)
	assert.Equal(t, rules.Mandatory, got[0].Level)
	assert.Equal(t, urn(sgType, "open"), got[0].URN)
	assert.Equal(t, "ingress[0].cidrBlocks[0] is 0.0.0.0/0: tcp port 22 is open to the whole internet",
		got[0].Message)
	assert.Equal(t, rules.Advisory, got[1].Level, "an unknown value must never block a preview")
	assert.True(t, got[1].Unknown)
	assert.Equal(t, urn(sgType, "preview"), got[1].URN)

	lowered := rules.Evaluate(one, resources,
		map[string]rules.Level{rules.NoIngressFromAnywhere.ID: rules.Advisory})
	require.Len(t, lowered, 2)
	assert.Equal(t, rules.Advisory, lowered[0].Level)

	disabled := rules.Evaluate(one, resources,
		map[string]rules.Level{rules.NoIngressFromAnywhere.ID: rules.Disabled})
	assert.Empty(t, disabled)

	// A team that wants every value proven can make unchecked values mandatory, or hide them.
	strict := rules.Evaluate(one, resources,
		map[string]rules.Level{rules.UncheckedResourcePolicy: rules.Mandatory})
	require.Len(t, strict, 2)
	assert.Equal(t, rules.Mandatory, strict[1].Level)

	quiet := rules.Evaluate(one, resources,
		map[string]rules.Level{rules.UncheckedResourcePolicy: rules.Disabled})
	require.Len(t, quiet, 1)
	assert.False(t, quiet[0].Unknown)
}

func TestABrokenRuleFailsClosed(t *testing.T) {
	broken := rules.Rule{
		ID: "broken", Level: rules.Advisory, Types: []string{sgType},
		Resource: func(string, resource.PropertyMap) []rules.Violation { panic("index out of range") },
	}

	got := rules.CheckResource(broken, sgType, resource.PropertyMap{})
	assert.Equal(t, []rules.Violation{
		{Message: "rule broken failed: index out of range", Broken: true},
	}, got)

	findings := rules.Evaluate([]rules.Rule{broken}, []rules.Resource{
		{URN: urn(sgType, "any"), Type: sgType, Properties: resource.PropertyMap{}},
	}, nil)
	require.Len(t, findings, 1)
	assert.Equal(t, rules.Mandatory, findings[0].Level, "an advisory rule that breaks still blocks")
}

func TestParseLevelNamesTheAllowedValues(t *testing.T) {
	l, err := rules.ParseLevel("advisory")
	require.NoError(t, err)
	assert.Equal(t, rules.Advisory, l)

	_, err = rules.ParseLevel("warn")
	require.EqualError(t, err, `enforcement level "warn" is not one of advisory, mandatory, disabled`)
}
