// X-4 Order systems: registration of an order (Customer Order Id and Agreed Date, O-14),
// disconnection on a date (T-2) and execution of a switch-ISP (I-3, I-4). Every write is
// idempotent per key: a retry after a time-out (even one whose effect happened, see
// FaultConfig.lostReplyRate) returns the first result and never registers twice.
import { randomInt } from 'node:crypto';
import { addDays, isIsoDate } from './calendar';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError, FaultInjector, type FaultConfig } from './faults';
import { findLineByNumber } from './lines';
import type { PriceList, Product } from './price-list';

export interface Registration {
  customerOrderId: string;
  agreedDate: string;
}

export interface OrderSystem {
  /** Idempotent per key; agreedDate = max(requestedDate, today + product lead time) in calendar days (O-5). */
  register(input: { idempotencyKey: string; productCode: string; requestedDate?: string; today: string }): Promise<Registration>;
  /** Distinct registrations so far. */
  registrations(): number;
  /** T-2: disconnect the line on the date. Idempotent per key. */
  disconnect(input: { idempotencyKey: string; number: string; date: string }): Promise<{ disconnectionId: string }>;
  /** I-3: move the line from the losing operator to the new company on the date. Idempotent per key. */
  executeSwitch(input: { idempotencyKey: string; number: string; fromOperator: string; toCompany: string; date: string }): Promise<{ switchId: string }>;
}

const SIEBEL_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Customer Order Ids handed out in this process (one order system, however many simulators). */
const issuedOrderIds = new Set<string>();

function newCustomerOrderId(): string {
  for (;;) {
    let s = '1-';
    for (let i = 0; i < 6; i++) s += SIEBEL_CHARS[randomInt(SIEBEL_CHARS.length)];
    if (!issuedOrderIds.has(s)) {
      issuedOrderIds.add(s);
      return s;
    }
  }
}

const newId = (prefix: string) => `${prefix}-${String(randomInt(1_000_000, 10_000_000))}`;

interface Stored<T> {
  fingerprint: string;
  result: Promise<T>;
}

export class OrderSystemSimulator implements OrderSystem {
  readonly faults: FaultInjector;
  private readonly prices: PriceList;
  private readonly registered = new Map<string, Stored<Registration>>();
  private registeredCount = 0;
  private readonly disconnections = new Map<string, Stored<{ disconnectionId: string }>>();
  private readonly switches = new Map<string, Stored<{ switchId: string }>>();
  /** number → date of a pending disconnection / switch (a line is moved or cut once). */
  private readonly disconnectedNumbers = new Map<string, string>();
  private readonly switchedNumbers = new Map<string, string>();

  constructor(opts: { prices: PriceList; faults?: Partial<FaultConfig>; random?: () => number }) {
    this.prices = opts.prices;
    this.faults = new FaultInjector('order-system', opts.faults, opts.random);
  }

  register(input: { idempotencyKey: string; productCode: string; requestedDate?: string; today: string }): Promise<Registration> {
    return this.faults.run('register', () => {
      const reject = (reason: string) => new AdapterRejectedError('order-system', 'register', reason);
      // the day of a retry may differ from the first attempt's: not part of the fingerprint
      const fingerprint = JSON.stringify([input.productCode, input.requestedDate ?? null]);
      return this.once(this.registered, input.idempotencyKey, fingerprint, reject, async () => {
        if (!isIsoDate(input.today)) throw reject('today must be a date YYYY-MM-DD');
        if (input.requestedDate !== undefined && !isIsoDate(input.requestedDate)) throw reject('requestedDate must be a date YYYY-MM-DD');
        const product = await this.product(input.productCode);
        if (!product) throw reject(`unknown product ${input.productCode}`);
        if (!product.orderable) throw reject(`${product.name} cannot be ordered wholesale`);
        const earliest = addDays(input.today, product.leadTimeDays);
        const agreedDate = input.requestedDate !== undefined && input.requestedDate > earliest ? input.requestedDate : earliest;
        this.registeredCount += 1;
        return { customerOrderId: newCustomerOrderId(), agreedDate };
      });
    });
  }

