package iam

import "encoding/json"

// PolicyDocument is an IAM policy document. Building documents as Go values, rather than text,
// keeps every statement well-formed and lets tests parse them back.
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one IAM policy statement.
type Statement struct {
	Sid         string                    `json:"Sid,omitempty"`
	Effect      string                    `json:"Effect"`
	Principal   map[string]any            `json:"Principal,omitempty"`
	Action      []string                  `json:"Action"`
	Resource    []string                  `json:"Resource,omitempty"`
	NotResource []string                  `json:"NotResource,omitempty"`
	Condition   map[string]map[string]any `json:"Condition,omitempty"`
}

// NewPolicyDocument returns a document with the current policy language version.
func NewPolicyDocument(statements ...Statement) PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statement: statements}
}

// JSON renders the document.
func (d PolicyDocument) JSON() (string, error) {
	b, err := json.Marshal(d)

	return string(b), err
}
