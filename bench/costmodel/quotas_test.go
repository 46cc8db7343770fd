package costmodel

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCommittedQuotaTableParsesAndValidates(t *testing.T) {
	table, err := Quotas()
	require.NoError(t, err, "bench/quotas.json must pass its own validation")

	assert.Equal(t, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), table.Retrieved)
	assert.Len(t, table.Items(), 25)
}

func TestQuotaLookupReturnsTheRecordedValues(t *testing.T) {
	table, err := Quotas()
	require.NoError(t, err)

	cases := []struct {
		id         string
		value      int64
		adjustable Adjustability
		scope      string
		code       string
	}{
		{"vpcs_per_region", 5, Adjustable, "region", "L-F678F1CE"},
		{"interface_endpoints_per_vpc", 50, Adjustable, "vpc", ""},
		{"security_groups_per_network_interface", 5, Adjustable, "network_interface", "L-2AFB9258"},
		{"iam_roles_per_account", 1000, Adjustable, "account", ""},
		{"kms_customer_managed_keys_per_region", 100000, Adjustable, "region", ""},
		{"gateway_endpoints_per_vpc", 255, NotAdjustable, "vpc", ""},
		{"resolver_query_log_configs_per_region", 20, AdjustabilityUnstated, "region", ""},
	}

	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			quota, err := table.Lookup(c.id)
			require.NoError(t, err)

			assert.Equal(t, c.value, quota.Value)
			assert.Equal(t, c.adjustable, quota.Adjustable, "adjustable is %s", quota.Adjustable)
			assert.Equal(t, c.scope, quota.Scope)
			assert.Equal(t, c.code, quota.QuotaCode)
		})
	}
}

func TestLookupOfAnUnknownQuotaNamesTheID(t *testing.T) {
	table, err := Quotas()
	require.NoError(t, err)

	_, err = table.Lookup("ssm_documents_per_account")
	require.EqualError(t, err,
		`costmodel: no quota with id "ssm_documents_per_account" in the quota table`)
}

// quotaDoc wraps raw item objects in an otherwise valid quota table document.
func quotaDoc(items ...string) []byte {
	return []byte(`{"retrieved":"2026-12-03","items":[` + strings.Join(items, ",") + `]}`)
}

const quotaSource = `"source":` +
	`"https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html"`

func TestMalformedQuotaTablesAreRejectedNamingTheItem(t *testing.T) {
	cases := []struct {
		name string
		doc  []byte
		want string
	}{
		{
			name: "bad JSON",
			doc:  []byte(`{"retrieved":"2026-12-03","items":[{]}`),
			want: "costmodel: quota table: invalid JSON: invalid character ']' looking for " +
				"beginning of object key string",
		},
		{
			name: "missing source",
			doc: quotaDoc(`{"id":"vpcs_per_region","service":"VPC","description":"d","value":5,` +
				`"adjustable":true,"scope":"region"}`),
			want: `costmodel: quota table: item 1 "vpcs_per_region": source "" must start with ` +
				`https://docs.aws.amazon.com/ or https://aws.amazon.com/`,
		},
		{
			name: "negative value",
			doc: quotaDoc(`{"id":"vpcs_per_region","service":"VPC","description":"d","value":-5,` +
				`"adjustable":true,"scope":"region",` + quotaSource + `}`),
			want: `costmodel: quota table: item 1 "vpcs_per_region": value -5 is negative`,
		},
		{
			name: "fractional value",
			doc: quotaDoc(`{"id":"vpcs_per_region","service":"VPC","description":"d","value":5.5,` +
				`"adjustable":true,"scope":"region",` + quotaSource + `}`),
			want: `costmodel: quota table: item 1 "vpcs_per_region": value 5.5 is not a whole number; ` +
				`a quota counts resources`,
		},
		{
			name: "unknown scope",
			doc: quotaDoc(`{"id":"vpcs_per_region","service":"VPC","description":"d","value":5,` +
				`"adjustable":true,"scope":"planet",` + quotaSource + `}`),
			want: `costmodel: quota table: item 1 "vpcs_per_region": scope "planet" is not one of ` +
				`account, region, availability_zone, vpc, network_interface, security_group, ` +
				`nat_gateway, role`,
		},
		{
			name: "malformed quota code",
			doc: quotaDoc(`{"id":"vpcs_per_region","service":"VPC","description":"d","value":5,` +
				`"adjustable":true,"scope":"region","quota_code":"F678F1CE",` + quotaSource + `}`),
			want: `costmodel: quota table: item 1 "vpcs_per_region": quota_code "F678F1CE" is not a ` +
				`Service Quotas code such as L-F678F1CE`,
		},
		{
			name: "adjustability neither recorded nor explained",
			doc: quotaDoc(`{"id":"vpcs_per_region","service":"VPC","description":"d","value":5,` +
				`"scope":"region",` + quotaSource + `}`),
			want: `costmodel: quota table: item 1 "vpcs_per_region": adjustable is missing, so a note ` +
				`must say that the source does not state it`,
		},
		{
			name: "unknown field",
			doc: quotaDoc(`{"id":"vpcs_per_region","service":"VPC","description":"d","default":5,` +
				`"adjustable":true,"scope":"region",` + quotaSource + `}`),
			want: `costmodel: quota table: item 1 "vpcs_per_region": json: unknown field "default"`,
		},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseQuotas(c.doc)
			require.EqualError(t, err, c.want)
		})
	}
}
