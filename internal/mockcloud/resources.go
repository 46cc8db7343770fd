package mockcloud

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// created is one resource being answered: its inputs, to which the spec adds computed fields.
type created struct {
	cloud *Cloud
	typ   string
	name  string
	seed  string
	out   resource.PropertyMap
}

// spec fills a resource's computed fields and returns its id.
type spec func(r *created) string

// hexID returns an AWS-style id: prefix, dash, 17 hex digits.
func (r *created) hexID(prefix string) string { return prefix + "-" + r.seed[:17] }

// set stores a computed field unless the inputs already hold it.
func (r *created) set(key string, v resource.PropertyValue) {
	if cur, ok := r.out[resource.PropertyKey(key)]; ok && !cur.IsNull() {
		return
	}

	r.out[resource.PropertyKey(key)] = v
}

func (r *created) setString(key, v string) { r.set(key, resource.NewStringProperty(v)) }

// str returns a known string input, or "".
func (r *created) str(key string) string {
	v, ok := r.out[resource.PropertyKey(key)]
	if !ok {
		return ""
	}

	if v.IsSecret() {
		v = v.SecretValue().Element
	}

	if !v.IsString() {
		return ""
	}

	return v.StringValue()
}

// autoname fills a name field the way the provider autonames it: the logical name plus a
// random-looking suffix, here derived from the seed so it is stable.
func (r *created) autoname(key string) string {
	if v := r.str(key); v != "" {
		return v
	}

	v := r.name + "-" + r.seed[:7]
	if p := r.str(key + "Prefix"); p != "" {
		v = p + r.seed[:7]
	}

	r.out[resource.PropertyKey(key)] = resource.NewStringProperty(v)

	return v
}

func (r *created) arn(service, res string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, r.cloud.region, r.cloud.account, res)
}

func (r *created) globalArn(service, res string) string {
	return fmt.Sprintf("arn:aws:%s::%s:%s", service, r.cloud.account, res)
}

// tagsAll mirrors tags into tagsAll, as the provider does without default tags.
func (r *created) tagsAll() {
	if tags, ok := r.out["tags"]; ok {
		r.set("tagsAll", tags)
	}
}

// subnetZone returns the zone of the subnet the inputs name, when that subnet was created here.
func (r *created) subnetState() resource.PropertyMap {
	s, _ := r.cloud.lookup(r.str("subnetId"))

	return s
}

// ec2Resource is the common shape of EC2 resources: an id with a prefix, an ARN, an owner.
func ec2Resource(prefix, arnType string) spec {
	return func(r *created) string {
		id := r.hexID(prefix)
		r.setString("arn", r.arn("ec2", arnType+"/"+id))
		r.setString("ownerId", r.cloud.account)
		r.tagsAll()

		return id
	}
}

// resourceSpecs lists every modelled resource type. A type missing here fails loudly. Each area
// of the program keeps its types in its own file.
var resourceSpecs = mergeSpecs(sandboxSpecs, auditSpecs, containmentSpecs)

func mergeSpecs(groups ...map[string]spec) map[string]spec {
	all := map[string]spec{}
	for _, g := range groups {
		for typ, s := range g {
			// Two areas modelling one type would answer differently depending on merge order.
			if _, dup := all[typ]; dup {
				panic("mockcloud: resource type " + typ + " is modelled twice; keep one spec")
			}

			all[typ] = s
		}
	}

	return all
}

