package settings

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseWith parses a configuration of the us-east-1 region plus the given crucible keys.
func parseWith(t *testing.T, values map[string]string) (*Settings, error) {
	t.Helper()

	all := map[string]string{RegionKey: "us-east-1"}
	keys := []string{RegionKey}

	for k, v := range values {
		all[Namespace+":"+k] = v
		keys = append(keys, Namespace+":"+k)
	}

	return Parse(Source{Project: "crucible", Stack: "test", Values: all, Keys: keys})
}

// problems returns each configuration problem's text.
func problems(t *testing.T, err error) []string {
	t.Helper()

	var cfgErr *Error
	require.True(t, errors.As(err, &cfgErr), "expected a configuration error, got %v", err)

	out := make([]string, 0, len(cfgErr.Problems))
	for _, p := range cfgErr.Problems {
		out = append(out, p.Error())
	}

	return out
}

func TestContainmentDefaultsCloseEveryRoute(t *testing.T) {
	s, err := parseWith(t, nil)
	require.NoError(t, err)

	assert.Empty(t, s.Containment.AllowedDomains, "no name beyond AWS's own is allowed by default")
	assert.Equal(t, []int{443}, s.Containment.EgressPorts, "HTTPS is the only port by default")
	assert.False(t, s.Containment.InsecureDisableDNSFirewall, "the DNS Firewall is on by default")
	assert.False(t, s.Containment.InsecureAllowPublicSuffixWildcards)
}

func TestAllowedDomainsAreNormalizedSortedAndDeduplicated(t *testing.T) {
	s, err := parseWith(t, map[string]string{
		"allowedDomains": `["PyPI.org.", "*.pythonhosted.org", "pypi.org", " files.example.com "]`,
	})
	require.NoError(t, err)

	assert.Equal(t, []string{"*.pythonhosted.org", "files.example.com", "pypi.org"},
		s.Containment.AllowedDomains)
}

func TestPublicSuffixWildcardIsAcceptedOnlyWithTheInsecureFlag(t *testing.T) {
	s, err := parseWith(t, map[string]string{
		"allowedDomains":                     `["*.com"]`,
		"insecureAllowPublicSuffixWildcards": "true",
	})
	require.NoError(t, err)

	assert.Equal(t, []string{"*.com"}, s.Containment.AllowedDomains)
	assert.True(t, s.Containment.InsecureAllowPublicSuffixWildcards)
}

func TestDNSFirewallIsOffOnlyWithTheInsecureFlag(t *testing.T) {
	s, err := parseWith(t, map[string]string{"insecureDisableDnsFirewall": "true"})
	require.NoError(t, err)

	assert.True(t, s.Containment.InsecureDisableDNSFirewall)
}

func TestEgressPortsBeyondHTTPSAreAcceptedWithNat(t *testing.T) {
	s, err := parseWith(t, map[string]string{
		"enableNat":   "true",
		"egressPorts": "[8443, 443, 443, 80]",
	})
	require.NoError(t, err)

	assert.Equal(t, []int{80, 443, 8443}, s.Containment.EgressPorts)
}

