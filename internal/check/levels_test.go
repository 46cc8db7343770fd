package check_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/check"
	"github.com/crucible-sandbox/crucible/policy/rules"
)

func TestPolicyConfigSetsLevelsLikeThePulumiPolicyConfigFile(t *testing.T) {
	levels, err := check.ParseLevels([]byte(`{
		"kms-key-rotation-enabled": {"enforcementLevel": "mandatory"},
		"all": "advisory",
		"instance-no-key-pair": "disabled"
	}`), rules.All())
	require.NoError(t, err)

	assert.Equal(t, rules.Mandatory, levels["kms-key-rotation-enabled"], "a policy's entry beats all")
	assert.Equal(t, rules.Disabled, levels["instance-no-key-pair"])
	assert.Equal(t, rules.Advisory, levels["instance-imdsv2-required"], "all applies to the rest")
	assert.Equal(t, rules.Advisory, levels[rules.UncheckedResourcePolicy])
	assert.Len(t, levels, len(rules.All())+2)
}

func TestPolicyConfigErrorsNameTheKeyAndTheAllowedValues(t *testing.T) {
	cases := map[string]struct {
		config string
		want   string
	}{
		"unknown level": {
			config: `{"instance-no-key-pair": "warn"}`,
			want: `check: policy config "instance-no-key-pair": enforcement level "warn" is not ` +
				"one of advisory, mandatory, disabled",
		},
		"unknown property": {
			config: `{"instance-no-key-pair": {"enforcementLevel": "advisory", "ports": [22]}}`,
			want: `check: policy config "instance-no-key-pair": property "ports" is not known; ` +
				"the crucible rules take only enforcementLevel",
		},
		"not an object": {
			config: `["instance-no-key-pair"]`,
			want: "check: policy config is not a JSON object: json: cannot unmarshal array into " +
				"Go value of type map[string]json.RawMessage",
		},
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := check.ParseLevels([]byte(tc.config), rules.All())
			require.EqualError(t, err, tc.want)
		})
	}

	_, err := check.ParseLevels([]byte(`{"no-such-rule": "advisory"}`), rules.All())
	require.Error(t, err)
	assert.Contains(t, err.Error(),
		`check: policy config: "no-such-rule" is not a policy of the pack; policies: `+
			"security-group-no-ingress-from-anywhere, host-security-group-no-ingress,")
	assert.Contains(t, err.Error(), "unchecked-values, unchecked-stack-values")
}
