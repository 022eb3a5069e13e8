// Change orders (Modify) from a portfolio product, end to end through the API: speed change and
// move (O-13) → submit → registered → handler steps → Finished changes the portfolio once (M-1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINES } from '../../adapters/lines';
import { createPortfolioActivities } from '../../activities/portfolio';
import { seedPortfolioRows, type SeedPortfolioRow } from '../../db/portfolio-seed';
import { portfolioChangeOf } from '../../domain/modify-order';
import { isValidOrgNumber } from '../../domain/order-validation';
import { advanceTo, daysAhead, FREE_ADDRESSES, lineOf, ok } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';

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
const sameEndUser = (a: SeedPortfolioRow['endUser'], b: SeedPortfolioRow['endUser']) => JSON.stringify(a) === JSON.stringify(b);
const validEndUser = (u: SeedPortfolioRow['endUser']) =>
  u.kind === 'company' ? isValidOrgNumber(u.orgNumber) : u.name.trim().split(/\s+/).length >= 2 && u.birthDate < '2000-01-01' && u.birthDate > '1920-01-01';
/** Nordnett's ADSL products whose end user has no other access product anywhere (so O-13 has nothing else to say). */
const adsl = seed.filter(
  (r) =>
    r.companyId === 'nordnett' &&
    r.productCode === 'JARA-ADSL-DELT' &&
    r.speedMbps !== null &&
    validEndUser(r.endUser) &&
    LINES.filter((l) => l.accessType && sameEndUser(l.endUser, r.endUser)).length === 1,
);
/** Nordnett's telephony lines (no speed, not an access product). */
const pstn = seed.filter((r) => r.companyId === 'nordnett' && r.productCode === 'PSTN' && validEndUser(r.endUser));
const fjordtelProduct = seed.find((r) => r.companyId === 'fjordtel')!;
const contact = { name: 'Kari Nordmann', phone: '91234567' };
const otherSpeed = (p: SeedPortfolioRow) => [2, 8, 16, 24].find((s) => s !== p.speedMbps)!;

const modify = (number: string, json: Record<string, unknown>, token = ola) => stack.api('POST', `/v1/portfolio/${number}/modify`, { token, json });
const changeOrdersOf = async (number: string) =>
  (
    await stack.sql<{ number: string }[]>`
  SELECT number FROM cases WHERE case_type = 'order' AND refs ->> 'reference' = ${number}`
  ).map((r) => r.number);
const entriesOf = (number: string) => stack.sql<
  { id: string; speed_mbps: number | null; equipment: string | null; address_id: string; end_date: string | null; source_case_id: string; ended_by_case_id: string | null; line_id: string }[]
>`
  SELECT id, speed_mbps, equipment, address_id, end_date::text AS end_date, source_case_id, ended_by_case_id, line_id FROM portfolio_products WHERE number = ${number} ORDER BY created_at`;
const registered = (orderNumber: string) =>
  eventually(
    async () => {
      const line = (await lineOf(stack, ola, orderNumber)).body;
      return line.status === 'Registered' ? line : undefined;
    },
    20_000,
    `${orderNumber}:1 registered`,
  );

