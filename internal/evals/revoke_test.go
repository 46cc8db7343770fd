package evals

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ssmCall is one request the Systems Manager stand-in received.
type ssmCall struct {
	Target string
	Body   map[string]any
}

// fakeSSM is a local HTTP stand-in for the Systems Manager JSON API: it answers
// DescribeSessions with two pages of sessions and records every call.
type fakeSSM struct {
	mu    sync.Mutex
	calls []ssmCall
	pages []string // DescribeSessions responses, in order
	fail  string   // an operation to answer with an error
	// failSession is a session id whose TerminateSession is answered with an error.
	failSession string
}

func (f *fakeSSM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	data, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(data, &body)
	target := r.Header.Get("X-Amz-Target")

	f.mu.Lock()
	f.calls = append(f.calls, ssmCall{Target: target, Body: body})
	f.mu.Unlock()

	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if target == f.fail || (target == "AmazonSSM.TerminateSession" &&
		f.failSession != "" && body["SessionId"] == f.failSession) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"InvalidParameterValueException","message":"nope"}`)
		return
	}
	switch target {
	case "AmazonSSM.DescribeSessions":
		page := `{"Sessions":[]}`
		if _, ok := body["NextToken"]; ok {
			page = f.pages[1]
		} else if len(f.pages) > 0 {
			page = f.pages[0]
		}
		_, _ = io.WriteString(w, page)
	case "AmazonSSM.TerminateSession":
		_, _ = io.WriteString(w, `{"SessionId":"`+body["SessionId"].(string)+`"}`)
	default:
		w.WriteHeader(http.StatusBadRequest)
	}
}

func (f *fakeSSM) Calls() []ssmCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ssmCall(nil), f.calls...)
}

func twoPagesOfSessions() *fakeSSM {
	return &fakeSSM{pages: []string{
		`{"Sessions":[{"SessionId":"alice-0a1b2c","Target":"i-eval-run-42","Status":"Connected"}],` +
			`"NextToken":"page-2"}`,
		`{"Sessions":[{"SessionId":"bob-3d4e5f","Target":"i-eval-run-42","Status":"Connected"}]}`,
	}}
}

// useSSM points the manager's Systems Manager client at the stand-in and records the region it
// was asked for.
func useSSM(t *testing.T, tm *testManager, f *fakeSSM) *string {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)

	region := new(string)
	tm.opts.Sessions = func(_ context.Context, r string) (SessionAPI, error) {
		*region = r
		return ssm.New(ssm.Options{
			Region:       r,
			BaseEndpoint: aws.String(srv.URL),
			Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		}), nil
	}
	return region
}

func describeCall(token string) ssmCall {
	body := map[string]any{
		"State":   "Active",
		"Filters": []any{map[string]any{"key": "Target", "value": "i-eval-run-42"}},
	}
	if token != "" {
		body["NextToken"] = token
	}
	return ssmCall{Target: "AmazonSSM.DescribeSessions", Body: body}
}

func terminateCall(id string) ssmCall {
	return ssmCall{Target: "AmazonSSM.TerminateSession", Body: map[string]any{"SessionId": id}}
}

func TestRevokeUpdatesTheStackThenTerminatesEveryLiveSession(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42", "enableNat=true")
	f := twoPagesOfSessions()
	region := useSSM(t, tm, f)

	res, err := tm.Revoke(context.Background(), "run-42")
	require.NoError(t, err)

	assert.Equal(t, &RevokeResult{
		InstanceID: "i-eval-run-42", Updated: true,
		Terminated: []string{"alice-0a1b2c", "bob-3d4e5f"},
	}, res)
	assert.Equal(t, "us-east-1", *region, "the client is for the host's region")
	assert.Equal(t, []ssmCall{
		describeCall(""), describeCall("page-2"),
		terminateCall("alice-0a1b2c"), terminateCall("bob-3d4e5f"),
	}, f.Calls(), "every page of the host's active sessions is read before any is terminated")

	deployed := tm.backend.lastUpdate("eval-run-42")
	assert.Equal(t, "succeeded", deployed.result)
	assert.Equal(t, auto.ConfigValue{Value: "true"}, deployed.config[RevokedKey])
	assert.Equal(t, auto.ConfigValue{Value: "true"}, deployed.config["crucible:enableNat"],
		"revoke redeploys the last deployed configuration, changing only the revocation")
	assert.Contains(t, deployed.keys, RevokedKey)
}

func TestRevokeTerminatesSessionsEvenWhenTheUpdateFails(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	f := twoPagesOfSessions()
	useSSM(t, tm, f)
	tm.backend.upErr = errors.New("pulumi up: exit status 255")

	res, err := tm.Revoke(context.Background(), "run-42")
	require.Error(t, err)
	assert.Equal(t, `evaluation "run-42": the update that revokes access failed: `+
		"pulumi up: exit status 255", err.Error())
	assert.Equal(t, []string{"alice-0a1b2c", "bob-3d4e5f"}, res.Terminated,
		"the live sessions end even though the policy update failed")
}

// ssmRejection is how the SDK reports the stand-in's error answer to TerminateSession.
const ssmRejection = "operation error SSM: TerminateSession, https response error " +
	"StatusCode: 400, RequestID: , api error InvalidParameterValueException: nope"

func TestRevokeTriesEverySessionAndJoinsTheFailures(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	f := twoPagesOfSessions()
	f.fail = "AmazonSSM.TerminateSession"
	useSSM(t, tm, f)

	res, err := tm.Revoke(context.Background(), "run-42")
	require.Error(t, err)
	assert.Equal(t, `evaluation "run-42": `+
		"terminating session alice-0a1b2c on i-eval-run-42: "+ssmRejection+"\n"+
		"terminating session bob-3d4e5f on i-eval-run-42: "+ssmRejection, err.Error())
	assert.Equal(t, &RevokeResult{
		InstanceID: "i-eval-run-42", Updated: true,
		Failed: []string{"alice-0a1b2c", "bob-3d4e5f"},
	}, res)
	assert.Equal(t, []ssmCall{
		describeCall(""), describeCall("page-2"),
		terminateCall("alice-0a1b2c"), terminateCall("bob-3d4e5f"),
	}, f.Calls(), "a failure does not stop the other sessions being terminated")
}

func TestRevokeEndsTheOtherSessionsWhenOneCannotBeEnded(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	f := twoPagesOfSessions()
	f.failSession = "alice-0a1b2c"
	useSSM(t, tm, f)

	res, err := tm.Revoke(context.Background(), "run-42")
	require.Error(t, err)
	assert.Equal(t, `evaluation "run-42": terminating session alice-0a1b2c on i-eval-run-42: `+
		ssmRejection, err.Error())
	assert.Equal(t, &RevokeResult{
		InstanceID: "i-eval-run-42", Updated: true,
		Terminated: []string{"bob-3d4e5f"}, Failed: []string{"alice-0a1b2c"},
	}, res)
}

func TestRevokeEndsTheSessionsTheListedPagesNamedWhenAPageFails(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	f := twoPagesOfSessions()
	f.pages[1] = "not json"
	useSSM(t, tm, f)

	res, err := tm.Revoke(context.Background(), "run-42")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `evaluation "run-42": describing the active sessions on `+
		"i-eval-run-42: operation error SSM: DescribeSessions")
	assert.Equal(t, []string{"alice-0a1b2c"}, res.Terminated)
	assert.Equal(t, terminateCall("alice-0a1b2c"), f.Calls()[len(f.Calls())-1])
}

func TestRevokeEndsTheLiveSessionsWhileAnotherCommandHoldsTheLock(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	f := twoPagesOfSessions()
	region := useSSM(t, tm, f)

	dir := filepath.Join(tm.opts.WorkspaceRoot, "eval-run-42")
	held, err := lockEvaluation("run-42", dir)
	require.NoError(t, err)
	defer func() { _ = held.Unlock() }()
	before := len(tm.backend.Calls())

	res, err := tm.Revoke(context.Background(), "run-42")
	require.Error(t, err)
	var locked *LockedError
	require.ErrorAs(t, err, &locked)
	assert.Equal(t, `evaluation "run-42": the update that revokes access was not applied, so `+
		`new sessions can still start: evaluation "run-42" is locked: another `+
		"`crucible eval` command is working on it (lock file "+
		filepath.Join(dir, ".crucible-eval.lock")+"); wait for it to finish; "+
		"run `crucible eval revoke run-42` again when it has finished", err.Error())

	assert.Equal(t, &RevokeResult{
		InstanceID: "i-eval-run-42", Terminated: []string{"alice-0a1b2c", "bob-3d4e5f"},
	}, res, "the live sessions end though the policy update was not applied")
	assert.Equal(t, "us-east-1", *region)
	assert.Equal(t, []ssmCall{
		describeCall(""), describeCall("page-2"),
		terminateCall("alice-0a1b2c"), terminateCall("bob-3d4e5f"),
	}, f.Calls())
	assert.Equal(t, []string{"select eval-run-42"}, tm.backend.Calls()[before:],
		"the stack is only read: no configuration is set and no update runs")
	assert.Equal(t, auto.ConfigValue{}, tm.backend.lastUpdate("eval-run-42").config[RevokedKey])
}

func TestRevokeWithNoLiveSessionsTerminatesNothing(t *testing.T) {
	tm := newTestManager(t)
	tm.up(t, "run-42")
	f := &fakeSSM{}
	useSSM(t, tm, f)

	res, err := tm.Revoke(context.Background(), "run-42")
	require.NoError(t, err)
	assert.Empty(t, res.Terminated)
	assert.Equal(t, []ssmCall{describeCall("")}, f.Calls())
}

func TestRevokeOfAnUnknownOrNeverDeployedEvaluationIsAnError(t *testing.T) {
	tm := newTestManager(t)
	f := &fakeSSM{}
	useSSM(t, tm, f)

	_, err := tm.Revoke(context.Background(), "nope")
	var unknown *UnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, `no evaluation "nope" (stack eval-nope) in backend fake://; `+
		"`crucible eval list` shows the evaluations", err.Error())

	tm.backend.mu.Lock()
	tm.backend.stacks["eval-new"] = &fakeStack{
		b: tm.backend, name: "eval-new",
		tags: map[string]string{}, config: auto.ConfigMap{},
	}
	tm.backend.mu.Unlock()
	_, err = tm.Revoke(context.Background(), "new")
	require.Error(t, err)
	assert.Equal(t, `evaluation "new" has never been deployed, so there is no access to revoke; `+
		"`crucible eval down new` removes it", err.Error())
	assert.Empty(t, f.Calls())
}
