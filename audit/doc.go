// Package audit builds the evidence side of Session Manager: a customer-managed KMS key, the S3
// bucket that keeps session transcripts, the CloudWatch log group sessions stream to, the
// per-stack session preferences document that points sessions at both, the host's permission to
// write there, and the boot script that creates the Linux user sessions run as.
//
// It refuses to weaken the evidence: transcripts and streams are always encrypted with the stack's
// own key, the bucket never allows public access or plain-HTTP requests, the document never
// carries the account-wide default name, sessions never run as an account with sudo unless asked
// to, and the key, bucket and log group outlive the stack unless the caller says otherwise.
package audit
