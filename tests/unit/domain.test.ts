import { describe, expect, it } from 'vitest';
import { RULE_DURATIONS, SESSION_IDLE_TIMEOUT_MS, SWITCH_ISP_LEAD_DAYS } from '../../domain/durations';
import type { Actor } from '../../domain/identity';
import { allowedSrActions, areaAllowedFor, nextSrStatus, routeServiceRequest, SR_CATALOGUE, SrAction, SrArea, SrStatus } from '../../domain/service-request';
import { addCalendarDays, calendarDaysBetween, deadlineAfter, isValidIsoDate, osloDate, osloInstant } from '../../domain/time';
import { loadDevConfig } from '../../scripts/temporal';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/search-attributes';

const customer: Actor = { username: 'ola', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' };
const reader: Actor = { ...customer, username: 'kari', accessType: 'read' };
const fullAccess: Actor = { ...customer, username: 'ingrid', accessType: 'full' };
const handler: Actor = { username: 'hanne', role: 'handler', companyId: null, accessType: null };

describe('rule durations (production values pinned)', () => {
  it('S-9: SRs close after 14 calendar days', () => expect(RULE_DURATIONS.serviceRequestAutoClose).toEqual({ calendarDays: 14 }));
  it('O-20: unsubmitted orders are cancelled after 14 days', () => expect(RULE_DURATIONS.orderAutoCancel).toEqual({ calendarDays: 14 }));
  it('quote price validity defaults to 90 days', () => expect(RULE_DURATIONS.quotePriceValidity).toEqual({ calendarDays: 90 }));
  it('A-5: sessions end after 30 idle minutes', () => expect(SESSION_IDLE_TIMEOUT_MS).toBe(30 * 60 * 1000));
  it('I-5: switch lead times 16 and 21 (SHDSL) days', () => expect(SWITCH_ISP_LEAD_DAYS).toEqual({ default: 16, shdsl: 21 }));
});

describe('Oslo business dates', () => {
  it('S-9: 14 calendar days across the end of summer time keep the wall-clock time', () => {
    const start = osloInstant('2026-10-20', 9, 30); // CEST
    const deadline = deadlineAfter(start, { calendarDays: 14 });
    expect(osloDate(deadline)).toBe('2026-11-03');
    expect(deadline.toISOString()).toBe('2026-11-03T08:30:00.000Z'); // 09:30 CET
    expect(deadline.getTime() - start.getTime()).toBe(14 * 86_400_000 + 3_600_000);
  });
  it('S-9: across the start of summer time the deadline is an hour shorter in absolute time', () => {
    const start = osloInstant('2026-03-20', 12, 0);
    const deadline = deadlineAfter(start, { calendarDays: 14 });
    expect(deadline.toISOString()).toBe('2026-04-03T10:00:00.000Z');
  });
  it('a millisecond duration is exact (tests)', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect(deadlineAfter(start, { ms: 1500 }).getTime()).toBe(start.getTime() + 1500);
  });
  it('the Oslo date of an instant late in the UTC evening is the next day', () => {
    expect(osloDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(osloDate(new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
    expect(osloDate(new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });
  it('calendar arithmetic and validation', () => {
    expect(addCalendarDays('2026-02-20', 16)).toBe('2026-03-08');
    expect(calendarDaysBetween('2026-03-20', '2026-04-10')).toBe(21);
    expect(isValidIsoDate('2026-02-29')).toBe(false);
    expect(isValidIsoDate('2028-02-29')).toBe(true);
  });
});

describe('service request rules', () => {
  it('S-7: the allowed actions per status for a customer', () => {
    const table = Object.fromEntries(SrStatus.options.map((s) => [s, allowedSrActions(s, customer)]));
    expect(table).toEqual({
      New: ['update', 'submit', 'close', 'cancel'],
      Submitted: ['close', 'cancel'],
      'In Process': ['close', 'cancel'],
      Incomplete: ['update', 'submit', 'close', 'cancel'],
      Completed: ['close'],
      Closed: [],
      Cancelled: [],
    });
  });
  it('S-7: the allowed actions per status for a handler', () => {
    const table = Object.fromEntries(SrStatus.options.map((s) => [s, allowedSrActions(s, handler)]));
    expect(table).toEqual({
      New: [],
      Submitted: ['take', 'cancelByOperator'],
      'In Process': ['requestInfo', 'complete', 'cancelByOperator'],
      Incomplete: ['cancelByOperator'],
      Completed: [],
      Closed: [],
      Cancelled: [],
    });
  });
  it('A-3: a read-only user may take no action at all', () => {
    for (const s of SrStatus.options) expect(allowedSrActions(s, reader)).toEqual([]);
  });
  it('S-7: where each action leads', () => {
    const to = Object.fromEntries(SrAction.options.map((a) => [a, nextSrStatus('Incomplete', a)]));
    expect(to).toMatchObject({ update: 'Incomplete', submit: 'Submitted', close: 'Closed', cancel: 'Cancelled' });
    expect(nextSrStatus('Submitted', 'take')).toBe('In Process');
    expect(nextSrStatus('In Process', 'requestInfo')).toBe('Incomplete');
    expect(nextSrStatus('In Process', 'complete')).toBe('Completed');
  });
  it('S-4: every area routes to its department, Delivery by product area', () => {
    expect(routeServiceRequest('Delivery', 'Broadband')).toBe('customer-service-broadband');
    expect(routeServiceRequest('Delivery', 'Capacity')).toBe('customer-service-capacity');
    expect(routeServiceRequest('Escalation', 'Delivery delay')).toBe('service-manager');
    expect(routeServiceRequest('User administration', 'New user')).toBe('user-admin-desk');
    expect(routeServiceRequest('Support', 'Portal problem')).toBe('portal-support');
    expect(routeServiceRequest('Invoice', 'Wrong invoice')).toBe('billing');
    expect(routeServiceRequest('Quotes', 'More information')).toBe('sales-support');
    expect(routeServiceRequest('SLA compensation claim', 'Delivery SLA')).toBe('case-officer');
    expect(routeServiceRequest('Other', 'Other')).toBe('customer-service');
  });
  it('S-5: a sub-area of another area routes nowhere', () => {
    expect(routeServiceRequest('Invoice', 'Broadband')).toBeUndefined();
    expect(routeServiceRequest('Delivery', 'toString')).toBeUndefined();
    for (const area of SrArea.options) expect(Object.keys(SR_CATALOGUE[area].subAreas).length).toBeGreaterThan(0);
  });
  it('S-4: user administration only from full access', () => {
    expect(areaAllowedFor('User administration', customer)).toBe(false);
    expect(areaAllowedFor('User administration', fullAccess)).toBe(true);
    expect(areaAllowedFor('Delivery', customer)).toBe(true);
    expect(areaAllowedFor('Delivery', reader)).toBe(false);
  });
});

describe('A-6: search attributes', () => {
  it('the workflows use exactly the search attributes temporal-dev.yml registers', () => {
    const registered = loadDevConfig().searchAttributes;
    expect(Object.fromEntries(SEARCH_ATTRIBUTE_KEYS.map((k) => [k.name, k.type]))).toEqual(Object.fromEntries(Object.entries(registered).map(([name, type]) => [name, type.toUpperCase()])));
  });
});
