package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/evals"
	"github.com/crucible-sandbox/crucible/internal/forensics"
)

// fakeEvalBackend is an evaluation backend in memory: it records the URL it was opened at and
// every stack opened, and serves the outputs of the stacks it holds.
type fakeEvalBackend struct {
	url     string
	outputs map[string]evals.Outputs // by stack name
	opened  []string
}

func (b *fakeEvalBackend) StackNames(context.Context) ([]string, error) {
	return slices.Sorted(maps.Keys(b.outputs)), nil
}

func (b *fakeEvalBackend) Stack(
	_ context.Context, name, dir string, create bool,
) (evals.Stack, error) {
	b.opened = append(b.opened, fmt.Sprintf("%s in %s, create=%t", name, dir, create))
	outputs, ok := b.outputs[name]
	if !ok {
		return nil, evals.ErrStackNotFound
	}
	return fakeEvalStack{outputs: outputs}, nil
}

func (b *fakeEvalBackend) Describe() string { return "backend " + b.url }

// fakeEvalStack serves outputs only. The nil Stack it embeds makes any other call panic, so a
// test fails if audit does more to an evaluation than read it.
type fakeEvalStack struct {
	evals.Stack
	outputs evals.Outputs
}

func (s fakeEvalStack) Outputs(context.Context) (evals.Outputs, error) {
	return maps.Clone(s.outputs), nil
}

// parseAuditSource registers the audit flags and parses flags, as every audit command does.
func parseAuditSource(t *testing.T, flags ...string) *auditSource {
	t.Helper()
	var s auditSource
	set := pflag.NewFlagSet("audit", pflag.ContinueOnError)
	s.register(set)
	require.NoError(t, set.Parse(flags))
	return &s
}

// fakeEvaluations makes s look ids up in a fake backend holding evaluation run-42.
func fakeEvaluations(s *auditSource) *fakeEvalBackend {
	b := &fakeEvalBackend{outputs: map[string]evals.Outputs{
		"eval-run-42": {
			evals.OutputInstanceID:     "i-0123456789abcdef0",
			evals.OutputRegion:         "eu-west-2",
			evals.OutputAuditBucket:    "crucible-audit-run-42",
			evals.OutputAuditPrefix:    "session-transcripts/",
			evals.OutputConnectCommand: "aws ssm start-session --target i-0123456789abcdef0",
		},
	}}
	s.evaluations.open = func(url string) (evals.Backend, error) {
		b.url = url
		return b, nil
	}
	return b
}

func TestAuditReadsAnEvaluationIDFromTheEvalBackend(t *testing.T) {
	t.Setenv(evals.PassphraseEnv, "pw")
	flagURL := "file://" + filepath.ToSlash(t.TempDir())
	envURL := "file://" + filepath.ToSlash(t.TempDir())
	t.Setenv(evals.BackendEnv, envURL)

	for name, tc := range map[string]struct {
		flags []string
		want  string
	}{
		"--backend wins over PULUMI_BACKEND_URL": {[]string{"--backend", flagURL}, flagURL},
		"PULUMI_BACKEND_URL without --backend":   {nil, envURL},
	} {
		t.Run(name, func(t *testing.T) {
			s := parseAuditSource(t, tc.flags...)
			b := fakeEvaluations(s)

			loc, err := s.locations(context.Background(), []string{"run-42"})
			require.NoError(t, err)
			assert.Equal(t, tc.want, b.url, "the id is looked up in the backend eval uses")
			assert.Equal(t, []string{
				"eval-run-42 in " + filepath.Join(evals.WorkspaceRoot(tc.want), "eval-run-42") +
					", create=false",
			}, b.opened, "audit opens the evaluation's own stack and never creates one")
			assert.Equal(t, forensics.Locations{
				Region:                "eu-west-2",
				InstanceID:            "i-0123456789abcdef0",
				AuditBucketName:       "crucible-audit-run-42",
				AuditTranscriptPrefix: "session-transcripts/",
			}, loc)
		})
	}
}

func TestAuditNamesAnUnknownEvaluationAndItsBackend(t *testing.T) {
	t.Setenv(evals.PassphraseEnv, "pw")
	url := "file://" + filepath.ToSlash(t.TempDir())
	s := parseAuditSource(t, "--backend", url)
	fakeEvaluations(s)

	_, err := s.locations(context.Background(), []string{"run-7"})
	require.Error(t, err)
	assert.Equal(t, `no evaluation "run-7" (stack eval-run-7) in backend `+url+
		"; `crucible eval list` shows the evaluations", err.Error())
}

func TestAuditChecksTheEvaluationSecretsBeforeOpeningTheBackend(t *testing.T) {
	t.Setenv(evals.PassphraseEnv, "")
	require.NoError(t, os.Unsetenv(evals.PassphraseEnv))
	t.Setenv(evals.PassphraseFileEnv, "")
	require.NoError(t, os.Unsetenv(evals.PassphraseFileEnv))
	url := "file://" + filepath.ToSlash(t.TempDir())

	s := parseAuditSource(t, "--backend", url)
	b := fakeEvaluations(s)
	_, err := s.reader([]string{"run-42"})
	var ee *exitError
	require.True(t, errors.As(err, &ee), "want an exitError, got %v", err)
	assert.Equal(t, exitInvalidConfig, ee.code)
	assert.Equal(t, "PULUMI_CONFIG_PASSPHRASE is not set: evaluation stacks in "+url+
		" encrypt their secrets with a passphrase; export PULUMI_CONFIG_PASSPHRASE (or "+
		"PULUMI_CONFIG_PASSPHRASE_FILE), or pass --secrets-provider awskms://<key>", err.Error())
	assert.Empty(t, b.url, "a missing passphrase must stop audit before the backend is opened")

	s = parseAuditSource(t, "--backend", url, "--secrets-provider", "awskms://alias/crucible")
	b = fakeEvaluations(s)
	loc, err := s.locations(context.Background(), []string{"run-42"})
	require.NoError(t, err, "a KMS secrets provider needs no passphrase, as in crucible eval")
	assert.Equal(t, url, b.url)
	assert.Equal(t, "i-0123456789abcdef0", loc.InstanceID)
}
