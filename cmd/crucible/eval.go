package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/crucible-sandbox/crucible/internal/evals"
	"github.com/crucible-sandbox/crucible/internal/render"
)

func newEvalCmd() *cobra.Command {
	return newEvalCmdWith(&evalFlags{})
}

// newEvalCmdWith builds the eval commands around g, which tests fill with a fake backend and
// session runner.
func newEvalCmdWith(g *evalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "One stack per evaluation: up, list, connect, revoke, down, reap",
		Long: "Each evaluation is its own Pulumi stack (eval-<id>) running the sandbox program " +
			"on the Automation API, so many can run at once and each is torn down alone.\n\n" +
			"State lives in a local file backend under the user's data directory unless " +
			"--backend or PULUMI_BACKEND_URL selects s3://... or Pulumi Cloud, which is how a " +
			"team shares evaluations. Secrets use PULUMI_CONFIG_PASSPHRASE, or " +
			"--secrets-provider awskms://... The Pulumi CLI on PATH (or $CRUCIBLE_PULUMI_CLI) " +
			"runs the engine.",
	}
	g.register(cmd)
	cmd.AddCommand(
		newEvalUpCmd(g), newEvalListCmd(g), newEvalConnectCmd(g),
		newEvalRevokeCmd(g), newEvalDownCmd(g), newEvalReapCmd(g),
	)
	return cmd
}

// evalFlags are the flags every eval command shares.
type evalFlags struct {
	evalBackend
	dir string

	// startSession runs `eval connect --exec`'s session command; nil runs it on this terminal.
	startSession func(cmd *cobra.Command, argv []string) error
}

func (g *evalFlags) register(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	g.evalBackend.register(f)
	f.StringVar(&g.dir, "cwd", "", "project directory holding Pulumi.yaml and the base stacks "+
		"(default: the nearest one at or above the working directory)")
}

// manager checks the backend and secrets, finds the Pulumi CLI, and returns the Manager; input
// errors come first, so a bad flag never waits on Pulumi.
func (g *evalFlags) manager(cmd *cobra.Command, needProject bool) (*evals.Manager, error) {
	url, err := g.resolve()
	if err != nil {
		return nil, err
	}

	projectDir := ""
	if needProject {
		if projectDir, err = render.ProjectDir(g.dir); err != nil {
			return nil, &exitError{exitInvalidConfig, err}
		}
	}
	return g.evalBackend.manager(url, projectDir, cmd.OutOrStdout())
}

// interruptible cancels the context on Ctrl-C or SIGTERM; the Automation API then interrupts
// the Pulumi CLI, which stops cleanly and leaves the stack for the next command.
func interruptible(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
}

// evaluationID is the positional argument of the commands that act on one evaluation.
func evaluationID(use string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) == 1 {
			if _, err := evals.StackName(args[0]); err != nil {
				return &exitError{exitInvalidConfig, err}
			}
			return nil
		}
		return &exitError{exitInvalidConfig, fmt.Errorf("%s takes one evaluation id, for "+
			"example: crucible %s run-42", use, use)}
	}
}

func newEvalUpCmd(g *evalFlags) *cobra.Command {
	var (
		overrides []string
		ttl, base string
	)
	cmd := &cobra.Command{
		Use:   "up ID",
		Short: "Create or update the evaluation's stack and deploy it, with live progress",
		Long: "Creates or updates stack eval-<ID> with the base stack's configuration plus the " +
			"--config overrides, tags it with the id, owner and expiry time, deploys it, and " +
			"prints the connect command. Running it again resumes a failed or interrupted " +
			"update and restarts the TTL from now.",
		Args: evaluationID("eval up"),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := evals.ParseTTL(ttl)
			if err != nil {
				return &exitError{exitInvalidConfig, err}
			}
			m, err := g.manager(cmd, true)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd)
			defer stop()

			res, err := m.Up(ctx, evals.UpRequest{
				ID: args[0], BaseStack: base, Config: overrides, TTL: d,
			})
			if err != nil {
				return err
			}
			printUp(cmd.OutOrStdout(), res)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&overrides, "config", nil,
		"override a config value as `key=value`, the syntax of pulumi config set (repeatable)")
	cmd.Flags().StringVar(&ttl, "ttl", evals.DefaultTTL.String(),
		"time to live from now as a `DURATION`, 10m to 168h; eval reap takes the evaluation "+
			"down after it")
	cmd.Flags().StringVar(&base, "base-stack", evals.DefaultBaseStack,
		"stack whose Pulumi.<stack>.yaml the evaluation's configuration starts from")
	return cmd
}

