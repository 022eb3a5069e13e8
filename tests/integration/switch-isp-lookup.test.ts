// The I-3 look-up as a door to other operators' customers (issue 12.3): what the address path shows,
// refusals of a number that name no product, an audit row per look-up and a per-user rate limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESSES } from '../../adapters/address-register';
import { NRDB_EXAMPLES } from '../../adapters/nrdb';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import { seedPortfolioRows } from '../../db/portfolio-seed';
import { SWITCH_LOOKUP_LIMIT } from '../../api/routes/switch-isp-lookup';
import { daysAhead } from '../support/portfolio';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let ingrid: string;
let ola: string;
let kari: string;
beforeAll(async () => {
  stack = await startStack();
  ingrid = await stack.login('ingrid.nordnett');
  ola = await stack.login('ola.nordnett');
  kari = await stack.login('kari.nordnett');
});
afterAll(async () => {
  await stack?.stop();
});

const seed = seedPortfolioRows();
const fjordtelSwitchable = seed.filter((r) => r.companyId === 'fjordtel' && ['adsl', 'operator_access'].includes(PRODUCT_CATALOG.get(r.productCode)!.family));

/** Every catalogue product named in a text, except the ones the caller named itself. */
function productsNamedIn(text: string, except: string[] = []): string[] {
  return [...PRODUCT_CATALOG.values()].filter((p) => !except.includes(p.code) && (text.includes(p.code) || text.includes(p.name))).map((p) => p.code);
}

async function lookupAudit(username: string) {
  return stack.sql<{ action: string; outcome: string; status_code: number; company_id: string | null; detail: { lookup: Record<string, string>; results?: number } }[]>`
    SELECT action, outcome, status_code, company_id, detail FROM audit_log WHERE username = ${username} AND action = 'switch_isp.lookup' ORDER BY id`;
}

