// Quotes end to end: API → workflow → activities (address register, price list) → read model → API
// (rules Q-1…Q-11, G-1, G-4, A-1…A-3).
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_EXAMPLES } from '../../adapters';
import priceData from '../../adapters/data/price-list.json' with { type: 'json' };
import { addCalendarDays, osloDate } from '../../domain/time';
import { quoteUpdates } from '../../workflows/quote/messages';
import { historyLength } from '../support/service-requests';
import { eventually, type Stack, startStack } from '../support/stack';

let stack: Stack;
let ola: string;
let handler: string;
let formId: string;
beforeAll(async () => {
  stack = await startStack();
  ola = await stack.login('ola.nordnett');
  handler = await stack.login('henrik.handler');
  formId = await upload('telelosji-skjema.pdf');
});
afterAll(async () => {
  await stack?.stop();
});

async function upload(filename: string): Promise<string> {
  const res = await stack.api('POST', '/v1/attachments', {
    token: ola,
    json: { filename, contentType: 'application/pdf', contentBase64: Buffer.from(`%PDF-1.4 ${filename}`).toString('base64') },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const [Z1a, Z1b] = ADDRESS_EXAMPLES.zone1Pair; // Karl Johans gate 22 ↔ Kirkegata 15, Oslo, both zone 1
const Z2a = 'adr-0006'; // Trondheimsveien 235, Oslo, zone 2
const Z2b = 'adr-0032'; // INSA OSLO-INSA-0107, Oslo, zone 2

type Line = Record<string, unknown>;
const eth = (speedMbps: number, a: string, b: string): Line => ({ productCode: 'SAMB-ETH', speedMbps, addressAId: a, addressBId: b });

async function createQuote(lines: Line[] = [], token = ola, extra: Record<string, unknown> = {}) {
  const res = await stack.api('POST', '/v1/quotes', { token, json: { lines, ...extra } });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { number: string; caseId: string; status: string; lines: Array<{ lineNo: number }> };
}

const post = (path: string, json?: unknown, token = ola) => stack.api('POST', path, { token, ...(json !== undefined ? { json } : {}) });
const get = (number: string, token = ola) => stack.api('GET', `/v1/quotes/${number}`, { token });
const submit = (number: string, confirm: number[] = []) => post(`/v1/quotes/${number}/submit`, { confirmManualPricing: confirm });
const handle = (number: string, lineNo: number, action: string, json?: unknown) => post(`/v1/handler/quotes/${number}/lines/${lineNo}/${action}`, json, handler);
const lineOf = (quote: { lines: Array<{ lineNo: number }> }, lineNo: number) => quote.lines.find((l) => l.lineNo === lineNo) as Record<string, any>;

function tariff(productCode: string, speedMbps: number, band: string) {
  const t = priceData.tariffs.find((x) => x.productCode === productCode && x.speedMbps === speedMbps && x.distanceBand === band);
  if (!t) throw new Error(`no tariff ${productCode} ${speedMbps} ${band}`);
  return { monthlyRentOre: t.monthlyRentOre, establishmentOre: t.establishmentOre };
}

describe('Q-5 / Q-6 / Q-7: pricing route on Submit (Estimate Price)', () => {
  // one quote with every case as a line, submitted once; the expected outcome of each line
  const table: Array<{ name: string; line: Line; status: 'Completed' | 'New'; rule?: string }> = [
    { name: '34 Mbit/s, zone 1/1', line: eth(34, Z1a, Z1b), status: 'Completed' },
    { name: '34 Mbit/s, zone 1/2', line: eth(34, Z1a, Z2a), status: 'New', rule: 'Q-5' },
    { name: '34 Mbit/s, zone 2/2', line: eth(34, Z2a, Z2b), status: 'New', rule: 'Q-5' },
    { name: '155 Mbit/s, zone 1/1', line: eth(155, Z1a, Z1b), status: 'Completed' },
    { name: '155 Mbit/s, zone 1/2', line: eth(155, Z1a, Z2a), status: 'New', rule: 'Q-5' },
    { name: '155 Mbit/s, zone 2/2', line: eth(155, Z2a, Z2b), status: 'New', rule: 'Q-5' },
    { name: '10 Mbit/s, zone 1/1', line: eth(10, Z1a, Z1b), status: 'Completed' },
    { name: '10 Mbit/s, zone 1/2', line: eth(10, Z1a, Z2a), status: 'Completed' },
    { name: '10 Mbit/s, zone 2/2', line: eth(10, Z2a, Z2b), status: 'Completed' },
    { name: 'SDH 2 Mbit/s, zone 2/2', line: { productCode: 'SAMB-SDH', speedMbps: 2, addressAId: Z2a, addressBId: Z2b }, status: 'Completed' },
    { name: '1000 Mbit/s (no tariff, Q-6)', line: eth(1000, Z1a, Z1b), status: 'New', rule: 'Q-6' },
    { name: 'non-price-list product (Mørk fiber)', line: { productCode: 'MORK-FIBER', addressAId: Z1a, addressBId: Z1b }, status: 'New', rule: 'Q-6' },
    { name: 'Telelosji', line: { productCode: 'TELELOSJI', attachmentFlag: true, attachmentIds: ['FORM'] }, status: 'New', rule: 'Q-7' },
    { name: 'attachment flag with attachment', line: { productCode: 'SAMB-ETH', speedMbps: 10, attachmentFlag: true, attachmentIds: ['FORM'] }, status: 'New', rule: 'Q-5' },
    { name: 'distance cannot be computed (not geocoded)', line: eth(10, Z1a, ADDRESS_EXAMPLES.cadastralNoCoordinates), status: 'New', rule: 'Q-5' },
  ];
  let priced: any;

  beforeAll(async () => {
    const lines = table.map((t) => ({ ...t.line, ...(t.line.attachmentIds ? { attachmentIds: [formId] } : {}) }));
    const quote = await createQuote(lines, ola, { customerReference: 'Q5-TABLE' });
    const res = await submit(quote.number);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    priced = res.body;
  });

  it.each(table.map((t, i) => ({ ...t, lineNo: i + 1 })))('Q-5: $name → $status $rule', ({ lineNo, status, rule, line }) => {
    const l = lineOf(priced, lineNo);
    expect(l.status).toBe(status);
    if (status === 'Completed') {
      // priced from the price list by the distance band of the two addresses, in whole øre
      expect(l.priceSource).toBe('price-list');
      expect(l.price).toEqual(tariff(line.productCode as string, line.speedMbps as number, l.distanceBand));
      expect(l.distanceMeters).toBeGreaterThan(0);
      expect(l.priceValidUntil).toBe(addCalendarDays(osloDate(new Date()), 90));
      expect(l.orderable).toBe(true);
    } else {
      expect(l.price).toBeNull();
      expect(l.manualPricing).toMatchObject({ rule, confirmed: false });
      expect(l.comment).toContain(`(${rule})`);
      expect(priced.awaitingConfirmation).toContainEqual({ lineNo, rule, reason: l.manualPricing.reason });
    }
  });

  it('Q-5: the zone-1 pair is in the 0-1 km band; zone addresses are snapshotted on the line', () => {
    const l = lineOf(priced, 1);
    expect(l.distanceBand).toBe('0-1km');
    expect(l.addressA).toEqual({ id: Z1a, label: 'Karl Johans gate 22, 3. etg, 0159 OSLO', zone: 1 });
    expect(lineOf(priced, 2).addressB).toMatchObject({ id: Z2a, zone: 2 });
  });

  it('Q-8: outside zone 1 the monthly rent is shown at once where the price list has it', () => {
    const l = lineOf(priced, 2);
    expect(l.manualPricing.indicativeMonthlyRentOre).toBe(tariff('SAMB-ETH', 34, '1-5km').monthlyRentOre);
  });

  // Q-10 (slide 43): "New: … det har ikke blitt utført prisforespørsel på noen av Quote Line Items" — lines were priced
  it('Q-10: lines priced beside unconfirmed manual lines: the header is not New; the Completed count is shown', () => {
    expect(priced.status).toBe('Completed');
    expect(priced.completedLines).toBe(table.filter((t) => t.status === 'Completed').length);
  });

  const refused: Array<{ name: string; line: Line; field: string; rule: string }> = [
    { name: 'missing speed', line: { productCode: 'SAMB-ETH', addressAId: Z1a, addressBId: Z1b }, field: 'body.speedMbps', rule: 'Q-2' },
    { name: 'attachment flag without attachment', line: { productCode: 'SAMB-ETH', speedMbps: 10, attachmentFlag: true }, field: 'body.attachmentIds', rule: 'Q-4' },
    { name: 'post-box address', line: eth(10, ADDRESS_EXAMPLES.postBox, Z1b), field: 'body.addressAId', rule: 'Q-2' },
    { name: 'Telelosji without flag and form', line: { productCode: 'TELELOSJI', addressAId: Z1a }, field: 'body.attachmentFlag', rule: 'Q-7' },
    { name: 'a DSL product (ordered directly)', line: { productCode: 'JARA-ADSL-FULL', speedMbps: 8, addressAId: Z1a }, field: 'body.productCode', rule: 'Q-1' },
    { name: 'an address not in the register', line: eth(10, Z1a, 'adr-9999'), field: 'body.addressBId', rule: 'Q-3' },
  ];
  it.each(refused)('Q-5: $name is refused at once, naming the field and rule', async ({ line, field, rule }) => {
    const quote = await createQuote();
    const res = await post(`/v1/quotes/${quote.number}/lines`, line);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field, rule }));
    // nothing was stored
    expect((await get(quote.number)).body.lines).toEqual([]);
  });

  it('G-1: a refused creation names every failing field of every line, and creates nothing', async () => {
    const before = await stack.sql`SELECT count(*)::int AS n FROM cases WHERE case_type = 'quote'`;
    const res = await stack.api('POST', '/v1/quotes', {
      token: ola,
      json: { lines: [eth(34, Z1a, Z1b), { productCode: 'SAMB-ETH', addressAId: ADDRESS_EXAMPLES.postBox }, { productCode: 'TELELOSJI', bogus: 1 }] },
    });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toContain('body.lines.2.bogus');
    const after = await stack.sql`SELECT count(*)::int AS n FROM cases WHERE case_type = 'quote'`;
    expect(after[0]!.n).toBe(before[0]!.n);
    const second = await stack.api('POST', '/v1/quotes', {
      token: ola,
      json: { lines: [eth(34, Z1a, Z1b), { productCode: 'SAMB-ETH', addressAId: ADDRESS_EXAMPLES.postBox }] },
    });
    expect(second.status).toBe(400);
    expect(second.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`).sort()).toEqual([
      'body.lines.1.addressAId:Q-2',
      'body.lines.1.addressBId:Q-2',
      'body.lines.1.speedMbps:Q-2',
    ]);
  });
});

describe('Q-8 / Q-9: the manual pricing loop end to end', () => {
  it('Q-9: submit → confirm → Received → In Process → Incomplete → Customer Update → Completed with price → Customer Closed', async () => {
    const quote = await createQuote([eth(34, Z1a, Z2a)]);
    const listed = await submit(quote.number);
    expect(lineOf(listed.body, 1)).toMatchObject({ status: 'New', manualPricing: { rule: 'Q-5', confirmed: false } });
    expect(listed.body.awaitingConfirmation.map((l: { lineNo: number }) => l.lineNo)).toEqual([1]);

    const confirmed = await submit(quote.number, [1]);
    expect(confirmed.status).toBe(200);
    expect(lineOf(confirmed.body, 1)).toMatchObject({ status: 'Received', manualPricing: { confirmed: true } });
    expect(confirmed.body).toMatchObject({ status: 'Received', awaitingConfirmation: [] });

    // the line is in sales support's queue
    const queue = await stack.api('GET', '/v1/handler/quote-lines?limit=100', { token: handler });
    expect(queue.status).toBe(200);
    expect(queue.body.items).toContainEqual(expect.objectContaining({ number: quote.number, lineNo: 1, status: 'Received', reason: expect.stringContaining('zone 1') }));

    const taken = await handle(quote.number, 1, 'take');
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(lineOf(taken.body, 1)).toMatchObject({ status: 'In Process', handler: 'henrik.handler' });
    expect(taken.body.status).toBe('In Process');

    const noComment = await handle(quote.number, 1, 'incomplete', { comment: '' });
    expect(noComment.status).toBe(400);
    expect(noComment.body.errors[0]).toMatchObject({ field: 'body.comment' });

    const incomplete = await handle(quote.number, 1, 'incomplete', { comment: 'Which floor is the equipment room on at address B?' });
    expect(lineOf(incomplete.body, 1)).toMatchObject({ status: 'Incomplete', comment: 'Which floor is the equipment room on at address B?' });
    expect(incomplete.body.status).toBe('Incomplete');

    // the user sees the comment, fixes the line (attaches a floor plan) and sets Customer Update
    const seen = await get(quote.number);
    expect(lineOf(seen.body, 1).allowedActions).toEqual(['change', 'cancel', 'customerUpdate']);
    const plan = await upload('plantegning.pdf');
    const fixed = await stack.api('PATCH', `/v1/quotes/${quote.number}/lines/1`, { token: ola, json: { attachmentIds: [plan] } });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(lineOf(fixed.body, 1).attachments.map((a: { id: string }) => a.id)).toEqual([plan]);
    const updated = await post(`/v1/quotes/${quote.number}/lines/1/customer-update`, { comment: 'Floor plan attached: 2nd floor' });
    expect(lineOf(updated.body, 1)).toMatchObject({ status: 'Customer Update', comment: 'Floor plan attached: 2nd floor' });
    expect(updated.body.status).toBe('Customer Update');

    expect((await handle(quote.number, 1, 'take')).status).toBe(200);
    const badPrice = await handle(quote.number, 1, 'complete', { monthlyRentOre: 1234.5, establishmentOre: -1 });
    expect(badPrice.status).toBe(400);
    expect(badPrice.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.establishmentOre', 'body.monthlyRentOre']);
    const completed = await handle(quote.number, 1, 'complete', { monthlyRentOre: 412_000, establishmentOre: 2_500_000 });
    expect(completed.status).toBe(200);
    expect(lineOf(completed.body, 1)).toMatchObject({
      status: 'Completed',
      price: { monthlyRentOre: 412_000, establishmentOre: 2_500_000 },
      priceSource: 'manual',
      priceValidUntil: addCalendarDays(osloDate(new Date()), 90),
      orderable: true,
    });
    expect(completed.body).toMatchObject({ status: 'Completed', completedLines: 1 });

    const closed = await post(`/v1/quotes/${quote.number}/lines/1/close`);
    expect(lineOf(closed.body, 1).status).toBe('Customer Closed');
    expect(closed.body).toMatchObject({ status: 'Completed', completedLines: 0 });

    // the whole log with who did each step (A-4, G-3), and the read model agrees (read-your-writes)
    const final = await get(quote.number, handler);
    expect(final.body.activity.map((e: { action: string; by: string; toStatus: string }) => `${e.action}:${e.by}:${e.toStatus}`)).toEqual([
      'create:ola.nordnett:New',
      'submit:ola.nordnett:New',
      'submit:ola.nordnett:Received',
      'take:henrik.handler:In Process',
      'setIncomplete:henrik.handler:Incomplete',
      'change:ola.nordnett:Incomplete',
      'customerUpdate:ola.nordnett:Customer Update',
      'take:henrik.handler:In Process',
      'complete:henrik.handler:Completed',
      'customerClose:ola.nordnett:Customer Closed',
    ]);
    // every line final: the quote's workflow has finished
    await eventually(async () => (await stack.client.workflow.getHandle(quote.caseId).describe()).status.name === 'COMPLETED', 10_000, 'the workflow to finish');
    expect(final.body.allowedActions).toEqual([]);
    const after = await post(`/v1/quotes/${quote.number}/lines`, eth(10, Z1a, Z1b));
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ code: 'action_not_allowed', currentStatus: 'Completed', allowedActions: [] });
  });
});

describe('Q-10: header aggregation for mixed line statuses', () => {
  it('Q-10: Incomplete > Customer Update > In Process > Received; New only without a price request; Completed / Cancelled when the priced lines are done', async () => {
    // 1: auto-priced, 2 and 3: manual (confirmed), 4: manual (left unconfirmed)
    const quote = await createQuote([eth(34, Z1a, Z1b), eth(34, Z1a, Z2a), eth(155, Z2a, Z2b), { productCode: 'MORK-FIBER', addressAId: Z1a, addressBId: Z2a }]);
    const steps: Array<[string, () => Promise<{ status: number; body: any }>, string, number]> = [
      ['submit, confirming 2 and 3', () => submit(quote.number, [2, 3]), 'Received', 1],
      ['handler takes 2', () => handle(quote.number, 2, 'take'), 'In Process', 1],
      ['handler sets 2 Incomplete', () => handle(quote.number, 2, 'incomplete', { comment: 'Need the room number' }), 'Incomplete', 1],
      ['user sets 2 Customer Update', () => post(`/v1/quotes/${quote.number}/lines/2/customer-update`), 'Customer Update', 1],
      ['handler takes 2 again', () => handle(quote.number, 2, 'take'), 'In Process', 1],
      ['handler completes 2', () => handle(quote.number, 2, 'complete', { monthlyRentOre: 500_000, establishmentOre: 3_000_000 }), 'Received', 2],
      // line 4 waits for manual-pricing confirmation beside priced lines: not New (slide 43, issue 13)
      ['handler cancels 3', () => handle(quote.number, 3, 'cancel', { comment: 'No capacity on this route' }), 'Completed', 2],
      ['user cancels 4', () => post(`/v1/quotes/${quote.number}/lines/4/cancel`), 'Completed', 2],
      ['user closes 1', () => post(`/v1/quotes/${quote.number}/lines/1/close`), 'Completed', 1],
    ];
    for (const [what, step, header, completed] of steps) {
      const res = await step();
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(200);
      expect({ what, status: res.body.status, completedLines: res.body.completedLines }).toEqual({ what, status: header, completedLines: completed });
      // the list (read model) shows the same header and count
      const listed = await stack.api('GET', `/v1/quotes?q=${quote.number}`, { token: ola });
      expect(listed.body.items[0]).toMatchObject({ number: quote.number, status: header, completedLines: completed });
    }
    const final = (await get(quote.number)).body;
    expect(final.lines.map((l: { status: string }) => l.status)).toEqual(['Customer Closed', 'Completed', 'Cancelled', 'Cancelled']);
    expect(lineOf(final, 3).comment).toBe('No capacity on this route');
  });

  it('Q-9: cancelling the whole quote cancels every open line; the header is Cancelled', async () => {
    const quote = await createQuote([eth(10, Z1a, Z1b), eth(34, Z1a, Z2a), eth(155, Z1a, Z2a)]);
    await submit(quote.number, [3]);
    const res = await post(`/v1/quotes/${quote.number}/cancel`, { comment: 'The end customer chose another supplier' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'Cancelled', completedLines: 0, allowedActions: [] });
    expect(res.body.lines.map((l: { status: string }) => l.status)).toEqual(['Cancelled', 'Cancelled', 'Cancelled']);
    expect((await post(`/v1/quotes/${quote.number}/lines`, eth(10, Z1a, Z1b))).status).toBe(409);
    // an empty quote can be cancelled too
    const empty = await createQuote();
    expect((await post(`/v1/quotes/${empty.number}/cancel`)).body.status).toBe('Cancelled');
  });

  it('Q-2: lines are added, changed and removed while New; a changed line is priced afresh', async () => {
    const quote = await createQuote([], ola, { customerReference: 'EDIT-1', description: 'Backbone Oslo' });
    const added = await post(`/v1/quotes/${quote.number}/lines`, eth(34, Z1a, Z2a));
    expect(added.status).toBe(201);
    expect(added.body.lines).toHaveLength(1);
    const two = await post(`/v1/quotes/${quote.number}/lines`, eth(10, Z1a, Z1b));
    expect(two.body.lines.map((l: { lineNo: number }) => l.lineNo)).toEqual([1, 2]);
    const removed = await stack.api('DELETE', `/v1/quotes/${quote.number}/lines/2`, { token: ola });
    expect(removed.status).toBe(200);
    expect(removed.body.lines.map((l: { lineNo: number }) => l.lineNo)).toEqual([1]);
    expect((await stack.api('DELETE', `/v1/quotes/${quote.number}/lines/2`, { token: ola })).status).toBe(404);

    expect(lineOf((await submit(quote.number)).body, 1).status).toBe('New'); // zone 1/2 at 34: manual
    // moving address B into zone 1 makes it price-listed
    const changed = await stack.api('PATCH', `/v1/quotes/${quote.number}/lines/1`, { token: ola, json: { addressBId: Z1b } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(lineOf(changed.body, 1)).toMatchObject({ status: 'New', manualPricing: null, comment: null, addressB: { id: Z1b, zone: 1 } });
    const badChange = await stack.api('PATCH', `/v1/quotes/${quote.number}/lines/1`, { token: ola, json: { speedMbps: null, addressAId: ADDRESS_EXAMPLES.postBox } });
    expect(badChange.status).toBe(400);
    expect(badChange.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.addressAId', 'body.speedMbps']);
    const priced = await submit(quote.number);
    expect(lineOf(priced.body, 1)).toMatchObject({ status: 'Completed', price: tariff('SAMB-ETH', 34, '0-1km') });
    expect(priced.body.status).toBe('Completed');
    // a Completed line can no longer be changed or removed
    const late = await stack.api('PATCH', `/v1/quotes/${quote.number}/lines/1`, { token: ola, json: { speedMbps: 10 } });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ currentStatus: 'Completed', allowedActions: ['cancel', 'customerClose'], rule: 'Q-11' });
  });
});

describe('Q-9 / Q-11: refused transitions answer 409 and leave no event', () => {
  it("Q-11: the user may not set statuses that are the wholesaler's; the handler may not skip steps", async () => {
    const quote = await createQuote([eth(34, Z1a, Z2a), eth(10, Z1a, Z1b)]);
    await submit(quote.number, [1]);
    const before = await historyLength(stack, quote.caseId);
    const attempts: Array<[() => Promise<{ status: number; body: any }>, string, string]> = [
      [() => post(`/v1/quotes/${quote.number}/lines/1/customer-update`), 'Received', 'Q-11'],
      [() => post(`/v1/quotes/${quote.number}/lines/1/close`), 'Received', 'Q-11'],
      [() => post(`/v1/quotes/${quote.number}/lines/2/customer-update`), 'Completed', 'Q-11'],
      [() => handle(quote.number, 1, 'complete', { monthlyRentOre: 1, establishmentOre: 1 }), 'Received', 'Q-9'],
      [() => handle(quote.number, 1, 'incomplete', { comment: 'x' }), 'Received', 'Q-9'],
      [() => handle(quote.number, 2, 'take'), 'Completed', 'Q-9'],
      [() => submit(quote.number), 'Received', 'Q-8'],
    ];
    for (const [attempt, status, rule] of attempts) {
      const res = await attempt();
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body).toMatchObject({ code: 'action_not_allowed', currentStatus: status, rule });
      expect(Array.isArray(res.body.allowedActions)).toBe(true);
    }
    expect(await historyLength(stack, quote.caseId)).toBe(before);
  });

  it("Q-11: the workflow's validators refuse on their own, leaving no event", async () => {
    const quote = await createQuote([eth(34, Z1a, Z2a)]);
    const h = stack.client.workflow.getHandle(quote.caseId);
    const before = await historyLength(stack, quote.caseId);
    const actor = { username: 'ola.nordnett', role: 'reseller' as const, companyId: 'nordnett', accessType: 'ordering' as const };
    const handlerActor = { username: 'henrik.handler', role: 'handler' as const, companyId: null, accessType: null };
    await expect(h.executeUpdate(quoteUpdates.customerClose, { args: [{ actor, lineNo: 1 }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(h.executeUpdate(quoteUpdates.take, { args: [{ actor: handlerActor, lineNo: 1 }] })).rejects.toSatisfy((e: Error) => /not allowed/.test(String((e.cause as Error).message)));
    await expect(h.executeUpdate(quoteUpdates.submit, { args: [{ actor, confirmManualPricing: [7] }] })).rejects.toSatisfy((e: Error) => /no line 7/.test(String((e.cause as Error).message)));
    await expect(h.executeUpdate(quoteUpdates.markOrdered, { args: [{ actor, lineNo: 1, orderNumber: 'ORD-000001' }] })).rejects.toSatisfy((e: Error) =>
      /Q-12|Completed/.test(String((e.cause as Error).message)),
    );
    expect(await historyLength(stack, quote.caseId)).toBe(before);
  });

  it('Q-12: markOrdered records the order on a Completed line once; the line then takes no more actions', async () => {
    const quote = await createQuote([eth(10, Z1a, Z1b), eth(2, Z1a, Z1b)]);
    await submit(quote.number);
    const h = stack.client.workflow.getHandle(quote.caseId);
    const actor = { username: 'ola.nordnett', role: 'reseller' as const, companyId: 'nordnett', accessType: 'ordering' as const };
    const ack = await h.executeUpdate(quoteUpdates.markOrdered, { args: [{ actor, lineNo: 1, orderNumber: 'ORD-000777' }] });
    expect(ack).toMatchObject({ caseId: quote.caseId, status: 'Completed' });
    const read = await get(quote.number);
    expect(lineOf(read.body, 1)).toMatchObject({ lineNo: 1, status: 'Completed' });
    expect(lineOf(read.body, 1)).toMatchObject({ orderedAs: 'ORD-000777', orderable: false, allowedActions: [] });
    expect(read.body.completedLines).toBe(2);
    const before = await historyLength(stack, quote.caseId);
    await expect(h.executeUpdate(quoteUpdates.markOrdered, { args: [{ actor, lineNo: 1, orderNumber: 'ORD-000778' }] })).rejects.toSatisfy((e: Error) =>
      /already ordered as ORD-000777/.test(String((e.cause as Error).message)),
    );
    expect(await historyLength(stack, quote.caseId)).toBe(before);
    const cancel = await post(`/v1/quotes/${quote.number}/lines/1/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.body).toMatchObject({ rule: 'Q-12', allowedActions: [] });
  });
});

