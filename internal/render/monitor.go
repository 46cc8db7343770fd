package render

import (
	"slices"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/mockcloud"
)

// Resource is one registered resource as a deployment records it.
type Resource struct {
	URN                  string
	ID                   string
	Type                 string
	Name                 string
	Custom               bool
	Parent               string
	Inputs               resource.PropertyMap
	Outputs              resource.PropertyMap
	Dependencies         []string
	PropertyDependencies map[string][]string
	RetainOnDelete       *bool
	Protect              *bool
	IgnoreChanges        []string
}

// monitor records every registration and answers custom resources and invokes from the cloud.
type monitor struct {
	project, stack string
	cloud          *mockcloud.Cloud
	// platform are the outputs that answer a stack reference; nil when none were given.
	platform map[string]any

	mu        sync.Mutex
	resources []*Resource
}

var _ pulumi.MockResourceMonitor = (*monitor)(nil)

func (m *monitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r := &Resource{
		Type:   args.TypeToken,
		Name:   args.Name,
		Custom: args.Custom,
		Inputs: args.Inputs,
	}

	if rpc := args.RegisterRPC; rpc != nil {
		r.Parent = rpc.GetParent()
		r.Dependencies = rpc.GetDependencies()
		r.RetainOnDelete = rpc.RetainOnDelete
		r.Protect = rpc.Protect
		r.IgnoreChanges = rpc.GetIgnoreChanges()

		for k, deps := range rpc.GetPropertyDependencies() {
			if r.PropertyDependencies == nil {
				r.PropertyDependencies = map[string][]string{}
			}

			r.PropertyDependencies[k] = deps.GetUrns()
		}
	}

	r.URN = m.urn(r.Parent, r.Type, r.Name)

	id, outputs := "", args.Inputs
	if args.TypeToken == StackReferenceType {
		var err error

		id, outputs, err = m.stackReference(args.ID)
		if err != nil {
			return "", nil, err
		}
	}

	if args.Custom {
		var err error

		id, outputs, err = m.cloud.Resource(args.TypeToken, args.Name, args.Inputs)
		if err != nil {
			return "", nil, err
		}
	}

	r.ID, r.Outputs = id, outputs

	m.mu.Lock()
	m.resources = append(m.resources, r)
	m.mu.Unlock()

	return id, outputs, nil
}

func (m *monitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return m.cloud.Invoke(args.Token, args.Args)
}

// urn computes a resource's URN the way the engine does: the parent's qualified type prefixes
// the child's, except under the root stack.
func (m *monitor) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}

	return string(resource.NewURN(tokens.QName(m.stack), tokens.PackageName(m.project), parentType,
		tokens.Type(typ), name))
}

func (m *monitor) snapshot() []*Resource {
	m.mu.Lock()
	defer m.mu.Unlock()

	out := slices.Clone(m.resources)
	slices.SortFunc(out, func(a, b *Resource) int {
		switch {
		case a.URN < b.URN:
			return -1
		case a.URN > b.URN:
			return 1
		}

		return 0
	})

	return out
}
