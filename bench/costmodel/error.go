package costmodel

import (
	"fmt"
	"strings"
)

// Error lists every problem found in one table; each problem names the entry it is about.
type Error struct {
	// Document names the table: the embedded file, or "price table"/"quota table" for bytes
	// passed to ParsePrices or ParseQuotas.
	Document string
	Problems []string
}

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return fmt.Sprintf("costmodel: %s: %s", e.Document, e.Problems[0])
	}

	return fmt.Sprintf("costmodel: %s: %d problems:\n  %s", e.Document, len(e.Problems),
		strings.Join(e.Problems, "\n  "))
}

// problems collects the faults of one document in the order they are found.
type problems struct {
	list []string
}

func (p *problems) add(format string, args ...any) {
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

func (p *problems) err(document string) error {
	if len(p.list) == 0 {
		return nil
	}

	return &Error{Document: document, Problems: p.list}
}

// invalidJSON reports a document that does not decode at all.
func invalidJSON(document string, err error) error {
	return &Error{Document: document, Problems: []string{"invalid JSON: " + err.Error()}}
}
