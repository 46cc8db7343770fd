package evals

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

const (
	// StackPrefix starts every evaluation stack's name, which is how list and reap tell
	// evaluation stacks from the project's others.
	StackPrefix = "eval-"

	// maxStackName is Pulumi's limit on a stack name.
	maxStackName = 100

	// maxIDLength keeps the id within Pulumi's 256-character limit on a stack tag value, where
	// the id is recorded.
	maxIDLength = 256

	// hashSeparator only appears in names of the hashed form: the direct form never contains
	// it, so the two forms cannot produce the same name.
	hashSeparator = "_"
	hashLength    = 12
)

// StackName turns an evaluation id into its stack name, deterministically.
//
// An id of lowercase letters, digits, '.' and '-' that fits is used as is: "run-42" becomes
// "eval-run-42". Any other id (uppercase, '_' or other characters, or too long) becomes its
// lowercased, cleaned prefix, '_', and 12 hex digits of the SHA-256 of the whole id:
// "Run 42" becomes "eval-run-42_" plus the hash. Names are lowercase so that ids differing only
// in case stay distinct on case-insensitive backends and file systems, and the '_' marks the
// hashed form, which is why two different ids never map to one name (short of a SHA-256
// collision in 48 bits, which `eval up` would still catch through the id tag).
func StackName(id string) (string, error) {
	if err := validateID(id); err != nil {
		return "", err
	}

	if isDirect(id) && len(StackPrefix)+len(id) <= maxStackName {
		return StackPrefix + id, nil
	}

	sum := sha256.Sum256([]byte(id))
	hash := hex.EncodeToString(sum[:])[:hashLength]

	room := maxStackName - len(StackPrefix) - len(hashSeparator) - hashLength
	stem := cleanStem(id)
	if len(stem) > room {
		stem = strings.TrimRight(stem[:room], "-.")
	}
	return StackPrefix + stem + hashSeparator + hash, nil
}

func validateID(id string) error {
	if id == "" {
		return errors.New("evaluation id is empty; give an id such as run-42 " +
			"(letters, digits, '.', '_' and '-')")
	}
	if len(id) > maxIDLength {
		return fmt.Errorf("evaluation id is %d characters long; the limit is %d",
			len(id), maxIDLength)
	}
	if !strings.ContainsFunc(id, isAlnum) {
		return fmt.Errorf("evaluation id %q has no ASCII letters or digits; use letters, digits, "+
			"'.', '_' and '-', for example run-42", id)
	}
	return nil
}

// isDirect reports whether id can be the stack name's suffix unchanged.
func isDirect(id string) bool {
	for _, r := range id {
		if !isLowerAlnum(r) && r != '.' && r != '-' {
			return false
		}
	}
	return true
}

// cleanStem lowercases id and replaces every run of characters other than lowercase letters,
// digits and '.' with one '-', so the hashed name still reads like the id.
func cleanStem(id string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(id) {
		if isLowerAlnum(r) || r == '.' {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-.")
}

func isLowerAlnum(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')
}

func isAlnum(r rune) bool {
	return isLowerAlnum(r) || (r >= 'A' && r <= 'Z')
}