describe('A-1 / A-3: tenancy and access', () => {
  it('A-1: another company cannot see, list or act on the quote', async () => {
    const quote = await createQuote([eth(10, Z1a, Z1b)], ola, { customerReference: 'TENANCY-1' });
    const nils = await stack.login('nils.fjordtel');
    expect((await get(quote.number, nils)).status).toBe(404);
    expect((await post(`/v1/quotes/${quote.number}/submit`, {}, nils)).status).toBe(404);
    expect((await post(`/v1/quotes/${quote.number}/lines`, eth(10, Z1a, Z1b), nils)).status).toBe(404);
    const list = await stack.api('GET', '/v1/quotes?reference=TENANCY-1', { token: nils });
    expect(list.body.total).toBe(0);
    // even asking for another company's list gives one's own
    const forced = await stack.api('GET', '/v1/quotes?companyId=nordnett&reference=TENANCY-1', { token: nils });
    expect(forced.body.total).toBe(0);
    // handlers see every company's quotes
    expect((await get(quote.number, handler)).status).toBe(200);
  });

  it('A-3: a read-only user sees the quote but cannot create, submit or change it; handlers do not act as customers', async () => {
    const quote = await createQuote([eth(10, Z1a, Z1b)]);
    const kari = await stack.login('kari.nordnett');
    const read = await get(quote.number, kari);
    expect(read.status).toBe(200);
    expect(read.body.allowedActions).toEqual([]);
    expect(lineOf(read.body, 1).allowedActions).toEqual([]);
    const before = await historyLength(stack, quote.caseId);
    expect((await post(`/v1/quotes/${quote.number}/submit`, {}, kari)).status).toBe(403);
    expect((await post('/v1/quotes', { lines: [] }, kari)).status).toBe(403);
    expect((await post(`/v1/quotes/${quote.number}/lines`, eth(10, Z1a, Z1b), kari)).status).toBe(403);
    expect((await post(`/v1/quotes/${quote.number}/submit`, {}, handler)).status).toBe(403);
    expect((await stack.api('GET', '/v1/handler/quote-lines', { token: ola })).status).toBe(403);
    expect((await post(`/v1/handler/quotes/${quote.number}/lines/1/take`, undefined, ola)).status).toBe(403);
    expect(await historyLength(stack, quote.caseId)).toBe(before);
  });
});

