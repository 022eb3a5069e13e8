// Activities of the order workflows: the order system and the appointment system.
// Idempotent: each write carries a key derived from the workflow ID, so a retry after a lost
// reply returns the first result (never registered or booked twice). Time-outs and outages are
// thrown as they are (Temporal retries them); AdapterRejectedError is a business "no" and is
// listed as non-retryable in the workflows' activity options.
import type { Adapters } from '../adapters';
import type { Booking, Registration } from '../adapters';
import { osloDate } from '../domain/time';

export function createOrderActivities(adapters: Adapters) {
  return {
    /** O-14: Committed → Registered with a Customer Order Id and Agreed Date. */
    async registerOrderLine(input: { idempotencyKey: string; productCode: string; requestedDate: string }): Promise<Registration> {
      return adapters.orders.register({ ...input, today: osloDate(new Date()) });
    },
    /** O-12: a verified booking is a confirmed delivery date. */
    async bookAppointment(input: { slotId: string; reference: string; idempotencyKey: string }): Promise<Booking> {
      return adapters.appointments.book(input);
    },
    async rescheduleAppointment(input: { bookingId: string; slotId: string; idempotencyKey: string }): Promise<Booking> {
      return adapters.appointments.reschedule(input);
    },
    async cancelAppointment(input: { bookingId: string }): Promise<Booking> {
      return adapters.appointments.cancel(input.bookingId);
    },
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
