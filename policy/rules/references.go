package rules

import (
	"slices"
)

// link is what a stack rule knows about one resource pointing at another.
type link int

const (
	notLinked link = iota
	linked
	// unresolved: the reference is unknown and no property dependency says where it came from.
	unresolved
)

// linkTo reports whether the property prop of from refers to the resource to: by a property
// dependency on to's URN (which holds even while ids are unknown, as during a preview), or by a
// known value equal to to's id or to one of the named identity properties (an ARN, a name).
func linkTo(from Resource, prop string, to Resource, identityKeys ...string) link {
	deps := from.PropertyDependencies[prop]
	if slices.Contains(deps, to.URN) {
		return linked
	}

	values, unknownPaths := referenceValues(get(from.Properties, prop))
	ids := identities(to, identityKeys)
	for _, v := range values {
		if slices.Contains(ids, v) {
			return linked
		}
	}

	if len(unknownPaths) > 0 && len(deps) == 0 {
		return unresolved
	}

	return notLinked
}

// referenceValues reads a reference property that is a string or a list of strings.
func referenceValues(f field) (values []string, unknownPaths []string) {
	switch f.state {
	case unknown:
		return nil, []string{f.path}
	case absent:
		return nil, nil
	}

	return f.strings()
}

// identities are the known values another resource may use to refer to r.
func identities(r Resource, keys []string) []string {
	var ids []string
	if r.ID != "" {
		ids = append(ids, r.ID)
	}

	for _, k := range append([]string{"id", "arn"}, keys...) {
		if s, ok := get(r.Properties, k).str(); ok && s != "" {
			ids = append(ids, s)
		}
	}

	return ids
}

// ofType returns the resources of the given types, in their original order.
func ofType(resources []Resource, types ...string) []Resource {
	var out []Resource
	for _, r := range resources {
		if slices.Contains(types, r.Type) {
			out = append(out, r)
		}
	}

	return out
}
