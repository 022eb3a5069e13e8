// X-8 Numbering (nummerreservasjon): phone numbers for new PSTN and ISDN lines. Deck, "Booking av
// montør": "PSTN (med mulighet for nummerreservasjon) ISDN (med mulighet for nummerreservasjon)" —
// a number is reserved with the technician booking (O-12). A reservation made for a draft order
// expires at the draft's O-20 auto-cancel unless the order is submitted (then it is held for the
// line); the number is assigned to the line when it is delivered (Finished), the reserved one or,
// without a reservation, the next free number of the address's series. Every write is idempotent
// by key, and the simulator has the same latency, time-outs, errors and lost replies as the others.
import type { AddressRegister } from './address-register';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError, FaultInjector, type FaultConfig } from './faults';
import { findLineByNumber } from './lines';

/** The products whose new lines get a phone number from the numbering system. */
export const NUMBERED_PRODUCT_FAMILIES = ['pstn', 'isdn'] as const;

export type ReservationStatus = 'reserved' | 'held' | 'assigned' | 'expired';

export interface NumberReservation {
  reservationId: string;
  /** The 8-digit phone number. */
  number: string;
  productCode: string;
  addressId: string;
  /** The order line the number is for (ORD-…:n). */
  reference: string;
  status: ReservationStatus;
  /** While 'reserved': when the reservation lapses (the draft's O-20 auto-cancel). */
  expiresAt: string | null;
}

export interface NumberingSystem {
  /** Reserves the next free number of the address's series until `expiresAt`. Idempotent per key. */
  reserve(input: { idempotencyKey: string; productCode: string; addressId: string; reference: string; expiresAt: string }): Promise<NumberReservation>;
  /** The order was submitted: the reservation no longer lapses. Idempotent; a lapsed one → AdapterRejectedError. */
  hold(input: { reservationId: string }): Promise<NumberReservation>;
  /** The line is delivered: the reserved number (or, without one, the next free one) becomes the line's. Idempotent per key. */
  assign(input: { idempotencyKey: string; reservationId?: string | undefined; productCode: string; addressId: string; reference: string }): Promise<NumberReservation>;
  get(reservationId: string): Promise<NumberReservation | undefined>;
}

/** Number series (the first two digits) by municipality: Norwegian area codes of the old zones. */
const SERIES_BY_MUNICIPALITY: Record<string, string> = {
  Oslo: '22',
  'Bærum': '67',
  Bergen: '55',
  Trondheim: '73',
  'Røros': '72',
  Stavanger: '51',
  'Tromsø': '77',
  Senja: '77',
  Drammen: '32',
  Hemsedal: '32',
  Kristiansand: '38',
  Valle: '37',
  Lom: '61',
  'Vågå': '61',
  Tynset: '62',
  'Vågan': '76',
};
const DEFAULT_SERIES = '69';
/** Numbers of the simulated series: <series>9xxxxx, from 00001 up (never a number of lines.json). */
const SERIES_SIZE = 99_999;

export class NumberingSimulator implements NumberingSystem {
  readonly faults: FaultInjector;
  private readonly addresses: AddressRegister;
  private readonly reservations = new Map<string, NumberReservation>();
  private readonly byKey = new Map<string, { reservationId: string; fingerprint: string }>();
  private seq = 0;
  private readonly now: () => number;

  constructor(opts: { addresses: AddressRegister; faults?: Partial<FaultConfig>; random?: () => number; now?: () => number }) {
    this.addresses = opts.addresses;
    this.faults = new FaultInjector('numbering', opts.faults, opts.random);
    this.now = opts.now ?? Date.now;
  }

