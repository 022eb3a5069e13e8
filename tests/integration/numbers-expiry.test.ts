// O-12 / O-20: a number reserved with the booking lapses when the order is not submitted before the
// auto-cancel (the draft's 14 days; here a short duration), and the number is free again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, draftBody, ok } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';

const AUTO_CANCEL_MS = 6_000;

let stack: Stack;
let ola: string;
beforeAll(async () => {
  stack = await startStack({ timings: { orderAutoCancel: { ms: AUTO_CANCEL_MS } } });
  ola = await stack.login('ola.nordnett');
});
afterAll(async () => {
  await stack?.stop();
});

async function reservedPstn(addressId: string) {
  const order = await createOrder(stack, ola, draftBody({ productCode: 'PSTN', speedMbps: null }, { address: { addressId } }));
  await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability`, { token: ola }));
  const slots = await ok(stack.api('GET', `/v1/orders/${order.number}/lines/1/slots`, { token: ola }));
  await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: ola, json: { slotId: slots.items[0].slotId } }));
  return ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/number-reservation`, { token: ola }));
}

describe('O-12, O-20: the reservation lapses with the never-submitted draft', () => {
  it('O-20, O-12: not submitted before the auto-cancel: the order is Cancelled, its number reservation expired, and the number is free for the next order', async () => {
    const first = await reservedPstn('adr-0069');
    const r = first.lines[0].numberReservation;
    expect(r).toMatchObject({ status: 'reserved', expiresAt: first.autoCancelAt });

    const cancelled = await eventually(
      async () => {
        const o = await ok(stack.api('GET', `/v1/orders/${first.number}`, { token: ola }));
        return o.status === 'Cancelled' ? o : undefined;
      },
      AUTO_CANCEL_MS + 15_000,
      'auto-cancelled',
    );
    expect(cancelled.lines[0].numberReservation).toMatchObject({ number: r.number, status: 'expired' });

    // the numbering system freed it: the next reservation in the same series gets it again
    const next = await reservedPstn('adr-0074');
    expect(next.lines[0].numberReservation).toMatchObject({ number: r.number, status: 'reserved' });
  });
});
