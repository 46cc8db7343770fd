package enginetest

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Passphrase encrypts the secrets of every test stack. It protects nothing: the backend lives
// in a temporary directory that is deleted with the test.
const Passphrase = "crucible-enginetest"

// Engine is one test's Pulumi engine: a shared CLI and plugin, and a PULUMI_HOME and file
// backend of its own, so tests never see each other's stacks or plugin installs.
type Engine struct {
	// CLI is the Pulumi binary; Plugin is the stand-in AWS provider installed into Home.
	CLI, Plugin string

	// CLIRoot holds CLI as bin/pulumi, the layout the Automation API and
	// CRUCIBLE_PULUMI_CLI-style settings expect.
	CLIRoot string

	// Home is PULUMI_HOME; BackendURL is the file:// backend under a temporary directory.
	Home, BackendURL string

	// Command runs CLI for the Automation API.
	Command auto.PulumiCommand
}

// Start sets up an engine for t, or skips t (fails it under CRUCIBLE_REQUIRE_ALL=1) when the
// CLI or the plugin is unavailable. Everything it creates is removed when t ends.
func Start(t testing.TB) *Engine {
	t.Helper()

	cli := CLIPath(t)
	plugin := PluginPath(t)

	e := &Engine{
		CLI:        cli,
		Plugin:     plugin,
		Home:       t.TempDir(),
		BackendURL: "file://" + filepath.ToSlash(t.TempDir()),
	}

	e.CLIRoot = commandRoot(t, cli)
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: e.CLIRoot})
	if err != nil {
		t.Fatalf("enginetest: Pulumi CLI %s: %v", cli, err)
	}
	e.Command = cmd

	e.installPlugin(t)
	return e
}

// commandRoot returns the directory the Automation API expects the CLI under (root/bin/pulumi),
// linking the binary into one when it lives elsewhere.
func commandRoot(t testing.TB, cli string) string {
	t.Helper()

	if filepath.Base(cli) == "pulumi" && filepath.Base(filepath.Dir(cli)) == "bin" {
		return filepath.Dir(filepath.Dir(cli))
	}

	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "bin"), 0o700); err != nil {
		t.Fatalf("enginetest: CLI root: %v", err)
	}
	abs, err := filepath.Abs(cli)
	if err != nil {
		t.Fatalf("enginetest: CLI path %s: %v", cli, err)
	}
	if err := os.Symlink(abs, filepath.Join(root, "bin", "pulumi")); err != nil {
		t.Fatalf("enginetest: CLI root: %v", err)
	}
	return root
}

// installPlugin installs the stand-in as aws at the SDK's version, the way the set-up
// prescribes, so the engine finds it in Home and never looks for a download.
func (e *Engine) installPlugin(t testing.TB) {
	t.Helper()

	out, err := e.Run(context.Background(), "", "plugin", "install", "resource", "aws",
		AWSPluginVersion, "--file", e.Plugin)
	if err != nil {
		t.Fatalf("enginetest: installing the stand-in AWS plugin %s: %v\n%s", e.Plugin, err, out)
	}
}

// Env is the environment every Pulumi command of this engine runs with: the temporary home
// and backend, a fixed passphrase, no ambient plugins, no downloads, no update checks.
func (e *Engine) Env() map[string]string {
	return map[string]string{
		"PULUMI_HOME":                                 e.Home,
		"PULUMI_BACKEND_URL":                          e.BackendURL,
		"PULUMI_CONFIG_PASSPHRASE":                    Passphrase,
		"PULUMI_IGNORE_AMBIENT_PLUGINS":               "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_SKIP_CONFIRMATIONS":                   "true",
	}
}

// Environ is os.Environ with Env applied, for running the CLI or a built binary directly.
func (e *Engine) Environ() []string {
	env := os.Environ()
	for k, v := range e.Env() {
		env = append(env, k+"="+v)
	}
	return env
}

// Run runs the CLI with args in dir (the current directory when empty) and returns its
// combined output.
func (e *Engine) Run(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, e.CLI, args...) //nolint:gosec // the test's own Pulumi CLI
	cmd.Dir = dir
	cmd.Env = e.Environ()
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("pulumi %s: %w", strings.Join(args, " "), err)
	}
	return out.String(), nil
}

// WorkspaceOptions returns the Automation API options that run a workspace on this engine, with
// extra environment variables layered over Env.
func (e *Engine) WorkspaceOptions(
	workDir string, extraEnv map[string]string,
) []auto.LocalWorkspaceOption {
	env := e.Env()
	maps.Copy(env, extraEnv)
	return []auto.LocalWorkspaceOption{
		auto.Pulumi(e.Command),
		auto.PulumiHome(e.Home),
		auto.WorkDir(workDir),
		auto.EnvVars(env),
	}
}

// InlineStack creates (or selects) stack in project, running program inline in the test
// process, in a fresh workspace directory.
func (e *Engine) InlineStack(
	t testing.TB, project, stack string, program pulumi.RunFunc,
) auto.Stack {
	t.Helper()

	settings := workspace.Project{
		Name:    tokens.PackageName(project),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: e.BackendURL},
	}

	opts := append(e.WorkspaceOptions(t.TempDir(), nil), auto.Project(settings))
	s, err := auto.UpsertStackInlineSource(context.Background(), stack, project, program, opts...)
	if err != nil {
		t.Fatalf("enginetest: stack %s/%s: %v", project, stack, err)
	}
	return s
}
