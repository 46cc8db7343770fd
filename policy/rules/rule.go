package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Level is how a finding is enforced, in the words of Pulumi's policy engine.
type Level string

// The enforcement levels. Mandatory findings fail a preview and `crucible check`; advisory ones are
// shown and let the change through; disabled rules do not run.
const (
	Advisory  Level = "advisory"
	Mandatory Level = "mandatory"
	Disabled  Level = "disabled"
)

// Levels lists the enforcement levels a rule can be set to, for error messages and validation.
var Levels = []Level{Advisory, Mandatory, Disabled}

// ParseLevel reads an enforcement level as written in a policy configuration file.
func ParseLevel(s string) (Level, error) {
	l := Level(s)
	if slices.Contains(Levels, l) {
		return l, nil
	}

	return "", fmt.Errorf("enforcement level %q is not one of %s", s, levelList())
}

func levelList() string {
	names := make([]string, len(Levels))
	for i, l := range Levels {
		names[i] = string(l)
	}

	return strings.Join(names, ", ")
}

// Resource is one resource as the stack-level rules see it.
type Resource struct {
	// URN names the resource in findings.
	URN string
	// Type is the resource's type token, such as aws:ec2/instance:Instance.
	Type string
	// ID is the provider id; empty while it is unknown (a preview) or for components.
	ID string
	// Properties are the resource's state (or its inputs where no state exists yet).
	Properties resource.PropertyMap
	// PropertyDependencies maps a property to the URNs its value came from. It links resources
	// while their ids are still unknown, as during a preview.
	PropertyDependencies map[string][]string
}

// Violation is what a rule function reports.
type Violation struct {
	// URN is the offending resource. Resource rules leave it empty: the resource they were given.
	URN string
	// Message says what is wrong, naming the property and the value.
	Message string
	// Unknown marks a value the rule could not check because it is unknown until deployment.
	// Such findings are advisory whatever the rule's level.
	Unknown bool
	// Broken marks a rule that failed instead of deciding. Such findings are mandatory whatever
	// the rule's level, so a broken rule never lets a change through.
	Broken bool
}

// Rule is one security rule. Exactly one of Resource and Stack is set.
type Rule struct {
	// ID names the rule after what it guards; it is the policy name in the Pulumi pack.
	ID string
	// Controls are the AWS Security Hub controls the rule implements, if any.
	Controls []string
	// Description says what the rule requires and why, in one sentence.
	Description string
	// Level is the default enforcement: mandatory for the sandbox's security invariants, advisory
	// for hygiene. Policy configuration can override it.
	Level Level
	// Types are the resource type tokens a resource rule inspects.
	Types []string
	// Resource checks one resource. It must not panic on any property map.
	Resource func(typ string, props resource.PropertyMap) []Violation
	// Stack checks all resources together, for rules that relate resources to each other.
	Stack func(resources []Resource) []Violation
}

// AppliesTo reports whether a resource rule inspects resources of the given type.
func (r Rule) AppliesTo(typ string) bool {
	return slices.Contains(r.Types, typ)
}

// Title is the rule's id followed by its Security Hub controls, as shown to people.
func (r Rule) Title() string {
	if len(r.Controls) == 0 {
		return r.ID
	}

	return r.ID + " [" + strings.Join(r.Controls, ", ") + "]"
}

// unknownMessage words a finding about a value that could not be checked.
func unknownMessage(path string) string {
	return fmt.Sprintf("could not be checked: %s is unknown until the deployment runs", path)
}
