// The handler's tools and user administration as pure decisions (A-2, A-3, C-5, O-15, O-19, S-4).
import { describe, expect, it } from 'vitest';
import { decideAssignment, decideDuplicate, decideLineDates, decideSrReroute } from '../../domain/handler-tools';
import type { Actor } from '../../domain/identity';
import { nextTraining, trainingNeeded, userChangeProblems } from '../../domain/user-admin';

const handler: Actor = { username: 'hanne.handler', role: 'handler', companyId: null, accessType: null };
const other: Actor = { ...handler, username: 'henrik.handler' };
const reseller: Actor = { username: 'ola.nordnett', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' };
const line = { number: 'ORD-000001:1', status: 'Registered' as const, agreedDate: '2026-12-20', installationDate: null, duplicateOf: null };

describe('A-2: assignment', () => {
  it('A-2: take a free case, not one another handler holds; release only a held one; resellers never', () => {
    expect(decideAssignment({ number: 'SR-1', status: 'Submitted', assignee: null }, { actor: handler, mode: 'take', assignee: 'hanne.handler' })).toBeUndefined();
    expect(decideAssignment({ number: 'SR-1', status: 'Submitted', assignee: 'hanne.handler' }, { actor: other, mode: 'take', assignee: 'henrik.handler' })).toMatchObject({
      kind: 'not_allowed',
      rule: 'A-2',
    });
    expect(decideAssignment({ number: 'SR-1', status: 'Submitted', assignee: 'hanne.handler' }, { actor: other, mode: 'assign', assignee: 'henrik.handler' })).toBeUndefined();
    expect(decideAssignment({ number: 'SR-1', status: 'Submitted', assignee: null }, { actor: handler, mode: 'release', assignee: null })).toMatchObject({ kind: 'not_allowed' });
    expect(decideAssignment({ number: 'SR-1', status: 'Submitted', assignee: null }, { actor: reseller, mode: 'take', assignee: 'ola.nordnett' })).toMatchObject({ rule: 'A-2' });
  });
});

describe('S-4: re-routing', () => {
  const sr = { number: 'SR-1', status: 'Submitted' as const, area: 'Other' as const, subArea: 'Other' };
  it('S-4: an open SR to a sub-area of the new area, with a reason; not to where it is, not when closed', () => {
    expect(decideSrReroute(sr, { actor: handler, area: 'Invoice', subArea: 'Wrong invoice', reason: 'billing' })).toBeUndefined();
    expect(decideSrReroute(sr, { actor: handler, area: 'Invoice', subArea: 'Broadband', reason: 'x' })).toMatchObject({ kind: 'invalid', problems: [{ field: 'subArea', rule: 'S-5' }] });
    expect(decideSrReroute(sr, { actor: handler, area: 'Other', subArea: 'Other', reason: 'x' })).toMatchObject({ problems: [{ field: 'subArea', rule: 'S-4' }] });
    expect(decideSrReroute({ ...sr, status: 'Closed' }, { actor: handler, area: 'Invoice', subArea: 'Wrong invoice', reason: 'x' })).toMatchObject({ kind: 'not_allowed', rule: 'S-4' });
  });
});

describe('C-5, O-15, O-19: line dates and duplicates', () => {
  it('C-5: the Agreed Date from Registered until Field Service, not in the past, with a reason; O-15: the installation date only in Field Service', () => {
    expect(decideLineDates(line, { actor: handler, agreedDate: '2026-12-30', reason: 'SR' }, '2026-12-01')).toBeUndefined();
    expect(decideLineDates(line, { actor: handler, agreedDate: '2026-11-30', reason: 'SR' }, '2026-12-01')).toMatchObject({ problems: [{ field: 'agreedDate', rule: 'C-5' }] });
    expect(decideLineDates(line, { actor: handler, agreedDate: '2026-12-30' }, '2026-12-01')).toMatchObject({ problems: [{ field: 'reason' }] });
    expect(decideLineDates({ ...line, status: 'Test' }, { actor: handler, agreedDate: '2026-12-30', reason: 'x' }, '2026-12-01')).toMatchObject({ kind: 'not_allowed', rule: 'C-5' });
    expect(decideLineDates(line, { actor: handler, installationDate: '2026-12-30', reason: 'x' }, '2026-12-01')).toMatchObject({ rule: 'O-15' });
    expect(decideLineDates({ ...line, status: 'Field Service' }, { actor: handler, installationDate: '2026-12-30', reason: 'x' }, '2026-12-01')).toBeUndefined();
    expect(decideLineDates(line, { actor: reseller, agreedDate: '2026-12-30', reason: 'x' }, '2026-12-01')).toMatchObject({ rule: 'A-2' });
  });

  it('O-19: only a Duplicate is released; a line before delivery is held, never as its own duplicate', () => {
    expect(decideDuplicate({ ...line, status: 'Duplicate' }, 'releaseDuplicate', { actor: handler, reason: 'x' })).toBeUndefined();
    expect(decideDuplicate(line, 'releaseDuplicate', { actor: handler, reason: 'x' })).toMatchObject({ kind: 'not_allowed', rule: 'O-19' });
    expect(decideDuplicate(line, 'markDuplicate', { actor: handler, reason: 'x', duplicateOf: 'ORD-000002:1' })).toBeUndefined();
    expect(decideDuplicate(line, 'markDuplicate', { actor: handler, reason: 'x', duplicateOf: line.number })).toMatchObject({ kind: 'invalid' });
    expect(decideDuplicate({ ...line, status: 'Ordered' }, 'markDuplicate', { actor: handler, reason: 'x', duplicateOf: 'ORD-000002:1' })).toMatchObject({ kind: 'not_allowed' });
  });
});

describe('A-3: training (deck slide 8)', () => {
  const kari = { username: 'kari.nordnett', role: 'reseller', companyId: 'nordnett', accessType: 'read' as const, training: [], disabled: false };
  it('A-3: ordering and full access (and a superuser) need their training; read needs none', () => {
    expect(trainingNeeded('reseller', 'read')).toBeNull();
    expect(trainingNeeded('reseller', 'ordering')).toBe('ordering');
    expect(trainingNeeded('reseller', 'full')).toBe('full');
    expect(trainingNeeded('superuser', 'read')).toBe('full');
    expect(userChangeProblems({ kind: 'update', username: 'kari.nordnett', accessType: 'ordering' }, 'nordnett', kari)).toMatchObject([{ field: 'accessType', rule: 'A-3' }]);
    expect(userChangeProblems({ kind: 'update', username: 'kari.nordnett', accessType: 'ordering', addTraining: ['ordering'] }, 'nordnett', kari)).toEqual([]);
    expect(userChangeProblems({ kind: 'update', username: 'kari.nordnett', addTraining: ['fault'] }, 'fjordtel', kari)).toMatchObject([{ field: 'username', rule: 'A-1' }]);
    expect(userChangeProblems({ kind: 'close', username: 'kari.nordnett', reason: 'misuse' }, 'nordnett', { ...kari, disabled: true })).toMatchObject([{ rule: 'A-5' }]);
    expect(nextTraining(['fault', 'ordering'], { addTraining: ['full'], removeTraining: ['fault'] })).toEqual(['ordering', 'full']);
  });
});
