package settings

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
)

// The stack roles. A standalone stack builds everything for one host; a platform stack builds
// what evaluations share (network, recorders, evidence store); an evaluation stack builds one
// host against a platform stack's outputs.
const (
	RoleStandalone = "standalone"
	RolePlatform   = "platform"
	RoleEvaluation = "evaluation"
)

// Roles lists the allowed values of crucible:role.
var Roles = []string{RoleStandalone, RolePlatform, RoleEvaluation}

// stackNamePattern is a Pulumi stack reference: stack, project/stack or org/project/stack, each
// part of letters, digits, hyphens, underscores and periods.
var stackNamePattern = regexp.MustCompile(`^([A-Za-z0-9_.-]+/){0,2}[A-Za-z0-9_.-]+$`)

// platformKeys are the keys that choose the stack's role.
var platformKeys = []Key{
	{
		Name: "role", Type: "string", Default: RoleStandalone,
		Description: "What the stack builds: standalone (network, evidence store and one host), " +
			"platform (the shared network and evidence store) or evaluation (one host on a " +
			"platform stack).",
	},
	{
		Name: "platformStack", Type: "string",
		Description: "The platform stack an evaluation stack builds on (stack, project/stack or " +
			"org/project/stack); required for role evaluation, refused otherwise.",
	},
}

// evaluationForbidden are owned by the platform stack: an evaluation stack inherits the
// network, its containment and the evidence store, so setting them there would change nothing.
var evaluationForbidden = []string{
	"vpcCidr", "publicSubnetCidr", "privateSubnetCidr", "availabilityZone", "enableNat",
	"allowedDomains", "egressPorts", "insecureDisableDnsFirewall",
	"insecureAllowPublicSuffixWildcards", "auditRetentionDays", "auditTransitionDays",
	"auditObjectLockDays", "auditRetainOnDestroy",
}

// platformForbidden configure a host and its sessions, which a platform stack does not build.
var platformForbidden = []string{
	"instanceType", "amiId", "rootVolumeGiB", "sessionIdleTimeoutMinutes",
	"sessionMaxDurationMinutes", "sessionRunAsUser", "sessionSudo", "operatorPrincipals",
	"accessRevoked",
}

// platform reads crucible:role and crucible:platformStack and refuses the keys that make no sense
// for the role.
func (p *parser) platform(s *Settings) {
	role, _ := p.raw("role")
	if !slices.Contains(Roles, role) {
		p.fail(Namespace+":role", "%q is not a stack role; allowed: %s", role,
			strings.Join(Roles, ", "))

		return
	}

	s.Role = role

	stack, set := p.raw("platformStack")
	switch {
	case role == RoleEvaluation && (!set || stack == ""):
		p.fail(Namespace+":platformStack", "is required for role evaluation: name the "+
			"platform stack, such as org/crucible/platform")
	case role == RoleEvaluation && !stackNamePattern.MatchString(stack):
		p.fail(Namespace+":platformStack", "%q is not a Pulumi stack name (stack, "+
			"project/stack or org/project/stack of letters, digits, -, _ and .)", stack)
	case role != RoleEvaluation && set:
		p.fail(Namespace+":platformStack", "is set, but role is %s; only an evaluation stack "+
			"builds on a platform stack", role)
	}

	s.PlatformStack = stack

	p.forbid(role, RoleEvaluation, evaluationForbidden, "the platform stack owns it")
	p.forbid(role, RolePlatform, platformForbidden, "a platform stack builds no host")
}

// forbid refuses each key that the stack sets to something other than its default when the
// stack has the given role. Defaults pass: the engine fills them in from Pulumi.yaml.
func (p *parser) forbid(role, when string, names []string, why string) {
	if role != when {
		return
	}

	for _, name := range names {
		v, set := p.src.Values[Namespace+":"+name]
		if !set || isDefault(name, v) {
			continue
		}

		p.fail(Namespace+":"+name, "does not apply to a stack with role %s (%s); remove it",
			role, why)
	}
}

// isDefault reports whether a raw value equals the key's declared default, comparing JSON values
// by meaning so that "[443]" and "[ 443 ]" agree.
func isDefault(name, v string) bool {
	k, _ := lookupKey(name)
	if k.Default == nil {
		return false
	}

	want := defaultText(k.Default)
	if v == want {
		return true
	}

	var a, b any
	if json.Unmarshal([]byte(v), &a) != nil || json.Unmarshal([]byte(want), &b) != nil {
		return false
	}

	return reflect.DeepEqual(a, b)
}

// IsEvaluation reports whether the stack builds one host on a platform stack.
func (s *Settings) IsEvaluation() bool { return s.Role == RoleEvaluation }
