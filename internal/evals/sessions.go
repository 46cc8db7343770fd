package evals

import (
	"context"
	"errors"
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

// terminateSessions ends every active session on the instance. It lists them all first, so
// ending sessions never shifts the pages it is still reading, then tries every one, so one
// failure leaves no other session running. It returns the ids it ended and those it could not,
// in the order Systems Manager listed them, with every error joined.
func terminateSessions(
	ctx context.Context, api SessionAPI, instanceID string,
) (ended, failed []string, err error) {
	ids, listErr := activeSessions(ctx, api, instanceID)
	errs := []error{listErr}
	for _, id := range ids {
		_, err := api.TerminateSession(ctx, &ssm.TerminateSessionInput{SessionId: aws.String(id)})
		if err != nil {
			failed = append(failed, id)
			errs = append(errs, fmt.Errorf("terminating session %s on %s: %w", id, instanceID, err))
			continue
		}
		ended = append(ended, id)
	}
	return ended, failed, errors.Join(errs...)
}

// activeSessions lists the ids of the instance's active sessions across every page. After a
// failed page it returns the ids read so far with the error, so those can still be ended.
func activeSessions(ctx context.Context, api SessionAPI, instanceID string) ([]string, error) {
	in := &ssm.DescribeSessionsInput{
		State: types.SessionStateActive,
		Filters: []types.SessionFilter{
			{Key: types.SessionFilterKeyTargetId, Value: aws.String(instanceID)},
		},
	}

	var ids []string
	pages := ssm.NewDescribeSessionsPaginator(api, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return ids, fmt.Errorf("describing the active sessions on %s: %w", instanceID, err)
		}
		for _, s := range page.Sessions {
			ids = append(ids, aws.ToString(s.SessionId))
		}
	}
	return ids, nil
}
