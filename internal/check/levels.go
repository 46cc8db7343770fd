package check

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

// allPolicies is the key of a policy configuration file that sets every policy at once.
const allPolicies = "all"

// LoadLevels reads a policy configuration file, the same file `pulumi preview --policy-pack
// ./policy --policy-pack-config FILE` takes, so one file sets enforcement in both places:
//
//	{"all": "mandatory", "kms-key-rotation-enabled": {"enforcementLevel": "advisory"}}
//
// Each key is a policy name (a rule id or one of the unchecked-value policies) or "all"; each value
// is a level or an object with an enforcementLevel.
func LoadLevels(path string, all []rules.Rule) (map[string]rules.Level, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("check: policy config: %w", err)
	}

	return ParseLevels(data, all)
}

// ParseLevels reads the JSON of a policy configuration file; see LoadLevels.
func ParseLevels(data []byte, all []rules.Rule) (map[string]rules.Level, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("check: policy config is not a JSON object: %w", err)
	}

	names := policyNames(all)
	levels := map[string]rules.Level{}

	// "all" first, so that a policy's own entry wins whatever the order in the file.
	if v, ok := raw[allPolicies]; ok {
		l, err := parseLevelEntry(allPolicies, v)
		if err != nil {
			return nil, err
		}

		for _, n := range names {
			levels[n] = l
		}
	}

	for _, key := range sortedKeys(raw) {
		if key == allPolicies {
			continue
		}

		if !slices.Contains(names, key) {
			return nil, fmt.Errorf("check: policy config: %q is not a policy of the pack; "+
				"policies: %s", key, strings.Join(names, ", "))
		}

		l, err := parseLevelEntry(key, raw[key])
		if err != nil {
			return nil, err
		}

		levels[key] = l
	}

	return levels, nil
}

// parseLevelEntry reads "advisory" or {"enforcementLevel": "advisory"}.
func parseLevelEntry(key string, v json.RawMessage) (rules.Level, error) {
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(v, &obj); err != nil {
			return "", fmt.Errorf("check: policy config %q: want a level or an object with "+
				"enforcementLevel", key)
		}

		for k := range obj {
			if k != "enforcementLevel" {
				return "", fmt.Errorf("check: policy config %q: property %q is not known; the "+
					"crucible rules take only enforcementLevel", key, k)
			}
		}

		if err := json.Unmarshal(obj["enforcementLevel"], &s); err != nil {
			return "", fmt.Errorf("check: policy config %q: enforcementLevel must be a string "+
				"(advisory, mandatory or disabled)", key)
		}
	}

	l, err := rules.ParseLevel(s)
	if err != nil {
		return "", fmt.Errorf("check: policy config %q: %w", key, err)
	}

	return l, nil
}

// policyNames are the names the pack registers: every rule's id and the unchecked policies.
func policyNames(all []rules.Rule) []string {
	names := make([]string, 0, len(all)+2)
	for _, r := range all {
		names = append(names, r.ID)
	}

	return append(names, rules.UncheckedResourcePolicy, rules.UncheckedStackPolicy)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	return keys
}
