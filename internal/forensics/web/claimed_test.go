package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/crucible-sandbox/crucible/internal/forensics"
	ft "github.com/crucible-sandbox/crucible/internal/forensics/forensicstest"
)

const claimedMarker = `<span class="warn claimed" title="named by records the host itself wrote">` +
	`(claimed)</span>`

func TestPageMarksOperatorsNamedOnlyByTheHostAsClaimed(t *testing.T) {
	e := ft.Scenario(start)
	e.Locations.TrailBucketName = ""
	tl, err := forensics.Collect(context.Background(), ft.NewMemory(e).Clients(),
		forensics.Options{Locations: e.Locations})
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewHandler(tl, []string{"127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}

	res, body := get(t, h, http.MethodGet, "/", "127.0.0.1:8080")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	// Open and close in the session list, then two session rows and three command rows.
	if n := strings.Count(body, claimedMarker); n != 7 {
		t.Fatalf("page shows the claimed marker %d times, want 7:\n%s", n, body)
	}

	_, body = get(t, h, http.MethodGet, "/sessions/0", "127.0.0.1:8080")
	if n := strings.Count(body, claimedMarker); n != 2 {
		t.Fatalf("session page shows the claimed marker %d times, want 2", n)
	}
}

func TestPageMarksSessionsCloudTrailDoesNotKnow(t *testing.T) {
	tl := hostileTimeline(t)
	tl.Sessions[0].Unverified = true
	tl.Sessions[0].ClaimedOwner = ft.OtherPrincipal
	h, err := NewHandler(tl, []string{"127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}

	_, body := get(t, h, http.MethodGet, "/sessions/0", "127.0.0.1:8080")
	want := "unverified: no StartSession in CloudTrail</span>; the host's records claim " +
		"<code>" + ft.OtherPrincipal + "</code>"
	if !strings.Contains(body, want) {
		t.Fatalf("session page lacks %q:\n%s", want, body)
	}
}
