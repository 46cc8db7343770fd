package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"

	"github.com/crucible-sandbox/crucible/internal/mockcloud"
)

const (
	providerName = "aws"

	// providerVersion is the pulumi-aws version in go.mod; the engine loads the plugin whose
	// version the typed SDK asks for, so the stand-in must claim exactly this one.
	providerVersion = "6.83.4"

	// defaultRegion and accountID match what the in-process render uses, so identifiers such as
	// ARNs come out the same in both.
	defaultRegion = "us-east-1"
	accountID     = "123456789012"
)

// CreateDelayEnv slows every create by a Go duration, so an end-to-end test can interrupt an
// update halfway through, as a person pressing Ctrl-C during a real deployment would.
const CreateDelayEnv = "CRUCIBLE_FAKEAWS_CREATE_DELAY"

// fakeProvider answers the engine from mockcloud. The cloud is built on Configure, because the
// region comes from the provider's configuration (aws:region) like the real plugin's does.
type fakeProvider struct {
	plugin.UnimplementedProvider

	createDelay time.Duration

	mu    sync.RWMutex
	cloud *mockcloud.Cloud
}

func newProvider() *fakeProvider {
	return &fakeProvider{}
}

// newProviderFromEnv reads CreateDelayEnv; a value that is not a duration is an error rather
// than silently no delay, which would let an interruption test pass without interrupting.
func newProviderFromEnv() (*fakeProvider, error) {
	p := newProvider()
	raw := os.Getenv(CreateDelayEnv)
	if raw == "" {
		return p, nil
	}
	d, err := time.ParseDuration(raw)
	if err != nil || d < 0 {
		return nil, fmt.Errorf("%s=%q: want a duration such as 500ms", CreateDelayEnv, raw)
	}
	p.createDelay = d
	return p, nil
}

func (p *fakeProvider) Close() error { return nil }

func (p *fakeProvider) SignalCancellation(context.Context) error { return nil }

func (p *fakeProvider) GetPluginInfo(context.Context) (plugin.PluginInfo, error) {
	version := semver.MustParse(providerVersion)
	return plugin.PluginInfo{Version: &version}, nil
}

func (p *fakeProvider) GetSchema(
	context.Context, plugin.GetSchemaRequest,
) (plugin.GetSchemaResponse, error) {
	schema := fmt.Sprintf(`{"name":%q,"version":%q}`, providerName, providerVersion)
	return plugin.GetSchemaResponse{Schema: []byte(schema)}, nil
}

func (p *fakeProvider) CheckConfig(
	_ context.Context, req plugin.CheckConfigRequest,
) (plugin.CheckConfigResponse, error) {
	return plugin.CheckConfigResponse{Properties: req.News}, nil
}

func (p *fakeProvider) DiffConfig(
	_ context.Context, req plugin.DiffConfigRequest,
) (plugin.DiffConfigResponse, error) {
	return diffInputs(req.OldInputs, req.NewInputs), nil
}

