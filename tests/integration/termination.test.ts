// Terminations through the API (rules T-1…T-3, O-14): submitted as orders (registered in the order
// system at once, Customer Order Id), carried out at the date by a durable timer (short here;
// production 00:00 Oslo on the date, pinned in tests/unit/termination.test.ts), moved or withdrawn before it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPortfolioRows } from '../../db/portfolio-seed';
import { daysAhead } from '../support/portfolio';
import { historyLength } from '../support/service-requests';
import { eventually, type Stack, startStack } from '../support/stack';

const TIMER_MS = 2_500;

let stack: Stack;
let ola: string;
let nils: string;
let kari: string;
beforeAll(async () => {
  stack = await startStack({ timings: { terminationExecution: { ms: TIMER_MS } } });
  ola = await stack.login('ola.nordnett');
  nils = await stack.login('nils.fjordtel');
  kari = await stack.login('kari.nordnett');
});
afterAll(async () => {
  await stack?.stop();
});

const seed = seedPortfolioRows();
// adr-0247 is kept for the whole-subscription test
const nordnettPstn = seed.filter((r) => r.companyId === 'nordnett' && r.productCode === 'PSTN' && r.addressId !== 'adr-0247');
const nordnettEth = seed.find((r) => r.companyId === 'nordnett' && r.productCode === 'SAMB-ETH')!;

function terminate(token: string, body: Record<string, unknown>) {
  return stack.api('POST', '/v1/terminations', { token, json: body });
}

async function settled(number: string) {
  return eventually(
    async () => {
      const r = await stack.api('GET', `/v1/terminations/${number}`, { token: ola });
      return ['Finished', 'Rejected'].includes(r.body.status) ? r.body : undefined;
    },
    20_000,
    `termination ${number} carried out`,
  );
}

