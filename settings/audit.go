package settings

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Audit is the session audit and operator access configuration.
type Audit struct {
	// RetentionDays is how long session logs live in CloudWatch Logs and transcripts in S3.
	RetentionDays int
	// TransitionDays moves transcripts to S3 Glacier Instant Retrieval after that many days;
	// 0 keeps them in S3 Standard.
	TransitionDays int
	// ObjectLockDays is the S3 Object Lock governance-mode retention of each transcript; 0 is off.
	ObjectLockDays int
	// RetainOnDestroy keeps the key, the bucket and the log group when the stack is destroyed.
	RetainOnDestroy bool

	// IdleTimeoutMinutes ends a session after that many idle minutes.
	IdleTimeoutMinutes int
	// MaxDurationMinutes ends a session after that many minutes whatever happens in it.
	MaxDurationMinutes int
	// RunAsUser is the Linux user every session runs as.
	RunAsUser string
	// Sudo gives RunAsUser passwordless sudo.
	Sudo bool

	// OperatorPrincipals are the IAM role and user ARNs the operator policy is attached to.
	OperatorPrincipals []Principal
	// AccessRevoked denies every session on the host, whoever asks.
	AccessRevoked bool
}

// Principal is an IAM role or user named by its ARN.
type Principal struct {
	// Arn is the principal's ARN as configured.
	Arn string
	// Partition and AccountID are the ARN's partition and account.
	Partition string
	AccountID string
	// Kind is "role" or "user".
	Kind string
	// Name is the role or user name, without its path: what attachments take.
	Name string
}

// CloudWatchRetentionDays are the retention periods CloudWatch Logs accepts (PutRetentionPolicy).
var CloudWatchRetentionDays = []int{
	1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
	3288, 3653,
}

// maxRetentionDays is CloudWatch Logs' longest retention, ten years.
const maxRetentionDays = 3653

// Session Manager's bounds on session preferences, in minutes.
const (
	MaxIdleTimeoutMinutes = 60
	MaxSessionMinutes     = 1440
)

// maxObjectLockDays is S3's longest default retention, 100 years.
const maxObjectLockDays = 36500

// DefaultRunAsUser is the Linux user sessions run as when the stack does not name one.
const DefaultRunAsUser = "crucible-operator"

