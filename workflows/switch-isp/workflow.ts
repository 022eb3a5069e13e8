// One switch-ISP = one workflow (rules I-1…I-7). It books the technician when the switch needs
// one (I-6), waits with a durable timer until the requested date (a date change moves the timer,
// I-5), then carries the switch out in the order system and moves the portfolio (I-1, I-3). The
// user cannot cancel it (I-7); a handler cancels it from a service request.
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PortfolioActivities } from '../../activities/portfolio';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import { executionInstant } from '../../domain/portfolio';
import { decideSwitchAction, type SwitchAction } from '../../domain/switch-isp';
import { osloDate } from '../../domain/time';
import { ackOf } from '../kit/ack';
import { awaitMovableDeadline } from '../kit/deadline';
import { caseLock, setSerialUpdate } from '../kit/serial';
import { invalidInput, refuseIf } from '../refusals';
import { type SwitchActionInput, switchActionUpdates, type SwitchStartInput, type SwitchView, switchViewQuery } from './messages';
import { newSwitch, toProjection } from './projection';
import { rejectionReason, UPSTREAM_ACTIVITY_OPTIONS } from './upstream';
import { projectCase } from '../publish';
import { setAssignmentUpdate } from '../kit/assignment';
import { recordAction } from '../activity-log';

const { bookSwitchTechnician, rescheduleSwitchTechnician, cancelSwitchTechnician, executeSwitchIsp } = proxyActivities<PortfolioActivities>(UPSTREAM_ACTIVITY_OPTIONS);

export async function switchIspWorkflow(input: SwitchStartInput): Promise<SwitchView> {
  const now = () => new Date().toISOString();
  const state: SwitchView = newSwitch(input);
  /** Registration or the latest date change: where a test's millisecond timer counts from. */
  let timerSince = new Date();
  let dateChanges = 0;
  /** Updates, the technician booking and the claim of the switch date run one at a time (workflows/kit/serial.ts). */
  const lock = caseLock();

  const record = (actor: Actor, action: string, to: SwitchView['status'], text?: string | null) => recordAction(state, actor, action, to, text);
  const publish = () => projectCase(toProjection(state));
  /** The same decision the API's precheck takes on the read model (domain/switch-isp.ts). */
  const validate = (action: SwitchAction) => (cmd: SwitchActionInput) => refuseIf(decideSwitchAction(state, action, cmd, osloDate(new Date())));

  setSerialUpdate(lock, switchActionUpdates.changeDate, validate('changeDate'), async (cmd: SwitchActionInput) => {
    const requestedDate = cmd.requestedDate!;
    const from = state.requestedDate;
    const technician = state.technician;
    if (technician?.booking && cmd.slotId && cmd.slotId !== technician.slotId) {
      try {
        const booking = await rescheduleSwitchTechnician({ bookingId: technician.booking.bookingId, slotId: cmd.slotId, idempotencyKey: `${input.caseId}/reschedule/${state.version}` });
        technician.booking = { bookingId: booking.bookingId, date: booking.slot.date, window: booking.slot.window };
      } catch (err) {
        const reason = rejectionReason(err);
        if (reason) throw invalidInput([{ field: 'slotId', rule: 'I-6', message: reason }]);
        throw err;
      }
    }
    if (technician && cmd.slotId) technician.slotId = cmd.slotId;
    state.requestedDate = requestedDate;
    dateChanges++;
    timerSince = new Date();
    record(cmd.actor, 'changeDate', state.status, `Requested date ${from} → ${requestedDate}`);
    await publish();
    return ackOf(state);
  });

  setSerialUpdate(lock, switchActionUpdates.cancelByOperator, validate('cancelByOperator'), async (cmd: SwitchActionInput) => {
    state.resolution = cmd.text ?? null;
    state.cancelledViaServiceRequest = cmd.serviceRequest ?? null;
    record(cmd.actor, 'cancelByOperator', 'Cancelled', `Cancelled from ${cmd.serviceRequest}: ${cmd.text}`);
    await publish();
    return ackOf(state);
  });

  setHandler(switchViewQuery, () => state);
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

  // I-6: book the technician the switch needs; a full slot ends the case (register again). Under the
  // lock: a date change or a cancel waits for the booking and is judged on its outcome.
  const technician = state.technician;
  if (technician) {
    await lock(async () => {
      try {
        const booking = await bookSwitchTechnician({ slotId: technician.slotId, reference: input.number, idempotencyKey: input.caseId });
        technician.booking = { bookingId: booking.bookingId, date: booking.slot.date, window: booking.slot.window };
        record(SYSTEM_ACTOR, 'bookTechnician', state.status, `Technician booked ${booking.slot.date} ${booking.slot.window} (${booking.bookingId})`);
      } catch (err) {
        const reason = rejectionReason(err);
        if (!reason) throw err;
        if (state.status === 'Registered') {
          state.resolution = `The technician could not be booked: ${reason}`;
          record(SYSTEM_ACTOR, 'reject', 'Rejected', state.resolution);
        }
      }
      await publish();
    });
  }

  // The durable timer until the switch date; a date change moves it (I-5)
  const due = await awaitMovableDeadline(
    {
      dueAt: () => executionInstant(state.requestedDate, input.timing.executeAt, timerSince),
      revision: () => dateChanges,
      waiting: () => state.status === 'Registered',
      lock,
    },
    async () => {
      record(SYSTEM_ACTOR, 'execute', 'In Progress', `Switch carried out in the order system for ${state.requestedDate}`);
      await publish();
    },
  );
  if (due) {
    try {
      const done = await executeSwitchIsp({
        caseId: input.caseId,
        companyId: input.companyId,
        companyName: input.companyName,
        losingEntryId: state.subscription.portfolioEntryId,
        lineId: state.subscription.lineId,
        number: state.subscription.number,
        numberKind: state.subscription.numberKind,
        losingOperator: state.subscription.losingOperator,
        newProductCode: state.newProductCode,
        accessType: state.subscription.accessType,
        speedMbps: state.subscription.speedMbps,
        address: state.subscription.address,
        endUser: state.endUser,
        date: state.requestedDate,
      });
      state.switchId = done.switchId;
      state.portfolioEntryId = done.portfolioEntryId;
      state.executedAt = now();
      record(
        SYSTEM_ACTOR,
        'complete',
        'Completed',
        `${state.subscription.number} moved from ${state.subscription.losingOperator} to ${state.companyName} on ${state.requestedDate} (${done.switchId})`,
      );
    } catch (err) {
      const reason = rejectionReason(err);
      if (!reason) throw err;
      state.resolution = reason;
      record(SYSTEM_ACTOR, 'reject', 'Rejected', reason);
    }
    await publish();
  }

  // A cancelled or rejected switch frees its technician slot
  if ((state.status === 'Cancelled' || state.status === 'Rejected') && state.technician?.booking) {
    try {
      await cancelSwitchTechnician({ bookingId: state.technician.booking.bookingId });
    } catch (err) {
      if (!rejectionReason(err)) throw err;
    }
  }
  await condition(allHandlersFinished);
  return state;
}
