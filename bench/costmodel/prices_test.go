package costmodel

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCommittedPriceTableParsesAndValidates(t *testing.T) {
	table, err := Prices()
	require.NoError(t, err, "bench/prices.json must pass its own validation")

	assert.Equal(t, "us-east-1", table.Region)
	assert.Equal(t, "USD", table.Currency)
	assert.Equal(t, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), table.Retrieved)
	assert.Len(t, table.Items(), 7)
}

func TestPriceLookupReturnsTheRecordedValues(t *testing.T) {
	table, err := Prices()
	require.NoError(t, err)

	cases := []struct {
		id, unit, source string
		usd              float64
	}{
		{"kms_customer_managed_key_month", "key-month", "https://aws.amazon.com/kms/pricing/", 1.0},
		{
			"privatelink_interface_endpoint_gb", "GB",
			"https://aws.amazon.com/jp/privatelink/pricing/", 0.01,
		},
		{
			"vpc_gateway_endpoint", "endpoint",
			"https://docs.aws.amazon.com/prescriptive-guidance/latest/aws-startup-security-baseline/" +
				"wkld-12.html", 0,
		},
	}

	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			price, err := table.Lookup(c.id)
			require.NoError(t, err)

			assert.Equal(t, c.usd, price.USD)
			assert.Equal(t, c.unit, price.Unit)
			assert.Equal(t, c.source, price.Source)
		})
	}
}

func TestPriceReadOnACopyRecordsWhereItWasRead(t *testing.T) {
	table, err := Prices()
	require.NoError(t, err)

	price, err := table.Lookup("vpc_core_resources")
	require.NoError(t, err)

	assert.Equal(t, "https://docs.aws.amazon.com/vpc/latest/userguide/what-is-amazon-vpc.html",
		price.Source)
	assert.Equal(t, "https://github.com/awsdocs/amazon-vpc-user-guide/commits/main/doc_source/"+
		"what-is-amazon-vpc.md", price.ReadVia)
}

func TestLookupOfAnUnknownPriceNamesTheID(t *testing.T) {
	table, err := Prices()
	require.NoError(t, err)

	_, err = table.Lookup("nat_gateway_hour")
	require.EqualError(t, err,
		`costmodel: no price with id "nat_gateway_hour" in the us-east-1 price table`)
}

// priceDoc wraps raw item objects in an otherwise valid price table document.
func priceDoc(items ...string) []byte {
	return []byte(`{"region":"us-east-1","currency":"USD","retrieved":"2026-12-03","items":[` +
		strings.Join(items, ",") + `]}`)
}

const goodPrice = `{"id":"kms_key","service":"KMS","description":"one key","unit":"key-month",` +
	`"usd":1,"source":"https://aws.amazon.com/kms/pricing/"}`

func TestAValidPriceDocumentParses(t *testing.T) {
	table, err := ParsePrices(priceDoc(goodPrice))
	require.NoError(t, err)

	price, err := table.Lookup("kms_key")
	require.NoError(t, err)
	assert.Equal(t, 1.0, price.USD)
}

