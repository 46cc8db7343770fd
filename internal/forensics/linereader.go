package forensics

import (
	"bufio"
	"errors"
	"io"
)

// DefaultMaxLine bounds one line of evidence held in memory. A longer line is counted as
// malformed and skipped to its end; the raw object still holds it (see the export).
const DefaultMaxLine = 1 << 20

// lineReader yields lines of at most max bytes without the trailing "\n" or "\r\n". Memory stays
// at one buffer of max bytes however long the input or its lines.
type lineReader struct {
	r   *bufio.Reader
	max int
	n   int64
}

func newLineReader(r io.Reader, max int) *lineReader {
	if max <= 0 {
		max = DefaultMaxLine
	}
	return &lineReader{r: bufio.NewReaderSize(r, max), max: max}
}

// errLineTooLong reports a line longer than the reader's bound; its length is in oversize.
var errLineTooLong = errors.New("line longer than the read buffer")

// next returns the next line (valid until the following call) and its 1-based number. At a line
// that is too long it returns errLineTooLong, the line's first bytes and its full length, having
// skipped the rest; the caller may go on reading. Any other error, io.EOF included, ends the input.
func (l *lineReader) next() (line []byte, n int64, oversize int64, err error) {
	line, err = l.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		l.n++
		head := append([]byte(nil), line[:min(len(line), excerptBytes)]...)
		first := int64(len(line))
		skipped, skipErr := l.skipLine()
		if skipErr != nil && !errors.Is(skipErr, io.EOF) {
			return nil, l.n, 0, skipErr
		}
		return head, l.n, first + skipped, errLineTooLong
	}
	if len(line) == 0 && err != nil {
		return nil, l.n, 0, err
	}

	l.n++
	line = trimEOL(line)
	if errors.Is(err, io.EOF) {
		// The last line had no newline; report it now and io.EOF on the next call.
		err = nil
	}
	return line, l.n, 0, err
}

func (l *lineReader) skipLine() (int64, error) {
	var skipped int64
	for {
		chunk, err := l.r.ReadSlice('\n')
		skipped += int64(len(chunk))
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return skipped, err
	}
}

func trimEOL(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line
}
