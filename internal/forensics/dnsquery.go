package forensics

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// queryLogRecord is a Route 53 Resolver query log record as delivered to CloudWatch Logs. The
// firewall fields are absent when no DNS Firewall rule matched the query.
type queryLogRecord struct {
	Version        string `json:"version"`
	AccountID      string `json:"account_id"`
	Region         string `json:"region"`
	VpcID          string `json:"vpc_id"`
	QueryTimestamp string `json:"query_timestamp"`
	QueryName      string `json:"query_name"`
	QueryType      string `json:"query_type"`
	QueryClass     string `json:"query_class"`
	RCode          string `json:"rcode"`
	Answers        []struct {
		Rdata string `json:"Rdata"`
		Type  string `json:"Type"`
		Class string `json:"Class"`
	} `json:"answers"`
	SrcAddr   string `json:"srcaddr"`
	SrcPort   string `json:"srcport"`
	Transport string `json:"transport"`
	SrcIDs    struct {
		Instance         string `json:"instance"`
		ResolverEndpoint string `json:"resolver_endpoint"`
	} `json:"srcids"`
	FirewallRuleAction   string `json:"firewall_rule_action"`
	FirewallRuleGroupID  string `json:"firewall_rule_group_id"`
	FirewallDomainListID string `json:"firewall_domain_list_id"`
}

// errOtherSource marks a well-formed record about something other than the evaluation host.
var errOtherSource = errors.New("record about another source")

// parseQueryLog reads one query log record. A query that a resolver endpoint or another
// instance sent is not the host's and returns errOtherSource.
func parseQueryLog(message []byte, instanceID string) (Event, error) {
	var rec queryLogRecord
	if err := json.Unmarshal(message, &rec); err != nil {
		return Event{}, fmt.Errorf("query log JSON: %w", err)
	}
	if rec.QueryName == "" || rec.QueryTimestamp == "" {
		return Event{}, errors.New("query log record without query_name or query_timestamp")
	}
	at, err := time.Parse(time.RFC3339Nano, rec.QueryTimestamp)
	if err != nil {
		return Event{}, fmt.Errorf("query_timestamp %q: %w", rec.QueryTimestamp, err)
	}
	if rec.SrcIDs.Instance != "" && rec.SrcIDs.Instance != instanceID {
		return Event{}, errOtherSource
	}

	q := DNSQuery{
		QueryName:            rec.QueryName,
		QueryType:            rec.QueryType,
		RCode:                rec.RCode,
		SrcAddr:              rec.SrcAddr,
		Instance:             rec.SrcIDs.Instance,
		FirewallRuleAction:   rec.FirewallRuleAction,
		FirewallRuleGroupID:  rec.FirewallRuleGroupID,
		FirewallDomainListID: rec.FirewallDomainListID,
	}
	for _, a := range rec.Answers {
		q.Answers = append(q.Answers, a.Type+" "+a.Rdata)
	}

	verdict := VerdictAllow
	switch rec.FirewallRuleAction {
	case "", "ALLOW":
	case "BLOCK", "ALERT":
		verdict = rec.FirewallRuleAction
	default:
		return Event{}, fmt.Errorf("firewall_rule_action %q, want ALLOW, ALERT or BLOCK",
			rec.FirewallRuleAction)
	}

	e := Event{
		Time:    at.UTC(),
		Kind:    KindDNS,
		Verdict: verdict,
		Blocked: verdict == VerdictBlock,
		Subject: strings.TrimSpace(rec.QueryName + " " + rec.QueryType + " " + rec.RCode),
		Actor:   rec.SrcAddr,
		DNS:     &q,
	}
	if rec.FirewallRuleGroupID != "" || rec.FirewallDomainListID != "" {
		e.Rule = rec.FirewallRuleGroupID + "/" + rec.FirewallDomainListID
	}
	return e, nil
}
