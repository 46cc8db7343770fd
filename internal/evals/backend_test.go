package evals

import (
	"path/filepath"
	"testing"

	"github.com/adrg/xdg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/enginetest"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func lookup(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestResolveBackendPrefersTheFlagThenTheEnvironment(t *testing.T) {
	got, err := ResolveBackend("s3://team-evals/crucible", env(map[string]string{
		BackendEnv: "https://api.pulumi.com",
	}))
	require.NoError(t, err)
	assert.Equal(t, "s3://team-evals/crucible", got)

	got, err = ResolveBackend("", env(map[string]string{BackendEnv: "https://api.pulumi.com"}))
	require.NoError(t, err)
	assert.Equal(t, "https://api.pulumi.com", got)
}

func TestResolveBackendDefaultsToAFileBackendInTheUserDataDirectory(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	xdg.Reload()
	t.Cleanup(xdg.Reload)

	got, err := ResolveBackend("", env(nil))
	require.NoError(t, err)
	want := filepath.Join(xdg.DataHome, "crucible", "backend")
	assert.Equal(t, "file://"+filepath.ToSlash(want), got)
	assert.DirExists(t, want, "the engine needs the backend directory to exist")
}

func TestResolveBackendRejectsWhatIsNotABackend(t *testing.T) {
	for _, raw := range []string{"team-evals", "ftp://x/y", "file://"} {
		_, err := ResolveBackend(raw, env(nil))
		require.Error(t, err, raw)
		assert.Equal(t, `--backend "`+raw+`": not a Pulumi backend URL; use file://<directory>, `+
			"s3://<bucket>[/<prefix>] (shared through S3) or https://api.pulumi.com (Pulumi Cloud)",
			err.Error())
	}
}

func TestCheckSecretsRequiresAPassphraseBeforeAnyWork(t *testing.T) {
	err := CheckSecrets("file:///tmp/b", "", lookup(nil))
	require.Error(t, err)
	assert.Equal(t, "PULUMI_CONFIG_PASSPHRASE is not set: evaluation stacks in file:///tmp/b "+
		"encrypt their secrets with a passphrase; export PULUMI_CONFIG_PASSPHRASE (or "+
		"PULUMI_CONFIG_PASSPHRASE_FILE), or pass --secrets-provider awskms://<key>", err.Error())

	err = CheckSecrets("s3://b", "passphrase", lookup(nil))
	require.Error(t, err, "an explicit passphrase provider needs it too")

	for name, tc := range map[string]struct {
		url, provider string
		vars          map[string]string
	}{
		"passphrase set":        {"s3://b", "", map[string]string{PassphraseEnv: "pw"}},
		"passphrase file":       {"s3://b", "", map[string]string{PassphraseFileEnv: "/pw"}},
		"kms":                   {"s3://b", "awskms://alias/evals?region=us-east-1", nil},
		"pulumi cloud encrypts": {"https://api.pulumi.com", "", nil},
	} {
		assert.NoError(t, CheckSecrets(tc.url, tc.provider, lookup(tc.vars)), name)
	}

	err = CheckSecrets("s3://b", "hashivault://k", lookup(nil))
	require.Error(t, err)
	assert.Equal(t, "--secrets-provider hashivault://k: use passphrase (the default) or "+
		"awskms://<key id, ARN or alias>?region=<region>", err.Error())
}

func TestCheckSecretsRefusesAnEmptyPassphrase(t *testing.T) {
	err := CheckSecrets("s3://b", "", lookup(map[string]string{PassphraseEnv: ""}))
	require.Error(t, err)
	assert.Equal(t, "PULUMI_CONFIG_PASSPHRASE is set but empty: an empty passphrase does not "+
		"protect the secrets of the evaluation stacks in s3://b (and Pulumi uses it ahead of "+
		"PULUMI_CONFIG_PASSPHRASE_FILE); export a non-empty PULUMI_CONFIG_PASSPHRASE, or pass "+
		"--secrets-provider awskms://<key>", err.Error())

	err = CheckSecrets("s3://b", "passphrase", lookup(map[string]string{
		PassphraseEnv: "", PassphraseFileEnv: "/etc/crucible/passphrase",
	}))
	require.Error(t, err, "Pulumi would use the empty passphrase, not the file")
	assert.Contains(t, err.Error(), "PULUMI_CONFIG_PASSPHRASE is set but empty")

	err = CheckSecrets("s3://b", "", lookup(map[string]string{PassphraseFileEnv: ""}))
	require.Error(t, err)
	assert.Equal(t, "PULUMI_CONFIG_PASSPHRASE_FILE is set but empty: name the file holding the "+
		"passphrase of the evaluation stacks in s3://b, export PULUMI_CONFIG_PASSPHRASE instead, "+
		"or pass --secrets-provider awskms://<key>", err.Error())

	assert.NoError(t, CheckSecrets("s3://b", "awskms://alias/evals?region=us-east-1",
		lookup(map[string]string{PassphraseEnv: ""})), "a KMS key needs no passphrase")
}

func TestWorkspaceRootIsPerBackend(t *testing.T) {
	a, b := WorkspaceRoot("s3://one"), WorkspaceRoot("s3://two")
	assert.NotEqual(t, a, b)
	assert.Equal(t, a, WorkspaceRoot("s3://one"))
	assert.Equal(t, filepath.Join(xdg.DataHome, "crucible", "workspaces"), filepath.Dir(a))
}

func TestPinnedAWSPluginVersionMatchesGoMod(t *testing.T) {
	assert.Equal(t, enginetest.ModuleVersion(t, "github.com/pulumi/pulumi-aws/sdk/v6"),
		AWSPluginVersion, "eval up installs the plugin the typed SDK in go.mod asks for")
}
