package render

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// OfType returns the resources of one type, in URN order.
func (r *Result) OfType(typ string) []*Resource {
	var out []*Resource

	for _, res := range r.Resources {
		if res.Type == typ {
			out = append(out, res)
		}
	}

	return out
}

// Find returns the resource of a type with a logical name.
func (r *Result) Find(typ, name string) (*Resource, bool) {
	for _, res := range r.Resources {
		if res.Type == typ && res.Name == name {
			return res, true
		}
	}

	return nil, false
}

// ByURN returns the resource with a URN.
func (r *Result) ByURN(urn string) (*Resource, bool) {
	for _, res := range r.Resources {
		if res.URN == urn {
			return res, true
		}
	}

	return nil, false
}

// CustomCount counts the cloud resources, components excluded.
func (r *Result) CustomCount() int {
	n := 0

	for _, res := range r.Resources {
		if res.Custom {
			n++
		}
	}

	return n
}

// Get returns the plain value at a property path ("metadataOptions.httpTokens",
// "ingress[0].fromPort") of the resource's outputs, with secrets as "[secret]"; nil when absent.
func (res *Resource) Get(path string) any {
	p, err := resource.ParsePropertyPath(path)
	if err != nil {
		return nil
	}

	v, ok := p.Get(resource.NewObjectProperty(res.Outputs))
	if !ok {
		return nil
	}

	return plainValue(v)
}

// String returns the string at a property path, or "" when absent or not a string.
func (res *Resource) String(path string) string {
	s, _ := res.Get(path).(string)

	return s
}
