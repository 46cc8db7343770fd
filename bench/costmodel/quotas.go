package costmodel

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/crucible-sandbox/crucible/bench"
)

// Scopes are the things a quota can be counted per, in the words AWS's quota tables use.
var Scopes = []string{
	"account", "region", "availability_zone", "vpc", "network_interface", "security_group",
	"nat_gateway", "role",
}

var quotaCodePattern = regexp.MustCompile(`^L-[0-9A-F]{8}$`)

// Adjustability says whether AWS lets an account raise a quota, as far as the source says.
type Adjustability int

const (
	// AdjustabilityUnstated means the source does not say; the entry's note explains.
	AdjustabilityUnstated Adjustability = iota
	// Adjustable means an increase can be requested.
	Adjustable
	// NotAdjustable means the source says the quota cannot be raised.
	NotAdjustable
)

func (a Adjustability) String() string {
	switch a {
	case Adjustable:
		return "adjustable"
	case NotAdjustable:
		return "not adjustable"
	default:
		return "adjustability not stated"
	}
}

// Quota is one AWS default quota: how many of what, counted per what, and where it was read.
type Quota struct {
	// ID names the quota in lookups, for example "vpcs_per_region".
	ID string
	// Service is the AWS service that enforces it, in AWS's words.
	Service string
	// Description names the quota as AWS's table does.
	Description string
	// Value is the default quota; zero only with a note saying why.
	Value int64
	// Adjustable says whether an increase can be requested.
	Adjustable Adjustability
	// Scope is what the quota is counted per; one of Scopes.
	Scope string
	// QuotaCode is the Service Quotas code ("L-" and eight characters) when the source gives one.
	QuotaCode string
	// Source is the AWS page the number belongs to.
	Source string
	// ReadVia is the copy actually read when it was not Source itself; empty otherwise.
	ReadVia string
	// Note records caveats: maximums, page versions, how the quota interacts with others.
	Note string
}

// QuotaTable is the validated table of AWS default quotas.
type QuotaTable struct {
	// Retrieved is the day the sources were read.
	Retrieved time.Time

	items []Quota
	byID  map[string]int
}

// Items returns every quota in table order.
func (t QuotaTable) Items() []Quota { return slices.Clone(t.items) }

// Lookup returns the quota with the given id.
func (t QuotaTable) Lookup(id string) (Quota, error) {
	i, ok := t.byID[id]
	if !ok {
		return Quota{}, fmt.Errorf("costmodel: no quota with id %q in the quota table", id)
	}

	return t.items[i], nil
}

var loadQuotas = sync.OnceValues(func() (QuotaTable, error) {
	data, err := bench.Files.ReadFile("quotas.json")
	if err != nil {
		return QuotaTable{}, fmt.Errorf("costmodel: reading embedded bench/quotas.json: %w", err)
	}

	return parseQuotas("bench/quotas.json", data)
})

// Quotas returns the committed quota table (bench/quotas.json), parsed and validated once.
func Quotas() (QuotaTable, error) { return loadQuotas() }

// ParseQuotas parses and validates a quota table document. It reports every problem it finds.
func ParseQuotas(data []byte) (QuotaTable, error) { return parseQuotas("quota table", data) }

type quotaDocument struct {
	Retrieved string            `json:"retrieved"`
	Items     []json.RawMessage `json:"items"`
}

type quotaItem struct {
	ID          string   `json:"id"`
	Service     string   `json:"service"`
	Description string   `json:"description"`
	Value       *float64 `json:"value"`
	Adjustable  *bool    `json:"adjustable"`
	Scope       string   `json:"scope"`
	QuotaCode   string   `json:"quota_code"`
	Source      string   `json:"source"`
	ReadVia     string   `json:"read_via"`
	Note        string   `json:"note"`
}

func parseQuotas(document string, data []byte) (QuotaTable, error) {
	var doc quotaDocument
	if err := decodeStrict(data, &doc); err != nil {
		return QuotaTable{}, invalidJSON(document, err)
	}

	p := &problems{}
	table := QuotaTable{byID: map[string]int{}}
	table.Retrieved = checkRetrieved(p, doc.Retrieved)

	if len(doc.Items) == 0 {
		p.add("items is empty: a quota table needs at least one quota")
	}

	seen := map[string]int{}
	for i, raw := range doc.Items {
		if quota, ok := parseQuota(p, i, raw, seen); ok {
			table.byID[quota.ID] = len(table.items)
			table.items = append(table.items, quota)
		}
	}

	if err := p.err(document); err != nil {
		return QuotaTable{}, err
	}

	return table, nil
}

// parseQuota checks one item; ok is false when the item has a problem.
func parseQuota(p *problems, index int, raw json.RawMessage, seen map[string]int) (Quota, bool) {
	before := len(p.list)

	var item quotaItem
	if err := decodeStrict(raw, &item); err != nil {
		p.add("%s: %v", itemName(index, peekID(raw)), err)
		return Quota{}, false
	}

	name := itemName(index, item.ID)
	checkCommon(p, name, item.ID, item.Source, item.ReadVia, seen, index)
	requireText(p, name, "service", item.Service)
	requireText(p, name, "description", item.Description)
	checkAmount(p, name, "value", item.Value, item.Note)

	if item.Value != nil && *item.Value != math.Trunc(*item.Value) {
		p.add("%s: value %v is not a whole number; a quota counts resources", name, *item.Value)
	}

	if !slices.Contains(Scopes, item.Scope) {
		p.add("%s: scope %q is not one of %s", name, item.Scope, strings.Join(Scopes, ", "))
	}

	if item.QuotaCode != "" && !quotaCodePattern.MatchString(item.QuotaCode) {
		p.add("%s: quota_code %q is not a Service Quotas code such as L-F678F1CE", name,
			item.QuotaCode)
	}

	if item.Adjustable == nil && strings.TrimSpace(item.Note) == "" {
		p.add("%s: adjustable is missing, so a note must say that the source does not state it",
			name)
	}

	if len(p.list) > before {
		return Quota{}, false
	}

	return Quota{
		ID:          item.ID,
		Service:     item.Service,
		Description: item.Description,
		Value:       int64(*item.Value),
		Adjustable:  adjustability(item.Adjustable),
		Scope:       item.Scope,
		QuotaCode:   item.QuotaCode,
		Source:      item.Source,
		ReadVia:     item.ReadVia,
		Note:        item.Note,
	}, true
}

func adjustability(recorded *bool) Adjustability {
	switch {
	case recorded == nil:
		return AdjustabilityUnstated
	case *recorded:
		return Adjustable
	default:
		return NotAdjustable
	}
}
