package evals

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// SessionAPI is the part of the Systems Manager API that revoke uses.
type SessionAPI interface {
	DescribeSessions(ctx context.Context, in *ssm.DescribeSessionsInput,
		opts ...func(*ssm.Options)) (*ssm.DescribeSessionsOutput, error)
	TerminateSession(ctx context.Context, in *ssm.TerminateSessionInput,
		opts ...func(*ssm.Options)) (*ssm.TerminateSessionOutput, error)
}

// NewSessionClient returns a Systems Manager client for region with the default credential
// chain (environment, shared profile, SSO, instance role). AWS_ENDPOINT_URL_SSM points it
// elsewhere, as the SDK documents.
func NewSessionClient(ctx context.Context, region string) (SessionAPI, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("AWS configuration for %s: %w", region, err)
	}
	return ssm.NewFromConfig(cfg), nil
}

// terminateSessions ends every active session on the instance and returns their ids in the
// order Systems Manager listed them. It stops at the first failure: the caller reports which
// sessions ended before it.
func terminateSessions(ctx context.Context, api SessionAPI, instanceID string) ([]string, error) {
	in := &ssm.DescribeSessionsInput{
		State: types.SessionStateActive,
		Filters: []types.SessionFilter{
			{Key: types.SessionFilterKeyTargetId, Value: aws.String(instanceID)},
		},
	}

	var ended []string
	pages := ssm.NewDescribeSessionsPaginator(api, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return ended, fmt.Errorf("describing the active sessions on %s: %w", instanceID, err)
		}
		for _, s := range page.Sessions {
			id := aws.ToString(s.SessionId)
			_, err := api.TerminateSession(ctx, &ssm.TerminateSessionInput{SessionId: s.SessionId})
			if err != nil {
				return ended, fmt.Errorf("terminating session %s on %s: %w", id, instanceID, err)
			}
			ended = append(ended, id)
		}
	}
	return ended, nil
}
