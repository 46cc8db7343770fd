package check

import (
	"fmt"
	"io"
)

// WriteText writes one line per finding (level, rule with its controls, resource URN, message),
// separated by two spaces so that each line stays greppable, and a closing summary.
func (r Report) WriteText(w io.Writer) error {
	for _, f := range r.Findings {
		if _, err := fmt.Fprintf(w, "%-9s  %s  %s  %s\n", f.Level, f.Rule.Title(), f.URN,
			f.Message); err != nil {
			return fmt.Errorf("check: writing findings: %w", err)
		}
	}

	s := r.Summary()
	verdict := "passed"
	if r.Failed() {
		verdict = "FAILED"
	}

	_, err := fmt.Fprintf(w, "\n%s: %s: %d rules over %d resources: %d mandatory, %d advisory "+
		"(%d could not be checked)\n", r.Target, verdict, len(r.Rules), r.Resources, s.Mandatory,
		s.Advisory, s.Unchecked)
	if err == nil && s.EncryptedSecrets > 0 {
		_, err = fmt.Fprintf(w, "%d secret values were encrypted and could not be read; "+
			"export with `pulumi stack export --show-secrets` to check them\n", s.EncryptedSecrets)
	}

	if err != nil {
		return fmt.Errorf("check: writing the summary: %w", err)
	}

	return nil
}
