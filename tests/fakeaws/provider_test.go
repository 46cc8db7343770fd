package main

import (
	"context"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/enginetest"
)

func TestStandInClaimsThePulumiAWSVersionInGoMod(t *testing.T) {
	info, err := newProvider().GetPluginInfo(context.Background())
	require.NoError(t, err)
	assert.Equal(t, enginetest.ModuleVersion(t, "github.com/pulumi/pulumi-aws/sdk/v6"),
		"v"+info.Version.String())
}

func TestDiffReportsNoChangeForEqualInputsAndTheChangedKeysOtherwise(t *testing.T) {
	olds := resource.PropertyMap{
		"cidrBlock": resource.NewStringProperty("10.0.0.0/16"),
		"tags": resource.NewObjectProperty(resource.PropertyMap{
			"team": resource.NewStringProperty("evals"),
		}),
	}
	assert.Equal(t, plugin.DiffResult{Changes: plugin.DiffNone}, diffInputs(olds, olds.Copy()))

	news := olds.Copy()
	news["cidrBlock"] = resource.NewStringProperty("10.1.0.0/16")
	news["enableDnsSupport"] = resource.NewBoolProperty(true)
	assert.Equal(t, plugin.DiffResult{
		Changes:     plugin.DiffSome,
		ChangedKeys: []resource.PropertyKey{"cidrBlock", "enableDnsSupport"},
	}, diffInputs(olds, news), "a plain update of the changed keys, never a replacement")
}

func TestUpdateKeepsComputedFieldsButFollowsTheNewInputs(t *testing.T) {
	oldInputs := resource.PropertyMap{
		"tags": resource.NewObjectProperty(resource.PropertyMap{"a": resource.NewStringProperty("1")}),
	}
	oldOutputs := oldInputs.Copy()
	oldOutputs["privateIp"] = resource.NewStringProperty("10.0.2.14")
	oldOutputs["tagsAll"] = oldInputs["tags"]
	newInputs := resource.PropertyMap{
		"tags": resource.NewObjectProperty(resource.PropertyMap{"b": resource.NewStringProperty("2")}),
	}

	assert.Equal(t, resource.PropertyMap{
		"tags":      newInputs["tags"],
		"privateIp": resource.NewStringProperty("10.0.2.14"),
	}, keptState(oldInputs, oldOutputs, newInputs),
		"the address AWS assigned stays; tagsAll is left for mockcloud to recompute")
}

func TestCreateDelayIsReadFromTheHarnessVariable(t *testing.T) {
	assert.Equal(t, enginetest.CreateDelayEnv, CreateDelayEnv)

	t.Setenv(CreateDelayEnv, "250ms")
	p, err := newProviderFromEnv()
	require.NoError(t, err)
	assert.Equal(t, 250*time.Millisecond, p.createDelay)

	t.Setenv(CreateDelayEnv, "soon")
	_, err = newProviderFromEnv()
	require.Error(t, err)
	assert.Equal(t, `CRUCIBLE_FAKEAWS_CREATE_DELAY="soon": want a duration such as 500ms`, err.Error())
}
