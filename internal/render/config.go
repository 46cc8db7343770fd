package render

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// SecretPlaceholder stands for every secret value the render shows or passes on: the render has
// no passphrase and never prints a secret.
const SecretPlaceholder = "[secret]"

// StackConfig is a stack's configuration as the engine would pass it to the program.
type StackConfig struct {
	// Project and Stack name the project and the stack.
	Project string
	Stack   string
	// Values maps fully qualified keys ("crucible:vpcCidr") to their values.
	Values map[string]string
	// Secret lists the keys whose values are secret.
	Secret []string
}

// LoadStack reads Pulumi.yaml and Pulumi.<stack>.yaml from dir the way the engine does: project
// defaults first, then the stack's values.
func LoadStack(dir, stack string) (*StackConfig, error) {
	projectPath := filepath.Join(dir, "Pulumi.yaml")

	project, err := workspace.LoadProject(projectPath)
	if err != nil {
		return nil, fmt.Errorf("render: %s: %w", projectPath, err)
	}

	cfg := &StackConfig{Project: string(project.Name), Stack: stack, Values: map[string]string{}}

	for key, decl := range project.Config {
		if decl.Default == nil {
			continue
		}

		cfg.Values[qualify(cfg.Project, key)] = fmt.Sprint(decl.Default)
	}

	stackPath := filepath.Join(dir, "Pulumi."+stack+".yaml")
	if _, err := os.Stat(stackPath); err != nil {
		return nil, fmt.Errorf("render: stack %q: %s not found; stacks are Pulumi.<stack>.yaml "+
			"files beside Pulumi.yaml", stack, stackPath)
	}

	ps, err := workspace.LoadProjectStack(nil, project, stackPath)
	if err != nil {
		return nil, fmt.Errorf("render: %s: %w", stackPath, err)
	}

	for key, v := range ps.Config {
		if err := cfg.setValue(key, v); err != nil {
			return nil, fmt.Errorf("render: %s: %s: %w", stackPath, key, err)
		}
	}

	return cfg, nil
}

func (c *StackConfig) setValue(key config.Key, v config.Value) error {
	full := key.String()
	if v.Secure() {
		c.Values[full] = SecretPlaceholder
		c.markSecret(full)

		return nil
	}

	s, err := v.Value(config.NopDecrypter)
	if err != nil {
		return err
	}

	c.Values[full] = s

	return nil
}

func (c *StackConfig) markSecret(key string) {
	if !slices.Contains(c.Secret, key) {
		c.Secret = append(c.Secret, key)
	}
}

// Set applies one override in the syntax of `pulumi config set`: key=value, where a key without
// a namespace belongs to the project.
func (c *StackConfig) Set(assignment string) error {
	key, value, ok := strings.Cut(assignment, "=")
	key = strings.TrimSpace(key)

	if !ok || key == "" {
		return fmt.Errorf("--config %q: expected key=value, for example enableNat=true or "+
			"aws:region=eu-west-1", assignment)
	}

	c.Values[qualify(c.Project, key)] = value

	return nil
}

// Keys returns every key the configuration sets.
func (c *StackConfig) Keys() []string {
	keys := make([]string, 0, len(c.Values))
	for k := range c.Values {
		keys = append(keys, k)
	}

	slices.Sort(keys)

	return keys
}

// Clone returns an independent copy, so callers can derive variants of one stack.
func (c *StackConfig) Clone() *StackConfig {
	out := *c
	out.Values = make(map[string]string, len(c.Values))

	for k, v := range c.Values {
		out.Values[k] = v
	}

	out.Secret = slices.Clone(c.Secret)

	return &out
}

func qualify(project, key string) string {
	if strings.Contains(key, ":") {
		return key
	}

	return project + ":" + key
}

// shown returns the values with every secret replaced by SecretPlaceholder, for display.
func (c *StackConfig) shown() map[string]string {
	out := make(map[string]string, len(c.Values))
	for k, v := range c.Values {
		if slices.Contains(c.Secret, k) {
			v = SecretPlaceholder
		}

		out[k] = v
	}

	return out
}
