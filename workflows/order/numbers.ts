// PSTN/ISDN number handling in the order workflows (O-12, O-20, M-1; domain/numbers.ts has the
// rules). The order reserves a number with a line's booking (an Update of its own: a new handler,
// so recorded histories replay unchanged); the line holds the reservation when it starts (submit)
// and has the number assigned when it reaches Finished (F), behind patches in line-workflow.ts.
import { proxyActivities } from '@temporalio/workflow';
import type { NumberActivities } from '../../activities/numbers';
import type { Actor } from '../../domain/identity';
import { decideNumberReservation, type LineNumber } from '../../domain/numbers';
import { orderLineNumber } from '../../domain/order';
import { ackOf } from '../kit/ack';
import { type Lock, setSerialUpdate } from '../kit/serial';
import { refuseIf } from '../refusals';
import type { LineView, OrderView } from './messages';
import { orderNumberUpdates } from './number-messages';
import { adapterRejection, upstreamFailure } from './upstream';

// The user waits for the reservation: a few quick attempts; a rejection is final.
const numbering = proxyActivities<NumberActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '300 ms', maximumAttempts: 3, nonRetryableErrorTypes: ['AdapterRejectedError'] },
});

// Holding at submit: retried while the numbering system is down (never lost, like the registration).
const holdNumbering = proxyActivities<NumberActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', nonRetryableErrorTypes: ['AdapterRejectedError'] },
});

// Assigning in the handler's Finished step: a few attempts, then the step answers 503 and the line stays in Delivery.
const lineNumbering = proxyActivities<NumberActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '5 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['AdapterRejectedError'] },
});

const lineNumberOf = (r: { reservationId: string; number: string; status: LineNumber['status']; expiresAt: string | null }): LineNumber => ({
  reservationId: r.reservationId,
  number: r.number,
  status: r.status,
  expiresAt: r.expiresAt,
});

/** O-12: the order's reserveNumber Update (registered once by the order workflow). */
export function setNumberReservationHandler(h: { state: OrderView; lock: Lock; record: (actor: Actor, action: string, text?: string) => void; publish: () => Promise<void> }): void {
  const { state } = h;
  setSerialUpdate(
    h.lock,
    orderNumberUpdates.reserveNumber,
    (cmd) => refuseIf(decideNumberReservation(state, cmd.lineNo, cmd.productFamily, new Date())),
    async (cmd) => {
      const line = state.lines.find((l) => l.lineNo === cmd.lineNo)!;
      try {
        const r = await numbering.reserveNumber({
          idempotencyKey: `${state.caseId}:${cmd.lineNo}:number:${state.version}`,
          productCode: state.productCode ?? '',
          addressId: line.address?.addressId ?? '',
          reference: orderLineNumber(state.number, cmd.lineNo),
          // O-20: the reservation lapses with the draft when it is not submitted in time
          expiresAt: state.autoCancelAt!,
        });
        line.numberReservation = lineNumberOf(r);
      } catch (err) {
        throw upstreamFailure(err);
      }
      h.record(cmd.actor, 'reserveNumber', `${line.numberReservation.number} reserved until ${line.numberReservation.expiresAt}`);
      await h.publish();
      return ackOf(state);
    },
  );
}

/**
 * Submit: the line holds its reservation so it no longer lapses. A reservation that lapsed in the
 * meantime is recorded as expired (the number is assigned at delivery instead). Returns the text for the activity log.
 */
export async function holdLineNumber(state: LineView): Promise<string | undefined> {
  const r = state.line.numberReservation;
  if (!r || r.status !== 'reserved') return undefined;
  try {
    state.line.numberReservation = lineNumberOf(await holdNumbering.holdNumber({ reservationId: r.reservationId }));
    return `number ${r.number} held for the line`;
  } catch (err) {
    const rejection = adapterRejection(err);
    if (!rejection) throw err;
    state.line.numberReservation = { ...r, status: 'expired' };
    return `number reservation ${r.number} had lapsed: a number is assigned at delivery (${rejection.message})`;
  }
}

/** M-1: the line is delivered (F): the numbering system assigns the reserved number, or the next free one. */
export async function assignLineNumber(state: LineView): Promise<void> {
  const r = state.line.numberReservation;
  if (r?.status === 'assigned') return;
  try {
    const assigned = await lineNumbering.assignNumber({
      idempotencyKey: `${state.caseId}:number`,
      ...(r && r.status !== 'expired' ? { reservationId: r.reservationId } : {}),
      productCode: state.productCode,
      addressId: state.line.address?.addressId ?? '',
      reference: state.number,
    });
    state.line.numberReservation = lineNumberOf(assigned);
  } catch (err) {
    throw upstreamFailure(err);
  }
}
