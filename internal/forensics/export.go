package forensics

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// ManifestName and SumsName are the files Export writes beside the evidence.
const (
	ManifestName = "manifest.json"
	SumsName     = "SHA256SUMS"
)

// Manifest describes an export: where each file came from and its SHA-256, so the evidence can
// be archived or handed over and checked later (`sha256sum -c SHA256SUMS`).
type Manifest struct {
	CreatedAt time.Time      `json:"createdAt"`
	Locations Locations      `json:"locations"`
	Since     time.Time      `json:"since,omitzero"`
	Until     time.Time      `json:"until,omitzero"`
	Files     []ManifestFile `json:"files"`
	Skipped   []string       `json:"skipped,omitempty"`
	// SkippedObjects are S3 objects listed but not exported, each with the reason.
	SkippedObjects []SkippedObject `json:"skippedObjects,omitempty"`
}

// SkippedObject is an S3 object the export lists but does not copy.
type SkippedObject struct {
	Source    string `json:"source"`
	VersionID string `json:"versionId,omitempty"`
	Size      int64  `json:"size"`
	Reason    string `json:"reason"`
}

// ManifestFile is one exported file.
type ManifestFile struct {
	// Path is relative to the export directory, always with "/" separators.
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// Source is the S3 object (s3://bucket/key) or the log group (logs:group) it came from.
	Source       string    `json:"source"`
	VersionID    string    `json:"versionId,omitempty"`
	ETag         string    `json:"etag,omitempty"`
	LastModified time.Time `json:"lastModified,omitzero"`
	// Events counts the log events in a log group's file.
	Events int64 `json:"events,omitempty"`
}

// ExportOptions say what to export and where.
type ExportOptions struct {
	Locations Locations
	// Since and Until bound the log events and CloudTrail days exported; transcripts are
	// exported whole.
	Filter Filter
	OutDir string
	// MaxObjectBytes bounds one exported S3 object (DefaultMaxObjectBytes when zero): the
	// agent can upload objects as large as it likes, and a larger one is listed in the
	// manifest's skippedObjects instead of filling the disk.
	MaxObjectBytes int64
	Progress       *Progress
}

