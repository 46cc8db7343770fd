package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/crucible-sandbox/crucible/internal/forensics"
)

func TestPageListsRewrittenTranscripts(t *testing.T) {
	tl := hostileTimeline(t)
	for i := range tl.Sources {
		if tl.Sources[i].Source == forensics.SourceTranscripts {
			tl.Sources[i].Rewritten = []forensics.Rewritten{
				{Location: "s3://b/t/x.log", Versions: 3, DeleteMarkers: 1, Deleted: true},
			}
		}
	}
	h, err := NewHandler(tl, []string{"127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, h, http.MethodGet, "/", "127.0.0.1:8080")
	want := `<tr class="malformed rewritten"><td></td><td colspan="6">rewritten: ` +
		`<code>s3://b/t/x.log</code>: 3 versions, 1 delete markers, deleted ` +
		`(audit export keeps each version)</td></tr>`
	if !strings.Contains(body, want) {
		t.Fatalf("page lacks %q", want)
	}
}