func TestMalformedPriceTablesAreRejectedNamingTheItem(t *testing.T) {
	cases := []struct {
		name string
		doc  []byte
		want string
	}{
		{
			name: "bad JSON",
			doc:  []byte(`{"region":"us-east-1",`),
			want: "costmodel: price table: invalid JSON: unexpected EOF",
		},
		{
			name: "missing source",
			doc: priceDoc(`{"id":"nat_gateway_hour","service":"VPC","description":"d","unit":"hour",` +
				`"usd":0.045}`),
			want: `costmodel: price table: item 1 "nat_gateway_hour": source "" must start with ` +
				`https://docs.aws.amazon.com/ or https://aws.amazon.com/`,
		},
		{
			name: "source outside AWS",
			doc: priceDoc(`{"id":"nat_gateway_hour","service":"VPC","description":"d","unit":"hour",` +
				`"usd":0.045,"source":"https://cloudburn.io/blog/aws-nat-gateway-pricing"}`),
			want: `costmodel: price table: item 1 "nat_gateway_hour": source ` +
				`"https://cloudburn.io/blog/aws-nat-gateway-pricing" must start with ` +
				`https://docs.aws.amazon.com/ or https://aws.amazon.com/`,
		},
		{
			name: "plain http source",
			doc: priceDoc(`{"id":"a","service":"S","description":"d","unit":"u","usd":1,` +
				`"source":"http://aws.amazon.com/kms/pricing/"}`),
			want: `costmodel: price table: item 1 "a": source "http://aws.amazon.com/kms/pricing/" ` +
				`must start with https://docs.aws.amazon.com/ or https://aws.amazon.com/`,
		},
		{
			name: "negative price",
			doc: priceDoc(goodPrice, `{"id":"nat_gateway_gb","service":"VPC","description":"d",`+
				`"unit":"GB","usd":-0.045,"source":"https://aws.amazon.com/vpc/pricing/"}`),
			want: `costmodel: price table: item 2 "nat_gateway_gb": usd -0.045 is negative`,
		},
		{
			name: "free item without a note",
			doc: priceDoc(`{"id":"iam","service":"IAM","description":"d","unit":"entity","usd":0,` +
				`"source":"https://aws.amazon.com/iam/"}`),
			want: `costmodel: price table: item 1 "iam": usd is 0, so a note must say why ` +
				`(for example that AWS does not charge for it)`,
		},
		{
			name: "price not recorded",
			doc: priceDoc(`{"id":"a","service":"S","description":"d","unit":"u",` +
				`"source":"https://aws.amazon.com/s3/pricing/"}`),
			want: `costmodel: price table: item 1 "a": usd is required`,
		},
		{
			name: "item without id",
			doc: priceDoc(`{"service":"S","description":"d","unit":"u","usd":1,` +
				`"source":"https://aws.amazon.com/s3/pricing/"}`),
			want: `costmodel: price table: item 1 (no id): id is required`,
		},
		{
			name: "duplicate id",
			doc:  priceDoc(goodPrice, goodPrice),
			want: `costmodel: price table: item 2 "kms_key": id is already used by item 1`,
		},
		{
			name: "unknown field",
			doc: priceDoc(`{"id":"a","service":"S","description":"d","unit":"u","price":1,` +
				`"source":"https://aws.amazon.com/s3/pricing/"}`),
			want: `costmodel: price table: item 1 "a": json: unknown field "price"`,
		},
		{
			name: "read_via that is not a URL",
			doc: priceDoc(`{"id":"a","service":"S","description":"d","unit":"u","usd":1,` +
				`"source":"https://aws.amazon.com/s3/pricing/","read_via":"a blog"}`),
			want: `costmodel: price table: item 1 "a": read_via "a blog" must be an https:// URL`,
		},
		{
			name: "retrieval date not a date",
			doc: []byte(`{"region":"us-east-1","currency":"USD","retrieved":"3 Dec 2026","items":[` +
				goodPrice + `]}`),
			want: `costmodel: price table: retrieved "3 Dec 2026" is not a date in the form 2006-01-02`,
		},
		{
			name: "another currency",
			doc: []byte(`{"region":"us-east-1","currency":"EUR","retrieved":"2026-12-03","items":[` +
				goodPrice + `]}`),
			want: `costmodel: price table: currency "EUR" is not supported; the only allowed value is "USD"`,
		},
		{
			name: "no items",
			doc:  priceDoc(),
			want: `costmodel: price table: items is empty: a price table needs at least one price`,
		},
		{
			name: "trailing data",
			doc:  append(priceDoc(goodPrice), []byte(`{}`)...),
			want: `costmodel: price table: invalid JSON: unexpected data after the top-level object`,
		},
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePrices(c.doc)
			require.EqualError(t, err, c.want)
		})
	}
}

func TestEveryProblemInAPriceTableIsReportedAtOnce(t *testing.T) {
	doc := priceDoc(
		`{"id":"a","service":"S","description":"d","unit":"u","usd":-1,`+
			`"source":"https://aws.amazon.com/s3/pricing/"}`,
		`{"id":"b","service":"S","description":"d","unit":"u","usd":1,"source":"https://example.com/"}`,
	)

	_, err := ParsePrices(doc)

	var tableErr *Error
	require.ErrorAs(t, err, &tableErr)
	assert.Equal(t, "price table", tableErr.Document)
	assert.Equal(t, []string{
		`item 1 "a": usd -1 is negative`,
		`item 2 "b": source "https://example.com/" must start with https://docs.aws.amazon.com/ ` +
			`or https://aws.amazon.com/`,
	}, tableErr.Problems)
	assert.Equal(t, "costmodel: price table: 2 problems:\n  "+tableErr.Problems[0]+"\n  "+
		tableErr.Problems[1], err.Error())
}
