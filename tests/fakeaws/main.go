// Command fakeaws is a test-only stand-in for the pulumi-aws provider plugin, so end-to-end tests
// run the real Pulumi engine against a file backend without an AWS account or network.
//
// It serves the resource provider gRPC interface and answers every resource and invoke from
// internal/mockcloud, the same AWS stand-in the in-process render uses, so the engine and the
// render see identical computed fields. It refuses anything mockcloud does not know: an unknown
// invoke token or resource type fails the deployment instead of inventing an answer.
//
// Install it into a PULUMI_HOME with:
//
//	pulumi plugin install resource aws v6.83.4 --file <binary>
//
// It is never shipped: nothing outside tests/ and internal/enginetest uses it.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func main() {
	serve := func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		p, err := newProviderFromEnv()
		if err != nil {
			return nil, err
		}
		return plugin.NewProviderServer(p), nil
	}
	if err := provider.Main(providerName, serve); err != nil {
		fmt.Fprintf(os.Stderr, "fakeaws: %v\n", err)
		os.Exit(1)
	}
}
