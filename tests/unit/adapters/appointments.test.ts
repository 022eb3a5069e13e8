import { describe, expect, it } from 'vitest';
import { AddressRegisterSimulator } from '../../../adapters/address-register';
import { AppointmentSimulator } from '../../../adapters/appointments';
import { easterSunday, isWorkingDay, norwegianHolidays } from '../../../adapters/calendar';
import { AdapterRejectedError, AdapterTimeoutError } from '../../../adapters/faults';

const make = (opts: { capacityPerSlot?: number; backgroundLoad?: number } = {}) => {
  const addresses = new AddressRegisterSimulator({ faults: { latencyMs: [0, 0] } });
  return new AppointmentSimulator({ addresses, faults: { latencyMs: [0, 0] }, backgroundLoad: 0, ...opts });
};

describe('Norwegian calendar (O-12)', () => {
  it('Easter Sunday 2026 and 2027', () => {
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
  });

  it('public holidays of 2026 and 2027 are not working days', () => {
    const h2026 = ['2026-01-01', '2026-04-02', '2026-04-03', '2026-04-05', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-17', '2026-05-24', '2026-05-25', '2026-12-25', '2026-12-26'];
    const h2027 = ['2027-01-01', '2027-03-25', '2027-03-26', '2027-03-28', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-16', '2027-05-17', '2027-12-25', '2027-12-26'];
    expect([...norwegianHolidays(2026).keys()].sort()).toEqual(h2026.sort());
    expect([...norwegianHolidays(2027).keys()].sort()).toEqual(h2027.sort());
    for (const d of [...h2026, ...h2027]) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2026-12-28')).toBe(true); // Monday
    expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
  });
});

describe('X-3 appointment system: slots (O-12)', () => {
  it("O-12: only working days, two windows each, in the address's technician area", async () => {
    const slots = await make().slots({ addressId: 'adr-0001', from: '2026-12-21', to: '2027-01-04' });
    const dates = [...new Set(slots.map((s) => s.date))];
    // 24 and 31 December are ordinary working days; 25/26 Dec and 1 Jan are holidays
    expect(dates).toEqual(['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-24', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-04']);
    expect(slots).toHaveLength(dates.length * 2);
    expect(slots[0]).toEqual({ slotId: 'OSLO-2026-12-21-0812', date: '2026-12-21', window: '08-12', area: 'Oslo' });
    expect(slots[1]?.window).toBe('12-16');
  });

  it('O-12: Easter 2027 has no slots Thursday to Monday', async () => {
    const slots = await make().slots({ addressId: 'adr-0007', from: '2027-03-24', to: '2027-03-30' });
    expect([...new Set(slots.map((s) => s.date))]).toEqual(['2027-03-24', '2027-03-30']);
    expect(slots.every((s) => s.area === 'Vestland' && s.slotId.startsWith('VESTLAND-'))).toBe(true);
  });

  it("other operators' bookings take part of the capacity, deterministically", async () => {
    const q = { addressId: 'adr-0001', from: '2027-02-01', to: '2027-02-26' };
    const busy = (load: number) =>
      new AppointmentSimulator({ addresses: new AddressRegisterSimulator({ faults: { latencyMs: [0, 0] } }), faults: { latencyMs: [0, 0] }, capacityPerSlot: 1, backgroundLoad: load });
    const a = await busy(0.5).slots(q);
    const b = await busy(0.5).slots(q);
    const all = await busy(0).slots(q);
    expect(a).toEqual(b);
    expect(a.length).toBeLessThan(all.length);
    expect(a.length).toBeGreaterThan(0);
  });

  it('refuses bad ranges, unknown and post-box addresses', async () => {
    const s = make();
    await expect(s.slots({ addressId: 'adr-0001', from: '2027-01-10', to: '2027-01-01' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(s.slots({ addressId: 'adr-0001', from: '2027-01-01', to: '2027-12-31' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(s.slots({ addressId: 'adr-0001', from: '2027-02-30', to: '2027-03-02' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(s.slots({ addressId: 'adr-9999', from: '2027-01-04', to: '2027-01-05' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await expect(s.slots({ addressId: 'adr-0011', from: '2027-01-04', to: '2027-01-05' })).rejects.toBeInstanceOf(AdapterRejectedError);
  });
});

describe('X-3 appointment system: booking (O-12)', () => {
  const slotOn = async (s: AppointmentSimulator, date: string, addressId = 'adr-0001') => {
    const slot = (await s.slots({ addressId, from: date, to: date }))[0];
    if (!slot) throw new Error(`no slot on ${date}`);
    return slot;
  };

  it('O-12: capacity per slot is limited — a full slot is refused and disappears from the list', async () => {
    const s = make({ capacityPerSlot: 2 });
    const slot = await slotOn(s, '2027-01-05');
    await s.book({ slotId: slot.slotId, reference: 'line-1', idempotencyKey: 'k1' });
    await s.book({ slotId: slot.slotId, reference: 'line-2', idempotencyKey: 'k2' });
    const err = await s.book({ slotId: slot.slotId, reference: 'line-3', idempotencyKey: 'k3' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterRejectedError);
    expect((err as Error).message).toMatch(/full/);
    const after = await s.slots({ addressId: 'adr-0001', from: '2027-01-05', to: '2027-01-05' });
    expect(after.map((x) => x.slotId)).not.toContain(slot.slotId);
  });

  it('O-12: booking is idempotent per key — same booking, capacity used once', async () => {
    const s = make({ capacityPerSlot: 3 });
    const slot = await slotOn(s, '2027-01-06');
    const a = await s.book({ slotId: slot.slotId, reference: 'line-1', idempotencyKey: 'same' });
    const b = await s.book({ slotId: slot.slotId, reference: 'line-1', idempotencyKey: 'same' });
    expect(b).toEqual(a);
    expect(a).toMatchObject({ slot, reference: 'line-1', status: 'booked' });
    expect(a.bookingId).toMatch(/^BK-[0-9A-F]{8}$/);
    expect(s.free(slot.slotId)).toBe(2);
    await expect(s.book({ slotId: slot.slotId, reference: 'line-9', idempotencyKey: 'same' })).rejects.toBeInstanceOf(AdapterRejectedError);
  });

  it('O-12: a retry after a lost reply returns the booking made by the first attempt', async () => {
    const s = make({ capacityPerSlot: 3 });
    const slot = await slotOn(s, '2027-01-07');
    s.faults.set({ lostReplyRate: 1, timeoutMs: 5 });
    await expect(s.book({ slotId: slot.slotId, reference: 'line-1', idempotencyKey: 'lost' })).rejects.toBeInstanceOf(AdapterTimeoutError);
    s.faults.set({ lostReplyRate: 0 });
    const retry = await s.book({ slotId: slot.slotId, reference: 'line-1', idempotencyKey: 'lost' });
    expect(retry.status).toBe('booked');
    expect(s.free(slot.slotId)).toBe(2);
  });

  it('one active booking per reference: a second one must be a reschedule', async () => {
    const s = make();
    const d1 = await slotOn(s, '2027-01-11');
    const d2 = await slotOn(s, '2027-01-12');
    await s.book({ slotId: d1.slotId, reference: 'line-1', idempotencyKey: 'a' });
    await expect(s.book({ slotId: d2.slotId, reference: 'line-1', idempotencyKey: 'b' })).rejects.toBeInstanceOf(AdapterRejectedError);
  });

  it('reschedule moves the booking, frees the old slot, and is idempotent per key', async () => {
    const s = make({ capacityPerSlot: 1 });
    const d1 = await slotOn(s, '2027-01-13');
    const d2 = await slotOn(s, '2027-01-14');
    const booked = await s.book({ slotId: d1.slotId, reference: 'line-1', idempotencyKey: 'b1' });
    expect(s.free(d1.slotId)).toBe(0);
    const moved = await s.reschedule({ bookingId: booked.bookingId, slotId: d2.slotId, idempotencyKey: 'r1' });
    expect(moved).toMatchObject({ bookingId: booked.bookingId, slot: d2, status: 'booked' });
    expect(s.free(d1.slotId)).toBe(1);
    expect(s.free(d2.slotId)).toBe(0);
    await expect(s.reschedule({ bookingId: booked.bookingId, slotId: d2.slotId, idempotencyKey: 'r1' })).resolves.toEqual(moved);
    expect(s.free(d2.slotId)).toBe(0);
    // someone else takes d1; moving back is refused as full
    await s.book({ slotId: d1.slotId, reference: 'line-2', idempotencyKey: 'b2' });
    await expect(s.reschedule({ bookingId: booked.bookingId, slotId: d1.slotId, idempotencyKey: 'r2' })).rejects.toBeInstanceOf(AdapterRejectedError);
  });

  it('reschedule refuses unknown bookings, cancelled bookings and other areas', async () => {
    const s = make();
    const oslo = await slotOn(s, '2027-01-18');
    const bergen = await slotOn(s, '2027-01-18', 'adr-0007');
    await expect(s.reschedule({ bookingId: 'BK-NOPE', slotId: oslo.slotId, idempotencyKey: 'x' })).rejects.toBeInstanceOf(AdapterRejectedError);
    const b = await s.book({ slotId: oslo.slotId, reference: 'line-1', idempotencyKey: 'b' });
    await expect(s.reschedule({ bookingId: b.bookingId, slotId: bergen.slotId, idempotencyKey: 'y' })).rejects.toBeInstanceOf(AdapterRejectedError);
    await s.cancel(b.bookingId);
    await expect(s.reschedule({ bookingId: b.bookingId, slotId: oslo.slotId, idempotencyKey: 'z' })).rejects.toBeInstanceOf(AdapterRejectedError);
  });

  it('cancel is idempotent and gives the capacity back', async () => {
    const s = make({ capacityPerSlot: 1 });
    const slot = await slotOn(s, '2027-01-19');
    const b = await s.book({ slotId: slot.slotId, reference: 'line-1', idempotencyKey: 'b' });
    const c1 = await s.cancel(b.bookingId);
    const c2 = await s.cancel(b.bookingId);
    expect(c1.status).toBe('cancelled');
    expect(c2).toEqual(c1);
    expect(s.free(slot.slotId)).toBe(1);
    await expect(s.cancel('BK-UNKNOWN')).rejects.toBeInstanceOf(AdapterRejectedError);
    // after cancelling, the reference may book again
    await expect(s.book({ slotId: slot.slotId, reference: 'line-1', idempotencyKey: 'b-again' })).resolves.toMatchObject({ status: 'booked' });
  });

  it('O-12: slot ids on holidays, weekends or of unknown areas are refused', async () => {
    const s = make();
    await slotOn(s, '2027-01-05'); // makes the Oslo area known
    for (const slotId of ['OSLO-2026-12-25-0812', 'OSLO-2027-01-09-0812', 'NOWHERE-2027-01-05-0812', 'garbage']) {
      await expect(s.book({ slotId, reference: 'line-1', idempotencyKey: slotId })).rejects.toBeInstanceOf(AdapterRejectedError);
    }
  });

  it('time-outs are injectable', async () => {
    const s = make();
    s.faults.set({ timeoutRate: 1, timeoutMs: 5 });
    await expect(s.slots({ addressId: 'adr-0001', from: '2027-01-04', to: '2027-01-04' })).rejects.toBeInstanceOf(AdapterTimeoutError);
  });
});
