package settings

// Containment is the configuration of what keeps the evaluated agent inside its host.
type Containment struct{}

// containmentKeys are the keys of the containment controls.
var containmentKeys = []Key{}

// containment reads and validates the containment keys; s holds the sandbox settings read so far.
func (p *parser) containment(s *Settings) Containment {
	return Containment{}
}
