package rules

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// policyDocument is an IAM or resource policy, normalized: every field that IAM accepts as a
// single value or a list is a list here.
type policyDocument struct {
	Statements []policyStatement
}

// policyStatement is one normalized statement.
type policyStatement struct {
	Sid         string
	Effect      string
	Principals  []string // "*" for the anonymous principal in any of its spellings
	Actions     []string
	NotActions  []string
	Resources   []string
	NotResource []string
	// Conditions maps operator, then condition key, to the values, all as strings.
	Conditions map[string]map[string][]string
}

// rawStatement mirrors the JSON of a statement before normalization.
type rawStatement struct {
	Sid         string                    `json:"Sid"`
	Effect      string                    `json:"Effect"`
	Principal   any                       `json:"Principal"`
	Action      any                       `json:"Action"`
	NotAction   any                       `json:"NotAction"`
	Resource    any                       `json:"Resource"`
	NotResource any                       `json:"NotResource"`
	Condition   map[string]map[string]any `json:"Condition"`
}

// parsePolicy reads a policy document from its JSON text.
func parsePolicy(text string) (policyDocument, error) {
	var raw struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return policyDocument{}, fmt.Errorf("is not a JSON policy document: %w", err)
	}

	var list []rawStatement
	if err := json.Unmarshal(raw.Statement, &list); err != nil {
		var one rawStatement
		if err := json.Unmarshal(raw.Statement, &one); err != nil {
			return policyDocument{}, fmt.Errorf("has no readable Statement: %w", err)
		}
		list = []rawStatement{one}
	}

	doc := policyDocument{}
	for _, s := range list {
		doc.Statements = append(doc.Statements, normalizeStatement(s))
	}

	return doc, nil
}

func normalizeStatement(s rawStatement) policyStatement {
	out := policyStatement{
		Sid:         s.Sid,
		Effect:      s.Effect,
		Principals:  principals(s.Principal),
		Actions:     stringList(s.Action),
		NotActions:  stringList(s.NotAction),
		Resources:   stringList(s.Resource),
		NotResource: stringList(s.NotResource),
		Conditions:  map[string]map[string][]string{},
	}

	for op, keys := range s.Condition {
		out.Conditions[op] = map[string][]string{}
		for k, v := range keys {
			out.Conditions[op][strings.ToLower(k)] = stringList(v)
		}
	}

	return out
}

// principals flattens "*", {"AWS": "*"} and {"AWS": [...]} into one list.
func principals(p any) []string {
	if m, ok := p.(map[string]any); ok {
		var out []string
		for _, v := range m {
			out = append(out, stringList(v)...)
		}

		return out
	}

	return stringList(p)
}

// stringList reads a JSON value that IAM allows as one value or a list, rendering booleans and
// numbers as IAM compares them: as strings.
func stringList(v any) []string {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, stringList(e)...)
		}

		return out
	case string:
		return []string{t}
	default:
		return []string{fmt.Sprint(t)}
	}
}

// coversAction reports whether the statement applies to the action.
func (s policyStatement) coversAction(action string) bool {
	if len(s.NotActions) > 0 {
		return !matchesAny(s.NotActions, action)
	}

	return matchesAny(s.Actions, action)
}

// anyPrincipal reports whether the statement applies to every principal.
func (s policyStatement) anyPrincipal() bool {
	for _, p := range s.Principals {
		if p == "*" {
			return true
		}
	}

	return false
}

// condition returns the values of a condition key under an operator; keys compare without case.
func (s policyStatement) condition(operator, key string) ([]string, bool) {
	v, ok := s.Conditions[operator][strings.ToLower(key)]

	return v, ok
}

// matchesAny reports whether any IAM wildcard pattern (with * and ?) matches an action. Action
// names are not case sensitive in IAM, so neither is the match.
func matchesAny(patterns []string, action string) bool {
	for _, p := range patterns {
		if wildcard(p, true).MatchString(action) {
			return true
		}
	}

	return false
}

// resourceMatchesAny is matchesAny for ARNs, which IAM compares with case.
func resourceMatchesAny(patterns []string, arn string) bool {
	for _, p := range patterns {
		if wildcard(p, false).MatchString(arn) {
			return true
		}
	}

	return false
}

func wildcard(pattern string, foldCase bool) *regexp.Regexp {
	var b strings.Builder
	if foldCase {
		b.WriteString("(?i)")
	}
	b.WriteString("^")
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")

	return regexp.MustCompile(b.String())
}
