// One switch-ISP = one workflow (rules I-1…I-7). It books the technician when the switch needs
// one (I-6), waits with a durable timer until the requested date (a date change moves the timer,
// I-5), then carries the switch out in the order system and moves the portfolio (I-1, I-3). The
// user cannot cancel it (I-7); a handler cancels it from a service request.
import {
  allHandlersFinished, condition, proxyActivities, setHandler, } from '@temporalio/workflow';
import type { PortfolioActivities } from '../../activities/portfolio';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import { executionInstant } from '../../domain/portfolio';
import { allowedSwitchActions, slotDate, type SwitchAction, switchDateProblem } from '../../domain/switch-isp';
import { isValidIsoDate, osloDate } from '../../domain/time';
import { type FieldProblem, invalidInput, notAllowed } from '../refusals';
import { type SwitchActionInput, switchActionUpdates, type SwitchStartInput, type SwitchView, switchViewQuery } from './messages';
import { newSwitch, toProjection } from './projection';
import { rejectionReason, UPSTREAM_ACTIVITY_OPTIONS } from './upstream';
import { projectCase } from '../publish';
import { recordAction } from '../activity-log';

const { bookSwitchTechnician, rescheduleSwitchTechnician, cancelSwitchTechnician, executeSwitchIsp } = proxyActivities<PortfolioActivities>(UPSTREAM_ACTIVITY_OPTIONS);

export async function switchIspWorkflow(input: SwitchStartInput): Promise<SwitchView> {
  const now = () => new Date().toISOString();
  const state: SwitchView = newSwitch(input);
  /** Registration or the latest date change: where a test's millisecond timer counts from. */
  let timerSince = new Date();
  let dateChanges = 0;
  /** Update handlers still working (e.g. rescheduling): the switch waits for them before it runs. */
  let busy = 0;
  let bookingSettled = state.technician === null;

  const record = (actor: Actor, action: string, to: SwitchView['status'], text?: string | null) => recordAction(state, actor, action, to, text);
  const publish = () => projectCase(toProjection(state));

  function validate(action: SwitchAction, cmd: SwitchActionInput): void {
    const allowed = allowedSwitchActions(state.status, cmd.actor);
    if (!allowed.includes(action)) {
      throw notAllowed({
        status: state.status, action, allowedActions: allowed, rule: action === 'changeDate' ? 'I-5' : 'I-7',
        message: `'${action}' is not allowed on ${state.number} in status ${state.status}`,
      });
    }
    const problems: FieldProblem[] = [];
    if (action === 'changeDate') {
      if (!cmd.requestedDate || !isValidIsoDate(cmd.requestedDate)) {
        problems.push({ field: 'requestedDate', rule: 'I-5', message: 'required: a date YYYY-MM-DD' });
      } else {
        const dateProblem = switchDateProblem(osloDate(new Date()), cmd.requestedDate, state.leadDays);
        if (dateProblem) problems.push({ field: 'requestedDate', rule: 'I-5', message: dateProblem });
        if (state.technician) {
          // I-6: the technician comes on the switch date, so a new date needs a slot on it
          if (!cmd.slotId) problems.push({ field: 'slotId', rule: 'I-6', message: 'required: this switch needs a technician; give a free slot on the new date' });
          else if (slotDate(cmd.slotId) !== cmd.requestedDate) problems.push({ field: 'slotId', rule: 'I-6', message: `slot ${cmd.slotId} is not on ${cmd.requestedDate}` });
        } else if (cmd.slotId) {
          problems.push({ field: 'slotId', rule: 'I-6', message: 'this switch needs no technician (I-6)' });
        }
      }
    } else if (action === 'cancelByOperator') {
      if (!cmd.serviceRequest?.trim()) problems.push({ field: 'serviceRequest', rule: 'I-7', message: 'required: the service request asking for the cancellation' });
      if (!cmd.text?.trim()) problems.push({ field: 'text', rule: 'I-7', message: 'required: the reason for cancelling' });
    }
    if (problems.length > 0) throw invalidInput(problems);
  }

  setHandler(switchActionUpdates.changeDate, async (cmd: SwitchActionInput) => {
    busy++;
    try {
      await condition(() => bookingSettled);
      if (state.status !== 'Registered') {
        throw notAllowed({ status: state.status, action: 'changeDate', allowedActions: allowedSwitchActions(state.status, cmd.actor), rule: 'I-5', message: `${state.number} is ${state.status}` });
      }
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
      return state;
    } finally {
      busy--;
    }
  }, { validator: (cmd: SwitchActionInput) => validate('changeDate', cmd) });

  setHandler(switchActionUpdates.cancelByOperator, async (cmd: SwitchActionInput) => {
    busy++;
    try {
      state.resolution = cmd.text ?? null;
      state.cancelledViaServiceRequest = cmd.serviceRequest ?? null;
      record(cmd.actor, 'cancelByOperator', 'Cancelled', `Cancelled from ${cmd.serviceRequest}: ${cmd.text}`);
      await publish();
      return state;
    } finally {
      busy--;
    }
  }, { validator: (cmd: SwitchActionInput) => validate('cancelByOperator', cmd) });

  setHandler(switchViewQuery, () => state);

  await publish();

  // I-6: book the technician the switch needs; a full slot ends the case (register again)
  if (state.technician) {
    try {
      const booking = await bookSwitchTechnician({ slotId: state.technician.slotId, reference: input.number, idempotencyKey: input.caseId });
      state.technician.booking = { bookingId: booking.bookingId, date: booking.slot.date, window: booking.slot.window };
      record(SYSTEM_ACTOR, 'bookTechnician', state.status, `Technician booked ${booking.slot.date} ${booking.slot.window} (${booking.bookingId})`);
    } catch (err) {
      const reason = rejectionReason(err);
      if (!reason) throw err;
      if (state.status === 'Registered') {
        state.resolution = `The technician could not be booked: ${reason}`;
        record(SYSTEM_ACTOR, 'reject', 'Rejected', state.resolution);
      }
    }
    bookingSettled = true;
    await publish();
  }

  // The durable timer until the switch date; a date change wakes it and it waits again (I-5).
  while (state.status === 'Registered') {
    const seen = dateChanges;
    const at = executionInstant(state.requestedDate, input.timing.executeAt, timerSince).getTime();
    const woken = await condition(() => dateChanges !== seen || state.status !== 'Registered', Math.max(1, at - Date.now()));
    if (woken) continue;
    await condition(() => busy === 0);
    if (dateChanges !== seen || state.status !== 'Registered') continue;

    record(SYSTEM_ACTOR, 'execute', 'In Progress', `Switch carried out in the order system for ${state.requestedDate}`);
    await publish();
    try {
      const done = await executeSwitchIsp({
        caseId: input.caseId, companyId: input.companyId, companyName: input.companyName, losingEntryId: state.subscription.portfolioEntryId,
        lineId: state.subscription.lineId, number: state.subscription.number, numberKind: state.subscription.numberKind,
        losingOperator: state.subscription.losingOperator, newProductCode: state.newProductCode, accessType: state.subscription.accessType,
        speedMbps: state.subscription.speedMbps, address: state.subscription.address, endUser: state.endUser, date: state.requestedDate,
      });
      state.switchId = done.switchId;
      state.portfolioEntryId = done.portfolioEntryId;
      state.executedAt = now();
      record(SYSTEM_ACTOR, 'complete', 'Completed', `${state.subscription.number} moved from ${state.subscription.losingOperator} to ${state.companyName} on ${state.requestedDate} (${done.switchId})`);
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
