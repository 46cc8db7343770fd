package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/crucible-sandbox/crucible/internal/evals"
	"github.com/crucible-sandbox/crucible/internal/forensics"
	"github.com/crucible-sandbox/crucible/internal/forensics/web"
)

func newAuditCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Review what happened on an evaluation host: timeline, web page, evidence export",
		Long: "Reads an evaluation's evidence (session transcripts, Resolver query logs, VPC flow " +
			"logs and CloudTrail calls by the host's role) and merges it into one timeline.\n\n" +
			"Name the evaluation by its id, read from the evaluation backend exactly as " +
			"`crucible eval` reads it (--backend, $PULUMI_BACKEND_URL, --secrets-provider), by " +
			"--stack NAME, or by --outputs FILE (the JSON of `pulumi stack output --json`). " +
			"CloudTrail is account-level: give its bucket with --trail-bucket.",
	}
	cmd.AddCommand(newAuditTimelineCmd(), newAuditServeCmd(), newAuditExportCmd())
	return cmd
}

// auditSource is where the evidence is and how to reach it.
type auditSource struct {
	stack, outputs            string
	trailBucket, trailPrefix  string
	endpointURL, profile, dir string

	// evaluations is where an evaluation id is looked up.
	evaluations evalBackend
}

func (s *auditSource) register(flags *pflag.FlagSet) {
	flags.StringVar(&s.stack, "stack", "", "read the evidence locations from this stack's "+
		"outputs (with the Pulumi CLI)")
	flags.StringVar(&s.outputs, "outputs", "", "read the evidence locations from a `FILE` "+
		"written by pulumi stack output --json")
	flags.StringVar(&s.trailBucket, "trail-bucket", "", "S3 bucket of the account's CloudTrail "+
		"trail (CloudTrail is skipped without it)")
	flags.StringVar(&s.trailPrefix, "trail-prefix", "", "S3 key prefix of the trail, before AWSLogs/")
	flags.StringVar(&s.endpointURL, "endpoint-url", "", "AWS endpoint override (also "+
		"AWS_ENDPOINT_URL), for S3-compatible stores and emulators")
	flags.StringVar(&s.profile, "profile", "", "AWS shared-config profile")
	flags.StringVar(&s.dir, "project-dir", ".", "the Pulumi project directory, for --stack")
	s.evaluations.register(flags)
}

// reader picks the one way the command line names the evaluation.
func (s *auditSource) reader(args []string) (forensics.OutputsReader, error) {
	named := 0
	for _, set := range []bool{len(args) > 0, s.stack != "", s.outputs != ""} {
		if set {
			named++
		}
	}
	if named != 1 {
		return nil, &exitError{exitInvalidConfig, errors.New("name the evaluation exactly one " +
			"way: its ID, --stack NAME or --outputs FILE")}
	}

	switch {
	case s.outputs != "":
		return forensics.OutputsFile(s.outputs), nil
	case s.stack != "":
		return forensics.PulumiStack{Name: s.stack, Dir: s.dir}, nil
	}
	return s.evaluation(args[0])
}

// evaluation resolves an evaluation id the way `crucible eval` does: its own stack in the
// evaluation backend, read by the evals Manager, so the id means the same stack in both.
func (s *auditSource) evaluation(id string) (forensics.OutputsReader, error) {
	if _, err := evals.StackName(id); err != nil {
		return nil, &exitError{exitInvalidConfig, err}
	}
	url, err := s.evaluations.resolve()
	if err != nil {
		return nil, err
	}
	m, err := s.evaluations.manager(url, "", io.Discard)
	if err != nil {
		return nil, fmt.Errorf("evaluation %q (without the Pulumi CLI, save the outputs and "+
			"pass --outputs FILE): %w", id, err)
	}
	return evaluationOutputs{id: id, manager: m}, nil
}

// evaluationOutputs reads an evaluation's stack outputs through the evals Manager.
type evaluationOutputs struct {
	id      string
	manager *evals.Manager
}

// ReadOutputs returns the outputs as a JSON object of output name to value, the form of
// `pulumi stack output --json`. The Manager's errors already name the evaluation and backend.
func (e evaluationOutputs) ReadOutputs(ctx context.Context) ([]byte, error) {
	outputs, err := e.manager.Outputs(ctx, e.id)
	if err != nil {
		return nil, err
	}
	return json.Marshal(outputs)
}

// Describe names the evaluation.
func (e evaluationOutputs) Describe() string { return fmt.Sprintf("evaluation %q", e.id) }

