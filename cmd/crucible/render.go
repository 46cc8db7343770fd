package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/settings"
)

// stackFlags are the flags every command that renders a stack shares.
type stackFlags struct {
	stack           string
	overrides       []string
	dir             string
	platformOutputs string
}

func (f *stackFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.stack, "stack", "", "stack to render: reads Pulumi.<stack>.yaml (required)")
	cmd.Flags().StringArrayVar(&f.overrides, "config", nil,
		"override a config value as `key=value`, the syntax of pulumi config set (repeatable)")
	cmd.Flags().StringVar(&f.dir, "cwd", "", "project directory holding Pulumi.yaml "+
		"(default: the nearest one at or above the working directory)")
	cmd.Flags().StringVar(&f.platformOutputs, "platform-outputs", "", "`file` of the platform "+
		"stack's outputs as JSON, for a stack with crucible:role evaluation (from crucible "+
		"render --stack <platform> --outputs-json, or pulumi stack output --json)")
}

// render loads the stack and renders it; invalid configuration is an exitInvalidConfig error.
func (f *stackFlags) render() (*render.Result, error) {
	if f.stack == "" {
		return nil, &exitError{exitInvalidConfig, errors.New("--stack is required, for example --stack dev")}
	}

	dir, err := render.ProjectDir(f.dir)
	if err != nil {
		return nil, &exitError{exitInvalidConfig, err}
	}

	cfg, err := render.LoadStack(dir, f.stack)
	if err != nil {
		return nil, &exitError{exitInvalidConfig, err}
	}

	for _, o := range f.overrides {
		if err := cfg.Set(o); err != nil {
			return nil, &exitError{exitInvalidConfig, err}
		}
	}

	var opts []render.Option

	role := cfg.Values[settings.Namespace+":role"]
	if role == settings.RoleEvaluation && f.platformOutputs == "" {
		return nil, &exitError{exitInvalidConfig, fmt.Errorf("stack %s has crucible:role "+
			"evaluation and reads its platform stack's outputs: render the platform stack with "+
			"--outputs-json > platform.json and pass --platform-outputs platform.json", f.stack)}
	}

	if f.platformOutputs != "" {
		outputs, err := render.LoadOutputs(f.platformOutputs)
		if err != nil {
			return nil, &exitError{exitInvalidConfig, fmt.Errorf("--platform-outputs: %w", err)}
		}

		opts = append(opts, render.WithPlatformOutputs(outputs))
	}

	res, err := render.Render(cfg, opts...)

	var cfgErr *settings.Error
	if errors.As(err, &cfgErr) {
		return nil, &exitError{exitInvalidConfig, fmt.Errorf("stack %s: %w", f.stack, cfgErr)}
	}

	return res, err
}

func newRenderCmd() *cobra.Command {
	var (
		flags       stackFlags
		asJSON      bool
		outputsJSON bool
	)

	cmd := &cobra.Command{
		Use:   "render --stack NAME",
		Short: "Run the program offline against a stand-in AWS and show what it would build",
		Long: "Render runs the real program on the stack's real configuration against an " +
			"in-process stand-in for AWS. It needs no cloud account and no Pulumi CLI.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			res, err := flags.render()
			if err != nil {
				return err
			}

			if outputsJSON {
				return writeJSON(cmd.OutOrStdout(), res.Outputs)
			}

			if asJSON {
				return writeJSON(cmd.OutOrStdout(), res.Document())
			}

			return render.WriteTree(cmd.OutOrStdout(), res)
		},
	}

	flags.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false,
		"print a document shaped like a pulumi stack export, plus the stack outputs")
	cmd.Flags().BoolVar(&outputsJSON, "outputs-json", false,
		"print only the stack outputs as a JSON object, as pulumi stack output --json does")

	return cmd
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")

	return enc.Encode(v)
}
