package mockcloud

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Options configure the stand-in account.
type Options struct {
	// Region is the AWS region the resources live in; default us-east-1.
	Region string
	// AccountID is the twelve-digit account id; default 123456789012, AWS's documentation account.
	AccountID string
}

// Cloud is one fake AWS account in one region. It is safe for concurrent use: the engine
// registers resources in parallel.
type Cloud struct {
	region  string
	account string

	mu    sync.Mutex
	state map[string]resource.PropertyMap // by id: what Resource returned, for later look-ups
}

// New returns a fake account with the given options.
func New(opts Options) *Cloud {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}

	if opts.AccountID == "" {
		opts.AccountID = "123456789012"
	}

	return &Cloud{region: opts.Region, account: opts.AccountID, state: map[string]resource.PropertyMap{}}
}

// Region returns the fake account's region.
func (c *Cloud) Region() string { return c.region }

// AccountID returns the fake account's id.
func (c *Cloud) AccountID() string { return c.account }

// Resource answers the creation of a resource: its id and its full state, the inputs plus the
// fields AWS computes. It fails for a type it does not model.
func (c *Cloud) Resource(typ, name string, inputs resource.PropertyMap) (string, resource.PropertyMap, error) {
	spec, ok := resourceSpecs[typ]
	if !ok {
		return "", nil, fmt.Errorf("mockcloud: resource type %s is not modelled; "+
			"add it to internal/mockcloud/resources.go", typ)
	}

	r := &created{cloud: c, typ: typ, name: name, seed: seed(typ, name), out: inputs.Copy()}
	id := spec(r)
	r.out["id"] = resource.NewStringProperty(id)

	c.mu.Lock()
	c.state[id] = r.out
	c.mu.Unlock()

	return id, r.out, nil
}

// lookup returns the state of a resource created earlier, by id.
func (c *Cloud) lookup(id string) (resource.PropertyMap, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()

	s, ok := c.state[id]

	return s, ok
}

// seed is the stable hash every fake identifier of one resource is cut from.
func seed(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}

	return hex.EncodeToString(h.Sum(nil))
}
