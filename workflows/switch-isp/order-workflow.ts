// One switch-ISP order = one workflow (deck slides 62–67; rules I-1…I-7, O-14, O-15, O-17). It is
// registered in the order system at once, which checks the losing operator and the NRDB authorisation
// now and not on the switch day (Committed → Registered with Customer Order Id and Agreed Date, or
// Rejected); books the technician the switch needs with the AEG work ordered with it (I-6); follows the
// order line's statuses and the handler's O-15 steps; and on the agreed date carries the switch out and
// moves the portfolio (Finished). The user cannot cancel it (I-7); a handler cancels it from a service request.
// Cases registered before this type run on switchIspWorkflow (workflow.ts), kept for them.
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { PortfolioActivities } from '../../activities/portfolio';
import { SYSTEM_ACTOR } from '../../domain/identity';
import { executionInstant } from '../../domain/portfolio';
import { recordAction } from '../activity-log';
import { caseLock } from '../kit/serial';
import { projectCase } from '../publish';
import { invalidInput } from '../refusals';
import { portfolioOrderViewQuery, type SwitchOrderStartInput, type SwitchOrderView } from './order-messages';
import { orderLifecycle } from './order-lifecycle';
import { newSwitchOrder, switchOrderProjection } from './order-projection';
import { rejectionReason, UPSTREAM_ACTIVITY_OPTIONS } from './upstream';

const { registerSwitchOrder, bookSwitchTechnician, rescheduleSwitchTechnician, cancelSwitchTechnician, executeSwitchIsp } = proxyActivities<PortfolioActivities>(UPSTREAM_ACTIVITY_OPTIONS);

export async function switchIspOrderWorkflow(input: SwitchOrderStartInput): Promise<SwitchOrderView> {
  const state = newSwitchOrder(input);
  const lock = caseLock();

  const run = orderLifecycle({
    state,
    lock,
    publish: () => projectCase(switchOrderProjection(state)),
    dueAt: (since) => executionInstant(state.requestedDate, input.timing.executeAt, since),
    register: () =>
      registerSwitchOrder({
        idempotencyKey: input.caseId,
        number: state.subscription.number,
        productCode: state.newProductCode,
        fromOperator: state.subscription.losingOperator,
        toCompany: state.companyName,
        authorisationReference: state.authorisation.reference,
        requestedDate: state.requestedDate,
      }),
    // I-6: the technician the switch needs, with the AEG work ordered with the visit; a full slot rejects the order
    afterRegistered: async () => {
      const technician = state.technician;
      if (!technician) return undefined;
      try {
        const booking = await bookSwitchTechnician({ slotId: technician.slotId, reference: input.number, idempotencyKey: input.caseId, aegServices: technician.aegServices });
        technician.booking = { bookingId: booking.bookingId, date: booking.slot.date, window: booking.slot.window, aegServices: booking.aegServices };
        const aeg = booking.aegServices.length > 0 ? ` with AEG ${booking.aegServices.join(', ')}` : '';
        recordAction(state, SYSTEM_ACTOR, 'bookTechnician', state.status, `Technician booked ${booking.slot.date} ${booking.slot.window} (${booking.bookingId})${aeg}`);
        return undefined;
      } catch (err) {
        const reason = rejectionReason(err);
        if (!reason) throw err;
        return `The technician could not be booked: ${reason}`;
      }
    },
    onDateChange: async (cmd) => {
      const technician = state.technician;
      if (technician?.booking && cmd.slotId && cmd.slotId !== technician.slotId) {
        try {
          const booking = await rescheduleSwitchTechnician({ bookingId: technician.booking.bookingId, slotId: cmd.slotId, idempotencyKey: `${input.caseId}/reschedule/${state.version}` });
          technician.booking = { bookingId: booking.bookingId, date: booking.slot.date, window: booking.slot.window, aegServices: booking.aegServices };
        } catch (err) {
          const reason = rejectionReason(err);
          if (reason) throw invalidInput([{ field: 'slotId', rule: 'I-6', message: reason }]);
          throw err;
        }
      }
      if (technician && cmd.slotId) technician.slotId = cmd.slotId;
    },
    execute: async () => {
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
      return `${state.subscription.number} moved from ${state.subscription.losingOperator} to ${state.companyName} on ${state.requestedDate} (${done.switchId})`;
    },
    // a cancelled or rejected switch frees its technician slot
    onStopped: async () => {
      const booking = state.technician?.booking;
      if (!booking) return;
      try {
        await cancelSwitchTechnician({ bookingId: booking.bookingId });
      } catch (err) {
        if (!rejectionReason(err)) throw err;
      }
    },
  });
  setHandler(portfolioOrderViewQuery, () => state);

  await run();
  await condition(allHandlersFinished);
  return state;
}
