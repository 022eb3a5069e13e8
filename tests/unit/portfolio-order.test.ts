// Switch-ISP and termination orders (issue 13): the one decision (domain/portfolio-order.ts), T-3's run-out,
// and the simulators' side (X-3 AEG with the booking, X-4 registration at submit with SHDSL's 21 days).
import { describe, expect, it } from 'vitest';
import { AddressRegisterSimulator } from '../../adapters/address-register';
import { AppointmentSimulator } from '../../adapters/appointments';
import { AdapterRejectedError } from '../../adapters/faults';
import { AUTHORISATIONS } from '../../adapters/nrdb';
import { LINES } from '../../adapters/lines';
import { OrderSystemSimulator } from '../../adapters/order-system';
import { PriceListSimulator } from '../../adapters/price-list';
import type { Actor } from '../../domain/identity';
import {
  allowedPortfolioNextSteps,
  allowedPortfolioOrderActions,
  awaitsFollowUp,
  decidePortfolioOrderAction,
  type PortfolioOrderDecisionView,
  terminationDateProblem,
} from '../../domain/portfolio-order';
import { lastsUntil } from '../../domain/termination';
import { addCalendarDays } from '../../domain/time';

const reseller: Actor = { username: 'ola', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' };
const handler: Actor = { username: 'hanne', role: 'handler', companyId: null, accessType: null };
const today = '2026-12-01';
const sw = (status: PortfolioOrderDecisionView['status'], over: Partial<PortfolioOrderDecisionView> = {}): PortfolioOrderDecisionView => ({
  kind: 'switch_isp',
  number: 'SW-000001',
  status,
  leadDays: 16,
  technician: null,
  ...over,
});

describe('the decision on switch and termination orders', () => {
  it('O-14: nothing is possible while the order system registers it (Committed)', () => {
    expect(allowedPortfolioOrderActions(sw('Committed'), reseller)).toEqual([]);
    expect(allowedPortfolioOrderActions(sw('Committed'), handler)).toEqual([]);
    expect(decidePortfolioOrderAction(sw('Committed'), 'inProgress', { actor: handler }, today)).toMatchObject({ kind: 'not_allowed', rule: 'O-14' });
  });

  it('O-15: the steps offered (allowedPortfolioNextSteps) are exactly the steps the decision accepts, for every status and both actors', () => {
    const steps = ['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed'] as const;
    for (const kind of ['switch_isp', 'termination'] as const) {
      for (const status of ['Committed', 'Registered', 'In Progress', 'Incomplete', 'Customer Update', ...steps, 'Rejected', 'Cancelled'] as const) {
        for (const actor of [handler, reseller]) {
          const view = sw(status, { kind });
          const accepted = steps.filter((step) => decidePortfolioOrderAction(view, 'advance', { actor, step, installationDate: '2027-03-01' }, today) === undefined);
          expect(allowedPortfolioNextSteps(view, actor), `${kind} ${status} ${actor.role}`).toEqual(accepted);
        }
      }
    }
    expect(allowedPortfolioNextSteps(sw('Delivery'), handler)).toEqual([]); // Finished comes with the execution
    expect(allowedPortfolioNextSteps(sw('Registered'), handler)).toEqual(['Ordered']);
  });

  it("O-15: the handler's steps are the order line's; Finished (F) only by the execution on the agreed date", () => {
    expect(allowedPortfolioOrderActions(sw('Registered'), handler)).toEqual(['cancelByOperator', 'inProgress', 'incomplete', 'reject', 'advance']);
    expect(decidePortfolioOrderAction(sw('Registered'), 'advance', { actor: handler, step: 'Ordered' }, today)).toBeUndefined();
    expect(decidePortfolioOrderAction(sw('Registered'), 'advance', { actor: handler, step: 'Design' }, today)).toMatchObject({ rule: 'O-15' });
    expect(decidePortfolioOrderAction(sw('Delivery'), 'advance', { actor: handler, step: 'Finished' }, today)).toMatchObject({ rule: 'O-15' });
    expect(decidePortfolioOrderAction(sw('Finished'), 'advance', { actor: handler, step: 'Closed' }, today)).toBeUndefined();
    expect(decidePortfolioOrderAction(sw('Ready'), 'advance', { actor: handler, step: 'Field Service' }, today)).toMatchObject({ kind: 'invalid' });
  });

  it('I-7 / C-6: a switch has no customer cancel or withdraw; the handler cancels with the service request and a reason', () => {
    expect(allowedPortfolioOrderActions(sw('Registered'), reseller)).toEqual(['changeDate']);
    expect(decidePortfolioOrderAction(sw('Registered'), 'withdraw', { actor: reseller }, today)).toMatchObject({ kind: 'not_allowed' });
    const missing = decidePortfolioOrderAction(sw('Registered'), 'cancelByOperator', { actor: handler }, today);
    expect(missing).toMatchObject({ kind: 'invalid' });
    expect(JSON.stringify(missing)).toContain('serviceRequest');
    expect(decidePortfolioOrderAction(sw('Registered'), 'cancelByOperator', { actor: handler, serviceRequest: 'SR-1', text: 'x' }, today)).toBeUndefined();
  });

  it('A-2 / O-14: a rejection by the order system is followed up once, by a handler, with a comment; a handler’s own rejection needs none', () => {
    const due = sw('Rejected', { followUp: 'due' });
    expect(allowedPortfolioOrderActions(due, handler)).toEqual(['followUp']);
    expect(allowedPortfolioOrderActions(due, reseller)).toEqual([]);
    expect(decidePortfolioOrderAction(due, 'followUp', { actor: handler }, today)).toMatchObject({ kind: 'invalid', problems: [{ field: 'comment', rule: 'A-2' }] });
    expect(decidePortfolioOrderAction(due, 'followUp', { actor: handler, comment: 'Called the reseller' }, today)).toBeUndefined();
    expect(decidePortfolioOrderAction(sw('Rejected', { followUp: 'done' }), 'followUp', { actor: handler, comment: 'again' }, today)).toMatchObject({
      kind: 'not_allowed',
      rule: 'A-2',
      message: expect.stringContaining('already'),
    });
    expect(decidePortfolioOrderAction(sw('Rejected'), 'followUp', { actor: handler, comment: 'x' }, today)).toMatchObject({ kind: 'not_allowed', rule: 'A-2' });
    const termination = { kind: 'termination', number: 'TRM-000001', status: 'Rejected', followUp: 'due' } as const;
    expect(allowedPortfolioOrderActions(termination, handler)).toEqual(['followUp']);
    expect(awaitsFollowUp(termination)).toBe(true);
    expect(awaitsFollowUp({ ...termination, followUp: 'done' })).toBe(false);
  });

  it('I-5: a date change keeps the lead time (21 days for SHDSL)', () => {
    const shdsl = sw('Registered', { leadDays: 21 });
    expect(decidePortfolioOrderAction(shdsl, 'changeDate', { actor: reseller, requestedDate: addCalendarDays(today, 20) }, today)).toMatchObject({ kind: 'invalid' });
    expect(decidePortfolioOrderAction(shdsl, 'changeDate', { actor: reseller, requestedDate: addCalendarDays(today, 21) }, today)).toBeUndefined();
  });

  it('T-2: a termination may be withdrawn by the customer and moved to any date from today', () => {
    const t = { kind: 'termination', number: 'TRM-000001', status: 'Registered' } as const;
    expect(allowedPortfolioOrderActions(t, reseller)).toEqual(['changeDate', 'withdraw']);
    expect(decidePortfolioOrderAction(t, 'changeDate', { actor: reseller, requestedDate: today }, today)).toBeUndefined();
    expect(decidePortfolioOrderAction(t, 'changeDate', { actor: reseller, requestedDate: '2026-11-30' }, today)).toMatchObject({ kind: 'invalid' });
    expect(terminationDateProblem(today, '2026-11-30')).toContain('has passed');
  });

  it('T-3: the subscription lasts the run-out after registration or until the requested date when later', () => {
    // slide 70: "Abonnementets varighet etter at det er sagt opp kan variere noe avhengig av det produktet oppsigelsen gjelder."
    expect(lastsUntil(today, '2026-12-05', 30)).toBe('2026-12-31');
    expect(lastsUntil(today, '2027-02-01', 30)).toBe('2027-02-01');
  });
});

describe('X-4: the order system registers a switch at submit', () => {
  const make = () => new OrderSystemSimulator({ prices: new PriceListSimulator({ faults: { latencyMs: [0, 0] } }), faults: { latencyMs: [0, 0] } });
  const shdsl = AUTHORISATIONS.map((a) => ({ a, l: LINES.find((x) => x.lineId === a.lineId)! })).find(({ l }) => l.productCode === 'JARA-SHDSL')!;

  it('I-5: SHDSL (slide 65, "21 dager på Jara SHDSL"): 20 days is rejected, 21 registered', async () => {
    const orders = make();
    const base = { number: shdsl.l.phoneNumber!, productCode: 'JARA-SHDSL', fromOperator: shdsl.l.operator, toCompany: 'Nordnett AS', authorisationReference: shdsl.a.reference, today };
    await expect(orders.registerSwitch({ ...base, idempotencyKey: 'a', requestedDate: addCalendarDays(today, 20) })).rejects.toThrow(/21 days on SHDSL/);
    const r = await orders.registerSwitch({ ...base, idempotencyKey: 'b', requestedDate: addCalendarDays(today, 21) });
    expect(r).toMatchObject({ agreedDate: addCalendarDays(today, 21) });
    expect(r.customerOrderId).toMatch(/^1-[0-9A-Z]{6}$/);
  });

  it('I-3 / I-4: the losing operator and the authorisation are checked at registration', async () => {
    const orders = make();
    const base = { number: shdsl.l.phoneNumber!, productCode: 'JARA-SHDSL', toCompany: 'Nordnett AS', requestedDate: addCalendarDays(today, 30), today };
    await expect(orders.registerSwitch({ ...base, idempotencyKey: 'c', fromOperator: 'Nobody AS', authorisationReference: shdsl.a.reference })).rejects.toThrow(/losing operator mismatch/);
    await expect(orders.registerSwitch({ ...base, idempotencyKey: 'd', fromOperator: shdsl.l.operator, authorisationReference: 'NRDB-2026-999999' })).rejects.toBeInstanceOf(AdapterRejectedError);
    const other = AUTHORISATIONS.find((a) => a.lineId !== shdsl.l.lineId)!;
    await expect(orders.registerSwitch({ ...base, idempotencyKey: 'e', fromOperator: shdsl.l.operator, authorisationReference: other.reference })).rejects.toThrow(/another subscription/);
  });
});

describe('X-4: the order system agrees a date change (I-5, T-2)', () => {
  const shdsl = AUTHORISATIONS.map((a) => ({ a, l: LINES.find((x) => x.lineId === a.lineId)! })).find(({ l }) => l.productCode === 'JARA-SHDSL')!;
  it("I-5 / T-2: a registered order's new date is agreed when it keeps the lead time; refused for a date short of it or an unknown order", async () => {
    const orders = new OrderSystemSimulator({ prices: new PriceListSimulator({ faults: { latencyMs: [0, 0] } }), faults: { latencyMs: [0, 0] } });
    const sw = await orders.registerSwitch({
      idempotencyKey: 'sw',
      number: shdsl.l.phoneNumber!,
      productCode: 'JARA-SHDSL',
      fromOperator: shdsl.l.operator,
      toCompany: 'Nordnett AS',
      authorisationReference: shdsl.a.reference,
      requestedDate: addCalendarDays(today, 21),
      today,
    });
    const change = (key: string, requestedDate: string, customerOrderId = sw.customerOrderId) => orders.changeOrderDate({ idempotencyKey: key, customerOrderId, requestedDate, today });
    await expect(change('1', addCalendarDays(today, 20))).rejects.toThrow(/21 days/);
    await expect(change('2', addCalendarDays(today, 25), '1-NOSUCH')).rejects.toThrow(/no switch or termination order/);
    expect(await change('3', addCalendarDays(today, 25))).toEqual({ customerOrderId: sw.customerOrderId, agreedDate: addCalendarDays(today, 25) });
    expect(orders.agreedDateOf(sw.customerOrderId)).toBe(addCalendarDays(today, 25));
    // an order registered before the simulator kept its orders' dates (the service's saved state) is found by its registration
    (Reflect.get(orders, 'portfolioOrders') as Map<string, unknown>).clear();
    await expect(change('3b', addCalendarDays(today, 20))).rejects.toThrow(/21 days/);
    expect((await change('3c', addCalendarDays(today, 30))).agreedDate).toBe(addCalendarDays(today, 30));
    const t = await orders.registerTermination({ idempotencyKey: 't', numbers: [shdsl.l.phoneNumber!], requestedDate: addCalendarDays(today, 5), today });
    await expect(change('4', addCalendarDays(today, -1), t.customerOrderId)).rejects.toThrow(/has passed/);
    expect((await change('5', today, t.customerOrderId)).agreedDate).toBe(today);
  });
});

describe('X-3: the booking carries the AEG work (I-6)', () => {
  it('I-6: the appointment system holds the AEG work of a booking and refuses unknown work', async () => {
    const addresses = new AddressRegisterSimulator({ faults: { latencyMs: [0, 0] } });
    const appointments = new AppointmentSimulator({ addresses, faults: { latencyMs: [0, 0] }, backgroundLoad: 0 });
    const [slot] = await appointments.slots({ addressId: 'adr-0001', from: '2027-01-04', to: '2027-01-08' });
    await expect(appointments.book({ slotId: slot!.slotId, reference: 'SW-1', idempotencyKey: 'x', aegServices: ['gold-plating'] })).rejects.toThrow(/unknown AEG work/);
    const b = await appointments.book({ slotId: slot!.slotId, reference: 'SW-1', idempotencyKey: 'k', aegServices: ['modem-installation', 'extra-socket'] });
    expect(b.aegServices).toEqual(['extra-socket', 'modem-installation']);
    expect(appointments.booking(b.bookingId)?.aegServices).toEqual(['extra-socket', 'modem-installation']);
    // the same key with other work is another request
    await expect(appointments.book({ slotId: slot!.slotId, reference: 'SW-1', idempotencyKey: 'k', aegServices: [] })).rejects.toThrow(/another request/);
  });
});
