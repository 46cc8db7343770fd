package rules_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

// computed is a value that is unknown until the deployment runs, as a preview sends it.
var computed = resource.MakeComputed(resource.NewStringProperty(""))

// unknownOutput is the other spelling of an unknown value: an output that is not known yet.
var unknownOutput = resource.NewProperty(resource.Output{Known: false})

// resourceCase is one run of a resource rule.
type resourceCase struct {
	name  string
	typ   string
	props map[string]any
	want  []rules.Violation
}

// runResourceCases checks each case's violations exactly, message for message.
func runResourceCases(t *testing.T, rule rules.Rule, cases []resourceCase) {
	t.Helper()

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := rules.CheckResource(rule, tc.typ, resource.NewPropertyMapFromMap(tc.props))
			assert.Equal(t, tc.want, got, "rule %s on %s", rule.ID, tc.typ)
		})
	}
}

// fail is a violation of the resource under check.
func fail(message string) rules.Violation {
	return rules.Violation{Message: message}
}

// unchecked is the finding for a value the rule could not check.
func unchecked(path string) rules.Violation {
	return rules.Violation{
		Message: "could not be checked: " + path + " is unknown until the deployment runs",
		Unknown: true,
	}
}

// failOn and uncheckedOn are stack-rule violations of a named resource.
func failOn(urn, message string) rules.Violation {
	return rules.Violation{URN: urn, Message: message}
}

func uncheckedOn(urn, path string) rules.Violation {
	v := unchecked(path)
	v.URN = urn

	return v
}

// urn builds a URN in the dev stack of the crucible project.
func urn(typ, name string) string {
	return "urn:pulumi:dev::crucible::" + typ + "::" + name
}

// res builds a stack-level resource; the id is derived from the name so references can use it.
func res(typ, name string, props map[string]any, deps map[string][]string) rules.Resource {
	return rules.Resource{
		URN:                  urn(typ, name),
		Type:                 typ,
		ID:                   name + "-id",
		Properties:           resource.NewPropertyMapFromMap(props),
		PropertyDependencies: deps,
	}
}

// stackCase is one run of a stack rule.
type stackCase struct {
	name      string
	resources []rules.Resource
	want      []rules.Violation
}

// runStackCases checks each case's violations exactly.
func runStackCases(t *testing.T, rule rules.Rule, cases []stackCase) {
	t.Helper()

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, rules.CheckStack(rule, tc.resources), "rule %s", rule.ID)
		})
	}
}
