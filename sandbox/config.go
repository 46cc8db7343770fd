package sandbox

import (
	"encoding/json"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/settings"
)

// engineConfigKeys lists the config keys the engine passed to the program in PULUMI_CONFIG, the
// only place the SDK exposes the full set; nil when the variable is absent.
func engineConfigKeys() []string {
	raw := os.Getenv(pulumi.EnvConfig)
	if raw == "" {
		return nil
	}

	var cfg map[string]string
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		return nil
	}

	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}

	return keys
}

// loadSettings reads every declared key from the context and validates the whole.
func loadSettings(ctx *pulumi.Context, keys []string) (*settings.Settings, error) {
	values := map[string]string{}

	names := []string{settings.RegionKey}
	for _, k := range settings.Keys {
		names = append(names, settings.Namespace+":"+k.Name)
	}

	for _, full := range names {
		if v, ok := ctx.GetConfig(full); ok {
			values[full] = v
		}
	}

	return settings.Parse(settings.Source{
		Project: ctx.Project(),
		Stack:   ctx.Stack(),
		Values:  values,
		Keys:    keys,
	})
}
