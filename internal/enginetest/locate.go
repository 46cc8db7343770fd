package enginetest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/modfile"
)

const (
	// CLIVersion is the Pulumi CLI version scripts/build-pulumi-cli builds, equal to the SDK's.
	CLIVersion = "v3.276.0"

	// AWSPluginVersion is the pulumi-aws version in go.mod; the typed SDK asks the engine for
	// exactly this plugin version, so the stand-in is installed under it.
	AWSPluginVersion = "v6.83.4"

	cliEnv     = "CRUCIBLE_PULUMI_CLI"
	pluginEnv  = "CRUCIBLE_FAKEAWS_PLUGIN"
	requireEnv = "CRUCIBLE_REQUIRE_ALL"
	cacheEnv   = "CRUCIBLE_CACHE"
	enableHint = "run scripts/build-e2e (it builds the Pulumi CLI once, ~5 min cold, and the " +
		"stand-in AWS plugin) and export the CRUCIBLE_PULUMI_CLI and CRUCIBLE_FAKEAWS_PLUGIN " +
		"lines it prints"
	pluginBinary = "pulumi-resource-aws"

	// CreateDelayEnv, in an engine's environment, slows every create of the stand-in plugin by
	// a Go duration, so a test can interrupt an update halfway through.
	CreateDelayEnv = "CRUCIBLE_FAKEAWS_CREATE_DELAY"
)

// Unavailable skips the test because a service it needs is missing, or fails it when
// CRUCIBLE_REQUIRE_ALL=1, so a CI run cannot pass by skipping.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()

	msg := fmt.Sprintf(format, args...)
	if os.Getenv(requireEnv) == "1" {
		t.Fatalf("%s (%s=1 requires it): %s", msg, requireEnv, enableHint)
	}
	t.Skipf("%s; to enable: %s", msg, enableHint)
}

// CLIPath returns the Pulumi CLI to test with: CRUCIBLE_PULUMI_CLI, else the binary
// scripts/build-pulumi-cli leaves in the cache directory.
func CLIPath(t testing.TB) string {
	t.Helper()

	if path := os.Getenv(cliEnv); path != "" {
		if err := checkExecutable(path); err != nil {
			t.Fatalf("enginetest: %s=%s: %v", cliEnv, path, err)
		}
		return path
	}

	path := filepath.Join(cacheDir(), "pulumi-"+CLIVersion, "bin", "pulumi")
	if err := checkExecutable(path); err != nil {
		Unavailable(t, "enginetest: no Pulumi CLI (%s unset, %s: %v)", cliEnv, path, err)
	}
	return path
}

func cacheDir() string {
	if dir := os.Getenv(cacheEnv); dir != "" {
		return dir
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "crucible-cache")
	}
	return filepath.Join(home, ".cache", "crucible")
}

func checkExecutable(path string) error {
	info, err := os.Stat(path) //nolint:gosec // a path the test runner configured
	if err != nil {
		return err
	}
	if info.IsDir() || info.Mode()&0o111 == 0 {
		return errors.New("not an executable file")
	}
	return nil
}

// plugin is built at most once per test binary: every test in the process shares it.
var plugin struct {
	once sync.Once
	path string
	err  error
}

// PluginPath returns the stand-in AWS provider plugin: CRUCIBLE_FAKEAWS_PLUGIN, else a build of
// tests/fakeaws made once per test process. Building from source rather than reusing a cached
// binary means the plugin can never be older than the mockcloud it answers from.
func PluginPath(t testing.TB) string {
	t.Helper()

	if path := os.Getenv(pluginEnv); path != "" {
		if err := checkExecutable(path); err != nil {
			t.Fatalf("enginetest: %s=%s: %v", pluginEnv, path, err)
		}
		return path
	}

	plugin.once.Do(func() { plugin.path, plugin.err = buildPlugin() })
	if plugin.err != nil {
		Unavailable(t, "enginetest: no stand-in AWS plugin (%s unset, building it failed: %v)",
			pluginEnv, plugin.err)
	}
	return plugin.path
}

func buildPlugin() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}

	dir, err := os.MkdirTemp("", "crucible-fakeaws-")
	if err != nil {
		return "", fmt.Errorf("temporary directory for the plugin: %w", err)
	}
	out := filepath.Join(dir, pluginBinary)

	cmd := exec.Command("go", "build", "-o", out, "./tests/fakeaws") //nolint:gosec // a temporary path
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./tests/fakeaws: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// moduleRoot asks the go command for the main module's directory; tests run in their package
// directory, which is inside the module.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("go env GOMOD: not inside the crucible module")
	}
	return filepath.Dir(gomod), nil
}

// ModuleVersion returns the version go.mod requires of module, so tests can keep the versions
// pinned in code equal to it.
func ModuleVersion(t testing.TB, module string) string {
	t.Helper()

	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("enginetest: %v", err)
	}
	path := filepath.Join(root, "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("enginetest: %v", err)
	}
	f, err := modfile.ParseLax(path, data, nil)
	if err != nil {
		t.Fatalf("enginetest: %s: %v", path, err)
	}
	for _, r := range f.Require {
		if r.Mod.Path == module {
			return r.Mod.Version
		}
	}
	t.Fatalf("enginetest: %s does not require %s", path, module)
	return ""
}
