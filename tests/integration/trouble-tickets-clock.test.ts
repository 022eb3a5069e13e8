// M-2.4 (repair clock and escalations) and M-2.5 (auto-close) with short durations passed into the
// workflow, as the other timers are tested: one catalogue hour lasts 150 ms here, so a 24-hour repair
// target runs out in 3.6 s; the production values are pinned in tests/unit/trouble-ticket.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import { ok } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';
import { productsWith, submittedTicket } from '../support/trouble-tickets';

const HOUR_MS = 150;
const AUTO_CLOSE_MS = 2000;
let stack: Stack;
let ola: string;
let hanne: string;
beforeAll(async () => {
  stack = await startStack({ timings: { troubleTicketRepairHour: { ms: HOUR_MS }, troubleTicketAutoClose: { ms: AUTO_CLOSE_MS } } });
  ola = await stack.login('ola.nordnett');
  hanne = await stack.login('hanne.handler');
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** Products with a fault and a 24-hour target: long enough (3.6 s here) to pause the clock within it. */
const products = productsWith('nordnett', 'fault_found').filter((p) => PRODUCT_CATALOG.get(p.productCode)?.repairTargetHours === 24);
let next = 0;
const product = () => products[next++]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const get = async (number: string, token = ola) => (await ok(stack.api('GET', `/v1/trouble-tickets/${number}`, { token }))) as Record<string, any>;
const handlerAct = (number: string, path: string, json?: unknown) => ok(stack.api('POST', `/v1/handler/trouble-tickets/${number}/${path}`, { token: hanne, ...(json !== undefined ? { json } : {}) }));
const escalationMails = (caseId: string, level: string) =>
  stack.sql<{ recipient: string; subject: string }[]>`SELECT recipient, subject FROM email_outbox WHERE case_id = ${caseId} AND idempotency_key LIKE ${`%:escalation:${level}:%`} ORDER BY recipient`;

describe('M-2.4: the repair clock', () => {
  it('M-2.4: the target comes from the catalogue; the clock starts at submission, pauses while Incomplete, resumes on the customer update; warning then breach are raised on the ticket, in the queue and by e-mail', async () => {
    expect(products.length).toBeGreaterThanOrEqual(3);
    const tt = await submittedTicket(stack, ola, product().number);
    expect(tt.repairClock).toMatchObject({ targetHours: 24, targetMs: 24 * HOUR_MS, running: true, escalation: null });
    await handlerAct(tt.number, 'take');
    const paused = await handlerAct(tt.number, 'request-info', { text: 'Which lights are on on the modem?' });
    expect(paused.repairClock.running).toBe(false);
    const usedAtPause = paused.repairClock.usedMs as number;
    expect(usedAtPause).toBeLessThan(24 * HOUR_MS * 0.8);

    // paused for longer than the whole target: nothing is used, nothing escalates
    await sleep(24 * HOUR_MS + 1000);
    const still = await get(tt.number);
    expect(still).toMatchObject({ status: 'Incomplete', repairClock: { running: false, usedMs: usedAtPause, leftMs: 24 * HOUR_MS - usedAtPause, escalation: null, dueAt: null } });
    expect(await escalationMails(tt.caseId, 'warning')).toHaveLength(0);

    // resumed: the time left runs down from where it stopped
    const resumed = await ok(stack.api('POST', `/v1/trouble-tickets/${tt.number}/customer-update`, { token: ola, json: { text: 'Only the power light' } }));
    expect(resumed.repairClock.running).toBe(true);
    expect(resumed.repairClock.usedMs).toBeGreaterThanOrEqual(usedAtPause);
    expect(resumed.repairClock.usedMs).toBeLessThan(usedAtPause + 1000);

    const warned = await eventually(
      async () => {
        const v = await get(tt.number);
        return v.repairClock.escalation ? v : undefined;
      },
      15_000,
      'the escalation warning',
    );
    expect(warned.repairClock.escalation).toBe('warning');
    expect(warned.repairClock.usedMs).toBeGreaterThanOrEqual(Math.floor(24 * HOUR_MS * 0.8) - 50);
    expect(warned.activity.at(-1)).toMatchObject({ by: 'system', action: 'escalationWarning', toStatus: 'Customer Update' });
    // the handler who took the ticket gets the e-mail
    await eventually(async () => (await escalationMails(tt.caseId, 'warning')).length > 0, 10_000, 'the warning e-mail');
    expect((await escalationMails(tt.caseId, 'warning')).map((m) => m.recipient)).toEqual(['hanne@grossist.example']);

    const breached = await eventually(
      async () => {
        const v = await get(tt.number);
        return v.repairClock.escalation === 'breached' ? v : undefined;
      },
      15_000,
      'the breach',
    );
    expect(breached.repairClock.leftMs).toBeLessThanOrEqual(0);
    // the time paused does not count: the breach came at least a whole pause after the target would have passed
    expect(Date.parse(breached.repairClock.breachedAt) - Date.parse(breached.submittedAt)).toBeGreaterThanOrEqual(24 * HOUR_MS + 1000);
    await eventually(async () => (await escalationMails(tt.caseId, 'breached')).length > 0, 10_000, 'the breach e-mail');
    expect((await escalationMails(tt.caseId, 'breached'))[0]!.subject).toMatch(/repair target missed/);

    // the fault desk's queue lists the missed target first, and filters on it
    const queue = await ok(stack.api('GET', '/v1/handler/trouble-tickets', { token: hanne }));
    expect(queue.items[0]).toMatchObject({ number: tt.number, escalation: 'breached' });
    const onlyBreached = await ok(stack.api('GET', '/v1/handler/trouble-tickets?escalation=breached', { token: hanne }));
    expect(onlyBreached.items.map((i: { number: string }) => i.number)).toContain(tt.number);

    // the escalations are no status changes: the event feed holds the status changes only
    const events = await stack.sql<{ status: string }[]>`SELECT status FROM case_events WHERE case_id = ${tt.caseId} ORDER BY seq`;
    expect(events.map((e) => e.status)).toEqual(['Submitted', 'In Process', 'Incomplete', 'Customer Update']);

    // resolving stops the clock
    await handlerAct(tt.number, 'take');
    const resolved = await handlerAct(tt.number, 'resolve', { cause: 'Exchange port', resolution: 'Moved to a new port' });
    await sleep(500);
    expect((await get(tt.number)).repairClock).toMatchObject({ running: false, usedMs: resolved.repairClock.usedMs });
  });

  it('M-2.4: a ticket nobody has taken escalates to every handler', async () => {
    const tt = await submittedTicket(stack, ola, product().number);
    await eventually(async () => (await escalationMails(tt.caseId, 'warning')).length > 0, 15_000, 'the warning e-mail');
    expect((await escalationMails(tt.caseId, 'warning')).map((m) => m.recipient)).toEqual(['hanne@grossist.example', 'henrik@grossist.example']);
  });
});

describe('M-2.5: automatic close after the period', () => {
  it('M-2.5: a Resolved ticket neither confirmed nor reopened closes by itself (audited, e-mailed to every contact); one reopened within the period does not', async () => {
    const a = await submittedTicket(stack, ola, product().number);
    const b = await submittedTicket(stack, ola, product().number);
    for (const tt of [a, b]) {
      await handlerAct(tt.number, 'take');
      await handlerAct(tt.number, 'resolve', { cause: 'Port hung', resolution: 'Port reset' });
    }
    await ok(stack.api('POST', `/v1/trouble-tickets/${b.number}/reopen`, { token: ola, json: { reason: 'Still no dial tone' } }));
    const closed = await eventually(
      async () => {
        const v = await get(a.number);
        return v.status === 'Closed' ? v : undefined;
      },
      15_000,
      'the automatic close',
    );
    expect(closed.activity.at(-1)).toMatchObject({ by: 'system', action: 'autoClose', fromStatus: 'Resolved', toStatus: 'Closed' });
    expect(closed.activity.at(-1).text).toMatch(/automatically/);
    const audit = await ok(stack.api('GET', `/v1/cases/${a.number}/audit`, { token: ola }));
    expect(audit.items.filter((r: { username: string }) => r.username === 'system').map((r: { action: string }) => r.action)).toContain('status → Closed');
    const mails = await stack.sql<{ recipient: string }[]>`SELECT recipient FROM email_outbox WHERE case_id = ${a.caseId} AND subject LIKE '%Closed%' ORDER BY recipient`;
    expect(mails.map((m) => m.recipient)).toEqual(['kundeservice@nordnett.example', 'ola@nordnett.example']);
    await eventually(async () => (await stack.client.workflow.getHandle(a.caseId).describe()).status.name === 'COMPLETED', 10_000, 'workflow completion');
    // the reopened one waits for the fault desk, whatever the period
    await sleep(AUTO_CLOSE_MS + 500);
    expect((await get(b.number)).status).toBe('In Process');
  });
});
