// Command scale measures what one evaluation costs in each mode, from the offline render of the
// real program: resources by type, idle cost from bench/prices.json, the AWS default quota that
// binds first (bench/quotas.json), and the render time of 1 and 50 evaluation stacks against one
// platform. It prints Markdown for docs/scale.md. It refuses to invent a price: a resource kind
// without a sourced price is listed as unpriced, with the reason.
//
// Run from the repository root: go run ./bench/cmd/scale
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/crucible-sandbox/crucible/bench/costmodel"
	"github.com/crucible-sandbox/crucible/internal/render"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

// renders holds the three renders the measurements read.
type renders struct {
	standalone, platform, evaluation *render.Result
	outputs                          map[string]any
}

func load(stack string, overrides ...string) (*render.StackConfig, error) {
	cfg, err := render.LoadStack(".", "dev")
	if err != nil {
		return nil, err
	}

	for _, o := range overrides {
		if err := cfg.Set(o); err != nil {
			return nil, err
		}
	}

	cfg.Stack = stack

	return cfg, nil
}

func renderAll() (*renders, error) {
	standalone, err := renderStack("dev")
	if err != nil {
		return nil, err
	}

	platform, err := renderStack("platform", "role=platform")
	if err != nil {
		return nil, err
	}

	raw, err := json.Marshal(platform.Outputs)
	if err != nil {
		return nil, err
	}

	var outputs map[string]any
	if err := json.Unmarshal(raw, &outputs); err != nil {
		return nil, err
	}

	evaluation, err := renderEvaluation("eval-1", outputs)
	if err != nil {
		return nil, err
	}

	return &renders{standalone, platform, evaluation, outputs}, nil
}

func renderStack(stack string, overrides ...string) (*render.Result, error) {
	cfg, err := load(stack, overrides...)
	if err != nil {
		return nil, err
	}

	return render.Render(cfg)
}

func renderEvaluation(stack string, platform map[string]any) (*render.Result, error) {
	cfg, err := load(stack, "role=evaluation", "platformStack=platform")
	if err != nil {
		return nil, err
	}

	return render.Render(cfg, render.WithPlatformOutputs(platform))
}

// counts are a render's cloud resources by type.
func counts(res *render.Result) map[string]int {
	out := map[string]int{}

	for _, r := range res.Resources {
		if !r.Custom || r.Type == render.StackReferenceType {
			continue
		}

		typ := r.Type
		if kind, ok := r.Get("vpcEndpointType").(string); ok {
			typ += "/" + kind
		}

		out[typ]++
	}

	return out
}

func run(w io.Writer) error {
	r, err := renderAll()
	if err != nil {
		return err
	}

	modes := []struct {
		name string
		c    map[string]int
	}{
		{"standalone (per evaluation)", counts(r.standalone)},
		{"platform (once, shared)", counts(r.platform)},
		{"evaluation (per evaluation)", counts(r.evaluation)},
	}

	fmt.Fprintln(w, "### Resources by type")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| type | "+modes[0].name+" | "+modes[1].name+" | "+modes[2].name+" |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")

	types := map[string]bool{}
	for _, m := range modes {
		for t := range m.c {
			types[t] = true
		}
	}

	totals := make([]int, len(modes))
	for _, t := range slices.Sorted(maps.Keys(types)) {
		fmt.Fprintf(w, "| `%s` | %d | %d | %d |\n", t, modes[0].c[t], modes[1].c[t], modes[2].c[t])

		for i, m := range modes {
			totals[i] += m.c[t]
		}
	}

	fmt.Fprintf(w, "| **total** | %d | %d | %d |\n\n", totals[0], totals[1], totals[2])

	if err := writeCost(w, modes[0].c, modes[1].c, modes[2].c); err != nil {
		return err
	}

	if err := writeQuotas(w, r); err != nil {
		return err
	}

	return writeRenderTimes(w, r.outputs)
}

// priced says how a resource type is charged while idle: a price id of bench/prices.json with
// the quantity per resource, or why it has no price.
type priced struct {
	priceID  string
	unpriced string
}

