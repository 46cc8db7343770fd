package rules_test

import (
	"testing"

	"github.com/crucible-sandbox/crucible/policy/rules"
)

const (
	sgType          = "aws:ec2/securityGroup:SecurityGroup"
	sgRuleType      = "aws:ec2/securityGroupRule:SecurityGroupRule"
	ingressRuleType = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	defaultSGType   = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	naclType        = "aws:ec2/networkAcl:NetworkAcl"
	naclRuleType    = "aws:ec2/networkAclRule:NetworkAclRule"
)

func TestNoSecurityGroupAdmitsTheInternet(t *testing.T) {
	sshFromAnywhere := map[string]any{
		"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": []any{"0.0.0.0/0"},
	}
	httpsFromVPC := map[string]any{
		"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": []any{"10.0.0.0/16"},
	}

	runResourceCases(t, rules.NoIngressFromAnywhere, []resourceCase{
		{
			name: "endpoint group admitting HTTPS from the VPC passes",
			typ:  sgType,
			props: map[string]any{
				"ingress": []any{httpsFromVPC},
				"egress":  []any{map[string]any{"protocol": "-1", "cidrBlocks": []any{"0.0.0.0/0"}}},
			},
		},
		{
			name:  "inline SSH from 0.0.0.0/0 fails",
			typ:   sgType,
			props: map[string]any{"ingress": []any{httpsFromVPC, sshFromAnywhere}},
			want: []rules.Violation{fail(
				"ingress[1].cidrBlocks[0] is 0.0.0.0/0: tcp port 22 is open to the whole internet")},
		},
		{
			name: "inline all traffic from ::/0 fails",
			typ:  defaultSGType,
			props: map[string]any{"ingress": []any{map[string]any{
				"protocol": "-1", "fromPort": 0, "toPort": 0, "ipv6CidrBlocks": []any{"::/0"},
			}}},
			want: []rules.Violation{fail(
				"ingress[0].ipv6CidrBlocks[0] is ::/0: all traffic is open to the whole internet")},
		},
		{
			name: "a CIDR that does not parse fails",
			typ:  sgType,
			props: map[string]any{"ingress": []any{map[string]any{
				"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": []any{"10.0.0/16"},
			}}},
			want: []rules.Violation{fail(
				`ingress[0].cidrBlocks[0]: "10.0.0/16" is not a valid CIDR block`)},
		},
		{
			name: "unknown CIDR is reported and the known one still checked",
			typ:  sgType,
			props: map[string]any{"ingress": []any{map[string]any{
				"protocol": "tcp", "fromPort": 1024, "toPort": 65535,
				"cidrBlocks": []any{computed, "0.0.0.0/0"},
			}}},
			want: []rules.Violation{
				unchecked("ingress[0].cidrBlocks[0]"),
				fail("ingress[0].cidrBlocks[1] is 0.0.0.0/0: tcp ports 1024-65535 is open to " +
					"the whole internet"),
			},
		},
		{
			name:  "unknown ingress list is reported",
			typ:   sgType,
			props: map[string]any{"ingress": unknownOutput},
			want:  []rules.Violation{unchecked("ingress")},
		},
		{
			name: "standalone ingress rule from anywhere fails",
			typ:  sgRuleType,
			props: map[string]any{
				"type": "ingress", "protocol": "tcp", "fromPort": 3389, "toPort": 3389,
				"cidrBlocks": []any{"0.0.0.0/0"},
			},
			want: []rules.Violation{fail(
				"cidrBlocks[0] is 0.0.0.0/0: tcp port 3389 is open to the whole internet")},
		},
		{
			name: "standalone egress rule to anywhere passes",
			typ:  sgRuleType,
			props: map[string]any{
				"type": "egress", "protocol": "tcp", "fromPort": 443, "toPort": 443,
				"cidrBlocks": []any{"0.0.0.0/0"},
			},
		},
		{
			name: "standalone rule of unknown direction is reported",
			typ:  sgRuleType,
			props: map[string]any{
				"type": computed, "protocol": "tcp", "fromPort": 22, "toPort": 22,
				"cidrBlocks": []any{"0.0.0.0/0"},
			},
			want: []rules.Violation{unchecked("type")},
		},
		{
			name: "vpc ingress rule from ::/0 fails",
			typ:  ingressRuleType,
			props: map[string]any{
				"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv6": "::/0",
			},
			want: []rules.Violation{fail("cidrIpv6 is ::/0: tcp port 22 is open to the whole internet")},
		},
		{
			name: "vpc ingress rule from a referenced group passes",
			typ:  ingressRuleType,
			props: map[string]any{
				"ipProtocol": "tcp", "fromPort": 443, "toPort": 443,
				"referencedSecurityGroupId": "sg-0123", "cidrIpv4": "",
			},
		},
		{
			name: "vpc ingress rule with unknown source is reported",
			typ:  ingressRuleType,
			props: map[string]any{
				"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": computed,
			},
			want: []rules.Violation{unchecked("cidrIpv4")},
		},
	})
}

