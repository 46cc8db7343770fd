package check_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/check"
	"github.com/crucible-sandbox/crucible/policy/rules"
)

// openedFixture is the fixture with SSH opened to the internet on the host's group.
func openedFixture(t *testing.T) check.Report {
	t.Helper()

	doc := loadDocument(t, fixture)
	group := doc.state(withID("sg-0host000000000001"))
	group["ingress"] = []any{map[string]any{
		"cidrBlocks": []any{"0.0.0.0/0"}, "fromPort": 22, "toPort": 22, "protocol": "tcp",
	}}

	return check.Run(fixture, fixture, doc.deployment(), rules.All(), nil)
}

func TestTheFixtureStackPasses(t *testing.T) {
	report := check.Run(fixture, fixture, readFixture(t), rules.All(), nil)

	assert.False(t, report.Failed())
	assert.Equal(t, check.Summary{Advisory: 1, Unchecked: 1, EncryptedSecrets: 1}, report.Summary())
}

func TestTextReportHasOneLinePerFindingAndASummary(t *testing.T) {
	report := openedFixture(t)
	require.True(t, report.Failed())

	var out bytes.Buffer
	require.NoError(t, report.WriteText(&out))

	assert.Equal(t, ""+
		"mandatory  security-group-no-ingress-from-anywhere [EC2.13, EC2.14, EC2.18, EC2.19, EC2.53, "+
		"EC2.54]  "+fixtureHostGroup+"  ingress[0].cidrBlocks[0] is 0.0.0.0/0: tcp port 22 is open "+
		"to the whole internet\n"+
		"mandatory  host-security-group-no-ingress  "+fixtureHostGroup+"  ingress has 1 rule(s); an "+
		"instance's security group must have none: Session Manager needs no inbound traffic\n"+
		"advisory   kms-key-rotation-enabled [KMS.4]  "+fixtureKey+"  could not be checked: "+
		"enableKeyRotation is unknown until the deployment runs\n"+
		"\n"+
		fixture+": FAILED: 24 rules over 9 resources: 2 mandatory, 1 advisory (1 could not be "+
		"checked)\n"+
		"1 secret values were encrypted and could not be read; export with `pulumi stack export "+
		"--show-secrets` to check them\n", out.String())
}

func TestJSONReportListsFindingsWithTheirRulesAndControls(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, openedFixture(t).WriteJSON(&out))

	var got struct {
		Target    string
		Passed    bool
		Rules     int
		Resources int
		Summary   check.Summary
		Findings  []struct {
			Rule      string
			Controls  []string
			Level     string
			URN       string
			Message   string
			Unchecked bool
		}
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))

	assert.Equal(t, fixture, got.Target)
	assert.False(t, got.Passed)
	assert.Equal(t, len(rules.All()), got.Rules)
	assert.Equal(t, 9, got.Resources)
	assert.Equal(t, check.Summary{Mandatory: 2, Advisory: 1, Unchecked: 1, EncryptedSecrets: 1},
		got.Summary)
	require.Len(t, got.Findings, 3)
	assert.Equal(t, "security-group-no-ingress-from-anywhere", got.Findings[0].Rule)
	assert.Equal(t, []string{"EC2.13", "EC2.14", "EC2.18", "EC2.19", "EC2.53", "EC2.54"},
		got.Findings[0].Controls)
	assert.Equal(t, "mandatory", got.Findings[0].Level)
	assert.Equal(t, fixtureHostGroup, got.Findings[0].URN)
	assert.Equal(t, "kms-key-rotation-enabled", got.Findings[2].Rule)
	assert.Equal(t, "advisory", got.Findings[2].Level)
	assert.True(t, got.Findings[2].Unchecked)
}

func TestSARIFReportIsValidSARIF210(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, openedFixture(t).WriteSARIF(&out))

	// Validate the bytes as written against the SARIF 2.1.0 schema, not a struct we built.
	report, err := sarif.FromBytes(out.Bytes(), sarif.WithStrictValidation())
	require.NoError(t, err)
	require.NoError(t, report.Validate())

	assert.Equal(t, "2.1.0", report.Version)
	require.Len(t, report.Runs, 1)
	run := report.Runs[0]
	assert.Equal(t, "crucible-check", *run.Tool.Driver.Name)
	assert.Equal(t, "crucible-check/"+fixture+"/", *run.AutomationDetails.ID)
	assert.Len(t, run.Tool.Driver.Rules, len(rules.All()), "every rule is described")

	require.Len(t, run.Results, 3)
	first := run.Results[0]
	assert.Equal(t, "security-group-no-ingress-from-anywhere", *first.RuleID)
	assert.Equal(t, "error", first.Level)
	assert.Equal(t, 0, first.RuleIndex)
	assert.Equal(t, "ingress[0].cidrBlocks[0] is 0.0.0.0/0: tcp port 22 is open to the whole internet",
		*first.Message.Text)
	require.Len(t, first.Locations, 1)
	assert.Equal(t, fixture, *first.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Equal(t, fixtureHostGroup, *first.Locations[0].LogicalLocations[0].FullyQualifiedName)
	assert.Equal(t, "note", run.Results[2].Level, "a value that could not be checked is a note")

	rule := run.Tool.Driver.Rules[0]
	assert.Equal(t, "SecurityGroupNoIngressFromAnywhere", *rule.Name)
	assert.Equal(t, "error", rule.DefaultConfiguration.Level)
	assert.Equal(t, "8.0", rule.Properties.Properties["security-severity"])
}
