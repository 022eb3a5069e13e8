// M-2: the trouble ticket's pure rules — status table, who may act, the repair clock — the production
// durations, the catalogue's repair targets and the line-test simulator.
import { describe, expect, it } from 'vitest';
import { AdapterTimeoutError } from '../../adapters/faults';
import { LineTestSimulator, simulatedVerdict } from '../../adapters/line-test';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import { RULE_DURATIONS, TROUBLE_TICKET_ESCALATION_WARNING_FRACTION } from '../../domain/durations';
import type { Actor } from '../../domain/identity';
import { emailAudience } from '../../domain/notifications';
import { allowedTtActions, clockOnStatusChange, clockReading, decideTtAction, mayReportFaults, newRepairClock, nextEscalation, repairTargetMs, ttOpenKey } from '../../domain/trouble-ticket';

const ola: Actor = { username: 'ola', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' };
const kari: Actor = { username: 'kari', role: 'reseller', companyId: 'nordnett', accessType: 'read' };
const hanne: Actor = { username: 'hanne', role: 'handler', companyId: null, accessType: null };

describe('M-2 durations and catalogue', () => {
  it('M-2.5: a Resolved ticket closes after 5 calendar days; M-2.4: one catalogue hour is an hour, the warning comes at 80 %', () => {
    expect(RULE_DURATIONS.troubleTicketAutoClose).toEqual({ calendarDays: 5 });
    expect(RULE_DURATIONS.troubleTicketRepairHour).toEqual({ ms: 3_600_000 });
    expect(TROUBLE_TICKET_ESCALATION_WARNING_FRACTION).toBe(0.8);
  });
  it('M-2.4: every product has a repair-time target; capacity products the shortest', () => {
    for (const p of PRODUCT_CATALOG.values()) expect(p.repairTargetHours).toBeGreaterThan(0);
    expect(PRODUCT_CATALOG.get('SAMB-ETH')!.repairTargetHours).toBe(4);
    expect(PRODUCT_CATALOG.get('PSTN')!.repairTargetHours).toBe(24);
    expect(repairTargetMs(4, RULE_DURATIONS.troubleTicketRepairHour)).toBe(4 * 3_600_000);
    expect(repairTargetMs(24, { ms: 150 })).toBe(3600);
  });
});

describe('M-2.1, M-2.5, M-2.6: decisions', () => {
  it('M-2.1: the fault module needs the training and ordering or full access', () => {
    expect(mayReportFaults(ola, ['ordering', 'fault'])).toBe(true);
    expect(mayReportFaults(ola, ['ordering'])).toBe(false);
    expect(mayReportFaults(kari, ['fault'])).toBe(false);
    expect(mayReportFaults(hanne, ['fault'])).toBe(false);
    expect(decideTtAction({ number: 'TT-1', status: 'New' }, 'submit', { actor: ola, faultModule: false })).toMatchObject({ kind: 'not_allowed', rule: 'M-2.1' });
  });
  it('M-2.5: the status table: customer and handler actions per status', () => {
    expect(allowedTtActions('New', ola, true)).toEqual(['update', 'submit', 'cancel']);
    expect(allowedTtActions('Resolved', ola, true)).toEqual(['confirm', 'reopen']);
    expect(allowedTtActions('Incomplete', ola, true)).toEqual(['update', 'customerUpdate', 'cancel', 'bookAppointment']);
    expect(allowedTtActions('Submitted', hanne, false)).toEqual(['bookAppointment', 'take']);
    expect(allowedTtActions('In Process', hanne, false)).toEqual(['bookAppointment', 'requestInfo', 'resolve']);
    expect(allowedTtActions('Closed', ola, true)).toEqual([]);
    expect(decideTtAction({ number: 'TT-1', status: 'In Process' }, 'confirm', { actor: ola, faultModule: true })).toMatchObject({ kind: 'not_allowed', rule: 'M-2.5', status: 'In Process' });
  });
  it('M-2.5, M-2.6: reopen needs a reason, resolve a cause and a resolution', () => {
    expect(decideTtAction({ number: 'TT-1', status: 'Resolved' }, 'reopen', { actor: ola, faultModule: true })).toEqual({
      kind: 'invalid',
      problems: [expect.objectContaining({ field: 'reason', rule: 'M-2.5' })],
    });
    const r = decideTtAction({ number: 'TT-1', status: 'In Process' }, 'resolve', { actor: hanne, faultModule: false, text: ' ' });
    expect(r).toMatchObject({ kind: 'invalid' });
    expect(r?.kind === 'invalid' && r.problems.map((p) => p.field)).toEqual(['resolution', 'cause']);
    expect(decideTtAction({ number: 'TT-1', status: 'In Process' }, 'resolve', { actor: hanne, faultModule: false, text: 'Spliced', cause: 'Cable cut' })).toBeUndefined();
  });
  it('M-2.3: the open key is per product number', () => expect(ttOpenKey(' 22604411 ')).toBe('tt|22604411'));
  it('M-2.5: e-mails: Incomplete and Resolved to every contact; a Closed the user confirmed only to the opted-in, an automatic one to all', () => {
    expect(emailAudience('trouble_ticket', 'Incomplete', true)).toBe('company');
    expect(emailAudience('trouble_ticket', 'Resolved', true)).toBe('company');
    expect(emailAudience('trouble_ticket', 'Closed', false, true)).toBe('opted_in');
    expect(emailAudience('trouble_ticket', 'Closed', false, false)).toBe('company');
    expect(emailAudience('trouble_ticket', 'Cancelled', false, true)).toBe('opted_in');
    expect(emailAudience('trouble_ticket', 'In Process', true)).toBe('opted_in');
  });
});

describe('M-2.4: the repair clock', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 8, 0, s));
  it('M-2.4: runs while the wholesaler has the ticket, pauses while Incomplete, resumes on Customer Update, stops at Resolved', () => {
    const c = newRepairClock(100_000, 0.8);
    clockOnStatusChange(c, 'New', 'Submitted', at(0));
    expect(clockReading(c, at(10))).toMatchObject({ usedMs: 10_000, leftMs: 90_000, running: true });
    clockOnStatusChange(c, 'Submitted', 'In Process', at(10)); // running → running: nothing changes
    clockOnStatusChange(c, 'In Process', 'Incomplete', at(20));
    expect(clockReading(c, at(70))).toMatchObject({ usedMs: 20_000, leftMs: 80_000, running: false, dueAt: null });
    clockOnStatusChange(c, 'Incomplete', 'Customer Update', at(70));
    expect(clockReading(c, at(80))).toMatchObject({ usedMs: 30_000, running: true, dueAt: at(150).toISOString() });
    expect(nextEscalation(c)).toEqual({ level: 'warning', at: at(130) });
    c.escalation = 'warning';
    expect(nextEscalation(c)).toEqual({ level: 'breached', at: at(150) });
    clockOnStatusChange(c, 'Customer Update', 'Resolved', at(160));
    expect(clockReading(c, at(500))).toMatchObject({ usedMs: 110_000, leftMs: -10_000, running: false });
    expect(nextEscalation(c)).toBeUndefined();
    clockOnStatusChange(c, 'Resolved', 'In Process', at(600)); // reopened: resumes
    expect(clockReading(c, at(601)).usedMs).toBe(111_000);
  });
});

