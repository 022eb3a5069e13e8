// Orders end to end: API → order and line workflows → read model → API (rules O-1…O-19, C-1…C-6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KAPAKS_EXAMPLES } from '../../adapters';
import { historyLength } from '../support/service-requests';
import { advanceTo, createOrder, daysAhead, draftBody, handlerStep, lineOf, ok, type OrderTokens, readyOrder, submittedOrder } from '../support/orders';
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

const getOrder = (number: string, token = t.customer) => stack.api('GET', `/v1/orders/${number}`, { token });
const registered = (number: string) =>
  eventually(
    async () => {
      const line = (await lineOf(stack, t.customer, number)).body;
      return line.status === 'Registered' ? line : undefined;
    },
    20_000,
    `${number}:1 registered`,
  );

describe('O-14…O-16: the whole delivery life with a handler', () => {
  it('O-15, M-1: submit → Committed → Registered (Customer Order Id, Agreed Date) → O → D → R → M → T → L → F (into the portfolio) → Closed, each step stamped', async () => {
    const order = await readyOrder(stack, t.customer);
    const submitted = await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
    expect(submitted.status).toMatch(/Committed|Registered/);
    expect(submitted.lines[0].delivery.number).toBe(`${order.number}:1`);
    const line = await registered(order.number);
    expect(line.customerOrderId).toMatch(/^1-[0-9A-Z]{6}$/);
    expect(line.agreedDate).toBe(submitted.requestedDate);
    expect((await getOrder(order.number)).body.status).toBe('Registered');

    const n = `${order.number}:1`;
    for (const to of ['Ordered', 'Design', 'Ready']) expect((await handlerStep(stack, t.handler, n, 'advance', { to })).body.status).toBe(to);
    expect((await getOrder(order.number)).body.status).toBe('In Process'); // O-16
    // M needs the installation date
    const noDate = await handlerStep(stack, t.handler, n, 'advance', { to: 'Field Service' });
    expect(noDate.status).toBe(400);
    expect(noDate.body.errors[0]).toMatchObject({ field: 'body.installationDate', rule: 'O-15' });
    const m = await ok(handlerStep(stack, t.handler, n, 'advance', { to: 'Field Service', installationDate: daysAhead(21) }));
    expect(m).toMatchObject({ status: 'Field Service', statusCode: 'M', installationDate: daysAhead(21) });
    for (const to of ['Test', 'Delivery', 'Finished', 'Closed']) expect((await handlerStep(stack, t.handler, n, 'advance', { to })).body.status).toBe(to);
    // M-1: the delivered product is now in the company's portfolio, once
    const entries = await stack.sql<{ company_id: string; product_code: string; end_user_name: string; start_date: string }[]>`
      SELECT company_id, product_code, end_user_name, start_date::text FROM portfolio_products WHERE source_case_id = ${`order-line:${n}`}`;
    expect(entries).toEqual([{ company_id: 'nordnett', product_code: 'JARA-ADSL-DELT', end_user_name: expect.stringMatching(/^Siri Testesen/), start_date: expect.any(String) }]);
    const listed = await stack.api('GET', `/v1/portfolio?q=${encodeURIComponent('Siri Testesen')}&limit=100`, { token: t.customer });
    expect(listed.status).toBe(200);
    expect(listed.body.items.filter((e: { sourceCaseId: string | null }) => e.sourceCaseId === `order-line:${n}`)).toHaveLength(1);
    const final = (await lineOf(stack, t.customer, order.number)).body;
    expect(final.activity.map((e: { action: string; by: string; toStatus: string }) => `${e.toStatus}:${e.by}`)).toEqual([
      'Committed:ola.nordnett',
      'Registered:system',
      'Ordered:hanne.handler',
      'Design:hanne.handler',
      'Ready:hanne.handler',
      'Field Service:hanne.handler',
      'Test:hanne.handler',
      'Delivery:hanne.handler',
      'Finished:hanne.handler',
      'Closed:hanne.handler',
    ]);
    await eventually(async () => (await getOrder(order.number)).body.status === 'Closed', 10_000, 'header Closed');
    // the order workflow ends once every line is done
    await eventually(async () => (await stack.client.workflow.getHandle(order.caseId).describe()).status.name === 'COMPLETED', 10_000, 'order workflow completed');
  });

  it('O-15: steps go only forwards and one at a time; a refused step leaves no event', async () => {
    const order = await submittedOrder(stack, t.customer);
    await registered(order.number);
    const n = `${order.number}:1`;
    const before = await historyLength(stack, `order-line:${n}`);
    const skip = await handlerStep(stack, t.handler, n, 'advance', { to: 'Design' });
    expect(skip.status).toBe(409);
    expect(skip.body).toMatchObject({ code: 'action_not_allowed', rule: 'O-15', currentStatus: 'Registered' });
    expect(await historyLength(stack, `order-line:${n}`)).toBe(before);
    await advanceTo(stack, t.handler, n, 'Ready');
    const back = await handlerStep(stack, t.handler, n, 'advance', { to: 'Design' });
    expect(back.status).toBe(409);
  });

  it('O-15: the line offers a handler exactly the step advance accepts (allowedNextSteps), a reseller none; every step offered is accepted, none other', async () => {
    const order = await submittedOrder(stack, t.customer);
    await registered(order.number);
    const n = `${order.number}:1`;
    const offered = async () => (await lineOf(stack, t.handler, order.number)).body as { status: string; allowedNextSteps: string[] };
    expect((await lineOf(stack, t.customer, order.number)).body.allowedNextSteps).toEqual([]);
    const seen: string[] = [];
    for (let line = await offered(); line.allowedNextSteps.length > 0; line = await offered()) {
      expect(line.allowedNextSteps).toHaveLength(1);
      const [to] = line.allowedNextSteps as [string];
      // a step not offered is refused (O-15), the offered one is accepted
      for (const other of ['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed'].filter((s) => s !== to)) {
        expect((await handlerStep(stack, t.handler, n, 'advance', { to: other })).status).toBe(409);
      }
      const after = await ok(handlerStep(stack, t.handler, n, 'advance', { to, ...(to === 'Field Service' ? { installationDate: daysAhead(21) } : {}) }));
      expect(after.status).toBe(to);
      seen.push(to);
    }
    expect(seen).toEqual(['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed']);
    // the order view carries the same field on each line's delivery
    expect((await getOrder(order.number, t.handler)).body.lines[0].delivery.allowedNextSteps).toEqual([]);
  }, 90_000);

  it('O-14: handler sets In Progress, then Rejected with a Status Description; the header shows Rejected', async () => {
    const order = await submittedOrder(stack, t.customer);
    await registered(order.number);
    const n = `${order.number}:1`;
    expect((await ok(handlerStep(stack, t.handler, n, 'in-progress', {}))).status).toBe('In Progress');
    expect((await getOrder(order.number)).body.status).toBe('In Progress');
    const missing = await handlerStep(stack, t.handler, n, 'reject', {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.statusDescription']);
    const rejected = await ok(handlerStep(stack, t.handler, n, 'reject', { statusDescription: 'No coverage in the area' }));
    expect(rejected).toMatchObject({ status: 'Rejected', statusDescription: 'No coverage in the area' });
    expect((await getOrder(order.number)).body.status).toBe('Rejected');
  });

  it('O-17: Incomplete with a comment; the user fixes the line and sets Customer Update; the handler continues', async () => {
    const order = await submittedOrder(stack, t.customer);
    await registered(order.number);
    const n = `${order.number}:1`;
    await ok(handlerStep(stack, t.handler, n, 'incomplete', { comment: 'The contact phone does not answer' }));
    const read = (await getOrder(order.number)).body;
    expect(read.status).toBe('Incomplete');
    expect(read.lines[0].delivery).toMatchObject({ status: 'Incomplete', comment: 'The contact phone does not answer', allowedActions: ['customerUpdate', 'cancel', 'reschedule', 'cancelBooking'] }); // booked before submit (O-12)
    // the fix is validated like the draft (G-1)
    const bad = await stack.api('POST', `/v1/orders/${order.number}/lines/1/customer-update`, { token: t.customer, json: { contact: { name: 'Kari Nordmann', phone: '912 34 567' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'body.contact.phone', rule: 'O-7' });
    const fixed = await ok(
      stack.api('POST', `/v1/orders/${order.number}/lines/1/customer-update`, {
        token: t.customer,
        json: { contact: { name: 'Kari Nordmann', phone: '98765432' }, endUser: { kind: 'person', name: 'Per Endret', birthDate: '1980-01-01' }, comment: 'New mobile number' },
      }),
    );
    expect(fixed).toMatchObject({ status: 'Customer Update', contact: { phone: '98765432' }, comment: 'New mobile number' });
    // the order's own view of the line follows what the Customer Update changed (it showed the old end user)
    await eventually(async () => (await getOrder(order.number)).body.lines[0].endUser?.name === 'Per Endret', 10_000, "the order shows the line's new end user");
    expect((await getOrder(order.number)).body.status).toBe('In Progress');
    expect((await ok(handlerStep(stack, t.handler, n, 'advance', { to: 'Ordered' }))).status).toBe('Ordered');
    // a customer cannot set Customer Update except from Incomplete
    const again = await stack.api('POST', `/v1/orders/${order.number}/lines/1/customer-update`, { token: t.customer, json: { comment: 'again' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ rule: 'O-17', currentStatus: 'Ordered' });
  });

  it('O-14: the wholesaler cancels (A) with a reason', async () => {
    const order = await submittedOrder(stack, t.customer);
    const n = `${order.number}:1`;
    const res = await ok(handlerStep(stack, t.handler, n, 'cancel', { comment: 'Customer asked by phone' }));
    expect(res).toMatchObject({ status: 'Cancelled', statusCode: 'A', comment: 'Customer asked by phone', cancellation: { feeOre: 0 } });
    await eventually(async () => (await getOrder(order.number)).body.status === 'Cancelled', 10_000, 'header Cancelled');
  });
});

describe('O-10 / O-11 / O-12: availability and booking', () => {
  it('O-10: green, yellow (system error / unclear) and red, with their meaning', async () => {
    const check = async (productCode: string, phoneNumber: string) => {
      const order = await createOrder(stack, t.customer, draftBody({ productCode, speedMbps: productCode.includes('ADSL') ? 8 : null }));
      const res = await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability`, { token: t.customer, json: { phoneNumber } }));
      return res.lines[0].availability.candidates[0];
    };
    expect(await check(KAPAKS_EXAMPLES.green.productCode, KAPAKS_EXAMPLES.green.phoneNumber)).toMatchObject({ colour: 'green' });
    expect(await check(KAPAKS_EXAMPLES.yellow.productCode, KAPAKS_EXAMPLES.yellow.phoneNumber)).toMatchObject({ colour: 'yellow', yellowKind: 'system_error' });
    expect(await check(KAPAKS_EXAMPLES.yellowUnclear.productCode, KAPAKS_EXAMPLES.yellowUnclear.phoneNumber)).toMatchObject({ colour: 'yellow', yellowKind: 'unclear' });
    const red = await check(KAPAKS_EXAMPLES.red.productCode, KAPAKS_EXAMPLES.red.phoneNumber);
    expect(red.colour).toBe('red');
    expect(red.reason).toMatch(/\w/);
  });

  it('O-10: red → the order cannot be submitted, and nothing is submitted', async () => {
    const order = await createOrder(stack, t.customer, draftBody({}, { address: { addressId: KAPAKS_EXAMPLES.red.addressId } }));
    await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability`, { token: t.customer, json: { phoneNumber: KAPAKS_EXAMPLES.red.phoneNumber } }));
    const res = await stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'body.lines.0.availability', rule: 'O-10' }));
    expect((await getOrder(order.number)).body).toMatchObject({ status: 'New', phase: 'draft' });
    expect((await lineOf(stack, t.customer, order.number)).status).toBe(404);
  });

  it("O-10: an address with several lines: the user picks the one at the customer's address", async () => {
    const order = await createOrder(stack, t.customer, draftBody({ productCode: 'PSTN', speedMbps: null }, { address: { addressId: KAPAKS_EXAMPLES.multiLineAddressId } }));
    const checked = await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability`, { token: t.customer }));
    const a = checked.lines[0].availability;
    expect(a.candidates.length).toBeGreaterThan(1);
    expect(a.selectedLineId).toBeNull();
    const v = (await stack.api('GET', `/v1/orders/${order.number}/validation`, { token: t.customer })).body;
    expect(v.problems).toContainEqual(expect.objectContaining({ field: 'lines.0.availability', rule: 'O-10' }));
    const wrong = await stack.api('POST', `/v1/orders/${order.number}/lines/1/availability/select`, { token: t.customer, json: { lineId: 'LIN-999999' } });
    expect(wrong.status).toBe(400);
    const picked = await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability/select`, { token: t.customer, json: { lineId: a.candidates[0].lineId } }));
    expect(picked.lines[0].availability.selectedLineId).toBe(a.candidates[0].lineId);
  });

  it('O-11: a time-out is retried; still timing out, the order is submitted without booking and goes to manual handling', async () => {
    const order = await createOrder(stack, t.customer);
    stack.sims.kapaks.faults.set({ timeoutRate: 1, timeoutMs: 50 });
    let checked;
    try {
      checked = await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability`, { token: t.customer }));
    } finally {
      stack.sims.kapaks.faults.reset();
    }
    expect(checked.lines[0].availability).toMatchObject({ outcome: 'timeout', attempts: 3, candidates: [] });
    const slots = await ok(stack.api('GET', `/v1/orders/${order.number}/lines/1/slots`, { token: t.customer }));
    const book = await stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId: slots.items[0].slotId } });
    expect(book.status).toBe(409);
    expect(book.body.rule).toBe('O-12');
    await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
    const line = (await lineOf(stack, t.customer, order.number)).body;
    expect(line.manualHandling).toBe(true);
    expect(line.statusDescription).toMatch(/manual handling/);
    const queue = await ok(stack.api('GET', '/v1/handler/order-lines?manualHandling=true', { token: t.handler }));
    expect(queue.items.map((i: { number: string }) => i.number)).toContain(`${order.number}:1`);
  });

  it('O-12: book a technician: the booking confirms the delivery date; reschedule and cancel while before Field Service', async () => {
    const order = await readyOrder(stack, t.customer, {}, {}, { book: false });
    const slots = await ok(stack.api('GET', `/v1/orders/${order.number}/lines/1/slots`, { token: t.customer }));
    expect(slots.items.length).toBeGreaterThan(2);
    expect(slots.items[0].date >= slots.earliestDate).toBe(true);
    // O-5: not before the product's lead time
    const early = await stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId: `OSLO-${daysAhead(1)}-0812` } });
    expect(early.status).toBe(400);
    expect(early.body.errors[0]).toMatchObject({ rule: 'O-5' });
    // X-3: a free slot of another technician area is not a slot at this address (422 as a full slot, naming the field)
    const elsewhere = slots.items[0].slotId.replace(/^[A-Z0-9]+-/, slots.items[0].slotId.startsWith('OSLO-') ? 'VESTLAND-' : 'OSLO-');
    const foreign = await stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId: elsewhere } });
    expect(foreign.status).toBe(422);
    expect(foreign.body).toMatchObject({ rule: 'O-12', errors: [expect.objectContaining({ field: 'body.slotId' })] });
    expect(stack.sims.appointments.free(elsewhere)).toBeGreaterThan(0);
    const free0 = stack.sims.appointments.free(slots.items[0].slotId);
    const booked = await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId: slots.items[0].slotId } }));
    expect(booked.lines[0].booking).toMatchObject({ slotId: slots.items[0].slotId, date: slots.items[0].date });
    expect(booked.requestedDate).toBe(slots.items[0].date);
    expect(stack.sims.appointments.free(slots.items[0].slotId)).toBe(free0 - 1);
    const twice = await stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId: slots.items[1].slotId } });
    expect(twice.status).toBe(409);
    const moved = await ok(stack.api('PUT', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId: slots.items[1].slotId } }));
    expect(moved.lines[0].booking.slotId).toBe(slots.items[1].slotId);
    expect(stack.sims.appointments.free(slots.items[0].slotId)).toBe(free0); // the first slot is free again

    // after submit the line holds the booking: the Agreed Date is the booked date
    await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
    const line = await registered(order.number);
    expect(line.agreedDate).toBe(slots.items[1].date);
    const again = await ok(stack.api('PUT', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId: slots.items[2].slotId } }));
    expect(again.lines[0].booking.slotId).toBe(slots.items[2].slotId);
    await advanceTo(stack, t.handler, `${order.number}:1`, 'Field Service');
    const late = await stack.api('DELETE', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer });
    expect(late.status).toBe(409);
  });

  it('O-10 / O-12: yellow with a system error: no technician can be booked, but the order may be submitted', async () => {
    const order = await createOrder(stack, t.customer, draftBody({ productCode: 'PSTN', speedMbps: null }, { address: { addressId: KAPAKS_EXAMPLES.yellow.addressId } }));
    await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability`, { token: t.customer, json: { phoneNumber: KAPAKS_EXAMPLES.yellow.phoneNumber } }));
    const slots = await ok(stack.api('GET', `/v1/orders/${order.number}/lines/1/slots`, { token: t.customer }));
    const book = await stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId: slots.items[0].slotId } });
    expect(book.status).toBe(409);
    expect(book.body.detail).toMatch(/yellow/);
    expect((await ok(stack.api('GET', `/v1/orders/${order.number}/validation`, { token: t.customer }))).valid).toBe(true);
  });

  it('O-9: no booking on a Project order', async () => {
    const order = await readyOrder(stack, t.customer, { orderType: 'Project', references: { projectReference: 'PRJ-1' } });
    const slots = await ok(stack.api('GET', `/v1/orders/${order.number}/lines/1/slots`, { token: t.customer }));
    const res = await stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId: slots.items[0].slotId } });
    expect(res.status).toBe(409);
    expect(res.body.rule).toBe('O-9');
  });
});
