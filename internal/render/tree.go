package render

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteTree prints the resource tree, one resource a line with its type and name, children
// indented under their parent, then the stack outputs.
func WriteTree(w io.Writer, r *Result) error {
	children := map[string][]*Resource{}
	for _, res := range r.Resources[1:] {
		children[res.Parent] = append(children[res.Parent], res)
	}

	for _, list := range children {
		slices.SortFunc(list, func(a, b *Resource) int {
			return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Name, b.Name))
		})
	}

	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\tNAME")

	var walk func(res *Resource, prefix string, last, top bool)
	walk = func(res *Resource, prefix string, last, top bool) {
		branch, next := "", ""
		if !top {
			branch, next = "├─ ", "│  "
			if last {
				branch, next = "└─ ", "   "
			}
		}

		fmt.Fprintf(tw, "%s%s%s\t%s\n", prefix, branch, res.Type, res.Name)

		kids := children[res.URN]
		for i, k := range kids {
			walk(k, prefix+next, i == len(kids)-1, false)
		}
	}
	walk(r.Resources[0], "", true, true)

	fmt.Fprintf(tw, "\n%d resources\n\nOUTPUT\tVALUE\n", len(r.Resources))

	names := make([]string, 0, len(r.Outputs))
	for k := range r.Outputs {
		names = append(names, k)
	}

	slices.Sort(names)

	for _, k := range names {
		fmt.Fprintf(tw, "%s\t%s\n", k, outputText(r.Document().Outputs[k]))
	}

	if err := tw.Flush(); err != nil {
		return err
	}

	for _, warning := range r.Warnings {
		fmt.Fprintln(w, "\nwarning: "+warning)
	}

	return nil
}

func outputText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}

	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}

	return strings.TrimSpace(string(b))
}
