package forensicstest

import (
	"os"
	"testing"
)

// requireAll is set by CI: a service a test needs must be there, and its absence fails the test.
func requireAll() bool {
	return os.Getenv("CRUCIBLE_REQUIRE_ALL") == "1"
}

func missing(t testing.TB, what, howTo string) {
	t.Helper()
	if requireAll() {
		t.Fatalf("%s is required (CRUCIBLE_REQUIRE_ALL=1) but missing: %s", what, howTo)
	}
	t.Skipf("%s is missing; %s (CI sets CRUCIBLE_REQUIRE_ALL=1 and runs this test)", what, howTo)
}

// MotoEndpoint returns the moto_server endpoint the test script started, or skips the test
// (fails it under CRUCIBLE_REQUIRE_ALL=1).
func MotoEndpoint(t testing.TB) string {
	t.Helper()
	endpoint := os.Getenv("CRUCIBLE_MOTO_ENDPOINT")
	if endpoint == "" {
		missing(t, "moto_server (CRUCIBLE_MOTO_ENDPOINT)",
			"run `export CRUCIBLE_MOTO_ENDPOINT=$(scripts/start-moto)` and stop it with "+
				"scripts/stop-moto")
	}
	return endpoint
}

// Chromium returns the chromium binary (CRUCIBLE_CHROMIUM, default /usr/bin/chromium), or skips
// the test (fails it under CRUCIBLE_REQUIRE_ALL=1).
func Chromium(t testing.TB) string {
	t.Helper()
	path := os.Getenv("CRUCIBLE_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	info, err := os.Stat(path) //nolint:gosec // the path is the operator's CRUCIBLE_CHROMIUM
	if err != nil || info.IsDir() {
		missing(t, "chromium at "+path, "install it with scripts/install-chromium or set "+
			"CRUCIBLE_CHROMIUM")
	}
	return path
}
