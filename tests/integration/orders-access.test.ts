// Orders: tenancy and access on every route (A-1…A-3), and ordering from a quote.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAhead, lineOf, ok, submittedOrder } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';

let stack: Stack;
const tok: Record<string, string> = {};
let n: string; // a submitted, registered order of Nordnett
beforeAll(async () => {
  stack = await startStack();
  for (const u of ['ola.nordnett', 'kari.nordnett', 'nils.fjordtel', 'hanne.handler']) tok[u] = await stack.login(u);
  n = (await submittedOrder(stack, tok['ola.nordnett']!)).number;
  await eventually(async () => (await lineOf(stack, tok['ola.nordnett']!, n)).body.status === 'Registered', 20_000, 'registered');
});
afterAll(async () => {
  await stack?.stop();
});

const slot = `OSLO-${daysAhead(30)}-0812`;
const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/v1/orders/{n}'],
  ['PATCH', '/v1/orders/{n}', { requestedDate: daysAhead(30) }],
  ['POST', '/v1/orders/{n}/lines', {}],
  ['PUT', '/v1/orders/{n}/lines/1', {}],
  ['DELETE', '/v1/orders/{n}/lines/1'],
  ['GET', '/v1/orders/{n}/validation'],
  ['POST', '/v1/orders/{n}/lines/1/lookup', { lineNumber: '22766146' }],
  ['POST', '/v1/orders/{n}/lines/1/lookup/confirm'],
  ['POST', '/v1/orders/{n}/lines/1/availability', {}],
  ['POST', '/v1/orders/{n}/lines/1/availability/select', { lineId: 'NEW-adr-0069' }],
  ['GET', '/v1/orders/{n}/lines/1/slots'],
  ['POST', '/v1/orders/{n}/lines/1/booking', { slotId: slot }],
  ['PUT', '/v1/orders/{n}/lines/1/booking', { slotId: slot }],
  ['DELETE', '/v1/orders/{n}/lines/1/booking'],
  ['POST', '/v1/orders/{n}/submit'],
  ['POST', '/v1/orders/{n}/reopen'],
  ['GET', '/v1/orders/{n}/cancellation'],
  ['POST', '/v1/orders/{n}/cancel', { acceptedFeeOre: 0 }],
  ['GET', '/v1/orders/{n}/lines/1/cancellation'],
  ['POST', '/v1/orders/{n}/lines/1/cancel', { acceptedFeeOre: 0 }],
  ['POST', '/v1/orders/{n}/lines/1/customer-update', { comment: 'x' }],
  ['GET', '/v1/orders/{n}/lines/1'],
];
const HANDLER_ROUTES: Array<[string, unknown]> = [
  ['in-progress', {}],
  ['incomplete', { comment: 'x' }],
  ['reject', { statusDescription: 'x' }],
  ['cancel', { comment: 'x' }],
  ['advance', { to: 'Ordered' }],
];