func TestConfigurationThatWouldOpenARouteIsRejected(t *testing.T) {
	// Five labels of 60 characters: each label is valid, the name is not (304 characters).
	long := strings.Repeat(strings.Repeat("a", 60)+".", 5) + "com"

	cases := []struct {
		name   string
		values map[string]string
		want   []string // every fragment must appear in one problem
	}{
		{
			name:   "a bare wildcard domain points to the firewall switch",
			values: map[string]string{"allowedDomains": `["*"]`},
			want: []string{
				"crucible:allowedDomains", `"*" allows every name`,
				"crucible:insecureDisableDnsFirewall true",
			},
		},
		{
			name:   "a top-level wildcard needs the public suffix flag",
			values: map[string]string{"allowedDomains": `["*.com"]`},
			want: []string{
				"crucible:allowedDomains", `public suffix "com"`,
				"crucible:insecureAllowPublicSuffixWildcards true",
			},
		},
		{
			name:   "a wildcard over a two-label public suffix needs the flag too",
			values: map[string]string{"allowedDomains": `["*.co.uk"]`},
			want:   []string{`public suffix "co.uk"`, "insecureAllowPublicSuffixWildcards"},
		},
		{
			name:   "a wildcard over an unknown top-level domain counts as public",
			values: map[string]string{"allowedDomains": `["*.internal"]`},
			want:   []string{`public suffix "internal"`},
		},
		{
			name:   "a wildcard inside a name is not a DNS Firewall domain",
			values: map[string]string{"allowedDomains": `["files.*.example.com"]`},
			want:   []string{"crucible:allowedDomains", `"files.*.example.com" is not a DNS name`},
		},
		{
			name:   "a label may not start with a hyphen",
			values: map[string]string{"allowedDomains": `["-bad.example.com"]`},
			want:   []string{`"-bad.example.com" is not a DNS name`},
		},
		{
			name:   "a name longer than DNS allows",
			values: map[string]string{"allowedDomains": `["` + long + `"]`},
			want:   []string{"is longer than 253 characters"},
		},
		{
			name:   "a single name instead of a list",
			values: map[string]string{"allowedDomains": "pypi.org"},
			want:   []string{"crucible:allowedDomains", "is not a list of strings"},
		},
		{
			name: "an allow list with the firewall off contradicts itself",
			values: map[string]string{
				"allowedDomains":             `["pypi.org"]`,
				"insecureDisableDnsFirewall": "true",
			},
			want: []string{"crucible:allowedDomains", "has no effect while " +
				"crucible:insecureDisableDnsFirewall is true"},
		},
		{
			name:   "a port range is not a port",
			values: map[string]string{"enableNat": "true", "egressPorts": `["0-65535"]`},
			want:   []string{"crucible:egressPorts", "is not a list of whole numbers"},
		},
		{
			name:   "port 0 is not a TCP port",
			values: map[string]string{"enableNat": "true", "egressPorts": "[443, 0]"},
			want:   []string{"crucible:egressPorts", "0 is not a TCP port", "no ranges"},
		},
		{
			name:   "a port above 65535 is not a TCP port",
			values: map[string]string{"enableNat": "true", "egressPorts": "[443, 65536]"},
			want:   []string{"65536 is not a TCP port"},
		},
		{
			name:   "the agent's port cannot be left out",
			values: map[string]string{"enableNat": "true", "egressPorts": "[8443]"},
			want:   []string{"crucible:egressPorts", "must include 443"},
		},
		{
			name:   "ports beyond HTTPS are meaningless without NAT",
			values: map[string]string{"egressPorts": "[443, 8080]"},
			want:   []string{"crucible:egressPorts", "ports [8080] need crucible:enableNat true"},
		},
		{
			name: "more ports than the network ACL can hold",
			values: map[string]string{
				"enableNat":   "true",
				"egressPorts": "[443, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
			},
			want: []string{"crucible:egressPorts", "has 11 ports; at most 10"},
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parseWith(t, tc.values)
			require.Error(t, err)
			assert.Nil(t, s, "nothing may be built from a configuration with problems")
			assert.True(t, anyContainsAll(problems(t, err), tc.want),
				"expected one problem containing %q, got %q", tc.want, problems(t, err))
		})
	}
}

func TestEveryContainmentProblemIsReportedAtOnce(t *testing.T) {
	_, err := parseWith(t, map[string]string{
		"allowedDomains": `["*", "*.com"]`,
		"egressPorts":    "[0]",
	})

	got := problems(t, err)
	assert.True(t, anyContainsAll(got, []string{`"*" allows every name`}), "%q", got)
	assert.True(t, anyContainsAll(got, []string{`"*.com" covers every name`}), "%q", got)
	assert.True(t, anyContainsAll(got, []string{"0 is not a TCP port"}), "%q", got)
}

func anyContainsAll(problems, fragments []string) bool {
	for _, p := range problems {
		all := true
		for _, f := range fragments {
			all = all && strings.Contains(p, f)
		}

		if all {
			return true
		}
	}

	return false
}

// The Pulumi.yaml config block is what `pulumi config` validates stack files against; it must
// declare each containment key exactly as the parser reads it.
func TestContainmentKeysMatchPulumiYaml(t *testing.T) {
	project, err := workspace.LoadProject(filepath.Join("..", "Pulumi.yaml"))
	require.NoError(t, err)

	for _, k := range containmentKeys {
		decl, ok := project.Config[k.Name]
		require.True(t, ok, "Pulumi.yaml does not declare %s", k.Name)

		assert.Equal(t, k.Type, decl.TypeName(), "%s: type", k.Name)
		assert.Equal(t, k.Description, decl.Description, "%s: description", k.Name)
		assert.JSONEq(t, jsonOf(t, k.Default), jsonOf(t, decl.Default), "%s: default", k.Name)

		if k.Items == "" {
			assert.Nil(t, decl.Items, "%s: items", k.Name)
			continue
		}

		require.NotNil(t, decl.Items, "%s: array items type", k.Name)
		assert.Equal(t, k.Items, decl.Items.Type, "%s: items", k.Name)
	}
}

func TestListDefaultsReachTheParserAsJSON(t *testing.T) {
	assert.Equal(t, "[443]", defaultText([]any{443}))
	assert.Equal(t, "[]", defaultText([]any{}))
	assert.Equal(t, `["a"]`, defaultText([]any{"a"}))
	assert.Equal(t, "false", defaultText(false))
	assert.Equal(t, "10.0.0.0/16", defaultText("10.0.0.0/16"))
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()

	b, err := json.Marshal(v)
	require.NoError(t, err)

	return string(b)
}
