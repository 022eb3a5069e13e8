// Activities of PSTN/ISDN number handling (O-12, M-1): the numbering system. Idempotent: the
// reservation and the assignment carry a key derived from the workflow ID, holding a reservation
// twice changes nothing, so a retry after a lost reply returns the first result. AdapterRejectedError
// (a lapsed reservation, an exhausted series) is a business "no", non-retryable in the workflows.
import type { Adapters, NumberReservation } from '../adapters';

export function createNumberActivities(adapters: Adapters) {
  return {
    /** O-12: a number reserved with the booking, until the draft's O-20 auto-cancel. */
    async reserveNumber(input: { idempotencyKey: string; productCode: string; addressId: string; reference: string; expiresAt: string }): Promise<NumberReservation> {
      return adapters.numbering.reserve(input);
    },
    /** The order was submitted: the reservation no longer lapses. */
    async holdNumber(input: { reservationId: string }): Promise<NumberReservation> {
      return adapters.numbering.hold(input);
    },
    /** M-1: the line is delivered (F): the reserved number, or the next free one, becomes the line's. */
    async assignNumber(input: { idempotencyKey: string; reservationId?: string; productCode: string; addressId: string; reference: string }): Promise<NumberReservation> {
      return adapters.numbering.assign(input);
    },
  };
}

export type NumberActivities = ReturnType<typeof createNumberActivities>;
