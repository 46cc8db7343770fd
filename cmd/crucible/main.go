// Command crucible is the operator CLI: it renders and checks the sandbox offline, runs one stack
// per evaluation, and reviews what happened on an evaluation host.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the CLI and returns the process exit status; tests call it with buffers.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)

	err := root.Execute()
	if err == nil {
		return 0
	}

	fmt.Fprintln(stderr, "crucible: "+err.Error())

	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}

	return 1
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "crucible",
		Short:         "Sealed EC2 hosts for AI evaluations, reachable only through Session Manager",
		SilenceUsage:  true,
		SilenceErrors: true,
	}

	root.AddCommand(newRenderCmd())
	root.AddCommand(newCheckCmd())
	root.AddCommand(newAuditCmd())
	root.AddCommand(newEvalCmd())

	return root
}

// Exit statuses shared by the commands.
const (
	exitFailure       = 1 // the command ran and found a problem (or failed)
	exitInvalidConfig = 2 // the stack configuration or the command line is invalid
)

// exitError carries a specific exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }
