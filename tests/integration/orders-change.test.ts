// Orders: Reopen and change (C-1, C-2, C-5), cancellation with its charge (C-3, C-6), duplicates
// (O-19), O-13, look-up (O-4), Project orders (O-9), and the order system's outages (O-14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseId } from '../../domain/case';
import { newOrderLine, toLineProjection } from '../../workflows/order/projection';
import type { LineStartInput } from '../../workflows/order/messages';
import { upsertCase } from '../../db/cases';
import { advanceTo, bookWhereExpected, createOrder, daysAhead, draftBody, handlerStep, lineOf, ok, type OrderTokens, readyOrder, submittedOrder } from '../support/orders';
import { historyLength } from '../support/service-requests';
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
const lineStatus = (number: string, status: string) =>
  eventually(
    async () => {
      const line = (await lineOf(stack, t.customer, number)).body;
      return line.status === status ? line : undefined;
    },
    25_000,
    `${number}:1 ${status}`,
  );

describe('C-1, C-2, C-5: Reopen and change', () => {
  it('C-1: Reopen a registered order, change it, submit again: the line is registered anew', async () => {
    const order = await submittedOrder(stack, t.customer);
    const first = await lineStatus(order.number, 'Registered');
    const reopened = await ok(stack.api('POST', `/v1/orders/${order.number}/reopen`, { token: t.customer }));
    expect(reopened).toMatchObject({ status: 'New', phase: 'draft' });
    expect(reopened.allowedActions).toContain('submit');
    await lineStatus(order.number, 'New');
    const changed = await ok(stack.api('PATCH', `/v1/orders/${order.number}`, { token: t.customer, json: { requestedDate: daysAhead(30), contact: { name: 'Per Olsen', phone: '45678901' } } }));
    expect(changed.requestedDate).toBe(daysAhead(30));
    const again = await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
    expect(again.revision).toBe(2);
    const second = await lineStatus(order.number, 'Registered');
    // the technician booking made before the first submit stands: it is the delivery date (O-12)
    expect(second).toMatchObject({ agreedDate: first.line.booking?.date ?? daysAhead(30), contact: { name: 'Per Olsen' }, revision: 2 });
    expect(second.customerOrderId).not.toBe(first.customerOrderId);
    expect(second.activity.map((e: { action: string }) => e.action)).toEqual(['submit', 'register', 'reopen', 'submit', 'register']);
  });

  it('C-1 / C-3: a reopened order cancelled while New costs nothing: its lines are Cancelled too', async () => {
    const order = await submittedOrder(stack, t.customer);
    await lineStatus(order.number, 'Registered');
    await ok(stack.api('POST', `/v1/orders/${order.number}/reopen`, { token: t.customer }));
    await lineStatus(order.number, 'New');
    const res = await ok(stack.api('POST', `/v1/orders/${order.number}/cancel`, { token: t.customer, json: { reason: 'Changed our mind' } }));
    expect(res).toMatchObject({ status: 'Cancelled', cancellation: { feeOre: 0, reason: 'Changed our mind' } });
    const line = await lineStatus(order.number, 'Cancelled');
    expect(line.cancellation).toMatchObject({ feeOre: 0, atStatus: 'New' });
  });

  it('C-1, O-16: orders reopened and cancelled while their lines report back: no lock waits between them, every history replays', async () => {
    // Ten orders at once, each Reopened the moment its line is Registered (while the line is still
    // reporting to its order). The line reports through a local activity, never a workflow-to-workflow
    // signal (the two would wait on each other's lock on the server); the stack's stop replays them all.
    const cycle = async () => {
      const order = await submittedOrder(stack, t.customer);
      await lineStatus(order.number, 'Registered');
      await ok(stack.api('POST', `/v1/orders/${order.number}/reopen`, { token: t.customer }));
      await ok(stack.api('POST', `/v1/orders/${order.number}/cancel`, { token: t.customer, json: { reason: 'Changed our mind' } }));
      return lineStatus(order.number, 'Cancelled');
    };
    const lines = await Promise.all(Array.from({ length: 10 }, cycle));
    for (const line of lines) {
      expect(line.activity.map((e: { action: string }) => e.action)).toEqual(['submit', 'register', 'reopen', 'cancel']);
      const history = await stack.client.workflow.getHandle(caseId('order_line', line.number)).fetchHistory();
      expect(history.events?.filter((e: { signalExternalWorkflowExecutionInitiatedEventAttributes?: unknown }) => e.signalExternalWorkflowExecutionInitiatedEventAttributes)).toEqual([]);
    }
  }, 60_000);

  it('C-1 / C-2 / C-5: once a line has reached Field Service, Reopen is refused and the answer points to a service request', async () => {
    const order = await submittedOrder(stack, t.customer);
    await lineStatus(order.number, 'Registered');
    await advanceTo(stack, t.handler, `${order.number}:1`, 'Field Service');
    const res = await stack.api('POST', `/v1/orders/${order.number}/reopen`, { token: t.customer });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'reopen_not_available',
      rule: 'C-1',
      serviceRequest: { href: '/v1/service-requests', area: 'Delivery', reference: { kind: 'order', value: order.number } },
    });
    expect(res.body.detail).toMatch(/service request/);
    // the workflow's own validator refuses too (the authority under races)
    const { orderUpdates } = await import('../../workflows/order/messages');
    const actor = { username: 'ola.nordnett', role: 'reseller' as const, companyId: 'nordnett', accessType: 'ordering' as const };
    await eventually(async () => ((await stack.client.workflow.getHandle(order.caseId).query('view')) as { lines: Array<{ status: string }> }).lines[0]?.status === 'Field Service', 10_000, 'mirror');
    await expect(stack.client.workflow.getHandle(order.caseId).executeUpdate(orderUpdates.reopen, { args: [{ actor }] })).rejects.toThrow();
  });

  it('C-1: a New order cannot be reopened; a submitted one cannot be edited without Reopen; refusals leave no event', async () => {
    const order = await createOrder(stack, t.customer);
    expect((await stack.api('POST', `/v1/orders/${order.number}/reopen`, { token: t.customer })).status).toBe(409);
    expect((await stack.api('PUT', `/v1/orders/${order.number}/lines/9`, { token: t.customer, json: {} })).status).toBe(404);
    // the workflow's validator refuses a submit of an incomplete draft without touching its history
    const { orderUpdates } = await import('../../workflows/order/messages');
    const actor = { username: 'ola.nordnett', role: 'reseller' as const, companyId: 'nordnett', accessType: 'ordering' as const };
    const before = await historyLength(stack, order.caseId);
    await expect(stack.client.workflow.getHandle(order.caseId).executeUpdate(orderUpdates.reopen, { args: [{ actor }] })).rejects.toThrow();
    await expect(stack.client.workflow.getHandle(order.caseId).executeUpdate(orderUpdates.confirmLookup, { args: [{ actor, lineNo: 1 }] })).rejects.toThrow();
    expect(await historyLength(stack, order.caseId)).toBe(before);
    const sub = await submittedOrder(stack, t.customer);
    const edit = await stack.api('PATCH', `/v1/orders/${sub.number}`, { token: t.customer, json: { requestedDate: daysAhead(40) } });
    expect(edit.status).toBe(409);
    expect(edit.body).toMatchObject({ rule: 'C-1' });
  });
});

