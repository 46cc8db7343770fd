package render

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// StackReferenceType is the type the SDK reads another stack's outputs through: a read of the
// resource whose id is the referenced stack's name.
const StackReferenceType = "pulumi:pulumi:StackReference"

// stackReference answers a read of another stack with the outputs the render was given, in the
// state shape the engine's built-in provider returns: name, outputs, secretOutputNames.
func (m *monitor) stackReference(stack string) (string, resource.PropertyMap, error) {
	if m.platform == nil {
		return "", nil, fmt.Errorf("stack %s reads stack %s, whose outputs the offline render "+
			"does not have; render the platform stack, save its outputs "+
			"(crucible render --stack <platform> --outputs-json > platform.json) and pass "+
			"--platform-outputs platform.json", m.stack, stack)
	}

	return stack, resource.PropertyMap{
		"name":              resource.NewStringProperty(stack),
		"outputs":           resource.NewObjectProperty(resource.NewPropertyMapFromMap(m.platform)),
		"secretOutputNames": resource.NewArrayProperty([]resource.PropertyValue{}),
	}, nil
}

// LoadOutputs reads a stack's outputs from a file holding a JSON object of output names to
// values, as `pulumi stack output --json` and `crucible render --outputs-json` print it.
func LoadOutputs(path string) (map[string]any, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("render: platform outputs: %w", err)
	}

	var outputs map[string]any
	if err := json.Unmarshal(raw, &outputs); err != nil {
		return nil, fmt.Errorf("render: platform outputs %s: not a JSON object of stack "+
			"outputs: %w", path, err)
	}

	return outputs, nil
}
