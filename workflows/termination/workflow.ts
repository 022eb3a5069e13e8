// One termination = one workflow (rules T-1…T-3). It waits with a durable timer until the
// requested date (moving it moves the timer), then disconnects through the order system and ends
// the portfolio entries with that date (T-2); before the date the user may withdraw it.
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PortfolioActivities } from '../../activities/portfolio';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import { executionInstant } from '../../domain/portfolio';
import { decideTerminationAction, type TerminationAction } from '../../domain/termination';
import { osloDate } from '../../domain/time';
import { ackOf } from '../kit/ack';
import { awaitMovableDeadline } from '../kit/deadline';
import { caseLock, setSerialUpdate } from '../kit/serial';
import { refuseIf } from '../refusals';
import { rejectionReason, UPSTREAM_ACTIVITY_OPTIONS } from '../switch-isp/upstream';
import { type TerminationActionInput, terminationActionUpdates, type TerminationStartInput, type TerminationView, terminationViewQuery } from './messages';
import { newTermination, toProjection } from './projection';
import { projectCase } from '../publish';
import { setAssignmentUpdate } from '../kit/assignment';
import { recordAction } from '../activity-log';

const { executeTermination } = proxyActivities<PortfolioActivities>(UPSTREAM_ACTIVITY_OPTIONS);

export async function terminationWorkflow(input: TerminationStartInput): Promise<TerminationView> {
  const now = () => new Date().toISOString();
  const state: TerminationView = newTermination(input);
  let timerSince = new Date();
  let dateChanges = 0;
  /** Updates and the claim of the termination date run one at a time (workflows/kit/serial.ts). */
  const lock = caseLock();

  const record = (actor: Actor, action: string, to: TerminationView['status'], text?: string | null) => recordAction(state, actor, action, to, text);
  const publish = () => projectCase(toProjection(state));
  /** The same decision the API's precheck takes on the read model (domain/termination.ts). */
  const validate = (action: TerminationAction) => (cmd: TerminationActionInput) => refuseIf(decideTerminationAction(state, action, cmd, osloDate(new Date())));

  setSerialUpdate(lock, terminationActionUpdates.changeDate, validate('changeDate'), async (cmd: TerminationActionInput) => {
    const from = state.requestedDate;
    state.requestedDate = cmd.requestedDate!;
    dateChanges++;
    timerSince = new Date();
    record(cmd.actor, 'changeDate', state.status, `Termination date ${from} → ${state.requestedDate}`);
    await publish();
    return ackOf(state);
  });

  setSerialUpdate(lock, terminationActionUpdates.withdraw, validate('withdraw'), async (cmd: TerminationActionInput) => {
    state.resolution = cmd.text ?? 'Withdrawn by the customer before the termination date';
    record(cmd.actor, 'withdraw', 'Withdrawn', cmd.text);
    await publish();
    return ackOf(state);
  });

  setHandler(terminationViewQuery, () => state);
  // who works on the case (a new Update handler; old histories replay unchanged)
  setAssignmentUpdate(lock, {
    view: () => state,
    assignee: () => state.assignee ?? null,
    setAssignee: (u) => {
      state.assignee = u;
    },
    record: (actor, action, text) => record(actor, action, state.status, text),
    publish,
  });

  await publish();

  // T-2: not before the date (the end user keeps it as long as ordered), not after (who pays is clear)
  const due = await awaitMovableDeadline(
    {
      dueAt: () => executionInstant(state.requestedDate, input.timing.executeAt, timerSince),
      revision: () => dateChanges,
      waiting: () => state.status === 'Registered',
      lock,
    },
    async () => {
      record(SYSTEM_ACTOR, 'execute', 'In Progress', `Disconnection on ${state.requestedDate} sent to the order system`);
      await publish();
    },
  );
  if (due) {
    try {
      const done = await executeTermination({
        caseId: input.caseId,
        date: state.requestedDate,
        products: state.products.map((p) => ({ entryId: p.entryId, number: p.number })),
      });
      state.disconnectionIds = done.disconnectionIds;
      state.executedAt = now();
      record(SYSTEM_ACTOR, 'complete', 'Completed', `Disconnected; the portfolio ends on ${state.requestedDate} (${done.disconnectionIds.join(', ')})`);
    } catch (err) {
      const reason = rejectionReason(err);
      if (!reason) throw err;
      state.resolution = reason;
      record(SYSTEM_ACTOR, 'reject', 'Rejected', reason);
    }
    await publish();
  }
  await condition(allHandlersFinished);
  return state;
}
