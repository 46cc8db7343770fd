package evals

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/adrg/xdg"
)

// BackendEnv is the Pulumi environment variable that selects a backend, honoured when --backend
// is not given.
const BackendEnv = "PULUMI_BACKEND_URL"

// Passphrase environment variables of Pulumi's passphrase secrets provider.
const (
	PassphraseEnv     = "PULUMI_CONFIG_PASSPHRASE"      //nolint:gosec // a variable's name
	PassphraseFileEnv = "PULUMI_CONFIG_PASSPHRASE_FILE" //nolint:gosec // a variable's name
)

// dataDir is where evaluations keep their local state: the default backend and the workspace
// directories, under the user's data directory ($XDG_DATA_HOME, ~/.local/share on Linux).
func dataDir() string {
	return filepath.Join(xdg.DataHome, "crucible")
}

// DefaultBackendURL is the local file backend that needs no account.
func DefaultBackendURL() string {
	return "file://" + filepath.ToSlash(filepath.Join(dataDir(), "backend"))
}

// ResolveBackend picks the backend: flag, else $PULUMI_BACKEND_URL, else the default local file
// backend (created when missing). Teams share evaluations through s3:// or Pulumi Cloud.
func ResolveBackend(flag string, getenv func(string) string) (string, error) {
	raw := flag
	if raw == "" {
		raw = getenv(BackendEnv)
	}
	if raw == "" {
		raw = DefaultBackendURL()
	}

	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return "", backendError(raw)
	}
	switch u.Scheme {
	case "s3", "gs", "azblob", "https", "http":
		return raw, nil
	case "file":
		return raw, ensureFileBackend(raw, u)
	default:
		return "", backendError(raw)
	}
}

func backendError(raw string) error {
	return fmt.Errorf("--backend %q: not a Pulumi backend URL; use file://<directory>, "+
		"s3://<bucket>[/<prefix>] (shared through S3) or https://api.pulumi.com (Pulumi Cloud)",
		redact(raw))
}

// ensureFileBackend creates the directory of a file backend, which the engine requires to exist.
// Like Pulumi, it reads file://~/dir as relative to the home directory.
func ensureFileBackend(raw string, u *url.URL) error {
	dir := u.Path
	switch u.Host {
	case "":
	case "~":
		home, err := os.UserHomeDir()
		if err != nil {
			return fmt.Errorf("--backend %s: %w", raw, err)
		}
		dir = filepath.Join(home, u.Path)
	default:
		dir = filepath.Join(u.Host, u.Path)
	}
	if dir == "" {
		return backendError(raw)
	}
	//nolint:gosec // the operator's own --backend directory
	if err := os.MkdirAll(filepath.FromSlash(dir), 0o700); err != nil {
		return fmt.Errorf("--backend %s: %w", raw, err)
	}
	return nil
}

// IsPulumiCloud reports whether the backend is Pulumi Cloud (or a self-hosted Pulumi service),
// which encrypts secrets itself unless told otherwise.
func IsPulumiCloud(backendURL string) bool {
	return strings.HasPrefix(backendURL, "https://") || strings.HasPrefix(backendURL, "http://")
}

// CheckSecrets validates --secrets-provider and, when secrets are encrypted with a passphrase,
// that a non-empty passphrase is set, so a missing one is one clear error before any work rather than
// an engine failure halfway through.
func CheckSecrets(backendURL, provider string, lookupEnv func(string) (string, bool)) error {
	switch {
	case provider == "" && IsPulumiCloud(backendURL):
		return nil
	case provider == "" || provider == "passphrase":
		return checkPassphrase(backendURL, lookupEnv)
	case strings.HasPrefix(provider, "awskms://"):
		return nil
	default:
		return errors.New("--secrets-provider " + provider + ": use passphrase (the default) or " +
			"awskms://<key id, ARN or alias>?region=<region>")
	}
}

// checkPassphrase requires a non-empty passphrase, looked up as Pulumi does: a set
// PULUMI_CONFIG_PASSPHRASE wins, even when empty, over PULUMI_CONFIG_PASSPHRASE_FILE. An empty
// passphrase would encrypt the secrets with a key anyone can derive.
func checkPassphrase(backendURL string, lookupEnv func(string) (string, bool)) error {
	if phrase, ok := lookupEnv(PassphraseEnv); ok {
		if phrase != "" {
			return nil
		}
		return fmt.Errorf("%s is set but empty: an empty passphrase does not protect the "+
			"secrets of the evaluation stacks in %s (and Pulumi uses it ahead of %s); export a "+
			"non-empty %s, or pass --secrets-provider awskms://<key>",
			PassphraseEnv, redact(backendURL), PassphraseFileEnv, PassphraseEnv)
	}
	if file, ok := lookupEnv(PassphraseFileEnv); ok {
		if file != "" {
			return nil
		}
		return fmt.Errorf("%s is set but empty: name the file holding the passphrase of the "+
			"evaluation stacks in %s, export %s instead, or pass --secrets-provider "+
			"awskms://<key>", PassphraseFileEnv, redact(backendURL), PassphraseEnv)
	}
	return fmt.Errorf("%s is not set: evaluation stacks in %s encrypt their secrets with a "+
		"passphrase; export %s (or %s), or pass --secrets-provider awskms://<key>",
		PassphraseEnv, redact(backendURL), PassphraseEnv, PassphraseFileEnv)
}

// WorkspaceRoot is the directory holding the evaluations' workspace directories for a backend.
// It is per backend because a workspace directory holds that backend's stack configuration.
func WorkspaceRoot(backendURL string) string {
	sum := sha256.Sum256([]byte(backendURL))
	return filepath.Join(dataDir(), "workspaces", hex.EncodeToString(sum[:])[:12])
}

// redact drops credentials a URL may carry, for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}
