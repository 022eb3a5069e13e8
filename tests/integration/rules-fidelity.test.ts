// Issue 13, "Misread rules to correct": each rule read against the deck (/work/shared/seeds/), through the
// API against the real stack. Where the reading was disputed the deck's sentence is quoted with the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_EXAMPLES } from '../../adapters';
import { advanceTo, createOrder, daysAhead, draftBody, handlerStep, lineOf, ok, type OrderTokens, readyOrder, submittedOrder } from '../support/orders';
import { createSr, srAction, uniqueReference } from '../support/service-requests';
import { eventually, type Stack, startStack } from '../support/stack';

let stack: Stack;
let t: OrderTokens;
beforeAll(async () => {
  stack = await startStack();
  t = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
});
afterAll(async () => {
  await stack?.stop();
});

const getOrder = async (number: string) => ok(stack.api('GET', `/v1/orders/${number}`, { token: t.customer }));
const lineStatus = (number: string, lineNo = 1) =>
  eventually(
    async () => {
      const l = (await lineOf(stack, t.customer, number, lineNo)).body;
      return l.status === 'Registered' ? l : undefined;
    },
    20_000,
    `${number}:${lineNo} registered`,
  );

/** A Project order with two lines (no booking on a Project order, O-9), submitted and registered. */
async function projectOrder() {
  const order = await createOrder(stack, t.customer, draftBody({ orderType: 'Project', references: { projectReference: `PRJ-${Date.now()}` } }));
  await ok(
    stack.api('POST', `/v1/orders/${order.number}/lines`, {
      token: t.customer,
      json: { endUser: { kind: 'company', name: 'Nordlys Regnskap AS', orgNumber: '914778271' }, address: { addressId: 'adr-0194' } },
    }),
  );
  for (const lineNo of [1, 2]) await ok(stack.api('POST', `/v1/orders/${order.number}/lines/${lineNo}/availability`, { token: t.customer }));
  await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
  for (const lineNo of [1, 2]) await lineStatus(order.number, lineNo);
  return order.number;
}

describe('O-16: the header shows the most important line status', () => {
  // Deck (slide 82): "Den viktigste statusverdien (som f.eks. Incomplete, Rejected og Registered) for de ulike
  // bestillingene fremkommer på ordrehodet."
  it('O-16: a Rejected line does not disappear behind a Registered (or delivered) one on a multi-line order', async () => {
    const n = await projectOrder();
    expect((await getOrder(n)).status).toBe('Registered');
    await ok(handlerStep(stack, t.handler, `${n}:2`, 'reject', { statusDescription: 'No capacity at the exchange' }));
    expect((await getOrder(n)).status).toBe('Rejected');
    // the header's read model (the order workflow) says the same
    await eventually(async () => (await stack.sql`SELECT status FROM cases WHERE number = ${n}`)[0]?.status === 'Rejected', 10_000, 'order row Rejected');
    await advanceTo(stack, t.handler, `${n}:1`, 'Design');
    expect((await getOrder(n)).status).toBe('Rejected');
    // and the other line can still be changed with Reopen (C-1): the Rejected one is done
    expect((await getOrder(n)).allowedActions).toContain('reopen');
  });

  // Deck (slide 82): "Ordered (O), Design (D), Field Service (M), Ready(R), Test (T) og Delivery (L) er
  // statusverdier som bare vil stå på Line Item. Når ordrehodet har status In Process …" — Finished is not one.
  it('O-16: In Process covers O, D, R, M, T, L only; a fully delivered order (F) is not In Process', async () => {
    const order = await submittedOrder(stack, t.customer);
    await lineStatus(order.number);
    await advanceTo(stack, t.handler, `${order.number}:1`, 'Delivery');
    expect((await getOrder(order.number)).status).toBe('In Process');
    await advanceTo(stack, t.handler, `${order.number}:1`, 'Finished');
    expect((await getOrder(order.number)).status).toBe('Closed');
    await eventually(async () => (await stack.sql`SELECT status FROM cases WHERE number = ${order.number}`)[0]?.status === 'Closed', 10_000, 'order row Closed');
  });
});

