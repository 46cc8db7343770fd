package evals

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// fakeBackend is an in-memory Backend: stacks with tags, configuration, a history of updates
// and outputs, and a log of every call, so tests can assert what the orchestration did.
type fakeBackend struct {
	mu     sync.Mutex
	stacks map[string]*fakeStack
	calls  []string

	// upErr, when set, makes every update fail with it (after being recorded in the history,
	// as a failed update is).
	upErr error
	// destroyErr, when set, makes every destroy fail with it.
	destroyErr error
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{stacks: map[string]*fakeStack{}}
}

type fakeUpdate struct {
	kind, result string
	config       auto.ConfigMap
	keys         []string
}

type fakeStack struct {
	b       *fakeBackend
	name    string
	dir     string
	tags    map[string]string
	config  auto.ConfigMap
	history []fakeUpdate // newest last
	outputs Outputs
}

func (b *fakeBackend) record(format string, args ...any) {
	b.calls = append(b.calls, fmt.Sprintf(format, args...))
}

func (b *fakeBackend) Calls() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.calls)
}

func (b *fakeBackend) Describe() string { return "backend fake://" }

func (b *fakeBackend) StackNames(context.Context) ([]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("ls")
	return slices.Sorted(maps.Keys(b.stacks)), nil
}

func (b *fakeBackend) Stack(_ context.Context, name, dir string, create bool) (Stack, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.stacks[name]
	if !ok && !create {
		b.record("select %s: not found", name)
		return nil, ErrStackNotFound
	}
	if !ok {
		s = &fakeStack{b: b, name: name, tags: map[string]string{}, config: auto.ConfigMap{}}
		b.stacks[name] = s
		b.record("create %s", name)
	} else {
		b.record("select %s", name)
	}
	s.dir = dir
	return s, nil
}

// add puts a stack into the backend as if an earlier `eval up` had run.
func (b *fakeBackend) add(name string, tags map[string]string, result string, outputs Outputs) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stacks[name] = &fakeStack{
		b: b, name: name, tags: tags, config: auto.ConfigMap{},
		history: []fakeUpdate{{kind: "update", result: result, config: auto.ConfigMap{}}},
		outputs: outputs,
	}
}

func (s *fakeStack) Tags(context.Context) (map[string]string, error) {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	return maps.Clone(s.tags), nil
}

func (s *fakeStack) SetTags(_ context.Context, tags map[string]string) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		s.b.record("tag %s %s=%s", s.name, k, tags[k])
		s.tags[k] = tags[k]
	}
	return nil
}

func (s *fakeStack) SetConfig(_ context.Context, cfg auto.ConfigMap) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.record("config %s", s.name)
	s.config = maps.Clone(cfg)
	return nil
}

func (s *fakeStack) DeployedConfig(context.Context) (auto.ConfigMap, error) {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	for i := len(s.history) - 1; i >= 0; i-- {
		if s.history[i].kind == "update" {
			return maps.Clone(s.history[i].config), nil
		}
	}
	return auto.ConfigMap{}, nil
}

// Up deploys the fake host: its outputs are derived from the stack name, and "same" is reported
// when the configuration equals the last successful update's, like the engine would.
func (s *fakeStack) Up(_ context.Context, keys []string, progress io.Writer) (*Update, error) {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.record("up %s", s.name)
	_, _ = fmt.Fprintf(progress, "Updating (%s)\n", s.name)

	entry := fakeUpdate{kind: "update", config: maps.Clone(s.config), keys: slices.Clone(keys)}
	if s.b.upErr != nil {
		entry.result = "failed"
		s.history = append(s.history, entry)
		return nil, s.b.upErr
	}

	changes := map[string]int{"create": 2}
	if n := len(s.history); n > 0 && s.history[n-1].result == "succeeded" {
		changes = map[string]int{"update": 1, "same": 1}
		if maps.EqualFunc(s.history[n-1].config, s.config, func(a, b auto.ConfigValue) bool {
			return a == b
		}) {
			changes = map[string]int{"same": 2}
		}
	}
	entry.result = "succeeded"
	s.history = append(s.history, entry)

	instance := "i-" + s.name
	s.outputs = Outputs{
		OutputInstanceID:     instance,
		OutputRegion:         "us-east-1",
		OutputConnectCommand: "aws ssm start-session --target " + instance + " --region us-east-1",
		OutputAuditBucket:    "crucible-audit-" + s.name,
		OutputAuditPrefix:    "sessions/",
		OutputSessionLogs:    "/crucible/sessions/" + s.name,
	}
	return &Update{Outputs: maps.Clone(s.outputs), Changes: changes}, nil
}

func (s *fakeStack) Outputs(context.Context) (Outputs, error) {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	return maps.Clone(s.outputs), nil
}

func (s *fakeStack) LastUpdate(context.Context) (string, error) {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if len(s.history) == 0 {
		return "", nil
	}
	return s.history[len(s.history)-1].result, nil
}

func (s *fakeStack) Destroy(context.Context, io.Writer) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.record("destroy %s", s.name)
	if s.b.destroyErr != nil {
		return s.b.destroyErr
	}
	delete(s.b.stacks, s.name)
	return nil
}

// lastUpdate returns the stack's newest history entry, for assertions.
func (b *fakeBackend) lastUpdate(name string) fakeUpdate {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.stacks[name]
	return s.history[len(s.history)-1]
}

func (b *fakeBackend) tags(name string) map[string]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return maps.Clone(b.stacks[name].tags)
}

func (b *fakeBackend) has(name string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.stacks[name]
	return ok
}
