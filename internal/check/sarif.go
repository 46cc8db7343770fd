package check

import (
	"fmt"
	"io"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

// toolName and toolURI identify the check in code scanning.
const (
	toolName = "crucible-check"
	toolURI  = "https://github.com/crucible-sandbox/crucible"
)

// Code scanning ranks security findings by a "security-severity" score from 0 to 10: mandatory
// rules guard the sandbox's isolation and rank high, advisory ones medium.
var securitySeverity = map[rules.Level]string{
	rules.Mandatory: "8.0",
	rules.Advisory:  "4.0",
}

// WriteSARIF writes the report as SARIF 2.1.0 for code scanning. Every rule is listed with its
// default level; each finding points at the report's artifact and names its resource's URN as
// the logical location.
func (r Report) WriteSARIF(w io.Writer) error {
	report := sarif.NewReport()
	run := sarif.NewRunWithInformationURI(toolName, toolURI)

	// Code scanning keeps one set of alerts per category; the category ends in "/" and names
	// the checked artifact, so each stack's findings stay apart.
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().
		WithID(toolName + "/" + r.Artifact + "/"))

	for _, rule := range r.Rules {
		props := sarif.NewPropertyBag().
			WithTags(append([]string{"security"}, rule.Controls...)).
			Add("security-severity", securitySeverity[rule.Level])

		run.AddRule(rule.ID).
			WithName(ruleName(rule.ID)).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(rule.Title())).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(rule.Description)).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().
				WithLevel(sarifLevel(rule.Level, false))).
			WithProperties(props)
	}

	for _, f := range r.Findings {
		location := sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(r.Artifact)).
			WithRegion(sarif.NewRegion().WithStartLine(1))).
			AddLogicalLocation(sarif.NewLogicalLocation().
				WithFullyQualifiedName(f.URN).
				WithKind("resource"))

		run.CreateResultForRule(f.Rule.ID).
			WithLevel(sarifLevel(f.Level, f.Unknown)).
			WithMessage(sarif.NewTextMessage(f.Message)).
			AddLocation(location).
			// The fingerprint keeps one finding one alert across runs, whatever the line.
			WithPartialFingerprints(map[string]string{
				"crucibleFinding/v1": f.Rule.ID + "|" + f.URN + "|" + f.Message,
			})
	}

	report.AddRun(run)
	if err := report.PrettyWrite(w); err != nil {
		return fmt.Errorf("check: writing SARIF: %w", err)
	}

	return nil
}

// sarifLevel maps enforcement to SARIF: mandatory is an error, advisory a warning, and a value
// that could not be checked a note.
func sarifLevel(l rules.Level, unknown bool) string {
	switch {
	case l == rules.Mandatory:
		return "error"
	case unknown:
		return "note"
	default:
		return "warning"
	}
}

// ruleName is the rule id in the PascalCase SARIF viewers expect for names.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}

		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}

	return b.String()
}
