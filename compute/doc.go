// Package compute builds the sandbox host: one EC2 instance in a private subnet, reachable only
// through Session Manager, and its security group.
//
// It refuses every path in: the group has no ingress rule, the instance gets no public address
// and no key pair, instance metadata requires session tokens and stops at the first hop, and the
// root volume is encrypted. Egress is HTTPS only unless the caller names other ports.
package compute
