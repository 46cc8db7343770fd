package mockcloud

// containmentSpecs are the types of the containment controls.
var containmentSpecs = map[string]spec{}
