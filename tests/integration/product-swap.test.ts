// Product conversion and product swap through the API (slide 64, C-6, I-2, M-1). Slide 64:
// "Produktkonvertering for å endre tilgangstype kan gjøres på følgende måte: Bytt ISP - bestilling
// gjennomføres først. Etter at Bytt ISP bestillingen er ajourført: Legg inn endringsbestilling ved å
// bruke Modify Funksjonen." Slide 76 (C-6): "Ved bestillinger av typen Bytt ISP og produktbytte mellom
// Jara ADSL produkter, OA produkter og Jara HDSL, må det sendes inn en Service Request til Jara Kundeservice."
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINES } from '../../adapters/lines';
import { NRDB_EXAMPLES } from '../../adapters/nrdb';
import { seedPortfolioRows, type SeedPortfolioRow } from '../../db/portfolio-seed';
import { isValidOrgNumber } from '../../domain/order-validation';
import { advanceTo, daysAhead, lineOf, ok } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';

const SWITCH_TIMER_MS = 2_500;

let stack: Stack;
let ola: string;
let nils: string;
let hanne: string;
beforeAll(async () => {
  stack = await startStack({ timings: { switchIspExecution: { ms: SWITCH_TIMER_MS } } });
  [ola, nils, hanne] = await Promise.all([stack.login('ola.nordnett'), stack.login('nils.fjordtel'), stack.login('hanne.handler')]);
});
afterAll(async () => {
  await stack?.stop();
});

const seed = seedPortfolioRows();
const sameEndUser = (a: SeedPortfolioRow['endUser'], b: SeedPortfolioRow['endUser']) => JSON.stringify(a) === JSON.stringify(b);
const validEndUser = (u: SeedPortfolioRow['endUser']) =>
  u.kind === 'company' ? isValidOrgNumber(u.orgNumber) : u.name.trim().split(/\s+/).length >= 2 && u.birthDate < '2000-01-01' && u.birthDate > '1920-01-01';
/** Nordnett's Jara ADSL products whose end user has no other access product (O-13 has nothing else to say). */
const adsl = seed.filter(
  (r) =>
    r.companyId === 'nordnett' &&
    r.productCode === 'JARA-ADSL-DELT' &&
    r.speedMbps !== null &&
    validEndUser(r.endUser) &&
    LINES.filter((l) => l.accessType && sameEndUser(l.endUser, r.endUser)).length === 1,
);
const pstn = seed.find((r) => r.companyId === 'nordnett' && r.productCode === 'PSTN' && validEndUser(r.endUser))!;
const contact = { name: 'Kari Nordmann', phone: '91234567' };

const modify = (number: string, json: Record<string, unknown>, token = ola) => stack.api('POST', `/v1/portfolio/${number}/modify`, { token, json });
const entriesOf = (number: string) => stack.sql<
  {
    id: string;
    product_code: string;
    access_type: string | null;
    speed_mbps: number | null;
    line_id: string;
    number: string;
    company_id: string | null;
    start_date: string;
    end_date: string | null;
    source_case_id: string;
    ended_by_case_id: string | null;
  }[]
>`SELECT id, product_code, access_type, speed_mbps, line_id, number, company_id, start_date::text AS start_date, end_date::text AS end_date, source_case_id, ended_by_case_id
  FROM portfolio_products WHERE number = ${number} ORDER BY created_at`;
const registered = (order: string) => eventually(async () => ((await lineOf(stack, ola, order)).body.status === 'Registered' ? true : undefined), 20_000, `${order}:1 registered`);

