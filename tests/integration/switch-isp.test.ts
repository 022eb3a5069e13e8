// Switch-ISP through the API while the switch waits for its date (rules I-1…I-7). The timer is
// long here (the switches stay Registered); switch-isp-execution.test.ts runs it to the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NRDB_EXAMPLES } from '../../adapters/nrdb';
import { seedPortfolioRows } from '../../db/portfolio-seed';
import { daysAhead, switchables } from '../support/portfolio';
import { historyLength } from '../support/service-requests';
import { eventually, type Stack, startStack } from '../support/stack';

let stack: Stack;
let ola: string;
let nils: string;
let kari: string;
let hanne: string;
beforeAll(async () => {
  stack = await startStack({ timings: { switchIspExecution: { ms: 3_600_000 } } });
  ola = await stack.login('ola.nordnett');
  nils = await stack.login('nils.fjordtel');
  kari = await stack.login('kari.nordnett');
  hanne = await stack.login('hanne.handler');
});
afterAll(async () => {
  await stack?.stop();
});

const valid = NRDB_EXAMPLES.valid;
const nordnettBroadband = seedPortfolioRows().find((r) => r.companyId === 'nordnett' && r.productCode === 'JARA-ADSL-DELT')!;

function register(token: string, body: Record<string, unknown>) {
  return stack.api('POST', '/v1/switch-isp', { token, json: body });
}

/** A working day at least `min` days ahead with a free technician slot at the address. */
async function slotFrom(addressId: string, min: number): Promise<{ slotId: string; date: string }> {
  const res = await stack.api('GET', `/v1/reference/appointment-slots?addressId=${addressId}&from=${daysAhead(min)}&to=${daysAhead(min + 14)}`, { token: ola });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items[0];
}