describe('lists, search and the handler queue', () => {
  it("the company's quotes are listed and searched by status, reference, product and text", async () => {
    const ref = `SEARCH-${Date.now()}`;
    const a = await createQuote([eth(10, Z1a, Z1b)], ola, { customerReference: ref, description: 'Bergen backbone' });
    const b = await createQuote([{ productCode: 'TELELOSJI', attachmentFlag: true, attachmentIds: [formId] }], await stack.login('ingrid.nordnett'), { customerReference: `${ref}-B` });
    await submit(a.number);
    const q = (query: string) => stack.api('GET', `/v1/quotes?${query}`, { token: ola }).then((r) => r.body.items.map((i: { number: string }) => i.number));
    expect(await q(`reference=${ref}`)).toEqual([a.number]);
    expect((await q(`q=${ref.toLowerCase()}`)).sort()).toEqual([a.number, b.number].sort());
    expect(await q(`q=${ref}&productCode=TELELOSJI`)).toEqual([b.number]);
    expect(await q(`q=${ref}&status=Completed`)).toEqual([a.number]);
    expect(await q(`q=${encodeURIComponent('Karl Johans')}&reference=${ref}`)).toEqual([a.number]);
    const page = await stack.api('GET', `/v1/quotes?q=${ref}&limit=1`, { token: ola });
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(page.body.items[0]).toMatchObject({ customerReference: expect.stringContaining(ref), lineCount: 1 });
    const bad = await stack.api('GET', '/v1/quotes?status=Nope&limit=0', { token: ola });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.limit', 'query.status']);
  });

  it('A-6: quotes carry search attributes ops can filter on in the Temporal UI', async () => {
    const quote = await createQuote([eth(10, Z1a, Z1b)]);
    await submit(quote.number);
    const found = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of stack.client.workflow.list({ query: `CaseReference = '${quote.number}' AND CaseType = 'quote' AND CaseStatus = 'Completed' AND CompanyId = 'nordnett'` }))
          ids.push(wf.workflowId);
        return ids.length > 0 ? ids : undefined;
      },
      10_000,
      'visibility of the search attributes',
    );
    expect(found).toEqual([`quote:${quote.number}`]);
  });

  it('A-2: the handler queue holds Received and Customer Update lines, oldest first, and In Process on request', async () => {
    const quote = await createQuote([eth(34, Z1a, Z2a), eth(155, Z1a, Z2a), { productCode: 'TELELOSJI', attachmentFlag: true, attachmentIds: [formId] }]);
    await submit(quote.number, [1, 2, 3]);
    await handle(quote.number, 2, 'take');
    const waiting = async (query = '') =>
      (await stack.api('GET', `/v1/handler/quote-lines?limit=100${query}`, { token: handler })).body.items
        .filter((i: { number: string }) => i.number === quote.number)
        .map((i: { lineNo: number; status: string }) => `${i.lineNo}:${i.status}`);
    expect(await waiting()).toEqual(['1:Received', '3:Received']);
    expect(await waiting('&status=In Process')).toEqual(['2:In Process']);
    const q3 = (await stack.api('GET', '/v1/handler/quote-lines?limit=100', { token: handler })).body.items.find(
      (i: { number: string; lineNo: number }) => i.number === quote.number && i.lineNo === 3,
    );
    expect(q3).toMatchObject({ productCode: 'TELELOSJI', attachmentCount: 1, reason: expect.stringContaining('Telelosji') });
    // keyset pages walk the queue one line at a time in the same order (the queue's own rows, migration 029)
    const all = (await stack.api('GET', '/v1/handler/quote-lines?limit=100', { token: handler })).body.items.map((i: { number: string; lineNo: number }) => `${i.number}:${i.lineNo}`);
    const walked: string[] = [];
    for (let after: string | null = null, pages = 0; pages <= all.length; pages++) {
      const page: { items: Array<{ number: string; lineNo: number }>; nextCursor: string | null } = (
        await stack.api('GET', `/v1/handler/quote-lines?limit=1${after ? `&after=${encodeURIComponent(after)}` : ''}`, { token: handler })
      ).body;
      walked.push(...page.items.map((i) => `${i.number}:${i.lineNo}`));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(walked).toEqual(all);
    await handle(quote.number, 1, 'cancel', { comment: 'Outside our coverage' });
    await handle(quote.number, 3, 'take');
    await handle(quote.number, 3, 'complete', { monthlyRentOre: 150_000, establishmentOre: 900_000 });
    expect(await waiting()).toEqual([]);
    await handle(quote.number, 2, 'complete', { monthlyRentOre: 700_000, establishmentOre: 1_000_000 });
    const row = await stack.sql<{ queue: string | null }[]>`SELECT queue FROM cases WHERE number = ${quote.number}`;
    expect(row[0]!.queue).toBeNull();
    // out of the queue, its lines are no longer rows of the queue's table either
    expect(await stack.sql`SELECT line_no FROM quote_line_queue WHERE number = ${quote.number}`).toEqual([]);
  });
});

