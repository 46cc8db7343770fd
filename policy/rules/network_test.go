package rules_test

import (
	"testing"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

const (
	vpcType      = "aws:ec2/vpc:Vpc"
	subnetType   = "aws:ec2/subnet:Subnet"
	flowLogType  = "aws:ec2/flowLog:FlowLog"
	endpointType = "aws:ec2/vpcEndpoint:VpcEndpoint"
)

func TestSubnetsDoNotHandOutPublicAddresses(t *testing.T) {
	runResourceCases(t, rules.SubnetNoAutoAssignPublicIP, []resourceCase{
		{
			name: "explicit false passes", typ: subnetType,
			props: map[string]any{"mapPublicIpOnLaunch": false},
		},
		{
			name: "unset passes: AWS's default for a new subnet is false", typ: subnetType,
			props: map[string]any{"cidrBlock": "10.0.2.0/24"},
		},
		{
			name: "true fails", typ: subnetType, props: map[string]any{"mapPublicIpOnLaunch": true},
			want: []rules.Violation{fail("mapPublicIpOnLaunch is true; it must be false: every " +
				"instance launched into the subnet would get a public address")},
		},
		{
			name: "unknown is reported", typ: subnetType,
			props: map[string]any{"mapPublicIpOnLaunch": computed},
			want:  []rules.Violation{unchecked("mapPublicIpOnLaunch")},
		},
	})
}

func TestDefaultSecurityGroupIsAdoptedAndEmpty(t *testing.T) {
	vpc := res(vpcType, "sandbox", map[string]any{"cidrBlock": "10.0.0.0/16"}, nil)
	emptied := res(defaultSGType, "default", map[string]any{"vpcId": "sandbox-id"}, nil)

	runStackCases(t, rules.DefaultSecurityGroupNoRules, []stackCase{
		{name: "adopted and empty passes", resources: []rules.Resource{vpc, emptied}},
		{
			name:      "a VPC whose default group is not adopted fails",
			resources: []rules.Resource{vpc},
			want: []rules.Violation{failOn(urn(vpcType, "sandbox"), "no DefaultSecurityGroup "+
				"adopts this VPC's default security group, so it keeps AWS's allow-all rules")},
		},
		{
			name: "a default group with rules fails",
			resources: []rules.Resource{vpc, res(defaultSGType, "default", map[string]any{
				"vpcId":   "sandbox-id",
				"ingress": []any{map[string]any{"protocol": "-1", "self": true}},
				"egress":  []any{map[string]any{"protocol": "-1", "cidrBlocks": []any{"0.0.0.0/0"}}},
			}, nil)},
			want: []rules.Violation{
				failOn(urn(defaultSGType, "default"),
					"ingress has 1 rule(s); the default security group must have none"),
				failOn(urn(defaultSGType, "default"),
					"egress has 1 rule(s); the default security group must have none"),
			},
		},
		{
			name: "an adoption whose VPC is unknown is reported",
			resources: []rules.Resource{vpc, res(defaultSGType, "default",
				map[string]any{"vpcId": computed}, nil)},
			want: []rules.Violation{uncheckedOn(urn(vpcType, "sandbox"), "default.vpcId")},
		},
	})
}

func TestEveryVPCHasFlowLogs(t *testing.T) {
	vpc := res(vpcType, "sandbox", map[string]any{}, nil)

	runStackCases(t, rules.VPCFlowLogsEnabled, []stackCase{
		{
			name: "flow log of all traffic passes",
			resources: []rules.Resource{vpc, res(flowLogType, "flows",
				map[string]any{"vpcId": "sandbox-id", "trafficType": "ALL"}, nil)},
		},
		{
			name: "at preview the flow log is linked through its property dependency",
			resources: []rules.Resource{vpc, res(flowLogType, "flows",
				map[string]any{"vpcId": computed, "trafficType": "REJECT"},
				map[string][]string{"vpcId": {urn(vpcType, "sandbox")}})},
		},
		{
			name: "a VPC without flow log fails",
			resources: []rules.Resource{
				vpc, res(flowLogType, "other", map[string]any{"vpcId": "vpc-9"}, nil),
			},
			want: []rules.Violation{
				failOn(urn(vpcType, "sandbox"), "no flow log records this VPC's traffic"),
			},
		},
		{
			name: "a flow log of accepted traffic only fails",
			resources: []rules.Resource{vpc, res(flowLogType, "flows",
				map[string]any{"vpcId": "sandbox-id", "trafficType": "ACCEPT"}, nil)},
			want: []rules.Violation{failOn(urn(flowLogType, "flows"), `trafficType is "ACCEPT"; `+
				"it must be ALL or REJECT: rejected traffic is the evidence of probing")},
		},
		{
			name: "a flow log with unknown traffic type is reported",
			resources: []rules.Resource{vpc, res(flowLogType, "flows",
				map[string]any{"vpcId": "sandbox-id", "trafficType": computed}, nil)},
			want: []rules.Violation{uncheckedOn(urn(flowLogType, "flows"), "trafficType")},
		},
	})
}

func TestInterfaceEndpointsUsePrivateDNS(t *testing.T) {
	runResourceCases(t, rules.InterfaceEndpointPrivateDNS, []resourceCase{
		{
			name: "interface endpoint with private DNS passes", typ: endpointType,
			props: map[string]any{"vpcEndpointType": "Interface", "privateDnsEnabled": true},
		},
		{
			name: "gateway endpoint needs no private DNS", typ: endpointType,
			props: map[string]any{"vpcEndpointType": "Gateway"},
		},
		{
			name: "interface endpoint without private DNS fails", typ: endpointType,
			props: map[string]any{"vpcEndpointType": "Interface", "privateDnsEnabled": false},
			want: []rules.Violation{fail("privateDnsEnabled is false; it must be true: the agent " +
				"resolves the public service names and would bypass the endpoint")},
		},
		{
			name: "unknown private DNS is reported", typ: endpointType,
			props: map[string]any{"vpcEndpointType": "Interface", "privateDnsEnabled": computed},
			want:  []rules.Violation{unchecked("privateDnsEnabled")},
		},
	})
}

func TestVPCResolvesEndpointNames(t *testing.T) {
	runResourceCases(t, rules.VPCDNSEnabled, []resourceCase{
		{
			name: "both attributes on passes", typ: vpcType,
			props: map[string]any{"enableDnsSupport": true, "enableDnsHostnames": true},
		},
		{
			name: "hostnames off fails", typ: vpcType,
			props: map[string]any{"enableDnsSupport": true, "enableDnsHostnames": false},
			want: []rules.Violation{fail("enableDnsHostnames is false; it must be true: " +
				"interface endpoints with private DNS need it")},
		},
		{
			name: "support explicitly off fails", typ: vpcType,
			props: map[string]any{"enableDnsSupport": false, "enableDnsHostnames": true},
			want: []rules.Violation{fail("enableDnsSupport is false; it must be true: " +
				"interface endpoints with private DNS need it")},
		},
		{
			name: "unknown hostnames is reported", typ: vpcType,
			props: map[string]any{"enableDnsHostnames": computed},
			want:  []rules.Violation{unchecked("enableDnsHostnames")},
		},
	})
}
