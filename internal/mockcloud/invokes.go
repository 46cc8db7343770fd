package mockcloud

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// amiParameterPrefix is the public SSM namespace of the latest Amazon Linux images.
const amiParameterPrefix = "/aws/service/ami-amazon-linux-latest/"

// gravitonFamily matches instance families with AWS Graviton (arm64) processors: a1, and a
// generation digit followed by g (t4g, m7g, c7gn, r8gd, x2gd, im4gn, is4gen).
var gravitonFamily = regexp.MustCompile(`^(a1|[a-z]+\d+[a-z]*g[a-z]*)\.`)

// Invoke answers a provider function call. It fails for a token it does not model.
func (c *Cloud) Invoke(token string, args resource.PropertyMap) (resource.PropertyMap, error) {
	fn, ok := invokes[token]
	if !ok {
		return nil, fmt.Errorf("mockcloud: invoke %s is not modelled; "+
			"add it to internal/mockcloud/invokes.go", token)
	}

	return fn(c, args)
}

type invoke func(c *Cloud, args resource.PropertyMap) (resource.PropertyMap, error)

var invokes = map[string]invoke{
	"aws:index/getCallerIdentity:getCallerIdentity": func(c *Cloud, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return props(map[string]any{
			"id":        c.account,
			"accountId": c.account,
			"arn":       "arn:aws:iam::" + c.account + ":user/crucible-render",
			"userId":    "AIDAEXAMPLERENDER",
		}), nil
	},
	"aws:index/getRegion:getRegion": func(c *Cloud, _ resource.PropertyMap) (resource.PropertyMap, error) {
		return props(map[string]any{
			"id":          c.region,
			"name":        c.region,
			"endpoint":    "ec2." + c.region + ".amazonaws.com",
			"description": c.region,
		}), nil
	},
	"aws:index/getPartition:getPartition": func(*Cloud, resource.PropertyMap) (resource.PropertyMap, error) {
		return props(map[string]any{
			"id":               "aws",
			"partition":        "aws",
			"dnsSuffix":        "amazonaws.com",
			"reverseDnsPrefix": "com.amazonaws",
		}), nil
	},
	"aws:index/getAvailabilityZones:getAvailabilityZones": func(
		c *Cloud, _ resource.PropertyMap,
	) (resource.PropertyMap, error) {
		names := []any{c.region + "a", c.region + "b", c.region + "c"}

		return props(map[string]any{
			"id":         c.region,
			"names":      names,
			"zoneIds":    []any{"az1", "az2", "az3"},
			"groupNames": []any{c.region},
			"state":      "available",
		}), nil
	},
	"aws:ec2/getInstanceType:getInstanceType": func(_ *Cloud, args resource.PropertyMap) (resource.PropertyMap, error) {
		t := stringArg(args, "instanceType")
		if t == "" {
			return nil, fmt.Errorf("mockcloud: getInstanceType: instanceType is required")
		}

		arch := "x86_64"
		if gravitonFamily.MatchString(t) {
			arch = "arm64"
		}

		return props(map[string]any{
			"id":                     t,
			"instanceType":           t,
			"supportedArchitectures": []any{arch},
		}), nil
	},
	"aws:ssm/getParameter:getParameter": func(c *Cloud, args resource.PropertyMap) (resource.PropertyMap, error) {
		name := stringArg(args, "name")
		if !strings.HasPrefix(name, amiParameterPrefix) {
			return nil, fmt.Errorf("mockcloud: getParameter: parameter %q is not modelled; only "+
				"the public AMI parameters under %s are", name, amiParameterPrefix)
		}

		value := "ami-0" + seed("ami", name)[:16]

		return props(map[string]any{
			"id":            name,
			"name":          name,
			"arn":           "arn:aws:ssm:" + c.region + "::parameter" + name,
			"type":          "String",
			"value":         value,
			"insecureValue": value,
			"version":       1,
		}), nil
	},
}

func props(m map[string]any) resource.PropertyMap { return resource.NewPropertyMapFromMap(m) }

func stringArg(args resource.PropertyMap, key string) string {
	v, ok := args[resource.PropertyKey(key)]
	if !ok || !v.IsString() {
		return ""
	}

	return v.StringValue()
}
