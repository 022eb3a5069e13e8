// X-3 Appointment system (Avtalesystemet): technician slots and booking (O-12). Slots are
// two windows per working day (Mon–Fri, not Norwegian public holidays) per technician area,
// each with limited capacity; other operators' bookings take part of it (backgroundLoad,
// deterministic per slot). A verified booking is a confirmed delivery date (O-12).
import { randomUUID } from 'node:crypto';
import { AEG_SERVICES } from '../domain/switch-isp';
import type { Address, AddressRegister } from './address-register';
import { addDays, daysBetween, isIsoDate, isWorkingDay } from './calendar';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError, FaultInjector, type FaultConfig } from './faults';

export type SlotWindow = '08-12' | '12-16';
export interface Slot {
  slotId: string;
  date: string;
  window: SlotWindow;
  area: string;
}
/** I-6: the AEG work the appointment system's technicians do with a visit (the domain's list). */
export const AEG_WORK: readonly string[] = AEG_SERVICES;

export interface Booking {
  bookingId: string;
  slot: Slot;
  reference: string;
  status: 'booked' | 'cancelled';
  /** I-6: the AEG work booked with the visit (empty when none). */
  aegServices: string[];
}

export interface AppointmentSystem {
  /** Free slots in [from, to] (inclusive, at most 92 days) in the address's technician area. */
  slots(input: { addressId: string; from: string; to: string }): Promise<Slot[]>;
  /** Idempotent per key; a full slot → AdapterRejectedError. `aegServices`: AEG work with the visit (I-6), unknown work is refused. */
  book(input: { slotId: string; reference: string; idempotencyKey: string; aegServices?: readonly string[] }): Promise<Booking>;
  reschedule(input: { bookingId: string; slotId: string; idempotencyKey: string }): Promise<Booking>;
  /** Idempotent. */
  cancel(bookingId: string): Promise<Booking>;
}

const WINDOWS: readonly SlotWindow[] = ['08-12', '12-16'];
const MAX_RANGE_DAYS = 92;

/** Technician areas by municipality (county level). */
const AREA_BY_MUNICIPALITY: Record<string, string> = {
  Oslo: 'Oslo',
  'Bærum': 'Akershus',
  Bergen: 'Vestland',
  Trondheim: 'Trøndelag',
  'Røros': 'Trøndelag',
  Stavanger: 'Rogaland',
  'Tromsø': 'Troms',
  Senja: 'Troms',
  Drammen: 'Buskerud',
  Hemsedal: 'Buskerud',
  Kristiansand: 'Agder',
  Valle: 'Agder',
  Lom: 'Innlandet',
  'Vågå': 'Innlandet',
  Tynset: 'Innlandet',
  'Vågan': 'Nordland',
};

function areaCode(area: string): string {
  return area
    .toUpperCase()
    .replace(/Æ/g, 'AE')
    .replace(/Ø/g, 'O')
    .replace(/Å/g, 'A')
    .replace(/[^A-Z0-9]+/g, '');
}
const AREAS = new Map<string, string>(Object.values(AREA_BY_MUNICIPALITY).map((a) => [areaCode(a), a]));

export function technicianArea(address: Address): string {
  return AREA_BY_MUNICIPALITY[address.municipality] ?? address.municipality;
}

function slotIdOf(area: string, date: string, window: SlotWindow): string {
  return `${areaCode(area)}-${date}-${window.replace('-', '')}`;
}

/** FNV-1a → [0, 1): deterministic background load per slot. */
function hash01(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h / 4294967296;
}

export class AppointmentSimulator implements AppointmentSystem {
  readonly faults: FaultInjector;
  readonly capacityPerSlot: number;
  readonly backgroundLoad: number;
  private readonly addresses: AddressRegister;
  private readonly bookings = new Map<string, Booking>();
  private readonly byBookKey = new Map<string, { bookingId: string; slotId: string; reference: string; aeg: string }>();
  private readonly byRescheduleKey = new Map<string, { bookingId: string; slotId: string }>();
  private readonly ownLoad = new Map<string, number>();
  private readonly areas = new Map(AREAS);

