// Switch-ISP carried out at its date (I-1, I-3, I-5): the durable timer runs with a short duration
// here (production: 00:00 Oslo on the requested date, pinned in tests/unit/switch-isp.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NRDB_EXAMPLES } from '../../adapters/nrdb';
import { daysAhead, switchables } from '../support/portfolio';
import { eventually, type Stack, startStack } from '../support/stack';

const TIMER_MS = 2_500;

let stack: Stack;
let ola: string;
let nils: string;
let hanne: string;
beforeAll(async () => {
  stack = await startStack({ timings: { switchIspExecution: { ms: TIMER_MS } } });
  [ola, nils, hanne] = await Promise.all([stack.login('ola.nordnett'), stack.login('nils.fjordtel'), stack.login('hanne.handler')]);
});
afterAll(async () => {
  await stack?.stop();
});

async function completed(number: string) {
  return eventually(
    async () => {
      const r = await stack.api('GET', `/v1/switch-isp/${number}`, { token: ola });
      return r.body.status === 'Finished' || r.body.status === 'Rejected' ? r.body : undefined;
    },
    20_000,
    `switch ${number} carried out`,
  );
}

async function entriesOfLine(lineId: string) {
  return stack.sql<{ company_id: string | null; operator: string; product_code: string; start_date: string; end_date: string | null; ended_by_case_id: string | null; source_case_id: string }[]>`
    SELECT company_id, operator, product_code, start_date::text AS start_date, end_date::text AS end_date, ended_by_case_id, source_case_id
    FROM portfolio_products WHERE line_id = ${lineId} ORDER BY created_at`;
}

