// O-16: an order line reports each change to its order through the Temporal client, run as a
// local activity. Not a workflow-to-workflow signal: while the server delivers such a signal it
// holds the sender's lock, so an order signalling its line (Reopen, cancel) while the line
// signals its order wait on each other's lock until a time-out, a second or, under load, tens of
// seconds. A client signal locks only the receiver. Re-sent on retry: the order ignores a version it
// has already seen.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { type LineChanged, lineChangedSignal } from '../workflows/order/messages';

export function createLineReportActivities() {
  return {
    async reportLineChange(input: { orderCaseId: string; change: LineChanged }): Promise<void> {
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
