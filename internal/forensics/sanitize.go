package forensics

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Sanitize makes hostile text safe to print on a terminal. Every byte that a terminal could act
// on is shown as a visible escape instead: C0 controls and DEL (so ESC starts no ANSI or OSC
// sequence and CR cannot overwrite the line), C1 controls (8-bit CSI and OSC), bidirectional
// overrides and line separators (which reorder or split what the reviewer reads), and bytes that
// are not UTF-8. A backslash is doubled, so an escape the evidence contained is told apart from
// one Sanitize wrote. Newlines are escaped too: one record stays one line.
func Sanitize(s string) string {
	if isPlain(s) {
		return s
	}

	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
			i++
			continue
		}
		writeRune(&b, r)
		i += size
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII without backslashes: the common case, returned
// without copying.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '\\' {
			return false
		}
	}
	return true
}

func writeRune(b *strings.Builder, r rune) {
	switch {
	case r == '\\':
		b.WriteString(`\\`)
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r == '\t':
		b.WriteString(`\t`)
	case r < 0x20 || r == 0x7f:
		fmt.Fprintf(b, `\x%02x`, r)
	case r >= 0x80 && r <= 0x9f:
		fmt.Fprintf(b, `\u%04x`, r)
	case unsafeFormatRune(r):
		fmt.Fprintf(b, `\u%04x`, r)
	default:
		b.WriteRune(r)
	}
}

// unsafeFormatRune lists the Unicode format characters that change how surrounding text is
// displayed: bidirectional embeddings, overrides and isolates, and the line and paragraph
// separators.
func unsafeFormatRune(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x200e || r == 0x200f || r == 0x061c:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	}
	return false
}

// escapeJSONUnsafe rewrites, inside already-encoded JSON, the runes that encoding/json leaves raw
// but a terminal may act on (C1 controls, bidirectional formatting). Outside strings JSON is
// ASCII, so every such rune is inside a string, where a \u escape means the same thing.
func escapeJSONUnsafe(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); i++ {
		if b[i] >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return b
	}

	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if (r >= 0x80 && r <= 0x9f) || unsafeFormatRune(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}
