// O-16: an order line publishes each change to the read model and reports it to its order, in one
// local activity (one marker event per change). The report is a signal sent with the Temporal
// client, not a workflow-to-workflow signal: while the server delivers such a signal it holds the
// sender's lock, so an order signalling its line (Reopen, cancel) while the line signalled its order
// waited on each other's lock until a time-out — a second, under load tens of seconds. A client
// signal locks only the receiver. Both halves are idempotent: the read model has a version guard and
// the order ignores a version it has already seen.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { CaseProjection } from '../domain/case';
import { type LineChanged, lineChangedSignal } from '../workflows/order/messages';

export function createLineReportActivities(projectCase: (projection: CaseProjection) => Promise<void>) {
  return {
    async publishLineChange(input: { projection: CaseProjection; orderCaseId: string; change: LineChanged }): Promise<void> {
      await projectCase(input.projection);
      try {
        await Context.current().client.workflow.getHandle(input.orderCaseId).signal(lineChangedSignal, input.change);
      } catch (err) {
        // the order has finished (every line done, or cancelled): nothing left to summarise
        if (err instanceof WorkflowNotFoundError) return;
        throw err;
      }
    },
  };
}

export type LineReportActivities = ReturnType<typeof createLineReportActivities>;
