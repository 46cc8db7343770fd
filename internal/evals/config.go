package evals

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/crucible-sandbox/crucible/internal/render"
)

// DefaultBaseStack is the stack whose Pulumi.<stack>.yaml an evaluation copies its
// configuration from when `eval up` is not given --base-stack.
const DefaultBaseStack = "dev"

// evaluationConfig is the base stack's configuration (Pulumi.yaml defaults, then
// Pulumi.<base>.yaml) with the --config overrides applied, read with the same helper as the
// offline render so both see one configuration.
//
// A secret in the base stack cannot be copied: it is encrypted for the base stack. The
// evaluation then needs the value through --config, and keeps it secret.
//
// It also returns the fully qualified keys the overrides set.
func evaluationConfig(
	projectDir, base string, overrides []string,
) (auto.ConfigMap, []string, error) {
	cfg, err := render.LoadStack(projectDir, base)
	if err != nil {
		return nil, nil, fmt.Errorf("--base-stack %s: %w", base, err)
	}

	var overridden []string
	for _, o := range overrides {
		if err := cfg.Set(o); err != nil {
			return nil, nil, err
		}
		overridden = append(overridden, overrideKey(cfg, o))
	}

	out := make(auto.ConfigMap, len(cfg.Values))
	for _, key := range cfg.Keys() {
		value := cfg.Values[key]
		secret := slices.Contains(cfg.Secret, key)
		if secret && value == render.SecretPlaceholder {
			return nil, nil, fmt.Errorf("--base-stack %s: %s is a secret, which an evaluation "+
				"cannot copy from Pulumi.%s.yaml; pass it with --config %s=<value> (it stays "+
				"secret)", base, key, base, key)
		}
		out[key] = auto.ConfigValue{Value: value, Secret: secret}
	}
	return out, overridden, nil
}

// overrideKey returns the key the valid override o sets, qualified by the render helper itself
// (applied to an empty copy), so the qualification rule stays in one place.
func overrideKey(cfg *render.StackConfig, o string) string {
	probe := cfg.Clone()
	probe.Values = map[string]string{}
	_ = probe.Set(o)
	for k := range probe.Values {
		return k
	}
	return ""
}

// keepRevocation carries a revocation over into a new configuration: an `eval up` whose
// --config does not set the key must never quietly restore access that `eval revoke` withdrew,
// whatever the base stack says. It reports whether it did.
func keepRevocation(desired, deployed auto.ConfigMap, overridden []string) bool {
	if slices.Contains(overridden, RevokedKey) {
		return false
	}
	if v, ok := deployed[RevokedKey]; !ok || v.Value != "true" {
		return false
	}
	desired[RevokedKey] = auto.ConfigValue{Value: "true"}
	return true
}

// configKeys returns cfg's keys in a stable order, for the program's unknown-key check.
func configKeys(cfg auto.ConfigMap) []string {
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