describe('X-1 / X-6 unavailable: a submit changes nothing', () => {
  it('the price list being down answers 503 and leaves the lines New; a retry later prices them', async () => {
    const quote = await createQuote([eth(10, Z1a, Z1b)]);
    stack.sims.prices.faults.set({ errorRate: 1 });
    try {
      const res = await submit(quote.number);
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.body.code).toBe('upstream_unavailable');
      expect(lineOf((await get(quote.number)).body, 1).status).toBe('New');
    } finally {
      stack.sims.prices.faults.reset();
    }
    expect(lineOf((await submit(quote.number)).body, 1).status).toBe('Completed');
  });

  it('Q-8: while a submit waits for the price list, a racing cancel is refused by the workflow (409) and leaves no event', async () => {
    const quote = await createQuote([eth(10, Z1a, Z1b)]);
    stack.sims.prices.faults.set({ latencyMs: [1500, 1500] });
    try {
      const pending = submit(quote.number);
      await new Promise((r) => setTimeout(r, 500));
      // the read model still shows the line New, so only the workflow's validator can refuse this
      const racing = await post(`/v1/quotes/${quote.number}/lines/1/cancel`);
      expect(racing.status, JSON.stringify(racing.body)).toBe(409);
      expect(racing.body).toMatchObject({ code: 'action_not_allowed', rule: 'Q-8' });
      const done = await pending;
      expect(lineOf(done.body, 1)).toMatchObject({ status: 'Completed' });
      expect(done.body.activity.map((e: { action: string }) => e.action)).toEqual(['create', 'submit']);
    } finally {
      stack.sims.prices.faults.reset();
    }
  });

  it('Idempotency-Key: a repeated create returns the first quote', async () => {
    const key = `quote-${Date.now()}`;
    const send = () => stack.api('POST', '/v1/quotes', { token: ola, json: { lines: [eth(10, Z1a, Z1b)] }, headers: { 'Idempotency-Key': key } });
    const first = await send();
    const second = await send();
    expect(second.status).toBe(201);
    expect(second.headers.get('Idempotency-Replayed')).toBe('true');
    expect(second.body.number).toBe(first.body.number);
  });
});
