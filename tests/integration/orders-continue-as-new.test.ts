// A long order life (a Project order with Reopen cycles) continues as new before its history grows
// large: the state is handed to the next run once no handler is mid-way, and the case goes on.
// The limit is a start parameter (DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS in production); this file forces it low.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAhead, draftBody, lineOf, ok, type OrderTokens } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';

const LIMIT = 60;
let stack: Stack;
let t: OrderTokens;
beforeAll(async () => {
  stack = await startStack({ orderHistoryLimit: LIMIT });
  t = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
});
afterAll(async () => {
  await stack?.stop();
});

const runsOf = async (workflowId: string) => {
  const runs: Array<{ runId: string; status: string; historyLength: number }> = [];
  for await (const w of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push({ runId: w.runId, status: w.status.name, historyLength: w.historyLength });
  return runs;
};

describe('Continue-as-new of the order workflow', () => {
  it('a Project order driven through several actions and Reopen cycles continues as new and keeps working; each run stays short', async () => {
    const body = draftBody({ orderType: 'Project', references: { projectReference: 'PRJ-Long' } });
    const order = await ok(stack.api('POST', '/v1/orders', { token: t.customer, json: body }), 201);
    const n = order.number as string;
    await ok(
      stack.api('POST', `/v1/orders/${n}/lines`, {
        token: t.customer,
        json: { endUser: { kind: 'company', name: 'Nordlys Regnskap AS', orgNumber: '914778271' }, address: { addressId: 'adr-0194' } },
      }),
    );
    for (const lineNo of [1, 2]) await ok(stack.api('POST', `/v1/orders/${n}/lines/${lineNo}/availability`, { token: t.customer }));
    for (let cycle = 0; cycle < 2; cycle++) {
      await ok(stack.api('POST', `/v1/orders/${n}/submit`, { token: t.customer }));
      for (const lineNo of [1, 2]) {
        await eventually(async () => (await lineOf(stack, t.customer, n, lineNo)).body.status === 'Registered', 20_000, `${n}:${lineNo} registered`);
      }
      // every report of a line has reached the order (its mirror), then Reopen
      await eventually(async () => (await ok(stack.api('GET', `/v1/orders/${n}`, { token: t.customer }))).status === 'Registered', 10_000, 'order Registered');
      await ok(stack.api('POST', `/v1/orders/${n}/reopen`, { token: t.customer }));
      await ok(stack.api('PATCH', `/v1/orders/${n}`, { token: t.customer, json: { requestedDate: daysAhead(30 + cycle) } }));
    }
    const runs = await eventually(
      async () => {
        const r = await runsOf(order.caseId);
        return r.length >= 2 ? r : undefined;
      },
      15_000,
      'the run chain',
    );
    expect(runs.filter((r) => r.status === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(1);
    expect(runs.filter((r) => r.status === 'RUNNING')).toHaveLength(1);
    // a run hands over soon after the limit (the handler that crossed it finishes first)
    for (const r of runs.filter((x) => x.status === 'CONTINUED_AS_NEW')) expect(r.historyLength).toBeLessThan(LIMIT + 60);

    // the case goes on in the new run: its state was handed over whole
    const now = await ok(stack.api('GET', `/v1/orders/${n}`, { token: t.customer }));
    expect(now).toMatchObject({ phase: 'draft', revision: 2, requestedDate: daysAhead(31) });
    expect(now.activity.map((e: { action: string }) => e.action).filter((a: string) => a === 'reopen')).toHaveLength(2);
    const submitted = await ok(stack.api('POST', `/v1/orders/${n}/submit`, { token: t.customer }));
    expect(submitted.revision).toBe(3);
    for (const lineNo of [1, 2]) {
      await eventually(
        async () => {
          const line = (await lineOf(stack, t.customer, n, lineNo)).body;
          return line.revision === 3 && line.status === 'Registered';
        },
        20_000,
        `${n}:${lineNo} registered again`,
      );
    }
    const cancel = await ok(stack.api('GET', `/v1/orders/${n}/cancellation`, { token: t.customer }));
    const cancelled = await ok(stack.api('POST', `/v1/orders/${n}/cancel`, { token: t.customer, json: { acceptedFeeOre: cancel.totalOre } }));
    expect(cancelled.lines.map((l: { status: string }) => l.status)).toEqual(['Cancelled', 'Cancelled']);
    await eventually(async () => (await stack.client.workflow.getHandle(order.caseId).describe()).status.name === 'COMPLETED', 15_000, 'the last run completed');
  }, 180_000);
});