describe("I-3 by address: a competitor's customers are not listed", () => {
  it('I-3: 380 look-ups by address in a burst: 30 answered, the rest 429 with Retry-After; no Fjordtel number, product or end user in any answer; one audit row each', async () => {
    expect(fjordtelSwitchable.length).toBeGreaterThan(5);
    // Fjordtel's addresses first, so they fall in the answered burst
    const fjordtelAddresses = [...new Set(fjordtelSwitchable.map((r) => r.addressId))];
    const order = [...fjordtelAddresses, ...ADDRESSES.map((a) => a.id).filter((id) => !fjordtelAddresses.includes(id))];
    const ids = Array.from({ length: 380 }, (_, i) => order[i % order.length]!);
    const started = Date.now();
    const answers = [];
    answers.push(...(await Promise.all(fjordtelAddresses.map((id) => stack.api('GET', `/v1/switch-isp/lookup?addressId=${id}`, { token: ingrid })))));
    for (let i = fjordtelAddresses.length; i < ids.length; i += 20) {
      answers.push(...(await Promise.all(ids.slice(i, i + 20).map((id) => stack.api('GET', `/v1/switch-isp/lookup?addressId=${id}`, { token: ingrid })))));
    }
    const seconds = (Date.now() - started) / 1000;
    const served = answers.filter((a) => a.status !== 429);
    const throttled = answers.filter((a) => a.status === 429);
    expect(served.every((a) => a.status === 200 || a.status === 422)).toBe(true);
    // the burst, plus what refilled while the burst ran
    expect(served.length).toBeGreaterThanOrEqual(SWITCH_LOOKUP_LIMIT.capacity);
    expect(served.length).toBeLessThanOrEqual(SWITCH_LOOKUP_LIMIT.capacity + Math.ceil(seconds * SWITCH_LOOKUP_LIMIT.refillPerSecond) + 1);
    expect(throttled.length).toBe(380 - served.length);
    for (const t of throttled) {
      expect(t.headers.get('content-type')).toContain('application/problem+json');
      expect(t.body).toMatchObject({ status: 429, code: 'too_many_lookups' });
      expect(Number(t.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    const everything = JSON.stringify(answers.map((a) => a.body));
    for (const line of fjordtelSwitchable) {
      expect(everything).not.toContain(line.number);
      expect(everything).not.toContain(line.endUser.name);
    }
    for (const a of served.filter((x) => x.status === 200)) {
      for (const item of a.body.items) {
        expect(Object.keys(item).sort()).toEqual(['accessType', 'address', 'earliestDate', 'leadDays', 'losingOperator', 'subscriptionRef', 'targets']);
        expect(item.accessType).toBe('full');
      }
    }
    // who looked up what, every one of them (throttled ones too)
    const audit = await lookupAudit('ingrid.nordnett');
    expect(audit).toHaveLength(380);
    expect(audit.map((r) => r.detail.lookup.addressId).sort()).toEqual([...ids].sort());
    expect(audit.filter((r) => r.status_code === 429)).toHaveLength(throttled.length);
    expect(audit.every((r) => r.company_id === 'nordnett' && (r.status_code === 429 ? r.outcome === 'refused' : true))).toBe(true);
    expect(audit.filter((r) => r.status_code === 200).every((r) => typeof r.detail.results === 'number')).toBe(true);

    // the bucket refills: a token is back after the longest Retry-After (answers of one batch overlap)
    const wait = Math.max(...throttled.map((t) => Number(t.headers.get('retry-after'))));
    await new Promise((r) => setTimeout(r, wait * 1000 + 200));
    expect((await stack.api('GET', `/v1/switch-isp/lookup?addressId=${ids[0]}`, { token: ingrid })).status).not.toBe(429);
    // a registration looks the number up too: the same bucket
    const drained = await Promise.all(
      Array.from({ length: 5 }, () =>
        stack.api('POST', '/v1/switch-isp', {
          token: ingrid,
          json: { number: '22604412', productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: NRDB_EXAMPLES.valid.reference },
        }),
      ),
    );
    expect(drained.some((r) => r.status === 429)).toBe(true);
  });
});

describe('I-3 by number: a refusal names no product', () => {
  it('I-3: a number without broadband answers as a number nobody has, naming no product', async () => {
    const pstn = seed.find((r) => r.companyId === null && r.productCode === 'PSTN')!;
    const a = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${pstn.number}`, { token: ola });
    const b = await stack.api('GET', '/v1/switch-isp/lookup?phoneNumber=99999998', { token: ola });
    expect(a.status).toBe(422);
    expect(a.body.code).toBe('new_order_required');
    expect(productsNamedIn(a.body.detail)).toEqual([]);
    expect(a.body.detail.replace(pstn.number, 'N')).toBe(b.body.detail.replace('99999998', 'N'));
    const create = await stack.api('POST', '/v1/switch-isp', {
      token: ola,
      json: { number: pstn.number, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: NRDB_EXAMPLES.valid.reference },
    });
    expect(create.status).toBe(400);
    expect(productsNamedIn(JSON.stringify(create.body), ['JARA-ADSL-DELT'])).toEqual([]);
  });

  it('I-1 / I-2 / own portfolio: refusals name only the product the caller asked for', async () => {
    // SHDSL is switched (slide 65: "21 dager på Jara SHDSL"): found like ADSL, with its 21 days
    const shdsl = seed.find((r) => r.companyId === null && PRODUCT_CATALOG.get(r.productCode)!.family === 'shdsl' && r.numberKind === 'phone')!;
    const res = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${shdsl.number}`, { token: ola });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items[0]).toMatchObject({ productCode: 'JARA-SHDSL', leadDays: 21 });
    const own = seed.find((r) => r.companyId === 'nordnett' && r.productCode === 'JARA-ADSL-DELT')!;
    const mine = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${own.number}`, { token: ola });
    expect(mine.body.code).toBe('already_in_portfolio');
    expect(productsNamedIn(mine.body.detail)).toEqual([]);
    // Online ADSL (shared) → a full-access product: the access types, not the end user's product
    const i2 = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${NRDB_EXAMPLES.valid.phoneNumber}&productCode=OPA-FULL`, { token: ola });
    expect(i2.body.code).toBe('access_type_change');
    expect(i2.body.detail).toContain('shared access');
    expect(productsNamedIn(i2.body.detail, ['OPA-FULL'])).toEqual([]);
    // I-6 at registration: the target only
    const tech = await stack.api('POST', '/v1/switch-isp', {
      token: ola,
      json: { number: NRDB_EXAMPLES.valid.phoneNumber, productCode: 'OPA-DELT', requestedDate: daysAhead(20), authorisationReference: NRDB_EXAMPLES.valid.reference },
    });
    expect(tech.status).toBe(400);
    expect(tech.body.errors).toEqual([expect.objectContaining({ field: 'body.technician', rule: 'I-6' })]);
    expect(productsNamedIn(JSON.stringify(tech.body), ['OPA-DELT'])).toEqual([]);
  });

  it('A-4: a refused look-up (no ordering access) leaves its audit row as well', async () => {
    const res = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${NRDB_EXAMPLES.valid.phoneNumber}`, { token: kari });
    expect(res.status).toBe(403);
    const audit = await lookupAudit('kari.nordnett');
    expect(audit).toEqual([expect.objectContaining({ outcome: 'refused', status_code: 403, detail: expect.objectContaining({ lookup: { phoneNumber: NRDB_EXAMPLES.valid.phoneNumber } }) })]);
  });
});

describe('the look-up in the OpenAPI document', () => {
  it('I-3: both answer shapes and the 429 are documented', async () => {
    const doc = await stack.api('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.components.schemas.SwitchAddressCandidate.properties.subscriptionRef).toBeDefined();
    expect(doc.body.components.schemas.SwitchAddressCandidate.properties.number).toBeUndefined();
    expect(Object.keys(doc.body.paths['/v1/switch-isp/lookup'].get.responses)).toContain('429');
  });
});
