// Package render runs the crucible program offline: the real program, on a stack's real
// configuration, against the in-process AWS stand-in of package mockcloud.
//
// It needs no cloud account, no Pulumi CLI and no language host. It produces what a deployment
// would record: every resource with its inputs, computed outputs, parent, dependencies and
// resource options, as a document shaped like the deployment of `pulumi stack export` (version
// 3), plus the stack outputs. The tests, `crucible render` and `crucible check` all use it.
//
// It refuses to guess: a secret it cannot decrypt stays "[secret]", and an unknown resource type
// or invoke fails the render.
package render