var (
	// LinuxUserPattern is the portable user name of useradd: lower case, digits, _ and -, not
	// starting with a digit or dash, at most 32 characters.
	LinuxUserPattern = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	// AccountIDPattern is an AWS account id.
	AccountIDPattern = regexp.MustCompile(`^` + accountID + `$`)
	// IAMNamePattern is the name of an IAM role or user, without its path.
	IAMNamePattern = regexp.MustCompile(`^` + iamName + `$`)
	// principalPattern is an IAM role or user ARN, with an optional path.
	principalPattern = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::(` + accountID +
		`):(role|user)/((?:[\x21-\x7e]+/)*)(` + iamName + `)$`)
)

// Pieces of the patterns above, as IAM defines them.
const (
	accountID = `\d{12}`
	iamName   = `[\w+=,.@-]{1,64}`
)

// reservedUsers are accounts that exist on Amazon Linux 2023 or that the agent creates; running
// sessions as one of them would inherit its privileges (ssm-user and ec2-user have sudo).
var reservedUsers = []string{
	"root", "bin", "daemon", "adm", "lp", "sync", "shutdown", "halt", "mail", "operator", "games",
	"ftp", "nobody", "ec2-user", "ssm-user", "ec2-instance-connect", "chrony", "sshd", "dbus",
	"rpc", "rpcuser", "tss", "systemd-network", "systemd-resolve", "systemd-timesync",
	"systemd-oom", "systemd-coredump",
}

// auditKeys are the keys of session audit and operator access.
var auditKeys = []Key{
	{
		Name: "auditRetentionDays", Type: "integer", Default: 365,
		Description: "Days session logs are kept in CloudWatch Logs and transcripts in S3; " +
			"one of CloudWatch Logs' retention values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, " +
			"180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).",
	},
	{
		Name: "auditTransitionDays", Type: "integer", Default: 0,
		Description: "Days after which transcripts move to S3 Glacier Instant Retrieval; " +
			"0 keeps them in S3 Standard. Must be less than auditRetentionDays.",
	},
	{
		Name: "auditObjectLockDays", Type: "integer", Default: 0,
		Description: "S3 Object Lock retention of each transcript in governance mode, in days; " +
			"0 turns Object Lock off. At most auditRetentionDays.",
	},
	{
		Name: "auditRetainOnDestroy", Type: "boolean", Default: true,
		Description: "Keep the audit key, transcript bucket and session log group when the " +
			"stack is destroyed. Set false only for throwaway stacks.",
	},
	{
		Name: "sessionIdleTimeoutMinutes", Type: "integer", Default: 20,
		Description: "Minutes of inactivity after which Session Manager ends a session (1 to 60).",
	},
	{
		Name: "sessionMaxDurationMinutes", Type: "integer", Default: 60,
		Description: "Minutes after which Session Manager ends any session (1 to 1440).",
	},
	{
		Name: "sessionRunAsUser", Type: "string", Default: DefaultRunAsUser,
		Description: "Linux user every session runs as; the host creates it at first boot, " +
			"without a password.",
	},
	{
		Name: "sessionSudo", Type: "boolean", Default: false,
		Description: "Give sessionRunAsUser passwordless sudo. Off by default: sessions run " +
			"unprivileged.",
	},
	{
		Name: "operatorPrincipals", Type: "array",
		Description: "IAM role or user ARNs of this account that get the operator policy " +
			"(list of strings).",
	},
	{
		Name: "accessRevoked", Type: "boolean", Default: false,
		Description: "Revoke every session on the host: operators are denied and the host's " +
			"agent cannot open session channels for anyone, administrators included.",
	},
}

// audit reads and validates the audit keys.
func (p *parser) audit() Audit {
	a := Audit{
		RetentionDays:      p.retentionDays("auditRetentionDays"),
		TransitionDays:     p.integer("auditTransitionDays", 0, maxRetentionDays),
		ObjectLockDays:     p.integer("auditObjectLockDays", 0, maxObjectLockDays),
		RetainOnDestroy:    p.boolean("auditRetainOnDestroy"),
		IdleTimeoutMinutes: p.integer("sessionIdleTimeoutMinutes", 1, MaxIdleTimeoutMinutes),
		MaxDurationMinutes: p.integer("sessionMaxDurationMinutes", 1, MaxSessionMinutes),
		RunAsUser:          p.runAsUser("sessionRunAsUser"),
		Sudo:               p.boolean("sessionSudo"),
		OperatorPrincipals: p.principals("operatorPrincipals"),
		AccessRevoked:      p.boolean("accessRevoked"),
	}

	if a.RetentionDays == 0 {
		return a
	}

	if a.TransitionDays >= a.RetentionDays {
		p.fail(Namespace+":auditTransitionDays", "%d is not less than auditRetentionDays %d: "+
			"transcripts would expire before they move; use 0 or a smaller number",
			a.TransitionDays, a.RetentionDays)
	}

	if a.ObjectLockDays > a.RetentionDays {
		p.fail(Namespace+":auditObjectLockDays", "%d is longer than auditRetentionDays %d: "+
			"locked transcripts could not expire; use at most %d", a.ObjectLockDays,
			a.RetentionDays, a.RetentionDays)
	}

	return a
}

func (p *parser) retentionDays(name string) int {
	v, _ := p.raw(name)

	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || !slices.Contains(CloudWatchRetentionDays, n) {
		p.fail(Namespace+":"+name, "%q is not a retention CloudWatch Logs accepts; allowed: %s",
			v, joinInts(CloudWatchRetentionDays))

		return 0
	}

	return n
}

func (p *parser) runAsUser(name string) string {
	key := Namespace + ":" + name
	v, _ := p.raw(name)

	if !LinuxUserPattern.MatchString(v) {
		p.fail(key, "%q is not a Linux user name: 1 to 32 of a-z, 0-9, _ and -, starting "+
			"with a letter or _", v)

		return ""
	}

	if slices.Contains(reservedUsers, v) {
		p.fail(key, "%q is an account the image or the Session Manager agent already has; "+
			"sessions would inherit its privileges. Choose a new name, such as %s",
			v, DefaultRunAsUser)

		return ""
	}

	return v
}

func (p *parser) principals(name string) []Principal {
	key := Namespace + ":" + name

	v, ok := p.raw(name)
	if !ok || strings.TrimSpace(v) == "" {
		return nil
	}

	var arns []string
	if err := json.Unmarshal([]byte(v), &arns); err != nil {
		p.fail(key, "is not a list of strings (%v); set it with "+
			"`pulumi config set --path 'operatorPrincipals[0]' arn:aws:iam::<account>:role/<name>`",
			err)

		return nil
	}

	regionPartition := partitionOf(p.src.Values[RegionKey])
	seen := map[string]bool{}
	out := make([]Principal, 0, len(arns))

	for i, arn := range arns {
		m := principalPattern.FindStringSubmatch(arn)
		if m == nil {
			p.fail(fmt.Sprintf("%s[%d]", key, i), "%q is not an IAM role or user ARN such as "+
				"arn:aws:iam::123456789012:role/evaluator or arn:aws:iam::123456789012:user/alice",
				arn)

			continue
		}

		pr := Principal{Arn: arn, Partition: m[1], AccountID: m[2], Kind: m[3], Name: m[5]}
		if regionPartition != "" && pr.Partition != regionPartition {
			p.fail(fmt.Sprintf("%s[%d]", key, i), "%q is in partition %s, but aws:region is "+
				"in %s", arn, pr.Partition, regionPartition)

			continue
		}

		id := pr.Kind + "/" + pr.Name
		if seen[id] {
			p.fail(fmt.Sprintf("%s[%d]", key, i), "%s %s is listed twice", pr.Kind, pr.Name)

			continue
		}

		seen[id] = true
		out = append(out, pr)
	}

	return out
}

// partitionOf returns the AWS partition of a region name, or "" when the region is not set.
func partitionOf(region string) string {
	switch {
	case region == "":
		return ""
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}

	return "aws"
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}

	return strings.Join(s, ", ")
}
