// Package sandbox is the crucible program: it loads the stack's settings once, builds the
// network, identity and host components, wires their outputs together and exports the stack
// outputs. `pulumi up`, the offline render, the checks and the evaluation stacks all run this one
// definition of the infrastructure.
//
// It refuses to register anything when the configuration is invalid: settings are validated as a
// whole before the first resource.
package sandbox
