package settings

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func parseAudit(t *testing.T, values map[string]string) (*Settings, error) {
	t.Helper()

	all := map[string]string{RegionKey: "us-east-1"}
	for k, v := range values {
		all[Namespace+":"+k] = v
	}

	return Parse(Source{Project: "crucible", Stack: "dev", Values: all})
}

func TestAuditDefaultsKeepAYearOfEvidenceAndRunSessionsUnprivileged(t *testing.T) {
	s, err := parseAudit(t, nil)
	require.NoError(t, err)

	assert.Equal(t, Audit{
		RetentionDays:      365,
		TransitionDays:     0,
		ObjectLockDays:     0,
		RetainOnDestroy:    true,
		IdleTimeoutMinutes: 20,
		MaxDurationMinutes: 60,
		RunAsUser:          "crucible-operator",
		Sudo:               false,
		OperatorPrincipals: nil,
		AccessRevoked:      false,
	}, s.Audit)
}

func TestAuditReadsEveryKey(t *testing.T) {
	s, err := parseAudit(t, map[string]string{
		"auditRetentionDays":        "731",
		"auditTransitionDays":       "90",
		"auditObjectLockDays":       "400",
		"auditRetainOnDestroy":      "false",
		"sessionIdleTimeoutMinutes": "60",
		"sessionMaxDurationMinutes": "1440",
		"sessionRunAsUser":          "evaluator",
		"sessionSudo":               "true",
		"operatorPrincipals": `["arn:aws:iam::123456789012:role/team/evals/Reviewer",` +
			`"arn:aws:iam::123456789012:user/alice@example.com"]`,
		"accessRevoked": "true",
	})
	require.NoError(t, err)

	assert.Equal(t, Audit{
		RetentionDays:      731,
		TransitionDays:     90,
		ObjectLockDays:     400,
		RetainOnDestroy:    false,
		IdleTimeoutMinutes: 60,
		MaxDurationMinutes: 1440,
		RunAsUser:          "evaluator",
		Sudo:               true,
		OperatorPrincipals: []Principal{
			{
				Arn:       "arn:aws:iam::123456789012:role/team/evals/Reviewer",
				Partition: "aws", AccountID: "123456789012", Kind: "role", Name: "Reviewer",
			},
			{
				Arn:       "arn:aws:iam::123456789012:user/alice@example.com",
				Partition: "aws", AccountID: "123456789012", Kind: "user", Name: "alice@example.com",
			},
		},
		AccessRevoked: true,
	}, s.Audit)
}

