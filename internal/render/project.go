package render

import (
	"fmt"
	"os"
	"path/filepath"
)

// ProjectDir returns dir when given, or else the nearest directory at or above the working
// directory that holds Pulumi.yaml.
func ProjectDir(dir string) (string, error) {
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err != nil {
			return "", fmt.Errorf("--cwd %s: no Pulumi.yaml there", dir)
		}

		return dir, nil
	}

	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}

	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "Pulumi.yaml")); err == nil {
			return d, nil
		}

		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no Pulumi.yaml at or above %s; run inside the project or "+
				"pass --cwd", wd)
		}
	}
}