  registrations(): number {
    return this.registeredCount;
  }

  disconnect(input: { idempotencyKey: string; number: string; date: string }): Promise<{ disconnectionId: string }> {
    return this.faults.run('disconnect', () => {
      const reject = (reason: string) => new AdapterRejectedError('order-system', 'disconnect', reason);
      return this.once(this.disconnections, input.idempotencyKey, JSON.stringify([input.number, input.date]), reject, async () => {
        if (!isIsoDate(input.date)) throw reject('date must be a date YYYY-MM-DD');
        const line = findLineByNumber(input.number);
        if (!line) throw reject(`no line with number ${input.number}`);
        const key = line.lineId;
        const pending = this.disconnectedNumbers.get(key);
        if (pending) throw reject(`${input.number} is already to be disconnected on ${pending}`);
        this.disconnectedNumbers.set(key, input.date);
        return { disconnectionId: newId('DC') };
      });
    });
  }

  executeSwitch(input: { idempotencyKey: string; number: string; fromOperator: string; toCompany: string; date: string }): Promise<{ switchId: string }> {
    return this.faults.run('executeSwitch', () => {
      const reject = (reason: string) => new AdapterRejectedError('order-system', 'executeSwitch', reason);
      const fingerprint = JSON.stringify([input.number, input.fromOperator, input.toCompany, input.date]);
      return this.once(this.switches, input.idempotencyKey, fingerprint, reject, async () => {
        if (!isIsoDate(input.date)) throw reject('date must be a date YYYY-MM-DD');
        if (input.toCompany.trim() === '') throw reject('toCompany is required');
        const line = findLineByNumber(input.number);
        if (!line) throw reject(`no line with number ${input.number}`);
        // I-1: only ADSL and operator access are switched
        if (!line.accessType) throw reject(`${input.number} is a ${line.productCode} line; only ADSL and operator access can be switched`);
        // I-3: the losing operator must be the one the end user has today
        if (line.operator.toLowerCase() !== input.fromOperator.trim().toLowerCase()) {
          throw reject(`${input.number} is not with ${input.fromOperator} (losing operator mismatch)`);
        }
        if (line.operator.toLowerCase() === input.toCompany.trim().toLowerCase()) throw reject(`${input.number} is already with ${input.toCompany}`);
        const pending = this.switchedNumbers.get(line.lineId);
        if (pending) throw reject(`${input.number} already has a switch on ${pending}`);
        this.switchedNumbers.set(line.lineId, input.date);
        return { switchId: newId('SW') };
      });
    });
  }

  /**
   * Runs `work` once per idempotency key; concurrent and later calls with the key share its
   * result. A failed attempt (rejection) is forgotten so the key can be retried with fixed input.
   */
  private once<T>(store: Map<string, Stored<T>>, key: string, fingerprint: string, reject: (reason: string) => AdapterRejectedError, work: () => Promise<T>): Promise<T> {
    if (key.trim() === '') return Promise.reject(reject('idempotencyKey is required'));
    const earlier = store.get(key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) return Promise.reject(reject(`idempotency key ${key} was used for another request`));
      return earlier.result;
    }
    const result = work();
    store.set(key, { fingerprint, result });
    result.catch(() => {
      if (store.get(key)?.result === result) store.delete(key);
    });
    return result;
  }

  private async product(code: string): Promise<Product | undefined> {
    try {
      return await this.prices.product(code);
    } catch (e) {
      if (e instanceof AdapterTimeoutError) throw new AdapterTimeoutError('order-system', 'register', e.afterMs);
      if (e instanceof AdapterUnavailableError) throw new AdapterUnavailableError('order-system', 'register', `price list: ${e.message}`);
      throw e;
    }
  }
}
