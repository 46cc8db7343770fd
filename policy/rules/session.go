package rules

import (
	"encoding/json"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"gopkg.in/yaml.v3"
)

// SessionDocumentLogging makes every Session Manager session leave an encrypted transcript in S3
// and in CloudWatch Logs. The session preferences document is where Session Manager reads those
// settings; a document that turns them off makes sessions unaudited.
var SessionDocumentLogging = Rule{
	ID: "session-document-logging",
	Description: "Session documents (documentType \"Session\") are Standard_Stream sessions that " +
		"write to a named S3 bucket and a named CloudWatch log group, both with encryption " +
		"enabled, and encrypt session data with a named KMS key.",
	Level:    Mandatory,
	Types:    []string{typeSSMDocument},
	Resource: sessionDocumentLogging,
}

func sessionDocumentLogging(_ string, props resource.PropertyMap) []Violation {
	r := &report{}

	kind := get(props, "documentType")
	if kind.state == unknown {
		r.unknown(kind.path)
		return r.out
	}

	if s, _ := kind.str(); s != "Session" {
		return nil
	}

	content, ok := readDocumentContent(r, get(props, "content"), get(props, "documentFormat"))
	if !ok {
		return r.out
	}

	requireString(r, content.sub("sessionType"), "Standard_Stream")

	inputs := content.sub("inputs")
	requireNamed(r, inputs.sub("s3BucketName"), "transcripts must be written to S3")
	r.requireBool(inputs.sub("s3EncryptionEnabled"), true,
		"Session Manager must refuse a bucket without default encryption")
	requireNamed(r, inputs.sub("cloudWatchLogGroupName"),
		"transcripts must be written to CloudWatch Logs")
	r.requireBool(inputs.sub("cloudWatchEncryptionEnabled"), true,
		"Session Manager must refuse a log group without encryption")
	requireNamed(r, inputs.sub("kmsKeyId"), "session data must be encrypted with the project's key")

	return r.out
}

// readDocumentContent parses a document's content as JSON or, when documentFormat says so, YAML.
func readDocumentContent(r *report, content, format field) (field, bool) {
	if content.state == unknown {
		r.unknown(content.path)
		return field{}, false
	}

	text, ok := content.str()
	if !ok || text == "" {
		r.fail("%s is %s, not a session document", content.path, content.describe())
		return field{}, false
	}

	if format.state == unknown {
		r.unknown(format.path)
		return field{}, false
	}

	var doc map[string]any
	var err error
	if f, _ := format.str(); strings.EqualFold(f, "YAML") {
		err = yaml.Unmarshal([]byte(text), &doc)
	} else {
		err = json.Unmarshal([]byte(text), &doc)
	}

	if err != nil {
		r.fail("%s does not parse: %v", content.path, err)
		return field{}, false
	}

	props := resource.NewPropertyMapFromMap(doc)

	return field{path: content.path, value: resource.NewProperty(props), state: known}, true
}
