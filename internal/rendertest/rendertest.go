// Package rendertest is the shared harness of the program's tests: it renders the real program on
// the real dev stack (or a variant of it) against the AWS stand-in and fails the test on any
// error, or when nothing was registered, so no scenario can pass vacuously.
package rendertest

import (
	"encoding/json"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/render"
)

// Root is the repository root, where Pulumi.yaml and the stack files are.
func Root() string {
	_, file, _, _ := runtime.Caller(0)

	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Config returns the dev stack's configuration with overrides in `key=value` form applied.
func Config(t testing.TB, overrides ...string) *render.StackConfig {
	t.Helper()

	cfg, err := render.LoadStack(Root(), "dev")
	require.NoError(t, err, "the dev stack must load")

	for _, o := range overrides {
		require.NoError(t, cfg.Set(o))
	}

	return cfg
}

// Render renders the dev stack with overrides and requires success and at least one cloud
// resource.
func Render(t testing.TB, overrides ...string) *render.Result {
	t.Helper()

	return RenderConfig(t, Config(t, overrides...))
}

// RenderConfig renders a configuration, requiring success and at least one cloud resource.
func RenderConfig(t testing.TB, cfg *render.StackConfig, opts ...render.Option) *render.Result {
	t.Helper()

	res, err := render.Render(cfg, opts...)
	require.NoError(t, err)
	require.Positive(t, res.CustomCount(), "the render registered no cloud resource: a test "+
		"over it would pass vacuously")

	return res
}

// One returns the single resource of a type and name, failing the test when it is missing.
func One(t testing.TB, r *render.Result, typ, name string) *render.Resource {
	t.Helper()

	res, ok := r.Find(typ, name)
	require.True(t, ok, "expected %s %q in the render", typ, name)

	return res
}

// JSONDoc parses a JSON policy or document held in a string property.
func JSONDoc(t testing.TB, res *render.Resource, path string) map[string]any {
	t.Helper()

	raw := res.String(path)
	require.NotEmpty(t, raw, "%s %s: %s is empty", res.Type, res.Name, path)

	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &doc), "%s %s: %s is not JSON", res.Type, res.Name, path)

	return doc
}

// Strings returns the strings of a JSON array value, such as a list property read with Get;
// absent or other values give an empty list.
func Strings(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))

	for _, x := range arr {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}

	return out
}
