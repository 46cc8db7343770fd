// Package tags builds the tag maps the components put on every taggable resource.
package tags

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Named returns the common tags plus the resource's Name tag, which AWS consoles show.
func Named(common map[string]string, name string) pulumi.StringMap {
	m := make(pulumi.StringMap, len(common)+1)
	for k, v := range common {
		m[k] = pulumi.String(v)
	}

	m["Name"] = pulumi.String(name)

	return m
}
