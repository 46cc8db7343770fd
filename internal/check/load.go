package check

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/policy/rules"
)

// Deployment is what the rules run over.
type Deployment struct {
	// Resources are the deployment's resources, with their state.
	Resources []rules.Resource
	// EncryptedSecrets counts secret values the check could not read, because the export was
	// made without --show-secrets (or the render hid them); rules that need them report
	// "could not be checked".
	EncryptedSecrets int
}

// exportDocument is the part of `pulumi stack export` (and of `crucible render --json`) the check
// reads.
type exportDocument struct {
	Version    int                   `json:"version"`
	Deployment *apitype.DeploymentV3 `json:"deployment"`
}

// ReadDeployment reads a `pulumi stack export` document, or the JSON of `crucible render`, which
// has the same shape. State (outputs) is used where a resource has it, inputs otherwise.
func ReadDeployment(r io.Reader) (Deployment, error) {
	var doc exportDocument
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return Deployment{}, fmt.Errorf("check: reading the deployment document: %w", err)
	}

	if doc.Version != apitype.DeploymentSchemaVersionCurrent || doc.Deployment == nil {
		return Deployment{}, fmt.Errorf("check: the document has version %d; want the version %d "+
			"of `pulumi stack export` with a \"deployment\" object", doc.Version,
			apitype.DeploymentSchemaVersionCurrent)
	}

	out := Deployment{}
	for i, res := range doc.Deployment.Resources {
		if res.URN == "" || res.Type == "" {
			return Deployment{}, fmt.Errorf("check: deployment resource %d has no urn or type", i)
		}

		state := res.Outputs
		if len(state) == 0 {
			state = res.Inputs
		}

		props, encrypted := readProperties(state)
		out.EncryptedSecrets += encrypted
		out.Resources = append(out.Resources, rules.Resource{
			URN:                  string(res.URN),
			Type:                 string(res.Type),
			ID:                   string(res.ID),
			Properties:           props,
			PropertyDependencies: propertyDependencies(res.PropertyDependencies),
		})
	}

	return out, nil
}

// unknownStrings are the spellings of a value that is not known: the engine's unknown sentinels
// and the placeholders of `crucible render --json`.
var unknownStrings = map[string]bool{
	sig.UnknownStringValue:    true,
	sig.UnknownBoolValue:      true,
	sig.UnknownNumberValue:    true,
	render.UnknownPlaceholder: true,
	render.SecretPlaceholder:  true,
}

// readProperties turns a resource's JSON state into properties, keeping what the rules must see:
// secrets (readable when exported with --show-secrets) and unknown values. It returns the number
// of encrypted secrets, which become unknown values.
func readProperties(m map[string]any) (resource.PropertyMap, int) {
	encrypted := 0

	var repl func(v any) (resource.PropertyValue, bool)
	repl = func(v any) (resource.PropertyValue, bool) {
		switch t := v.(type) {
		case string:
			if t == render.SecretPlaceholder {
				encrypted++
			}

			if unknownStrings[t] {
				return resource.MakeComputed(resource.NewProperty("")), true
			}
		case map[string]any:
			if t[sig.Key] != sig.Secret {
				return resource.PropertyValue{}, false
			}

			plaintext, ok := t["plaintext"].(string)
			if !ok {
				encrypted++
				return resource.MakeComputed(resource.NewProperty("")), true
			}

			var inner any
			if err := json.Unmarshal([]byte(plaintext), &inner); err != nil {
				encrypted++
				return resource.MakeComputed(resource.NewProperty("")), true
			}

			return resource.MakeSecret(resource.NewPropertyValueRepl(inner, nil, repl)), true
		}

		return resource.PropertyValue{}, false
	}

	return resource.NewPropertyMapFromMapRepl(m, nil, repl), encrypted
}

func propertyDependencies(in map[resource.PropertyKey][]resource.URN) map[string][]string {
	if len(in) == 0 {
		return nil
	}

	out := map[string][]string{}
	for k, urns := range in {
		for _, u := range urns {
			out[string(k)] = append(out[string(k)], string(u))
		}
	}

	return out
}

// FromRender converts an offline render into a deployment, keeping the render's secret and
// unknown wrappers as they are.
func FromRender(res *render.Result) (Deployment, error) {
	if res == nil {
		return Deployment{}, errors.New("check: no render to check")
	}

	out := Deployment{}
	for _, r := range res.Resources {
		state := r.Outputs
		if len(state) == 0 {
			state = r.Inputs
		}

		out.Resources = append(out.Resources, rules.Resource{
			URN:                  r.URN,
			Type:                 r.Type,
			ID:                   r.ID,
			Properties:           state,
			PropertyDependencies: r.PropertyDependencies,
		})
	}

	return out, nil
}