  reserve(input: { idempotencyKey: string; productCode: string; addressId: string; reference: string; expiresAt: string }): Promise<NumberReservation> {
    return this.faults.run('reserve', async () => {
      const reject = (reason: string) => new AdapterRejectedError('numbering', 'reserve', reason);
      if (input.idempotencyKey.trim() === '') throw reject('idempotencyKey is required');
      const fingerprint = JSON.stringify([input.productCode, input.addressId, input.reference]);
      const earlier = this.byKey.get(input.idempotencyKey);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) throw reject(`idempotency key ${input.idempotencyKey} was used for another request`);
        return this.copy(earlier.reservationId);
      }
      if (Number.isNaN(Date.parse(input.expiresAt))) throw reject('expiresAt must be a date-time');
      if (Date.parse(input.expiresAt) <= this.now()) throw reject('expiresAt is in the past');
      const active = [...this.reservations.values()].find((r) => r.reference === input.reference && this.statusOf(r) !== 'expired');
      if (active) throw reject(`${input.reference} already has number ${active.number} reserved (${active.reservationId})`);
      const r = await this.allocate(input, 'reserved', input.expiresAt, 'reserve');
      this.byKey.set(input.idempotencyKey, { reservationId: r.reservationId, fingerprint });
      return this.copy(r.reservationId);
    });
  }

  hold(input: { reservationId: string }): Promise<NumberReservation> {
    return this.faults.run('hold', () => {
      const r = this.reservations.get(input.reservationId);
      if (!r) throw new AdapterRejectedError('numbering', 'hold', `unknown reservation ${input.reservationId}`);
      const status = this.statusOf(r);
      if (status === 'expired') throw new AdapterRejectedError('numbering', 'hold', `reservation ${r.reservationId} of ${r.number} lapsed at ${r.expiresAt}`);
      if (status === 'reserved') {
        r.status = 'held';
        r.expiresAt = null;
      }
      return this.copy(r.reservationId);
    });
  }

  assign(input: { idempotencyKey: string; reservationId?: string | undefined; productCode: string; addressId: string; reference: string }): Promise<NumberReservation> {
    return this.faults.run('assign', async () => {
      const reject = (reason: string) => new AdapterRejectedError('numbering', 'assign', reason);
      if (input.idempotencyKey.trim() === '') throw reject('idempotencyKey is required');
      const earlier = this.byKey.get(input.idempotencyKey);
      if (earlier) return this.copy(earlier.reservationId);
      const reserved = input.reservationId ? this.reservations.get(input.reservationId) : undefined;
      let r: NumberReservation;
      if (reserved && this.statusOf(reserved) !== 'expired') {
        reserved.status = 'assigned';
        reserved.expiresAt = null;
        r = reserved;
      } else {
        // no (or a lapsed) reservation: the next free number of the series
        r = await this.allocate(input, 'assigned', null, 'assign');
      }
      this.byKey.set(input.idempotencyKey, { reservationId: r.reservationId, fingerprint: '' });
      return this.copy(r.reservationId);
    });
  }

  get(reservationId: string): Promise<NumberReservation | undefined> {
    return this.faults.run('get', () => (this.reservations.has(reservationId) ? this.copy(reservationId) : undefined));
  }

  private statusOf(r: NumberReservation): ReservationStatus {
    if (r.status === 'reserved' && r.expiresAt !== null && Date.parse(r.expiresAt) <= this.now()) r.status = 'expired';
    return r.status;
  }

  private async allocate(
    input: { productCode: string; addressId: string; reference: string },
    status: 'reserved' | 'assigned',
    expiresAt: string | null,
    operation: string,
  ): Promise<NumberReservation> {
    const series = await this.series(input.addressId, operation);
    const taken = new Set<string>();
    for (const r of this.reservations.values()) if (this.statusOf(r) !== 'expired') taken.add(r.number);
    for (let i = 1; i <= SERIES_SIZE; i++) {
      const number = `${series}9${String(i).padStart(5, '0')}`;
      if (taken.has(number) || findLineByNumber(number)) continue;
      this.seq++;
      const r: NumberReservation = {
        reservationId: `NR-${String(this.seq).padStart(6, '0')}`,
        number,
        productCode: input.productCode,
        addressId: input.addressId,
        reference: input.reference,
        status,
        expiresAt,
      };
      this.reservations.set(r.reservationId, r);
      return r;
    }
    throw new AdapterRejectedError('numbering', operation, `no free number left in series ${series}`);
  }

  private async series(addressId: string, operation: string): Promise<string> {
    if (addressId.trim() === '') return DEFAULT_SERIES; // an address outside the register (O-3): the general series
    try {
      const a = await this.addresses.get(addressId);
      if (!a) throw new AdapterRejectedError('numbering', operation, `unknown address ${addressId}`);
      return SERIES_BY_MUNICIPALITY[a.municipality] ?? DEFAULT_SERIES;
    } catch (e) {
      if (e instanceof AdapterTimeoutError) throw new AdapterTimeoutError('numbering', operation, e.afterMs);
      if (e instanceof AdapterUnavailableError) throw new AdapterUnavailableError('numbering', operation, `address register: ${e.message}`);
      throw e;
    }
  }

  private copy(reservationId: string): NumberReservation {
    const r = this.reservations.get(reservationId);
    if (!r) throw new Error(`reservation ${reservationId} vanished`);
    this.statusOf(r);
    return { ...r };
  }
}