func TestNoNetworkACLOpensAdminPortsToTheInternet(t *testing.T) {
	runResourceCases(t, rules.NetworkACLNoAdminPortsFromAnywhere, []resourceCase{
		{
			name: "return traffic on Linux ephemeral ports from anywhere passes",
			typ:  naclType,
			props: map[string]any{"ingress": []any{map[string]any{
				"action": "allow", "protocol": "tcp", "fromPort": 32768, "toPort": 65535,
				"cidrBlock": "0.0.0.0/0", "ruleNo": 100,
			}}},
		},
		{
			name: "ephemeral ports 1024-65535 from anywhere fail: the range includes RDP",
			typ:  naclType,
			props: map[string]any{"ingress": []any{map[string]any{
				"action": "allow", "protocol": "tcp", "fromPort": 1024, "toPort": 65535,
				"cidrBlock": "0.0.0.0/0", "ruleNo": 100,
			}}},
			want: []rules.Violation{fail("ingress[0].cidrBlock is 0.0.0.0/0: the entry allows " +
				"tcp ports 1024-65535, which includes SSH or RDP, from the whole internet")},
		},
		{
			name: "all traffic from anywhere fails",
			typ:  naclType,
			props: map[string]any{"ingress": []any{map[string]any{
				"action": "allow", "protocol": "-1", "fromPort": 0, "toPort": 0,
				"cidrBlock": "0.0.0.0/0", "ruleNo": 100,
			}}},
			want: []rules.Violation{fail("ingress[0].cidrBlock is 0.0.0.0/0: the entry allows " +
				"all traffic, which includes SSH or RDP, from the whole internet")},
		},
		{
			name: "a deny entry for SSH from anywhere passes",
			typ:  naclRuleType,
			props: map[string]any{
				"egress": false, "ruleAction": "deny", "protocol": "tcp", "fromPort": 22,
				"toPort": 22, "cidrBlock": "0.0.0.0/0",
			},
		},
		{
			name: "a standalone allow for RDP from ::/0 fails",
			typ:  naclRuleType,
			props: map[string]any{
				"ruleAction": "allow", "protocol": "6", "fromPort": 3000, "toPort": 4000,
				"ipv6CidrBlock": "::/0",
			},
			want: []rules.Violation{fail("ipv6CidrBlock is ::/0: the entry allows 6 ports " +
				"3000-4000, which includes SSH or RDP, from the whole internet")},
		},
		{
			name: "an entry with an unknown source is reported",
			typ:  naclRuleType,
			props: map[string]any{
				"egress": false, "ruleAction": "allow", "protocol": "tcp", "fromPort": 22,
				"toPort": 22, "cidrBlock": computed,
			},
			want: []rules.Violation{unchecked("cidrBlock")},
		},
	})
}