describe('O-15: letter A is the wholesaler’s cancellation', () => {
  // Deck (slide 84): "Cancelled (A) – Ordren er kansellert av Telenor"; slide 83: "Cancelled – … Kan være
  // kansellert både av Telenor og av Dere."
  it("O-15: the reseller's own cancellation is Cancelled without A; the wholesaler's is Cancelled (A)", async () => {
    const own = await submittedOrder(stack, t.customer);
    await lineStatus(own.number);
    const fee = (await ok(stack.api('GET', `/v1/orders/${own.number}/lines/1/cancellation`, { token: t.customer }))).totalOre as number;
    const cancelled = await ok(stack.api('POST', `/v1/orders/${own.number}/lines/1/cancel`, { token: t.customer, json: { acceptedFeeOre: fee, reason: 'The end user changed their mind' } }));
    expect(cancelled).toMatchObject({ status: 'Cancelled', statusCode: null });
    const [ownRow] = await stack.sql<{ title: string }[]>`SELECT title FROM cases WHERE number = ${`${own.number}:1`}`;
    expect(ownRow!.title).not.toMatch(/\(A\)/);

    const theirs = await submittedOrder(stack, t.customer);
    await lineStatus(theirs.number);
    const byWholesaler = await ok(handlerStep(stack, t.handler, `${theirs.number}:1`, 'cancel', { comment: 'No capacity: cancelled by us' }));
    expect(byWholesaler).toMatchObject({ status: 'Cancelled', statusCode: 'A' });
  });
});

describe('O-8: three references, warnings instead of invented refusals', () => {
  // Deck (slide 53): "Feltene Project Reference, Customer Invoice Ref: og Customer Order Ref: kan lett blandes
  // sammen og brukes i gale sammenhenger." — a warning; the deck refuses nothing here.
  it('O-8: the same value in two reference fields and a Project Reference on a Standard order warn, and the order can be submitted', async () => {
    const order = await readyOrder(stack, t.customer, { references: { customerOrderRef: 'NN-77', customerInvoiceRef: 'nn-77', projectReference: 'P-1' } });
    const v = await ok(stack.api('GET', `/v1/orders/${order.number}/validation`, { token: t.customer }));
    expect(v.valid).toBe(true);
    expect(v.problems).toEqual([]);
    expect(v.warnings.map((w: { field: string; rule: string }) => `${w.field}:${w.rule}`)).toEqual(['references.customerOrderRef:O-8', 'references.projectReference:O-8']);
    const submitted = await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
    // each reference stays in its own field
    expect(submitted.references).toEqual({ customerOrderRef: 'NN-77', customerInvoiceRef: 'nn-77', projectReference: 'P-1' });
  });
});

describe('O-3: a flat or room number', () => {
  // Deck (slide 50): "Registrer fullstendig adresse med etasje, oppgang og leilighetsnr./romnr der dette finnes"
  it('O-3: a room number (romnr) is not refused by the flat-number pattern', async () => {
    const street = { street: 'Kirkegata', houseNumber: 28, postcode: '0153', town: 'OSLO' };
    const o3 = async (address: Record<string, unknown>) => {
      const order = await createOrder(stack, t.customer, draftBody({}, { address }));
      const v = await ok(stack.api('GET', `/v1/orders/${order.number}/validation`, { token: t.customer }));
      return (v.problems as Array<{ field: string; rule: string }>).filter((p) => p.rule === 'O-3').map((p) => p.field);
    };
    expect(await o3({ ...street, room: '214' })).toEqual([]);
    expect(await o3({ ...street, flat: 'romnr 12' })).toEqual([]);
    expect(await o3({ ...street, flat: 'X12' })).toEqual(['lines.0.address.flat']); // a malformed flat number still is one
  });
});

