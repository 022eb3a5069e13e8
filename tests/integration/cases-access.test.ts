// Who reads which case data (issue 12.4, A-1, A-2, A-6): ops get none through the API (they inspect
// histories in the Temporal Web UI), handlers read every company's, resellers their own; another
// company's attachment answers exactly like a missing one. And the case lock: of concurrent identical
// withdrawals exactly one wins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPortfolioRows } from '../../db/portfolio-seed';
import { daysAhead, switchables } from '../support/portfolio';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let ola: string;
let nils: string;
let hanne: string;
let ops: string;
let switchNo: string;
let terminationNo: string;
let attachmentId: string;
const seed = seedPortfolioRows();
const nordnettPstn = seed.filter((r) => r.companyId === 'nordnett' && r.productCode === 'PSTN');
const fjordtelProduct = seed.find((r) => r.companyId === 'fjordtel')!;

beforeAll(async () => {
  stack = await startStack();
  ola = await stack.login('ola.nordnett');
  nils = await stack.login('nils.fjordtel');
  hanne = await stack.login('hanne.handler');
  ops = await stack.login('olav.ops');
  const s = switchables('JARA-ADSL-DELT')[0]!;
  const sw = await stack.api('POST', '/v1/switch-isp', {
    token: ola,
    json: { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference },
  });
  expect(sw.status, JSON.stringify(sw.body)).toBe(201);
  switchNo = sw.body.number;
  const trm = await stack.api('POST', '/v1/terminations', { token: ola, json: { number: nordnettPstn[0]!.number, requestedDate: daysAhead(45) } });
  expect(trm.status, JSON.stringify(trm.body)).toBe(201);
  terminationNo = trm.body.number;
  const up = await stack.api('POST', '/v1/attachments', { token: ola, json: { filename: 'plan.txt', contentType: 'text/plain', contentBase64: Buffer.from('floor plan').toString('base64') } });
  expect(up.status).toBe(201);
  attachmentId = up.body.id;
});
afterAll(async () => {
  await stack?.stop();
});

/** Every route of this side that reads case data (switches, terminations, portfolio, audit, attachments). */
const caseReads = () =>
  [
    ['GET', '/v1/switch-isp'],
    ['GET', `/v1/switch-isp/${switchNo}`],
    ['GET', `/v1/switch-isp/lookup?phoneNumber=${switchables('JARA-ADSL-DELT')[1]!.phoneNumber}`],
    ['GET', '/v1/terminations'],
    ['GET', `/v1/terminations/${terminationNo}`],
    ['GET', `/v1/terminations/earliest-date?number=${nordnettPstn[1]!.number}`],
    ['GET', '/v1/portfolio'],
    ['GET', `/v1/portfolio/${nordnettPstn[1]!.number}`],
    ['GET', `/v1/cases/${switchNo}/audit`],
    ['GET', `/v1/cases/${terminationNo}/audit`],
    ['GET', `/v1/attachments/${attachmentId}`],
  ] as const;

describe('A-6: ops read no case data through the API', () => {
  it('A-6: 403 on every case-reading route of switches, terminations, portfolio, audit and attachments', async () => {
    for (const [method, path] of caseReads()) {
      const res = await stack.api(method, path, { token: ops });
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain(nordnettPstn[1]!.endUser.name);
    }
    // acting is refused as well, before anything about the case is told
    for (const [path, json] of [
      [`/v1/switch-isp/${switchNo}/change-date`, { requestedDate: daysAhead(40) }],
      [`/v1/terminations/${terminationNo}/withdraw`, {}],
      [`/v1/handler/switch-isp/${switchNo}/cancel`, { serviceRequest: 'SR-000001', reason: 'x' }],
    ] as const) {
      expect((await stack.api('POST', path, { token: ops, json })).status, path).toBe(403);
    }
  });

  it("A-2: handlers still read every company's cases, products and attachments", async () => {
    const lists = await stack.api('GET', '/v1/switch-isp', { token: hanne });
    expect(lists.body.items.map((i: { number: string }) => i.number)).toContain(switchNo);
    expect((await stack.api('GET', `/v1/switch-isp/${switchNo}`, { token: hanne })).status).toBe(200);
    expect((await stack.api('GET', `/v1/terminations/${terminationNo}`, { token: hanne })).status).toBe(200);
    expect((await stack.api('GET', `/v1/terminations?companyId=nordnett`, { token: hanne })).body.items.map((i: { number: string }) => i.number)).toContain(terminationNo);
    const portfolio = await stack.api('GET', '/v1/portfolio?limit=100', { token: hanne });
    expect(new Set(portfolio.body.items.map((i: { companyId: string }) => i.companyId))).toEqual(new Set(['nordnett', 'fjordtel']));
    expect((await stack.api('GET', `/v1/portfolio/${fjordtelProduct.number}`, { token: hanne })).status).toBe(200);
    expect((await stack.api('GET', `/v1/cases/${switchNo}/audit`, { token: hanne })).status).toBe(200);
    const file = await stack.api('GET', `/v1/attachments/${attachmentId}`, { token: hanne });
    expect(file.status).toBe(200);
  });

  it("A-1: another company's cases, audit and attachments answer exactly as missing ones", async () => {
    const problem = (r: { status: number; body: Record<string, unknown> }) => ({ status: r.status, code: r.body.code, title: r.body.title });
    expect(problem(await stack.api('GET', `/v1/switch-isp/${switchNo}`, { token: nils }))).toEqual(problem(await stack.api('GET', '/v1/switch-isp/SW-999999999', { token: nils })));
    expect((await stack.api('GET', `/v1/terminations/${terminationNo}`, { token: nils })).status).toBe(404);
    expect((await stack.api('GET', `/v1/cases/${switchNo}/audit`, { token: nils })).status).toBe(404);
    const foreign = await stack.api('GET', `/v1/attachments/${attachmentId}`, { token: nils });
    const missing = await stack.api('GET', '/v1/attachments/00000000-0000-4000-8000-000000000000', { token: nils });
    expect(foreign.status).toBe(404);
    expect({ ...foreign.body, instance: undefined, requestId: undefined }).toEqual({ ...missing.body, instance: undefined, requestId: undefined });
    expect((await stack.api('GET', `/v1/attachments/${attachmentId}`, { token: ola })).status).toBe(200);
  });
});

describe('the case lock: one winner of identical concurrent actions', () => {
  it('T-2: of 10 concurrent withdrawals exactly one is applied, nine are refused (409)', async () => {
    const trm = await stack.api('POST', '/v1/terminations', { token: ola, json: { number: nordnettPstn[2]!.number, requestedDate: daysAhead(45) } });
    expect(trm.status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 10 }, () => stack.api('POST', `/v1/terminations/${trm.body.number}/withdraw`, { token: ola, json: {} })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const read = await stack.api('GET', `/v1/terminations/${trm.body.number}`, { token: ola });
    // a termination order withdrawn by the customer is Cancelled (not by the wholesaler: no letter A)
    expect(read.body.status).toBe('Cancelled');
    expect(read.body.activity.filter((a: { action: string }) => a.action === 'withdraw')).toHaveLength(1);
  });
});
