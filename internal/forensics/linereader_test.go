package forensics

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestLineReaderSkipsALineLongerThanItsBufferAndGoesOn(t *testing.T) {
	huge := strings.Repeat("x", 10_000)
	input := "first\r\n" + huge + "\nthird\nlast without newline"
	lr := newLineReader(strings.NewReader(input), 64)

	type got struct {
		line     string
		n        int64
		oversize int64
		tooLong  bool
	}
	var lines []got
	for {
		line, n, oversize, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, errLineTooLong) {
			t.Fatalf("line %d: %v", n, err)
		}
		lines = append(lines, got{string(line), n, oversize, errors.Is(err, errLineTooLong)})
	}

	want := []got{
		{"first", 1, 0, false},
		{huge[:64], 2, 10_001, true}, // the excerpt is what the 64-byte buffer held
		{"third", 3, 0, false},
		{"last without newline", 4, 0, false},
	}
	if len(lines) != len(want) {
		t.Fatalf("read %d lines, want %d: %+v", len(lines), len(want), lines)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i+1, lines[i], want[i])
		}
	}
}