describe('M-1, O-13: a speed change from the portfolio, end to end', () => {
  it('M-1, O-13: create from the product → submit (no availability check) → Registered → O…F → the entry ends and its successor has the new speed, once', async () => {
    const p = adsl[0]!;
    const speed = otherSpeed(p);
    const created = await modify(p.number, { change: 'speed', speedMbps: speed, requestedDate: daysAhead(20), contact, references: { customerOrderRef: 'NN-SPEED-1' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'modify',
      status: 'New',
      orderType: 'Standard',
      productCode: 'JARA-ADSL-DELT',
      speedMbps: speed,
      lines: [
        {
          lineNo: 1,
          endUser: p.endUser,
          address: { addressId: p.addressId, label: p.addressLabel },
          modification: { change: 'speed', number: p.number, lineId: p.lineId, current: { speedMbps: p.speedMbps } },
        },
      ],
    });
    const order = created.body.number as string;
    // O-10 / O-13: a speed change on the existing line validates without a Kapaks check and is not "a new order"
    expect(await ok(stack.api('GET', `/v1/orders/${order}/validation`, { token: ola }))).toEqual({ valid: true, problems: [], warnings: [] });
    const submitted = await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    expect(submitted.lines[0].delivery).toMatchObject({ kind: 'modify', number: `${order}:1` });
    await registered(order);

    // M-1: the product's page lists the change order and its line
    const detail = await ok(stack.api('GET', `/v1/portfolio/${p.number}`, { token: ola }));
    expect(detail.cases.map((c: { number: string }) => c.number).sort()).toEqual([order, `${order}:1`].sort());

    await advanceTo(stack, hanne, `${order}:1`, 'Finished');
    const entries = await entriesOf(p.number);
    const lineCaseId = `order-line:${order}:1`;
    expect(entries).toHaveLength(2);
    const [old, successor] = entries;
    expect(old).toMatchObject({ speed_mbps: p.speedMbps, end_date: expect.any(String), ended_by_case_id: lineCaseId, source_case_id: p.sourceCaseId });
    expect(successor).toMatchObject({ speed_mbps: speed, end_date: null, source_case_id: lineCaseId, line_id: p.lineId, address_id: p.addressId });

    // M-1: the Finished step's activity retried (same input) changes nothing twice
    const line = (await lineOf(stack, ola, order)).body;
    const retry = portfolioChangeOf(line, old!.end_date!)!;
    const activities = createPortfolioActivities(stack.sql, stack.sims);
    const again = await activities.applyModification(retry);
    expect(again.id).toBe(successor!.id);
    expect(await entriesOf(p.number)).toEqual(entries);

    const shown = await ok(stack.api('GET', `/v1/portfolio/${p.number}`, { token: ola }));
    expect(shown.entry).toMatchObject({ speedMbps: speed, status: 'active', sourceCaseId: lineCaseId });
    expect(shown.history).toEqual([expect.objectContaining({ speedMbps: p.speedMbps, status: 'ended', endedByCaseId: lineCaseId })]);

    // the order closes as usual; a new change order on the product is possible again
    await advanceTo(stack, hanne, `${order}:1`, 'Closed');
    // the read model's open key is released once the order workflow publishes Closed
    await eventually(
      async () => {
        const [row] = await stack.sql<{ status: string; open_key: string | null }[]>`SELECT status, open_key FROM cases WHERE number = ${order}`;
        return row?.status === 'Closed' && row.open_key === null;
      },
      10_000,
      'change order Closed',
    );
    const next = await modify(p.number, { change: 'speed', speedMbps: p.speedMbps, requestedDate: daysAhead(20), contact });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(next.body.lines[0].modification.current.speedMbps).toBe(speed);
  });
});

describe('M-1, O-13: a move to a new address, end to end', () => {
  it('O-13, O-10: a move is a change order; the availability check runs at the new address; Finished moves the entry', async () => {
    const p = adsl[1]!;
    const newAddress = FREE_ADDRESSES.find((a) => a !== p.addressId)!;
    const created = await modify(p.number, { change: 'move', newAddress: { addressId: newAddress }, requestedDate: daysAhead(20), contact });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const order = created.body.number as string;
    expect(created.body.lines[0]).toMatchObject({ address: { addressId: newAddress, label: expect.any(String) }, modification: { change: 'move', current: { address: { addressId: p.addressId } } } });
    const label = created.body.lines[0].address.label as string;

    // O-10: like a new order, the move needs the check at the new address before submit
    const before = await ok(stack.api('GET', `/v1/orders/${order}/validation`, { token: ola }));
    expect(before.problems).toEqual([expect.objectContaining({ field: 'lines.0.availability', rule: 'O-10' })]);
    const checked = await ok(stack.api('POST', `/v1/orders/${order}/lines/1/availability`, { token: ola }));
    expect(checked.lines[0].availability.query).toEqual({ addressId: newAddress });
    await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    await registered(order);
    await advanceTo(stack, hanne, `${order}:1`, 'Finished');

    const entries = await entriesOf(p.number);
    expect(entries).toEqual([
      expect.objectContaining({ address_id: p.addressId, end_date: expect.any(String), ended_by_case_id: `order-line:${order}:1` }),
      expect.objectContaining({ address_id: newAddress, end_date: null, speed_mbps: p.speedMbps, source_case_id: `order-line:${order}:1` }),
    ]);
    const shown = await ok(stack.api('GET', `/v1/portfolio/${p.number}`, { token: ola }));
    expect(shown.entry).toMatchObject({ address: { id: newAddress, label }, status: 'active' });
  });
});

describe('G-1: refusals name every failing field and create nothing', () => {
  it('G-1, O-6: the same speed, an unknown speed, a missing date, a move to the same address', async () => {
    const p = adsl[2]!;
    const same = await modify(p.number, { change: 'speed', speedMbps: p.speedMbps, contact });
    expect(same.status).toBe(400);
    expect(same.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'body.speedMbps', rule: 'O-6', message: expect.stringContaining('already runs at') }),
        expect.objectContaining({ field: 'body.requestedDate', rule: 'O-5', code: 'missing_property' }),
      ]),
    );
    expect(same.body.errors).toHaveLength(2);

    const unknown = await modify(p.number, { change: 'speed', speedMbps: 50, requestedDate: daysAhead(2), contact: { name: 'Kari' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`).sort()).toEqual([
      'body.contact.name:O-7',
      'body.contact.phone:O-7',
      'body.requestedDate:O-5',
      'body.speedMbps:O-6',
    ]);
    expect(unknown.body.errors.find((e: { field: string }) => e.field === 'body.speedMbps').message).toMatch(/offered at 2, 8, 16, 24/);

    const sameAddress = await modify(p.number, { change: 'move', newAddress: { addressId: p.addressId }, requestedDate: daysAhead(20), contact });
    expect(sameAddress.status).toBe(400);
    expect(sameAddress.body.errors).toEqual([expect.objectContaining({ field: 'body.newAddress.addressId', rule: 'O-13', message: expect.stringContaining('already at') })]);

    const mixed = await modify(p.number, { change: 'move', speedMbps: 16, requestedDate: daysAhead(20), contact });
    expect(mixed.status).toBe(400);
    expect(mixed.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual(['body.newAddress:missing_property', 'body.speedMbps:rule_violation']);

    const unknownAddress = await modify(p.number, { change: 'move', newAddress: { addressId: 'adr-9999' }, requestedDate: daysAhead(20), contact });
    expect(unknownAddress.body.errors).toEqual([expect.objectContaining({ field: 'body.newAddress.addressId', rule: 'O-3' })]);

    const noEquipment = await modify(p.number, { change: 'equipment', equipment: '   ', requestedDate: daysAhead(20), contact });
    expect(noEquipment.body.errors).toEqual([expect.objectContaining({ field: 'body.equipment', rule: 'O-6', code: 'missing_property' })]);

    const badChange = await modify(p.number, { change: 'upgrade', requestedDate: daysAhead(20), contact });
    expect(badChange.status).toBe(400);
    expect(badChange.body.errors[0].field).toBe('body.change');
    // nothing half-written: no order names the product
    expect(await changeOrdersOf(p.number)).toEqual([]);
  });

  it('O-19: one open change order per product; the second is refused with the open one', async () => {
    const p = pstn[0]!;
    const first = await modify(p.number, { change: 'equipment', equipment: 'Zyxel VMG8825 router', requestedDate: daysAhead(20), contact });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await modify(p.number, { change: 'equipment', equipment: 'Analogue phone', requestedDate: daysAhead(20), contact });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'change_order_open', existing: first.body.number, currentStatus: 'New', allowedActions: [] });
    // cancelling the draft frees the product
    await ok(stack.api('POST', `/v1/orders/${first.body.number}/cancel`, { token: ola, json: {} }));
    const third = await modify(p.number, { change: 'equipment', equipment: 'Analogue phone', requestedDate: daysAhead(20), contact });
    expect(third.status, JSON.stringify(third.body)).toBe(201);
  });
});

describe('M-1: a product that ends while its change order is open', () => {
  const endEntry = (number: string) => stack.sql`
    UPDATE portfolio_products SET end_date = ${daysAhead(0)}, ended_by_case_id = 'termination:TRM-TEST' WHERE number = ${number} AND end_date IS NULL`;

  it('M-1: submit is refused naming the product; at Finished the step is refused (422), the line stays in Delivery and nothing is written', async () => {
    const early = pstn[3]!;
    const draft = await modify(early.number, { change: 'equipment', equipment: 'DECT phone', requestedDate: daysAhead(20), contact });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    await endEntry(early.number);
    const refused = await stack.api('POST', `/v1/orders/${draft.body.number}/submit`, { token: ola });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'body.lines.0.modification', rule: 'M-1' })]);

    const late = pstn[2]!;
    const created = await modify(late.number, { change: 'equipment', equipment: 'DECT phone', requestedDate: daysAhead(20), contact });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const order = created.body.number as string;
    await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    await registered(order);
    await advanceTo(stack, hanne, `${order}:1`, 'Delivery');
    await endEntry(late.number);
    const finished = await stack.api('POST', `/v1/handler/order-lines/${order}:1/advance`, { token: hanne, json: { to: 'Finished' } });
    expect(finished.status, JSON.stringify(finished.body)).toBe(422);
    expect(finished.body).toMatchObject({ code: 'upstream_rejected', detail: expect.stringContaining('no longer an active product') });
    expect((await lineOf(stack, ola, order)).body.status).toBe('Delivery');
    expect((await entriesOf(late.number)).map((e) => e.source_case_id)).toEqual([late.sourceCaseId]);
  });
});

describe('A-1, A-3: who may start a change order', () => {
  it("A-1: another company's product is not found (404); A-3: read access is refused (403)", async () => {
    const theirs = await modify(fjordtelProduct.number, { change: 'equipment', equipment: 'router', requestedDate: daysAhead(20), contact });
    expect(theirs.status).toBe(404);
    const mine = pstn[1]!;
    const asOther = await modify(mine.number, { change: 'equipment', equipment: 'router', requestedDate: daysAhead(20), contact }, nils);
    expect(asOther.status).toBe(404);
    const reader = await modify(mine.number, { change: 'equipment', equipment: 'router', requestedDate: daysAhead(20), contact }, kari);
    expect(reader.status).toBe(403);
    expect(reader.headers.get('content-type')).toBe('application/problem+json');
    const handler = await modify(mine.number, { change: 'equipment', equipment: 'router', requestedDate: daysAhead(20), contact }, hanne);
    expect(handler.status).toBe(403);
    expect(await changeOrdersOf(mine.number)).toEqual([]);
    expect(await changeOrdersOf(fjordtelProduct.number)).toEqual([]);
  });
});

describe('O-13: new orders are still refused for an end user who has the product', () => {
  it("O-13: a NEW order for the product's end user at the same address is refused as before", async () => {
    const p = adsl[2]!;
    const created = await ok(
      stack.api('POST', '/v1/orders', {
        token: ola,
        json: { productCode: p.productCode, speedMbps: otherSpeed(p), requestedDate: daysAhead(20), contact, lines: [{ endUser: p.endUser, address: { addressId: p.addressId } }] },
      }),
      201,
    );
    const submit = await stack.api('POST', `/v1/orders/${created.number}/submit`, { token: ola });
    expect(submit.status).toBe(400);
    // the company's own product: a change order is the way (the product may be named: it is the company's own)
    expect(submit.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.lines.0.endUser', rule: 'O-13', message: expect.stringContaining('change order') })]));
  });
});

describe("A-1 (issue 12.1): tenancy goes first on a change order's line", () => {
  it("A-1: another company's Customer Update on a submitted change order answers exactly as a missing order: no end user, number or address", async () => {
    const p = pstn[pstn.length - 1]!; // a product no other test of this file changes
    const created = await modify(p.number, { change: 'equipment', equipment: 'Analogue phone with display', requestedDate: daysAhead(20), contact });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const order = created.body.number as string;
    await ok(stack.api('POST', `/v1/orders/${order}/submit`, { token: ola }));
    const json = { address: { addressId: 'adr-0001' } };
    const foreign = await stack.api('POST', `/v1/orders/${order}/lines/1/customer-update`, { token: nils, json });
    const missing = await stack.api('POST', '/v1/orders/ORD-999999999/lines/1/customer-update', { token: nils, json });
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body).replaceAll(order, 'ORD-N')).toBe(JSON.stringify(missing.body).replaceAll('ORD-999999999', 'ORD-N'));
    const text = JSON.stringify(foreign.body);
    for (const secret of [p.number, p.addressLabel, p.endUser.name]) expect(text).not.toContain(secret);
    // the handler's routes with a line number load the line the same way (a missing line: 404)
    const hanneMissing = await stack.api('POST', '/v1/handler/order-lines/ORD-999999999:1/in-progress', { token: hanne, json: {} });
    expect(hanneMissing.status).toBe(404);
  });
});