describe('C-6: a product swap between Jara ADSL, operator access and Jara HDSL is an order kind of its own', () => {
  it('C-6, M-1: Jara ADSL → operator access from the portfolio: kind product_swap → submit → cancelled only through a service request → Finished moves the entry, same line and number', async () => {
    const p = adsl[0]!;
    // G-1: every failing field at once; the new product's rules
    const bad = await modify(p.number, { change: 'product', productCode: 'OPA-DELT', speedMbps: 8, equipment: 'New router', requestedDate: daysAhead(20), contact });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.speedMbps', rule: 'O-6' }), expect.objectContaining({ field: 'body.equipment', rule: 'O-13' })]));
    const missing = await modify(p.number, { change: 'product', requestedDate: daysAhead(20), contact });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'body.productCode', code: 'missing_property' }));
    const notSwappable = await modify(p.number, { change: 'product', productCode: 'PSTN', requestedDate: daysAhead(20), contact });
    expect(notSwappable.status).toBe(400);
    expect(notSwappable.body.errors).toContainEqual(expect.objectContaining({ field: 'body.productCode', rule: 'C-6' }));
    const same = await modify(p.number, { change: 'product', productCode: 'JARA-ADSL-DELT', speedMbps: p.speedMbps, requestedDate: daysAhead(20), contact });
    expect(same.status).toBe(400);
    expect(same.body.errors).toContainEqual(expect.objectContaining({ field: 'body.productCode', rule: 'C-6' }));
    expect(await stack.sql`SELECT 1 FROM cases WHERE case_type = 'order' AND refs ->> 'reference' = ${p.number}`).toHaveLength(0);

    const created = await modify(p.number, { change: 'product', productCode: 'OPA-DELT', requestedDate: daysAhead(20), contact, references: { customerOrderRef: 'NN-SWAP-1' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'product_swap',
      status: 'New',
      productCode: 'OPA-DELT',
      speedMbps: null,
      lines: [{ endUser: p.endUser, address: { addressId: p.addressId }, modification: { change: 'product', number: p.number, lineId: p.lineId, current: { productCode: 'JARA-ADSL-DELT' } } }],
    });
    const order = created.body.number as string;
    // one open change order per product (O-19): a speed change meanwhile answers 409 naming the swap
    const second = await modify(p.number, { change: 'speed', speedMbps: [2, 8, 16, 24].find((s) => s !== p.speedMbps), requestedDate: daysAhead(20), contact });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'change_order_open', existing: order });

    expect(await ok(stack.api('GET', `/v1/orders/${order}/validation`, { token: ola }))).toEqual({ valid: true, problems: [], warnings: [] });
    const submitted = await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    expect(submitted.lines[0].delivery).toMatchObject({ kind: 'product_swap' });
    await registered(order);

    // C-6: cancelled only through a service request — the line, the whole order, and the charge shown
    const line = (await lineOf(stack, ola, order)).body;
    expect(line.allowedActions).not.toContain('cancel');
    const cancelLine = await stack.api('POST', `/v1/orders/${order}/lines/1/cancel`, { token: ola, json: { acceptedFeeOre: 0 } });
    expect(cancelLine.status).toBe(409);
    expect(cancelLine.body).toMatchObject({ code: 'cancel_via_service_request', rule: 'C-6', serviceRequest: { href: '/v1/service-requests', area: 'Delivery' } });
    const cancelOrder = await stack.api('POST', `/v1/orders/${order}/cancel`, { token: ola, json: { acceptedFeeOre: 0 } });
    expect(cancelOrder.status).toBe(409);
    expect(cancelOrder.body.rule).toBe('C-6');
    const charge = await ok(stack.api('GET', `/v1/orders/${order}/cancellation`, { token: ola }));
    expect(charge.lines[0]).toMatchObject({ cancellable: false });
    expect((await lineOf(stack, ola, order)).body.status).toBe('Registered');
    // another company cannot even see it
    expect((await stack.api('POST', `/v1/orders/${order}/lines/1/cancel`, { token: nils, json: { acceptedFeeOre: 0 } })).status).toBe(404);

    await advanceTo(stack, hanne, `${order}:1`, 'Finished');
    const entries = await entriesOf(p.number);
    expect(entries).toHaveLength(2);
    const lineCaseId = `order-line:${order}:1`;
    expect(entries[0]).toMatchObject({ product_code: 'JARA-ADSL-DELT', end_date: expect.any(String), ended_by_case_id: lineCaseId });
    // the line keeps its number: same line, same number, the new product and its access type
    expect(entries[1]).toMatchObject({ product_code: 'OPA-DELT', access_type: 'shared', speed_mbps: null, line_id: p.lineId, number: p.number, end_date: null, source_case_id: lineCaseId });
    const shown = await ok(stack.api('GET', `/v1/portfolio/${p.number}`, { token: ola }));
    expect(shown.entry).toMatchObject({ productCode: 'OPA-DELT', productName: 'Operatøraksess Delt', status: 'active' });
  });

  it('C-6, O-19: two product swaps of one product sent at once: one is created, the other answers 409; the wholesaler cancels the swap the service request asked for', async () => {
    const p = adsl[1]!;
    const body = { change: 'product', productCode: 'JARA-ADSL-FULL', speedMbps: 16, requestedDate: daysAhead(20), contact };
    const results = await Promise.all([modify(p.number, body), modify(p.number, body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const order = results.find((r) => r.status === 201)!.body.number as string;
    await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    await registered(order);
    // C-6: the reseller's service request is handled by the wholesaler, who cancels the line (A)
    const cancelled = await ok(stack.api('POST', `/v1/handler/order-lines/${order}:1/cancel`, { token: hanne, json: { comment: 'Cancelled on service request from the reseller (C-6)' } }));
    expect(cancelled.status).toBe('Cancelled');
    expect((await entriesOf(p.number)).filter((e) => e.end_date === null)).toEqual([expect.objectContaining({ product_code: 'JARA-ADSL-DELT' })]);
  });

  it('C-6: a product that is not Jara ADSL, operator access or Jara HDSL is not swapped', async () => {
    const res = await modify(pstn.number, { change: 'product', productCode: 'JARA-ADSL-DELT', speedMbps: 8, requestedDate: daysAhead(20), contact });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ rule: 'C-6', message: expect.stringContaining('cannot be swapped') }));
  });
});

