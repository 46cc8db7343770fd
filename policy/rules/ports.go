package rules

import (
	"fmt"
	"net/netip"
	"strings"
)

// Remote administration ports that Security Hub singles out (EC2.13, EC2.14, EC2.21).
const (
	portSSH = 22
	portRDP = 3389
)

// cidrFromAnywhere reports whether a CIDR block covers every address. A block that does not parse
// is returned as an error, so a typo never passes as "not open".
func cidrFromAnywhere(cidr string) (bool, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(cidr))
	if err != nil {
		return false, fmt.Errorf("%q is not a valid CIDR block", cidr)
	}

	return p.Bits() == 0, nil
}

// portRange is the protocol and ports of one rule, as AWS and the provider spell them.
type portRange struct {
	protocol string
	from     float64
	to       float64
}

// readPortRange reads protocol and port fields of a rule object.
func readPortRange(rule field, protocolKey string) portRange {
	pr := portRange{}
	pr.protocol, _ = rule.sub(protocolKey).str()

	// The provider stores protocols given as numbers in state as strings, but inputs may be either.
	if n, ok := rule.sub(protocolKey).number(); ok {
		pr.protocol = fmt.Sprintf("%d", int(n))
	}

	pr.from, _ = rule.sub("fromPort").number()
	pr.to, _ = rule.sub("toPort").number()

	return pr
}

// allProtocols reports whether the rule matches every protocol, and so every port.
func (p portRange) allProtocols() bool {
	switch strings.ToLower(p.protocol) {
	case "-1", "all":
		return true
	}

	return false
}

// tcp reports whether the rule is for TCP, by name or by protocol number.
func (p portRange) tcp() bool {
	switch strings.ToLower(p.protocol) {
	case "tcp", "6":
		return true
	}

	return false
}

// covers reports whether the rule lets traffic reach the given TCP port.
func (p portRange) covers(port float64) bool {
	if p.allProtocols() {
		return true
	}

	return p.tcp() && p.from <= port && port <= p.to
}

// String words the rule's traffic for messages: "all traffic", "tcp port 22", "tcp ports 1-9".
func (p portRange) String() string {
	switch {
	case p.allProtocols():
		return "all traffic"
	case p.from == p.to:
		return fmt.Sprintf("%s port %d", p.protocol, int(p.from))
	default:
		return fmt.Sprintf("%s ports %d-%d", p.protocol, int(p.from), int(p.to))
	}
}
