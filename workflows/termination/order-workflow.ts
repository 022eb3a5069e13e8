// One termination order = one workflow (deck slides 68–72; rules T-1…T-3, O-14, O-15, O-17, O-18).
// Registered in the order system at once (Committed → Registered with Customer Order Id and Agreed
// Date, or Rejected), then the order line's statuses and the handler's O-15 steps; on the agreed date
// the products are disconnected and their portfolio entries end (Finished). The customer may withdraw
// it before the date (T-2). Cases registered before this type run on terminationWorkflow (workflow.ts).
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PortfolioActivities } from '../../activities/portfolio';
import { executionInstant } from '../../domain/portfolio';
import { caseLock } from '../kit/serial';
import { projectCase } from '../publish';
import { portfolioOrderViewQuery, type TerminationOrderView } from '../switch-isp/order-messages';
import { orderLifecycle } from '../switch-isp/order-lifecycle';
import { newTerminationOrder, terminationOrderProjection } from '../switch-isp/order-projection';
import { UPSTREAM_ACTIVITY_OPTIONS } from '../switch-isp/upstream';
import type { TerminationStartInput } from './messages';

const { registerTerminationOrder, executeTermination } = proxyActivities<PortfolioActivities>(UPSTREAM_ACTIVITY_OPTIONS);

export async function terminationOrderWorkflow(input: TerminationStartInput): Promise<TerminationOrderView> {
  const state = newTerminationOrder(input);
  const lock = caseLock();

  const run = orderLifecycle({
    state,
    lock,
    publish: () => projectCase(terminationOrderProjection(state)),
    dueAt: (since) => executionInstant(state.requestedDate, input.timing.executeAt, since),
    register: () =>
      registerTerminationOrder({
        idempotencyKey: input.caseId,
        numbers: state.products.map((p) => p.number),
        requestedDate: state.requestedDate,
      }),
    // T-2: disconnected on the date, not before and not after
    execute: async () => {
      const done = await executeTermination({
        caseId: input.caseId,
        date: state.requestedDate,
        products: state.products.map((p) => ({ entryId: p.entryId, number: p.number })),
      });
      state.disconnectionIds = done.disconnectionIds;
      return `Disconnected; the portfolio ends on ${state.requestedDate} (${done.disconnectionIds.join(', ')})`;
    },
  });
  setHandler(portfolioOrderViewQuery, () => state);

  await run();
  await condition(allHandlersFinished);
  return state;
}
