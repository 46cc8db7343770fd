package evals

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostOutputs are the outputs of a deployed evaluation; the stored connectCommand is hostile.
func hostOutputs() Outputs {
	return Outputs{
		OutputInstanceID:      "i-0123456789abcdef0",
		OutputSessionDocument: "crucible-eval-run-42-sessions",
		OutputRegion:          "eu-west-2",
		OutputConnectCommand:  "sh -c touch${IFS}/tmp/pwned",
	}
}

func TestConnectBuildsTheSessionCommandFromCheckedOutputs(t *testing.T) {
	tm := newTestManager(t)
	tm.backend.add("eval-run-42", tagsFor("run-42", testClock, time.Hour), "succeeded",
		hostOutputs())

	got, err := tm.Connect(context.Background(), "run-42")
	require.NoError(t, err)
	assert.Equal(t, SessionCommand{
		InstanceID: "i-0123456789abcdef0", DocumentName: "crucible-eval-run-42-sessions",
		Region: "eu-west-2",
	}, got)
	assert.Equal(t, []string{
		"aws", "ssm", "start-session", "--target", "i-0123456789abcdef0",
		"--document-name", "crucible-eval-run-42-sessions", "--region", "eu-west-2",
	}, got.Argv(), "the stored connectCommand is never used")
	assert.Equal(t, "aws ssm start-session --target i-0123456789abcdef0 --document-name "+
		"crucible-eval-run-42-sessions --region eu-west-2", got.String())
}

func TestConnectAcceptsAnEightDigitInstanceIDAndAGovCloudRegion(t *testing.T) {
	outputs := hostOutputs()
	outputs[OutputInstanceID] = "i-0a1b2c3d"
	outputs[OutputRegion] = "us-gov-west-1"

	got, err := NewSessionCommand(outputs)
	require.NoError(t, err)
	assert.Equal(t, "aws ssm start-session --target i-0a1b2c3d --document-name "+
		"crucible-eval-run-42-sessions --region us-gov-west-1", got.String())
}

func TestConnectRefusesAnOutputOfTheWrongShape(t *testing.T) {
	for name, tc := range map[string]struct {
		output, value, want string
	}{
		"instance id with a command": {
			OutputInstanceID, "i-0123456789abcdef0 --reason x",
			`output instanceId "i-0123456789abcdef0 --reason x" is not an EC2 instance id: ` +
				"i- and 8 or 17 hex digits",
		},
		"instance id of the wrong length": {
			OutputInstanceID, "i-0123456789",
			`output instanceId "i-0123456789" is not an EC2 instance id`,
		},
		"AWS's interactive command document": {
			OutputSessionDocument, "AWS-StartInteractiveCommand",
			`output sessionDocumentName "AWS-StartInteractiveCommand" is not a Systems ` +
				"Manager document name of 3 to 128 letters, digits, _ . or -, not one of AWS's " +
				"own (AWS-, Amazon, AMZN)",
		},
		"an Amazon document": {
			OutputSessionDocument, "AmazonCloudWatch-ManageAgent",
			`output sessionDocumentName "AmazonCloudWatch-ManageAgent" is not`,
		},
		"document name with a space": {
			OutputSessionDocument, "crucible sessions",
			`output sessionDocumentName "crucible sessions" is not`,
		},
		"region with a flag": {
			OutputRegion, "us-east-1 --endpoint-url",
			`output region "us-east-1 --endpoint-url" is not an AWS region such as us-east-1`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			tm := newTestManager(t)
			outputs := hostOutputs()
			outputs[tc.output] = tc.value
			tm.backend.add("eval-run-42", tagsFor("run-42", testClock, time.Hour), "succeeded",
				outputs)

			got, err := tm.Connect(context.Background(), "run-42")
			require.Error(t, err)
			assert.Contains(t, err.Error(), `evaluation "run-42": `+tc.want)
			assert.Contains(t, err.Error(), "the stack's state may have been altered")
			assert.Equal(t, SessionCommand{}, got)
		})
	}
}

func TestConnectNamesTheMissingOutput(t *testing.T) {
	tm := newTestManager(t)
	tm.backend.add("eval-broken", tagsFor("broken", testClock, time.Hour), "failed", Outputs{})
	_, err := tm.Connect(context.Background(), "broken")
	require.Error(t, err)
	assert.Equal(t, `evaluation "broken" has no instanceId output: its update has not `+
		"succeeded, or predates the output; run `crucible eval up broken`", err.Error())

	outputs := hostOutputs()
	delete(outputs, OutputSessionDocument)
	tm.backend.add("eval-old", tagsFor("old", testClock, time.Hour), "succeeded", outputs)
	_, err = tm.Connect(context.Background(), "old")
	require.Error(t, err)
	assert.Equal(t, `evaluation "old" has no sessionDocumentName output: its update has not `+
		"succeeded, or predates the output; run `crucible eval up old`", err.Error())

	_, err = tm.Connect(context.Background(), "nope")
	var unknown *UnknownError
	require.ErrorAs(t, err, &unknown)
}