describe('S-2: one open SR per matter', () => {
  // Deck (slide 90): "Du skal IKKE … sende flere Service Requests om samme sak"
  it('S-2: another sub-area about the same reference is another matter; an earlier SR that is Completed does not block', async () => {
    const tokens = { customer: t.customer, handler: t.handler };
    const reference = uniqueReference();
    const invoice = await createSr(stack, t.customer, { area: 'Invoice', subArea: 'Wrong invoice', reference });
    const same = await stack.api('POST', '/v1/service-requests', {
      token: t.customer,
      json: { area: 'Invoice', subArea: 'Wrong invoice', reference, description: 'The same wrong invoice once more' },
    });
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({ rule: 'S-2', existing: invoice.number });
    const attachment = await createSr(stack, t.customer, { area: 'Invoice', subArea: 'Missing attachment', reference });
    expect(attachment.number).not.toBe(invoice.number);
    const check = await ok(
      stack.api('GET', `/v1/service-requests/reference-check?kind=other&value=${encodeURIComponent(reference.value)}&area=Invoice&subArea=Missing%20attachment`, { token: t.customer }),
    );
    expect(check.duplicateOf).toBe(attachment.number);

    // the earlier one answered (Completed): a new one about the same matter may be sent
    for (const a of ['submit', 'take', 'complete']) expect((await srAction(stack, tokens, invoice.number, a)).status).toBe(200);
    const again = await createSr(stack, t.customer, { area: 'Invoice', subArea: 'Wrong invoice', reference });
    expect(again.status).toBe('New');
  });
});

describe('O-14: orders found by Customer Order Id and Customer Order Ref (slide 87)', () => {
  // Deck (slide 87): "det opprettes et Customer Order Id som bestillingen kan søkes opp med"
  it('O-14, A-1: GET /v1/orders?q=<Customer Order Id> and ?q=<Customer Order Ref> find the order; another company finds nothing', async () => {
    const order = await submittedOrder(stack, t.customer, { references: { customerOrderRef: `FIND-${Date.now()}` } });
    const line = await lineStatus(order.number);
    expect(line.customerOrderId).toBeTruthy();
    const byId = await ok(stack.api('GET', `/v1/orders?q=${encodeURIComponent(line.customerOrderId)}`, { token: t.customer }));
    expect(byId.items.map((i: { number: string }) => i.number)).toEqual([order.number]);
    const byRef = await ok(stack.api('GET', `/v1/orders?q=${encodeURIComponent(order.references.customerOrderRef)}`, { token: t.customer }));
    expect(byRef.items.map((i: { number: string }) => i.number)).toEqual([order.number]);
    const foreign = await ok(stack.api('GET', `/v1/orders?q=${encodeURIComponent(line.customerOrderId)}`, { token: await stack.login('nils.fjordtel') }));
    expect(foreign.items).toEqual([]);
  });
});

