// Termination rules as pure functions (T-2, T-3) and the production timer (pinned).
import { describe, expect, it } from 'vitest';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import { RULE_DURATIONS } from '../../domain/durations';
import type { Actor } from '../../domain/identity';
import { executionInstant } from '../../domain/portfolio';
import { allowedTerminationActions, decideTerminationAction, earliestTerminationDate, terminationDateProblem, terminationNoticeDays } from '../../domain/termination';

const customer: Actor = { username: 'ola.nordnett', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' };
const reader: Actor = { username: 'kari.nordnett', role: 'reseller', companyId: 'nordnett', accessType: 'read' };

describe('T-3: how long a subscription lasts after termination follows the product', () => {
  it('T-3: notice days come from the catalogue, the longest of the products wins', () => {
    const p = (c: string) => PRODUCT_CATALOG.get(c)!;
    expect(terminationNoticeDays([p('PSTN')])).toBe(30);
    expect(terminationNoticeDays([p('SAMB-ETH')])).toBe(90);
    expect(terminationNoticeDays([p('PSTN'), p('JARA-SHDSL'), p('JARA-ADSL-DELT')])).toBe(60);
    expect(terminationNoticeDays([p('MORK-FIBER')])).toBe(180);
  });
  it('T-3: one day short of the notice is refused with the earliest date; the notice itself is allowed', () => {
    expect(earliestTerminationDate('2026-11-26', 30)).toBe('2026-12-26');
    expect(terminationDateProblem('2026-11-26', '2026-12-25', 30)).toContain('earliest termination date is 2026-12-26');
    expect(terminationDateProblem('2026-11-26', '2026-12-26', 30)).toBeUndefined();
  });
  it('T-3: calendar days across the DST change', () => {
    expect(earliestTerminationDate('2027-03-01', 30)).toBe('2027-03-31');
    expect(terminationDateProblem('2027-03-01', '2027-03-30', 30)).toContain('2027-03-31');
  });
});

describe('T-2: disconnected on the date', () => {
  it('T-2: production value pinned: at 00:00 Oslo on the termination date', () => {
    expect(RULE_DURATIONS.terminationExecution).toEqual({ calendarDays: 0 });
    expect(executionInstant('2027-01-15', RULE_DURATIONS.terminationExecution, new Date()).toISOString()).toBe('2027-01-14T23:00:00.000Z');
    expect(executionInstant('2027-06-30', RULE_DURATIONS.terminationExecution, new Date()).toISOString()).toBe('2027-06-29T22:00:00.000Z');
  });
  it('T-2: before the date the user may move or withdraw it; afterwards nothing', () => {
    expect(allowedTerminationActions('Registered', customer)).toEqual(['changeDate', 'withdraw']);
    expect(allowedTerminationActions('Registered', reader)).toEqual([]);
    expect(allowedTerminationActions('Completed', customer)).toEqual([]);
    expect(allowedTerminationActions('Withdrawn', customer)).toEqual([]);
  });
});

describe('the one decision on a termination action (workflow validator and API precheck alike)', () => {
  const view = { number: 'TRM-000042', status: 'Registered' as const, noticeDays: 30 };
  it('T-2: only while Registered, with the words of the status', () => {
    expect(decideTerminationAction({ ...view, status: 'Completed' }, 'withdraw', { actor: customer }, '2026-12-01')).toMatchObject({
      kind: 'not_allowed',
      rule: 'T-2',
      allowedActions: [],
      message: expect.stringContaining('was carried out'),
    });
    expect(decideTerminationAction({ ...view, status: 'Withdrawn' }, 'withdraw', { actor: customer }, '2026-12-01')).toMatchObject({
      kind: 'not_allowed',
      message: expect.stringContaining('is no longer pending'),
    });
    expect(decideTerminationAction(view, 'withdraw', { actor: reader }, '2026-12-01')).toMatchObject({ kind: 'not_allowed' });
    expect(decideTerminationAction(view, 'withdraw', { actor: customer }, '2026-12-01')).toBeUndefined();
  });
  it('T-3: the notice counts from the day of the change', () => {
    expect(decideTerminationAction(view, 'changeDate', { actor: customer, requestedDate: '2026-12-30' }, '2026-12-01')).toEqual({
      kind: 'invalid',
      problems: [expect.objectContaining({ field: 'requestedDate', rule: 'T-3', message: expect.stringContaining('2026-12-31') })],
    });
    expect(decideTerminationAction(view, 'changeDate', { actor: customer, requestedDate: '2026-12-31' }, '2026-12-01')).toBeUndefined();
    expect(decideTerminationAction(view, 'changeDate', { actor: customer }, '2026-12-01')).toMatchObject({ kind: 'invalid', problems: [{ field: 'requestedDate', rule: 'T-2' }] });
  });
});
