package settings

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Containment is the configuration of what keeps the evaluated agent inside its host.
type Containment struct {
	// AllowedDomains are DNS names the host may resolve besides the AWS names it needs, lower
	// case, sorted, without duplicates. A leading "*." covers the subdomains of a name.
	AllowedDomains []string
	// EgressPorts are the TCP ports the host may connect out to, sorted; always holds 443.
	EgressPorts []int
	// InsecureDisableDNSFirewall turns the DNS Firewall off: the host resolves every name, and
	// data can leave in DNS queries. Query logging stays on.
	InsecureDisableDNSFirewall bool
	// InsecureAllowPublicSuffixWildcards accepts allowed domains such as "*.com" that cover
	// names anyone can register, and so run their own DNS servers.
	InsecureAllowPublicSuffixWildcards bool
}

// Limits of the containment keys. A domain list takes at most 1000 names in one update; the
// allow list shares it with the built-in AWS names. Each egress port costs a security group rule
// and a network ACL entry, and a network ACL holds 20 entries a direction by default.
const (
	maxAllowedDomains = 500
	maxEgressPorts    = 10
	maxDomainLength   = 253
)

// RequiredEgressPort is the port the Session Manager agent and every AWS API use.
const RequiredEgressPort = 443

// containmentKeys are the keys of the containment controls.
var containmentKeys = []Key{
	{
		Name: "allowedDomains", Type: "array", Items: "string", Default: []any{},
		Description: "DNS names the host may resolve besides the AWS service names it needs, " +
			"such as pypi.org or *.pythonhosted.org; every other name is answered NXDOMAIN.",
	},
	{
		Name: "egressPorts", Type: "array", Items: "integer", Default: []any{443},
		Description: "TCP ports the host may connect out to; must include 443. Ports other " +
			"than 443 need enableNat: without NAT the host reaches only the AWS endpoints.",
	},
	{
		Name: "insecureDisableDnsFirewall", Type: "boolean", Default: false,
		Description: "Turn the DNS Firewall off so the host resolves every name. Insecure: " +
			"data can leave the host inside DNS queries. Queries are still logged.",
	},
	{
		Name: "insecureAllowPublicSuffixWildcards", Type: "boolean", Default: false,
		Description: "Accept allowedDomains wildcards over a public suffix, such as *.com. " +
			"Insecure: anyone can register a name there and receive the host's queries.",
	},
}

// domainPattern is a DNS name in the characters DNS Firewall accepts, with an optional leading
// wildcard label: labels of letters, digits and inner hyphens, 1 to 63 characters each.
var domainPattern = regexp.MustCompile(
	`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// PublicSuffixWildcards are the allowed domains that cover every name under a public suffix,
// such as *.com; they pass validation only with InsecureAllowPublicSuffixWildcards.
func (c Containment) PublicSuffixWildcards() []string {
	var out []string

	for _, d := range c.AllowedDomains {
		if base, ok := strings.CutPrefix(d, "*."); ok && isPublicSuffix(base) {
			out = append(out, d)
		}
	}

	return out
}

// isPublicSuffix reports whether a name is a public suffix by the Public Suffix List. Names under
// an unknown top-level domain count as public: the list's default rule.
func isPublicSuffix(name string) bool {
	suffix, _ := publicsuffix.PublicSuffix(name)

	return suffix == name
}

// containment reads and validates the containment keys; s holds the sandbox settings read so far.
func (p *parser) containment(s *Settings) Containment {
	c := Containment{
		InsecureDisableDNSFirewall:         p.boolean("insecureDisableDnsFirewall"),
		InsecureAllowPublicSuffixWildcards: p.boolean("insecureAllowPublicSuffixWildcards"),
	}

	c.AllowedDomains = p.allowedDomains(c)
	c.EgressPorts = p.egressPorts(s.EnableNat)

	return c
}

func (p *parser) allowedDomains(c Containment) []string {
	const key = Namespace + ":allowedDomains"

	raw, ok := p.stringList("allowedDomains", `["pypi.org", "*.pythonhosted.org"]`)
	if !ok {
		return nil
	}

	if len(raw) > maxAllowedDomains {
		p.fail(key, "has %d names; at most %d are allowed", len(raw), maxAllowedDomains)

		return nil
	}

	if len(raw) > 0 && c.InsecureDisableDNSFirewall {
		p.fail(key, "has no effect while %s:insecureDisableDnsFirewall is true: without the "+
			"firewall every name resolves; remove one of the two", Namespace)

		return nil
	}

	domains := make([]string, 0, len(raw))
	for _, d := range raw {
		name, err := normalizeDomain(d, c.InsecureAllowPublicSuffixWildcards)
		if err != nil {
			p.fail(key, "%v", err)

			continue
		}

		domains = append(domains, name)
	}

	return slices.Compact(slices.Sorted(slices.Values(domains)))
}

// normalizeDomain returns an allowed domain in lower case without a trailing dot, or why it is
// refused.
func normalizeDomain(d string, allowPublicSuffixWildcards bool) (string, error) {
	name := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")

	switch {
	case name == "*":
		return "", fmt.Errorf("%q allows every name and reopens DNS tunnelling; to resolve "+
			"every name set %s:insecureDisableDnsFirewall true instead", d, Namespace)
	case len(name) > maxDomainLength:
		return "", fmt.Errorf("%q is longer than %d characters", d, maxDomainLength)
	case !domainPattern.MatchString(name):
		return "", fmt.Errorf("%q is not a DNS name such as example.com or *.example.com "+
			"(letters, digits, hyphens and dots; * only as the whole first label)", d)
	}

	base, wildcard := strings.CutPrefix(name, "*.")
	if !wildcard || allowPublicSuffixWildcards {
		return name, nil
	}

	if isPublicSuffix(base) {
		return "", fmt.Errorf("%q covers every name registered under the public suffix %q, "+
			"and whoever registers one runs its DNS and reads the host's queries; name the "+
			"domains you need, or set %s:insecureAllowPublicSuffixWildcards true", d, base,
			Namespace)
	}

	return name, nil
}

func (p *parser) egressPorts(enableNat bool) []int {
	const key = Namespace + ":egressPorts"

	raw, ok := p.intList("egressPorts", "[443, 8443]")
	if !ok {
		return nil
	}

	if len(raw) > maxEgressPorts {
		p.fail(key, "has %d ports; at most %d are allowed", len(raw), maxEgressPorts)

		return nil
	}

	valid := true
	for _, port := range raw {
		if port < 1 || port > 65535 {
			p.fail(key, "%d is not a TCP port; allowed: single ports from 1 to 65535, no "+
				"ranges", port)

			valid = false
		}
	}

	ports := slices.Compact(slices.Sorted(slices.Values(raw)))
	if !slices.Contains(ports, RequiredEgressPort) {
		p.fail(key, "%v must include %d: the Session Manager agent and the AWS APIs use it",
			raw, RequiredEgressPort)

		valid = false
	}

	if extra := slices.DeleteFunc(slices.Clone(ports), func(port int) bool {
		return port == RequiredEgressPort
	}); len(extra) > 0 && !enableNat {
		p.fail(key, "ports %v need %s:enableNat true: without NAT the host reaches only the "+
			"AWS endpoints, on %d", extra, Namespace, RequiredEgressPort)

		valid = false
	}

	if !valid {
		return nil
	}

	return ports
}