describe('M-2.2: the line-test simulator', () => {
  it('M-2.2: deterministic per line, about half the lines faulty, pins and faults', async () => {
    const numbers = Array.from({ length: 400 }, (_, i) => String(22_000_000 + i * 7919));
    const faulty = numbers.filter((n) => simulatedVerdict(n).verdict === 'fault_found').length;
    expect(faulty).toBeGreaterThan(140);
    expect(faulty).toBeLessThan(260);
    const sim = new LineTestSimulator({ faults: { latencyMs: [0, 0] } });
    const n = numbers.find((x) => simulatedVerdict(x).verdict === 'no_fault_found')!;
    expect((await sim.test({ number: n, productCode: 'PSTN' })).verdict).toBe('no_fault_found');
    expect((await sim.test({ number: n, productCode: 'PSTN' })).verdict).toBe('no_fault_found');
    sim.setVerdict(n, 'fault_found');
    expect(await sim.test({ number: n, productCode: 'PSTN' })).toMatchObject({ verdict: 'fault_found', faultLocation: expect.any(String) });
    sim.faults.set({ timeoutRate: 1, timeoutMs: 5 });
    await expect(sim.test({ number: n, productCode: 'PSTN' })).rejects.toBeInstanceOf(AdapterTimeoutError);
  });
});
