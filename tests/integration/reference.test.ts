// The simulated operator systems through the API (X-1… ): what a user sees while registering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_EXAMPLES, KAPAKS_EXAMPLES } from '../../adapters';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('ola.nordnett');
});
afterAll(async () => {
  await stack?.stop();
});

const get = (path: string) => stack.api('GET', path, { token });

describe('address register (X-1)', () => {
  it('Q-3: a partial street name matches: "kirke" finds Kirkeveien and Kirkegata', async () => {
    const res = await get('/v1/reference/addresses?street=kirke');
    expect(res.status).toBe(200);
    const streets = new Set(res.body.items.map((a: { street?: string }) => a.street));
    expect(streets).toContain('Kirkeveien');
    expect(streets).toContain('Kirkegata');
  });

  it('Q-3: street, number and town give the best hit first; not every field is needed', async () => {
    const res = await get('/v1/reference/addresses?street=kirkegata&houseNumber=15&town=oslo');
    expect(res.body.items[0]).toMatchObject({ street: 'Kirkegata', houseNumber: 15, town: 'OSLO' });
    expect((await get('/v1/reference/addresses?town=bergen')).body.items.length).toBeGreaterThan(0);
  });

  it('Q-3: a site without a street address is found by cadastral reference or INSA signature', async () => {
    const cadastral = await get('/v1/reference/addresses?gnr=45&bnr=3&municipalityNo=3434');
    expect(cadastral.body.items.map((a: { id: string }) => a.id)).toContain(ADDRESS_EXAMPLES.cadastralOnly);
    const insa = await get('/v1/reference/addresses?insa=OSLO-INSA-0042');
    expect(insa.body.items[0].insa).toBe('OSLO-INSA-0042');
  });

  it('Q-3: an empty search is refused naming what to give', async () => {
    const res = await get('/v1/reference/addresses');
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ rule: 'Q-3', code: 'missing_property' });
  });
});

describe('Kapaks availability (X-2, O-10, O-11)', () => {
  it('O-10: green, yellow and red answers are deterministic', async () => {
    const g = KAPAKS_EXAMPLES.green;
    const y = KAPAKS_EXAMPLES.yellow;
    const r = KAPAKS_EXAMPLES.red;
    expect((await get(`/v1/reference/availability?productCode=${g.productCode}&phoneNumber=${g.phoneNumber}`)).body.items[0].colour).toBe('green');
    const yellow = (await get(`/v1/reference/availability?productCode=${y.productCode}&phoneNumber=${y.phoneNumber}`)).body.items[0];
    expect(yellow).toMatchObject({ colour: 'yellow', yellowKind: 'system_error' });
    const red = (await get(`/v1/reference/availability?productCode=${r.productCode}&phoneNumber=${r.phoneNumber}`)).body.items[0];
    expect(red.colour).toBe('red');
    expect(red.reason.length).toBeGreaterThan(5);
  });

  it("O-10: an address search can return several lines to pick from, by line id, naming no end user's number; each check is audited", async () => {
    const res = await get(`/v1/reference/availability?productCode=JARA-ADSL-DELT&addressId=${KAPAKS_EXAMPLES.multiLineAddressId}`);
    expect(res.body.items.length).toBeGreaterThanOrEqual(2);
    for (const line of res.body.items) {
      expect(line.lineId).toBeTruthy();
      expect(line).not.toHaveProperty('phoneNumber');
      expect(line).not.toHaveProperty('circuitNumber');
    }
    const [audit] = await stack.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'reference.availability'`;
    expect(audit!.n).toBeGreaterThan(0);
  });

  it('O-10: availability checks are limited per user (429 with Retry-After)', async () => {
    const token = await stack.login('kari.nordnett');
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 90 }, () => stack.api('GET', `/v1/reference/availability?productCode=JARA-ADSL-DELT&addressId=${KAPAKS_EXAMPLES.multiLineAddressId}`, { token })),
    );
    const elapsedSeconds = (Date.now() - started) / 1000;
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    // a full bucket of 60, plus one a second while the burst lasted
    expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(60 + Math.ceil(elapsedSeconds) + 1);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('O-10: exactly one search key is required', async () => {
    const res = await get('/v1/reference/availability?productCode=PSTN&phoneNumber=22604411&addressId=adr-0001');
    expect(res.status).toBe(400);
  });

  it('O-11: a time-out of Kapaks answers 503 problem+json saying to retry; the next call works again', async () => {
    stack.sims.kapaks.faults.set({ timeoutRate: 1, timeoutMs: 50 });
    const g = KAPAKS_EXAMPLES.green;
    const res = await get(`/v1/reference/availability?productCode=${g.productCode}&phoneNumber=${g.phoneNumber}`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body).toMatchObject({ code: 'upstream_timeout' });
    expect(res.body.detail).toMatch(/O-11/);
    stack.sims.kapaks.faults.reset();
    expect((await get(`/v1/reference/availability?productCode=${g.productCode}&phoneNumber=${g.phoneNumber}`)).status).toBe(200);
  });
});

describe('price list and appointments (X-6, X-3)', () => {
  it('X-6: the product catalogue lists price-list and quote-only products', async () => {
    const res = await get('/v1/reference/products');
    const codes = res.body.items.map((p: { code: string }) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['SAMB-ETH', 'TELELOSJI', 'JARA-ADSL-DELT', 'OPA-FULL', 'PSTN', 'ISDN', 'JARA-SHDSL']));
  });

  it('O-12: free technician slots are working days only', async () => {
    const res = await get('/v1/reference/appointment-slots?addressId=adr-0001&from=2026-12-21&to=2027-01-08');
    expect(res.status).toBe(200);
    const dates = res.body.items.map((s: { date: string }) => s.date);
    expect(dates.length).toBeGreaterThan(0);
    for (const d of ['2026-12-25', '2026-12-26', '2027-01-01']) expect(dates).not.toContain(d);
    for (const d of dates) expect([0, 6]).not.toContain(new Date(`${d}T12:00:00Z`).getUTCDay());
  });
});
