package sandbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/settings"
)

func parse(t *testing.T, values map[string]string) *settings.Settings {
	t.Helper()

	all := map[string]string{settings.RegionKey: "us-east-1"}
	for k, v := range values {
		all[settings.Namespace+":"+k] = v
	}

	s, err := settings.Parse(settings.Source{Project: "crucible", Stack: "test", Values: all})
	require.NoError(t, err)

	return s
}

func TestStrictDefaultsDeployWithoutWarnings(t *testing.T) {
	assert.Empty(t, containmentWeakenings(parse(t, nil)), "the program says nothing when nothing is weakened")
}

func TestNatWarningSaysTheHostReachesTheInternetAndOnWhichPorts(t *testing.T) {
	assert.Equal(t, []string{
		"crucible:enableNat is true: the host can reach the internet through a NAT gateway on " +
			"TCP ports 443, 8443; the DNS Firewall still refuses unlisted names at the VPC " +
			"resolver, but connections to IP addresses get out, DNS-over-HTTPS resolvers included. " +
			"Set crucible:enableNat false for full isolation",
	}, containmentWeakenings(parse(t, map[string]string{"enableNat": "true", "egressPorts": "[8443, 443]"})))

	assert.Contains(t, containmentWeakenings(parse(t, map[string]string{"enableNat": "true"}))[0],
		"on TCP port 443;")
}

func TestDisabledDNSFirewallIsWarnedAbout(t *testing.T) {
	assert.Equal(t, []string{
		"crucible:insecureDisableDnsFirewall is true: the host resolves every DNS name, so data " +
			"can leave inside DNS queries even without NAT; queries are still logged",
	}, containmentWeakenings(parse(t, map[string]string{"insecureDisableDnsFirewall": "true"})))
}

func TestPublicSuffixWildcardsAreNamedInTheWarning(t *testing.T) {
	got := containmentWeakenings(parse(t, map[string]string{
		"allowedDomains":                     `["*.com", "*.pythonhosted.org", "*.co.uk"]`,
		"insecureAllowPublicSuffixWildcards": "true",
	}))

	assert.Equal(t, []string{
		"crucible:allowedDomains holds *.co.uk, *.com, covering names anyone can register, whose " +
			"DNS servers then receive the host's queries " +
			"(crucible:insecureAllowPublicSuffixWildcards is true)",
	}, got, "*.pythonhosted.org is one owner's domain and is not named")
}

func TestInsecureWildcardFlagAloneIsNotWarnedAbout(t *testing.T) {
	assert.Empty(t, containmentWeakenings(parse(t, map[string]string{
		"insecureAllowPublicSuffixWildcards": "true",
		"allowedDomains":                     `["pypi.org"]`,
	})), "nothing broad is allowed, so nothing is weakened")
}