  constructor(opts: {
    addresses: AddressRegister;
    faults?: Partial<FaultConfig>;
    capacityPerSlot?: number;
    /** Share (0…1) of each slot's capacity taken by other operators; default 0.25. Tests use 0. */
    backgroundLoad?: number;
    random?: () => number;
  }) {
    this.addresses = opts.addresses;
    this.faults = new FaultInjector('appointments', opts.faults, opts.random);
    this.capacityPerSlot = opts.capacityPerSlot ?? 4;
    this.backgroundLoad = opts.backgroundLoad ?? 0.25;
    if (!Number.isInteger(this.capacityPerSlot) || this.capacityPerSlot < 1) throw new RangeError('capacityPerSlot must be a positive whole number');
    if (!(this.backgroundLoad >= 0 && this.backgroundLoad <= 1)) throw new RangeError('backgroundLoad must be within 0…1');
  }

  slots(input: { addressId: string; from: string; to: string }): Promise<Slot[]> {
    return this.faults.run('slots', async () => {
      const reject = (reason: string) => new AdapterRejectedError('appointments', 'slots', reason);
      if (!isIsoDate(input.from) || !isIsoDate(input.to)) throw reject('from and to must be dates YYYY-MM-DD');
      const span = daysBetween(input.from, input.to);
      if (span < 0) throw reject('to is before from');
      if (span > MAX_RANGE_DAYS) throw reject(`at most ${MAX_RANGE_DAYS} days per search`);
      const address = await this.address(input.addressId);
      if (!address) throw reject(`unknown address ${input.addressId}`);
      if (address.postBox) throw reject(`${address.label} is a post-box address, not an installation address`);
      const area = technicianArea(address);
      this.areas.set(areaCode(area), area);
      const out: Slot[] = [];
      for (let d = input.from; daysBetween(d, input.to) >= 0; d = addDays(d, 1)) {
        if (!isWorkingDay(d)) continue; // O-12: Mon–Fri, no public holidays
        for (const window of WINDOWS) {
          const slot: Slot = { slotId: slotIdOf(area, d, window), date: d, window, area };
          if (this.free(slot.slotId) > 0) out.push(slot);
        }
      }
      return out;
    });
  }

  book(input: { slotId: string; reference: string; idempotencyKey: string; aegServices?: readonly string[] }): Promise<Booking> {
    return this.faults.run('book', () => {
      const reject = (reason: string) => new AdapterRejectedError('appointments', 'book', reason);
      if (input.idempotencyKey.trim() === '') throw reject('idempotencyKey is required');
      if (input.reference.trim() === '') throw reject('reference is required');
      const aegServices = [...new Set(input.aegServices ?? [])].sort();
      const unknown = aegServices.filter((w) => !AEG_WORK.includes(w));
      if (unknown.length > 0) throw reject(`unknown AEG work: ${unknown.join(', ')}`);
      const aeg = aegServices.join(',');
      const earlier = this.byBookKey.get(input.idempotencyKey);
      if (earlier) {
        if (earlier.slotId !== input.slotId || earlier.reference !== input.reference || earlier.aeg !== aeg) throw reject(`idempotency key ${input.idempotencyKey} was used for another request`);
        return this.copy(earlier.bookingId);
      }
      const slot = this.parseSlot(input.slotId, reject);
      const active = [...this.bookings.values()].find((b) => b.reference === input.reference && b.status === 'booked');
      if (active) throw reject(`${input.reference} already has booking ${active.bookingId} (${active.slot.date} ${active.slot.window}); reschedule it`);
      if (this.free(slot.slotId) <= 0) throw reject(`slot ${slot.slotId} is full`);
      const booking: Booking = { bookingId: `BK-${randomUUID().slice(0, 8).toUpperCase()}`, slot, reference: input.reference, status: 'booked', aegServices };
      this.bookings.set(booking.bookingId, booking);
      this.ownLoad.set(slot.slotId, (this.ownLoad.get(slot.slotId) ?? 0) + 1);
      this.byBookKey.set(input.idempotencyKey, { bookingId: booking.bookingId, slotId: input.slotId, reference: input.reference, aeg });
      return this.copy(booking.bookingId);
    });
  }

