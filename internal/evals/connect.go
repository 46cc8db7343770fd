package evals

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// OutputSessionDocument is the output naming the Session Manager document that logs sessions.
const OutputSessionDocument = "sessionDocumentName"

// The shapes a session command's parts may take. Anyone who can write to a shared backend can
// write the stack's outputs, so each part is checked before an operator's terminal runs it.
var (
	instanceIDPattern   = regexp.MustCompile(`^i-[0-9a-f]{8}([0-9a-f]{9})?$`)
	documentNamePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,128}$`)
	regionPattern       = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
)

// awsDocumentPrefixes start the names of documents AWS owns, such as AWS-StartInteractiveCommand
// or AWS-StartPortForwardingSession. A session started with one of them skips the program's
// logging document, so a stack output naming one is refused.
var awsDocumentPrefixes = []string{"aws", "amazon", "amzn"}

// SessionCommand is the AWS CLI command that opens a Session Manager session on an
// evaluation's host, built from checked stack outputs rather than from the stored
// connectCommand string, which is never run.
type SessionCommand struct {
	InstanceID, DocumentName, Region string
}

// Argv is the command as arguments, for running it without a shell.
func (c SessionCommand) Argv() []string {
	return []string{
		"aws", "ssm", "start-session", "--target", c.InstanceID,
		"--document-name", c.DocumentName, "--region", c.Region,
	}
}

// String is the command as an operator types it; every part is free of spaces and quotes.
func (c SessionCommand) String() string {
	return strings.Join(c.Argv(), " ")
}

// NewSessionCommand builds the session command from an evaluation's outputs, refusing any
// output that is missing or not of its expected shape.
func NewSessionCommand(outputs Outputs) (SessionCommand, error) {
	c := SessionCommand{
		InstanceID:   outputs[OutputInstanceID],
		DocumentName: outputs[OutputSessionDocument],
		Region:       outputs[OutputRegion],
	}
	checks := []struct {
		output, value, want string
		ok                  bool
	}{
		{
			OutputInstanceID, c.InstanceID, "an EC2 instance id: i- and 8 or 17 hex digits",
			instanceIDPattern.MatchString(c.InstanceID),
		},
		{
			OutputSessionDocument, c.DocumentName, "a Systems Manager document name of 3 to 128 " +
				"letters, digits, _ . or -, not one of AWS's own (AWS-, Amazon, AMZN)",
			documentNamePattern.MatchString(c.DocumentName) && !isAWSDocument(c.DocumentName),
		},
		{
			OutputRegion, c.Region, "an AWS region such as us-east-1",
			regionPattern.MatchString(c.Region),
		},
	}
	for _, check := range checks {
		if check.value == "" {
			return SessionCommand{}, &missingOutputError{Output: check.output}
		}
		if !check.ok {
			return SessionCommand{}, fmt.Errorf("output %s %q is not %s; the stack's state "+
				"may have been altered, so no session command is built from it",
				check.output, check.value, check.want)
		}
	}
	return c, nil
}

func isAWSDocument(name string) bool {
	lower := strings.ToLower(name)
	for _, p := range awsDocumentPrefixes {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}

// missingOutputError says the stack lacks an output the session command needs.
type missingOutputError struct {
	Output string
}

func (e *missingOutputError) Error() string {
	return "no " + e.Output + " output"
}

// Connect returns the command that opens a session on the evaluation's host.
func (m *Manager) Connect(ctx context.Context, id string) (SessionCommand, error) {
	outputs, err := m.Outputs(ctx, id)
	if err != nil {
		return SessionCommand{}, err
	}

	c, err := NewSessionCommand(outputs)
	var missing *missingOutputError
	if errors.As(err, &missing) {
		return SessionCommand{}, fmt.Errorf("evaluation %q has no %s output: its update has "+
			"not succeeded, or predates the output; run `crucible eval up %s`",
			id, missing.Output, shellArg(id))
	}
	if err != nil {
		return SessionCommand{}, fmt.Errorf("evaluation %q: %w", id, err)
	}
	return c, nil
}