func printUp(w io.Writer, res *evals.UpResult) {
	e := res.Evaluation
	fmt.Fprintf(w, "\nEvaluation %s is up (stack %s, owner %s), expires %s.\n",
		e.ID, e.Stack, e.Owner, e.Expires.UTC().Format(time.RFC3339))
	if len(res.Changes) == 1 && res.Changes["same"] > 0 {
		fmt.Fprintln(w, "No changes: the evaluation was already up to date.")
	}
	if res.KeptRevocation {
		fmt.Fprintf(w, "Access stays revoked (%s=true, set by `crucible eval revoke`); pass "+
			"--config accessRevoked=false to restore it.\n", evals.RevokedKey)
	}
	session, err := evals.NewSessionCommand(res.Outputs)
	if err != nil {
		fmt.Fprintf(w, "No session command: %v.\n", err)
		return
	}
	fmt.Fprintf(w, "Connect with:\n  %s\n", session)
}

func newEvalListCmd(g *evalFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every evaluation with its state (up, failed, updating, expired)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := g.manager(cmd, false)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd)
			defer stop()

			list, err := m.List(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), list)
			}
			printList(cmd.OutOrStdout(), list)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array instead of a table")
	return cmd
}

func printList(w io.Writer, list []evals.Evaluation) {
	if len(list) == 0 {
		fmt.Fprintln(w, "No evaluations.")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tCREATED\tEXPIRES\tINSTANCE\tOWNER")
	for _, e := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.State, timeCell(e.Created),
			timeCell(e.Expires), orDash(e.InstanceID), orDash(e.Owner))
	}
	_ = tw.Flush()
}

func timeCell(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newEvalConnectCmd(g *evalFlags) *cobra.Command {
	var run bool
	cmd := &cobra.Command{
		Use:   "connect ID",
		Short: "Print the command that opens a Session Manager session on the host",
		Long: "Prints `aws ssm start-session` for the host, built from the stack's instanceId, " +
			"sessionDocumentName and region outputs after checking each one's shape; the " +
			"stored connectCommand output is never run, since anyone who can write to a " +
			"shared backend can change it.",
		Args: evaluationID("eval connect"),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := g.manager(cmd, false)
			if err != nil {
				return err
			}
			session, err := m.Connect(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if !run {
				fmt.Fprintln(cmd.OutOrStdout(), session)
				return nil
			}
			start := g.startSession
			if start == nil {
				start = runSession
			}
			return start(cmd, session.Argv())
		},
	}
	cmd.Flags().BoolVar(&run, "exec", false, "run the session command (needs the AWS CLI and "+
		"its Session Manager plugin) instead of printing it")
	return cmd
}

// runSession runs the session command on this terminal, without a shell. Ctrl-C belongs to
// the session, so it is not caught here.
func runSession(cmd *cobra.Command, argv []string) error {
	command := strings.Join(argv, " ")
	//nolint:gosec // argv is evals.SessionCommand, built from outputs of a checked shape
	session := exec.CommandContext(cmd.Context(), argv[0], argv[1:]...)
	session.Stdin, session.Stdout, session.Stderr = os.Stdin, cmd.OutOrStdout(), cmd.ErrOrStderr()
	signal.Ignore(os.Interrupt)
	defer signal.Reset(os.Interrupt)

	err := session.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return &exitError{exit.ExitCode(), fmt.Errorf("session command %q: %w", command, err)}
	}
	if err != nil {
		return fmt.Errorf("session command %q: %w", command, err)
	}
	return nil
}

