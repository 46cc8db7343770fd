// Package enginetest sets up the real Pulumi engine for end-to-end tests without a cloud: the
// Pulumi CLI built by scripts/build-pulumi-cli, the stand-in AWS provider plugin from
// tests/fakeaws, a file backend and a PULUMI_HOME in temporary directories, and an environment
// that never downloads a plugin or checks for updates.
//
// Every end-to-end test package uses this one harness, so the set-up is written once. When the
// CLI or the plugin is unavailable, the tests skip with a message saying how to enable them;
// with CRUCIBLE_REQUIRE_ALL=1 (set by CI) they fail instead, so CI can never pass by skipping.
package enginetest
