package forensics

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
)

// exportNames hands out the file names of one export. A key is the agent's choice: keys "x"
// and "x/y" cannot both be a file and a directory, and "A" and "a" are one file on a
// case-insensitive file system (macOS, Windows). So a key becomes a single escaped name, and a
// name already given out (compared case-insensitively) gets a suffix from a hash of its source.
type exportNames struct {
	taken map[string]bool
}

func newExportNames() *exportNames {
	return &exportNames{taken: map[string]bool{}}
}

// claim returns dir/name, or dir/name~HASH when that is taken; source (the exact S3 object or
// log group) seeds the hash, so the suffix says which source a name was given to.
func (n *exportNames) claim(dir, name, source string) string {
	candidate := path.Join(dir, name)
	for i := 0; n.taken[strings.ToLower(candidate)]; i++ {
		sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", source, i))
		candidate = path.Join(dir, name+"~"+hex.EncodeToString(sum[:6]))
	}
	n.taken[strings.ToLower(candidate)] = true
	return candidate
}

// maxSegment keeps an escaped name well under the 255-byte limit of common file systems.
const maxSegment = 200

// safeSegment percent-escapes every byte outside [A-Za-z0-9._-], "/" included, so nothing in a
// name can climb out of the export directory, make a directory, name a device, or carry a
// control character into SHA256SUMS; ".", ".." and "" are escaped whole, and an over-long
// result is cut and suffixed with a hash of the original.
func safeSegment(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isSafeByte(c) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	out := b.String()
	switch out {
	case "":
		out = "%"
	case ".":
		out = "%2E"
	case "..":
		out = "%2E%2E"
	}
	if len(out) > maxSegment {
		sum := sha256.Sum256([]byte(s))
		out = out[:maxSegment] + "~" + hex.EncodeToString(sum[:8])
	}
	return out
}

func isSafeByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == '_' || c == '-'
}
