// Package rules holds the security rules that every change to the sandbox must pass.
//
// Each rule is a plain function over a resource's type token and properties (or, for rules that
// need the whole stack, over every resource), so the same code runs inside the Pulumi policy pack
// during `pulumi preview` and inside `crucible check` on an offline render or on a
// `pulumi stack export` document. Property names are the state names of the pulumi-aws v6 SDK.
//
// A rule never guesses. A value that is unknown until the deployment runs (a preview's computed
// value, an encrypted secret in an export) is reported as "could not be checked", at the advisory
// level, while every known value beside it is still checked. Malformed documents (a policy that is
// not JSON, a CIDR that does not parse) are violations, not skips.
package rules
