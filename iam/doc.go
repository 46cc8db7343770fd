// Package iam builds the identities of the sandbox: the host's instance role and profile, the
// credential guard that keeps the role's credentials usable only from the host, and the operator
// access policy that lets people into the host.
//
// The role trusts the EC2 service alone and carries only what the Session Manager agent needs.
// The operator policy allows sessions only with MFA, only on the stack's own host and only through
// the stack's logged session document, and lets people end or resume only their own sessions;
// revoking access denies it outright and closes the host's session channels. The package refuses
// to build a role any other principal could assume, and it never grants a wildcard action: its
// only wildcard is in the credential guard's deny.
package iam