// Export copies the raw evidence into an empty or new directory: S3 objects byte for byte, each
// log group's events as JSON Lines ({"logStreamName","timestamp","ingestionTime","eventId",
// "message"}), then the manifest and SHA256SUMS. File names come from object keys the evaluated
// agent may have chosen, so each key becomes one escaped file name (never a directory), names
// that would coincide get a hash suffix, and every write is confined to the directory.
func Export(ctx context.Context, clients Clients, opts ExportOptions) (*Manifest, error) {
	if opts.MaxObjectBytes <= 0 {
		opts.MaxObjectBytes = DefaultMaxObjectBytes
	}
	if err := opts.Locations.Validate(); err != nil {
		return nil, err
	}
	if err := opts.Filter.Validate(); err != nil {
		return nil, fmt.Errorf("forensics: %w", err)
	}
	root, err := openEmptyDir(opts.OutDir)
	if err != nil {
		return nil, err
	}
	defer root.Close()

	x := &exporter{clients: clients, opts: opts, root: root, names: newExportNames(), manifest: &Manifest{
		CreatedAt: time.Now().UTC(),
		Locations: opts.Locations,
		Since:     opts.Filter.Since,
		Until:     opts.Filter.Until,
	}}
	steps := []func(context.Context) error{
		x.transcripts, x.trail,
		x.logGroup(OutputSessionLogGroupName, opts.Locations.SessionLogGroupName),
		x.logGroup(OutputDNSQueryLogGroupName, opts.Locations.DNSQueryLogGroupName),
		x.logGroup(OutputFlowLogGroupName, opts.Locations.FlowLogGroupName),
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	opts.Progress.Done()

	if err := x.writeManifest(); err != nil {
		return nil, err
	}
	return x.manifest, nil
}

// openEmptyDir creates dir (0700: evidence is sensitive) or accepts it empty, and returns a
// root that keeps every later write inside it.
func openEmptyDir(dir string) (*os.Root, error) {
	if dir == "" {
		return nil, errors.New("--out: name a directory to export into")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("--out %s is not empty: export into a new directory so the "+
			"manifest describes exactly what is there", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	return root, nil
}

type exporter struct {
	clients  Clients
	opts     ExportOptions
	root     *os.Root
	names    *exportNames
	manifest *Manifest
}

// transcripts copies every version of every object under the transcript prefix: the agent can
// overwrite or delete a transcript, and a versioned bucket keeps what it held before. Where the
// versions cannot be listed (no s3:ListBucketVersions) the current objects are copied and the
// manifest says what was not.
func (x *exporter) transcripts(ctx context.Context) error {
	loc := x.opts.Locations
	if loc.AuditBucketName == "" {
		x.skip("session transcripts: the evaluation has no auditBucketName output")
		return nil
	}
	prefix := strings.TrimSuffix(loc.AuditTranscriptPrefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	bucket := loc.AuditBucketName
	progress := x.opts.Progress.counter("transcripts")

	listed := false
	err := eachObjectVersion(ctx, x.clients.S3, bucket, prefix,
		func(v s3types.ObjectVersion) error {
			listed = true
			return x.copyObject(ctx, bucket, objectVersion{
				key: str(v.Key), versionID: str(v.VersionId), size: aws.ToInt64(v.Size),
				earlier: !aws.ToBool(v.IsLatest),
			}, progress)
		},
		func(d s3types.DeleteMarkerEntry) {
			listed = true
			x.skipObject(s3URL(bucket, str(d.Key)), str(d.VersionId), 0,
				"delete marker: the key was deleted; its earlier versions are exported")
		})
	if err == nil || listed || ctx.Err() != nil {
		return err
	}

	x.skip("earlier versions of session transcripts: " + err.Error())
	return eachObject(ctx, x.clients.S3, bucket, prefix, func(obj s3types.Object) error {
		return x.copyObject(ctx, bucket, objectVersion{
			key: str(obj.Key), size: aws.ToInt64(obj.Size),
		}, progress)
	})
}

func (x *exporter) trail(ctx context.Context) error {
	loc := x.opts.Locations
	if loc.TrailBucketName == "" {
		x.skip("CloudTrail: no --trail-bucket given")
		return nil
	}
	prefix := strings.TrimSuffix(loc.TrailPrefix, "/")
	if prefix != "" {
		prefix += "/"
	}
	progress := x.opts.Progress.counter("cloudtrail")
	return eachObject(ctx, x.clients.S3, loc.TrailBucketName, prefix+"AWSLogs/",
		func(obj s3types.Object) error {
			m := trailKey.FindStringSubmatch(str(obj.Key))
			if m == nil || !x.opts.Filter.coversDeliveryDay(m[1]) {
				return nil
			}
			return x.copyObject(ctx, loc.TrailBucketName, objectVersion{
				key: str(obj.Key), size: aws.ToInt64(obj.Size),
			}, progress)
		})
}

// objectVersion is one S3 object to export: the current one, or an earlier version.
type objectVersion struct {
	key       string
	versionID string
	size      int64
	earlier   bool
}

// copyObject streams one object to s3/<bucket>/<escaped key> (an earlier version to
// <escaped key>@<escaped version id>), hashing as it writes. An object over the size bound is
// listed in the manifest as skipped, not copied.
func (x *exporter) copyObject(ctx context.Context, bucket string, obj objectVersion,
	progress *progressCounter,
) error {
	source := s3URL(bucket, obj.key)
	if obj.size > x.opts.MaxObjectBytes {
		x.skipObject(source, obj.versionID, obj.size, x.tooLarge())
		return nil
	}

	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(obj.key)}
	name := safeSegment(obj.key)
	if obj.earlier {
		in.VersionId = aws.String(obj.versionID)
		name += "@" + safeSegment(obj.versionID)
	}
	out, err := x.clients.S3.GetObject(ctx, in)
	if err != nil {
		return x.unreadable(ctx, source, obj.versionID, obj.size, err)
	}
	defer out.Body.Close()
	progress.addObject()

	file := ManifestFile{
		Path:      x.names.claim(path.Join("s3", safeSegment(bucket)), name, source),
		Source:    source,
		VersionID: str(out.VersionId),
		ETag:      str(out.ETag),
	}
	if out.LastModified != nil {
		file.LastModified = out.LastModified.UTC()
	}
	max := x.opts.MaxObjectBytes
	body := &readErrors{r: &limitedReader{
		r: countingReader{out.Body, progress}, left: max, max: max,
	}}
	err = x.writeFile(&file, func(w io.Writer) error {
		_, err := io.Copy(w, body)
		return err
	})
	switch {
	case errors.Is(err, errObjectTooLarge):
		x.skipObject(source, file.VersionID, aws.ToInt64(out.ContentLength), x.tooLarge())
		return x.discard(file.Path)
	case err != nil && body.err != nil:
		if err := x.unreadable(ctx, source, file.VersionID, aws.ToInt64(out.ContentLength),
			body.err); err != nil {
			return err
		}
		return x.discard(file.Path)
	}
	return err
}

// unreadable lists an object that could not be read as skipped and goes on: the host role can
// write objects the reviewer cannot read (SSE-C with the agent's own key, say), and one of
// them must not stop the export of the rest. A cancelled export still stops.
func (x *exporter) unreadable(ctx context.Context, source, versionID string, size int64,
	err error,
) error {
	if ctx.Err() != nil {
		return fmt.Errorf("forensics: export %s: %w", source, err)
	}
	x.skipObject(source, versionID, size, "unreadable: "+err.Error())
	return nil
}

// readErrors remembers the error its reader returned, telling a failed read (the object's
// fault) from a failed write (the export directory's).
type readErrors struct {
	r   io.Reader
	err error
}

func (r *readErrors) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		r.err = err
	}
	return n, err
}

func (x *exporter) tooLarge() string {
	return fmt.Sprintf("larger than --max-object-bytes %d", x.opts.MaxObjectBytes)
}

// discard removes a file that was started but is not part of the export.
func (x *exporter) discard(name string) error {
	if err := x.root.Remove(name); err != nil {
		return fmt.Errorf("forensics: export %s: %w", name, err)
	}
	return nil
}

func (x *exporter) skipObject(source, versionID string, size int64, reason string) {
	x.manifest.SkippedObjects = append(x.manifest.SkippedObjects, SkippedObject{
		Source: source, VersionID: versionID, Size: size, Reason: reason,
	})
}

// logGroup exports one group's events in the window as JSON Lines, in the order the service
// returns them.
func (x *exporter) logGroup(output, group string) func(context.Context) error {
	return func(ctx context.Context) error {
		if group == "" {
			x.skip(fmt.Sprintf("log group: the evaluation has no %s output", output))
			return nil
		}
		progress := x.opts.Progress.counter(output)
		file := ManifestFile{
			Path:   x.names.claim("logs", safeSegment(group)+".jsonl", "logs:"+group),
			Source: "logs:" + group,
		}

		err := x.writeFile(&file, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetEscapeHTML(false)
			return eachLogEvent(ctx, x.clients.Logs, group, x.opts.Filter,
				func(ev logtypes.FilteredLogEvent) error {
					file.Events++
					progress.addRecord()
					return enc.Encode(struct {
						LogStreamName string `json:"logStreamName"`
						Timestamp     int64  `json:"timestamp"`
						IngestionTime int64  `json:"ingestionTime"`
						EventID       string `json:"eventId"`
						Message       string `json:"message"`
					}{
						str(ev.LogStreamName), aws.ToInt64(ev.Timestamp),
						aws.ToInt64(ev.IngestionTime), str(ev.EventId), str(ev.Message),
					})
				})
		})
		if errors.Is(err, errLogGroupMissing) {
			x.skip("log group " + group + " does not exist")
			return x.discard(file.Path)
		}
		return err
	}
}

