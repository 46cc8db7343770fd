package settings

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Source is a stack's configuration as the engine passes it to a program: fully qualified keys
// ("crucible:vpcCidr") mapped to their string values; structured values are JSON.
type Source struct {
	// Project and Stack name the Pulumi project and stack.
	Project string
	Stack   string
	// Values maps fully qualified keys to raw values.
	Values map[string]string
	// Keys lists every key the stack sets. Nil means the caller cannot list them (the engine
	// does not say), and the unknown-key check is skipped; an empty slice means "none".
	Keys []string
}

var (
	instanceTypePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
	amiPattern          = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)
	azPattern           = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d[a-z](-[a-z0-9]+)?$`)
	regionPattern       = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
)

// Parse reads and validates the whole configuration. It reports every problem it finds, each
// naming its key, so a user fixes the stack in one pass; it returns nil settings on any error.
func Parse(src Source) (*Settings, error) {
	p := parser{src: src}

	s := &Settings{Project: src.Project, Stack: src.Stack}
	s.Region = p.region()
	s.VpcCidr = p.prefix("vpcCidr")
	s.PublicSubnetCidr = p.prefix("publicSubnetCidr")
	s.PrivateSubnetCidr = p.prefix("privateSubnetCidr")
	s.AvailabilityZone = p.pattern("availabilityZone", azPattern, "an availability zone name "+
		"such as us-east-1a")
	s.EnableNat = p.boolean("enableNat")
	s.InstanceType = p.pattern("instanceType", instanceTypePattern, "an EC2 instance type "+
		"such as t3.medium (family.size, lower case)")
	s.AmiID = p.pattern("amiId", amiPattern, "an AMI id: ami- followed by 8 or 17 hex digits")
	s.RootVolumeGiB = p.integer("rootVolumeGiB", 8, 16384)
	s.Tags = p.tags("tags")
	s.Audit = p.audit()
	s.Containment = p.containment(s)
	p.platform(s)

	p.unknownKeys()
	p.errs = append(p.errs, validateNetwork(s)...)

	if len(p.errs) > 0 {
		return nil, &Error{Problems: p.errs}
	}

	return s, nil
}

// Error lists every configuration problem found; each problem names its key.
type Error struct {
	Problems []error
}

func (e *Error) Error() string {
	lines := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		lines = append(lines, p.Error())
	}

	return "invalid stack configuration:\n  " + strings.Join(lines, "\n  ")
}

// Unwrap lets errors.Is and errors.As see each problem.
func (e *Error) Unwrap() []error { return e.Problems }

type parser struct {
	src  Source
	errs []error
}

func (p *parser) fail(key, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
}

// raw returns the value the stack sets, or the key's declared default.
func (p *parser) raw(name string) (string, bool) {
	if v, ok := p.src.Values[Namespace+":"+name]; ok {
		return v, true
	}

	k, _ := lookupKey(name)
	if k.Default == nil {
		return "", false
	}

	return defaultText(k.Default), true
}

func (p *parser) region() string {
	v := strings.TrimSpace(p.src.Values[RegionKey])
	if v == "" {
		p.fail(RegionKey, "is not set; run `pulumi config set aws:region <region>`, "+
			"for example us-east-1")

		return ""
	}

	if !regionPattern.MatchString(v) {
		p.fail(RegionKey, "%q is not an AWS region name such as us-east-1", v)
	}

	return v
}

func (p *parser) prefix(name string) netip.Prefix {
	key := Namespace + ":" + name
	v, _ := p.raw(name)

	pfx, err := netip.ParsePrefix(strings.TrimSpace(v))
	if err != nil {
		p.fail(key, "%q is not an IPv4 CIDR such as 10.0.0.0/16", v)

		return netip.Prefix{}
	}

	if !pfx.Addr().Is4() {
		p.fail(key, "%q is not IPv4; the sandbox uses IPv4 only", v)

		return netip.Prefix{}
	}

	if pfx != pfx.Masked() {
		p.fail(key, "%q has host bits set; write the network address, %s", v, pfx.Masked())

		return netip.Prefix{}
	}

	return pfx
}

func (p *parser) pattern(name string, re *regexp.Regexp, allowed string) string {
	v, ok := p.raw(name)
	if !ok {
		return ""
	}

	if !re.MatchString(v) {
		p.fail(Namespace+":"+name, "%q is not %s", v, allowed)
	}

	return v
}

func (p *parser) boolean(name string) bool {
	v, _ := p.raw(name)

	b, err := strconv.ParseBool(v)
	if err != nil || (v != "true" && v != "false") {
		p.fail(Namespace+":"+name, "%q is not a boolean; allowed: true or false", v)
	}

	return b
}

func (p *parser) integer(name string, lo, hi int) int {
	v, _ := p.raw(name)

	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		p.fail(Namespace+":"+name, "%q is not a whole number from %d to %d", v, lo, hi)

		return 0
	}

	return n
}

func (p *parser) tags(name string) map[string]string {
	key := Namespace + ":" + name

	v, ok := p.raw(name)
	if !ok {
		return map[string]string{}
	}

	tags := map[string]string{}
	if err := json.Unmarshal([]byte(v), &tags); err != nil {
		p.fail(key, "is not a map of string to string (%v)", err)

		return map[string]string{}
	}

	for k, val := range tags {
		if err := validateTag(k, val); err != nil {
			p.fail(key, "%v", err)
		}
	}

	return tags
}

func validateTag(k, v string) error {
	switch {
	case k == "" || len(k) > 128:
		return fmt.Errorf("tag key %q must be 1 to 128 characters", k)
	case len(v) > 256:
		return fmt.Errorf("tag %q: value must be at most 256 characters", k)
	case strings.HasPrefix(strings.ToLower(k), "aws:"):
		return fmt.Errorf("tag key %q: the aws: prefix is reserved by AWS", k)
	case k == ProjectTag || k == StackTag || strings.EqualFold(k, "Name"):
		return fmt.Errorf("tag key %q is set by the program and cannot be overridden", k)
	}

	return nil
}

func (p *parser) unknownKeys() {
	if p.src.Keys == nil {
		return
	}

	known := make([]string, 0, len(Keys))
	for _, k := range Keys {
		known = append(known, k.Name)
	}

	for _, full := range p.src.Keys {
		short, ok := strings.CutPrefix(full, Namespace+":")
		if !ok || slices.Contains(known, short) {
			continue
		}

		p.errs = append(p.errs, fmt.Errorf("%s: unknown key; the crucible namespace has: %s",
			full, strings.Join(known, ", ")))
	}
}
