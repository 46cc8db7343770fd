package evals

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/enginetest"
	"github.com/crucible-sandbox/crucible/sandbox"
)

// projectDir is the repository root: the evaluations copy the real Pulumi.dev.yaml.
const projectDir = "../.."

type engineEvals struct {
	*Manager
	backend    *AutoBackend
	out        *bytes.Buffer
	workspaces string
}

// startEvals returns a Manager on the real engine with the stand-in AWS plugin, running the
// sandbox program, whose clock is now.
func startEvals(t *testing.T, now func() time.Time) *engineEvals {
	t.Helper()
	return managerOn(t, enginetest.Start(t), t.TempDir(), now, nil)
}

// managerOn returns a Manager on engine e with its workspaces under workspaces, adding env to
// the environment of every Pulumi command (and so of the plugin).
func managerOn(
	t *testing.T, e *enginetest.Engine, workspaces string, now func() time.Time,
	env map[string]string,
) *engineEvals {
	t.Helper()
	vars := e.Env()
	maps.Copy(vars, env)

	backend, err := NewAutoBackend(AutoOptions{
		URL:        e.BackendURL,
		Command:    e.Command,
		PulumiHome: e.Home,
		Env:        vars,
		Program:    sandbox.WithConfigKeys,
	})
	require.NoError(t, err)

	out := &bytes.Buffer{}
	return &engineEvals{
		Manager: NewManager(Options{
			Backend:       backend,
			ProjectDir:    projectDir,
			WorkspaceRoot: workspaces,
			Out:           &lockedWriter{w: out},
			Now:           now,
			Owner:         "e2e",
		}),
		backend:    backend,
		out:        out,
		workspaces: workspaces,
	}
}

// lockedWriter lets concurrent updates share one progress buffer.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func onlySame(t *testing.T, changes map[string]int) {
	t.Helper()
	require.Contains(t, changes, "same")
	assert.Equal(t, map[string]int{"same": changes["same"]}, changes,
		"a second eval up of an unchanged evaluation must change nothing")
}

func TestEvaluationLifecycleOnTheEngine(t *testing.T) {
	ctx := context.Background()
	ev := startEvals(t, time.Now)

	first, err := ev.Up(ctx, UpRequest{ID: "Lifecycle 1", TTL: 2 * time.Hour})
	require.NoError(t, err, "eval up; progress:\n%s", ev.out)
	assert.NotContains(t, first.Changes, "same", "the first up creates everything")
	assert.Greater(t, first.Changes["create"], 10, "the whole sandbox is created")

	instance := first.Outputs["instanceId"]
	assert.Regexp(t, `^i-[0-9a-f]{17}$`, instance)
	assert.Equal(t, fmt.Sprintf("aws ssm start-session --target %s --document-name "+
		"crucible-%s-sessions --region us-east-1", instance, first.Evaluation.Stack),
		first.Outputs["connectCommand"])

	second, err := ev.Up(ctx, UpRequest{ID: "Lifecycle 1", TTL: 2 * time.Hour})
	require.NoError(t, err, "second eval up")
	onlySame(t, second.Changes)
	assert.Equal(t, first.Changes["create"], second.Changes["same"])

	list, err := ev.List(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	got := list[0]
	assert.Equal(t, "Lifecycle 1", got.ID)
	assert.Equal(t, "eval-lifecycle-1_9eb483e1a15a", got.Stack)
	assert.Equal(t, StateUp, got.State)
	assert.Equal(t, instance, got.InstanceID)
	assert.Equal(t, "e2e", got.Owner)
	assert.Equal(t, 2*time.Hour, got.Expires.Sub(got.Created).Round(time.Minute))

	command, err := ev.Connect(ctx, "Lifecycle 1")
	require.NoError(t, err)
	assert.Equal(t, first.Outputs["connectCommand"], command.String(),
		"the rebuilt command is the one the program exports")

	down, err := ev.Down(ctx, "Lifecycle 1")
	require.NoError(t, err, "eval down; progress:\n%s", ev.out)
	assert.False(t, down.AlreadyRemoved)
	names, err := ev.backend.StackNames(ctx)
	require.NoError(t, err)
	assert.NotContains(t, names, "eval-lifecycle-1_9eb483e1a15a", "down removes the stack")

	assert.NoFileExists(t, filepath.Join(ev.workspaces, "eval-lifecycle-1_9eb483e1a15a",
		"Pulumi.eval-lifecycle-1_9eb483e1a15a.yaml"),
		"a removed stack's settings (and encryption salt) must not pass to a new one")

	again, err := ev.Down(ctx, "Lifecycle 1")
	require.NoError(t, err)
	assert.True(t, again.AlreadyRemoved)
}

// TestAnInterruptedUpResumes cancels an update halfway, as Ctrl-C does, and checks that the
// stack stays, reads as failed, and that the next eval up finishes the job without redoing it.
func TestAnInterruptedUpResumes(t *testing.T) {
	e := enginetest.Start(t)
	workspaces := t.TempDir()
	slow := managerOn(t, e, workspaces, time.Now, map[string]string{
		enginetest.CreateDelayEnv: "400ms",
	})

	// Interrupt as soon as the first resource is created: with every create slowed down, the
	// resources that depend on it are still to come.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	slow.out.Reset()
	slow.Manager = NewManager(Options{
		Backend: slow.backend, ProjectDir: projectDir, WorkspaceRoot: workspaces,
		Out: &cancelOnWrite{w: slow.out, marker: " created (", cancel: cancel},
	})
	_, err := slow.Up(ctx, UpRequest{ID: "resume-1"})
	require.Error(t, err, "the update must still be running when it is interrupted:\n%s",
		slow.out)
	assert.Contains(t, err.Error(), `evaluation "resume-1": update of stack eval-resume-1 was `+
		"interrupted; the stack stays: run `crucible eval up resume-1` to resume")

	ev := managerOn(t, e, workspaces, time.Now, nil)
	list, err := ev.List(context.Background())
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, StateFailed, list[0].State)

	res, err := ev.Up(context.Background(), UpRequest{ID: "resume-1"})
	require.NoError(t, err, "eval up after the interruption; progress:\n%s", ev.out)
	assert.Positive(t, res.Changes["same"], "what the interrupted update created is kept")
	assert.Positive(t, res.Changes["create"], "the rest is created now")
	assert.Regexp(t, `^aws ssm start-session --target i-[0-9a-f]{17} --document-name `+
		`crucible-`+regexp.QuoteMeta(res.Evaluation.Stack)+`-sessions --region us-east-1$`,
		res.Outputs["connectCommand"])
}

