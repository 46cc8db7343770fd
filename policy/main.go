// Command policy is Crucible's Pulumi policy pack: `pulumi preview --policy-pack ./policy` runs
// every rule of policy/rules against the real provider's values, as the engine sees them.
//
// The Go language host builds this directory with `go build` when the engine starts the pack, so
// the pack needs the Pulumi CLI, its Go language host (pulumi-language-go) and a Go toolchain, but
// no cloud credentials of its own. It refuses nothing by itself: what fails a preview is the rules'
// mandatory findings; values unknown until deployment are reported as advisory.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

func main() {
	err := policyx.Main(func(*pulumi.Context) (policyx.PolicyPack, error) {
		return newPack(rules.All())
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "crucible policy pack: %v\n", err)
		os.Exit(1)
	}
}
