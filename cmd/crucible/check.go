package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/crucible-sandbox/crucible/internal/check"
	"github.com/crucible-sandbox/crucible/internal/render"
	"github.com/crucible-sandbox/crucible/policy/rules"
)

func newCheckCmd() *cobra.Command {
	var (
		flags        stackFlags
		state        string
		policyConfig string
		asJSON       bool
		asSARIF      bool
	)

	cmd := &cobra.Command{
		Use:   "check (--stack NAME | --state FILE)",
		Short: "Run every security rule over the offline render of a stack, or over a stack export",
		Long: "Check runs the rules of the policy pack (policy/rules) without cloud credentials and " +
			"without the Pulumi CLI: on the offline render of a stack (--stack), or on a " +
			"`pulumi stack export` document of a deployed stack (--state).\n\n" +
			"Exit status: 0 when no mandatory rule is violated, 1 when one is, 2 when the " +
			"configuration, the flags or the input document are invalid.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if asJSON && asSARIF {
				return &exitError{exitInvalidConfig, errors.New("--json and --sarif exclude each other")}
			}

			levels, err := loadLevels(policyConfig)
			if err != nil {
				return err
			}

			report, err := checkTarget(&flags, state, levels)
			if err != nil {
				return err
			}

			out := cmd.OutOrStdout()
			switch {
			case asJSON:
				err = report.WriteJSON(out)
			case asSARIF:
				err = report.WriteSARIF(out)
			default:
				err = report.WriteText(out)
			}

			if err != nil {
				return err
			}

			if report.Failed() {
				return &exitError{exitFailure, fmt.Errorf("check: %s: %d mandatory finding(s)",
					report.Target, report.Summary().Mandatory)}
			}

			return nil
		},
	}

	flags.register(cmd)
	cmd.Flags().StringVar(&state, "state", "", "check the `FILE` a pulumi stack export "+
		"wrote instead of rendering a stack")
	cmd.Flags().StringVar(&policyConfig, "policy-config", "", "policy configuration `FILE`, the "+
		"JSON that pulumi preview --policy-pack-config takes, to override enforcement levels")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the findings as JSON")
	cmd.Flags().BoolVar(&asSARIF, "sarif", false,
		"print the findings as SARIF 2.1.0 for code scanning")

	return cmd
}

func loadLevels(path string) (map[string]rules.Level, error) {
	if path == "" {
		return nil, nil
	}

	levels, err := check.LoadLevels(path, rules.All())
	if err != nil {
		return nil, &exitError{exitInvalidConfig, err}
	}

	return levels, nil
}

// checkTarget renders the stack, or reads the state document, and runs every rule over it.
func checkTarget(flags *stackFlags, state string,
	levels map[string]rules.Level,
) (check.Report, error) {
	if state != "" {
		if flags.stack != "" {
			return check.Report{}, &exitError{
				exitInvalidConfig,
				errors.New("--stack and --state exclude each other: check a render or a state document"),
			}
		}

		return checkState(state, levels)
	}

	res, err := flags.render()
	if err != nil {
		return check.Report{}, err
	}

	dep, err := check.FromRender(res)
	if err != nil {
		return check.Report{}, err
	}

	return check.Run("stack "+flags.stack, stackArtifact(flags), dep, rules.All(), levels), nil
}

func checkState(path string, levels map[string]rules.Level) (check.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return check.Report{}, &exitError{exitInvalidConfig, fmt.Errorf("check: --state: %w", err)}
	}
	defer f.Close()

	dep, err := check.ReadDeployment(f)
	if err != nil {
		return check.Report{}, &exitError{exitInvalidConfig, fmt.Errorf("%s: %w", path, err)}
	}

	return check.Run(path, filepath.ToSlash(path), dep, rules.All(), levels), nil
}

// stackArtifact is the stack's configuration file, relative to the working directory where it
// can be, for code scanning to point at.
func stackArtifact(flags *stackFlags) string {
	name := "Pulumi." + flags.stack + ".yaml"

	dir, err := render.ProjectDir(flags.dir)
	if err != nil {
		return name
	}

	wd, err := os.Getwd()
	if err != nil {
		return name
	}

	rel, err := filepath.Rel(wd, filepath.Join(dir, name))
	if err != nil {
		return name
	}

	return filepath.ToSlash(rel)
}