describe('T-2: carried out at the date', () => {
  it('T-2: disconnected at the date; the portfolio entry ends exactly on it', async () => {
    const p = nordnettPstn[0]!;
    const date = daysAhead(45);
    const res = await terminate(ola, { number: p.number, requestedDate: date, reason: 'End user moves abroad' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // O-14: confirmed by the order system at submit with a Customer Order Id
    expect(res.body).toMatchObject({ status: 'Registered', requestedDate: date, agreedDate: date, noticeDays: 30, scope: 'product', allowedActions: ['changeDate', 'withdraw'] });
    expect(res.body.customerOrderId).toMatch(/^1-[0-9A-Z]{6}$/);
    expect(res.body.number).toMatch(/^TRM-\d{6,}$/);
    expect(res.body.caseId).toBe(`termination:${res.body.number}`);
    // registered, not yet carried out: the product is still active
    expect((await stack.api('GET', `/v1/portfolio/${p.number}`, { token: ola })).body.entry.endDate).toBeNull();

    const done = await settled(res.body.number);
    expect(done.status, JSON.stringify(done.activity)).toBe('Finished');
    expect(done.disconnectionIds).toHaveLength(1);
    const product = await stack.api('GET', `/v1/portfolio/${p.number}`, { token: ola });
    expect(product.body.entry).toMatchObject({ endDate: date, status: 'ended', endedByCaseId: res.body.caseId });
    expect(product.body.actions).toEqual([]);
    expect(product.body.cases.map((c: { number: string }) => c.number)).toContain(res.body.number);
    // an ended product is not in the active list any more
    const active = await stack.api('GET', `/v1/portfolio?number=${p.number}`, { token: ola });
    expect(active.body.total).toBe(0);
    // nothing more to do on it
    const move = await stack.api('POST', `/v1/terminations/${res.body.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(60) } });
    expect(move.status).toBe(409);
    expect(move.body).toMatchObject({ currentStatus: 'Finished', allowedActions: [] });
  });

  it('T-2: a moved date moves the timer and the end date', async () => {
    const p = nordnettPstn[1]!;
    const res = await terminate(ola, { number: p.number, requestedDate: daysAhead(40) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await new Promise((r) => setTimeout(r, TIMER_MS / 2));
    const passed = await stack.api('POST', `/v1/terminations/${res.body.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(-1) } });
    expect(passed.status).toBe(400);
    expect(passed.body.errors[0]).toMatchObject({ field: 'body.requestedDate', rule: 'T-2', message: expect.stringContaining('has passed') });
    const moved = await stack.api('POST', `/v1/terminations/${res.body.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(50) } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.requestedDate).toBe(daysAhead(50));
    const changedAt = Date.parse(moved.body.activity.at(-1).at);

    const done = await settled(res.body.number);
    expect(done.status).toBe('Finished');
    const executedAt = Date.parse(done.activity.find((a: { action: string }) => a.action === 'execute').at);
    expect(executedAt - changedAt).toBeGreaterThanOrEqual(TIMER_MS - 50);
    const product = await stack.api('GET', `/v1/portfolio/${p.number}`, { token: ola });
    expect(product.body.entry.endDate).toBe(daysAhead(50));
  });

  it('T-2: a withdrawn termination never disconnects; withdrawing twice is refused without a trace', async () => {
    const p = nordnettPstn[2]!;
    const res = await terminate(ola, { number: p.number, requestedDate: daysAhead(35) });
    expect(res.status).toBe(201);
    const withdrawn = await stack.api('POST', `/v1/terminations/${res.body.number}/withdraw`, { token: ola, json: { comment: 'The end user stays' } });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    // the customer's own withdrawal: Cancelled, not "by the wholesaler" (no e-mail to every contact, O-18)
    expect(withdrawn.body).toMatchObject({ status: 'Cancelled', resolution: 'The end user stays', allowedActions: [] });
    await new Promise((r) => setTimeout(r, TIMER_MS + 1000));
    const product = await stack.api('GET', `/v1/portfolio/${p.number}`, { token: ola });
    expect(product.body.entry).toMatchObject({ endDate: null, status: 'active' });
    expect((await stack.api('GET', `/v1/terminations/${res.body.number}`, { token: ola })).body.status).toBe('Cancelled');
    const events = await historyLength(stack, res.body.caseId);
    const again = await stack.api('POST', `/v1/terminations/${res.body.number}/withdraw`, { token: ola });
    expect(again.status).toBe(409);
    expect(again.body.currentStatus).toBe('Cancelled');
    expect(await historyLength(stack, res.body.caseId)).toBe(events);
    // the product can be terminated again later
    const later = await terminate(ola, { number: p.number, requestedDate: daysAhead(90) });
    expect(later.status).toBe(201);
  });

  it('T-1: the whole subscription ends every product of the end user at the address', async () => {
    const silje = seed.filter((r) => r.companyId === 'nordnett' && r.addressId === 'adr-0247');
    expect(silje.length).toBe(2);
    const res = await terminate(ola, { number: silje[0]!.number, requestedDate: daysAhead(31), scope: 'subscription' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.products.map((p: { number: string }) => p.number).sort()).toEqual(silje.map((r) => r.number).sort());
    const done = await settled(res.body.number);
    expect(done.status).toBe('Finished');
    expect(done.disconnectionIds).toHaveLength(2);
    for (const r of silje) {
      const product = await stack.api('GET', `/v1/portfolio/${r.number}`, { token: ola });
      expect(product.body.entry.endDate).toBe(daysAhead(31));
    }
  });
});

// T-3, deck slide 70: "OBS: Abonnementets varighet etter at det er sagt opp kan variere noe avhengig av det
// produktet oppsigelsen gjelder." — how long the subscription lasts after termination varies by product.
// It is the product's run-out, not a minimum notice: slide 70 asks for "kundens ønskede dato for oppsigelse"
// and slide 68 that "nedkobling av abonnementet skjer til ønsket dato". An earlier date is not refused.
describe('T-3: how long the subscription lasts after termination varies by product', () => {
  it('T-3: PSTN lasts 30 days after termination: a date 5 days ahead is accepted, the subscription lasts until the run-out', async () => {
    const p = nordnettPstn[3]!;
    const res = await terminate(ola, { number: p.number, requestedDate: daysAhead(5) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'Registered', requestedDate: daysAhead(5), runOutDays: 30, lastsUntil: daysAhead(30) });
    expect(res.body.products).toEqual([expect.objectContaining({ number: p.number, runOutDays: 30, lastsUntil: daysAhead(30) })]);
    const earliest = await stack.api('GET', `/v1/terminations/earliest-date?number=${p.number}`, { token: ola });
    expect(earliest.body).toMatchObject({ noticeDays: 30, earliestDate: daysAhead(0), lastsUntil: daysAhead(30) });
  });

  it('T-3: a capacity circuit lasts 90 days; a later requested date is the end itself', async () => {
    const res = await terminate(ola, { number: nordnettEth.number, requestedDate: daysAhead(60) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ runOutDays: 90, lastsUntil: daysAhead(90) });
    const past = await terminate(ola, { number: nordnettPstn[6]!.number, requestedDate: daysAhead(-1) });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([expect.objectContaining({ field: 'body.requestedDate', rule: 'T-2' })]);
  });
});

describe('A-1 / A-3: tenancy and access', () => {
  it('A-1: another company cannot terminate or see the product or the termination', async () => {
    const p = nordnettPstn[4]!;
    const foreign = await terminate(nils, { number: p.number, requestedDate: daysAhead(40) });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0]).toMatchObject({ field: 'body.number', code: 'reference_not_found' });
    const own = await terminate(ola, { number: p.number, requestedDate: daysAhead(40) });
    expect(own.status).toBe(201);
    expect((await stack.api('GET', `/v1/terminations/${own.body.number}`, { token: nils })).status).toBe(404);
    expect((await stack.api('POST', `/v1/terminations/${own.body.number}/withdraw`, { token: nils })).status).toBe(404);
    // an open termination blocks a second one for the same product
    const dup = await terminate(ola, { number: p.number, requestedDate: daysAhead(50) });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'duplicate_termination', existing: own.body.number });
  });

  it('A-3: a read-only user can look but not terminate', async () => {
    const p = nordnettPstn[5]!;
    expect((await terminate(kari, { number: p.number, requestedDate: daysAhead(40) })).status).toBe(403);
    expect((await stack.api('GET', `/v1/portfolio/${p.number}`, { token: kari })).status).toBe(200);
  });
});