describe('I-1 / I-3: the switch is carried out on the date and the portfolio moves', () => {
  it("I-1: Online ADSL → Jara ADSL at the date: the entry moves to the new company, the losing operator's ends", async () => {
    const ex = NRDB_EXAMPLES.valid;
    const date = daysAhead(16);
    const res = await stack.api('POST', '/v1/switch-isp', {
      token: ola,
      json: { number: ex.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: date, authorisationReference: ex.reference, customerReference: 'NN-4711' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // before the timer fires nothing has moved
    expect((await stack.api('GET', `/v1/portfolio/${ex.phoneNumber}`, { token: ola })).status).toBe(404);

    const done = await completed(res.body.number);
    expect(done.status, JSON.stringify(done.activity)).toBe('Finished');
    expect(done.switchId).toMatch(/^SW-\d+$/);
    // O-14 at submit, then carried out on the agreed date (Finished, F)
    expect(done.activity.map((a: { action: string }) => a.action)).toEqual(['submit', 'register', 'execute']);

    const product = await stack.api('GET', `/v1/portfolio/${ex.phoneNumber}`, { token: ola });
    expect(product.status, JSON.stringify(product.body)).toBe(200);
    expect(product.body.entry).toMatchObject({
      companyId: 'nordnett',
      operator: 'Nordnett AS',
      productCode: 'JARA-ADSL-DELT',
      accessType: 'shared',
      startDate: date,
      endDate: null,
      status: 'active',
      sourceCaseId: res.body.caseId,
      endUser: { name: ex.ownerName },
    });
    expect(product.body.cases.map((c: { number: string }) => c.number)).toContain(res.body.number);

    const rows = await entriesOfLine(ex.lineId);
    expect(rows).toEqual([
      expect.objectContaining({ company_id: null, operator: 'Telenor', product_code: 'ONLINE-ADSL', end_date: date, ended_by_case_id: res.body.caseId }),
      expect.objectContaining({ company_id: 'nordnett', operator: 'Nordnett AS', product_code: 'JARA-ADSL-DELT', start_date: date, end_date: null, source_case_id: res.body.caseId }),
    ]);
    // the new holder's product is no longer another operator's to take over
    const look = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${ex.phoneNumber}`, { token: ola });
    expect(look.body.code).toBe('already_in_portfolio');
    const other = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${ex.phoneNumber}`, { token: nils });
    expect(other.body.items[0].losingOperator).toBe('Nordnett AS');
  });

  it('I-5: a date change moves the timer: the switch runs a full period after the change, on the new date', async () => {
    const s = switchables('JARA-ADSL-FULL')[1]!;
    const res = await stack.api('POST', '/v1/switch-isp', {
      token: ola,
      json: { number: s.phoneNumber, productCode: 'JARA-ADSL-FULL', requestedDate: daysAhead(17), authorisationReference: s.auth.reference },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await new Promise((r) => setTimeout(r, TIMER_MS / 2));
    const moved = await stack.api('POST', `/v1/switch-isp/${res.body.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(23) } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const changedAt = Date.parse(moved.body.activity.at(-1).at);

    const done = await completed(res.body.number);
    expect(done.status).toBe('Finished');
    const executedAt = Date.parse(done.activity.find((a: { action: string }) => a.action === 'execute').at);
    expect(executedAt - changedAt).toBeGreaterThanOrEqual(TIMER_MS - 50);
    const rows = await entriesOfLine(s.line.lineId);
    expect(rows.map((r) => [r.company_id, r.start_date === daysAhead(23) || r.end_date === daysAhead(23)])).toEqual([
      [null, true],
      ['nordnett', true],
    ]);
  });

  it('I-3: a switch away from a seed company: the order system knows the line is with it, the switch is carried out', async () => {
    // the subscription is taken first by Nordnett; Fjordtel then takes it from Nordnett (the order
    // system simulator once knew only the operators of lines.json and rejected this as a mismatch)
    const s = switchables('JARA-ADSL-DELT')[5]!;
    const first = await stack.api('POST', '/v1/switch-isp', {
      token: ola,
      json: { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(16), authorisationReference: s.auth.reference },
    });
    expect(first.status).toBe(201);
    expect((await completed(first.body.number)).status).toBe('Finished');
    const second = await stack.api('POST', '/v1/switch-isp', {
      token: nils,
      json: { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(16), authorisationReference: s.auth.reference },
    });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body).toMatchObject({ status: 'Registered', subscription: { losingOperator: 'Nordnett AS' } });
    const done = await eventually(
      async () => {
        const r = await stack.api('GET', `/v1/switch-isp/${second.body.number}`, { token: nils });
        return r.body.status === 'Finished' || r.body.status === 'Rejected' ? r.body : undefined;
      },
      20_000,
      'switch away from Nordnett',
    );
    expect(done.status, JSON.stringify(done.activity)).toBe('Finished');
    const rows = await entriesOfLine(s.line.lineId);
    expect(rows.filter((r) => r.end_date === null)).toEqual([expect.objectContaining({ company_id: 'fjordtel' })]);
  });

  it('O-17 / I-5: an Incomplete switch is not carried out on its date; the customer update lets it run, then the handler closes it (O-15)', async () => {
    const s = switchables('JARA-ADSL-DELT')[10]!;
    const res = await stack.api('POST', '/v1/switch-isp', {
      token: ola,
      json: { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(17), authorisationReference: s.auth.reference },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('Registered');
    const inc = await stack.api('POST', `/v1/handler/switch-isp/${res.body.number}/incomplete`, { token: hanne, json: { comment: 'Confirm the end user' } });
    expect(inc.status, JSON.stringify(inc.body)).toBe(200);
    await new Promise((r) => setTimeout(r, TIMER_MS + 1_500));
    // the date has come, but the order waits for the customer
    expect((await stack.api('GET', `/v1/switch-isp/${res.body.number}`, { token: ola })).body.status).toBe('Incomplete');
    expect((await entriesOfLine(s.line.lineId)).filter((r) => r.end_date === null)).toEqual([expect.objectContaining({ company_id: null })]);
    const upd = await stack.api('POST', `/v1/switch-isp/${res.body.number}/customer-update`, { token: ola, json: { comment: 'Confirmed' } });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    const done = await completed(res.body.number);
    expect(done.status, JSON.stringify(done.activity)).toBe('Finished');
    expect((await entriesOfLine(s.line.lineId)).filter((r) => r.end_date === null)).toEqual([expect.objectContaining({ company_id: 'nordnett' })]);
    const closed = await stack.api('POST', `/v1/handler/switch-isp/${res.body.number}/advance`, { token: hanne, json: { to: 'Closed' } });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.status).toBe('Closed');
  });
});
