package evals

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// PulumiCLIEnv names a Pulumi CLI to use instead of the one on PATH; it must sit in a bin
// directory (<root>/bin/pulumi), the layout the Automation API expects.
const PulumiCLIEnv = "CRUCIBLE_PULUMI_CLI"

// PulumiCommand finds the Pulumi CLI the Automation API drives: $CRUCIBLE_PULUMI_CLI, else
// pulumi on PATH. The Automation API checks its version.
func PulumiCommand(getenv func(string) string) (auto.PulumiCommand, error) {
	if path := getenv(PulumiCLIEnv); path != "" {
		if filepath.Base(path) != "pulumi" || filepath.Base(filepath.Dir(path)) != "bin" {
			return nil, fmt.Errorf("%s=%s: must name <directory>/bin/pulumi", PulumiCLIEnv, path)
		}
		cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{
			Root: filepath.Dir(filepath.Dir(path)),
		})
		if err != nil {
			return nil, fmt.Errorf("%s=%s: %w", PulumiCLIEnv, path, err)
		}
		return cmd, nil
	}

	if _, err := exec.LookPath("pulumi"); err != nil {
		return nil, errors.New("the Pulumi CLI is not on PATH: `crucible eval` runs the Pulumi " +
			"engine through it; install it (https://www.pulumi.com/docs/install/) or set " +
			PulumiCLIEnv)
	}
	cmd, err := auto.NewPulumiCommand(nil)
	if err != nil {
		return nil, fmt.Errorf("the Pulumi CLI on PATH: %w", err)
	}
	return cmd, nil
}
