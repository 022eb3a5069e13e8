// Number handling for PSTN and ISDN, end to end through the API (O-12, M-1; the deck's "Booking av
// montør": "Du skal altså booke montør når Kapaks tillater det og produktet som bestilles er … PSTN
// (med mulighet for nummerreservasjon) ISDN (med mulighet for nummerreservasjon)"): a number is
// reserved with the booking, held at submit, assigned at Finished (F), and the portfolio entry is
// known by it — not by the Customer Order Id. Its lapse at the O-20 auto-cancel is in
// numbers-expiry.test.ts (a stack with a short auto-cancel).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceTo, createOrder, draftBody, lineOf, ok } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';

let stack: Stack;
let ola: string;
let nils: string;
let hanne: string;
beforeAll(async () => {
  stack = await startStack();
  [ola, nils, hanne] = await Promise.all([stack.login('ola.nordnett'), stack.login('nils.fjordtel'), stack.login('hanne.handler')]);
});
afterAll(async () => {
  await stack?.stop();
});

const reserve = (order: string, token = ola, lineNo = 1) => stack.api('POST', `/v1/orders/${order}/lines/${lineNo}/number-reservation`, { token });

/** A PSTN (or ISDN) draft, availability checked, with a technician booked (O-12). */
async function bookedOrder(productCode: 'PSTN' | 'ISDN' | 'JARA-ADSL-DELT' = 'PSTN', book = true) {
  const order = await createOrder(stack, ola, draftBody({ productCode, speedMbps: productCode === 'JARA-ADSL-DELT' ? 8 : null }));
  await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability`, { token: ola }));
  if (book) {
    const slots = await ok(stack.api('GET', `/v1/orders/${order.number}/lines/1/slots`, { token: ola }));
    await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: ola, json: { slotId: slots.items[0].slotId } }));
  }
  return order.number;
}

describe('O-12: a number is reserved with the booking ("PSTN (med mulighet for nummerreservasjon)")', () => {
  it('O-12, M-1: PSTN: reserve with the booking → shown on the order → held at submit → assigned at Finished → the portfolio knows the line by it', async () => {
    const order = await bookedOrder('PSTN');
    const reserved = await ok(reserve(order));
    const r = reserved.lines[0].numberReservation;
    // O-20: the reservation lapses with the draft
    expect(r).toMatchObject({ number: expect.stringMatching(/^\d{8}$/), status: 'reserved', expiresAt: reserved.autoCancelAt });
    expect(reserved.activity.at(-1)).toMatchObject({ action: 'reserveNumber', by: 'ola.nordnett' });
    // one number per line
    const again = await reserve(order);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ rule: 'O-12' });
    expect(again.body.detail).toContain(r.number);

    await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    // the line holds it: it no longer lapses
    const held = await eventually(
      async () => {
        const line = (await lineOf(stack, ola, order)).body;
        return line.line?.numberReservation?.status === 'held' ? line : undefined;
      },
      20_000,
      'number held',
    );
    expect(held.line.numberReservation).toMatchObject({ number: r.number, expiresAt: null });
    expect(held.activity.map((a: { action: string }) => a.action)).toContain('holdNumber');
    const shown = await ok(stack.api('GET', `/v1/orders/${order}`, { token: ola }));
    expect(shown.lines[0].numberReservation).toMatchObject({ number: r.number, status: 'held' });

    await eventually(async () => ((await lineOf(stack, ola, order)).body.status === 'Registered' ? true : undefined), 20_000, 'registered');
    await advanceTo(stack, hanne, `${order}:1`, 'Finished');
    const finished = (await lineOf(stack, ola, order)).body;
    expect(finished.status).toBe('Finished');
    expect(finished.line.numberReservation).toMatchObject({ number: r.number, status: 'assigned' });
    expect(finished.customerOrderId).not.toBe(r.number);

    // M-1: the portfolio entry is the phone number, not the Customer Order Id
    const product = await ok(stack.api('GET', `/v1/portfolio/${r.number}`, { token: ola }));
    expect(product.entry).toMatchObject({ number: r.number, numberKind: 'phone', productCode: 'PSTN', companyId: 'nordnett', sourceCaseId: `order-line:${order}:1` });
    expect(product.cases.map((c: { number: string }) => c.number)).toContain(`${order}:1`);
    expect((await stack.api('GET', `/v1/portfolio/${finished.customerOrderId}`, { token: ola })).status).toBe(404);
    // another company does not see it
    expect((await stack.api('GET', `/v1/portfolio/${r.number}`, { token: nils })).status).toBe(404);
  });

  it('O-12, M-1: ISDN without a reservation: a number is assigned at Finished and the entry takes it', async () => {
    const order = await bookedOrder('ISDN');
    await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    await eventually(async () => ((await lineOf(stack, ola, order)).body.status === 'Registered' ? true : undefined), 20_000, 'registered');
    await advanceTo(stack, hanne, `${order}:1`, 'Finished');
    const line = (await lineOf(stack, ola, order)).body;
    expect(line.line.numberReservation).toMatchObject({ number: expect.stringMatching(/^\d{8}$/), status: 'assigned' });
    const product = await ok(stack.api('GET', `/v1/portfolio/${line.line.numberReservation.number}`, { token: ola }));
    expect(product.entry).toMatchObject({ numberKind: 'phone', productCode: 'ISDN' });
  });

  it('O-12, C-1: the line keeps its held number across a Reopen and a second submit', async () => {
    const order = await bookedOrder('PSTN');
    const r = (await ok(reserve(order))).lines[0].numberReservation;
    await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    await eventually(async () => ((await lineOf(stack, ola, order)).body.status === 'Registered' ? true : undefined), 20_000, 'registered');
    await ok(stack.api('POST', `/v1/orders/${order}/reopen`, { token: ola }));
    // a reopened order cannot reserve another number: the line has one
    expect((await reserve(order)).status).toBe(409);
    await ok(stack.api('PATCH', `/v1/orders/${order}`, { token: ola, json: { contact: { name: 'Per Olsen', phone: '45678901' } } }));
    await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    const again = await eventually(
      async () => {
        const line = (await lineOf(stack, ola, order)).body;
        return line.status === 'Registered' && line.revision === 2 ? line : undefined;
      },
      20_000,
      'registered again',
    );
    expect(again.line.numberReservation).toMatchObject({ number: r.number, status: 'held' });
    expect((await ok(stack.api('GET', `/v1/orders/${order}`, { token: ola }))).lines[0].numberReservation).toMatchObject({ number: r.number, status: 'held' });
  });

  it('O-12: no reservation without a booking, for a product other than PSTN/ISDN, after submit, or on another company’s order', async () => {
    const unbooked = await bookedOrder('PSTN', false);
    const noBooking = await reserve(unbooked);
    expect(noBooking.status).toBe(409);
    expect(noBooking.body).toMatchObject({ rule: 'O-12' });
    expect(noBooking.body.detail).toMatch(/book a technician/);

    const adsl = await bookedOrder('JARA-ADSL-DELT');
    const notPstn = await reserve(adsl);
    expect(notPstn.status).toBe(409);
    expect(notPstn.body.detail).toMatch(/PSTN and ISDN/);

    // another company's order answers as a missing one
    const foreign = await reserve(unbooked, nils);
    expect(foreign.status).toBe(404);
    const missingLine = await reserve(unbooked, ola, 7);
    expect(missingLine.status).toBe(404);

    const submitted = await bookedOrder('PSTN');
    await ok(stack.api('POST', `/v1/orders/${submitted}/submit`, { token: ola }));
    const late = await reserve(submitted);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ rule: 'O-12' });
  });

  it('O-12: two reservations sent at once for one line: one number, the other answers 409', async () => {
    const order = await bookedOrder('PSTN');
    const results = await Promise.all([reserve(order), reserve(order), reserve(order)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const shown = await ok(stack.api('GET', `/v1/orders/${order}`, { token: ola }));
    expect(shown.lines[0].numberReservation.status).toBe('reserved');
    // two lines never get the same number
    const other = await bookedOrder('PSTN');
    const second = await ok(reserve(other));
    expect(second.lines[0].numberReservation.number).not.toBe(shown.lines[0].numberReservation.number);
  });

  it('O-12: the numbering system down: the reservation answers 503 and nothing is recorded; a retry succeeds', async () => {
    const order = await bookedOrder('PSTN');
    stack.sims.numbering.faults.set({ errorRate: 1 });
    let failed;
    try {
      failed = await reserve(order);
    } finally {
      stack.sims.numbering.faults.reset();
    }
    expect(failed.status).toBe(503);
    expect((await ok(stack.api('GET', `/v1/orders/${order}`, { token: ola }))).lines[0].numberReservation ?? null).toBeNull();
    const ok2 = await ok(reserve(order));
    expect(ok2.lines[0].numberReservation.status).toBe('reserved');
  });
});
