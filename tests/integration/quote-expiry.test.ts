// Price validity (beyond the source) with a short duration passed into the workflow; the 90-day
// production default is pinned in tests/unit/quote.test.ts. The timer is real, only shorter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_EXAMPLES } from '../../adapters';
import { osloDate } from '../../domain/time';
import { quoteUpdates } from '../../workflows/quote/messages';
import { eventually, type Stack, startStack } from '../support/stack';

const VALIDITY_MS = 2000;
let stack: Stack;
let ola: string;
let handler: string;
beforeAll(async () => {
  stack = await startStack({ timings: { quotePriceValidity: { ms: VALIDITY_MS } } });
  ola = await stack.login('ola.nordnett');
  handler = await stack.login('henrik.handler');
});
afterAll(async () => {
  await stack?.stop();
});

const [A, B] = ADDRESS_EXAMPLES.zone1Pair;
const actor = { username: 'ola.nordnett', role: 'reseller' as const, companyId: 'nordnett', accessType: 'ordering' as const };
const view = async (number: string) => (await stack.api('GET', `/v1/quotes/${number}`, { token: ola })).body;

async function pricedQuote(lines: number) {
  const created = await stack.api('POST', '/v1/quotes', {
    token: ola,
    json: { lines: Array.from({ length: lines }, () => ({ productCode: 'SAMB-ETH', speedMbps: 10, addressAId: A, addressBId: B })) },
  });
  expect(created.status).toBe(201);
  const submitted = await stack.api('POST', `/v1/quotes/${created.body.number}/submit`, { token: ola, json: {} });
  expect(submitted.body.lines.every((l: { status: string }) => l.status === 'Completed')).toBe(true);
  return submitted.body as { number: string; caseId: string; lines: Array<{ priceValidUntil: string }> };
}

describe('price validity: a Completed line expires and can no longer be ordered', () => {
  it('an automatically priced line expires when its validity ends; the log says so and ordering is refused', async () => {
    const quote = await pricedQuote(1);
    expect(quote.lines[0]!.priceValidUntil).toBe(osloDate(new Date(Date.now() + VALIDITY_MS)));
    const expired = await eventually(
      async () => {
        const v = await view(quote.number);
        return v.lines[0].status === 'Expired' ? v : undefined;
      },
      15_000,
      'expiry of the price',
    );
    expect(expired).toMatchObject({ status: 'Completed', completedLines: 0 });
    expect(expired.lines[0]).toMatchObject({ orderable: false, allowedActions: [], comment: expect.stringContaining('valid until') });
    expect(expired.activity.at(-1)).toMatchObject({ action: 'expire', by: 'system', fromStatus: 'Completed', toStatus: 'Expired', lineNo: 1 });
    // the system's change is audited
    const audit = await stack.api('GET', `/v1/cases/${quote.number}/audit`, { token: ola });
    expect(audit.body.items.filter((r: { username: string }) => r.username === 'system')).toHaveLength(1);
    // every line final: the workflow finished, so nothing more is accepted
    await eventually(async () => (await stack.client.workflow.getHandle(quote.caseId).describe()).status.name === 'COMPLETED', 10_000, 'the workflow to finish');
    const close = await stack.api('POST', `/v1/quotes/${quote.number}/lines/1/close`, { token: ola });
    expect(close.status).toBe(409);
    expect(close.body).toMatchObject({ currentStatus: 'Expired', allowedActions: [] });
  });

  it('a manually priced line gets its own validity from completion; an ordered line does not expire', async () => {
    const created = await stack.api('POST', '/v1/quotes', {
      token: ola,
      json: {
        lines: [
          { productCode: 'MORK-FIBER', addressAId: A, addressBId: B },
          { productCode: 'SAMB-ETH', speedMbps: 10, addressAId: A, addressBId: B },
        ],
      },
    });
    const number = created.body.number as string;
    await stack.api('POST', `/v1/quotes/${number}/submit`, { token: ola, json: { confirmManualPricing: [1] } });
    // line 2 was priced at once and is ordered before it expires
    await stack.client.workflow.getHandle(created.body.caseId).executeUpdate(quoteUpdates.markOrdered, { args: [{ actor, lineNo: 2, orderNumber: 'ORD-000042' }] });
    const ordered = await stack.api('GET', `/v1/quotes/${number}`, { token: ola });
    expect(ordered.body.lines[1]).toMatchObject({ status: 'Completed', orderedAs: 'ORD-000042' });
    await stack.api('POST', `/v1/handler/quotes/${number}/lines/1/take`, { token: handler });
    // line 1 waits longer than the validity in In Process: its clock starts only when it is Completed
    await new Promise((r) => setTimeout(r, VALIDITY_MS + 500));
    const done = await stack.api('POST', `/v1/handler/quotes/${number}/lines/1/complete`, { token: handler, json: { monthlyRentOre: 990_000, establishmentOre: 4_500_000 } });
    expect(done.body.lines[0]).toMatchObject({ status: 'Completed', orderable: true });
    expect(done.body.lines[1]).toMatchObject({ status: 'Completed', orderedAs: 'ORD-000042' });
    const after = await eventually(
      async () => {
        const v = await view(number);
        return v.lines[0].status === 'Expired' ? v : undefined;
      },
      15_000,
      'expiry of the manual price',
    );
    expect(after.lines[1]).toMatchObject({ status: 'Completed', orderedAs: 'ORD-000042' }); // ordered: kept
    expect(after).toMatchObject({ status: 'Completed', completedLines: 1 });
    await expect(stack.client.workflow.getHandle(created.body.caseId).executeUpdate(quoteUpdates.markOrdered, { args: [{ actor, lineNo: 1, orderNumber: 'ORD-000043' }] })).rejects.toThrow();
  });
});
