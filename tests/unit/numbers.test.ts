// O-12 / O-20: the number-reservation decision and how a lapsed reservation is shown.
import { describe, expect, it } from 'vitest';
import { decideNumberReservation, getsNumberFromNumbering, numberAsSeen, type NumberDecisionView } from '../../domain/numbers';

const now = new Date('2026-12-01T10:00:00Z');
const view = (over: Partial<NumberDecisionView> = {}): NumberDecisionView => ({
  number: 'ORD-1',
  status: 'New',
  phase: 'draft',
  revision: 0,
  autoCancelAt: '2026-12-15T10:00:00Z',
  lines: [{ lineNo: 1, status: 'New', booking: { bookingId: 'BK-1' }, numberReservation: null }],
  ...over,
});

describe('O-12: number reservation with the booking', () => {
  it('O-12: PSTN and ISDN only', () => {
    expect(getsNumberFromNumbering('pstn')).toBe(true);
    expect(getsNumberFromNumbering('isdn')).toBe(true);
    expect(getsNumberFromNumbering('adsl')).toBe(false);
    expect(decideNumberReservation(view(), 1, 'adsl', now)).toMatchObject({ kind: 'not_allowed', rule: 'O-12' });
  });
  it('O-12: a booked, never-submitted draft line may reserve once', () => {
    expect(decideNumberReservation(view(), 1, 'pstn', now)).toBeUndefined();
    expect(decideNumberReservation(view({ lines: [{ lineNo: 1, status: 'New', booking: null }] }), 1, 'pstn', now)).toMatchObject({ message: expect.stringMatching(/book a technician/) });
    expect(decideNumberReservation(view({ phase: 'submitted', status: 'Registered' }), 1, 'pstn', now)).toMatchObject({ rule: 'O-12' });
    expect(decideNumberReservation(view({ revision: 1, autoCancelAt: null }), 1, 'pstn', now)).toMatchObject({ rule: 'O-12' });
    expect(decideNumberReservation(view(), 2, 'pstn', now)).toMatchObject({ kind: 'invalid' });
    const reserved = { reservationId: 'NR-1', number: '22900001', status: 'reserved' as const, expiresAt: '2026-12-15T10:00:00Z' };
    expect(decideNumberReservation(view({ lines: [{ lineNo: 1, status: 'New', booking: {}, numberReservation: reserved }] }), 1, 'pstn', now)).toMatchObject({
      message: expect.stringContaining('22900001'),
    });
  });
  it('O-20: a reservation past its expiry is shown expired; held and assigned ones never lapse', () => {
    const r = { reservationId: 'NR-1', number: '22900001', status: 'reserved' as const, expiresAt: '2026-12-01T09:59:59Z' };
    expect(numberAsSeen(r, now)).toMatchObject({ status: 'expired' });
    expect(numberAsSeen({ ...r, status: 'held', expiresAt: null }, now)).toMatchObject({ status: 'held' });
    expect(numberAsSeen(null, now)).toBeNull();
  });
});
