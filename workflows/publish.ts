// Every workflow publishes its state to the read model through local activities (one marker
// event per change instead of three activity events and an extra workflow task; benchmark
// target: ≤ 40 events per order-line life). They are idempotent (version guards), so a re-run
// after a worker crash writes nothing twice.
import { proxyLocalActivities } from '@temporalio/workflow';
import type { LineReportActivities } from '../activities/line-reports';
import type { ProjectionActivities } from '../activities/projection';
import type { CaseProjection } from '../domain/case';

const local = proxyLocalActivities<ProjectionActivities & LineReportActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '10 seconds' },
});

// One local activity at a time per workflow (module state is per workflow execution). Two that
// overlap — the main loop's publish and an Update's, say — resolve in whichever order they finish,
// and the commands after them (a timer, the Update's completion) are recorded in that order; a
// replay resolves them in history order and fails with a nondeterminism error. A queue fixes the order.
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  const result = queue.then(run);
  queue = result.catch(() => undefined);
  return result;
}

/** Any other local activity of a workflow that publishes, run in the same turn. */
export const inTurn = <T>(run: () => Promise<T>): Promise<T> => oneAtATime(run);

export const projectCase = (projection: CaseProjection): Promise<void> => oneAtATime(() => local.projectCase(projection));

/** O-16: an order line's change, to the read model and to its order (see activities/line-reports.ts for why not a signal). */
export const publishLineChange = (input: Parameters<LineReportActivities['publishLineChange']>[0]): Promise<void> => oneAtATime(() => local.publishLineChange(input));