// writeFile creates file.Path inside the export directory (never replacing a file), lets fill
// write it, and records its size and SHA-256 in the manifest.
func (x *exporter) writeFile(file *ManifestFile, fill func(io.Writer) error) error {
	if err := x.root.MkdirAll(path.Dir(file.Path), 0o700); err != nil {
		return fmt.Errorf("forensics: export %s: %w", file.Path, err)
	}
	f, err := x.root.OpenFile(file.Path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("forensics: export %s: %w", file.Path, err)
	}
	defer f.Close()

	hash := sha256.New()
	buf := bufio.NewWriter(io.MultiWriter(f, hash))
	counter := &byteCounter{w: buf}
	if err := fill(counter); err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("forensics: export %s: %w", file.Path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("forensics: export %s: %w", file.Path, err)
	}

	file.Size = counter.n
	file.SHA256 = hex.EncodeToString(hash.Sum(nil))
	x.manifest.Files = append(x.manifest.Files, *file)
	return nil
}

func (x *exporter) skip(why string) {
	x.manifest.Skipped = append(x.manifest.Skipped, why)
}

func (x *exporter) writeManifest() error {
	sort.Slice(x.manifest.Files, func(i, j int) bool {
		return x.manifest.Files[i].Path < x.manifest.Files[j].Path
	})
	data, err := json.MarshalIndent(x.manifest, "", "  ")
	if err != nil {
		return fmt.Errorf("forensics: manifest: %w", err)
	}
	if err := x.root.WriteFile(ManifestName, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("forensics: manifest: %w", err)
	}

	var sums strings.Builder
	for _, f := range x.manifest.Files {
		fmt.Fprintf(&sums, "%s  %s\n", f.SHA256, f.Path)
	}
	if err := x.root.WriteFile(SumsName, []byte(sums.String()), 0o600); err != nil {
		return fmt.Errorf("forensics: %s: %w", SumsName, err)
	}
	return nil
}

type byteCounter struct {
	w io.Writer
	n int64
}

func (c *byteCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