var idlePrices = map[string]priced{
	"aws:kms/key:Key": {priceID: "kms_customer_managed_key_month"},
	"aws:ec2/vpcEndpoint:VpcEndpoint/Interface": {unpriced: "prices.json records only the " +
		"per-GB data charge of interface endpoints; the hourly charge has no sourced price"},
	"aws:ec2/vpcEndpoint:VpcEndpoint/Gateway": {priceID: "vpc_gateway_endpoint"},
	"aws:ec2/natGateway:NatGateway":           {unpriced: "no sourced NAT gateway price in prices.json"},
	"aws:ec2/eip:Eip":                         {unpriced: "no sourced public IPv4 price in prices.json"},
	"aws:ec2/instance:Instance": {unpriced: "the instance itself; no sourced EC2 price in " +
		"prices.json (and the issue counts cost beyond the instance)"},
	"aws:cloudwatch/logGroup:LogGroup": {unpriced: "idle log groups store nothing new; no " +
		"sourced CloudWatch Logs storage price in prices.json"},
	"aws:s3/bucketV2:BucketV2": {unpriced: "an empty bucket; no sourced S3 storage price in " +
		"prices.json"},
	"aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation": {
		unpriced: "no sourced Route 53 Resolver DNS Firewall price in prices.json",
	},
	"aws:ssm/document:Document": {unpriced: "no sourced SSM document price in prices.json"},
}

func writeCost(w io.Writer, standalone, platform, evaluation map[string]int) error {
	prices, err := costmodel.Prices()
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "### Idle cost per month (%s list prices, %s, read %s)\n\n", prices.Region,
		prices.Currency, prices.Retrieved.Format("2006-01-02"))
	fmt.Fprintln(w, "| mode | priced total | priced items | unpriced |")
	fmt.Fprintln(w, "|---|---:|---|---|")

	for _, m := range []struct {
		name string
		c    map[string]int
	}{
		{"standalone, per evaluation", standalone},
		{"platform, once", platform},
		{"evaluation, per evaluation", evaluation},
	} {
		total := 0.0

		var items, unpriced []string

		for _, kind := range slices.Sorted(maps.Keys(idlePrices)) {
			n := m.c[kind]
			if n == 0 {
				continue
			}

			p := idlePrices[kind]
			if p.priceID == "" {
				unpriced = append(unpriced, fmt.Sprintf("%d × `%s`: unpriced: %s", n,
					kind, p.unpriced))

				continue
			}

			price, err := prices.Lookup(p.priceID)
			if err != nil {
				return err
			}

			total += float64(n) * price.USD
			items = append(items, fmt.Sprintf("%d × %s at $%.2f/%s", n, p.priceID, price.USD,
				price.Unit))
		}

		fmt.Fprintf(w, "| %s | $%.2f | %s | %s |\n", m.name, total, strings.Join(items, "; "),
			strings.Join(unpriced, "; "))
	}

	fmt.Fprintln(w)

	return nil
}

func writeRenderTimes(w io.Writer, outputs map[string]any) error {
	timeRenders := func(n int) (time.Duration, error) {
		start := time.Now()

		for i := range n {
			if _, err := renderEvaluation(fmt.Sprintf("eval-%d", i+1), outputs); err != nil {
				return 0, err
			}
		}

		return time.Since(start), nil
	}

	// One untimed render warms the process (type registration, first allocations).
	if _, err := timeRenders(1); err != nil {
		return err
	}

	one, err := timeRenders(1)
	if err != nil {
		return err
	}

	fifty, err := timeRenders(50)
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "### Offline render time (50 evaluation stacks rendered one after another "+
		"against one platform's outputs, one process)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| evaluation hosts | wall time | per host | ratio to 1 host |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|")
	fmt.Fprintf(w, "| 1 | %s | %s | 1.0 |\n", one.Round(time.Millisecond),
		one.Round(time.Millisecond))
	fmt.Fprintf(w, "| 50 | %s | %s | %.1f |\n\n", fifty.Round(time.Millisecond),
		(fifty / 50).Round(time.Millisecond), float64(fifty)/float64(one))

	return nil
}
