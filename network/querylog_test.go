package network_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/crucible-sandbox/crucible/internal/rendertest"
	"github.com/crucible-sandbox/crucible/network"
)

func queryLogArgs() network.DNSQueryLogArgs {
	return network.DNSQueryLogArgs{
		VpcID: pulumi.String(testVpcID),
		Log:   testLog(testQueryLogName),
		Tags:  map[string]string{"team": "evals"},
	}
}

func TestEveryQueryOfTheVpcIsLoggedToTheEncryptedGroup(t *testing.T) {
	args := queryLogArgs()
	res := renderProgram(t, func(ctx *pulumi.Context) error {
		_, err := network.NewDNSQueryLog(ctx, "dns-queries", &args)

		return err
	})

	group := rendertest.One(t, res, logGroupType, "dns-queries-records")
	cfg := rendertest.One(t, res, queryLogType, "dns-queries")
	assoc := rendertest.One(t, res, queryLogAssoc, "dns-queries-association")

	assert.Equal(t, testQueryLogName, group.Get("name"),
		"the audit key's policy covers /crucible/<stack>/ log groups only")
	assert.Equal(t, testKeyArn, group.Get("kmsKeyId"))
	assert.Equal(t, float64(365), group.Get("retentionInDays"))
	require.NotNil(t, group.RetainOnDelete)
	assert.True(t, *group.RetainOnDelete, "destroying the sandbox keeps the evidence")

	assert.Equal(t, group.Get("arn"), cfg.Get("destinationArn"))
	assert.Equal(t, "arn:aws:logs:eu-west-1:123456789012:log-group:/crucible/dev/dns-queries",
		cfg.Get("destinationArn"))
	assert.Equal(t, cfg.ID, assoc.Get("resolverQueryLogConfigId"))
	assert.Equal(t, testVpcID, assoc.Get("resourceId"))
}

func TestQueryLogGroupCanBeDeletedWithTheStackWhenAsked(t *testing.T) {
	args := queryLogArgs()
	args.Log.DeleteEvidenceOnDestroy = true
	res := renderProgram(t, func(ctx *pulumi.Context) error {
		_, err := network.NewDNSQueryLog(ctx, "dns-queries", &args)

		return err
	})

	group := rendertest.One(t, res, logGroupType, "dns-queries-records")
	require.NotNil(t, group.RetainOnDelete)
	assert.False(t, *group.RetainOnDelete)
}

func TestQueryLogRefusesAnUnencryptedOrUnboundedGroup(t *testing.T) {
	cases := map[string]struct {
		mutate func(a *network.DNSQueryLogArgs)
		want   string
	}{
		"no key":        {func(a *network.DNSQueryLogArgs) { a.Log.KmsKeyArn = nil }, "never stored unencrypted"},
		"no retention":  {func(a *network.DNSQueryLogArgs) { a.Log.RetentionDays = 0 }, "RetentionDays"},
		"relative name": {func(a *network.DNSQueryLogArgs) { a.Log.Name = "dns-queries" }, "must be a path"},
		"no vpc":        {func(a *network.DNSQueryLogArgs) { a.VpcID = nil }, "the VPC is required"},
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			args := queryLogArgs()
			tc.mutate(&args)

			err := renderProgramErr(t, func(ctx *pulumi.Context) error {
				_, err := network.NewDNSQueryLog(ctx, "dns-queries", &args)

				return err
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), `network: dns query log "dns-queries":`)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