describe('A-1 / A-3: tenancy and access on every order route', () => {
  it.each(ROUTES)("A-1: %s %s: another company's order is not found (404); without a token 401", async (method, path, json) => {
    const url = path.replace('{n}', n);
    const res = await stack.api(method, url, { token: tok['nils.fjordtel'], ...(json !== undefined ? { json } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect((await stack.api(method, url, json !== undefined ? { json } : {})).status).toBe(401);
  });

  it.each(ROUTES)('A-3: %s %s: read access looks but does not act', async (method, path, json) => {
    const url = path.replace('{n}', n);
    const res = await stack.api(method, url, { token: tok['kari.nordnett'], ...(json !== undefined ? { json } : {}) });
    if (method === 'GET') expect(res.status, JSON.stringify(res.body)).toBe(200);
    else {
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.rule).toBe('A-3');
    }
  });

  it("A-3: read access cannot create orders; handlers see every company's orders but do not order (A-2)", async () => {
    expect((await stack.api('POST', '/v1/orders', { token: tok['kari.nordnett'], json: {} })).status).toBe(403);
    expect((await stack.api('POST', '/v1/orders', { token: tok['hanne.handler'], json: {} })).status).toBe(403);
    expect((await stack.api('POST', '/v1/orders/from-quote', { token: tok['kari.nordnett'], json: { quoteNumber: 'Q-000001' } })).status).toBe(403);
    expect((await stack.api('GET', `/v1/orders/${n}`, { token: tok['hanne.handler'] })).status).toBe(200);
    const list = await ok(stack.api('GET', '/v1/orders', { token: tok['nils.fjordtel'] }));
    expect(list.items.map((i: { number: string }) => i.number)).not.toContain(n);
    const mine = await ok(stack.api('GET', '/v1/orders', { token: tok['kari.nordnett'] }));
    expect(mine.items.map((i: { number: string }) => i.number)).toContain(n);
  });

  it.each(HANDLER_ROUTES)("A-2: handler step %s is the handler's alone (403 for resellers)", async (path, json) => {
    for (const u of ['ola.nordnett', 'nils.fjordtel', 'kari.nordnett']) {
      const res = await stack.api('POST', `/v1/handler/order-lines/${n}:1/${path}`, { token: tok[u], json });
      expect(res.status).toBe(403);
    }
    expect((await stack.api('GET', '/v1/handler/order-lines', { token: tok['ola.nordnett'] })).status).toBe(403);
  });

  it("A-2: the handler's list of lines waiting for handling", async () => {
    const list = await ok(stack.api('GET', '/v1/handler/order-lines', { token: tok['hanne.handler'] }));
    expect(list.items.map((i: { number: string }) => i.number)).toContain(`${n}:1`);
  });

  it('G-1: bad input names every field (400)', async () => {
    const res = await stack.api('POST', '/v1/orders', { token: tok['ola.nordnett'], json: { orderType: 'Rush', speedMbps: 'fast', lines: [{ endUser: { kind: 'alien' } }], extra: 1 } });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body.extra', 'body.lines.0.endUser.kind', 'body.orderType', 'body.speedMbps']);
  });
});

describe('Q-12: ordering from a quote', () => {
  async function completedQuote(lines: Array<Record<string, unknown>>) {
    const token = tok['ola.nordnett']!;
    const quote = await ok(stack.api('POST', '/v1/quotes', { token, json: { lines } }), 201);
    const submitted = await ok(stack.api('POST', `/v1/quotes/${quote.number}/submit`, { token, json: {} }));
    expect(submitted.status).toBe('Completed');
    return submitted as { number: string; lines: Array<{ lineNo: number; price: unknown }> };
  }

  it("Q-12: Order Line Item: the order starts with the quote line's product, speed, addresses and price, refers to it, and the line cannot be ordered twice", async () => {
    const token = tok['ola.nordnett']!;
    const quote = await completedQuote([{ productCode: 'SAMB-ETH', speedMbps: 10, addressAId: 'adr-0003', addressBId: 'adr-0004' }]);
    const res = await ok(stack.api('POST', '/v1/orders/from-quote', { token, json: { quoteNumber: quote.number, lineNo: 1 } }), 201);
    const order = res.orders[0];
    expect(order).toMatchObject({ status: 'New', productCode: 'SAMB-ETH', speedMbps: 10 });
    expect(order.lines[0]).toMatchObject({
      address: { addressId: 'adr-0003' },
      addressB: { addressId: 'adr-0004' },
      price: quote.lines[0]!.price,
      quoteLine: { quoteNumber: quote.number, lineNo: 1 },
    });
    const q = await ok(stack.api('GET', `/v1/quotes/${quote.number}`, { token }));
    expect(q.lines[0].orderedAs).toBe(order.number);
    const twice = await stack.api('POST', '/v1/orders/from-quote', { token, json: { quoteNumber: quote.number, lineNo: 1 } });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ rule: 'Q-12' });
    // the user completes and submits it; capacity products need no availability check (O-10)
    await ok(
      stack.api('PATCH', `/v1/orders/${order.number}`, {
        token,
        json: { requestedDate: daysAhead(40), contact: { name: 'Kari Nordmann', phone: '91234567' }, references: { customerOrderRef: 'CAP-1' } },
      }),
    );
    await ok(stack.api('PUT', `/v1/orders/${order.number}/lines/1`, { token, json: { endUser: { kind: 'company', name: 'Nordlys Regnskap AS', orgNumber: '914778271' } } }));
    expect((await ok(stack.api('GET', `/v1/orders/${order.number}/validation`, { token }))).problems).toEqual([]);
    await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token }));
    await eventually(async () => (await lineOf(stack, token, order.number)).body.status === 'Registered', 20_000, 'registered');
    // another company cannot order it
    expect((await stack.api('POST', '/v1/orders/from-quote', { token: tok['nils.fjordtel'], json: { quoteNumber: quote.number, lineNo: 1 } })).status).toBe(404);
  });

  it('Q-12: Order All Line Items: lines of different speeds go into one order each; a quote that is not Completed is refused', async () => {
    const token = tok['ola.nordnett']!;
    const quote = await completedQuote([
      { productCode: 'SAMB-ETH', speedMbps: 10, addressAId: 'adr-0003', addressBId: 'adr-0005' },
      { productCode: 'SAMB-ETH', speedMbps: 100, addressAId: 'adr-0004', addressBId: 'adr-0005' },
    ]);
    const res = await ok(stack.api('POST', '/v1/orders/from-quote', { token, json: { quoteNumber: quote.number } }), 201);
    expect(res.orders.map((o: { speedMbps: number }) => o.speedMbps)).toEqual([10, 100]);
    expect(res.orders.map((o: { lines: Array<{ quoteLine: { lineNo: number } }> }) => o.lines[0]!.quoteLine.lineNo)).toEqual([1, 2]);
    const again = await stack.api('POST', '/v1/orders/from-quote', { token, json: { quoteNumber: quote.number } });
    expect(again.status).toBe(409);
    const fresh = await ok(stack.api('POST', '/v1/quotes', { token, json: { lines: [{ productCode: 'SAMB-ETH', speedMbps: 10, addressAId: 'adr-0003', addressBId: 'adr-0004' }] } }), 201);
    const notYet = await stack.api('POST', '/v1/orders/from-quote', { token, json: { quoteNumber: fresh.number } });
    expect(notYet.status).toBe(409);
    expect(notYet.body).toMatchObject({ rule: 'Q-12' });
    const line = await stack.api('POST', '/v1/orders/from-quote', { token, json: { quoteNumber: fresh.number, lineNo: 1 } });
    expect(line.status).toBe(409);
    expect(line.body.detail).toMatch(/Completed/);
  });
  it("Q-12: ten concurrent Order Line Item requests on one line: one order, nine 409s (the quote's reservation decides); twenty on different quotes all answer", async () => {
    const token = tok['ola.nordnett']!;
    const quote = await completedQuote([{ productCode: 'SAMB-ETH', speedMbps: 10, addressAId: 'adr-0003', addressBId: 'adr-0004' }]);
    const results = await Promise.all(Array.from({ length: 10 }, () => stack.api('POST', '/v1/orders/from-quote', { token, json: { quoteNumber: quote.number, lineNo: 1 } })));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body).toMatchObject({ rule: 'Q-12', code: 'action_not_allowed' });
    const winner = results.find((r) => r.status === 201)!.body.orders[0].number as string;
    // no other order exists, and the line is ordered as the winner for good (no reservation left pending)
    const orders = await stack.sql<{ number: string }[]>`SELECT number FROM cases WHERE case_type = 'order' AND refs ->> 'quote' = ${quote.number}`;
    expect(orders.map((o) => o.number)).toEqual([winner]);
    await eventually(
      async () => {
        const q = (await ok(stack.api('GET', `/v1/quotes/${quote.number}`, { token }))).lines[0];
        return q.orderedAs === winner && !q.orderPending;
      },
      10_000,
      'reservation confirmed',
    );
    expect((await ok(stack.api('GET', `/v1/orders/${winner}`, { token }))).status).toBe('New');

    // twenty at once on different quotes: each answers within the request's deadline (201; on a loaded
    // machine possibly 503 with Retry-After, the saga then finishing on its own), and every quote line
    // ends ordered as exactly one order that exists — never "ordered as" an order that does not
    const quotes = [];
    for (let i = 0; i < 20; i++) quotes.push(await completedQuote([{ productCode: 'SAMB-ETH', speedMbps: 10, addressAId: 'adr-0003', addressBId: 'adr-0004' }]));
    const many = await Promise.all(quotes.map((q) => stack.api('POST', '/v1/orders/from-quote', { token, json: { quoteNumber: q.number, lineNo: 1 } })));
    expect(
      many.every((r) => r.status === 201 || (r.status === 503 && r.headers.get('retry-after') !== null)),
      JSON.stringify(many.map((r) => r.status)),
    ).toBe(true);
    console.log(`from-quote, 20 at once on different quotes: ${many.filter((r) => r.status === 201).length} × 201, ${many.filter((r) => r.status === 503).length} × 503`);
    for (const [i, q] of quotes.entries()) {
      const line = await eventually(
        async () => {
          const l = (await ok(stack.api('GET', `/v1/quotes/${q.number}`, { token }))).lines[0];
          return l.orderedAs && !l.orderPending ? l : undefined;
        },
        30_000,
        `${q.number} ordered`,
      );
      const made = await stack.sql<{ number: string }[]>`SELECT number FROM cases WHERE case_type = 'order' AND refs ->> 'quote' = ${q.number}`;
      expect(made.map((o) => o.number)).toEqual([line.orderedAs]);
      if (many[i]!.status === 201) expect(many[i]!.body.orders[0].number).toBe(line.orderedAs);
    }
  }, 180_000);

  it('Q-12: Idempotency-Key: a repeat answers the first orders and creates nothing; the key for another request is refused', async () => {
    const token = tok['ola.nordnett']!;
    const quote = await completedQuote([{ productCode: 'SAMB-ETH', speedMbps: 10, addressAId: 'adr-0003', addressBId: 'adr-0004' }]);
    const headers = { 'Idempotency-Key': `fq-${quote.number}` };
    const first = await ok(stack.api('POST', '/v1/orders/from-quote', { token, headers, json: { quoteNumber: quote.number, lineNo: 1 } }), 201);
    const again = await stack.api('POST', '/v1/orders/from-quote', { token, headers, json: { quoteNumber: quote.number, lineNo: 1 } });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(again.body.orders.map((o: { number: string }) => o.number)).toEqual(first.orders.map((o: { number: string }) => o.number));
    const other = await stack.api('POST', '/v1/orders/from-quote', { token, headers, json: { quoteNumber: quote.number } });
    expect(other.status).toBe(422);
    const orders = await stack.sql<{ number: string }[]>`SELECT number FROM cases WHERE case_type = 'order' AND refs ->> 'quote' = ${quote.number}`;
    expect(orders).toHaveLength(1);
  });
});
