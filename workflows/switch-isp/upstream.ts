// How the portfolio workflows tell a business "no" of an external system from an outage.
import { ActivityFailure, type ActivityOptions, ApplicationFailure } from '@temporalio/common';

/** The reason when an activity failed because the external system refused (AdapterRejectedError). */
export function rejectionReason(err: unknown): string | undefined {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'AdapterRejectedError') {
    return err.cause.message;
  }
  return undefined;
}

/** Activity options: rejections are final, outages are retried until the system answers. */
export const UPSTREAM_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['AdapterRejectedError'] },
};
