// How the portfolio workflows tell a business "no" of an external system from an outage.
import type { ActivityOptions } from '@temporalio/common';
import { adapterRejection } from '../order/upstream';

/** The reason when an activity failed because the external system refused (AdapterRejectedError). */
export function rejectionReason(err: unknown): string | undefined {
  return adapterRejection(err)?.message;
}

/** Activity options: rejections are final, outages are retried until the system answers. */
export const UPSTREAM_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['AdapterRejectedError'] },
};
