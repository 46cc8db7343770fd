package main

import (
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/crucible-sandbox/crucible/internal/evals"
	"github.com/crucible-sandbox/crucible/sandbox"
)

// evalBackend is where the evaluation stacks live and how their secrets are read. `eval` and
// `audit` share it, so an evaluation id names the same stack in both.
type evalBackend struct {
	backend, secretsProvider string

	// open returns the Backend at a resolved URL; nil runs the Automation API on the Pulumi
	// CLI. Tests set it to reach the Manager without an engine.
	open func(url string) (evals.Backend, error)
}

func (b *evalBackend) register(f *pflag.FlagSet) {
	f.StringVar(&b.backend, "backend", "", "Pulumi backend URL of the evaluation stacks: "+
		"file://<dir>, s3://<bucket>[/prefix] or https://api.pulumi.com (default: "+
		"$PULUMI_BACKEND_URL, else a file backend under the user's data directory)")
	f.StringVar(&b.secretsProvider, "secrets-provider", "", "secrets provider of the evaluation "+
		"stacks: passphrase (default, reads PULUMI_CONFIG_PASSPHRASE) or awskms://<key>")
}

// resolve checks the backend and secrets flags before any work and returns the backend URL.
func (b *evalBackend) resolve() (string, error) {
	url, err := evals.ResolveBackend(b.backend, os.Getenv)
	if err != nil {
		return "", &exitError{exitInvalidConfig, err}
	}
	if err := evals.CheckSecrets(url, b.secretsProvider, os.LookupEnv); err != nil {
		return "", &exitError{exitInvalidConfig, err}
	}
	return url, nil
}

// manager returns the Manager of the evaluations at url (from resolve). projectDir is needed
// only by commands that create or update stacks; out receives the engine's progress.
func (b *evalBackend) manager(url, projectDir string, out io.Writer) (*evals.Manager, error) {
	open := b.open
	if open == nil {
		open = b.openAuto
	}
	backend, err := open(url)
	if err != nil {
		return nil, err
	}
	return evals.NewManager(evals.Options{
		Backend:       backend,
		ProjectDir:    projectDir,
		WorkspaceRoot: evals.WorkspaceRoot(url),
		Out:           out,
	}), nil
}

func (b *evalBackend) openAuto(url string) (evals.Backend, error) {
	command, err := evals.PulumiCommand(os.Getenv)
	if err != nil {
		return nil, err
	}
	backend, err := evals.NewAutoBackend(evals.AutoOptions{
		URL:             url,
		SecretsProvider: b.secretsProvider,
		Command:         command,
		Program:         sandbox.WithConfigKeys,
	})
	if err != nil {
		return nil, err
	}
	return backend, nil
}
