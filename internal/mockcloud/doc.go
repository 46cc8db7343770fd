// Package mockcloud is the project's in-process stand-in for AWS.
//
// It answers what the Pulumi engine would get from the AWS provider: for each resource type the
// program uses, the computed fields a real create returns (ids, ARNs, autonamed names), and for
// each invoke the program makes, a plausible answer. The offline render, the tests and the
// stand-in provider plugin of the end-to-end tests all use it, so there is one fake AWS.
//
// It refuses what it does not know: an unmodelled resource type or invoke token is an error that
// names it, never a silent generic answer, so a program change cannot pass the tests on a guess.
// Answers are derived from the resource's type and name, so they are the same on every run.
package mockcloud