  reschedule(input: { bookingId: string; slotId: string; idempotencyKey: string }): Promise<Booking> {
    return this.faults.run('reschedule', () => {
      const reject = (reason: string) => new AdapterRejectedError('appointments', 'reschedule', reason);
      if (input.idempotencyKey.trim() === '') throw reject('idempotencyKey is required');
      const earlier = this.byRescheduleKey.get(input.idempotencyKey);
      if (earlier) {
        if (earlier.bookingId !== input.bookingId || earlier.slotId !== input.slotId) throw reject(`idempotency key ${input.idempotencyKey} was used for another request`);
        return this.copy(input.bookingId);
      }
      const booking = this.bookings.get(input.bookingId);
      if (!booking) throw reject(`unknown booking ${input.bookingId}`);
      if (booking.status === 'cancelled') throw reject(`booking ${input.bookingId} is cancelled`);
      const slot = this.parseSlot(input.slotId, reject);
      if (slot.area !== booking.slot.area) throw reject(`slot ${slot.slotId} is in another technician area than ${booking.slot.area}`);
      if (slot.slotId !== booking.slot.slotId) {
        if (this.free(slot.slotId) <= 0) throw reject(`slot ${slot.slotId} is full`);
        this.ownLoad.set(booking.slot.slotId, (this.ownLoad.get(booking.slot.slotId) ?? 1) - 1);
        this.ownLoad.set(slot.slotId, (this.ownLoad.get(slot.slotId) ?? 0) + 1);
        booking.slot = slot;
      }
      this.byRescheduleKey.set(input.idempotencyKey, { bookingId: input.bookingId, slotId: input.slotId });
      return this.copy(booking.bookingId);
    });
  }

  cancel(bookingId: string): Promise<Booking> {
    return this.faults.run('cancel', () => {
      const booking = this.bookings.get(bookingId);
      if (!booking) throw new AdapterRejectedError('appointments', 'cancel', `unknown booking ${bookingId}`);
      if (booking.status === 'booked') {
        booking.status = 'cancelled';
        this.ownLoad.set(booking.slot.slotId, (this.ownLoad.get(booking.slot.slotId) ?? 1) - 1);
      }
      return this.copy(bookingId);
    });
  }

  /** A booking as the appointment system holds it (for tests and diagnostics). */
  booking(bookingId: string): Booking | undefined {
    return this.bookings.has(bookingId) ? this.copy(bookingId) : undefined;
  }

  /** Remaining capacity of a slot (for tests and diagnostics). */
  free(slotId: string): number {
    let others = 0;
    for (let k = 0; k < this.capacityPerSlot; k++) if (hash01(`${slotId}#${k}`) < this.backgroundLoad) others++;
    return this.capacityPerSlot - others - (this.ownLoad.get(slotId) ?? 0);
  }

  private parseSlot(slotId: string, reject: (reason: string) => AdapterRejectedError): Slot {
    const m = /^([A-Z0-9]+)-(\d{4}-\d{2}-\d{2})-(0812|1216)$/.exec(slotId);
    const area = m?.[1] !== undefined ? this.areas.get(m[1]) : undefined;
    const date = m?.[2];
    if (!m || !area || date === undefined || !isIsoDate(date)) throw reject(`unknown slot ${slotId}`);
    if (!isWorkingDay(date)) throw reject(`no technicians work on ${date}`);
    const window: SlotWindow = m[3] === '0812' ? '08-12' : '12-16';
    return { slotId, date, window, area };
  }

  private copy(bookingId: string): Booking {
    const b = this.bookings.get(bookingId);
    if (!b) throw new Error(`booking ${bookingId} vanished`);
    return { ...b, slot: { ...b.slot }, aegServices: [...b.aegServices] };
  }

  private async address(id: string): Promise<Address | undefined> {
    try {
      return await this.addresses.get(id);
    } catch (e) {
      if (e instanceof AdapterTimeoutError) throw new AdapterTimeoutError('appointments', 'slots', e.afterMs);
      if (e instanceof AdapterUnavailableError) throw new AdapterUnavailableError('appointments', 'slots', `address register: ${e.message}`);
      throw e;
    }
  }
}
