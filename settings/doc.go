// Package settings turns a stack's configuration into one typed, validated Settings value.
//
// It is the only place that knows the configuration keys, their types and their defaults. It
// validates the whole configuration at once and refuses any value that would weaken the sandbox by
// accident: unparsable or overlapping CIDRs, subnets outside the VPC, unknown keys in the crucible
// namespace, malformed instance types or AMI ids. Every error names the key and what is allowed.
package settings
