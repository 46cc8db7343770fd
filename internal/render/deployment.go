package render

import (
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// UnknownPlaceholder stands for a value not known until a real deployment; the stand-in AWS
// knows every value it answers, so it appears only where a program leaves an output unresolved.
const UnknownPlaceholder = "[unknown]"

// Document is the render shaped like `pulumi stack export`: version 3 and its deployment.
type Document struct {
	Version    int                  `json:"version"`
	Deployment apitype.DeploymentV3 `json:"deployment"`
	Outputs    map[string]any       `json:"outputs"`
	// Config is the stack configuration the program ran with; secrets read "[secret]".
	Config map[string]string `json:"config"`
	// Warnings are the deploy-time warnings of choices that weaken the sandbox.
	Warnings []string `json:"warnings"`
}

// Document converts the result into the export shape. Secrets read "[secret]".
func (r *Result) Document() Document {
	resources := make([]apitype.ResourceV3, 0, len(r.Resources))
	for _, res := range r.Resources {
		resources = append(resources, res.export())
	}

	return Document{
		Version: apitype.DeploymentSchemaVersionCurrent,
		Deployment: apitype.DeploymentV3{
			Manifest: apitype.ManifestV1{
				Time:    time.Unix(0, 0).UTC(),
				Magic:   "crucible-render",
				Version: "crucible render (mockcloud)",
			},
			Resources: resources,
		},
		Outputs:  plain(resource.NewPropertyMapFromMap(r.Outputs)),
		Config:   r.Config,
		Warnings: r.Warnings,
	}
}

func (res *Resource) export() apitype.ResourceV3 {
	out := apitype.ResourceV3{
		URN:           resource.URN(res.URN),
		Custom:        res.Custom,
		ID:            resource.ID(res.ID),
		Type:          tokens.Type(res.Type),
		Inputs:        plain(res.Inputs),
		Outputs:       plain(res.Outputs),
		Parent:        resource.URN(res.Parent),
		Dependencies:  urns(res.Dependencies),
		IgnoreChanges: res.IgnoreChanges,
	}

	if res.RetainOnDelete != nil {
		out.RetainOnDelete = *res.RetainOnDelete
	}

	if res.Protect != nil {
		out.Protect = *res.Protect
	}

	if len(res.PropertyDependencies) > 0 {
		out.PropertyDependencies = map[resource.PropertyKey][]resource.URN{}
		for k, deps := range res.PropertyDependencies {
			out.PropertyDependencies[resource.PropertyKey(k)] = urns(deps)
		}
	}

	return out
}

// plain turns a property map into JSON values, with secrets and unknowns as placeholders rather
// than the SDK's internal wrappers.
func plain(pm resource.PropertyMap) map[string]any {
	if pm == nil {
		return nil
	}

	return pm.MapRepl(nil, func(v resource.PropertyValue) (any, bool) {
		switch {
		case v.IsSecret() || (v.IsOutput() && v.OutputValue().Secret):
			return SecretPlaceholder, true
		case v.IsComputed() || (v.IsOutput() && !v.OutputValue().Known):
			return UnknownPlaceholder, true
		case v.IsOutput():
			return plainValue(v.OutputValue().Element), true
		case v.IsResourceReference():
			return string(v.ResourceReferenceValue().URN), true
		}

		return nil, false
	})
}

func plainValue(v resource.PropertyValue) any {
	return plain(resource.PropertyMap{"v": v})["v"]
}

func urns(ss []string) []resource.URN {
	if len(ss) == 0 {
		return nil
	}

	out := make([]resource.URN, len(ss))
	for i, s := range ss {
		out[i] = resource.URN(s)
	}

	return out
}
