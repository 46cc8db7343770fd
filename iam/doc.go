// Package iam builds the identities of the sandbox: the host's instance role and profile, and the
// credential guard that keeps the role's credentials usable only from the host.
//
// The role trusts the EC2 service alone and carries only what the Session Manager agent needs.
// The package refuses to build a role any other principal could assume, and it never grants a
// wildcard action: its only wildcard is in the credential guard's deny.
package iam
