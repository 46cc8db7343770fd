package settings

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseRole(values map[string]string) (*Settings, error) {
	all := map[string]string{RegionKey: "us-east-1"}
	for k, v := range values {
		all[Namespace+":"+k] = v
	}

	return Parse(Source{Project: "crucible", Stack: "eval-1", Values: all})
}

func TestRoleDefaultsToStandalone(t *testing.T) {
	s, err := parseRole(nil)
	require.NoError(t, err)

	assert.Equal(t, RoleStandalone, s.Role)
	assert.Empty(t, s.PlatformStack)
}

func TestEvaluationStackNamesItsPlatform(t *testing.T) {
	s, err := parseRole(map[string]string{
		"role": "evaluation", "platformStack": "acme/crucible/platform",
	})
	require.NoError(t, err)

	assert.True(t, s.IsEvaluation())
	assert.Equal(t, "acme/crucible/platform", s.PlatformStack)
}

func TestRoleProblemsNameTheKeyAndAllowedValues(t *testing.T) {
	cases := []struct {
		name   string
		values map[string]string
		want   []string
	}{
		{
			name:   "unknown role",
			values: map[string]string{"role": "shared"},
			want: []string{`crucible:role: "shared" is not a stack role; allowed: standalone, ` +
				`platform, evaluation`},
		},
		{
			name:   "evaluation without platform",
			values: map[string]string{"role": "evaluation"},
			want: []string{"crucible:platformStack: is required for role evaluation: name the " +
				"platform stack, such as org/crucible/platform"},
		},
		{
			name:   "malformed platform stack",
			values: map[string]string{"role": "evaluation", "platformStack": "a/b/c/d"},
			want: []string{`crucible:platformStack: "a/b/c/d" is not a Pulumi stack name ` +
				`(stack, project/stack or org/project/stack of letters, digits, -, _ and .)`},
		},
		{
			name:   "platform stack on a standalone stack",
			values: map[string]string{"platformStack": "platform"},
			want: []string{"crucible:platformStack: is set, but role is standalone; only an " +
				"evaluation stack builds on a platform stack"},
		},
		{
			name: "network keys on an evaluation stack",
			values: map[string]string{
				"role": "evaluation", "platformStack": "platform",
				"vpcCidr": "10.0.0.0/17", "privateSubnetCidr": "10.0.3.0/24", "enableNat": "true",
			},
			want: []string{
				"crucible:vpcCidr: does not apply to a stack with role evaluation (the platform " +
					"stack owns it); remove it",
				"crucible:privateSubnetCidr: does not apply to a stack with role evaluation " +
					"(the platform stack owns it); remove it",
				"crucible:enableNat: does not apply to a stack with role evaluation (the platform " +
					"stack owns it); remove it",
			},
		},
		{
			name:   "host keys on a platform stack",
			values: map[string]string{"role": "platform", "instanceType": "t3.large"},
			want: []string{"crucible:instanceType: does not apply to a stack with role " +
				"platform (a platform stack builds no host); remove it"},
		},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := parseRole(c.values)
			require.Nil(t, s)

			var cfgErr *Error
			require.ErrorAs(t, err, &cfgErr)

			got := make([]string, 0, len(cfgErr.Problems))
			for _, p := range cfgErr.Problems {
				got = append(got, p.Error())
			}

			assert.ElementsMatch(t, c.want, got)
		})
	}
}

// The engine fills Pulumi.yaml's defaults into every stack, so a key at its default is not a
// choice the stack made and must pass.
func TestKeysAtTheirDefaultPassOnEveryRole(t *testing.T) {
	_, err := parseRole(map[string]string{
		"role": "evaluation", "platformStack": "platform", "vpcCidr": "10.0.0.0/16",
		"egressPorts": "[ 443 ]", "enableNat": "false",
	})
	require.NoError(t, err)

	_, err = parseRole(map[string]string{"role": "platform", "instanceType": "t3.medium"})
	require.NoError(t, err)
}
