package settings

import (
	"encoding/json"
	"fmt"
)

// The engine hands array keys to the program as JSON text, whether the stack file writes them
// as YAML lists or `pulumi config set --path` built them element by element.

// stringList reads an array-of-strings key; ok is false when the key is unset and has no default
// or when the value is not a JSON array of strings (the failure is recorded).
func (p *parser) stringList(name, example string) ([]string, bool) {
	v, set := p.raw(name)
	if !set {
		return nil, false
	}

	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		p.fail(Namespace+":"+name, "%q is not a list of strings, such as %s", v, example)

		return nil, false
	}

	return out, true
}

// intList reads an array-of-integers key, with the same contract as stringList.
func (p *parser) intList(name, example string) ([]int, bool) {
	v, set := p.raw(name)
	if !set {
		return nil, false
	}

	var out []int
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		p.fail(Namespace+":"+name, "%q is not a list of whole numbers, such as %s", v, example)

		return nil, false
	}

	return out, true
}

// defaultText renders a declared default the way the engine passes a value of its type: lists
// as JSON, scalars as their plain text.
func defaultText(v any) string {
	list, isList := v.([]any)
	if !isList {
		return fmt.Sprint(v)
	}

	b, err := json.Marshal(list)
	if err != nil {
		// Defaults are literals in Keys; a test marshals every one of them.
		return fmt.Sprint(v)
	}

	return string(b)
}
