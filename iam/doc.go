// Package iam builds the identities of the sandbox: the host's instance role and profile.
//
// The role trusts the EC2 service alone and carries only what the Session Manager agent needs.
// The package refuses to build a role any other principal could assume, and it never writes a
// policy with a wildcard action.
package iam