describe('I-2, slide 64: "switch first, then Modify" — a product taken over by switch-ISP can be converted', () => {
  it('I-2, M-1: the switch cannot change the access type; the switch first (Modify refused while it is pending), then Modify converts shared → full on the same line and number', async () => {
    const ex = NRDB_EXAMPLES.valid;
    // I-2: the refusal's guidance names the way: Modify with change 'product' once the switch is completed
    const refused = await stack.api('POST', '/v1/switch-isp', {
      token: ola,
      json: { number: ex.phoneNumber, productCode: 'JARA-ADSL-FULL', requestedDate: daysAhead(20), authorisationReference: ex.reference },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ field: 'body.productCode', rule: 'I-2', message: expect.stringContaining("change 'product'") }));

    const date = daysAhead(16);
    const sw = await stack.api('POST', '/v1/switch-isp', {
      token: ola,
      json: { number: ex.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: date, authorisationReference: ex.reference },
    });
    expect(sw.status, JSON.stringify(sw.body)).toBe(201);
    // before the switch has completed: "switch first, then Modify"
    const early = await modify(ex.phoneNumber, { change: 'product', productCode: 'JARA-ADSL-FULL', speedMbps: 8, requestedDate: daysAhead(20), contact });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'switch_not_completed', rule: 'I-2', switchIsp: sw.body.number });
    expect(early.body.detail).toContain('switch first, then Modify');
    // another company's pending switch says nothing to Fjordtel (not its product)
    expect((await modify(ex.phoneNumber, { change: 'product', productCode: 'JARA-ADSL-FULL', speedMbps: 8, requestedDate: daysAhead(20), contact }, nils)).status).toBe(404);

    // the switch completes: the portfolio moves to Nordnett
    const taken = await eventually(
      async () => {
        const r = await stack.api('GET', `/v1/portfolio/${ex.phoneNumber}`, { token: ola });
        return r.status === 200 ? r.body : undefined;
      },
      30_000,
      'switch completed',
    );
    expect(taken.entry).toMatchObject({ productCode: 'JARA-ADSL-DELT', accessType: 'shared', sourceCaseId: sw.body.caseId });

    // then Modify: the product conversion (access type shared → full) is a product swap
    const created = await modify(ex.phoneNumber, { change: 'product', productCode: 'JARA-ADSL-FULL', speedMbps: 8, requestedDate: daysAhead(20), contact });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ kind: 'product_swap', productCode: 'JARA-ADSL-FULL', speedMbps: 8 });
    const order = created.body.number as string;
    await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    await registered(order);
    await advanceTo(stack, hanne, `${order}:1`, 'Finished');

    const entries = (await entriesOf(ex.phoneNumber)).filter((e) => e.company_id === 'nordnett');
    const lineCaseId = `order-line:${order}:1`;
    expect(entries).toEqual([
      expect.objectContaining({ product_code: 'JARA-ADSL-DELT', access_type: 'shared', source_case_id: sw.body.caseId, ended_by_case_id: lineCaseId }),
      expect.objectContaining({ product_code: 'JARA-ADSL-FULL', access_type: 'full', speed_mbps: 8, line_id: ex.lineId, number: ex.phoneNumber, end_date: null, source_case_id: lineCaseId }),
    ]);
    // the conversion takes effect no earlier than the switch did
    expect(entries[1]!.start_date >= date).toBe(true);
    const shown = await ok(stack.api('GET', `/v1/portfolio/${ex.phoneNumber}`, { token: ola }));
    expect(shown.entry).toMatchObject({ productCode: 'JARA-ADSL-FULL', accessType: 'full', status: 'active' });
  });
});
