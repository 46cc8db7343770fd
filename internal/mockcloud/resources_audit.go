package mockcloud

// auditSpecs are the types of session audit and operator access.
var auditSpecs = map[string]spec{}