describe('I-3: finding the subscription to take over', () => {
  it('I-3: by phone number (shared access): only what the switch needs', async () => {
    const res = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${valid.phoneNumber}`, { token: ola });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const item = res.body.items[0];
    expect(item).toMatchObject({ number: valid.phoneNumber, productCode: 'ONLINE-ADSL', accessType: 'shared', losingOperator: 'Telenor', leadDays: 16, earliestDate: daysAhead(16) });
    expect(Object.keys(item).sort()).toEqual(['accessType', 'address', 'earliestDate', 'leadDays', 'losingOperator', 'number', 'numberKind', 'productCode', 'productName', 'speedMbps', 'targets']);
    // I-2 / I-6: only same-access-type targets, with the technician rule for each
    expect(item.targets).toEqual(
      expect.arrayContaining([
        { productCode: 'JARA-ADSL-DELT', productName: 'Jara ADSL Delt aksess', technicianRequired: false },
        { productCode: 'OPA-DELT', productName: 'Operatøraksess Delt', technicianRequired: true },
      ]),
    );
    expect(item.targets.some((t: { productCode: string }) => t.productCode.endsWith('FULL'))).toBe(false);
  });

  it('I-3: by installation address (full access): that a subscription exists and whom it leaves, never its number, product or end user', async () => {
    const full = switchables('JARA-ADSL-FULL')[0]!;
    const res = await stack.api('GET', `/v1/switch-isp/lookup?addressId=${full.line.addressId}`, { token: ola });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const item = res.body.items.find((i: { losingOperator: string }) => i.losingOperator === full.line.operator);
    expect(item).toMatchObject({ accessType: 'full', losingOperator: full.line.operator, address: { id: full.line.addressId }, leadDays: 16, earliestDate: daysAhead(16) });
    expect(Object.keys(item).sort()).toEqual(['accessType', 'address', 'earliestDate', 'leadDays', 'losingOperator', 'subscriptionRef', 'targets']);
    // the targets are the catalogue's; nothing else names the end user's product
    const text = JSON.stringify(res.body.items.map(({ targets: _targets, ...rest }: { targets: unknown }) => rest));
    for (const secret of [full.phoneNumber, full.line.productCode, full.line.endUser.name, 'ADSL']) expect(text).not.toContain(secret);
    // I-2 / I-6: the full-access targets, with the technician rule for each
    expect(item.targets.every((t: { productCode: string }) => t.productCode.endsWith('FULL'))).toBe(true);

    // registered by the reference with the owner's authorisation (I-4): only then the subscription is the new operator's to see
    const noAuth = await register(ola, { subscriptionRef: item.subscriptionRef, productCode: 'JARA-ADSL-FULL', requestedDate: daysAhead(20), authorisationReference: valid.reference });
    expect(noAuth.status).toBe(400);
    expect(noAuth.body.errors).toEqual([expect.objectContaining({ field: 'body.authorisationReference', rule: 'I-4', message: expect.stringContaining('another subscription') })]);
    expect(JSON.stringify(noAuth.body)).not.toContain(full.phoneNumber);
    const ok = await register(ola, { subscriptionRef: item.subscriptionRef, productCode: 'JARA-ADSL-FULL', requestedDate: daysAhead(20), authorisationReference: full.auth.reference });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.subscription).toMatchObject({ number: full.phoneNumber, accessType: 'full', losingOperator: full.line.operator });
    // exactly one of number and subscriptionRef
    const both = await register(ola, {
      number: full.phoneNumber,
      subscriptionRef: item.subscriptionRef,
      productCode: 'JARA-ADSL-FULL',
      requestedDate: daysAhead(20),
      authorisationReference: full.auth.reference,
    });
    expect(both.status).toBe(400);
    expect(both.body.errors).toContainEqual(expect.objectContaining({ field: 'body.subscriptionRef', rule: 'I-3' }));
    // shared access is not found by address
    const shared = seedPortfolioRows().find((r) => r.companyId === null && r.accessType === 'shared' && !seedPortfolioRows().some((o) => o.addressId === r.addressId && o.accessType === 'full'))!;
    const none = await stack.api('GET', `/v1/switch-isp/lookup?addressId=${shared.addressId}`, { token: ola });
    expect(none.status).toBe(422);
    expect(none.body.detail).toContain('phone number');
  });

  it('I-3: a number without broadband, or unknown, must be a new order', async () => {
    const pstn = await stack.api('GET', '/v1/switch-isp/lookup?phoneNumber=22604412', { token: ola });
    expect(pstn.status).toBe(422);
    expect(pstn.body).toMatchObject({ code: 'new_order_required', rule: 'I-3' });
    expect(pstn.body.detail).toContain('must be a new order');
    const unknown = await stack.api('GET', '/v1/switch-isp/lookup?phoneNumber=99999999', { token: ola });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('new_order_required');
    const noBroadbandAddress = await stack.api('GET', '/v1/switch-isp/lookup?addressId=adr-0004', { token: ola });
    expect(noBroadbandAddress.status).toBe(422);
    expect(noBroadbandAddress.body.code).toBe('new_order_required');
    // registering on such a number answers the same, on the field
    const create = await register(ola, { number: '22604412', productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: valid.reference });
    expect(create.status).toBe(400);
    expect(create.body.errors).toContainEqual(expect.objectContaining({ field: 'body.number', rule: 'I-3', message: expect.stringContaining('must be a new order') }));
  });

  it('I-3: neither or both search keys are refused', async () => {
    const none = await stack.api('GET', '/v1/switch-isp/lookup', { token: ola });
    expect(none.status).toBe(400);
    const both = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${valid.phoneNumber}&addressId=adr-0005`, { token: ola });
    expect(both.status).toBe(400);
  });

  it("I-3 / A-1: the look-up of another company's customer reveals only the switch facts; its portfolio stays hidden", async () => {
    const res = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${nordnettBroadband.number}`, { token: nils });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items[0]).toMatchObject({ number: nordnettBroadband.number, losingOperator: 'Nordnett AS' });
    expect(JSON.stringify(res.body)).not.toContain(nordnettBroadband.endUser.name);
    expect(JSON.stringify(res.body)).not.toContain(nordnettBroadband.startDate);
    expect((await stack.api('GET', `/v1/portfolio/${nordnettBroadband.number}`, { token: nils })).status).toBe(404);
    // the own company's product is not a switch
    const own = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${nordnettBroadband.number}`, { token: ola });
    expect(own.status).toBe(422);
    expect(own.body.code).toBe('already_in_portfolio');
  });
});

