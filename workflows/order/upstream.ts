// How the order workflows report a failed call to the wholesaler's systems from an Update
// (after the validator accepted it): a business "no" (422) or an outage (503).
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

export const UPSTREAM_FAILURE = { rejected: 'UpstreamRejected', unavailable: 'UpstreamUnavailable' } as const;

/** What an activity failed with: a regular activity's failure comes wrapped in an ActivityFailure, a local one's as it is. */
export function activityCause(err: unknown): unknown {
  return err instanceof ActivityFailure ? err.cause : err;
}

/** The ApplicationFailure of this type a regular or a local activity failed with, else undefined. */
export function activityFailureOfType(err: unknown, type: string): ApplicationFailure | undefined {
  const cause = activityCause(err);
  return cause instanceof ApplicationFailure && cause.type === type ? cause : undefined;
}

/** The adapter's final "no" (a full slot, a rejected order) from a regular or a local activity, else undefined. */
export function adapterRejection(err: unknown): ApplicationFailure | undefined {
  return activityFailureOfType(err, 'AdapterRejectedError');
}

function rejected(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: UPSTREAM_FAILURE.rejected, message, nonRetryable: true });
}

/** An activity's refusal of this type becomes the Update's business "no" (422); any other error stays as it is. */
export function refusalAsRejection(err: unknown, type: string): unknown {
  const refusal = activityFailureOfType(err, type);
  return refusal ? rejected(refusal.message) : err;
}

/** An activity failure inside an Update handler → an ApplicationFailure the caller can map. */
export function upstreamFailure(err: unknown): ApplicationFailure {
  const rejection = adapterRejection(err);
  if (rejection) return rejected(rejection.message);
  const cause = activityCause(err);
  const message = cause instanceof Error ? cause.message : String(cause);
  return ApplicationFailure.create({ type: UPSTREAM_FAILURE.unavailable, message, nonRetryable: true });
}
