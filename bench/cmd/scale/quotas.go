package main

import (
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/crucible-sandbox/crucible/bench/costmodel"
)

// quotaUse says how a quota of bench/quotas.json is used: by resources of some types in the
// account or region (they add up over evaluations), or within one VPC or ENI (they do not).
type quotaUse struct {
	id    string
	types []string
	// perVPC quotas are used inside one VPC: the shared VPC of the platform, or each
	// standalone stack's own VPC; they never grow with the number of evaluations.
	perVPC bool
}

var quotaUses = []quotaUse{
	{id: "vpcs_per_region", types: []string{"aws:ec2/vpc:Vpc"}},
	{id: "internet_gateways_per_region", types: []string{"aws:ec2/internetGateway:InternetGateway"}},
	{id: "eips_per_region", types: []string{"aws:ec2/eip:Eip"}},
	{id: "security_groups_per_region", types: []string{"aws:ec2/securityGroup:SecurityGroup"}},
	{id: "gateway_endpoints_per_region", types: []string{"aws:ec2/vpcEndpoint:VpcEndpoint/Gateway"}},
	{id: "iam_roles_per_account", types: []string{"aws:iam/role:Role"}},
	{id: "iam_instance_profiles_per_account", types: []string{"aws:iam/instanceProfile:InstanceProfile"}},
	{id: "iam_customer_managed_policies_per_account", types: []string{"aws:iam/policy:Policy"}},
	{id: "kms_customer_managed_keys_per_region", types: []string{"aws:kms/key:Key"}},
	{id: "cloudwatch_log_groups_per_region", types: []string{"aws:cloudwatch/logGroup:LogGroup"}},
	{id: "s3_general_purpose_buckets_per_account", types: []string{"aws:s3/bucketV2:BucketV2"}},
	{
		id:    "resolver_query_log_configs_per_region",
		types: []string{"aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig"},
	},
	{
		id: "resolver_query_log_config_vpc_associations_per_region",
		types: []string{"aws:route53/resolverQueryLogConfigAssociation:" +
			"ResolverQueryLogConfigAssociation"},
	},
	{
		id:     "interface_endpoints_per_vpc",
		types:  []string{"aws:ec2/vpcEndpoint:VpcEndpoint/Interface"},
		perVPC: true,
	},
}

// vCPUs of the dev stack's instance type (t3.medium: 2 vCPUs), for the On-Demand vCPU quota.
const devInstanceVCPUs = 2

// limit is how many concurrent evaluations a quota allows: fixed is what the platform uses
// once, each what every evaluation adds.
func limit(quota int64, fixed, each int) (int, bool) {
	if each == 0 {
		return math.MaxInt, false
	}

	return int((quota - int64(fixed)) / int64(each)), true
}

type bound struct {
	id          string
	quota       int64
	fixed, each int
	max         int
	grows       bool
}

func writeQuotas(w io.Writer, r *renders) error {
	quotas, err := costmodel.Quotas()
	if err != nil {
		return err
	}

	modes := []struct {
		name         string
		fixed, each  map[string]int
		instanceEach int
	}{
		{"standalone", map[string]int{}, counts(r.standalone), 1},
		{"platform + evaluations", counts(r.platform), counts(r.evaluation), 1},
	}

	fmt.Fprintf(w, "### Default quotas (bench/quotas.json, read %s)\n\n",
		quotas.Retrieved.Format("2006-01-02"))

	for _, m := range modes {
		var bounds []bound

		for _, u := range quotaUses {
			q, err := quotas.Lookup(u.id)
			if err != nil {
				return err
			}

			fixed, each := 0, 0
			for _, t := range u.types {
				fixed += m.fixed[t]
				each += m.each[t]
			}

			if u.perVPC {
				// Inside one VPC: a standalone VPC holds its own endpoints, the platform's
				// holds the shared ones; neither grows with evaluations.
				bounds = append(bounds, bound{u.id, q.Value, fixed + each, 0, math.MaxInt, false})

				continue
			}

			max, grows := limit(q.Value, fixed, each)
			bounds = append(bounds, bound{u.id, q.Value, fixed, each, max, grows})
		}

		vcpu, err := quotas.Lookup("ec2_on_demand_standard_vcpus")
		if err != nil {
			return err
		}

		max, _ := limit(vcpu.Value, 0, m.instanceEach*devInstanceVCPUs)
		bounds = append(bounds, bound{vcpu.ID, vcpu.Value, 0, devInstanceVCPUs, max, true})

		sort.SliceStable(bounds, func(i, j int) bool { return bounds[i].max < bounds[j].max })

		fmt.Fprintf(w, "**%s**\n\n", m.name)
		fmt.Fprintln(w, "| quota | default | used once | used per evaluation | evaluations allowed |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|")

		for _, b := range bounds {
			allowed := "not bound by evaluations"
			if b.grows {
				allowed = fmt.Sprint(b.max)
			}

			fmt.Fprintf(w, "| `%s` | %d | %d | %d | %s |\n", b.id, b.quota, b.fixed, b.each,
				allowed)
		}

		fmt.Fprintln(w)
	}

	return nil
}