func (p *fakeProvider) Configure(
	_ context.Context, req plugin.ConfigureRequest,
) (plugin.ConfigureResponse, error) {
	region := defaultRegion
	if v, ok := req.Inputs["region"]; ok && v.IsString() && v.StringValue() != "" {
		region = v.StringValue()
	} else if env := os.Getenv("AWS_REGION"); env != "" {
		region = env
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	p.cloud = mockcloud.New(mockcloud.Options{Region: region, AccountID: accountID})
	return plugin.ConfigureResponse{}, nil
}

// configured returns the cloud, or an error when the engine skipped Configure, which the real
// plugin would also reject.
func (p *fakeProvider) configured() (*mockcloud.Cloud, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.cloud == nil {
		return nil, errors.New("fakeaws: provider used before Configure")
	}
	return p.cloud, nil
}

// Check echoes the inputs: validation is the program's and the policy pack's job, and the real
// plugin's defaults would only add noise to the state the tests compare.
func (p *fakeProvider) Check(
	_ context.Context, req plugin.CheckRequest,
) (plugin.CheckResponse, error) {
	return plugin.CheckResponse{Properties: req.News}, nil
}

func (p *fakeProvider) Diff(
	_ context.Context, req plugin.DiffRequest,
) (plugin.DiffResponse, error) {
	return diffInputs(req.OldInputs, req.NewInputs), nil
}

// diffInputs reports a plain update of the changed top-level keys, or DIFF_NONE when nothing
// changed, which is what lets a second `up` report no changes.
func diffInputs(olds, news resource.PropertyMap) plugin.DiffResult {
	changed := olds.Diff(news).ChangedKeys()
	if len(changed) == 0 {
		return plugin.DiffResult{Changes: plugin.DiffNone}
	}
	sort.Slice(changed, func(i, j int) bool { return changed[i] < changed[j] })
	return plugin.DiffResult{Changes: plugin.DiffSome, ChangedKeys: changed}
}

// Create returns the inputs plus mockcloud's computed fields. A preview returns the inputs
// alone, so the engine shows the computed fields as unknown, as it does with the real plugin.
func (p *fakeProvider) Create(
	ctx context.Context, req plugin.CreateRequest,
) (plugin.CreateResponse, error) {
	if req.Preview {
		return plugin.CreateResponse{Properties: req.Properties}, nil
	}

	select {
	case <-time.After(p.createDelay):
	case <-ctx.Done():
		return plugin.CreateResponse{}, ctx.Err()
	}

	cloud, err := p.configured()
	if err != nil {
		return plugin.CreateResponse{}, err
	}
	id, outs, err := cloud.Resource(string(req.Type), req.Name, req.Properties)
	if err != nil {
		return plugin.CreateResponse{}, fmt.Errorf("fakeaws: create %s %q: %w", req.Type, req.Name, err)
	}
	return plugin.CreateResponse{ID: resource.ID(id), Properties: outs}, nil
}

// Read returns the recorded state: the stand-in has no cloud that could have drifted.
func (p *fakeProvider) Read(
	_ context.Context, req plugin.ReadRequest,
) (plugin.ReadResponse, error) {
	if len(req.State) == 0 {
		return plugin.ReadResponse{}, fmt.Errorf(
			"fakeaws: read %s %q (id %q): reading a resource with no recorded state is not supported",
			req.Type, req.Name, req.ID)
	}
	return plugin.ReadResponse{ReadResult: plugin.ReadResult{
		ID:      req.ID,
		Inputs:  req.Inputs,
		Outputs: req.State,
	}}, nil
}

// Update returns the new inputs plus the computed fields the resource already had: an in-place
// update in AWS keeps ids, ARNs and addresses. mockcloud fills whatever is still missing, such as
// tagsAll, which AWS recomputes from the new tags. Starting from the old state matters because the
// plugin is a new process per deployment: mockcloud has not seen the resources this one refers
// to, and would otherwise answer look-up based fields (an instance's address) differently.
func (p *fakeProvider) Update(
	_ context.Context, req plugin.UpdateRequest,
) (plugin.UpdateResponse, error) {
	state := keptState(req.OldInputs, req.OldOutputs, req.NewInputs)
	if req.Preview {
		return plugin.UpdateResponse{Properties: state}, nil
	}

	cloud, err := p.configured()
	if err != nil {
		return plugin.UpdateResponse{}, err
	}
	_, outs, err := cloud.Resource(string(req.Type), req.Name, state)
	if err != nil {
		return plugin.UpdateResponse{}, fmt.Errorf("fakeaws: update %s %q: %w", req.Type, req.Name, err)
	}
	outs["id"] = resource.NewStringProperty(string(req.ID))
	return plugin.UpdateResponse{Properties: outs}, nil
}

// keptState is the new inputs plus the old computed fields, leaving out tagsAll, which follows
// the tags.
func keptState(oldInputs, oldOutputs, newInputs resource.PropertyMap) resource.PropertyMap {
	state := newInputs.Copy()
	for k, v := range oldOutputs {
		_, wasInput := oldInputs[k]
		_, isInput := newInputs[k]
		if wasInput || isInput || k == "tagsAll" {
			continue
		}
		state[k] = v
	}
	return state
}

func (p *fakeProvider) Delete(
	context.Context, plugin.DeleteRequest,
) (plugin.DeleteResponse, error) {
	return plugin.DeleteResponse{}, nil
}

func (p *fakeProvider) Invoke(
	_ context.Context, req plugin.InvokeRequest,
) (plugin.InvokeResponse, error) {
	cloud, err := p.configured()
	if err != nil {
		return plugin.InvokeResponse{}, err
	}
	outs, err := cloud.Invoke(string(req.Tok), req.Args)
	if err != nil {
		return plugin.InvokeResponse{}, fmt.Errorf("fakeaws: invoke %s: %w", req.Tok, err)
	}
	return plugin.InvokeResponse{Properties: outs}, nil
}
