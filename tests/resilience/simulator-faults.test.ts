// The operator's systems failing at configurable rates while orders are submitted: Kapaks
// time-outs behave as O-11 says; the order system's errors and lost replies are retried by the
// activities until every line is registered exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../support/figures';
import { ok, readyOrder } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';

const RATE = Number(process.env.SIM_FAULT_RATE ?? 0.3);
let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('ola.nordnett');
});
afterAll(async () => {
  await stack?.stop();
});

describe('simulators failing', () => {
  it(`order system errors and lost replies at ${RATE * 100} %: every line registered exactly once`, async () => {
    const orders = [];
    for (let i = 0; i < 8; i++) orders.push(await readyOrder(stack, token));
    const before = stack.sims.orders.registrations();
    stack.sims.orders.faults.set({ errorRate: RATE / 2, lostReplyRate: RATE / 2, timeoutMs: 150 });
    await Promise.all(orders.map((o) => ok(stack.api('POST', `/v1/orders/${o.number}/submit`, { token }))));
    for (const o of orders) {
      await eventually(
        async () => {
          const line = (await stack.api('GET', `/v1/orders/${o.number}/lines/1`, { token })).body;
          return line.status === 'Registered' || line.status === 'Duplicate';
        },
        120_000,
        `${o.number}:1 registered despite faults`,
      );
    }
    stack.sims.orders.faults.reset();
    const registered = (await Promise.all(orders.map(async (o) => (await stack.api('GET', `/v1/orders/${o.number}/lines/1`, { token })).body))).filter((l) => l.status === 'Registered');
    // never twice: one registration in the order system per registered line
    expect(stack.sims.orders.registrations() - before).toBe(registered.length);
    expect(new Set(registered.map((l) => l.customerOrderId)).size).toBe(registered.length);
    recordFigure('orders registered through faults', registered.length);
  }, 240_000);

  it(`O-11: Kapaks timing out at ${RATE * 100} %: a check is retried; when it keeps timing out the order goes to manual handling`, async () => {
    stack.sims.kapaks.faults.set({ timeoutRate: RATE, timeoutMs: 100 });
    const results = [];
    for (let i = 0; i < 6; i++) {
      const order = await readyOrder(stack, token).catch(() => undefined); // readyOrder runs the check once
      if (order) results.push(order);
    }
    stack.sims.kapaks.faults.set({ timeoutRate: 1, timeoutMs: 100 });
    const stuck = await stack.api('POST', '/v1/orders', { token, json: (await import('../support/orders')).draftBody() });
    const check = await stack.api('POST', `/v1/orders/${stuck.body.number}/lines/1/availability`, { token });
    stack.sims.kapaks.faults.reset();
    expect(check.status).toBeLessThan(500);
    // after the retries still a time-out: submit is allowed without booking and goes to manual handling (O-11)
    const submitted = await stack.api('POST', `/v1/orders/${stuck.body.number}/submit`, { token });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
    const line = await eventually(
      async () => {
        const l = (await stack.api('GET', `/v1/orders/${stuck.body.number}/lines/1`, { token })).body;
        return l.status !== 'Committed' || l.manualHandling ? l : undefined;
      },
      60_000,
      'manual handling',
    );
    expect(line.manualHandling).toBe(true);
    expect(results.length).toBeGreaterThan(0);
  }, 240_000);
});
