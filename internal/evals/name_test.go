package evals

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStackNameUsesSimpleIDsUnchanged(t *testing.T) {
	for id, want := range map[string]string{
		"run-42":                 "eval-run-42",
		"v1.2.3":                 "eval-v1.2.3",
		"42":                     "eval-42",
		strings.Repeat("a", 95):  "eval-" + strings.Repeat("a", 95),
		"gpt-eval.2026-01-15.rc": "eval-gpt-eval.2026-01-15.rc",
	} {
		got, err := StackName(id)
		require.NoError(t, err, id)
		assert.Equal(t, want, got, "a lowercase id that fits is readable as is: %q", id)
	}
}

// The hashed names are pinned: changing them would orphan every running evaluation, whose
// stack the new name would no longer find.
func TestStackNameHashesOtherIDsStably(t *testing.T) {
	for id, want := range map[string]string{
		"Run 42":   "eval-run-42_da74b6b1b847",
		"a b":      "eval-a-b_c8687a08aa5d",
		"a_b":      "eval-a-b_648fa9b31bc7",
		"A-B":      "eval-a-b_77101aaa54e6",
		"run-42_x": "eval-run-42-x_09f3f810c392",
	} {
		got, err := StackName(id)
		require.NoError(t, err, id)
		assert.Equal(t, want, got, "id %q", id)
	}
}

func TestStackNameShortensLongIDsToPulumisLimitWithAHash(t *testing.T) {
	long := strings.Repeat("x", 96)
	got, err := StackName(long)
	require.NoError(t, err)
	assert.Len(t, got, 100, "a shortened name uses the whole limit")
	assert.True(t, strings.HasPrefix(got, "eval-"+strings.Repeat("x", 82)+"_"),
		"the name keeps as much of the id as fits: %s", got)

	// Ids that only differ after the part that fits still get different names.
	a, err := StackName(strings.Repeat("y", 200) + "a")
	require.NoError(t, err)
	b, err := StackName(strings.Repeat("y", 200) + "b")
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
}

func TestStackNameRejectsUnusableIDs(t *testing.T) {
	for id, want := range map[string]string{
		"":                       "evaluation id is empty",
		"!!!":                    `evaluation id "!!!" has no ASCII letters or digits`,
		"   ":                    `evaluation id "   " has no ASCII letters or digits`,
		"-._":                    `evaluation id "-._" has no ASCII letters or digits`,
		"日本":                     `evaluation id "日本" has no ASCII letters or digits`,
		strings.Repeat("a", 257): "evaluation id is 257 characters long; the limit is 256",
	} {
		_, err := StackName(id)
		require.Error(t, err, "id %q must be rejected", id)
		assert.Contains(t, err.Error(), want)
	}
}

// Names that a plain character replacement would merge must stay apart, and every name must be
// one Pulumi accepts.
func TestStackNameNeverMapsTwoIDsToOneName(t *testing.T) {
	ids := []string{
		"a-b", "a b", "a_b", "A-B", "a--b", "a.b", "a/b", "a-b_c8687a08aa5d", "a-b_",
		"run-42", "Run-42", "RUN-42", "run 42", "run_42", "run-42 ",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "abAB01-._ /é"
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(string([]rune(alphabet)[rng.IntN(len([]rune(alphabet)))]))
		}
		ids = append(ids, b.String())
	}

	seen := map[string]string{}
	for _, id := range ids {
		name, err := StackName(id)
		if err != nil {
			continue
		}
		if other, dup := seen[name]; dup && other != id {
			t.Fatalf("ids %q and %q both map to stack %s", other, id, name)
		}
		seen[name] = id

		_, err = tokens.ParseStackName(name)
		require.NoError(t, err, fmt.Sprintf("stack name %q of id %q", name, id))
		assert.Equal(t, strings.ToLower(name), name, "names are lowercase: %s", name)
	}
	assert.Greater(t, len(seen), 1000, "the generated ids must exercise many names")
}
