package forensics

import (
	"fmt"
	"strings"
	"time"
)

// Kind names one family of evidence in the timeline.
type Kind string

// The kinds a timeline holds, in the order they are listed to a reviewer.
const (
	KindSession Kind = "session"
	KindCommand Kind = "command"
	KindDNS     Kind = "dns"
	KindFlow    Kind = "flow"
	KindAPI     Kind = "api"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindSession, KindCommand, KindDNS, KindFlow, KindAPI}

// ParseKinds reads a comma-separated list such as "dns,flow"; an empty list means every kind.
func ParseKinds(list string) ([]Kind, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}

	var kinds []Kind
	for _, part := range strings.Split(list, ",") {
		k := Kind(strings.ToLower(strings.TrimSpace(part)))
		if !k.valid() {
			return nil, fmt.Errorf("--kind: unknown kind %q (allowed: %s)", part, kindNames())
		}
		kinds = append(kinds, k)
	}
	return kinds, nil
}

func (k Kind) valid() bool {
	for _, known := range Kinds {
		if k == known {
			return true
		}
	}
	return false
}

func kindNames() string {
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// Verdicts shown beside an event. Blocked verdicts are the ones --blocked-only keeps.
const (
	VerdictOpen   = "OPEN"
	VerdictClose  = "CLOSE"
	VerdictTyped  = "TYPED"
	VerdictAllow  = "ALLOW"
	VerdictAlert  = "ALERT"
	VerdictBlock  = "BLOCK"
	VerdictAccept = "ACCEPT"
	VerdictReject = "REJECT"
	VerdictOK     = "OK"
	VerdictDenied = "DENIED"
	VerdictError  = "ERROR"
)

// Event is one row of the timeline. Text fields hold the evidence verbatim (possibly hostile);
// presenters must neutralise them. Exactly one of the detail pointers is set, matching Kind.
type Event struct {
	Time    time.Time `json:"time"`
	Kind    Kind      `json:"kind"`
	Verdict string    `json:"verdict"`
	Blocked bool      `json:"blocked"`
	// Subject is the short description a reviewer scans: a command line, a query name, a
	// connection, an API call, a session id.
	Subject string `json:"subject"`
	// Actor is who acted: the IAM principal for sessions and calls, the source address for
	// network evidence.
	Actor string `json:"actor,omitempty"`
	// Claimed marks an Actor taken from evidence the host itself wrote (a session stream's
	// userIdentity): the agent could have put any name there.
	Claimed bool `json:"claimed,omitempty"`
	// Rule is what decided a blocked verdict: the DNS Firewall rule group and domain list, or
	// the API error code.
	Rule string `json:"rule,omitempty"`
	// SessionID ties session and command events to their transcript.
	SessionID string `json:"sessionId,omitempty"`
	// Source says where the evidence lies, e.g. "s3://bucket/key" or "logs:group/stream".
	Source string `json:"source"`

	DNS  *DNSQuery `json:"dns,omitempty"`
	Flow *FlowLog  `json:"flow,omitempty"`
	API  *APICall  `json:"api,omitempty"`
}

// DNSQuery is the part of a Route 53 Resolver query log record the timeline shows.
type DNSQuery struct {
	QueryName            string   `json:"queryName"`
	QueryType            string   `json:"queryType"`
	RCode                string   `json:"rcode"`
	SrcAddr              string   `json:"srcAddr,omitempty"`
	Instance             string   `json:"instance,omitempty"`
	FirewallRuleAction   string   `json:"firewallRuleAction,omitempty"`
	FirewallRuleGroupID  string   `json:"firewallRuleGroupId,omitempty"`
	FirewallDomainListID string   `json:"firewallDomainListId,omitempty"`
	Answers              []string `json:"answers,omitempty"`
}

// FlowLog is one VPC flow log record in the default version-2 format.
type FlowLog struct {
	InterfaceID string    `json:"interfaceId"`
	SrcAddr     string    `json:"srcAddr"`
	DstAddr     string    `json:"dstAddr"`
	SrcPort     int       `json:"srcPort"`
	DstPort     int       `json:"dstPort"`
	Protocol    int       `json:"protocol"`
	Packets     int64     `json:"packets"`
	Bytes       int64     `json:"bytes"`
	End         time.Time `json:"end"`
	Action      string    `json:"action"`
}

// APICall is one CloudTrail record of a call made with the host's role (or a Session Manager
// call that targeted the host).
type APICall struct {
	EventSource     string `json:"eventSource"`
	EventName       string `json:"eventName"`
	ErrorCode       string `json:"errorCode,omitempty"`
	ErrorMessage    string `json:"errorMessage,omitempty"`
	SourceIPAddress string `json:"sourceIPAddress,omitempty"`
	EventID         string `json:"eventID,omitempty"`
}
