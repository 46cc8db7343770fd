package forensics

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// awsQueryLogExample is the example record from the Route 53 Resolver query log documentation.
const awsQueryLogExample = `{
	"srcaddr": "4.5.64.102",
	"vpc_id": "vpc-7example",
	"answers": [{"Rdata": "203.0.113.9", "Type": "PTR", "Class": "IN"}],
	"firewall_rule_group_id": "rslvr-frg-01234567890abcdef",
	"firewall_rule_action": "BLOCK",
	"query_name": "15.3.4.32.in-addr.arpa.",
	"firewall_domain_list_id": "rslvr-fdl-01234567890abcdef",
	"query_class": "IN",
	"srcids": {"instance": "i-0d15cd0d3example"},
	"rcode": "NOERROR",
	"query_type": "PTR",
	"transport": "UDP",
	"version": "1.100000",
	"account_id": "111122223333",
	"srcport": "56067",
	"query_timestamp": "2021-02-04T17:51:55Z",
	"region": "us-east-1"
}`

func TestParseQueryLogReadsAWSDocumentedRecord(t *testing.T) {
	e, err := parseQueryLog([]byte(awsQueryLogExample), "i-0d15cd0d3example")
	if err != nil {
		t.Fatal(err)
	}

	want := DNSQuery{
		QueryName: "15.3.4.32.in-addr.arpa.", QueryType: "PTR", RCode: "NOERROR",
		SrcAddr: "4.5.64.102", Instance: "i-0d15cd0d3example", FirewallRuleAction: "BLOCK",
		FirewallRuleGroupID:  "rslvr-frg-01234567890abcdef",
		FirewallDomainListID: "rslvr-fdl-01234567890abcdef",
		Answers:              []string{"PTR 203.0.113.9"},
	}
	if !reflect.DeepEqual(*e.DNS, want) {
		t.Fatalf("query = %+v, want %+v", *e.DNS, want)
	}
	if !e.Time.Equal(time.Date(2021, 2, 4, 17, 51, 55, 0, time.UTC)) {
		t.Fatalf("time = %s, want query_timestamp 2021-02-04T17:51:55Z", e.Time)
	}
	if e.Verdict != "BLOCK" || !e.Blocked {
		t.Fatalf("verdict = %s blocked=%v, want BLOCK blocked", e.Verdict, e.Blocked)
	}
	if e.Rule != "rslvr-frg-01234567890abcdef/rslvr-fdl-01234567890abcdef" {
		t.Fatalf("rule = %q, want rule group / domain list", e.Rule)
	}
}

func TestParseQueryLogWithoutFirewallFieldsIsAllowed(t *testing.T) {
	record := `{"query_timestamp":"2021-02-04T17:51:55Z","query_name":"example.com.",` +
		`"query_type":"A","rcode":"NOERROR","srcids":{"instance":"i-0d15cd0d3example"}}`
	e, err := parseQueryLog([]byte(record), "i-0d15cd0d3example")
	if err != nil {
		t.Fatal(err)
	}
	if e.Verdict != VerdictAllow || e.Blocked || e.Rule != "" {
		t.Fatalf("verdict %s blocked=%v rule=%q; an absent firewall_rule_action means no rule "+
			"matched: ALLOW, not blocked, no rule", e.Verdict, e.Blocked, e.Rule)
	}
}

func TestParseQueryLogRefusesBrokenRecords(t *testing.T) {
	cases := map[string]struct{ record, reason string }{
		"cut in half":        {awsQueryLogExample[:len(awsQueryLogExample)/2], "unexpected end of JSON"},
		"not JSON":           {"<html>", "invalid character"},
		"no timestamp":       {`{"query_name":"a."}`, "without query_name or query_timestamp"},
		"bad timestamp":      {`{"query_name":"a.","query_timestamp":"yesterday"}`, `"yesterday"`},
		"unknown action":     {strings.Replace(awsQueryLogExample, `"BLOCK"`, `"DROP"`, 1), `"DROP"`},
		"wrong field type":   {`{"query_name":5,"query_timestamp":"2021-02-04T17:51:55Z"}`, "cannot unmarshal"},
		"huge garbage array": {"[" + strings.Repeat("1,", 1000) + "1]", "cannot unmarshal array"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parseQueryLog([]byte(c.record), "i-0d15cd0d3example")
			if err == nil || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("error = %v, want one containing %q", err, c.reason)
			}
		})
	}
}

func TestParseQueryLogSetsOtherInstancesApart(t *testing.T) {
	_, err := parseQueryLog([]byte(awsQueryLogExample), "i-0123456789abcdef0")
	if !errors.Is(err, errOtherSource) {
		t.Fatalf("error = %v, want errOtherSource for another instance's query", err)
	}
}
