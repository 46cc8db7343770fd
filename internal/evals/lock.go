package evals

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"
)

const lockFile = ".crucible-eval.lock"

// LockedError says another crucible process is working on the evaluation.
type LockedError struct {
	ID, Path string
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("evaluation %q is locked: another `crucible eval` command is working on "+
		"it (lock file %s); wait for it to finish", e.ID, e.Path)
}

// lockEvaluation takes the evaluation's lock without waiting: an operation that finds it held
// fails at once rather than queue behind (or interfere with) the running one. The operating
// system releases the lock when the process ends, however it ends, so a crash never leaves the
// evaluation locked.
func lockEvaluation(id, dir string) (*flock.Flock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("evaluation %q: workspace directory %s: %w", id, dir, err)
	}

	path := filepath.Join(dir, lockFile)
	lock := flock.New(path)
	ok, err := lock.TryLock()
	if err != nil {
		return nil, fmt.Errorf("evaluation %q: lock %s: %w", id, path, err)
	}
	if !ok {
		return nil, &LockedError{ID: id, Path: path}
	}
	return lock, nil
}
