// How the order workflows report a failed call to the wholesaler's systems from an Update
// (after the validator accepted it): a business "no" (422) or an outage (503).
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

export const UPSTREAM_FAILURE = { rejected: 'UpstreamRejected', unavailable: 'UpstreamUnavailable' } as const;

export function isAdapterRejection(err: unknown): err is ActivityFailure & { cause: ApplicationFailure } {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'AdapterRejectedError';
}

/** An activity failure inside an Update handler → an ApplicationFailure the caller can map. */
export function upstreamFailure(err: unknown): ApplicationFailure {
  if (isAdapterRejection(err)) {
    return ApplicationFailure.create({ type: UPSTREAM_FAILURE.rejected, message: err.cause.message, nonRetryable: true });
  }
  const message = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  return ApplicationFailure.create({ type: UPSTREAM_FAILURE.unavailable, message, nonRetryable: true });
}
