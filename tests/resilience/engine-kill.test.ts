// The worker and the API killed (SIGKILL) at random points of the actions that span cases: order
// from quote (the Q-12 saga), reopen (C-1) and whole-order cancel (C-3). Clients do what a careful
// client does after a dropped connection or a 503: send the same request again (with the same
// Idempotency-Key where the route takes one). Afterwards every case has converged: each quote line is
// ordered exactly once, as an order that exists; no line is left reserved; no order is half-cancelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../support/figures';
import { daysAhead, draftBody } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';
import { type ApiProcess, apiProcess, type ChildService, workerProcess } from '../support/worker-process';
import { type SimulatorService, startSimulatorService } from '../../simulator/service';

let stack: Stack;
let simulators: SimulatorService;
let worker: ChildService;
let api: ApiProcess;
let token: string;

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  // issue 16: one simulator service for both processes, so a booking made before a kill is still there after it
  simulators = await startSimulatorService({ databaseUrl: stack.databaseUrl, env: {} });
  worker = workerProcess(stack, undefined, { SIMULATOR_URL: simulators.url });
  api = await apiProcess(stack, undefined, { SIMULATOR_URL: simulators.url });
  await Promise.all([worker.start(), api.start()]);
  token = await stack.login('ola.nordnett');
});
afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await simulators?.stop();
  await stack?.stop(); // replays every case of the file (nondeterminism check): minutes on a loaded machine
}, 360_000);

interface Answer {
  status: number;
  body: any;
}

/** One request to the API process, sent again while the process is down or answers 503 (as a client would). */
async function send(method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
      const text = await res.text();
      if (res.status !== 503) return { status: res.status, body: text ? JSON.parse(text) : null };
    } catch {
      // the API process is down (killed): connection refused or reset
    }
    if (Date.now() > deadline) throw new Error(`${method} ${path}: no answer within 2 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A retried action: the first attempt may have been applied before the connection dropped, so "already done" (409) counts. */
async function act(method: string, path: string, json?: unknown, headers?: Record<string, string>) {
  const res = await send(method, path, json, headers);
  expect([200, 201, 409], `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
  return res;
}

