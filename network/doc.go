// Package network builds the sandbox's VPC and what keeps the host inside it: a private subnet
// for the host, the private endpoints that let Session Manager work without the internet and,
// only when asked, a NAT path out; the endpoint policies, the subnet's network ACL, the DNS
// Firewall, Resolver query logging and the VPC flow log.
//
// It refuses to build anything public that is not needed: with NAT off there is no public subnet,
// internet gateway, elastic IP or NAT gateway, and the private subnet has no default route. No
// subnet ever assigns public addresses, and the VPC's default security group is left with no rules.
// No endpoint carries the default full-access policy, no log group is unencrypted, and the DNS
// Firewall never allows every name: turning it off is the caller's explicit choice.
package network
