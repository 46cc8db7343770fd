// Package evals runs one Pulumi stack per evaluation on the Automation API: `crucible eval up`,
// list, connect, revoke, down and reap. Each evaluation is the sandbox program as an inline
// program in a workspace directory of its own, guarded by a per-evaluation lock file.
//
// It refuses to start work it cannot finish safely: an evaluation id with no usable characters,
// a TTL outside its bounds, a base stack with secret values it cannot copy, a missing passphrase,
// and a second operation on an evaluation that another one holds. It never deletes a stack whose
// update failed; only `down` removes one, and only after its resources are destroyed.
package evals
