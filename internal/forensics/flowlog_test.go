package forensics

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseFlowLogReadsTheDefaultFormat(t *testing.T) {
	line := "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 " +
		"1418530010 1418530070 REJECT OK"
	e, err := parseFlowLog([]byte(line))
	if err != nil {
		t.Fatal(err)
	}

	want := FlowLog{
		InterfaceID: "eni-1235b8ca123456789", SrcAddr: "172.31.9.69", DstAddr: "172.31.9.12",
		SrcPort: 49761, DstPort: 3389, Protocol: 6, Packets: 20, Bytes: 4249,
		End: time.Unix(1418530070, 0).UTC(), Action: "REJECT",
	}
	if *e.Flow != want {
		t.Fatalf("flow = %+v, want %+v", *e.Flow, want)
	}
	if !e.Time.Equal(time.Unix(1418530010, 0)) || e.Kind != KindFlow || e.Verdict != "REJECT" ||
		!e.Blocked {
		t.Fatalf("event = %s %s %s blocked=%v, want the start time, flow, REJECT, blocked",
			e.Time, e.Kind, e.Verdict, e.Blocked)
	}
	if e.Subject != "172.31.9.69:49761 -> 172.31.9.12:3389 TCP" {
		t.Fatalf("subject = %q", e.Subject)
	}
}

func TestParseFlowLogRefusesWhatIsNotARecord(t *testing.T) {
	valid := strings.Fields("2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 100 160 ACCEPT OK")
	with := func(i int, v string) string {
		f := append([]string(nil), valid...)
		f[i] = v
		return strings.Join(f, " ")
	}
	cases := map[string]struct{ line, reason string }{
		"too few fields":     {"2 123 eni-1", "3 fields, want 14"},
		"too many fields":    {strings.Join(valid, " ") + " extra", "more than 14 fields"},
		"custom version":     {with(0, "5"), `version "5", want 2`},
		"port out of range":  {with(6, "70000"), `dstport "70000" is not a port`},
		"negative bytes":     {with(9, "-1"), `bytes "-1" is not a count`},
		"action unknown":     {with(12, "DROP"), `action "DROP"`},
		"status unknown":     {with(13, "WEIRD"), `log-status "WEIRD"`},
		"start not a number": {with(10, "yesterday"), `start "yesterday" is not a Unix time`},
		"empty":              {"", "0 fields, want 14"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parseFlowLog([]byte(c.line))
			if err == nil || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("parseFlowLog(%q) error = %v, want one containing %q", c.line, err, c.reason)
			}
		})
	}
}

func TestParseFlowLogSetsNoDataRecordsApart(t *testing.T) {
	for _, status := range []string{"NODATA", "SKIPDATA"} {
		line := "2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - " + status
		if _, err := parseFlowLog([]byte(line)); !errors.Is(err, errFlowNoData) {
			t.Errorf("%s record: error = %v, want errFlowNoData (counted as ignored)", status, err)
		}
	}
}
