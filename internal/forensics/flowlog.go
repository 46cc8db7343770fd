package forensics

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// flowLogFields is the number of fields in the default (version 2) flow log format:
// version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start
// end action log-status.
const flowLogFields = 14

// errFlowNoData marks NODATA and SKIPDATA records: well-formed, but about no traffic.
var errFlowNoData = errors.New("flow log record without traffic")

var protocolNames = map[int]string{1: "ICMP", 6: "TCP", 17: "UDP", 58: "ICMPv6"}

// parseFlowLog reads one default-format flow log record into a flow event. It allocates only
// the event's strings, so a long pull costs memory per kept record, not per line read.
func parseFlowLog(line []byte) (Event, error) {
	var f [flowLogFields][]byte
	n := 0
	for field := range bytes.FieldsSeq(line) {
		if n == flowLogFields {
			return Event{}, fmt.Errorf("more than %d fields", flowLogFields)
		}
		f[n] = field
		n++
	}
	if n != flowLogFields {
		return Event{}, fmt.Errorf("%d fields, want %d (default version 2 format)", n, flowLogFields)
	}
	if string(f[0]) != "2" {
		return Event{}, fmt.Errorf("version %q, want 2", f[0])
	}

	status := string(f[13])
	if status == "NODATA" || status == "SKIPDATA" {
		return Event{}, errFlowNoData
	}
	if status != "OK" {
		return Event{}, fmt.Errorf("log-status %q, want OK, NODATA or SKIPDATA", status)
	}

	rec, err := flowRecord(f)
	if err != nil {
		return Event{}, err
	}

	start, err := unixField("start", f[10])
	if err != nil {
		return Event{}, err
	}
	rec.End, err = unixField("end", f[11])
	if err != nil {
		return Event{}, err
	}

	proto := protocolName(rec.Protocol)
	return Event{
		Time:    start,
		Kind:    KindFlow,
		Verdict: rec.Action,
		Blocked: rec.Action == VerdictReject,
		Subject: fmt.Sprintf("%s:%d -> %s:%d %s", rec.SrcAddr, rec.SrcPort, rec.DstAddr,
			rec.DstPort, proto),
		Actor: rec.SrcAddr,
		Flow:  &rec,
	}, nil
}

func flowRecord(f [flowLogFields][]byte) (FlowLog, error) {
	rec := FlowLog{
		InterfaceID: string(f[2]),
		SrcAddr:     string(f[3]),
		DstAddr:     string(f[4]),
		Action:      string(f[12]),
	}
	if rec.Action != VerdictAccept && rec.Action != VerdictReject {
		return FlowLog{}, fmt.Errorf("action %q, want ACCEPT or REJECT", rec.Action)
	}

	var err error
	if rec.Packets, err = countField("packets", f[8]); err != nil {
		return FlowLog{}, err
	}
	if rec.Bytes, err = countField("bytes", f[9]); err != nil {
		return FlowLog{}, err
	}
	if rec.SrcPort, err = portField("srcport", f[5]); err != nil {
		return FlowLog{}, err
	}
	if rec.DstPort, err = portField("dstport", f[6]); err != nil {
		return FlowLog{}, err
	}
	proto, err := strconv.Atoi(string(f[7]))
	if err != nil || proto < 0 || proto > 255 {
		return FlowLog{}, fmt.Errorf("protocol %q is not an IANA protocol number", f[7])
	}
	rec.Protocol = proto
	return rec, nil
}

func portField(name string, raw []byte) (int, error) {
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 0 || v > 65535 {
		return 0, fmt.Errorf("%s %q is not a port", name, raw)
	}
	return v, nil
}

func countField(name string, raw []byte) (int64, error) {
	v, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%s %q is not a count", name, raw)
	}
	return v, nil
}

func unixField(name string, raw []byte) (time.Time, error) {
	v, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || v < 0 {
		return time.Time{}, fmt.Errorf("%s %q is not a Unix time", name, raw)
	}
	return time.Unix(v, 0).UTC(), nil
}

func protocolName(p int) string {
	if name, ok := protocolNames[p]; ok {
		return name
	}
	return "proto-" + strconv.Itoa(p)
}
