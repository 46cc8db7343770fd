package settings

// Audit is the session audit and operator access configuration.
type Audit struct{}

// auditKeys are the keys of session audit and operator access.
var auditKeys = []Key{}

// audit reads and validates the audit keys.
func (p *parser) audit() Audit {
	return Audit{}
}
