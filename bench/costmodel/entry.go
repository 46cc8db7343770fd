package costmodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"time"
)

// RetrievedLayout is the layout of the dates the tables record: the day the sources were read.
const RetrievedLayout = "2006-01-02"

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// sourcePrefixes are the only places a recorded number may come from: AWS's documentation and
// AWS's own site (pricing pages, blogs, announcements). A copy read elsewhere goes in read_via.
var sourcePrefixes = []string{"https://docs.aws.amazon.com/", "https://aws.amazon.com/"}

// decodeStrict decodes exactly one JSON value into v, refusing unknown fields and trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()

	if err := dec.Decode(v); err != nil {
		return err
	}

	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the top-level object")
	}

	return nil
}

// itemName names an item in messages: its position (from 1, as a reader counts) and its id.
func itemName(index int, id string) string {
	if id == "" {
		return fmt.Sprintf("item %d (no id)", index+1)
	}

	return fmt.Sprintf("item %d %q", index+1, id)
}

// peekID reads an item's id without judging the rest, so a malformed item is still named.
func peekID(raw json.RawMessage) string {
	var withID struct {
		ID string `json:"id"`
	}

	if json.Unmarshal(raw, &withID) != nil {
		return ""
	}

	return withID.ID
}

// checkRetrieved parses the table's retrieval date.
func checkRetrieved(p *problems, value string) time.Time {
	if value == "" {
		p.add("retrieved is required: the date the sources were read, as %s", RetrievedLayout)
		return time.Time{}
	}

	day, err := time.Parse(RetrievedLayout, value)
	if err != nil {
		p.add("retrieved %q is not a date in the form %s", value, RetrievedLayout)
		return time.Time{}
	}

	return day
}

// checkCommon checks what every entry of either table needs: an id that is well formed and
// unique, a source AWS publishes, and, when the number was read on a copy, where that copy is.
func checkCommon(p *problems, name, id, source, readVia string, seen map[string]int, index int) {
	switch {
	case id == "":
		p.add("%s: id is required", name)
	case !idPattern.MatchString(id):
		p.add("%s: id must be lower case letters, digits and underscores, starting with a letter",
			name)
	default:
		if first, dup := seen[id]; dup {
			p.add("%s: id is already used by item %d", name, first+1)
		} else {
			seen[id] = index
		}
	}

	if !hasSourcePrefix(source) {
		p.add("%s: source %q must start with %s", name, source,
			strings.Join(sourcePrefixes, " or "))
	}

	if readVia != "" && !strings.HasPrefix(readVia, "https://") {
		p.add("%s: read_via %q must be an https:// URL", name, readVia)
	}
}

func hasSourcePrefix(source string) bool {
	for _, prefix := range sourcePrefixes {
		if strings.HasPrefix(source, prefix) {
			return true
		}
	}

	return false
}

// checkAmount enforces the rule shared by prices and quotas: a value must be recorded, must not
// be negative, and may be zero only when a note says why (a free item, for example).
func checkAmount(p *problems, name, field string, value *float64, note string) {
	switch {
	case value == nil:
		p.add("%s: %s is required", name, field)
	case math.IsNaN(*value) || math.IsInf(*value, 0):
		p.add("%s: %s must be a finite number", name, field)
	case *value < 0:
		p.add("%s: %s %v is negative", name, field, *value)
	case *value == 0 && strings.TrimSpace(note) == "":
		p.add("%s: %s is 0, so a note must say why (for example that AWS does not charge for it)",
			name, field)
	}
}

// requireText reports an empty descriptive field.
func requireText(p *problems, name, field, value string) {
	if strings.TrimSpace(value) == "" {
		p.add("%s: %s is required", name, field)
	}
}
