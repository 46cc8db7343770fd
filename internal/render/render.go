package render

import (
	"errors"
	"fmt"
	"sync"

	"github.com/hashicorp/go-multierror"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/internal/mockcloud"
	"github.com/crucible-sandbox/crucible/sandbox"
	"github.com/crucible-sandbox/crucible/settings"
)

// Result is what one render produced.
type Result struct {
	// Project and Stack name what was rendered.
	Project, Stack string
	// Resources are all registered resources, the root stack first, then by URN.
	Resources []*Resource
	// Outputs are the stack outputs, resolved.
	Outputs map[string]any
	// Config is the configuration the program ran with, secrets as "[secret]".
	Config map[string]string
	// Warnings are the choices of the stack that weaken isolation or evidence, as the deploy
	// prints them; the mocks drop the program's own log, so they are derived from the settings.
	Warnings []string
}

// Option changes how a render runs.
type Option func(*options)

type options struct {
	program  func(keys []string) pulumi.RunFunc
	account  string
	sandbox  bool // the program is the sandbox, so its warnings apply
	platform map[string]any
}

// WithPlatformOutputs answers the evaluation stack's reference to its platform stack with these
// outputs, as `pulumi stack output --json` prints them for the platform stack.
func WithPlatformOutputs(outputs map[string]any) Option {
	return func(o *options) { o.platform = outputs }
}

// WithProgram renders another program than the sandbox; tests of single components use it.
func WithProgram(p pulumi.RunFunc) Option {
	return func(o *options) {
		o.program = func([]string) pulumi.RunFunc { return p }
		o.sandbox = false
	}
}

// Render runs the program on cfg against the AWS stand-in and records the result. On invalid
// configuration it returns the *settings.Error itself, unwrapped from the engine's error list.
// On any error the result still lists what was registered before the failure, so a caller can
// prove that invalid configuration registered nothing.
func Render(cfg *StackConfig, opts ...Option) (*Result, error) {
	o := options{program: sandbox.WithConfigKeys, sandbox: true}
	for _, opt := range opts {
		opt(&o)
	}

	mon := &monitor{
		project:  cfg.Project,
		stack:    cfg.Stack,
		cloud:    mockcloud.New(mockcloud.Options{Region: cfg.Values[settings.RegionKey], AccountID: o.account}),
		platform: o.platform,
	}

	var (
		mu      sync.Mutex
		outputs = map[string]any{}
	)

	program := o.program(cfg.Keys())
	wrapped := func(ctx *pulumi.Context) error {
		if err := program(ctx); err != nil {
			return err
		}

		exports := ctx.GetCurrentExportMap()
		names := make([]string, 0, len(exports))
		values := make([]any, 0, len(exports))

		for name, out := range exports {
			names = append(names, name)
			values = append(values, out)
		}

		// The collection is itself exported: the engine waits for every export before the run
		// ends, so the outputs are all recorded when RunErr returns. Callbacks on the exports
		// alone could still be running then.
		ctx.Export(collectedExport, pulumi.All(values...).ApplyT(func(vs []any) string {
			mu.Lock()
			for i, v := range vs {
				outputs[names[i]] = v
			}
			mu.Unlock()

			return ""
		}))

		return nil
	}

	err := pulumi.RunErr(wrapped, pulumi.WithMocks(cfg.Project, cfg.Stack, mon), func(info *pulumi.RunInfo) {
		info.Config = cfg.Values
		info.ConfigSecretKeys = cfg.Secret
	})

	res := &Result{
		Project: cfg.Project,
		Stack:   cfg.Stack,
		Outputs: outputs,
		Config:  cfg.shown(),
	}
	res.Resources = append([]*Resource{res.rootStack()}, mon.snapshot()...)

	if err != nil {
		return res, unwrap(err)
	}

	if o.sandbox {
		res.Warnings = warnings(cfg)
	}

	return res, nil
}

// collectedExport is the render's own bookkeeping export; it never reaches the result.
const collectedExport = "crucible:render:collected"

// rootStack is the stack resource the engine registers itself; its outputs are the stack's.
func (r *Result) rootStack() *Resource {
	return &Resource{
		URN: string(resource.NewURN(tokens.QName(r.Stack), tokens.PackageName(r.Project), "",
			resource.RootStackType, r.Project+"-"+r.Stack)),
		Type:    string(resource.RootStackType),
		Name:    r.Project + "-" + r.Stack,
		Inputs:  resource.PropertyMap{},
		Outputs: resource.NewPropertyMapFromMap(r.Outputs),
	}
}

// unwrap digs the configuration error, or the single real error, out of the engine's list.
func unwrap(err error) error {
	var cfgErr *settings.Error
	if errors.As(err, &cfgErr) {
		return cfgErr
	}

	var merr *multierror.Error
	if errors.As(err, &merr) && len(merr.Errors) == 1 {
		return fmt.Errorf("render: %w", merr.Errors[0])
	}

	return fmt.Errorf("render: %w", err)
}

// warnings are the sandbox's deploy-time warnings for a configuration that rendered.
func warnings(cfg *StackConfig) []string {
	s, err := settings.Parse(settings.Source{
		Project: cfg.Project, Stack: cfg.Stack, Values: cfg.Values, Keys: cfg.Keys(),
	})
	if err != nil {
		return nil
	}

	return sandbox.Warnings(s)
}
