// Command crucible is the Pulumi program that `pulumi up` runs; see package sandbox.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/crucible-sandbox/crucible/sandbox"
)

func main() {
	pulumi.Run(sandbox.Program)
}
