// X-4 Order systems: registration of an order (Customer Order Id and Agreed Date, O-14), of a
// switch-ISP order (checks the losing operator and the NRDB authorisation at once, I-3, I-4, I-5) and of
// a termination order (T-1, T-2), the date change of either (I-5, T-2), disconnection on a date (T-2) and
// execution of a switch-ISP. Every write is
// idempotent per key: a retry after a time-out (even one whose effect happened, see
// FaultConfig.lostReplyRate) returns the first result and never registers twice.
import { randomInt } from 'node:crypto';
import { addDays, isIsoDate } from './calendar';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError, FaultInjector, type FaultConfig } from './faults';
import { type ExistingLine, findLineByNumber } from './lines';
import { AUTHORISATIONS } from './nrdb';
import { seedPortfolioRows } from '../db/portfolio-seed';
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
  /**
   * I-1…I-5: register a switch-ISP order at submit. Refused at once (AdapterRejectedError with the reason)
   * when the line is not switched (ADSL, operator access and SHDSL are), the losing operator is not the
   * line's holder, the NRDB authorisation is unknown, another line's or expired, or the date is short
   * of the lead time (16 days, 21 for SHDSL). Idempotent per key.
   */
  registerSwitch(input: SwitchRegistrationInput): Promise<Registration>;
  /** T-1 / T-2: register a termination order of these numbers for the date. Idempotent per key. */
  registerTermination(input: { idempotencyKey: string; numbers: string[]; requestedDate: string; today: string }): Promise<Registration>;
  /**
   * I-5 / T-2: move the date of a registered switch or termination order (its Customer Order Id); the
   * answer's agreedDate is the date the order is carried out on. Refused (AdapterRejectedError) for an
   * unknown order, a switch date short of its lead time, or a termination date already passed. Idempotent per key.
   */
  changeOrderDate(input: { idempotencyKey: string; customerOrderId: string; requestedDate: string; today: string }): Promise<Registration>;
  /** I-3: move the line from the losing operator to the new company on the date. Idempotent per key. */
  executeSwitch(input: { idempotencyKey: string; number: string; fromOperator: string; toCompany: string; date: string }): Promise<{ switchId: string }>;
}

export interface SwitchRegistrationInput {
  idempotencyKey: string;
  number: string;
  /** The product the end user gets from the new company. */
  productCode: string;
  fromOperator: string;
  toCompany: string;
  authorisationReference: string;
  requestedDate: string;
  today: string;
}

/** I-5: the order system's lead time of a switch in calendar days (deck slide 65: "21 dager på Jara SHDSL"). */
export const SWITCH_LEAD_DAYS = { default: 16, shdsl: 21 } as const;
/** I-1 and slide 65: the products the order system switches between operators. */
const SWITCHED_SHDSL = 'JARA-SHDSL';
const isSwitchedLine = (line: Pick<ExistingLine, 'accessType' | 'productCode'>) => line.accessType !== undefined || line.productCode === SWITCHED_SHDSL;

/**
 * Who holds each line in the order system when the simulator starts: the operators of lines.json, with
 * the lines the demo seed delivered to the seed companies (db/portfolio-seed.ts) held by them, so a switch
 * away from a seed company names the holder the order system knows.
 */
