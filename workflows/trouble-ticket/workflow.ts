// One trouble ticket = one workflow (M-2). It holds the ticket's state, accepts only the transitions
// of M-2.5, runs the repair clock (M-2.4: paused while the ticket waits on the customer) and raises
// an escalation when the target is about to be missed and when it is missed, and closes a Resolved
// ticket by itself when the user neither confirms nor reopens it within the period (M-2.5).
import { allHandlersFinished, condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { OrderActivities } from '../../activities/orders';
import type { TroubleTicketActivities } from '../../activities/trouble-tickets';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import { deadlineAfter } from '../../domain/time';
import { clockOnStatusChange, clockReading, decideTtAction, type Escalation, nextEscalation, nextTtStatus, TERMINAL_TT_STATUSES, type TtAction, type TtStatus } from '../../domain/trouble-ticket';
import { recordAction } from '../activity-log';
import { ackOf } from '../kit/ack';
import { caseLock, setSerialUpdate } from '../kit/serial';
import { upstreamFailure } from '../order/upstream';
import { projectCase } from '../publish';
import { refuseIf } from '../refusals';
import { CASE_ASSIGNEE } from '../search-attributes';
import { type TtActionInput, ttActionUpdates, type TtStartInput, type TtView, ttViewQuery } from './messages';
import { newTroubleTicket, toProjection } from './projection';

/** the appointment system, through the activities the order workflows use. */
const appointments = proxyActivities<OrderActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '300 ms', maximumAttempts: 3, nonRetryableErrorTypes: ['AdapterRejectedError'] },
});

/** M-2.4: the escalation e-mail to the fault desk (an outbox row; retried until written). */
const escalations = proxyActivities<TroubleTicketActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds' },
});

