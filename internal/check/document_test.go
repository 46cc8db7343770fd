package check_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/check"
)

// document is a deployment document as generic JSON, to be changed one field at a time the way a
// bad pull request or a hand edit in the console would change the deployed state.
type document struct {
	t   *testing.T
	raw map[string]any
}

func loadDocument(t *testing.T, path string) *document {
	t.Helper()

	data, err := os.ReadFile(path)
	require.NoError(t, err)

	return parseDocument(t, data)
}

func parseDocument(t *testing.T, data []byte) *document {
	t.Helper()

	d := &document{t: t}
	require.NoError(t, json.Unmarshal(data, &d.raw))

	return d
}

func (d *document) resources() []any {
	return d.raw["deployment"].(map[string]any)["resources"].([]any)
}

// state returns the outputs of the first resource that matches, failing the test if none does.
func (d *document) state(match func(r map[string]any) bool) map[string]any {
	d.t.Helper()

	for _, r := range d.resources() {
		res := r.(map[string]any)
		if match(res) {
			return res["outputs"].(map[string]any)
		}
	}

	require.FailNow(d.t, "no resource in the document matches")

	return nil
}

// ofType matches resources by type token.
func ofType(typ string) func(map[string]any) bool {
	return func(r map[string]any) bool { return r["type"] == typ }
}

// withID matches a resource by its provider id.
func withID(id string) func(map[string]any) bool {
	return func(r map[string]any) bool { return r["id"] == id }
}

// add appends a resource to the document.
func (d *document) add(res map[string]any) {
	dep := d.raw["deployment"].(map[string]any)
	dep["resources"] = append(d.resources(), res)
}

// remove drops every resource that matches.
func (d *document) remove(match func(r map[string]any) bool) {
	var kept []any
	for _, r := range d.resources() {
		if !match(r.(map[string]any)) {
			kept = append(kept, r)
		}
	}

	d.raw["deployment"].(map[string]any)["resources"] = kept
}

// deployment reads the document back the way `crucible check --state` does.
func (d *document) deployment() check.Deployment {
	d.t.Helper()

	data, err := json.Marshal(d.raw)
	require.NoError(d.t, err)

	dep, err := check.ReadDeployment(bytes.NewReader(data))
	require.NoError(d.t, err)

	return dep
}