// TestConcurrentEvaluationsAndReap brings five evaluations up at once, with a second start of
// one of them racing the first, then reaps the expired ones. It runs the concurrent ups once
// for both checks, because they are the slowest part of the suite.
func TestConcurrentEvaluationsAndReap(t *testing.T) {
	ctx := context.Background()
	start := time.Now().UTC().Truncate(time.Second)
	clock := struct {
		sync.Mutex
		now time.Time
	}{now: start}
	ev := startEvals(t, func() time.Time { clock.Lock(); defer clock.Unlock(); return clock.now })

	ttls := map[string]time.Duration{
		"batch-0": 10 * time.Minute, "batch-1": 10 * time.Minute,
		"batch-2": 8 * time.Hour, "batch-3": 8 * time.Hour, "batch-4": 8 * time.Hour,
	}
	type attempt struct {
		id  string
		err error
	}
	results := make(chan attempt, len(ttls)+1)
	var wg sync.WaitGroup
	launch := func(id string) {
		wg.Go(func() {
			_, err := ev.Up(ctx, UpRequest{ID: id, TTL: ttls[id]})
			results <- attempt{id, err}
		})
	}
	for id := range ttls {
		launch(id)
	}
	launch("batch-0")
	wg.Wait()
	close(results)

	failed := map[string][]error{}
	for r := range results {
		if r.err != nil {
			failed[r.id] = append(failed[r.id], r.err)
		}
	}
	require.Len(t, failed, 1, "only the duplicate start may fail: %v\n%s", failed, ev.out)
	require.Len(t, failed["batch-0"], 1)
	var locked *LockedError
	assert.True(t, errors.As(failed["batch-0"][0], &locked),
		"the second start of batch-0 is refused as locked: %v", failed["batch-0"][0])

	list, err := ev.List(ctx)
	require.NoError(t, err)
	states := map[string]State{}
	for _, e := range list {
		states[e.ID] = e.State
	}
	assert.Equal(t, map[string]State{
		"batch-0": StateUp, "batch-1": StateUp, "batch-2": StateUp,
		"batch-3": StateUp, "batch-4": StateUp,
	}, states, "every evaluation is up, the raced one untouched by the refused start")

	clock.Lock()
	clock.now = start.Add(time.Hour)
	clock.Unlock()
	reaped, err := ev.Reap(ctx, false)
	require.NoError(t, err, "reap; progress:\n%s", ev.out)
	assert.ElementsMatch(t, []string{"batch-0", "batch-1"}, reaped.Removed)

	list, err = ev.List(ctx)
	require.NoError(t, err)
	var left []string
	for _, e := range list {
		left = append(left, e.ID)
	}
	assert.ElementsMatch(t, []string{"batch-2", "batch-3", "batch-4"}, left,
		"reap removes only the expired evaluations")
}

// cancelOnWrite cancels a context once the progress it passes on shows marker.
type cancelOnWrite struct {
	mu     sync.Mutex
	w      *bytes.Buffer
	marker string
	cancel context.CancelFunc
}

func (c *cancelOnWrite) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, err := c.w.Write(p)
	if bytes.Contains(c.w.Bytes(), []byte(c.marker)) {
		c.cancel()
	}
	return n, err
}
