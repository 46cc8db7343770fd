package check_test

import (
	"os"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/check"
	"github.com/crucible-sandbox/crucible/policy/rules"
)

const fixture = "testdata/sealed-stack-export.json"

const (
	fixtureInstance = "urn:pulumi:prod::crucible::crucible:compute:Host$aws:ec2/instance:Instance::" +
		"sandbox-host-instance"
	fixtureHostGroup = "urn:pulumi:prod::crucible::crucible:compute:Host$" +
		"aws:ec2/securityGroup:SecurityGroup::sandbox-host-sg"
	fixtureKey = "urn:pulumi:prod::crucible::crucible:audit:Audit$aws:kms/key:Key::audit-key"
)

func readFixture(t *testing.T) check.Deployment {
	t.Helper()

	f, err := os.Open(fixture)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })

	dep, err := check.ReadDeployment(f)
	require.NoError(t, err)

	return dep
}

func find(t *testing.T, dep check.Deployment, urn string) rules.Resource {
	t.Helper()

	for _, r := range dep.Resources {
		if r.URN == urn {
			return r
		}
	}

	require.Failf(t, "resource missing", "no resource %s", urn)

	return rules.Resource{}
}

func TestReadDeploymentReadsAStackExport(t *testing.T) {
	dep := readFixture(t)

	require.Len(t, dep.Resources, 9)
	assert.Equal(t, 1, dep.EncryptedSecrets, "the key's rotation flag is a ciphertext secret")

	inst := find(t, dep, fixtureInstance)
	assert.Equal(t, "aws:ec2/instance:Instance", inst.Type)
	assert.Equal(t, "i-0a1b2c3d4e5f60718", inst.ID)
	assert.Equal(t, map[string][]string{"vpcSecurityGroupIds": {fixtureHostGroup}},
		inst.PropertyDependencies)

	// State is read, not inputs: metadataOptions exists only in the outputs.
	tokens := inst.Properties["metadataOptions"].ObjectValue()["httpTokens"]
	assert.Equal(t, resource.NewProperty("required"), tokens)

	// A secret exported with --show-secrets stays a secret with its plaintext readable.
	userData := inst.Properties["userData"]
	require.True(t, userData.IsSecret())
	assert.Equal(t, "#!/bin/bash\necho ready\n", userData.SecretValue().Element.StringValue())

	// An encrypted secret cannot be read and becomes an unknown value.
	assert.True(t, find(t, dep, fixtureKey).Properties["enableKeyRotation"].IsComputed())
}

func TestReadDeploymentFallsBackToInputsAndReadsUnknowns(t *testing.T) {
	doc := `{"version": 3, "deployment": {"resources": [
		{"urn": "urn:pulumi:dev::crucible::aws:ec2/subnet:Subnet::a", "type": "aws:ec2/subnet:Subnet",
		 "custom": true, "inputs": {"mapPublicIpOnLaunch": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
		 "cidrBlock": "[unknown]", "tags": "[secret]"}}
	]}}`

	dep, err := check.ReadDeployment(strings.NewReader(doc))
	require.NoError(t, err)
	require.Len(t, dep.Resources, 1)

	props := dep.Resources[0].Properties
	assert.True(t, props["mapPublicIpOnLaunch"].IsComputed(), "the engine's unknown sentinel")
	assert.True(t, props["cidrBlock"].IsComputed(), "the render's unknown placeholder")
	assert.True(t, props["tags"].IsComputed(), "the render's secret placeholder")
	assert.Equal(t, 1, dep.EncryptedSecrets)
}

func TestReadDeploymentRefusesWhatItCannotRead(t *testing.T) {
	cases := map[string]struct {
		doc  string
		want string
	}{
		"not JSON": {
			doc: "version: 3",
			want: "check: reading the deployment document: invalid character 'v' looking for " +
				"beginning of value",
		},
		"another schema version": {
			doc: `{"version": 2, "deployment": {"resources": []}}`,
			want: `check: the document has version 2; want the version 3 of ` +
				"`pulumi stack export` with a \"deployment\" object",
		},
		"a bare deployment without the export wrapper": {
			doc: `{"manifest": {}, "resources": []}`,
			want: `check: the document has version 0; want the version 3 of ` +
				"`pulumi stack export` with a \"deployment\" object",
		},
		"a resource without a type": {
			doc:  `{"version": 3, "deployment": {"resources": [{"urn": "urn:pulumi:dev::p::t::n"}]}}`,
			want: "check: deployment resource 0 has no urn or type",
		},
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := check.ReadDeployment(strings.NewReader(tc.doc))
			require.EqualError(t, err, tc.want)
		})
	}
}