func TestInvalidAuditValuesAreRejectedNamingTheKey(t *testing.T) {
	cases := []struct {
		name   string
		values map[string]string
		want   string
	}{
		{
			"idle timeout zero",
			map[string]string{"sessionIdleTimeoutMinutes": "0"},
			`crucible:sessionIdleTimeoutMinutes: "0" is not a whole number from 1 to 60`,
		},
		{
			"idle timeout above an hour",
			map[string]string{"sessionIdleTimeoutMinutes": "61"},
			`crucible:sessionIdleTimeoutMinutes: "61" is not a whole number from 1 to 60`,
		},
		{
			"session longer than a day",
			map[string]string{"sessionMaxDurationMinutes": "1441"},
			`crucible:sessionMaxDurationMinutes: "1441" is not a whole number from 1 to 1440`,
		},
		{
			"retention CloudWatch does not offer",
			map[string]string{"auditRetentionDays": "366"},
			`crucible:auditRetentionDays: "366" is not a retention CloudWatch Logs accepts; ` +
				`allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, ` +
				`1827, 2192, 2557, 2922, 3288, 3653`,
		},
		{
			"transition after expiry",
			map[string]string{"auditRetentionDays": "90", "auditTransitionDays": "90"},
			`crucible:auditTransitionDays: 90 is not less than auditRetentionDays 90: ` +
				`transcripts would expire before they move; use 0 or a smaller number`,
		},
		{
			"lock longer than retention",
			map[string]string{"auditObjectLockDays": "400"},
			`crucible:auditObjectLockDays: 400 is longer than auditRetentionDays 365: ` +
				`locked transcripts could not expire; use at most 365`,
		},
		{
			"retain flag not a boolean",
			map[string]string{"auditRetainOnDestroy": "yes"},
			`crucible:auditRetainOnDestroy: "yes" is not a boolean; allowed: true or false`,
		},
		{
			"user name with a space",
			map[string]string{"sessionRunAsUser": "eval user"},
			`crucible:sessionRunAsUser: "eval user" is not a Linux user name: 1 to 32 of ` +
				`a-z, 0-9, _ and -, starting with a letter or _`,
		},
		{
			"the agent's sudo user",
			map[string]string{"sessionRunAsUser": "ssm-user"},
			`crucible:sessionRunAsUser: "ssm-user" is an account the image or the Session ` +
				`Manager agent already has; sessions would inherit its privileges. Choose a new ` +
				`name, such as crucible-operator`,
		},
		{
			"principals not a list",
			map[string]string{"operatorPrincipals": `"arn"`},
			`crucible:operatorPrincipals: is not a list of strings (json: cannot unmarshal ` +
				`string into Go value of type []string); set it with ` +
				"`pulumi config set --path 'operatorPrincipals[0]' " +
				"arn:aws:iam::<account>:role/<name>`",
		},
		{
			"principal with a short account",
			map[string]string{"operatorPrincipals": `["arn:aws:iam::12345:role/evals"]`},
			`crucible:operatorPrincipals[0]: "arn:aws:iam::12345:role/evals" is not an IAM ` +
				`role or user ARN such as arn:aws:iam::123456789012:role/evaluator or ` +
				`arn:aws:iam::123456789012:user/alice`,
		},
		{
			"principal that is a group",
			map[string]string{"operatorPrincipals": `["arn:aws:iam::123456789012:group/evals"]`},
			`crucible:operatorPrincipals[0]: "arn:aws:iam::123456789012:group/evals" is not an ` +
				`IAM role or user ARN such as arn:aws:iam::123456789012:role/evaluator or ` +
				`arn:aws:iam::123456789012:user/alice`,
		},
		{
			"principal of another partition",
			map[string]string{"operatorPrincipals": `["arn:aws-cn:iam::123456789012:role/evals"]`},
			`crucible:operatorPrincipals[0]: "arn:aws-cn:iam::123456789012:role/evals" is in ` +
				`partition aws-cn, but aws:region is in aws`,
		},
		{
			"principal listed twice",
			map[string]string{"operatorPrincipals": `["arn:aws:iam::123456789012:role/evals",` +
				`"arn:aws:iam::123456789012:role/path/evals"]`},
			`crucible:operatorPrincipals[1]: role evals is listed twice`,
		},
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := parseAudit(t, tc.values)
			require.Error(t, err)
			assert.Nil(t, s, "invalid configuration must yield no settings")

			var cfgErr *Error
			require.True(t, errors.As(err, &cfgErr))
			require.Len(t, cfgErr.Problems, 1, "exactly one problem: %v", cfgErr.Problems)
			assert.Equal(t, tc.want, cfgErr.Problems[0].Error())
		})
	}
}

func TestEveryAuditProblemIsReportedAtOnce(t *testing.T) {
	_, err := parseAudit(t, map[string]string{
		"sessionIdleTimeoutMinutes": "0",
		"sessionMaxDurationMinutes": "0",
		"auditRetentionDays":        "2",
		"sessionRunAsUser":          "root",
	})

	var cfgErr *Error
	require.True(t, errors.As(err, &cfgErr))

	assert.Len(t, cfgErr.Problems, 4, "%v", cfgErr.Problems)
	assert.Contains(t, err.Error(), "crucible:auditRetentionDays:")
	assert.Contains(t, err.Error(), "crucible:sessionIdleTimeoutMinutes:")
	assert.Contains(t, err.Error(), "crucible:sessionMaxDurationMinutes:")
	assert.Contains(t, err.Error(), "crucible:sessionRunAsUser:")
}

// pulumiYAMLKey is one key of Pulumi.yaml's config block.
type pulumiYAMLKey struct {
	Type        string `yaml:"type"`
	Default     any    `yaml:"default"`
	Description string `yaml:"description"`
	Items       *struct {
		Type string `yaml:"type"`
	} `yaml:"items"`
}

func TestPulumiYAMLDeclaresEveryAuditKeyAsSettingsDoes(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "Pulumi.yaml"))
	require.NoError(t, err)

	var project struct {
		Config map[string]pulumiYAMLKey `yaml:"config"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &project))

	for _, k := range auditKeys {
		decl, ok := project.Config[k.Name]
		if !assert.True(t, ok, "Pulumi.yaml does not declare %s", k.Name) {
			continue
		}

		assert.Equal(t, k.Type, decl.Type, "%s: type", k.Name)
		assert.Equal(t, k.Default, decl.Default, "%s: default", k.Name)
		assert.Equal(t, k.Description, decl.Description, "%s: description", k.Name)

		if k.Type == "array" {
			require.NotNil(t, decl.Items, "%s: an array declares its items", k.Name)
			assert.Equal(t, "string", decl.Items.Type, "%s: items are strings", k.Name)
		}
	}
}
