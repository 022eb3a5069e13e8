// The product portfolio through the API (M-1): list, search, open one product; tenancy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NRDB_EXAMPLES } from '../../adapters/nrdb';
import { seedPortfolioRows } from '../../db/portfolio-seed';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let ola: string;
let kari: string;
let nils: string;
let hanne: string;
beforeAll(async () => {
  stack = await startStack();
  ola = await stack.login('ola.nordnett');
  kari = await stack.login('kari.nordnett');
  nils = await stack.login('nils.fjordtel');
  hanne = await stack.login('hanne.handler');
});
afterAll(async () => {
  await stack?.stop();
});

const seed = seedPortfolioRows();
const nordnett = seed.filter((r) => r.companyId === 'nordnett');
const fjordtel = seed.filter((r) => r.companyId === 'fjordtel');

describe('M-1: list and search the portfolio', () => {
  it("M-1: a reseller lists exactly its company's delivered products (read access is enough)", async () => {
    const res = await stack.api('GET', '/v1/portfolio?limit=100', { token: kari });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toBe(nordnett.length);
    expect(res.body.items.map((i: { number: string }) => i.number).sort()).toEqual(nordnett.map((r) => r.number).sort());
    expect(res.body.items.every((i: { companyId: string; status: string }) => i.companyId === 'nordnett' && i.status === 'active')).toBe(true);
  });

  it('M-1: search by number, address, product and end user', async () => {
    const p = nordnett[0]!;
    const byNumber = await stack.api('GET', `/v1/portfolio?number=${encodeURIComponent(p.number)}`, { token: ola });
    expect(byNumber.body.items).toEqual([expect.objectContaining({ number: p.number, endUser: p.endUser, address: { id: p.addressId, label: p.addressLabel }, startDate: p.startDate })]);
    const street = p.addressLabel.split(' ')[0]!;
    const byAddress = await stack.api('GET', `/v1/portfolio?q=${encodeURIComponent(street)}`, { token: ola });
    expect(byAddress.body.items.map((i: { number: string }) => i.number)).toContain(p.number);
    expect(
      byAddress.body.items.every((i: { address: { label: string }; productName: string; endUser: { name: string }; number: string }) =>
        `${i.number} ${i.address.label} ${i.productName} ${i.endUser.name}`.toLowerCase().includes(street.toLowerCase()),
      ),
    ).toBe(true);
    const byProduct = await stack.api('GET', '/v1/portfolio?productCode=PSTN&limit=100', { token: ola });
    expect(byProduct.body.total).toBe(nordnett.filter((r) => r.productCode === 'PSTN').length);
    const name = p.endUser.name.split(' ')[0]!;
    const byEndUser = await stack.api('GET', `/v1/portfolio?endUser=${encodeURIComponent(name)}&limit=100`, { token: ola });
    expect(byEndUser.body.total).toBe(nordnett.filter((r) => r.endUser.name.toLowerCase().includes(name.toLowerCase())).length);
    const page = await stack.api('GET', '/v1/portfolio?limit=5&offset=5', { token: ola });
    expect(page.body).toMatchObject({ total: nordnett.length, offset: 5, limit: 5 });
    expect(page.body.items).toHaveLength(5);
  });

  it('M-1: open one product with the cases that concern it', async () => {
    const p = nordnett.find((r) => r.productCode === 'PSTN')!;
    const sr = await stack.api('POST', '/v1/service-requests', {
      token: ola,
      json: { area: 'Delivery', subArea: 'Telephony', reference: { kind: 'phone_number', value: p.number }, description: 'Noise on the line since Monday' },
    });
    expect(sr.status).toBe(201);
    const res = await stack.api('GET', `/v1/portfolio/${p.number}`, { token: ola });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      entry: { number: p.number, productCode: 'PSTN', companyId: 'nordnett', operator: 'Nordnett AS', status: 'active' },
      history: [],
      noticeDays: 30,
      switchable: false,
      actions: ['terminate', 'serviceRequest'],
    });
    expect(res.body.cases).toEqual([expect.objectContaining({ number: sr.body.number, caseType: 'service_request' })]);
    const reader = await stack.api('GET', `/v1/portfolio/${p.number}`, { token: kari });
    expect(reader.body.actions).toEqual([]);
  });
});

describe('A-1: a company sees only its own portfolio', () => {
  it("A-1: another company's and other operators' products are not found", async () => {
    const theirs = fjordtel[0]!;
    expect((await stack.api('GET', `/v1/portfolio/${theirs.number}`, { token: ola })).status).toBe(404);
    expect((await stack.api('GET', `/v1/portfolio/${NRDB_EXAMPLES.valid.phoneNumber}`, { token: ola })).status).toBe(404);
    const search = await stack.api('GET', `/v1/portfolio?number=${theirs.number}`, { token: ola });
    expect(search.body.total).toBe(0);
    // a reseller cannot widen the scope with companyId
    const widened = await stack.api('GET', '/v1/portfolio?companyId=fjordtel&limit=100', { token: ola });
    expect(widened.body.total).toBe(nordnett.length);
    const fjord = await stack.api('GET', '/v1/portfolio?limit=100', { token: nils });
    expect(fjord.body.total).toBe(fjordtel.length);
  });

  it("A-2: a handler sees any company's portfolio", async () => {
    const res = await stack.api('GET', '/v1/portfolio?companyId=fjordtel&limit=100', { token: hanne });
    expect(res.body.total).toBe(fjordtel.length);
    const one = await stack.api('GET', `/v1/portfolio/${fjordtel[0]!.number}`, { token: hanne });
    expect(one.status).toBe(200);
    expect(one.body.entry.companyId).toBe('fjordtel');
  });
});