describe('I-2: the access type cannot change', () => {
  it('I-2: shared → full is refused with the guidance, in the look-up and at registration', async () => {
    const look = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${valid.phoneNumber}&productCode=OPA-FULL`, { token: ola });
    expect(look.status).toBe(422);
    expect(look.body).toMatchObject({ code: 'access_type_change', rule: 'I-2' });
    expect(look.body.detail).toContain('change order (Modify)');
    const create = await register(ola, { number: valid.phoneNumber, productCode: 'JARA-ADSL-FULL', requestedDate: daysAhead(20), authorisationReference: valid.reference });
    expect(create.status).toBe(400);
    expect(create.body.errors).toContainEqual(expect.objectContaining({ field: 'body.productCode', rule: 'I-2', message: expect.stringContaining('terminate and place a new order') }));
  });
});

describe('I-4: the authorisation from NRDB', () => {
  it('I-4: an unknown reference', async () => {
    const res = await register(ola, { number: valid.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: NRDB_EXAMPLES.unknown });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.authorisationReference', code: 'reference_not_found', rule: 'I-4' })]);
  });

  it('I-4: a reference that belongs to another subscription', async () => {
    const ex = NRDB_EXAMPLES.wrongSubscription;
    const slot = await slotFrom('adr-0002', 17);
    const res = await register(ola, {
      number: ex.orderPhoneNumber,
      productCode: 'OPA-DELT',
      requestedDate: slot.date,
      authorisationReference: ex.reference,
      technician: { slotId: slot.slotId },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.authorisationReference', rule: 'I-4', message: expect.stringContaining('another subscription') })]);
  });

  it('I-4: a reference given by somebody who is not the owner', async () => {
    const ex = NRDB_EXAMPLES.notOwner;
    const res = await register(ola, { number: ex.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: ex.reference });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.authorisationReference', rule: 'I-4', message: expect.stringContaining('not the current owner') })]);
  });

  it('G-1: every failing field at once, and nothing is registered', async () => {
    const res = await register(ola, { number: valid.phoneNumber, productCode: 'NOPE', requestedDate: daysAhead(3), authorisationReference: NRDB_EXAMPLES.unknown });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.authorisationReference', 'body.productCode', 'body.requestedDate']);
    const list = await stack.api('GET', `/v1/switch-isp?reference=${valid.phoneNumber}`, { token: ola });
    expect(list.body.total).toBe(0);
    const shape = await register(ola, { number: '', requestedDate: 'tomorrow', authorisationReference: 'x', extra: 1 });
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['body.number', 'body.productCode', 'body.requestedDate', 'body.authorisationReference', 'body.extra']),
    );
  });
});

describe('I-5: the requested date', () => {
  it('I-5: 15 days ahead is refused naming the earliest date; 16 is accepted', async () => {
    const s = switchables('JARA-ADSL-DELT')[0]!;
    const early = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(15), authorisationReference: s.auth.reference });
    expect(early.status).toBe(400);
    expect(early.body.errors).toEqual([expect.objectContaining({ field: 'body.requestedDate', rule: 'I-5', message: expect.stringContaining(`earliest allowed date is ${daysAhead(16)}`) })]);
    const ok = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(16), authorisationReference: s.auth.reference });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ status: 'Registered', requestedDate: daysAhead(16), technicianRequired: false, technician: null, allowedActions: ['changeDate'] });
    expect(ok.body.number).toMatch(/^SW-\d{6,}$/);
    expect(ok.body.caseId).toBe(`switch-isp:${ok.body.number}`);
    // one switch per subscription
    const again = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(18), authorisationReference: s.auth.reference });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'duplicate_switch', existing: ok.body.number });
    // a date change is checked the same way and a refused one leaves no event
    const events = await historyLength(stack, ok.body.caseId);
    const tooSoon = await stack.api('POST', `/v1/switch-isp/${ok.body.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(15) } });
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.body.errors[0]).toMatchObject({ field: 'body.requestedDate', rule: 'I-5' });
    expect(await historyLength(stack, ok.body.caseId)).toBe(events);
    const moved = await stack.api('POST', `/v1/switch-isp/${ok.body.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(25) } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.requestedDate).toBe(daysAhead(25));
    const read = await stack.api('GET', `/v1/switch-isp/${ok.body.number}`, { token: ola });
    expect(read.body.requestedDate).toBe(daysAhead(25)); // read-your-writes
  });
});

describe('I-6: technician', () => {
  it('I-6: Jara ADSL → Jara ADSL needs none, and one given is refused', async () => {
    const s = switchables('JARA-ADSL-DELT')[1]!;
    const res = await register(ola, {
      number: s.phoneNumber,
      productCode: 'JARA-ADSL-DELT',
      requestedDate: daysAhead(20),
      authorisationReference: s.auth.reference,
      technician: { slotId: 'OSLO-2030-01-02-0812' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.technician', code: 'unexpected_property', rule: 'I-6' })]);
  });

  it('I-6: operator access needs a technician on the switch date; the booking carries the AEG services', async () => {
    const s = switchables('OPA-DELT')[0]!;
    const base = { number: s.phoneNumber, productCode: 'OPA-DELT', authorisationReference: s.auth.reference };
    const missing = await register(ola, { ...base, requestedDate: daysAhead(20) });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'body.technician', code: 'missing_property', rule: 'I-6' })]);
    const slot = await slotFrom(s.line.addressId, 17);
    const otherDay = await register(ola, { ...base, requestedDate: daysAhead(16), technician: { slotId: slot.slotId } });
    expect(otherDay.status).toBe(400);
    expect(otherDay.body.errors.map((e: { field: string }) => e.field)).toContain('body.technician.slotId');
    const ok = await register(ola, { ...base, requestedDate: slot.date, technician: { slotId: slot.slotId, aegServices: ['extra-socket', 'modem-installation'] } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.technicianRequired).toBe(true);
    const booked = await eventually(
      async () => {
        const r = await stack.api('GET', `/v1/switch-isp/${ok.body.number}`, { token: ola });
        return r.body.technician?.booking ? r.body : undefined;
      },
      15_000,
      'technician booking',
    );
    expect(booked.technician).toMatchObject({ slotId: slot.slotId, aegServices: ['extra-socket', 'modem-installation'], booking: { date: slot.date } });
    expect(booked.status).toBe('Registered');
  });

  it('I-6: an unknown AEG service is refused', async () => {
    const s = switchables('OPA-DELT')[1]!;
    const res = await register(ola, {
      number: s.phoneNumber,
      productCode: 'OPA-DELT',
      requestedDate: daysAhead(20),
      authorisationReference: s.auth.reference,
      technician: { slotId: 'X', aegServices: ['gold-plating'] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body.technician.aegServices.0');
  });
});

describe('I-7: cancelling a switch', () => {
  it('I-7: the user cannot cancel directly: the answer points to a service request, and nothing happens', async () => {
    const s = switchables('JARA-ADSL-DELT')[2]!;
    const sw = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference });
    expect(sw.status).toBe(201);
    const events = await historyLength(stack, sw.body.caseId);
    const cancel = await stack.api('POST', `/v1/switch-isp/${sw.body.number}/cancel`, { token: ola });
    expect(cancel.status).toBe(409);
    expect(cancel.body).toMatchObject({
      code: 'cancel_via_service_request',
      rule: 'I-7',
      currentStatus: 'Registered',
      allowedActions: ['changeDate'],
      serviceRequest: { area: 'Delivery', subArea: 'Broadband', reference: { kind: 'other', value: sw.body.number } },
    });
    expect(await historyLength(stack, sw.body.caseId)).toBe(events);
    expect((await stack.api('GET', `/v1/switch-isp/${sw.body.number}`, { token: ola })).body.status).toBe('Registered');

    // the user sends the service request the answer describes; the handler cancels from it
    const sr = await stack.api('POST', '/v1/service-requests', {
      token: ola,
      json: {
        area: cancel.body.serviceRequest.area,
        subArea: cancel.body.serviceRequest.subArea,
        reference: cancel.body.serviceRequest.reference,
        description: 'Please cancel this switch: the end user stays with the current operator',
      },
    });
    expect(sr.status, JSON.stringify(sr.body)).toBe(201);
    const notYet = await stack.api('POST', `/v1/handler/switch-isp/${sw.body.number}/cancel`, { token: hanne, json: { serviceRequest: sr.body.number, reason: 'Customer asked in SR' } });
    expect(notYet.status).toBe(400); // the SR is still New: not sent to the wholesaler
    expect((await stack.api('POST', `/v1/service-requests/${sr.body.number}/submit`, { token: ola })).status).toBe(200);
    expect((await stack.api('POST', `/v1/handler/service-requests/${sr.body.number}/take`, { token: hanne })).status).toBe(200);
    const byCustomer = await stack.api('POST', `/v1/handler/switch-isp/${sw.body.number}/cancel`, { token: ola, json: { serviceRequest: sr.body.number, reason: 'x' } });
    expect(byCustomer.status).toBe(403);
    const cancelled = await stack.api('POST', `/v1/handler/switch-isp/${sw.body.number}/cancel`, { token: hanne, json: { serviceRequest: sr.body.number, reason: 'The end user stays (SR)' } });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'Cancelled', cancelledViaServiceRequest: sr.body.number, resolution: 'The end user stays (SR)' });
    const read = await stack.api('GET', `/v1/switch-isp/${sw.body.number}`, { token: ola });
    expect(read.body).toMatchObject({ status: 'Cancelled', allowedActions: [] });
    // the subscription stays with the losing operator
    const look = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${s.phoneNumber}`, { token: ola });
    expect(look.body.items[0].losingOperator).toBe(s.line.operator);
    // a cancelled switch cannot be moved
    const move = await stack.api('POST', `/v1/switch-isp/${sw.body.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(40) } });
    expect(move.status).toBe(409);
    expect(move.body.currentStatus).toBe('Cancelled');
  });

  it('I-7: the service request must be about that switch', async () => {
    const s = switchables('JARA-ADSL-DELT')[3]!;
    const sw = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference });
    const sr = await stack.api('POST', '/v1/service-requests', {
      token: ola,
      json: { area: 'Delivery', subArea: 'Broadband', reference: { kind: 'other', value: 'SW-999999' }, description: 'Cancel the other switch please' },
    });
    await stack.api('POST', `/v1/service-requests/${sr.body.number}/submit`, { token: ola });
    const res = await stack.api('POST', `/v1/handler/switch-isp/${sw.body.number}/cancel`, { token: hanne, json: { serviceRequest: sr.body.number, reason: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'body.serviceRequest', rule: 'I-7' });
  });
});

describe('A-1 / A-3: who may see and act', () => {
  it('A-1: another company does not find the switch', async () => {
    const s = switchables('JARA-ADSL-DELT')[4]!;
    const sw = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference });
    expect(sw.status).toBe(201);
    expect((await stack.api('GET', `/v1/switch-isp/${sw.body.number}`, { token: nils })).status).toBe(404);
    expect((await stack.api('POST', `/v1/switch-isp/${sw.body.number}/change-date`, { token: nils, json: { requestedDate: daysAhead(40) } })).status).toBe(404);
    const list = await stack.api('GET', '/v1/switch-isp', { token: nils });
    expect(list.body.items.map((i: { number: string }) => i.number)).not.toContain(sw.body.number);
    // another company cannot register the same subscription while this switch is pending, and learns no case number
    const other = await register(nils, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('switch_pending');
    expect(JSON.stringify(other.body)).not.toContain(sw.body.number);
  });

  it('A-3: a read-only user cannot register', async () => {
    const res = await register(kari, { number: valid.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: valid.reference });
    expect(res.status).toBe(403);
  });
});
