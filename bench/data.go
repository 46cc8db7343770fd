// Package bench holds the measurement inputs kept in the repository: the AWS price table
// (prices.json) and the AWS default quota table (quotas.json), each entry with its source and the
// date it was read. It embeds both files so that every tool reads exactly the committed copy;
// package costmodel parses and validates them.
package bench

import "embed"

// Files holds prices.json and quotas.json as committed.
//
//go:embed prices.json quotas.json
var Files embed.FS
