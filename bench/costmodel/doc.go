// Package costmodel loads the repository's AWS price table (bench/prices.json) and AWS default
// quota table (bench/quotas.json) into typed, validated values for cost and quota measurements.
//
// It refuses a table whose numbers cannot be traced: every entry needs an id, a value that is
// positive or an explicit zero explained by a note, and a source on docs.aws.amazon.com or
// aws.amazon.com. Unknown fields, duplicate ids, negative or fractional counts and malformed dates
// are errors, each naming the entry it is about, so a bad edit fails in review rather than in a
// measurement.
package costmodel