describe('worker and API killed during multi-case actions', () => {
  it('order from quote, reopen and whole-order cancel converge; nothing is ordered twice or half-cancelled', async () => {
    let running = true;
    const kills = { api: 0, worker: 0 };
    const killer = (async () => {
      while (running && kills.api + kills.worker < 10) {
        await new Promise((r) => setTimeout(r, 500 + Math.random() * 1500));
        if (!running) break;
        const target = Math.random() < 0.5 ? 'api' : 'worker';
        const proc = target === 'api' ? api : worker;
        await proc.kill();
        kills[target]++;
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 600));
        await proc.start();
      }
    })();

    const lives = 4;
    const quotes: string[] = [];
    const cancelled: string[] = [];
    await Promise.all(
      Array.from({ length: lives }, async (_, i) => {
        // a quote with two lines, priced, then ordered as a whole
        const quote = await act(
          'POST',
          '/v1/quotes',
          {
            lines: [
              { productCode: 'SAMB-ETH', speedMbps: 10, addressAId: 'adr-0003', addressBId: 'adr-0004' },
              { productCode: 'SAMB-ETH', speedMbps: 2, addressAId: 'adr-0003', addressBId: 'adr-0004' },
            ],
          },
          { 'Idempotency-Key': `kill-quote-${i}-${stack.databaseName}` },
        );
        const number = quote.body.number as string;
        quotes.push(number);
        await act('POST', `/v1/quotes/${number}/submit`);
        await act('POST', '/v1/orders/from-quote', { quoteNumber: number }, { 'Idempotency-Key': `kill-from-quote-${i}-${stack.databaseName}` });

        // C-1 then C-3: an order submitted, reopened and cancelled as a whole
        const order = await act('POST', '/v1/orders', draftBody({ requestedDate: daysAhead(20 + i) }), { 'Idempotency-Key': `kill-order-${i}-${stack.databaseName}` });
        const o = order.body.number as string;
        cancelled.push(o);
        await act('POST', `/v1/orders/${o}/lines/1/availability`);
        const slots = await act('GET', `/v1/orders/${o}/lines/1/slots`); // O-12: book where Kapaks allows it
        // the rounds run at once and may list the same first slot: a slot taken meanwhile (422 slot_not_free) means the next one
        const free = slots.body.items as Array<{ slotId: string }>;
        let k = 0;
        while (
          k < free.length - 1 &&
          (await send('POST', `/v1/orders/${o}/lines/1/booking`, { slotId: free[k]!.slotId }, { 'Idempotency-Key': `kill-book-${i}-${k}-${stack.databaseName}` })).body?.code === 'slot_not_free'
        )
          k++;
        await act('POST', `/v1/orders/${o}/lines/1/booking`, { slotId: free[k]!.slotId }, { 'Idempotency-Key': `kill-book-${i}-${k}-${stack.databaseName}` });
        await act('POST', `/v1/orders/${o}/submit`);
        await eventually(async () => (await send('GET', `/v1/orders/${o}/lines/1`)).body?.status === 'Registered', 60_000, `${o}:1 Registered`);
        await act('POST', `/v1/orders/${o}/reopen`);
        await act('POST', `/v1/orders/${o}/cancel`, { reason: 'The end user moved' });
      }),
    );
    running = false;
    await killer;

    // A worker killed mid-task leaves its workflow task (10 s) or activity attempt (up to 30 s, the registration's
    // start-to-close) to time out before another worker takes it over; kills in a row on one case add up.
    const converged = 120_000;
    for (const number of quotes) {
      // every line ends ordered once, as an order that exists, and none stays reserved
      let seen: unknown;
      const quote = await eventually(
        async () => {
          const q = (await send('GET', `/v1/quotes/${number}`)).body;
          seen = q.lines;
          return q.lines.every((l: { orderedAs: string | null; orderPending?: boolean }) => l.orderedAs && !l.orderPending) ? q : undefined;
        },
        converged,
        () => `${number}'s lines confirmed; last seen ${JSON.stringify(seen)}`,
      );
      const orders = await stack.sql<{ number: string }[]>`
        SELECT number FROM cases WHERE case_type = 'order' AND detail -> 'lines' -> 0 -> 'quoteLine' ->> 'quoteNumber' = ${number}`;
      expect(orders.map((o) => o.number).sort()).toEqual(quote.lines.map((l: { orderedAs: string }) => l.orderedAs).sort());
      for (const o of orders) expect((await send('GET', `/v1/orders/${o.number}`)).status).toBe(200);
    }
    for (const o of cancelled) {
      let seen: unknown;
      const order = await eventually(
        async () => {
          const view = (await send('GET', `/v1/orders/${o}`)).body;
          seen = view;
          return view.status === 'Cancelled' && view.lines.every((l: { status: string }) => l.status === 'Cancelled') ? view : undefined;
        },
        converged,
        () => `${o} cancelled whole; last seen ${JSON.stringify(seen)}`,
      );
      expect(order.lines).toHaveLength(1);
      const line = await send('GET', `/v1/orders/${o}/lines/1`);
      expect(line.body.status).toBe('Cancelled');
    }
    // nothing owed: every case's workflow was started
    expect(await stack.sql`SELECT case_id FROM workflow_starts`).toEqual([]);
    console.log(`engine kills survived: API ${kills.api}, worker ${kills.worker}; quotes ordered ${quotes.length}, orders reopened and cancelled ${cancelled.length}`);
    recordFigure('kills survived', kills.api + kills.worker);
    expect(kills.api + kills.worker).toBeGreaterThan(0);
  }, 600_000);
});