func (s *auditSource) locations(ctx context.Context, args []string) (forensics.Locations, error) {
	reader, err := s.reader(args)
	if err != nil {
		return forensics.Locations{}, err
	}
	data, err := reader.ReadOutputs(ctx)
	if err != nil {
		return forensics.Locations{}, err
	}
	loc, err := forensics.LocationsFromOutputs(data)
	if err != nil {
		return forensics.Locations{}, fmt.Errorf("%s: %w", reader.Describe(), err)
	}

	loc.TrailBucketName = s.trailBucket
	loc.TrailPrefix = s.trailPrefix
	if err := loc.Validate(); err != nil {
		return forensics.Locations{}, &exitError{exitInvalidConfig, err}
	}
	return loc, nil
}

func (s *auditSource) clients(ctx context.Context, loc forensics.Locations) (forensics.Clients, error) {
	return forensics.NewClients(ctx, loc.Region, forensics.ClientOptions{
		Profile:     s.profile,
		EndpointURL: s.endpointURL,
	})
}

// auditWindow is the --since/--until pair every audit command takes.
type auditWindow struct {
	since, until string
}

func (w *auditWindow) register(flags *pflag.FlagSet) {
	flags.StringVar(&w.since, "since", "", "only evidence from this time on: RFC 3339, a date, "+
		"or a duration before now such as 2h")
	flags.StringVar(&w.until, "until", "", "only evidence before this time (same forms as --since)")
}

func (w *auditWindow) filter(now time.Time) (forensics.Filter, error) {
	var f forensics.Filter
	var err error
	if f.Since, err = forensics.ParseTime("--since", w.since, now); err != nil {
		return f, &exitError{exitInvalidConfig, err}
	}
	if f.Until, err = forensics.ParseTime("--until", w.until, now); err != nil {
		return f, &exitError{exitInvalidConfig, err}
	}
	if err := f.Validate(); err != nil {
		return f, &exitError{exitInvalidConfig, err}
	}
	return f, nil
}

// progressFor draws a status line only when stderr is a terminal.
func progressFor(w io.Writer) *forensics.Progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return forensics.NewProgress(f, 150*time.Millisecond)
}

func newAuditTimelineCmd() *cobra.Command {
	var (
		source      auditSource
		window      auditWindow
		kinds       string
		blockedOnly bool
		asJSON      bool
		maxEvents   int
	)
	cmd := &cobra.Command{
		Use:   "timeline [ID]",
		Short: "Print one chronological account of an evaluation",
		Long: "Prints sessions opened and closed and by whom, the commands typed (when sessions " +
			"stream to CloudWatch Logs), every DNS query (blocked ones with the DNS Firewall " +
			"rule), every connection accepted or rejected, and every AWS call made with the " +
			"host's role (denials marked). Evidence text is printed with control characters " +
			"escaped, so it cannot drive the terminal. Records that cannot be read are counted " +
			"and listed after the timeline.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			filter, err := window.filter(time.Now())
			if err != nil {
				return err
			}
			if filter.Kinds, err = forensics.ParseKinds(kinds); err != nil {
				return &exitError{exitInvalidConfig, err}
			}
			filter.BlockedOnly = blockedOnly
			if maxEvents <= 0 {
				return &exitError{exitInvalidConfig, fmt.Errorf("--max-events must be positive, "+
					"got %d", maxEvents)}
			}

			tl, err := collectTimeline(cmd, &source, args, forensics.Options{
				Filter: filter, MaxEvents: maxEvents,
			})
			if err != nil {
				return err
			}
			if asJSON {
				return tl.WriteJSON(cmd.OutOrStdout())
			}
			return tl.WriteText(cmd.OutOrStdout())
		},
	}
	source.register(cmd.Flags())
	window.register(cmd.Flags())
	cmd.Flags().StringVar(&kinds, "kind", "", "only these kinds, comma-separated: "+
		"session, command, dns, flow, api")
	cmd.Flags().BoolVar(&blockedOnly, "blocked-only", false, "only what the sandbox stopped: "+
		"blocked queries, rejected connections, denied calls")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of text")
	cmd.Flags().IntVar(&maxEvents, "max-events", forensics.DefaultMaxEvents, "refuse to hold "+
		"more events than this (narrow with --since/--until/--kind instead)")
	return cmd
}

// collectTimeline resolves the evaluation and reads its evidence, showing progress on a
// terminal and warning on stderr when records could not be read.
func collectTimeline(cmd *cobra.Command, source *auditSource, args []string,
	opts forensics.Options,
) (*forensics.Timeline, error) {
	ctx := cmd.Context()
	loc, err := source.locations(ctx, args)
	if err != nil {
		return nil, err
	}
	clients, err := source.clients(ctx, loc)
	if err != nil {
		return nil, err
	}

	opts.Locations = loc
	opts.Progress = progressFor(cmd.ErrOrStderr())
	tl, err := forensics.Collect(ctx, clients, opts)
	if err != nil {
		return nil, err
	}
	if n := tl.MalformedTotal(); n > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "warning: %d evidence records could not be read; each "+
			"source's account lists them\n", n)
	}
	return tl, nil
}

