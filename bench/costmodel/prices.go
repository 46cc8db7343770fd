package costmodel

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/crucible-sandbox/crucible/bench"
)

// Currency is the only currency the price table may use; the model adds prices without
// converting them.
const Currency = "USD"

// Price is one list price: what is charged, per which unit, and where the number was read.
type Price struct {
	// ID names the price in lookups, for example "privatelink_interface_endpoint_gb".
	ID string
	// Service is the AWS service that charges it, in AWS's words.
	Service string
	// Description says exactly what the price covers, including tiers and exclusions.
	Description string
	// Unit is what one USD amount pays for, for example "GB" or "key-month".
	Unit string
	// USD is the list price per unit; zero means AWS does not charge for it (Note says so).
	USD float64
	// Source is the AWS page the number belongs to.
	Source string
	// ReadVia is the copy actually read when it was not Source itself (a mirror or a
	// translation); empty when Source was read directly.
	ReadVia string
	// Note records caveats: page versions older than the retrieval date, what is not included.
	Note string
}

// PriceTable is the validated price table for one Region.
type PriceTable struct {
	// Region is the AWS Region the prices are for.
	Region string
	// Currency is always Currency.
	Currency string
	// Retrieved is the day the sources were read.
	Retrieved time.Time

	items []Price
	byID  map[string]int
}

// Items returns every price in table order.
func (t PriceTable) Items() []Price { return slices.Clone(t.items) }

// Lookup returns the price with the given id.
func (t PriceTable) Lookup(id string) (Price, error) {
	i, ok := t.byID[id]
	if !ok {
		return Price{}, fmt.Errorf("costmodel: no price with id %q in the %s price table", id,
			t.Region)
	}

	return t.items[i], nil
}

var loadPrices = sync.OnceValues(func() (PriceTable, error) {
	data, err := bench.Files.ReadFile("prices.json")
	if err != nil {
		return PriceTable{}, fmt.Errorf("costmodel: reading embedded bench/prices.json: %w", err)
	}

	return parsePrices("bench/prices.json", data)
})

// Prices returns the committed price table (bench/prices.json), parsed and validated once.
func Prices() (PriceTable, error) { return loadPrices() }

// ParsePrices parses and validates a price table document. It reports every problem it finds.
func ParsePrices(data []byte) (PriceTable, error) { return parsePrices("price table", data) }

type priceDocument struct {
	Region    string            `json:"region"`
	Currency  string            `json:"currency"`
	Retrieved string            `json:"retrieved"`
	Items     []json.RawMessage `json:"items"`
}

type priceItem struct {
	ID          string   `json:"id"`
	Service     string   `json:"service"`
	Description string   `json:"description"`
	Unit        string   `json:"unit"`
	USD         *float64 `json:"usd"`
	Source      string   `json:"source"`
	ReadVia     string   `json:"read_via"`
	Note        string   `json:"note"`
}

func parsePrices(document string, data []byte) (PriceTable, error) {
	var doc priceDocument
	if err := decodeStrict(data, &doc); err != nil {
		return PriceTable{}, invalidJSON(document, err)
	}

	p := &problems{}
	table := PriceTable{Region: doc.Region, Currency: doc.Currency, byID: map[string]int{}}

	if doc.Region == "" {
		p.add("region is required: the AWS Region the prices are for, such as us-east-1")
	}

	if doc.Currency != Currency {
		p.add("currency %q is not supported; the only allowed value is %q", doc.Currency, Currency)
	}

	table.Retrieved = checkRetrieved(p, doc.Retrieved)

	if len(doc.Items) == 0 {
		p.add("items is empty: a price table needs at least one price")
	}

	seen := map[string]int{}
	for i, raw := range doc.Items {
		if price, ok := parsePrice(p, i, raw, seen); ok {
			table.byID[price.ID] = len(table.items)
			table.items = append(table.items, price)
		}
	}

	if err := p.err(document); err != nil {
		return PriceTable{}, err
	}

	return table, nil
}

// parsePrice checks one item; ok is false when the item has a problem.
func parsePrice(p *problems, index int, raw json.RawMessage, seen map[string]int) (Price, bool) {
	before := len(p.list)

	var item priceItem
	if err := decodeStrict(raw, &item); err != nil {
		p.add("%s: %v", itemName(index, peekID(raw)), err)
		return Price{}, false
	}

	name := itemName(index, item.ID)
	checkCommon(p, name, item.ID, item.Source, item.ReadVia, seen, index)
	requireText(p, name, "service", item.Service)
	requireText(p, name, "description", item.Description)
	requireText(p, name, "unit", item.Unit)
	checkAmount(p, name, "usd", item.USD, item.Note)

	if len(p.list) > before {
		return Price{}, false
	}

	return Price{
		ID:          item.ID,
		Service:     item.Service,
		Description: item.Description,
		Unit:        item.Unit,
		USD:         *item.USD,
		Source:      item.Source,
		ReadVia:     item.ReadVia,
		Note:        item.Note,
	}, true
}
