// One termination = one workflow (rules T-1…T-3). It waits with a durable timer until the
// requested date (moving it moves the timer), then disconnects through the order system and ends
// the portfolio entries with that date (T-2); before the date the user may withdraw it.
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PortfolioActivities } from '../../activities/portfolio';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import { executionInstant } from '../../domain/portfolio';
import { allowedTerminationActions, type TerminationAction, terminationDateProblem } from '../../domain/termination';
import { isValidIsoDate, osloDate } from '../../domain/time';
import { type FieldProblem, invalidInput, notAllowed } from '../refusals';
import { rejectionReason, UPSTREAM_ACTIVITY_OPTIONS } from '../switch-isp/upstream';
import {
  type TerminationActionInput, terminationActionUpdates, type TerminationStartInput, type TerminationView, terminationViewQuery,
} from './messages';
import { newTermination, toProjection } from './projection';
import { projectCase } from '../publish';
import { recordAction } from '../activity-log';

const { executeTermination } = proxyActivities<PortfolioActivities>(UPSTREAM_ACTIVITY_OPTIONS);

export async function terminationWorkflow(input: TerminationStartInput): Promise<TerminationView> {
  const now = () => new Date().toISOString();
  const state: TerminationView = newTermination(input);
  let timerSince = new Date();
  let dateChanges = 0;

  const record = (actor: Actor, action: string, to: TerminationView['status'], text?: string | null) => recordAction(state, actor, action, to, text);
  const publish = () => projectCase(toProjection(state));

  function validate(action: TerminationAction, cmd: TerminationActionInput): void {
    const allowed = allowedTerminationActions(state.status, cmd.actor);
    if (!allowed.includes(action)) {
      throw notAllowed({
        status: state.status, action, allowedActions: allowed, rule: 'T-2',
        message: `'${action}' is not allowed on ${state.number} in status ${state.status}: the termination ${state.status === 'Completed' ? 'was carried out' : 'is no longer pending'}`,
      });
    }
    if (action === 'changeDate') {
      const problems: FieldProblem[] = [];
      if (!cmd.requestedDate || !isValidIsoDate(cmd.requestedDate)) {
        problems.push({ field: 'requestedDate', rule: 'T-2', message: 'required: a date YYYY-MM-DD' });
      } else {
        const p = terminationDateProblem(osloDate(new Date()), cmd.requestedDate, state.noticeDays);
        if (p) problems.push({ field: 'requestedDate', rule: 'T-3', message: p });
      }
      if (problems.length > 0) throw invalidInput(problems);
    }
  }

  setHandler(terminationActionUpdates.changeDate, async (cmd: TerminationActionInput) => {
    const from = state.requestedDate;
    state.requestedDate = cmd.requestedDate!;
    dateChanges++;
    timerSince = new Date();
    record(cmd.actor, 'changeDate', state.status, `Termination date ${from} → ${state.requestedDate}`);
    await publish();
    return state;
  }, { validator: (cmd: TerminationActionInput) => validate('changeDate', cmd) });

  setHandler(terminationActionUpdates.withdraw, async (cmd: TerminationActionInput) => {
    state.resolution = cmd.text ?? 'Withdrawn by the customer before the termination date';
    record(cmd.actor, 'withdraw', 'Withdrawn', cmd.text);
    await publish();
    return state;
  }, { validator: (cmd: TerminationActionInput) => validate('withdraw', cmd) });

  setHandler(terminationViewQuery, () => state);

  await publish();

  // T-2: not before the date (the end user keeps it as long as ordered), not after (who pays is clear)
  while (state.status === 'Registered') {
    const seen = dateChanges;
    const at = executionInstant(state.requestedDate, input.timing.executeAt, timerSince).getTime();
    const woken = await condition(() => dateChanges !== seen || state.status !== 'Registered', Math.max(1, at - Date.now()));
    if (woken) continue;

    record(SYSTEM_ACTOR, 'execute', 'In Progress', `Disconnection on ${state.requestedDate} sent to the order system`);
    await publish();
    try {
      const done = await executeTermination({
        caseId: input.caseId, date: state.requestedDate, products: state.products.map((p) => ({ entryId: p.entryId, number: p.number })),
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