export async function troubleTicketWorkflow(input: TtStartInput): Promise<TtView> {
  const state: TtView = newTroubleTicket(input);
  let statusChangedAt = new Date();
  let statusChanges = 0;
  let bookings = 0;

  const record = (actor: Actor, action: string, to: TtStatus, text?: string | null) => {
    const from = state.status;
    if (recordAction(state, actor, action, to, text)) {
      statusChangedAt = new Date();
      statusChanges++;
      clockOnStatusChange(state.clock, from, to, statusChangedAt);
    }
  };
  const publish = () => projectCase(toProjection(state));

  // validate → apply → publish, one at a time under the case's lock (workflows/kit/serial.ts)
  const lock = caseLock();
  for (const action of Object.keys(ttActionUpdates) as TtAction[]) {
    setSerialUpdate(
      lock,
      ttActionUpdates[action],
      (cmd: TtActionInput) => refuseIf(decideTtAction(state, action, cmd)),
      async (cmd: TtActionInput) => {
        if (action === 'bookAppointment') await book(cmd);
        else apply(action, cmd);
        await publish();
        return ackOf(state);
      },
    );
  }
  setHandler(ttViewQuery, () => state);

  function apply(action: Exclude<TtAction, 'bookAppointment'>, cmd: TtActionInput): void {
    const to = nextTtStatus(state.status, action);
    const now = new Date().toISOString();
    switch (action) {
      case 'update': {
        const c = cmd.changes ?? {};
        if (c.symptom !== undefined) state.symptom = c.symptom;
        if (c.category !== undefined) state.category = c.category;
        if (c.severity !== undefined) state.severity = c.severity;
        if (c.endUserContact !== undefined) state.endUserContact = c.endUserContact;
        if (c.addAttachments) state.attachments.push(...c.addAttachments);
        break;
      }
      case 'submit':
        state.submittedAt = now;
        break;
      case 'customerUpdate':
        state.missingInformation = null;
        break;
      case 'take':
        state.handler = cmd.actor.username;
        upsertSearchAttributes([{ key: CASE_ASSIGNEE, value: cmd.actor.username }]);
        break;
      case 'requestInfo':
        state.missingInformation = cmd.text ?? null;
        break;
      case 'resolve':
        state.resolution = { cause: cmd.cause ?? '', text: cmd.text ?? '', by: cmd.actor.username, at: now };
        state.resolvedAt = now;
        break;
      case 'reopen':
        state.resolvedAt = null;
        break;
      case 'cancel':
        state.cancellation = cmd.text ?? 'Cancelled by the customer';
        break;
      case 'confirm':
        break;
    }
    const text = action === 'resolve' ? `${cmd.cause}: ${cmd.text}` : cmd.text;
    record(cmd.actor, action, to, text);
  }

  /** book the repair appointment, or move the one booked (the ticket number is the booking's reference). */
  async function book(cmd: TtActionInput): Promise<void> {
    const key = `${input.caseId}:appointment:${++bookings}`;
    try {
      const b = state.appointment
        ? await appointments.rescheduleAppointment({ bookingId: state.appointment.bookingId, slotId: cmd.slotId!, idempotencyKey: key })
        : await appointments.bookAppointment({ slotId: cmd.slotId!, reference: input.number, idempotencyKey: key });
      state.appointment = { bookingId: b.bookingId, slotId: b.slot.slotId, date: b.slot.date, window: b.slot.window, area: b.slot.area };
    } catch (err) {
      throw upstreamFailure(err);
    }
    record(cmd.actor, 'bookAppointment', state.status, `Repair appointment ${state.appointment.date} ${state.appointment.window} (${state.appointment.bookingId})`);
  }

  /** M-2.4: the escalation goes on the ticket (the fault desk's queue shows it) and out by e-mail. */
  async function escalate(level: Escalation): Promise<void> {
    const now = new Date();
    state.clock.escalation = level;
    if (level === 'warning') state.clock.warnedAt = now.toISOString();
    else state.clock.breachedAt = now.toISOString();
    const reading = clockReading(state.clock, now);
    const hours = (ms: number) => `${(ms / (state.clock.targetMs / state.repairTargetHours)).toFixed(1)} h`;
    const text =
      level === 'warning'
        ? `Repair-time target about to be missed: ${hours(reading.usedMs)} of ${state.repairTargetHours} h used (M-2.4)`
        : `Repair-time target of ${state.repairTargetHours} h missed (M-2.4)`;
    record(SYSTEM_ACTOR, level === 'warning' ? 'escalationWarning' : 'escalationBreached', state.status, text);
    await publish();
    await escalations.notifyTroubleTicketEscalation({
      caseId: input.caseId,
      number: input.number,
      companyId: input.companyId,
      level,
      handler: state.handler,
      productNumber: state.product.number,
      productCode: state.product.productCode,
      severity: state.severity,
      text,
    });
  }

  await publish();

  while (!TERMINAL_TT_STATUSES.includes(state.status)) {
    const seen = statusChanges;
    const next = state.status === 'Resolved' ? undefined : nextEscalation(state.clock);
    const dueAt = state.status === 'Resolved' ? deadlineAfter(statusChangedAt, input.timing.autoCloseAfter) : next?.at;
    if (!dueAt) {
      await condition(() => statusChanges !== seen);
      continue;
    }
    const changed = await condition(() => statusChanges !== seen, Math.max(1, dueAt.getTime() - Date.now()));
    if (changed) continue;
    // an Update under way finishes first; then the deadline is judged again on the state it left
    await lock(async () => {
      if (statusChanges !== seen) return;
      if (state.status === 'Resolved') {
        record(SYSTEM_ACTOR, 'autoClose', 'Closed', `Closed automatically: neither confirmed nor reopened within ${describe(input.timing.autoCloseAfter)} of the resolution (M-2.5)`);
        await publish();
      } else if (next) {
        await escalate(next.level);
      }
    });
  }
  await condition(allHandlersFinished);
  return state;
}

function describe(d: TtStartInput['timing']['autoCloseAfter']): string {
  return 'calendarDays' in d ? `${d.calendarDays} calendar days` : `${d.ms} ms`;
}
