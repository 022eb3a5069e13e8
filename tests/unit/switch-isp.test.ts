// Switch-ISP rules as pure functions (I-2, I-4, I-5, I-6) and the production timer (pinned).
import { describe, expect, it } from 'vitest';
import { AUTHORISATIONS, NRDB_EXAMPLES } from '../../adapters/nrdb';
import { LINES } from '../../adapters/lines';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import { RULE_DURATIONS, SWITCH_ISP_LEAD_DAYS } from '../../domain/durations';
import { executionInstant } from '../../domain/portfolio';
import {
  accessTypeChangeProblem,
  allowedSwitchActions,
  authorisationProblems,
  decideSwitchAction,
  earliestSwitchDate,
  isSwitchTarget,
  slotDate,
  switchDateProblem,
  switchLeadDays,
  technicianRequired,
} from '../../domain/switch-isp';
import { osloDate } from '../../domain/time';
import type { Actor } from '../../domain/identity';

const product = (code: string) => PRODUCT_CATALOG.get(code)!;
const customer: Actor = { username: 'ola.nordnett', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' };
const reader: Actor = { username: 'kari.nordnett', role: 'reseller', companyId: 'nordnett', accessType: 'read' };
const handler: Actor = { username: 'hanne.handler', role: 'handler', companyId: null, accessType: null };

describe('I-5: requested date at least 16 days ahead, 21 for SHDSL (Oslo calendar days)', () => {
  it('I-5: the lead days are pinned', () => {
    expect(SWITCH_ISP_LEAD_DAYS).toEqual({ default: 16, shdsl: 21 });
    expect(switchLeadDays(product('JARA-ADSL-DELT'))).toBe(16);
    expect(switchLeadDays(product('OPA-FULL'))).toBe(16);
    expect(switchLeadDays(product('JARA-SHDSL'))).toBe(21);
  });

  it('I-5: 15 days ahead is refused with the earliest date, 16 is allowed', () => {
    expect(switchDateProblem('2026-11-26', '2026-12-11', 16)).toContain('earliest allowed date is 2026-12-12');
    expect(switchDateProblem('2026-11-26', '2026-12-12', 16)).toBeUndefined();
  });

  it('I-5: SHDSL: 20 days ahead is refused, 21 is allowed', () => {
    expect(switchDateProblem('2026-11-26', '2026-12-16', 21)).toContain('earliest allowed date is 2026-12-17');
    expect(switchDateProblem('2026-11-26', '2026-12-17', 21)).toBeUndefined();
  });

  it('I-5: across the spring DST change (2027-03-28) the count stays in calendar days', () => {
    // 2027-03-20 → +16 crosses the night the clocks go forward
    expect(earliestSwitchDate('2027-03-20', 16)).toBe('2027-04-05');
    expect(switchDateProblem('2027-03-20', '2027-04-04', 16)).toContain('2027-04-05');
    expect(switchDateProblem('2027-03-20', '2027-04-05', 16)).toBeUndefined();
    expect(switchDateProblem('2027-03-10', '2027-03-30', 21)).toContain('2027-03-31');
    expect(switchDateProblem('2027-03-10', '2027-03-31', 21)).toBeUndefined();
  });

  it('I-5: "today" is the Oslo date, also in the hour after midnight on the DST night', () => {
    // 2027-03-27 23:30 UTC is 00:30 CET on 28 March → today is the 28th, not the 27th (UTC date)
    const today = osloDate(new Date('2027-03-27T23:30:00Z'));
    expect(today).toBe('2027-03-28');
    expect(earliestSwitchDate(today, 16)).toBe('2027-04-13');
    // autumn: 2026-10-24 22:30 UTC is 00:30 CEST on 25 October (the night the clocks go back)
    expect(osloDate(new Date('2026-10-24T22:30:00Z'))).toBe('2026-10-25');
    expect(switchDateProblem('2026-10-25', '2026-11-09', 16)).toContain('2026-11-10');
    expect(switchDateProblem('2026-10-25', '2026-11-10', 16)).toBeUndefined();
  });
});

describe('the switch is carried out at 00:00 Oslo on the requested date (production timer)', () => {
  it('I-5: production value pinned: 0 calendar days after the start of the date', () => {
    expect(RULE_DURATIONS.switchIspExecution).toEqual({ calendarDays: 0 });
  });
  it('I-5: 00:00 Oslo is 23:00 UTC the day before in winter, 22:00 in summer', () => {
    const since = new Date('2026-11-26T10:00:00Z');
    expect(executionInstant('2026-12-14', RULE_DURATIONS.switchIspExecution, since).toISOString()).toBe('2026-12-13T23:00:00.000Z');
    expect(executionInstant('2027-04-05', RULE_DURATIONS.switchIspExecution, since).toISOString()).toBe('2027-04-04T22:00:00.000Z');
    // the DST day itself: midnight still exists (the jump is at 02:00)
    expect(executionInstant('2027-03-28', RULE_DURATIONS.switchIspExecution, since).toISOString()).toBe('2027-03-27T23:00:00.000Z');
  });
  it('tests run the same timer with milliseconds counted from registration or the latest date change', () => {
    expect(executionInstant('2030-01-01', { ms: 1500 }, new Date('2026-11-26T10:00:00Z')).toISOString()).toBe('2026-11-26T10:00:01.500Z');
  });
});

describe('I-6: technician table', () => {
  it.each([
    ['ONLINE-ADSL', 'JARA-ADSL-DELT', false],
    ['JARA-ADSL-DELT', 'JARA-ADSL-DELT', false],
    ['JARA-ADSL-FULL', 'JARA-ADSL-FULL', false],
    ['OPA-DELT', 'JARA-ADSL-DELT', true],
    ['JARA-ADSL-DELT', 'OPA-DELT', true],
    ['ONLINE-ADSL', 'OPA-DELT', true],
    ['OPA-FULL', 'OPA-FULL', true],
    ['OPA-DELT', 'OPA-DELT', true],
    ['JARA-ADSL-FULL', 'OPA-FULL', true],
  ])('I-6: %s → %s needs a technician: %s', (from, to, expected) => {
    expect(technicianRequired(from, to)).toBe(expected);
  });
  it('O-12: the slot date is read from the slot id', () => {
    expect(slotDate('OSLO-2026-12-14-0812')).toBe('2026-12-14');
    expect(slotDate('nonsense')).toBeUndefined();
  });
});

describe('I-1 / I-2: what a switch may move to', () => {
  it('I-2: shared → full is a product conversion, refused with both ways forward', () => {
    const p = accessTypeChangeProblem(product('JARA-ADSL-DELT'), product('OPA-FULL'))!;
    expect(p).toContain('product conversion');
    expect(p).toContain('change order (Modify)');
    expect(p).toContain('terminate and place a new order');
    expect(accessTypeChangeProblem(product('ONLINE-ADSL'), product('JARA-ADSL-DELT'))).toBeUndefined();
    expect(accessTypeChangeProblem(product('OPA-FULL'), product('JARA-ADSL-FULL'))).toBeUndefined();
  });
  it('I-1: only orderable ADSL and operator access are switch targets (not Online ADSL, PSTN, capacity)', () => {
    expect(isSwitchTarget(product('JARA-ADSL-DELT'))).toBe(true);
    expect(isSwitchTarget(product('OPA-FULL'))).toBe(true);
    expect(isSwitchTarget(product('ONLINE-ADSL'))).toBe(false);
    expect(isSwitchTarget(product('PSTN'))).toBe(false);
    expect(isSwitchTarget(product('SAMB-ETH'))).toBe(false);
  });
});

describe('I-4: the NRDB authorisation', () => {
  const byRef = (r: string) => AUTHORISATIONS.find((a) => a.reference === r);
  const line = (id: string) => LINES.find((l) => l.lineId === id)!;
  const sub = (id: string) => ({ lineId: id, number: line(id).phoneNumber!, ownerName: line(id).endUser.name });

  it('I-4: the valid example passes', () => {
    expect(authorisationProblems(NRDB_EXAMPLES.valid.reference, byRef(NRDB_EXAMPLES.valid.reference), sub(NRDB_EXAMPLES.valid.lineId), '2026-11-26')).toEqual([]);
  });
  it('I-4: unknown reference', () => {
    expect(authorisationProblems(NRDB_EXAMPLES.unknown, undefined, sub('LIN-000007'), '2026-11-26')[0]).toContain('no authorisation');
  });
  it('I-4: the reference of another subscription', () => {
    const ex = NRDB_EXAMPLES.wrongSubscription;
    expect(authorisationProblems(ex.reference, byRef(ex.reference), sub(ex.orderLineId), '2026-11-26').join()).toContain('another subscription');
  });
  it('I-4: given by somebody who is not the owner', () => {
    const ex = NRDB_EXAMPLES.notOwner;
    expect(authorisationProblems(ex.reference, byRef(ex.reference), sub(ex.lineId), '2026-11-26').join()).toContain('not the current owner');
  });
  it('I-4: expired', () => {
    const ex = NRDB_EXAMPLES.expired;
    expect(authorisationProblems(ex.reference, byRef(ex.reference), sub(ex.lineId), '2026-11-26').join()).toContain('expired on 2026-02-28');
  });
});

describe('I-7: who may do what on a switch', () => {
  it("I-7: the customer may only move the date; cancelling is the handler's, from a service request", () => {
    expect(allowedSwitchActions('Registered', customer)).toEqual(['changeDate']);
    expect(allowedSwitchActions('Registered', handler)).toEqual(['cancelByOperator']);
    expect(allowedSwitchActions('Registered', reader)).toEqual([]);
    expect(allowedSwitchActions('Completed', customer)).toEqual([]);
    expect(allowedSwitchActions('In Progress', handler)).toEqual([]);
  });
});

describe('the one decision on a switch action (workflow validator and API precheck alike)', () => {
  const today = '2026-12-01';
  const registered = { number: 'SW-000042', status: 'Registered' as const, leadDays: 16, technician: null };
  it('I-5 / I-7: the status table, for the actor, with the rule of the action', () => {
    expect(decideSwitchAction({ ...registered, status: 'Completed' }, 'changeDate', { actor: customer, requestedDate: '2027-01-10' }, today)).toMatchObject({
      kind: 'not_allowed',
      rule: 'I-5',
      status: 'Completed',
      allowedActions: [],
      message: "'changeDate' is not allowed on SW-000042 in status Completed",
    });
    expect(decideSwitchAction(registered, 'cancelByOperator', { actor: customer, serviceRequest: 'SR-000001', text: 'x' }, today)).toMatchObject({
      kind: 'not_allowed',
      rule: 'I-7',
      allowedActions: ['changeDate'],
    });
    expect(decideSwitchAction(registered, 'cancelByOperator', { actor: handler, serviceRequest: 'SR-000001', text: 'x' }, today)).toBeUndefined();
  });
  it('I-5 / I-6 / I-7: every failing field at once', () => {
    expect(decideSwitchAction(registered, 'changeDate', { actor: customer, requestedDate: '2026-12-10', slotId: 'OSLO-2026-12-10-0812' }, today)).toEqual({
      kind: 'invalid',
      problems: [expect.objectContaining({ field: 'requestedDate', rule: 'I-5' }), expect.objectContaining({ field: 'slotId', rule: 'I-6' })],
    });
    const withTechnician = { ...registered, technician: { slotId: 'OSLO-2027-01-04-0812' } };
    expect(decideSwitchAction(withTechnician, 'changeDate', { actor: customer, requestedDate: '2027-01-05', slotId: 'OSLO-2027-01-04-0812' }, today)).toEqual({
      kind: 'invalid',
      problems: [expect.objectContaining({ field: 'slotId', rule: 'I-6', message: 'slot OSLO-2027-01-04-0812 is not on 2027-01-05' })],
    });
    expect(decideSwitchAction(registered, 'changeDate', { actor: customer, requestedDate: '2026-12-17' }, today)).toBeUndefined();
    expect(decideSwitchAction(registered, 'cancelByOperator', { actor: handler }, today)).toMatchObject({ kind: 'invalid', problems: [{ field: 'serviceRequest' }, { field: 'text' }] });
  });
  it("I-2: the refusal names access types, never the end user's product", () => {
    const p = accessTypeChangeProblem(product('ONLINE-ADSL'), product('OPA-FULL'))!;
    expect(p).toContain('shared access');
    expect(p).not.toContain(product('ONLINE-ADSL').name);
  });
});
