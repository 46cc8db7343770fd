package forensics

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// benchLogs serves pre-built log events a page at a time (10,000 per page, CloudWatch Logs'
// most), so the benchmark measures the readers, not the stand-in.
type benchLogs struct {
	groups map[string][]logtypes.FilteredLogEvent
}

func (b *benchLogs) FilterLogEvents(_ context.Context, in *cloudwatchlogs.FilterLogEventsInput,
	_ ...func(*cloudwatchlogs.Options),
) (*cloudwatchlogs.FilterLogEventsOutput, error) {
	events := b.groups[aws.ToString(in.LogGroupName)]
	from := 0
	if in.NextToken != nil {
		from, _ = strconv.Atoi(*in.NextToken)
	}
	to := min(from+10_000, len(events))
	out := &cloudwatchlogs.FilterLogEventsOutput{Events: events[from:to]}
	if to < len(events) {
		out.NextToken = aws.String(strconv.Itoa(to))
	}
	return out, nil
}

// benchEvidence builds n flow log records and n query log records; one in blockedEvery of each
// is blocked (REJECT, BLOCK).
func benchEvidence(n, blockedEvery int) *benchLogs {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	flow := make([]logtypes.FilteredLogEvent, n)
	dns := make([]logtypes.FilteredLogEvent, n)
	for i := range n {
		at := start.Add(time.Duration(i) * 10 * time.Millisecond)
		action, fw := "ACCEPT", ""
		if i%blockedEvery == 0 {
			action = "REJECT"
			fw = `,"firewall_rule_action":"BLOCK","firewall_rule_group_id":"rslvr-frg-1",` +
				`"firewall_domain_list_id":"rslvr-fdl-1"`
		}
		flow[i] = logtypes.FilteredLogEvent{
			LogStreamName: aws.String("eni-0a1b2c3d4e5f60718-all"),
			EventId:       aws.String(strconv.Itoa(i)),
			Message: aws.String(fmt.Sprintf("2 123456789012 eni-0a1b2c3d4e5f60718 10.0.1.25 "+
				"203.0.113.%d %d 443 6 3 180 %d %d %s OK", i%250, 30000+i%30000, at.Unix(),
				at.Unix()+60, action)),
		}
		dns[i] = logtypes.FilteredLogEvent{
			LogStreamName: aws.String("vpc-1_i-0123456789abcdef0"),
			EventId:       aws.String(strconv.Itoa(i)),
			Message: aws.String(fmt.Sprintf(`{"version":"1.100000","account_id":"123456789012",`+
				`"region":"us-east-1","vpc_id":"vpc-1","query_timestamp":"%s",`+
				`"query_name":"host-%d.example.com.","query_type":"A","query_class":"IN",`+
				`"rcode":"NOERROR","answers":[{"Rdata":"203.0.113.7","Type":"A","Class":"IN"}],`+
				`"srcaddr":"10.0.1.25","srcport":"53144","transport":"UDP",`+
				`"srcids":{"instance":"i-0123456789abcdef0"}%s}`, at.Format(time.RFC3339), i, fw)),
		}
	}
	return &benchLogs{groups: map[string][]logtypes.FilteredLogEvent{"flow": flow, "dns": dns}}
}

// BenchmarkCollectFlowAndQueryLogs parses and merges n flow log and n query log records. "all"
// keeps every event; "blocked" keeps 1 in 100, showing that memory follows what is kept, not
// what is read: records stream through one page at a time.
func BenchmarkCollectFlowAndQueryLogs(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		logs := benchEvidence(n, 100)
		for _, keep := range []string{"all", "blocked"} {
			b.Run(fmt.Sprintf("records=%d/keep=%s", 2*n, keep), func(b *testing.B) {
				opts := Options{
					Locations: Locations{
						Region: "us-east-1", InstanceID: "i-0123456789abcdef0",
						FlowLogGroupName: "flow", DNSQueryLogGroupName: "dns",
					},
					Filter: Filter{BlockedOnly: keep == "blocked"},
				}
				var kept int
				var retained uint64
				before := heapAfterGC()
				b.ReportAllocs()
				for b.Loop() {
					tl, err := Collect(context.Background(), Clients{Logs: logs}, opts)
					if err != nil {
						b.Fatal(err)
					}
					kept = len(tl.Events)
					b.StopTimer()
					after := heapAfterGC()
					retained = after - min(before, after)
					runtime.KeepAlive(tl)
					b.StartTimer()
				}
				records := float64(2 * n)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/records, "ns/record")
				b.ReportMetric(float64(kept), "events")
				b.ReportMetric(float64(retained)/(1<<20), "retained-MiB")
			})
		}
	}
}

// heapAfterGC is the live heap after a collection; the benchmark subtracts the heap before the
// loop (the fixture) to get what the timeline retains.
func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