describe('O-11: manual handling before registration', () => {
  // Deck (slide 57): "Får du fortsatt "time-out" vil du likevel kunne sende inn bestillingen, men du vil ikke
  // kunne booke montør. Bestillingen vil da gå til manuell behandling hos Jara Kundeservice."
  it('O-11: after repeated time-outs the line waits Committed in the handlers’ queue, unregistered, until a handler completes the manual handling', async () => {
    const order = await createOrder(stack, t.customer);
    stack.sims.kapaks.faults.set({ timeoutRate: 1, timeoutMs: 50 });
    try {
      await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability`, { token: t.customer }));
    } finally {
      stack.sims.kapaks.faults.reset();
    }
    await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
    const number = `${order.number}:1`;
    const queue = await ok(stack.api('GET', '/v1/handler/order-lines?manualHandling=true&limit=100', { token: t.handler }));
    expect(queue.items).toContainEqual(expect.objectContaining({ number, status: 'Committed', awaitingManualHandling: true }));
    // it is not registered automatically meanwhile
    await new Promise((r) => setTimeout(r, 2_000));
    const waiting = (await lineOf(stack, t.customer, order.number)).body;
    expect(waiting).toMatchObject({ status: 'Committed', customerOrderId: null, manualHandling: true });
    expect(waiting.allowedActions).not.toContain('completeManualHandling');
    // the customer cannot complete it; the handler must say what the check found
    expect((await stack.api('POST', `/v1/handler/order-lines/${number}/complete-manual-handling`, { token: t.customer, json: { comment: 'x' } })).status).toBe(403);
    expect((await handlerStep(stack, t.handler, number, 'complete-manual-handling', {})).status).toBe(400);
    await ok(handlerStep(stack, t.handler, number, 'in-progress', { comment: 'Checking Kapaks by hand' }));
    // two handlers complete at once: one wins
    const both = await Promise.all([1, 2].map(() => handlerStep(stack, t.handler, number, 'complete-manual-handling', { comment: 'Kapaks by hand: green' })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const registered = await lineStatus(order.number);
    expect(registered.customerOrderId).toBeTruthy();
    expect(registered.manualHandlingDoneBy).toBe('hanne.handler');
    const after = await ok(stack.api('GET', '/v1/handler/order-lines?manualHandling=true&limit=100', { token: t.handler }));
    expect(after.items.find((i: { number: string }) => i.number === number)?.awaitingManualHandling ?? false).toBe(false);
  });
});

describe('O-12: the user shall book a technician when Kapaks allows it', () => {
  // Deck (slide 58): "Du skal altså booke montør når Kapaks tillater det og produktet som bestilles er ADSL delt
  // eller full tilgang, Operatøraksess delt eller full tilgang, … SHDSL, PSTN …, ISDN …"
  it('O-12: submit without a booking is refused where a slot could have been booked, with the reason; booked, it goes through', async () => {
    const order = await readyOrder(stack, t.customer, {}, {}, { book: false });
    const refused = await stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer });
    expect(refused.status).toBe(400);
    const problem = refused.body.errors.find((e: { field: string }) => e.field === 'body.lines.0.booking');
    expect(problem).toMatchObject({ rule: 'O-12' });
    expect(problem.message).toMatch(/book a technician.*slots are free/);
    expect((await getOrder(order.number)).phase).toBe('draft');
    const slots = await ok(stack.api('GET', `/v1/orders/${order.number}/lines/1/slots`, { token: t.customer }));
    await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId: slots.items[0].slotId } }));
    await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
  });

  it('O-12: no booking is demanded where none can be made: the appointment system down, or a Project order (O-9)', async () => {
    const order = await readyOrder(stack, t.customer, {}, {}, { book: false });
    stack.sims.appointments.faults.set({ errorRate: 1 });
    try {
      const v = await ok(stack.api('GET', `/v1/orders/${order.number}/validation`, { token: t.customer }));
      expect(v.problems).toEqual([]);
    } finally {
      stack.sims.appointments.faults.reset();
    }
    const project = await readyOrder(stack, t.customer, { orderType: 'Project', references: { projectReference: 'PRJ-O12' } });
    expect((await ok(stack.api('GET', `/v1/orders/${project.number}/validation`, { token: t.customer }))).problems).toEqual([]);
  });
});

describe('Q-10 and Q-12: quote header and Order All Line Items', () => {
  const [Z1a, Z1b] = ADDRESS_EXAMPLES.zone1Pair;
  const Z2a = 'adr-0006';

  // Deck (slide 43): "New: Quoten er opprettet og kan inneholde Quote Line Items, men det har ikke blitt utført
  // prisforespørsel på noen av Quote Line Items"
  it('Q-10: a quote with one priced line and one line awaiting manual-pricing confirmation is not New', async () => {
    const quote = await ok(
      stack.api('POST', '/v1/quotes', {
        token: t.customer,
        json: {
          lines: [
            { productCode: 'SAMB-ETH', speedMbps: 34, addressAId: Z1a, addressBId: Z1b },
            { productCode: 'SAMB-ETH', speedMbps: 34, addressAId: Z1a, addressBId: Z2a },
          ],
        },
      }),
      201,
    );
    expect(quote.status).toBe('New');
    const priced = await ok(stack.api('POST', `/v1/quotes/${quote.number}/submit`, { token: t.customer, json: {} }));
    expect(priced.lines.map((l: { status: string }) => l.status)).toEqual(['Completed', 'New']);
    expect(priced.status).not.toBe('New');
    expect(priced).toMatchObject({ status: 'Completed', completedLines: 1 });
  });

  // Deck (slide 41): "Skal du bestille alle forespørslene som ligger på Quote, klikker du på knappen Order All
  // Line Items. … På denne måten trekkes forespørselen(e) over i Orders-modulen, slik at du får fylt ut en
  // fullstendig bestilling." and slide 51: "Datoen må være i henhold til … tilbakemeldt pristilbud."
  it("Q-12: Order All Line Items makes ONE order with every Completed line and takes the requested date from the quote's answer", async () => {
    const quote = await ok(
      stack.api('POST', '/v1/quotes', {
        token: t.customer,
        json: {
          lines: [
            { productCode: 'SAMB-ETH', speedMbps: 34, addressAId: Z1a, addressBId: Z2a },
            { productCode: 'SAMB-ETH', speedMbps: 34, addressAId: Z1b, addressBId: Z2a },
          ],
        },
      }),
      201,
    );
    await ok(stack.api('POST', `/v1/quotes/${quote.number}/submit`, { token: t.customer, json: { confirmManualPricing: [1, 2] } }));
    const answered = [daysAhead(12), daysAhead(15)];
    for (const lineNo of [1, 2]) {
      await ok(stack.api('POST', `/v1/handler/quotes/${quote.number}/lines/${lineNo}/take`, { token: t.handler }));
      await ok(
        stack.api('POST', `/v1/handler/quotes/${quote.number}/lines/${lineNo}/complete`, {
          token: t.handler,
          json: { monthlyRentOre: 990_000, establishmentOre: 4_500_000, deliveryDate: answered[lineNo - 1] },
        }),
      );
    }
    const q = await ok(stack.api('GET', `/v1/quotes/${quote.number}`, { token: t.customer }));
    expect(q.status).toBe('Completed');
    expect(q.lines.map((l: { answeredDate: string }) => l.answeredDate)).toEqual(answered);

    const res = await ok(stack.api('POST', '/v1/orders/from-quote', { token: t.customer, json: { quoteNumber: quote.number } }), 201);
    expect(res.orders).toHaveLength(1);
    const order = res.orders[0];
    expect(order).toMatchObject({ status: 'New', orderType: 'Project', productCode: 'SAMB-ETH', speedMbps: 34, requestedDate: answered[1] });
    expect(order.lines.map((l: { quoteLine: { lineNo: number } }) => l.quoteLine.lineNo)).toEqual([1, 2]);
    const after = await ok(stack.api('GET', `/v1/quotes/${quote.number}`, { token: t.customer }));
    expect(after.lines.map((l: { orderedAs: string }) => l.orderedAs)).toEqual([order.number, order.number]);
    // the answer's date stands although it is inside the product's lead time (O-5)
    const v = await ok(stack.api('GET', `/v1/orders/${order.number}/validation`, { token: t.customer }));
    expect((v.problems as Array<{ rule: string }>).filter((p) => p.rule === 'O-5')).toEqual([]);
    const again = await stack.api('POST', '/v1/orders/from-quote', { token: t.customer, json: { quoteNumber: quote.number } });
    expect(again.status).toBe(409);
  });
});
