package evals

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/opthistory"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ProjectName is the Pulumi project of the evaluation stacks, the same as `pulumi up`'s.
const ProjectName = "crucible"

// AWSPluginVersion is the version of github.com/pulumi/pulumi-aws/sdk/v6 in go.mod, whose
// provider plugin the evaluations install; a test keeps the two equal. It cannot be read from
// the build: the SDK does not record it, and test binaries carry no dependency versions.
const AWSPluginVersion = "v6.83.4"

// AutoOptions configure the Automation API backend.
type AutoOptions struct {
	// URL is the backend, from ResolveBackend.
	URL string

	// SecretsProvider encrypts new stacks' secrets; empty is Pulumi's default for the backend
	// (a passphrase, or Pulumi Cloud's own encryption).
	SecretsProvider string

	// Command is the Pulumi CLI that runs the operations.
	Command auto.PulumiCommand

	// PulumiHome is where plugins are installed, shared by every evaluation so nothing is
	// downloaded per evaluation; empty is Pulumi's default (~/.pulumi).
	PulumiHome string

	// Env is added to the environment of every Pulumi command.
	Env map[string]string

	// Program returns the inline program for a stack whose configuration sets keys.
	Program func(keys []string) pulumi.RunFunc
}

// AutoBackend runs the evaluation stacks on the Automation API: the Pulumi CLI, with the
// program inline in this process, so no Go toolchain or language host is needed at run time.
type AutoBackend struct {
	opts AutoOptions

	plugin    sync.Once
	pluginErr error
}

// NewAutoBackend returns a backend over opts; it runs no command yet.
func NewAutoBackend(opts AutoOptions) (*AutoBackend, error) {
	if opts.Command == nil || opts.Program == nil || opts.URL == "" {
		return nil, errors.New("evals: AutoOptions needs URL, Command and Program")
	}
	return &AutoBackend{opts: opts}, nil
}

// Describe names the backend.
func (b *AutoBackend) Describe() string { return "backend " + redact(b.opts.URL) }

func (b *AutoBackend) workspaceOptions(dir string) []auto.LocalWorkspaceOption {
	env := map[string]string{BackendEnv: b.opts.URL}
	maps.Copy(env, b.opts.Env)

	opts := []auto.LocalWorkspaceOption{
		auto.WorkDir(dir),
		auto.Pulumi(b.opts.Command),
		auto.EnvVars(env),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(ProjectName),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: b.opts.URL},
		}),
	}
	if b.opts.PulumiHome != "" {
		opts = append(opts, auto.PulumiHome(b.opts.PulumiHome))
	}
	if b.opts.SecretsProvider != "" {
		opts = append(opts, auto.SecretsProvider(b.opts.SecretsProvider))
	}
	return opts
}

// StackNames lists the project's stacks, from a scratch workspace.
func (b *AutoBackend) StackNames(ctx context.Context) ([]string, error) {
	dir, err := os.MkdirTemp("", "crucible-eval-ls-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()

	ws, err := auto.NewLocalWorkspace(ctx, b.workspaceOptions(dir)...)
	if err != nil {
		return nil, conciseError("workspace", err, nil)
	}
	stacks, err := ws.ListStacks(ctx)
	if err != nil {
		return nil, conciseError("pulumi stack ls", err, nil)
	}
	names := make([]string, 0, len(stacks))
	for _, s := range stacks {
		names = append(names, s.Name)
	}
	return names, nil
}

// Stack opens or creates a stack with dir as its workspace directory.
func (b *AutoBackend) Stack(ctx context.Context, name, dir string, create bool) (Stack, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}

	// The program is set per update, once the configuration keys are known.
	var none pulumi.RunFunc = func(*pulumi.Context) error { return nil }
	opts := b.workspaceOptions(dir)
	if create {
		s, err := auto.UpsertStackInlineSource(ctx, name, ProjectName, none, opts...)
		if err != nil {
			return nil, conciseError("creating stack "+name, err, nil)
		}
		return &autoStack{backend: b, stack: s}, nil
	}

	s, err := auto.SelectStackInlineSource(ctx, name, ProjectName, none, opts...)
	if auto.IsSelectStack404Error(err) {
		return nil, ErrStackNotFound
	}
	if err != nil {
		return nil, conciseError("selecting stack "+name, err, nil)
	}
	return &autoStack{backend: b, stack: s}, nil
}

// ensurePlugin installs the AWS provider plugin at the SDK's version in go.mod when the Pulumi
// home lacks it, once per process: every evaluation then shares the one install.
func (b *AutoBackend) ensurePlugin(ctx context.Context, ws auto.Workspace) error {
	b.plugin.Do(func() { b.pluginErr = installAWSPlugin(ctx, ws) })
	return b.pluginErr
}

func installAWSPlugin(ctx context.Context, ws auto.Workspace) error {
	plugins, err := ws.ListPlugins(ctx)
	if err != nil {
		return conciseError("pulumi plugin ls", err, nil)
	}
	for _, p := range plugins {
		if p.Name == "aws" && p.Kind == apitype.ResourcePlugin && p.Version != nil &&
			"v"+p.Version.String() == AWSPluginVersion {
			return nil
		}
	}

	if err := ws.InstallPlugin(ctx, "aws", AWSPluginVersion); err != nil {
		return conciseError("installing the AWS provider plugin "+AWSPluginVersion, err, nil)
	}
	return nil
}

// autoStack is one stack on the Automation API.
type autoStack struct {
	backend *AutoBackend
	stack   auto.Stack
}

