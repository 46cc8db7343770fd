package forensics

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Progress shows a long pull as it happens. The display names only sources and counts, never
// evidence text, so it needs no sanitising.
type Progress struct {
	mu       sync.Mutex
	w        io.Writer
	every    time.Duration
	last     time.Time
	counters []*progressCounter
	shown    bool
}

// NewProgress draws on w (a terminal) at most once per interval. A nil *Progress draws nothing.
func NewProgress(w io.Writer, every time.Duration) *Progress {
	return &Progress{w: w, every: every}
}

// progressCounter is one source's share of the display.
type progressCounter struct {
	p       *Progress
	name    string
	objects int64
	records int64
	bytes   int64
}

func (p *Progress) counter(name string) *progressCounter {
	c := &progressCounter{p: p, name: name}
	if p == nil {
		return c
	}
	p.mu.Lock()
	p.counters = append(p.counters, c)
	p.mu.Unlock()
	return c
}

func (c *progressCounter) addObject()       { c.update(func() { c.objects++ }) }
func (c *progressCounter) addRecord()       { c.update(func() { c.records++ }) }
func (c *progressCounter) addBytes(n int64) { c.update(func() { c.bytes += n }) }

func (c *progressCounter) update(change func()) {
	if c.p == nil {
		change()
		return
	}
	c.p.mu.Lock()
	defer c.p.mu.Unlock()

	change()
	if now := time.Now(); now.Sub(c.p.last) >= c.p.every {
		c.p.last = now
		c.p.draw()
	}
}

// draw rewrites the status line; the caller holds the lock.
func (p *Progress) draw() {
	line := "reading evidence:"
	var total int64
	for _, c := range p.counters {
		line += fmt.Sprintf(" %s %d objects %d records;", c.name, c.objects, c.records)
		total += c.bytes
	}
	line += " " + humanBytes(total)
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.shown = true
}

// Done clears the status line.
func (p *Progress) Done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