func newAuditServeCmd() *cobra.Command {
	var (
		source auditSource
		window auditWindow
		addr   string
	)
	cmd := &cobra.Command{
		Use:   "serve [ID]",
		Short: "Serve the timeline as a local read-only web page",
		Long: "Serves the timeline with summary counts, filters by kind and text, a blocked-only " +
			"toggle and a transcript view per session. The page's assets are embedded and it " +
			"fetches nothing; it binds to " + web.DefaultAddr + " unless --addr names another " +
			"address. Stop it with Ctrl-C.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			filter, err := window.filter(time.Now())
			if err != nil {
				return err
			}
			tl, err := collectTimeline(cmd, &source, args, forensics.Options{Filter: filter})
			if err != nil {
				return err
			}

			ln, hosts, err := web.Listen(addr, cmd.ErrOrStderr())
			if err != nil {
				return &exitError{exitInvalidConfig, err}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()

			fmt.Fprintf(cmd.OutOrStdout(), "serving the timeline of %s (%d events) on "+
				"http://%s/ (read-only; Ctrl-C stops)\n", tl.Locations.InstanceID,
				len(tl.Events), ln.Addr())
			return web.Serve(ctx, ln, hosts, tl)
		},
	}
	source.register(cmd.Flags())
	window.register(cmd.Flags())
	cmd.Flags().StringVar(&addr, "addr", web.DefaultAddr, "address to serve on")
	return cmd
}

func newAuditExportCmd() *cobra.Command {
	var (
		source   auditSource
		window   auditWindow
		out      string
		maxBytes int64
	)
	cmd := &cobra.Command{
		Use:   "export [ID] --out DIR",
		Short: "Copy the raw evidence and a SHA-256 manifest into a directory",
		Long: "Copies the session transcripts and CloudTrail files byte for byte and each log " +
			"group's events as JSON Lines into DIR (new or empty), then writes manifest.json " +
			"(each file's source, SHA-256 and size) and SHA256SUMS for `sha256sum -c`.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return &exitError{exitInvalidConfig, errors.New("--out: name a directory to " +
					"export into")}
			}
			if maxBytes <= 0 {
				return &exitError{exitInvalidConfig, fmt.Errorf("--max-object-bytes %d: want "+
					"a positive number of bytes (default %d)", maxBytes,
					forensics.DefaultMaxObjectBytes)}
			}
			filter, err := window.filter(time.Now())
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			loc, err := source.locations(ctx, args)
			if err != nil {
				return err
			}
			clients, err := source.clients(ctx, loc)
			if err != nil {
				return err
			}

			m, err := forensics.Export(ctx, clients, forensics.ExportOptions{
				Locations: loc, Filter: filter, OutDir: out, MaxObjectBytes: maxBytes,
				Progress: progressFor(cmd.ErrOrStderr()),
			})
			if err != nil {
				return err
			}
			var size int64
			for _, f := range m.Files {
				size += f.Size
			}
			fmt.Fprintf(cmd.OutOrStdout(), "exported %d files (%d bytes) to %s\n", len(m.Files),
				size, out)
			for _, why := range m.Skipped {
				fmt.Fprintf(cmd.OutOrStdout(), "not exported: %s\n", forensics.Sanitize(why))
			}
			for _, o := range m.SkippedObjects {
				fmt.Fprintf(cmd.OutOrStdout(), "not exported: %s: %s\n",
					forensics.Sanitize(o.Source), forensics.Sanitize(o.Reason))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "verify with: (cd %s && sha256sum -c %s)\n",
				shellQuote(out), forensics.SumsName)
			return nil
		},
	}
	source.register(cmd.Flags())
	window.register(cmd.Flags())
	cmd.Flags().StringVar(&out, "out", "", "directory to export into (created; must be empty)")
	cmd.Flags().Int64Var(&maxBytes, "max-object-bytes", forensics.DefaultMaxObjectBytes,
		"skip (and list in the manifest) any S3 object larger than this")
	return cmd
}

// shellQuote quotes a path for the command the export suggests, so it can be pasted as shown.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, needsShellQuote) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func needsShellQuote(r rune) bool {
	plain := r == '/' || r == '.' || r == '_' || r == '-' || r >= 'a' && r <= 'z' ||
		r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	return !plain
}
