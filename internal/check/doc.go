// Package check runs every rule of policy/rules over a whole deployment, without a cloud account
// and without the Pulumi CLI, and reports the findings for people (text), for programs (JSON) and
// for code scanning (SARIF 2.1.0).
//
// A deployment comes from the offline render of a stack or from a `pulumi stack export` document
// (version 3), so the same rules audit a change before it is merged and a stack that is already
// deployed. It refuses documents it cannot read in full: another schema version, a resource
// without a URN or type, a policy configuration that names a rule that does not exist.
package check
