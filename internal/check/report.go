package check

import (
	"slices"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

// Report is the outcome of one check.
type Report struct {
	// Target names what was checked, for people: "stack dev" or the state file.
	Target string
	// Artifact is the repository file the findings point at in code scanning: the stack's
	// configuration file, or the state document.
	Artifact string
	// Rules are the rules that ran, with their default levels.
	Rules []rules.Rule
	// Findings are ordered mandatory first, then in rule order.
	Findings []rules.Finding
	// Resources counts the resources checked.
	Resources int
	// EncryptedSecrets counts values the check could not read; see Deployment.
	EncryptedSecrets int
}

// Run checks a deployment with the rules, at the given levels (see LoadLevels; nil for the
// rules' defaults).
func Run(target, artifact string, dep Deployment, all []rules.Rule,
	levels map[string]rules.Level,
) Report {
	findings := rules.Evaluate(all, dep.Resources, levels)
	slices.SortStableFunc(findings, func(a, b rules.Finding) int {
		return levelRank(a.Level) - levelRank(b.Level)
	})

	return Report{
		Target:           target,
		Artifact:         artifact,
		Rules:            all,
		Findings:         findings,
		Resources:        len(dep.Resources),
		EncryptedSecrets: dep.EncryptedSecrets,
	}
}

func levelRank(l rules.Level) int {
	if l == rules.Mandatory {
		return 0
	}

	return 1
}

// Failed reports whether any finding is mandatory: the change must not go through.
func (r Report) Failed() bool {
	return r.count(func(f rules.Finding) bool { return f.Level == rules.Mandatory }) > 0
}

// Summary counts the findings by kind.
type Summary struct {
	Mandatory        int `json:"mandatory"`
	Advisory         int `json:"advisory"`
	Unchecked        int `json:"unchecked"`
	EncryptedSecrets int `json:"encryptedSecrets"`
}

// Summary counts the report's findings: mandatory and advisory ones, and among all of them those
// that could not be checked.
func (r Report) Summary() Summary {
	return Summary{
		Mandatory: r.count(func(f rules.Finding) bool { return f.Level == rules.Mandatory }),
		Advisory:  r.count(func(f rules.Finding) bool { return f.Level == rules.Advisory }),
		Unchecked: r.count(func(f rules.Finding) bool { return f.Unknown }),

		EncryptedSecrets: r.EncryptedSecrets,
	}
}

func (r Report) count(match func(rules.Finding) bool) int {
	n := 0
	for _, f := range r.Findings {
		if match(f) {
			n++
		}
	}

	return n
}
