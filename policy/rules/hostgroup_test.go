package rules_test

import (
	"testing"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

const instanceType = "aws:ec2/instance:Instance"

func TestHostSecurityGroupAdmitsNothing(t *testing.T) {
	hostGroup := res(sgType, "host", map[string]any{
		"egress": []any{map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443}},
	}, nil)
	endpointGroup := res(sgType, "endpoints", map[string]any{
		"ingress": []any{map[string]any{
			"protocol": "tcp", "fromPort": 443, "toPort": 443, "securityGroups": []any{"host-id"},
		}},
	}, nil)
	host := res(instanceType, "host", map[string]any{"vpcSecurityGroupIds": []any{"host-id"}}, nil)

	runStackCases(t, rules.HostSecurityGroupNoIngress, []stackCase{
		{
			name:      "host group without ingress passes; other groups may have ingress",
			resources: []rules.Resource{hostGroup, endpointGroup, host},
		},
		{
			name: "inline ingress on the host group fails, even from inside the VPC",
			resources: []rules.Resource{
				res(sgType, "host", map[string]any{"ingress": []any{map[string]any{
					"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []any{"10.0.0.0/16"},
				}}}, nil),
				host,
			},
			want: []rules.Violation{failOn(urn(sgType, "host"), "ingress has 1 rule(s); an "+
				"instance's security group must have none: Session Manager needs no inbound traffic")},
		},
		{
			name: "standalone ingress rules on the host group fail, egress rules do not",
			resources: []rules.Resource{
				hostGroup, host,
				res(sgRuleType, "ssh", map[string]any{
					"type": "ingress", "securityGroupId": "host-id", "protocol": "tcp",
				}, nil),
				res(sgRuleType, "https-out", map[string]any{
					"type": "egress", "securityGroupId": "host-id", "protocol": "tcp",
				}, nil),
				res(ingressRuleType, "from-endpoints", map[string]any{
					"securityGroupId": "host-id", "ipProtocol": "tcp",
				}, nil),
			},
			want: []rules.Violation{
				failOn(urn(sgRuleType, "ssh"), "securityGroupId is the host's security group "+
					"host: the host's group must admit no inbound traffic"),
				failOn(urn(ingressRuleType, "from-endpoints"), "securityGroupId is the host's "+
					"security group host: the host's group must admit no inbound traffic"),
			},
		},
		{
			name: "at preview, groups are linked through property dependencies",
			resources: []rules.Resource{
				hostGroup,
				res(instanceType, "host", map[string]any{"vpcSecurityGroupIds": computed},
					map[string][]string{"vpcSecurityGroupIds": {urn(sgType, "host")}}),
				res(ingressRuleType, "late", map[string]any{"securityGroupId": computed},
					map[string][]string{"securityGroupId": {urn(sgType, "host")}}),
			},
			want: []rules.Violation{failOn(urn(ingressRuleType, "late"), "securityGroupId is "+
				"the host's security group host: the host's group must admit no inbound traffic")},
		},
		{
			name: "an instance whose groups cannot be resolved is reported as unchecked",
			resources: []rules.Resource{
				hostGroup,
				res(instanceType, "host", map[string]any{"vpcSecurityGroupIds": []any{computed}}, nil),
			},
			want: []rules.Violation{uncheckedOn(urn(instanceType, "host"), "vpcSecurityGroupIds")},
		},
		{
			name: "a rule whose group cannot be resolved is reported as unchecked",
			resources: []rules.Resource{
				hostGroup, host,
				res(ingressRuleType, "mystery", map[string]any{"securityGroupId": computed}, nil),
			},
			want: []rules.Violation{uncheckedOn(urn(ingressRuleType, "mystery"), "securityGroupId")},
		},
		{
			name:      "an instance without a group of its own fails",
			resources: []rules.Resource{res(instanceType, "bare", map[string]any{}, nil)},
			want: []rules.Violation{failOn(urn(instanceType, "bare"), "vpcSecurityGroupIds is "+
				"not set: the instance would join the VPC's default security group; give it a "+
				"group of its own with no ingress")},
		},
	})
}
