package check

import (
	"encoding/json"
	"fmt"
	"io"
)

// jsonReport is the shape of `crucible check --json`.
type jsonReport struct {
	Target    string        `json:"target"`
	Passed    bool          `json:"passed"`
	Rules     int           `json:"rules"`
	Resources int           `json:"resources"`
	Summary   Summary       `json:"summary"`
	Findings  []jsonFinding `json:"findings"`
}

type jsonFinding struct {
	Rule      string   `json:"rule"`
	Controls  []string `json:"controls"`
	Level     string   `json:"level"`
	URN       string   `json:"urn"`
	Message   string   `json:"message"`
	Unchecked bool     `json:"unchecked"`
}

// WriteJSON writes the report as one JSON object.
func (r Report) WriteJSON(w io.Writer) error {
	out := jsonReport{
		Target:    r.Target,
		Passed:    !r.Failed(),
		Rules:     len(r.Rules),
		Resources: r.Resources,
		Summary:   r.Summary(),
		Findings:  []jsonFinding{},
	}

	for _, f := range r.Findings {
		controls := f.Rule.Controls
		if controls == nil {
			controls = []string{}
		}

		out.Findings = append(out.Findings, jsonFinding{
			Rule: f.Rule.ID, Controls: controls, Level: string(f.Level), URN: f.URN,
			Message: f.Message, Unchecked: f.Unknown,
		})
	}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("check: writing JSON: %w", err)
	}

	return nil
}
