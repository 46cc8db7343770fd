package rules

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// presence says what a rule knows about one property.
type presence int

const (
	// absent: the property is not set (missing or null), so the provider's default applies.
	absent presence = iota
	// known: the property has a value the rule can read.
	known
	// unknown: the property has a value that is not known yet (a preview) or not readable.
	unknown
)

// field is one property reached by a path, with the path kept for messages.
type field struct {
	path  string
	value resource.PropertyValue
	state presence
}

// get reads a property by a path of object keys, looking through secrets and known outputs.
func get(props resource.PropertyMap, keys ...string) field {
	f := field{value: resource.NewProperty(props), state: known}

	return f.sub(keys...)
}

// sub follows object keys from f; an unknown or absent step makes the rest unknown or absent.
func (f field) sub(keys ...string) field {
	for _, k := range keys {
		f.path = joinPath(f.path, k)
		if f.state != known {
			continue
		}

		if !f.value.IsObject() {
			f.state = absent
			continue
		}

		v, ok := f.value.ObjectValue()[resource.PropertyKey(k)]
		if !ok {
			f.state = absent
			continue
		}

		f.value, f.state = unwrap(v)
	}

	return f
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}

	return path + "." + key
}

// unwrap removes secret and output wrappers and classifies the value.
func unwrap(v resource.PropertyValue) (resource.PropertyValue, presence) {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput():
			o := v.OutputValue()
			if !o.Known {
				return v, unknown
			}
			v = o.Element
		case v.IsComputed():
			return v, unknown
		case v.IsNull():
			return v, absent
		default:
			return v, known
		}
	}
}

// items returns the elements of an array field, each with its index in the path. A known value
// that is not an array yields a single element, so a malformed document is still checked.
func (f field) items() []field {
	if f.state != known {
		return nil
	}

	if !f.value.IsArray() {
		return []field{f}
	}

	arr := f.value.ArrayValue()
	out := make([]field, len(arr))
	for i, v := range arr {
		val, state := unwrap(v)
		out[i] = field{path: fmt.Sprintf("%s[%d]", f.path, i), value: val, state: state}
	}

	return out
}

// str returns the field's string value; ok is false when it is not a known string.
func (f field) str() (string, bool) {
	if f.state != known || !f.value.IsString() {
		return "", false
	}

	return f.value.StringValue(), true
}

// boolean returns the field's bool value; ok is false when it is not a known bool.
func (f field) boolean() (bool, bool) {
	if f.state != known || !f.value.IsBool() {
		return false, false
	}

	return f.value.BoolValue(), true
}

// number returns the field's numeric value; ok is false when it is not a known number.
func (f field) number() (float64, bool) {
	if f.state != known || !f.value.IsNumber() {
		return 0, false
	}

	return f.value.NumberValue(), true
}

// strings returns the known strings of an array field and the paths of its unknown elements.
func (f field) strings() (values []string, unknownPaths []string) {
	for _, it := range f.items() {
		if it.state == unknown {
			unknownPaths = append(unknownPaths, it.path)
			continue
		}

		if s, ok := it.str(); ok {
			values = append(values, s)
		}
	}

	return values, unknownPaths
}

// describe renders a known value for a message.
func (f field) describe() string {
	switch {
	case f.state == absent:
		return "not set"
	case f.state == unknown:
		return "unknown"
	case f.value.IsString():
		return fmt.Sprintf("%q", f.value.StringValue())
	default:
		return fmt.Sprintf("%v", f.value.V)
	}
}

// report collects the violations of one rule run.
type report struct {
	out []Violation
}

func (r *report) fail(format string, args ...any) {
	r.out = append(r.out, Violation{Message: fmt.Sprintf(format, args...)})
}

func (r *report) failOn(urn, format string, args ...any) {
	r.out = append(r.out, Violation{URN: urn, Message: fmt.Sprintf(format, args...)})
}

func (r *report) unknown(path string) {
	r.out = append(r.out, Violation{Message: unknownMessage(path), Unknown: true})
}

func (r *report) unknownOn(urn, path string) {
	r.out = append(r.out, Violation{URN: urn, Message: unknownMessage(path), Unknown: true})
}

// about runs a check whose findings concern another resource than the one the rule was given.
func (r *report) about(urn string, check func(*report)) {
	sub := &report{}
	check(sub)

	for _, v := range sub.out {
		if v.URN == "" {
			v.URN = urn
		}
		r.out = append(r.out, v)
	}
}

// requireBool checks that a field is the boolean want; an unknown value is reported as such.
func (r *report) requireBool(f field, want bool, why string) {
	switch f.state {
	case unknown:
		r.unknown(f.path)
	case absent:
		r.fail("%s is not set; it must be %t: %s", f.path, want, why)
	default:
		if b, ok := f.boolean(); !ok || b != want {
			r.fail("%s is %s; it must be %t: %s", f.path, f.describe(), want, why)
		}
	}
}

// requireNamed fails a field that is not a non-empty string.
func requireNamed(r *report, f field, why string) {
	switch f.state {
	case unknown:
		r.unknown(f.path)
	case absent:
		r.fail("%s is not set: %s", f.path, why)
	default:
		if s, ok := f.str(); !ok || strings.TrimSpace(s) == "" {
			r.fail("%s is %s: %s", f.path, f.describe(), why)
		}
	}
}

// requireString fails a field whose value is not the string want.
func requireString(r *report, f field, want string) {
	switch f.state {
	case unknown:
		r.unknown(f.path)
	case absent:
		r.fail("%s is not set; it must be %q", f.path, want)
	default:
		if s, _ := f.str(); s != want {
			r.fail("%s is %s; it must be %q", f.path, f.describe(), want)
		}
	}
}

// requireEmpty fails a field that holds a non-empty string or a non-empty list.
func requireEmpty(r *report, f field, why string) {
	if f.state == unknown {
		r.unknown(f.path)
		return
	}

	for _, it := range f.items() {
		if it.state == unknown {
			r.unknown(it.path)
			continue
		}

		if s, ok := it.str(); ok && s == "" {
			continue
		}

		r.fail("%s is %s; it must not be set: %s", it.path, it.describe(), why)
	}
}

// requireZero fails a numeric field that is set to more than zero.
func requireZero(r *report, f field, why string) {
	if f.state == unknown {
		r.unknown(f.path)
		return
	}

	if n, ok := f.number(); ok && n > 0 {
		r.fail("%s is %s; it must be 0: %s", f.path, f.describe(), why)
	}
}