func (s *autoStack) Tags(ctx context.Context) (map[string]string, error) {
	tags, err := s.stack.Workspace().ListTags(ctx, s.stack.Name())
	if err != nil {
		return nil, conciseError("pulumi stack tag ls", err, nil)
	}
	return tags, nil
}

func (s *autoStack) SetTags(ctx context.Context, tags map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		if err := s.stack.Workspace().SetTag(ctx, s.stack.Name(), k, tags[k]); err != nil {
			return conciseError("pulumi stack tag set "+k, err, nil)
		}
	}
	return nil
}

func (s *autoStack) SetConfig(ctx context.Context, cfg auto.ConfigMap) error {
	current, err := s.stack.GetAllConfig(ctx)
	if err != nil {
		return conciseError("pulumi config", err, nil)
	}

	var stale []string
	for k := range current {
		if _, keep := cfg[k]; !keep {
			stale = append(stale, k)
		}
	}
	if len(stale) > 0 {
		if err := s.stack.RemoveAllConfig(ctx, stale); err != nil {
			return conciseError("pulumi config rm-all", err, nil)
		}
	}
	if err := s.stack.SetAllConfig(ctx, cfg); err != nil {
		return conciseError("pulumi config set-all", err, nil)
	}
	return nil
}

func (s *autoStack) DeployedConfig(ctx context.Context) (auto.ConfigMap, error) {
	const recent = 10

	history, err := s.stack.History(ctx, recent, 1, opthistory.ShowSecrets(true))
	if err != nil {
		return nil, conciseError("pulumi stack history", err, nil)
	}
	for _, h := range history {
		if h.Kind == "update" {
			return h.Config, nil
		}
	}
	return auto.ConfigMap{}, nil
}

func (s *autoStack) Up(ctx context.Context, keys []string, progress io.Writer) (*Update, error) {
	if err := s.backend.ensurePlugin(ctx, s.stack.Workspace()); err != nil {
		return nil, err
	}
	s.stack.Workspace().SetProgram(s.backend.opts.Program(keys))

	var stderr bytes.Buffer
	res, err := s.stack.Up(ctx, optup.ProgressStreams(progress),
		optup.ErrorProgressStreams(&stderr))
	if err != nil {
		return nil, conciseError("pulumi up", err, &stderr)
	}
	u := &Update{Outputs: outputsOf(res.Outputs), Changes: map[string]int{}}
	if res.Summary.ResourceChanges != nil {
		u.Changes = *res.Summary.ResourceChanges
	}
	return u, nil
}

func (s *autoStack) Outputs(ctx context.Context) (Outputs, error) {
	out, err := s.stack.Outputs(ctx)
	if err != nil {
		return nil, conciseError("pulumi stack output", err, nil)
	}
	return outputsOf(out), nil
}

func (s *autoStack) LastUpdate(ctx context.Context) (string, error) {
	history, err := s.stack.History(ctx, 1, 1)
	if err != nil {
		return "", conciseError("pulumi stack history", err, nil)
	}
	if len(history) == 0 {
		return "", nil
	}
	return history[0].Result, nil
}

func (s *autoStack) Destroy(ctx context.Context, progress io.Writer) error {
	if err := s.backend.ensurePlugin(ctx, s.stack.Workspace()); err != nil {
		return err
	}

	var stderr bytes.Buffer
	_, err := s.stack.Destroy(ctx, optdestroy.Remove(), optdestroy.ProgressStreams(progress),
		optdestroy.ErrorProgressStreams(&stderr))
	if err != nil {
		return conciseError("pulumi destroy --remove", err, &stderr)
	}

	// The stack's settings file would hand its encryption salt to a new stack of the same
	// name, which then could not be opened with another passphrase.
	settings := filepath.Join(s.stack.Workspace().WorkDir(), "Pulumi."+s.stack.Name()+".yaml")
	if err := os.Remove(settings); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("stack removed, but not its settings file: %w", err)
	}
	return nil
}

func outputsOf(m auto.OutputMap) Outputs {
	out := make(Outputs, len(m))
	for k, v := range m {
		if str, ok := v.Value.(string); ok {
			out[k] = str
			continue
		}
		data, err := json.Marshal(v.Value)
		if err == nil {
			out[k] = string(data)
		}
	}
	return out
}

// engineError is a failed Pulumi command in one readable message. The Automation API's own
// error repeats the command's whole output, which the terminal has already shown as progress;
// the cause stays reachable through Unwrap.
type engineError struct {
	msg   string
	cause error
}

func (e *engineError) Error() string { return e.msg }
func (e *engineError) Unwrap() error { return e.cause }

// conciseError keeps the first line of err and the last lines of the command's stderr.
func conciseError(what string, err error, stderr *bytes.Buffer) error {
	if auto.IsConcurrentUpdateError(err) {
		return &engineError{
			msg: what + ": the stack is locked by another update, possibly from another " +
				"machine sharing the backend",
			cause: err,
		}
	}

	first, _, _ := strings.Cut(err.Error(), "\n")
	msg := what + ": " + first
	detail := ""
	if stderr != nil {
		detail = stderr.String()
	}
	if detail == "" {
		detail = autoStderr(err.Error())
	}
	if tail := lastLines(detail, 3); tail != "" {
		msg += ": " + tail
	}
	return &engineError{msg: msg, cause: err}
}

// autoStderr extracts the stderr section of an Automation API error message.
func autoStderr(msg string) string {
	_, after, ok := strings.Cut(msg, "\nstderr: ")
	if !ok {
		return ""
	}
	return after
}

func lastLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "; ")
}
