// X-8 numbering simulator (O-12): reservations idempotent by key, lapsing at expiresAt (the draft's
// O-20 auto-cancel) and freeing the number, held at submit, assigned at delivery; faults as elsewhere.
import { describe, expect, it } from 'vitest';
import { AdapterRejectedError, AdapterUnavailableError, AddressRegisterSimulator, findLineByNumber, NumberingSimulator } from '../../../adapters';

const make = (now: { t: number }) => new NumberingSimulator({ addresses: new AddressRegisterSimulator(), now: () => now.t });
const input = (key: string, reference: string, expiresAt: string, addressId = 'adr-0069') => ({ idempotencyKey: key, productCode: 'PSTN', addressId, reference, expiresAt });

describe('X-8 numbering simulator', () => {
  it('O-12: a reservation is idempotent per key; a key reused for another request is refused', async () => {
    const now = { t: Date.parse('2026-12-01T10:00:00Z') };
    const sim = make(now);
    const a = await sim.reserve(input('k1', 'ORD-1:1', '2026-12-15T10:00:00Z'));
    expect(a).toMatchObject({ number: expect.stringMatching(/^229\d{5}$/), status: 'reserved', expiresAt: '2026-12-15T10:00:00Z' });
    expect(findLineByNumber(a.number)).toBeUndefined();
    expect(await sim.reserve(input('k1', 'ORD-1:1', '2026-12-15T10:00:00Z'))).toEqual(a);
    await expect(sim.reserve(input('k1', 'ORD-2:1', '2026-12-15T10:00:00Z'))).rejects.toBeInstanceOf(AdapterRejectedError);
    // one active reservation per line
    await expect(sim.reserve(input('k2', 'ORD-1:1', '2026-12-15T10:00:00Z'))).rejects.toThrow(/already has number/);
    const b = await sim.reserve(input('k3', 'ORD-2:1', '2026-12-15T10:00:00Z'));
    expect(b.number).not.toBe(a.number);
  });

  it('O-20, O-12: an unheld reservation lapses at expiresAt and its number is free again; a held one does not lapse', async () => {
    const now = { t: Date.parse('2026-12-01T10:00:00Z') };
    const sim = make(now);
    const a = await sim.reserve(input('k1', 'ORD-1:1', '2026-12-15T10:00:00Z'));
    const b = await sim.reserve(input('k2', 'ORD-2:1', '2026-12-15T10:00:00Z'));
    await sim.hold({ reservationId: b.reservationId });
    now.t = Date.parse('2026-12-15T10:00:01Z');
    expect(await sim.get(a.reservationId)).toMatchObject({ status: 'expired' });
    expect(await sim.get(b.reservationId)).toMatchObject({ status: 'held', expiresAt: null });
    await expect(sim.hold({ reservationId: a.reservationId })).rejects.toThrow(/lapsed/);
    const c = await sim.reserve(input('k3', 'ORD-3:1', '2026-12-29T10:00:00Z'));
    expect(c.number).toBe(a.number);
  });

  it('M-1: assignment takes the reserved number, or the next free one; idempotent per key', async () => {
    const now = { t: Date.parse('2026-12-01T10:00:00Z') };
    const sim = make(now);
    const a = await sim.reserve(input('k1', 'ORD-1:1', '2026-12-15T10:00:00Z'));
    await sim.hold({ reservationId: a.reservationId });
    const assigned = await sim.assign({ idempotencyKey: 'line-1', reservationId: a.reservationId, productCode: 'PSTN', addressId: 'adr-0069', reference: 'ORD-1:1' });
    expect(assigned).toMatchObject({ number: a.number, status: 'assigned' });
    expect(await sim.assign({ idempotencyKey: 'line-1', reservationId: a.reservationId, productCode: 'PSTN', addressId: 'adr-0069', reference: 'ORD-1:1' })).toEqual(assigned);
    const fresh = await sim.assign({ idempotencyKey: 'line-2', productCode: 'ISDN', addressId: '', reference: 'ORD-2:1' });
    expect(fresh).toMatchObject({ number: expect.stringMatching(/^699\d{5}$/), status: 'assigned' });
  });

  it('faults: an outage is an AdapterUnavailableError and changes nothing', async () => {
    const sim = make({ t: Date.parse('2026-12-01T10:00:00Z') });
    sim.faults.set({ errorRate: 1 });
    await expect(sim.reserve(input('k1', 'ORD-1:1', '2026-12-15T10:00:00Z'))).rejects.toBeInstanceOf(AdapterUnavailableError);
    sim.faults.reset();
    const a = await sim.reserve(input('k1', 'ORD-1:1', '2026-12-15T10:00:00Z'));
    expect(a.reservationId).toBe('NR-000001');
  });
});