func newEvalRevokeCmd(g *evalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Withdraw operator access now: update the stack, then end the live sessions",
		Long: "Sets crucible:accessRevoked on the configuration the stack last deployed, " +
			"updates the stack so no one can start a session, then terminates every live " +
			"session on the host through Systems Manager with the default AWS credentials. " +
			"The sessions are ended even when the update fails or another crucible command " +
			"holds the evaluation's lock; the command then exits non-zero, saying the policy " +
			"update was not applied. A later `eval up` keeps access revoked unless given " +
			"--config accessRevoked=false.",
		Args: evaluationID("eval revoke"),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := g.manager(cmd, false)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd)
			defer stop()

			res, err := m.Revoke(ctx, args[0])
			if res != nil {
				printRevoke(cmd.OutOrStdout(), args[0], res)
			}
			return err
		},
	}
}

// printRevoke says what revoke did; the error, printed after it, says what it could not do.
func printRevoke(w io.Writer, id string, res *evals.RevokeResult) {
	if res.Updated {
		fmt.Fprintf(w, "\nAccess to evaluation %s revoked (%s=true deployed).\n", id,
			evals.RevokedKey)
	} else {
		fmt.Fprintf(w, "\nAccess policy of evaluation %s NOT updated: new sessions can still "+
			"start.\n", id)
	}
	for _, s := range res.Terminated {
		fmt.Fprintf(w, "Terminated session %s on %s.\n", s, res.InstanceID)
	}
	for _, s := range res.Failed {
		fmt.Fprintf(w, "Could NOT terminate session %s on %s.\n", s, res.InstanceID)
	}
	if len(res.Terminated)+len(res.Failed) == 0 && res.InstanceID != "" {
		fmt.Fprintf(w, "No live sessions on %s.\n", res.InstanceID)
	}
}

func newEvalDownCmd(g *evalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "down ID",
		Short: "Destroy the evaluation's resources and remove its stack; session evidence stays",
		Args:  evaluationID("eval down"),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := g.manager(cmd, false)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd)
			defer stop()

			res, err := m.Down(ctx, args[0])
			if err != nil {
				return err
			}
			printDown(cmd.OutOrStdout(), res)
			return nil
		},
	}
}

func printDown(w io.Writer, res *evals.DownResult) {
	if res.AlreadyRemoved {
		fmt.Fprintf(w, "Evaluation %s was already removed (stack %s, %s); nothing to do.\n",
			res.ID, res.Stack, timeCell(res.Removed))
	} else {
		fmt.Fprintf(w, "\nEvaluation %s removed (stack %s).\n", res.ID, res.Stack)
	}
	printEvidence(w, res.Evidence)
}

func printEvidence(w io.Writer, e evals.Evidence) {
	if e.Empty() {
		fmt.Fprintln(w, "The stack recorded no session evidence location.")
		return
	}
	fmt.Fprintln(w, "Session evidence stays in AWS (retained when the stack is destroyed):")
	if e.Transcripts != "" {
		fmt.Fprintf(w, "  transcripts:  %s\n", e.Transcripts)
	}
	if e.SessionLogGroup != "" {
		fmt.Fprintf(w, "  session logs: CloudWatch Logs group %s\n", e.SessionLogGroup)
	}
	if e.ReviewCommand != "" {
		fmt.Fprintf(w, "  review with:  %s\n", e.ReviewCommand)
	}
}

func newEvalReapCmd(g *evalFlags) *cobra.Command {
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "reap",
		Short: "Take down every evaluation whose TTL has passed (for a scheduled job)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := g.manager(cmd, false)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd)
			defer stop()

			res, err := m.Reap(ctx, dryRun)
			if res != nil {
				printReap(cmd.OutOrStdout(), res, dryRun)
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "only list the expired evaluations")
	return cmd
}

func printReap(w io.Writer, res *evals.ReapResult, dryRun bool) {
	for _, e := range res.Expired {
		reason, skipped := res.Skipped[e.ID]
		switch {
		case dryRun:
			fmt.Fprintf(w, "Would take down %s (expired %s).\n", e.ID, timeCell(e.Expires))
		case skipped:
			fmt.Fprintf(w, "Skipped %s: %s.\n", e.ID, reason)
		default:
			fmt.Fprintf(w, "Took down %s (expired %s).\n", e.ID, timeCell(e.Expires))
		}
	}
	fmt.Fprintf(w, "%d expired, %d taken down.\n", len(res.Expired), len(res.Removed))
}
