// How the order workflows report a failed call to the wholesaler's systems from an Update
// (after the validator accepted it): a business "no" (422) or an outage (503).
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

export const UPSTREAM_FAILURE = { rejected: 'UpstreamRejected', unavailable: 'UpstreamUnavailable' } as const;

/** What an activity failed with: a regular activity's failure comes wrapped in an ActivityFailure, a local one's as it is. */
export function activityCause(err: unknown): unknown {
  return err instanceof ActivityFailure ? err.cause : err;
}

/** The adapter's final "no" (a full slot, a rejected order) from a regular or a local activity, else undefined. */
export function adapterRejection(err: unknown): ApplicationFailure | undefined {
  const cause = activityCause(err);
  return cause instanceof ApplicationFailure && cause.type === 'AdapterRejectedError' ? cause : undefined;
}

/** An activity failure inside an Update handler → an ApplicationFailure the caller can map. */
export function upstreamFailure(err: unknown): ApplicationFailure {
  const rejection = adapterRejection(err);
  if (rejection) return ApplicationFailure.create({ type: UPSTREAM_FAILURE.rejected, message: rejection.message, nonRetryable: true });
  const cause = activityCause(err);
  const message = cause instanceof Error ? cause.message : String(cause);
  return ApplicationFailure.create({ type: UPSTREAM_FAILURE.unavailable, message, nonRetryable: true });
}