describe('C-3, C-6: cancellation and its charge', () => {
  it("C-3: the charge grows with the line's progress, is shown before and recorded with the cancellation", async () => {
    const fees: Record<string, number> = {};
    const order = await submittedOrder(stack, t.customer);
    const n = `${order.number}:1`;
    await lineStatus(order.number, 'Registered');
    const quote = async () => (await ok(stack.api('GET', `/v1/orders/${order.number}/lines/1/cancellation`, { token: t.customer }))).totalOre as number;
    fees.Registered = await quote();
    await advanceTo(stack, t.handler, n, 'Ordered');
    fees.Ordered = await quote();
    await advanceTo(stack, t.handler, n, 'Ready');
    fees.Ready = await quote();
    await advanceTo(stack, t.handler, n, 'Field Service');
    fees['Field Service'] = await quote();
    const base = 190000; // Jara ADSL's cancellation base in adapters/data/price-list.json; factors 5 %, 10 %, 40 %, 60 %
    expect(fees).toEqual({ Registered: base * 0.05, Ordered: base * 0.1, Ready: base * 0.4, 'Field Service': base * 0.6 });
    // a stale charge is refused: the user must see the current one
    const stale = await stack.api('POST', `/v1/orders/${order.number}/lines/1/cancel`, { token: t.customer, json: { acceptedFeeOre: fees.Ready } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'cancellation_fee_changed', currentFeeOre: fees['Field Service'] });
    const missing = await stack.api('POST', `/v1/orders/${order.number}/lines/1/cancel`, { token: t.customer, json: {} });
    expect(missing.status).toBe(400);
    const cancelled = await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/cancel`, { token: t.customer, json: { acceptedFeeOre: fees['Field Service'], reason: 'The end user moved' } }));
    expect(cancelled).toMatchObject({ status: 'Cancelled', cancellation: { feeOre: fees['Field Service'], atStatus: 'Field Service', by: 'ola.nordnett', reason: 'The end user moved' } });
    await eventually(async () => (await getOrder(order.number)).body.status === 'Cancelled', 10_000, 'header Cancelled');
    const after = await stack.api('GET', `/v1/orders/${order.number}/lines/1/cancellation`, { token: t.customer });
    expect(after.body.lines[0]).toMatchObject({ cancellable: false });
  });

  it('C-3: cancelling a New order is free; the whole submitted order is cancelled with the total charge', async () => {
    const draft = await createOrder(stack, t.customer);
    const c1 = await ok(stack.api('POST', `/v1/orders/${draft.number}/cancel`, { token: t.customer }));
    expect(c1).toMatchObject({ status: 'Cancelled', phase: 'cancelled', cancellation: { feeOre: 0 } });
    expect((await stack.api('PATCH', `/v1/orders/${draft.number}`, { token: t.customer, json: { requestedDate: daysAhead(30) } })).status).toBe(409);

    const order = await submittedOrder(stack, t.customer);
    await lineStatus(order.number, 'Registered');
    const q = await ok(stack.api('GET', `/v1/orders/${order.number}/cancellation`, { token: t.customer }));
    expect(q.totalOre).toBe(9500);
    const res = await ok(stack.api('POST', `/v1/orders/${order.number}/cancel`, { token: t.customer, json: { acceptedFeeOre: q.totalOre } }));
    expect(res.status).toBe('Cancelled');
    expect(res.lines[0].delivery.cancellation.feeOre).toBe(9500);
  });

  it('C-6: a switch-ISP line cannot be cancelled with Cancel: the answer points to a service request', async () => {
    // a switch-ISP line as the switch-ISP module starts it: the same line workflow with kind 'switch_isp'
    const order = await createOrder(stack, t.customer);
    const number = `${order.number}:1`;
    const input: LineStartInput = {
      caseId: caseId('order_line', number),
      number,
      orderNumber: order.number,
      orderCaseId: order.caseId,
      lineNo: 1,
      companyId: 'nordnett',
      actor: { username: 'ola.nordnett', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' },
      createdAt: new Date().toISOString(),
      revision: 1,
      duplicateOf: null,
      manualHandling: false,
      duplicateKey: `test-${number}`,
      spec: {
        kind: 'switch_isp',
        orderType: 'Standard',
        productCode: 'JARA-ADSL-DELT',
        productName: 'Jara ADSL Delt aksess',
        productFamily: 'adsl',
        speedMbps: 8,
        equipment: null,
        requestedDate: daysAhead(20),
        contact: { name: 'Kari Nordmann', phone: '91234567' },
        references: {},
        line: { lineNo: 1, endUser: null, address: null, addressB: null, attachments: [], lookup: null, availability: null, booking: null, quoteLine: null, price: null, status: 'Committed' },
      },
    };
    await upsertCase(stack.sql, toLineProjection(newOrderLine(input)));
    await stack.client.workflow.start('orderLineWorkflow', { workflowId: input.caseId, taskQueue: stack.config.taskQueue, args: [input] });
    await lineStatus(order.number, 'Registered');
    const quote = await ok(stack.api('GET', `/v1/orders/${order.number}/lines/1/cancellation`, { token: t.customer }));
    expect(quote.lines[0]).toMatchObject({ cancellable: false, reason: expect.stringMatching(/service request/) });
    const res = await stack.api('POST', `/v1/orders/${order.number}/lines/1/cancel`, { token: t.customer, json: { acceptedFeeOre: 0 } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'cancel_via_service_request', rule: 'C-6', serviceRequest: { area: 'Delivery' } });
    // the line workflow refuses too
    const { lineUpdates } = await import('../../workflows/order/messages');
    await expect(
      stack.client.workflow.getHandle(input.caseId).executeUpdate(lineUpdates.cancel, {
        args: [{ actor: input.actor, fee: { feeOre: 0, atStatus: 'Registered' } }],
      }),
    ).rejects.toSatisfy((e: Error) => /C-6|service request/.test(String((e.cause as Error).message)));
    expect((await lineOf(stack, t.customer, order.number)).body.status).toBe('Registered');
  });
});

describe('O-19, O-13, O-4', () => {
  it('O-19: a second open order for the same address, product and speed gets status Duplicate with a reference', async () => {
    const body = draftBody();
    const first = await createOrder(stack, t.customer, body);
    await ok(stack.api('POST', `/v1/orders/${first.number}/lines/1/availability`, { token: t.customer }));
    await bookWhereExpected(stack, t.customer, first.number);
    await ok(stack.api('POST', `/v1/orders/${first.number}/submit`, { token: t.customer }));
    const second = await createOrder(stack, t.customer, { ...body, references: { customerOrderRef: 'OTHER-1' } });
    await ok(stack.api('POST', `/v1/orders/${second.number}/lines/1/availability`, { token: t.customer }));
    await bookWhereExpected(stack, t.customer, second.number);
    const res = await ok(stack.api('POST', `/v1/orders/${second.number}/submit`, { token: t.customer }));
    expect(res.status).toBe('Duplicate');
    expect(res.lines[0].delivery).toMatchObject({ status: 'Duplicate', duplicateOf: `${first.number}:1` });
    expect(res.lines[0].delivery.statusDescription).toMatch(first.number);
    // a duplicate is never registered
    await new Promise((r) => setTimeout(r, 1500));
    expect((await lineOf(stack, t.customer, second.number)).body.customerOrderId).toBeNull();
    // another company may order the same thing
    const other = await stack.login('nils.fjordtel');
    const theirs = await createOrder(stack, other, body);
    await ok(stack.api('POST', `/v1/orders/${theirs.number}/lines/1/availability`, { token: other }));
    await bookWhereExpected(stack, other, theirs.number);
    expect((await ok(stack.api('POST', `/v1/orders/${theirs.number}/submit`, { token: other }))).status).not.toBe('Duplicate');
  });

  it('O-13: ADSL for an end user who already has ADSL from another operator is refused with guidance to switch-ISP; elsewhere: a change order', async () => {
    // Ingrid Hansen has Jara ADSL from NextGenTel at adr-0001 (22604411)
    const ingrid = { kind: 'person', name: 'Ingrid Hansen', birthDate: '1984-03-12' };
    const here = await createOrder(stack, t.customer, draftBody({}, { endUser: ingrid, address: { addressId: 'adr-0001' } }));
    const v = await ok(stack.api('GET', `/v1/orders/${here.number}/validation`, { token: t.customer }));
    expect(v.problems).toContainEqual(expect.objectContaining({ field: 'lines.0.endUser', rule: 'O-13', message: expect.stringMatching(/switch-ISP/) }));
    const moved = await createOrder(stack, t.customer, draftBody({}, { endUser: ingrid }));
    const v2 = await ok(stack.api('GET', `/v1/orders/${moved.number}/validation`, { token: t.customer }));
    expect(v2.problems).toContainEqual(expect.objectContaining({ rule: 'O-13', message: expect.stringMatching(/change order/) }));
    // another provider's customer is never described: not the number, the product or the provider (issue 12)
    for (const p of [...v.problems, ...v2.problems]) expect(p.message).not.toMatch(/22604411|ADSL|JARA|NextGenTel/);
    await ok(stack.api('POST', `/v1/orders/${moved.number}/lines/1/availability`, { token: t.customer }));
    const submit = await stack.api('POST', `/v1/orders/${moved.number}/submit`, { token: t.customer });
    expect(submit.status).toBe(400);
    expect(submit.body.errors).toContainEqual(expect.objectContaining({ rule: 'O-13' }));
  });

  it('O-4: look the end user and address up by the line number, confirm, and order ADSL on that line', async () => {
    const order = await createOrder(stack, t.customer, draftBody({ speedMbps: 8 }, { endUser: null, address: null }));
    const looked = await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/lookup`, { token: t.customer, json: { lineNumber: '22766146' } }));
    expect(looked.lines[0].lookup).toMatchObject({ number: '22766146', confirmed: false, endUser: { name: 'Marit Halvorsen' }, address: { addressId: 'adr-0055' } });
    expect(looked.lines[0].endUser).toBeNull(); // not used until confirmed
    const v = await ok(stack.api('GET', `/v1/orders/${order.number}/validation`, { token: t.customer }));
    expect(v.problems).toContainEqual(expect.objectContaining({ field: 'lines.0.lookup', rule: 'O-4' }));
    expect(looked.lines[0].lookup.endUser).not.toHaveProperty('birthDate'); // never a date of birth in a look-up
    const confirmed = await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/lookup/confirm`, { token: t.customer }));
    expect(confirmed.lines[0]).toMatchObject({ endUser: { name: 'Marit Halvorsen', birthDate: '' }, address: { addressId: 'adr-0055', existingNumber: '22766146' }, lookup: { confirmed: true } });
    await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/availability`, { token: t.customer, json: { phoneNumber: '22766146' } }));
    // the user verifies the person and gives the date of birth (O-2, O-4)
    const beforeBirthDate = (await ok(stack.api('GET', `/v1/orders/${order.number}/validation`, { token: t.customer }))).problems as Array<{ rule: string }>;
    expect(beforeBirthDate.filter((p) => p.rule !== 'O-12')).toEqual([expect.objectContaining({ field: 'lines.0.endUser.birthDate', rule: 'O-2' })]);
    await ok(stack.api('PUT', `/v1/orders/${order.number}/lines/1`, { token: t.customer, json: { endUser: { kind: 'person', name: 'Marit Halvorsen', birthDate: '1942-07-17' } } }));
    await bookWhereExpected(stack, t.customer, order.number); // O-12
    expect((await ok(stack.api('GET', `/v1/orders/${order.number}/validation`, { token: t.customer }))).problems).toEqual([]);
    // O-4 is for ADSL and shared operator access only; an unknown number is the register's "no"
    const pstn = await createOrder(stack, t.customer, draftBody({ productCode: 'PSTN', speedMbps: null }));
    expect((await stack.api('POST', `/v1/orders/${pstn.number}/lines/1/lookup`, { token: t.customer, json: { lineNumber: '22766146' } })).status).toBe(422);
    expect((await stack.api('POST', `/v1/orders/${order.number}/lines/1/lookup`, { token: t.customer, json: { lineNumber: '99999999' } })).status).toBe(422);
  });
  it("O-4, A-1 (issue 12.2): a look-up never shows a date of birth; another reseller's line shows no end user at all, only that switch-ISP applies", async () => {
    const order = await createOrder(stack, t.customer, draftBody({ speedMbps: 8 }, { endUser: null, address: null }));
    const [theirs] = await stack.sql<{ number: string; end_user_name: string; address_id: string; address_label: string; end_user: { birthDate?: string } }[]>`
      SELECT number, end_user_name, address_id, address_label, end_user FROM portfolio_products
      WHERE company_id = 'fjordtel' AND product_code = 'JARA-ADSL-DELT' AND end_date IS NULL AND end_user ->> 'kind' = 'person' ORDER BY number LIMIT 1`;
    const res = await stack.api('POST', `/v1/orders/${order.number}/lines/1/lookup`, { token: t.customer, json: { lineNumber: theirs!.number } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'line_of_another_provider', rule: 'I-1', orderType: 'switch_isp' });
    const text = JSON.stringify(res.body);
    for (const secret of [theirs!.end_user_name, theirs!.address_id, theirs!.address_label, theirs!.end_user.birthDate!, 'birthDate']) expect(text).not.toContain(secret);
    expect((await getOrder(order.number)).body.lines[0].lookup).toBeNull();
    // the company's own customer: name and address, the date of birth masked
    const [mine] = await stack.sql<{ number: string; end_user_name: string; address_id: string }[]>`
      SELECT number, end_user_name, address_id FROM portfolio_products
      WHERE company_id = 'nordnett' AND product_code = 'JARA-ADSL-DELT' AND end_date IS NULL AND end_user ->> 'kind' = 'person' ORDER BY number LIMIT 1`;
    const own = await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/lookup`, { token: t.customer, json: { lineNumber: mine!.number } }));
    expect(own.lines[0].lookup).toEqual({
      number: mine!.number,
      endUser: { kind: 'person', name: mine!.end_user_name },
      address: { addressId: mine!.address_id, label: expect.any(String) },
      confirmed: false,
    });
    expect(JSON.stringify(own)).not.toContain('birthDate":"1');
  });
});

describe('O-9: Project orders', () => {
  it('O-9: a Project order: several end users, one product; each line its own workflow; 51 lines refused', async () => {
    const order = await readyOrder(stack, t.customer, { orderType: 'Project', references: { projectReference: 'PRJ-Tveten' } });
    const added = await ok(
      stack.api('POST', `/v1/orders/${order.number}/lines`, {
        token: t.customer,
        json: { endUser: { kind: 'company', name: 'Nordlys Regnskap AS', orgNumber: '914778271' }, address: { addressId: 'adr-0194' } },
      }),
    ); // outside the rotation of FREE_ADDRESSES
    expect(added.lines.map((l: { lineNo: number }) => l.lineNo)).toEqual([1, 2]);
    await ok(stack.api('POST', `/v1/orders/${order.number}/lines/2/availability`, { token: t.customer }));
    const submitted = await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
    expect(submitted.lines.map((l: { delivery: { number: string } }) => l.delivery.number)).toEqual([`${order.number}:1`, `${order.number}:2`]);
    await lineStatus(order.number, 'Registered');
    await eventually(async () => (await lineOf(stack, t.customer, order.number, 2)).body.status === 'Registered', 20_000, 'line 2 registered');
    // one line moves on, the other is cancelled: the header follows (O-16)
    await ok(handlerStep(stack, t.handler, `${order.number}:2`, 'advance', { to: 'Ordered' }));
    await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/cancel`, { token: t.customer, json: { acceptedFeeOre: 9500 } }));
    const read = (await getOrder(order.number)).body;
    expect(read.status).toBe('In Process');
    expect(read.lines.map((l: { status: string }) => l.status)).toEqual(['Cancelled', 'Ordered']);
    // reopened, a submitted line is removed by cancelling it (free while New); the other is submitted again
    await eventually(async () => ((await stack.client.workflow.getHandle(order.caseId).query('view')) as { lines: Array<{ status: string }> }).lines[1]?.status === 'Ordered', 10_000, 'mirror');
    await ok(stack.api('POST', `/v1/orders/${order.number}/reopen`, { token: t.customer }));
    await ok(
      stack.api('POST', `/v1/orders/${order.number}/lines`, {
        token: t.customer,
        json: { endUser: { kind: 'person', name: 'Ola Nordmann', birthDate: '1970-01-01' }, address: { addressId: 'adr-0211' } },
      }),
    );
    const removed = await ok(stack.api('DELETE', `/v1/orders/${order.number}/lines/2`, { token: t.customer }));
    expect(removed.lines.map((l: { lineNo: number; status: string }) => `${l.lineNo}:${l.status}`)).toEqual(['1:Cancelled', '2:Cancelled', '3:New']);
    await eventually(async () => (await lineOf(stack, t.customer, order.number, 2)).body.status === 'Cancelled', 10_000, 'line 2 cancelled');
    await ok(stack.api('POST', `/v1/orders/${order.number}/lines/3/availability`, { token: t.customer }));
    await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
    await eventually(async () => (await lineOf(stack, t.customer, order.number, 3)).body.status === 'Registered', 20_000, 'line 3 registered');
    expect((await lineOf(stack, t.customer, order.number, 2)).body.cancellation).toMatchObject({ feeOre: 0, atStatus: 'New' });

    const big = await createOrder(stack, t.customer, draftBody({ orderType: 'Project', references: { projectReference: 'PRJ-Big' } }));
    for (let i = 0; i < 50; i++) await ok(stack.api('POST', `/v1/orders/${big.number}/lines`, { token: t.customer, json: {} }));
    const v = await ok(stack.api('GET', `/v1/orders/${big.number}/validation`, { token: t.customer }));
    expect(v.problems).toContainEqual(expect.objectContaining({ field: 'lines', rule: 'O-9', message: expect.stringMatching(/at most 50/) }));
  }, 60_000);
});

