// Package forensics reads the evidence an evaluation host leaves behind and merges it into one
// ordered timeline: Session Manager transcripts (S3 objects and CloudWatch Logs streams), Route 53
// Resolver query logs, VPC flow logs and CloudTrail records of calls made with the host's role.
//
// The evaluated agent wrote much of this evidence itself, so every reader treats it as hostile:
// records are read as streams with bounded buffers, a record that does not parse is counted in the
// Report with its location and reason (never dropped silently, never fatal), and text is kept
// verbatim so that presenters decide how to neutralise it (see Sanitize for terminals, the web
// package for browsers). The package refuses locations that do not name an instance and a region,
// and never writes to the evidence it reads.
package forensics
