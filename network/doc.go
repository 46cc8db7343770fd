// Package network builds the sandbox's VPC: a private subnet for the host, the private endpoints
// that let Session Manager work without the internet, and, only when asked, a NAT path out.
//
// It refuses to build anything public that is not needed: with NAT off there is no public subnet,
// internet gateway, elastic IP or NAT gateway, and the private subnet has no default route. No
// subnet ever assigns public addresses, and the VPC's default security group is left with no rules.
package network
