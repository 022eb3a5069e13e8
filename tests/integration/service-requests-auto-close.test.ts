// S-9 with a short duration passed into the workflow (the 14-day production value is pinned in
// tests/unit/domain.test.ts): the timer is real, only shorter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { srAction, srInStatus, type Tokens } from '../support/service-requests';
import { eventually, type Stack, startStack } from '../support/stack';

const AUTO_CLOSE_MS = 2500;
let stack: Stack;
let tokens: Tokens;
beforeAll(async () => {
  stack = await startStack({ timings: { serviceRequestAutoClose: { ms: AUTO_CLOSE_MS } } });
  tokens = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
});
afterAll(async () => {
  await stack?.stop();
});

const statusOf = async (number: string) => (await stack.api('GET', `/v1/service-requests/${number}`, { token: tokens.customer })).body;

describe('S-9: automatic close', () => {
  it('S-9, G-2: an SR left in New (started, never sent) is closed automatically, and the log says so', async () => {
    const sr = await srInStatus(stack, tokens, 'New');
    const closed = await eventually(
      async () => {
        const view = await statusOf(sr.number);
        return view.status === 'Closed' ? view : undefined;
      },
      15_000,
      'auto-close of a New SR',
    );
    expect(closed.activity.at(-1)).toMatchObject({ action: 'autoClose', by: 'system', fromStatus: 'New', toStatus: 'Closed' });
    expect(closed.activity.at(-1).text).toMatch(/automatically/);
    // the system's action is in the audit trail once
    const audit = await stack.api('GET', `/v1/cases/${sr.number}/audit`, { token: tokens.customer });
    expect(audit.body.items.filter((r: { username: string }) => r.username === 'system')).toHaveLength(1);
    // the workflow finishes right after publishing its last state
    await eventually(async () => (await stack.client.workflow.getHandle(sr.caseId).describe()).status.name === 'COMPLETED', 10_000, 'workflow completion');
  });

  it('S-9: a Completed SR is closed automatically too', async () => {
    const sr = await srInStatus(stack, tokens, 'Completed');
    await eventually(async () => (await statusOf(sr.number)).status === 'Closed', 15_000, 'auto-close of a Completed SR');
  });

  it('S-9: statuses waiting for the wholesaler do not close; the clock restarts on each status change', async () => {
    const sr = await srInStatus(stack, tokens, 'Submitted');
    await new Promise((r) => setTimeout(r, AUTO_CLOSE_MS + 1500));
    expect((await statusOf(sr.number)).status).toBe('Submitted');

    // New for 60 % of the time, then Completed: the Completed clock starts afresh
    const sr2 = await srInStatus(stack, tokens, 'New');
    await new Promise((r) => setTimeout(r, AUTO_CLOSE_MS * 0.6));
    for (const action of ['submit', 'take', 'complete']) expect((await srAction(stack, tokens, sr2.number, action)).status).toBe(200);
    await new Promise((r) => setTimeout(r, AUTO_CLOSE_MS * 0.6));
    expect((await statusOf(sr2.number)).status).toBe('Completed');
    await eventually(async () => (await statusOf(sr2.number)).status === 'Closed', 15_000, 'auto-close after Completed');

    // an update in New does not change the status: the clock keeps running
    const sr3 = await srInStatus(stack, tokens, 'New');
    await new Promise((r) => setTimeout(r, AUTO_CLOSE_MS * 0.6));
    expect((await srAction(stack, tokens, sr3.number, 'update')).status).toBe(200);
    await eventually(async () => (await statusOf(sr3.number)).status === 'Closed', AUTO_CLOSE_MS, 'auto-close despite update');
  });
});