describe("O-14: the order system's outages", () => {
  it('O-14: while the order system is down the line stays Committed and retries; it is registered once it is back', async () => {
    stack.sims.orders.faults.set({ errorRate: 1 });
    let order;
    try {
      order = await submittedOrder(stack, t.customer);
      await new Promise((r) => setTimeout(r, 2500));
      expect((await lineOf(stack, t.customer, order.number)).body.status).toBe('Committed');
      expect((await getOrder(order.number)).body.status).toBe('Committed');
    } finally {
      stack.sims.orders.faults.reset();
    }
    await lineStatus(order.number, 'Registered');
  });

  it('O-14: a lost reply is retried with the same key: the line is registered exactly once', async () => {
    const before = stack.sims.orders.registrations();
    stack.sims.orders.faults.set({ lostReplyRate: 1, timeoutMs: 200 });
    let order;
    try {
      order = await submittedOrder(stack, t.customer);
      await eventually(async () => stack.sims.orders.registrations() > before, 10_000, 'the registration took effect');
      await new Promise((r) => setTimeout(r, 1500)); // more attempts, each with a lost reply
      expect((await lineOf(stack, t.customer, order.number)).body.status).toBe('Committed');
    } finally {
      stack.sims.orders.faults.reset();
    }
    await lineStatus(order.number, 'Registered');
    expect(stack.sims.orders.registrations()).toBe(before + 1);
  });
});
