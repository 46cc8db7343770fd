package evals

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const testProject = `name: crucible
runtime: go
config:
  vpcCidr:
    type: string
    default: 10.0.0.0/16
  enableNat:
    type: boolean
    default: false
`

const testDevStack = `config:
  aws:region: us-east-1
  crucible:instanceType: t3.medium
  crucible:tags:
    team: evals
`

// testClock is the time every unit test's evaluations are created at.
var testClock = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// writeProject writes a project directory with Pulumi.yaml and the given stack files.
func writeProject(t *testing.T, stacks map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(testProject), 0o600))
	for name, body := range stacks {
		path := filepath.Join(dir, "Pulumi."+name+".yaml")
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	}
	return dir
}

type testManager struct {
	*Manager
	backend *fakeBackend
	out     *bytes.Buffer
	now     time.Time
}

func newTestManager(t *testing.T) *testManager {
	t.Helper()
	tm := &testManager{
		backend: newFakeBackend(),
		out:     &bytes.Buffer{},
		now:     testClock,
	}
	tm.Manager = NewManager(Options{
		Backend:       tm.backend,
		ProjectDir:    writeProject(t, map[string]string{"dev": testDevStack}),
		WorkspaceRoot: t.TempDir(),
		Out:           tm.out,
		Now:           func() time.Time { return tm.now },
		Owner:         "alice",
		Sessions: func(context.Context, string) (SessionAPI, error) {
			return nil, errors.New("no Systems Manager in this test")
		},
	})
	return tm
}

func (tm *testManager) up(t *testing.T, id string, overrides ...string) *UpResult {
	t.Helper()
	res, err := tm.Up(context.Background(), UpRequest{ID: id, Config: overrides})
	require.NoError(t, err, "eval up %s", id)
	return res
}