let startHolders: Map<string, string> | undefined;
function holdersAtStart(): Map<string, string> {
  startHolders ??= new Map(seedPortfolioRows().map((r) => [r.lineId, r.operator]));
  return startHolders;
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
  private readonly switchRegistrations = new Map<string, Stored<Registration>>();
  private readonly terminationRegistrations = new Map<string, Stored<Registration>>();
  /** Customer Order Id → the switch (its lead days) or termination registered under it, with its agreed date. */
  private readonly portfolioOrders = new Map<string, { kind: 'switch' | 'termination'; leadDays: number; agreedDate: string }>();
  private readonly dateChanges = new Map<string, Stored<Registration>>();
  /** lineId → the operator the line is with after a switch this simulator carried out. */
  private readonly holders = new Map<string, string>();

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

  /** The operator a line is with now, as the order system knows it (I-3). */
  holderOf(line: ExistingLine): string {
    return this.holders.get(line.lineId) ?? holdersAtStart().get(line.lineId) ?? line.operator;
  }

  /**
   * The line moved to another operator outside Samband (another wholesale channel): the order system
   * knows it before the portfolio does. For tests and diagnostics (I-3's rejection at registration).
   */
  moveLineElsewhere(number: string, operator: string): void {
    const line = findLineByNumber(number);
    if (!line) throw new RangeError(`no line with number ${number}`);
    this.holders.set(line.lineId, operator);
  }

  registerSwitch(input: SwitchRegistrationInput): Promise<Registration> {
    return this.faults.run('registerSwitch', () => {
      const reject = (reason: string) => new AdapterRejectedError('order-system', 'registerSwitch', reason);
      const fingerprint = JSON.stringify([input.number, input.productCode, input.fromOperator, input.toCompany, input.authorisationReference.toUpperCase(), input.requestedDate]);
      return this.once(this.switchRegistrations, input.idempotencyKey, fingerprint, reject, async () => {
        if (!isIsoDate(input.today) || !isIsoDate(input.requestedDate)) throw reject('requestedDate must be a date YYYY-MM-DD');
        const line = findLineByNumber(input.number);
        if (!line) throw reject(`no line with number ${input.number}`);
        if (!isSwitchedLine(line)) throw reject(`${input.number} is a ${line.productCode} line; only ADSL, operator access and SHDSL are switched`);
        const holder = this.holderOf(line);
        if (holder.toLowerCase() !== input.fromOperator.trim().toLowerCase()) throw reject(`${input.number} is not with ${input.fromOperator} (losing operator mismatch)`);
        if (holder.toLowerCase() === input.toCompany.trim().toLowerCase()) throw reject(`${input.number} is already with ${input.toCompany}`);
        const auth = AUTHORISATIONS.find((a) => a.reference === input.authorisationReference.trim().toUpperCase());
        if (!auth) throw reject(`no authorisation ${input.authorisationReference} in NRDB`);
        if (auth.lineId !== line.lineId) throw reject(`authorisation ${auth.reference} belongs to another subscription`);
        if (auth.validUntil < input.today) throw reject(`authorisation ${auth.reference} expired on ${auth.validUntil}`);
        if (auth.authorisedBy.trim().toLowerCase() !== auth.ownerName.trim().toLowerCase()) throw reject(`authorisation ${auth.reference} was not given by the owner of the subscription`);
        const shdsl = line.productCode === SWITCHED_SHDSL || input.productCode === SWITCHED_SHDSL;
        const leadDays = shdsl ? SWITCH_LEAD_DAYS.shdsl : SWITCH_LEAD_DAYS.default;
        const earliest = addDays(input.today, leadDays);
        if (input.requestedDate < earliest) throw reject(`the switch needs ${leadDays} days${shdsl ? ' on SHDSL' : ''}: the earliest date is ${earliest}`);
        this.registeredCount += 1;
        const customerOrderId = newCustomerOrderId();
        this.portfolioOrders.set(customerOrderId, { kind: 'switch', leadDays, agreedDate: input.requestedDate });
        return { customerOrderId, agreedDate: input.requestedDate };
      });
    });
  }

  registerTermination(input: { idempotencyKey: string; numbers: string[]; requestedDate: string; today: string }): Promise<Registration> {
    return this.faults.run('registerTermination', () => {
      const reject = (reason: string) => new AdapterRejectedError('order-system', 'registerTermination', reason);
      return this.once(this.terminationRegistrations, input.idempotencyKey, JSON.stringify([[...input.numbers].sort(), input.requestedDate]), reject, async () => {
        if (!isIsoDate(input.today) || !isIsoDate(input.requestedDate)) throw reject('requestedDate must be a date YYYY-MM-DD');
        if (input.numbers.length === 0) throw reject('no number to terminate');
        // T-2: disconnected on the date, not before: a date already passed cannot be kept
        if (input.requestedDate < input.today) throw reject(`the termination date ${input.requestedDate} has passed`);
        for (const n of input.numbers) {
          const line = findLineByNumber(n);
          if (!line) throw reject(`no line with number ${n}`);
          const pending = this.disconnectedNumbers.get(line.lineId);
          if (pending) throw reject(`${n} is already to be disconnected on ${pending}`);
        }
        this.registeredCount += 1;
        const customerOrderId = newCustomerOrderId();
        this.portfolioOrders.set(customerOrderId, { kind: 'termination', leadDays: 0, agreedDate: input.requestedDate });
        return { customerOrderId, agreedDate: input.requestedDate };
      });
    });
  }

  changeOrderDate(input: { idempotencyKey: string; customerOrderId: string; requestedDate: string; today: string }): Promise<Registration> {
    return this.faults.run('changeOrderDate', () => {
      const reject = (reason: string) => new AdapterRejectedError('order-system', 'changeOrderDate', reason);
      return this.once(this.dateChanges, input.idempotencyKey, JSON.stringify([input.customerOrderId, input.requestedDate]), reject, async () => {
        if (!isIsoDate(input.today) || !isIsoDate(input.requestedDate)) throw reject('requestedDate must be a date YYYY-MM-DD');
        const order = this.portfolioOrders.get(input.customerOrderId) ?? (await this.registeredBefore(input.customerOrderId));
        if (!order) throw reject(`no switch or termination order ${input.customerOrderId}`);
        const earliest = addDays(input.today, order.leadDays);
        if (input.requestedDate < earliest) {
          throw reject(order.kind === 'switch' ? `the switch needs ${order.leadDays} days: the earliest date is ${earliest}` : `the termination date ${input.requestedDate} has passed`);
        }
        order.agreedDate = input.requestedDate;
        return { customerOrderId: input.customerOrderId, agreedDate: input.requestedDate };
      });
    });
  }

  /**
   * A switch or termination registered before this simulator kept its orders' dates (the simulator
   * service's saved state): found among the registrations it remembers, with its lead time.
   */
  private async registeredBefore(customerOrderId: string): Promise<{ kind: 'switch' | 'termination'; leadDays: number; agreedDate: string } | undefined> {
    for (const [kind, store] of [
      ['switch', this.switchRegistrations],
      ['termination', this.terminationRegistrations],
    ] as const) {
      for (const stored of store.values()) {
        const r = await stored.result.catch(() => undefined);
        if (r?.customerOrderId !== customerOrderId) continue;
        const [number, productCode] = JSON.parse(stored.fingerprint) as [string, string];
        const shdsl = kind === 'switch' && (productCode === SWITCHED_SHDSL || findLineByNumber(number)?.productCode === SWITCHED_SHDSL);
        const order = { kind, leadDays: kind === 'termination' ? 0 : shdsl ? SWITCH_LEAD_DAYS.shdsl : SWITCH_LEAD_DAYS.default, agreedDate: r.agreedDate };
        this.portfolioOrders.set(customerOrderId, order);
        return order;
      }
    }
    return undefined;
  }

  /** The date the order system has agreed for a switch or termination order (tests and diagnostics). */
  agreedDateOf(customerOrderId: string): string | undefined {
    return this.portfolioOrders.get(customerOrderId)?.agreedDate;
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
        // I-1 and slide 65: ADSL, operator access and SHDSL are switched
        if (!isSwitchedLine(line)) throw reject(`${input.number} is a ${line.productCode} line; only ADSL, operator access and SHDSL are switched`);
        // I-3: the losing operator must be the one the end user has today
        const holder = this.holderOf(line);
        if (holder.toLowerCase() !== input.fromOperator.trim().toLowerCase()) {
          throw reject(`${input.number} is not with ${input.fromOperator} (losing operator mismatch)`);
        }
        if (holder.toLowerCase() === input.toCompany.trim().toLowerCase()) throw reject(`${input.number} is already with ${input.toCompany}`);
        this.holders.set(line.lineId, input.toCompany.trim());
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
