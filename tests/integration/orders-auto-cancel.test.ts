// O-20 with a short duration passed into the order workflow (the 14-day production value is
// pinned in tests/unit/order.test.ts): the timer is real, only shorter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, ok, readyOrder, type OrderTokens } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';

const AUTO_CANCEL_MS = 3000;
let stack: Stack;
let t: OrderTokens;
beforeAll(async () => {
  stack = await startStack({ timings: { orderAutoCancel: { ms: AUTO_CANCEL_MS } } });
  t = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
});
afterAll(async () => {
  await stack?.stop();
});

const read = async (number: string) => (await stack.api('GET', `/v1/orders/${number}`, { token: t.customer })).body;

describe('O-20: automatic cancellation of an order left New', () => {
  it('O-20: an order still New after the period is cancelled automatically; its booking is released; the log and audit say so', async () => {
    const order = await readyOrder(stack, t.customer, {}, {}, { book: false });
    const slots = await ok(stack.api('GET', `/v1/orders/${order.number}/lines/1/slots`, { token: t.customer }));
    const slotId = slots.items[0].slotId as string;
    const free = stack.sims.appointments.free(slotId);
    await ok(stack.api('POST', `/v1/orders/${order.number}/lines/1/booking`, { token: t.customer, json: { slotId } }));
    expect(stack.sims.appointments.free(slotId)).toBe(free - 1);
    const cancelled = await eventually(
      async () => {
        const view = await read(order.number);
        return view.status === 'Cancelled' ? view : undefined;
      },
      20_000,
      'auto-cancel',
    );
    expect(cancelled.activity.at(-1)).toMatchObject({ action: 'autoCancel', by: 'system', fromStatus: 'New', toStatus: 'Cancelled' });
    expect(cancelled.cancellation).toMatchObject({ by: 'system', feeOre: 0 });
    expect(stack.sims.appointments.free(slotId)).toBe(free);
    const audit = await stack.api('GET', `/v1/cases/${order.number}/audit`, { token: t.customer });
    expect(audit.body.items.filter((r: { username: string }) => r.username === 'system').length).toBeGreaterThanOrEqual(1);
    // the read model is written before the workflow's closing task: the workflow ends right after
    await eventually(async () => (await stack.client.workflow.getHandle(order.caseId).describe()).status.name === 'COMPLETED', 10_000, 'workflow completed');
    // nothing can be done with it any more
    expect((await stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer })).status).toBe(409);
  });

  it('O-20: a submitted order is not cancelled by the clock, and neither is it after Reopen', async () => {
    const order = await readyOrder(stack, t.customer);
    await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: t.customer }));
    await eventually(async () => (await read(order.number)).status === 'Registered', 20_000, 'registered');
    await ok(stack.api('POST', `/v1/orders/${order.number}/reopen`, { token: t.customer }));
    await new Promise((r) => setTimeout(r, AUTO_CANCEL_MS + 1500));
    expect((await read(order.number)).status).toBe('New');
    const untouched = await createOrder(stack, t.customer);
    expect((await read(untouched.number)).autoCancelAt).toBeTruthy();
  });
});