// sandboxSpecs are the types of the network, identity and host components.
var sandboxSpecs = map[string]spec{
	"aws:ec2/vpc:Vpc": func(r *created) string {
		id := ec2Resource("vpc", "vpc")(r)
		r.setString("defaultSecurityGroupId", r.hexID("sg"))
		r.setString("defaultNetworkAclId", r.hexID("acl"))
		r.setString("defaultRouteTableId", r.hexID("rtb"))
		r.setString("mainRouteTableId", r.hexID("rtb"))
		r.setString("dhcpOptionsId", r.hexID("dopt"))
		r.setString("instanceTenancy", "default")
		r.set("enableDnsSupport", resource.NewBoolProperty(true))
		r.set("enableDnsHostnames", resource.NewBoolProperty(false))

		return id
	},
	"aws:ec2/subnet:Subnet": func(r *created) string {
		id := ec2Resource("subnet", "subnet")(r)
		r.set("mapPublicIpOnLaunch", resource.NewBoolProperty(false))
		r.set("assignIpv6AddressOnCreation", resource.NewBoolProperty(false))
		r.setString("availabilityZone", r.cloud.region+"a")
		r.setString("availabilityZoneId", "use1-az1")

		return id
	},
	"aws:ec2/routeTable:RouteTable":                       ec2Resource("rtb", "route-table"),
	"aws:ec2/routeTableAssociation:RouteTableAssociation": plainID("rtbassoc"),
	"aws:ec2/route:Route": func(r *created) string {
		r.setString("state", "active")
		r.setString("origin", "CreateRoute")

		return "r-" + r.str("routeTableId") + "1080289494"
	},
	"aws:ec2/internetGateway:InternetGateway": ec2Resource("igw", "internet-gateway"),
	"aws:ec2/eip:Eip": func(r *created) string {
		id := r.hexID("eipalloc")
		r.setString("allocationId", id)
		r.setString("publicIp", docAddress(r.seed))
		r.setString("arn", r.arn("ec2", "elastic-ip/"+id))
		r.tagsAll()

		return id
	},
	"aws:ec2/natGateway:NatGateway": func(r *created) string {
		id := r.hexID("nat")
		r.setString("networkInterfaceId", r.hexID("eni"))
		r.setString("privateIp", "10.0.1.10")
		r.setString("publicIp", docAddress(r.seed))
		r.setString("connectivityType", "public")
		r.tagsAll()

		return id
	},
	"aws:ec2/securityGroup:SecurityGroup": func(r *created) string {
		id := ec2Resource("sg", "security-group")(r)
		r.autoname("name")

		return id
	},
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": func(r *created) string {
		vpc, _ := r.cloud.lookup(r.str("vpcId"))
		id := r.hexID("sg")
		if v, ok := vpc["defaultSecurityGroupId"]; ok && v.IsString() {
			id = v.StringValue()
		}

		r.setString("arn", r.arn("ec2", "security-group/"+id))
		r.setString("name", "default")
		r.setString("ownerId", r.cloud.account)
		r.tagsAll()

		return id
	},
	"aws:ec2/vpcEndpoint:VpcEndpoint": func(r *created) string {
		id := ec2Resource("vpce", "vpc-endpoint")(r)
		r.setString("state", "available")
		r.set("requesterManaged", resource.NewBoolProperty(false))

		if r.str("vpcEndpointType") == "Gateway" {
			r.setString("prefixListId", r.hexID("pl"))
			r.set("cidrBlocks", strings2("52.216.0.0/15", "3.5.0.0/19"))

			return id
		}

		r.set("networkInterfaceIds", strings2(r.hexID("eni")))
		r.set("dnsEntries", resource.NewArrayProperty([]resource.PropertyValue{
			resource.NewObjectProperty(resource.PropertyMap{
				"dnsName":      resource.NewStringProperty(id + "." + r.str("serviceName") + ".vpce.amazonaws.com"),
				"hostedZoneId": resource.NewStringProperty("Z7HUB22UULQXV"),
			}),
		}))

		return id
	},
	"aws:ec2/instance:Instance": func(r *created) string {
		id := ec2Resource("i", "instance")(r)
		subnet := r.subnetState()
		r.setString("privateIp", hostAddress(subnet, r.seed))
		r.setString("primaryNetworkInterfaceId", r.hexID("eni"))
		r.setString("instanceState", "running")
		r.setString("privateDns", "ip-"+strings.ReplaceAll(r.str("privateIp"), ".", "-")+".ec2.internal")

		if az, ok := subnet["availabilityZone"]; ok && az.IsString() {
			r.setString("availabilityZone", az.StringValue())
		}

		if b, ok := r.out["associatePublicIpAddress"]; ok && b.IsBool() && b.BoolValue() {
			r.setString("publicIp", docAddress(r.seed))
		} else {
			r.setString("publicIp", "")
		}

		return id
	},
	"aws:iam/role:Role": func(r *created) string {
		name := r.autoname("name")
		// A role's path sits between "role" and its name in the ARN, as IAM writes it.
		path := strings.TrimPrefix(r.str("path"), "/")
		r.setString("arn", r.globalArn("iam", "role/"+path+name))
		r.setString("uniqueId", "AROA"+strings.ToUpper(r.seed[:17]))
		r.setString("createDate", "2026-01-01T00:00:00Z")
		r.tagsAll()

		return name
	},
	"aws:iam/instanceProfile:InstanceProfile": func(r *created) string {
		name := r.autoname("name")
		r.setString("arn", r.globalArn("iam", "instance-profile/"+name))
		r.setString("uniqueId", "AIPA"+strings.ToUpper(r.seed[:17]))
		r.tagsAll()

		return name
	},
	"aws:iam/policy:Policy": func(r *created) string {
		name := r.autoname("name")
		arn := r.globalArn("iam", "policy/"+name)
		r.setString("arn", arn)
		r.setString("policyId", "ANPA"+strings.ToUpper(r.seed[:17]))
		r.tagsAll()

		return arn
	},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": func(r *created) string {
		return r.str("role") + "-" + r.seed[:20]
	},
	"aws:iam/rolePolicy:RolePolicy": func(r *created) string {
		name := r.autoname("name")

		return r.str("role") + ":" + name
	},
	"aws:iam/userPolicyAttachment:UserPolicyAttachment": func(r *created) string {
		return r.str("user") + "-" + r.seed[:20]
	},
}

// plainID is a resource whose only computed field is its id.
func plainID(prefix string) spec {
	return func(r *created) string { return r.hexID(prefix) }
}

func strings2(vs ...string) resource.PropertyValue {
	arr := make([]resource.PropertyValue, 0, len(vs))
	for _, v := range vs {
		arr = append(arr, resource.NewStringProperty(v))
	}

	return resource.NewArrayProperty(arr)
}

// docAddress returns a public address from TEST-NET-3 (203.0.113.0/24), reserved for
// documentation, so a rendered address can never be mistaken for a real one.
func docAddress(seed string) string {
	return fmt.Sprintf("203.0.113.%d", 1+int(seed[0])%250)
}

// hostAddress returns an address inside the subnet's block, past AWS's five reserved addresses.
func hostAddress(subnet resource.PropertyMap, seed string) string {
	cidr, ok := subnet["cidrBlock"]
	if !ok || !cidr.IsString() {
		return "10.0.0.10"
	}

	pfx, err := netip.ParsePrefix(cidr.StringValue())
	if err != nil {
		return "10.0.0.10"
	}

	a := pfx.Masked().Addr()
	for range 10 + int(seed[1])%4 {
		a = a.Next()
	}

	return a.String()
}
