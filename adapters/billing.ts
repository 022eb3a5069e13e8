// X-7 Billing system: issues one invoice a month per reseller company (M-3.1), with lines for the
// monthly rents of the products it held (from the price list, prorated by days), the establishment
// price of order lines finished in the month, and the cancellation charges (C-3) actually accepted.
// The simulator reads what happened in the month from a BillingSource (in this system the portal's
// own database, db/billing-source.ts: the simulated operator's provisioning records) and prices it
// with the price list (X-6). An issued invoice never changes: asking again gives the same invoice.
import { createHash } from 'node:crypto';
import { type IsoDate } from '../domain/time';
import { daysInPeriod, nextPeriod, PAYMENT_TERMS_DAYS, type Period, periodEnd, periodOf, periodStart, proratedRent, VAT_RATE_PCT, vatOf } from '../domain/invoice';
import { addCalendarDays } from '../domain/time';
import { AdapterRejectedError, FaultInjector, type FaultConfig } from './faults';
import type { PriceList } from './price-list';

export type BilledLineKind = 'monthly_rent' | 'establishment' | 'cancellation';

export interface BilledLine {
  lineNo: number;
  kind: BilledLineKind;
  description: string;
  productCode: string;
  /** The portfolio product's number (monthly rent). */
  productNumber: string | null;
  /** The order line (establishment, cancellation), e.g. ORD-123456789:1. */
  orderLine: string | null;
  fromDate: IsoDate;
  toDate: IsoDate;
  /** Monthly rent: the days billed. */
  days: number | null;
  unitOre: number;
  amountOre: number;
}

export interface BilledInvoice {
  number: string;
  companyId: string;
  period: Period;
  issueDate: IsoDate;
  dueDate: IsoDate;
  currency: 'NOK';
  vatRatePct: number;
  netOre: number;
  vatOre: number;
  totalOre: number;
  lines: BilledLine[];
}

/** What happened in a company's month, as the operator's provisioning records show it. */
export interface BillableFacts {
  /** Products the company held at some time in the period (portfolio entries). */
  products: Array<{ number: string; productCode: string; productName: string; speedMbps: number | null; startDate: IsoDate; endDate: IsoDate | null }>;
  /** Order lines that reached Finished (F) in the period; the agreed establishment price where a quote set it. */
  deliveries: Array<{ orderLine: string; productCode: string; productName: string; speedMbps: number | null; finishedOn: IsoDate; agreedEstablishmentOre: number | null }>;
  /** Order lines cancelled in the period with a charge the user accepted (C-3). */
  cancellations: Array<{ orderLine: string; productCode: string; productName: string; cancelledOn: IsoDate; feeOre: number }>;
}

export interface BillingSource {
  factsFor(companyId: string, period: Period): Promise<BillableFacts>;
}

export interface BillingSystem {
  /**
   * The company's invoice for a closed period; null when there was nothing to bill. Rejected
   * (never retry) while the period has not ended. Idempotent: the same invoice every time.
   */
  invoice(input: { companyId: string; period: Period }): Promise<BilledInvoice | null>;
}

/** M-3.1: the billing system's invoice number for a company and period (stable, reveals no volume). */
export function invoiceNumber(companyId: string, period: Period): string {
  const digest = createHash('sha256').update(`invoice|${companyId}|${period}`).digest();
  return `INV-${String(digest.readUInt32BE(0) % 1_000_000_000).padStart(9, '0')}`;
}

const later = (a: IsoDate, b: IsoDate) => (a > b ? a : b);
const earlier = (a: IsoDate, b: IsoDate) => (a < b ? a : b);

export class BillingSimulator implements BillingSystem {
  readonly faults: FaultInjector;
  private source: BillingSource | undefined;
  private now: () => Date;
  private readonly issued = new Map<string, BilledInvoice | null>();

  constructor(private readonly opts: { prices: PriceList; faults?: Partial<FaultConfig>; source?: BillingSource; now?: () => Date; random?: () => number }) {
    this.faults = new FaultInjector('billing', opts.faults, opts.random);
    this.source = opts.source;
    this.now = opts.now ?? (() => new Date());
  }

  /** Where the simulated billing system reads the month's provisioning records. */
  useSource(source: BillingSource): void {
    this.source = source;
  }

  get hasSource(): boolean {
    return this.source !== undefined;
  }

  /** Tests move the billing system's clock (a period is invoiced once it has ended). */
  setClock(now: () => Date): void {
    this.now = now;
  }

  invoice(input: { companyId: string; period: Period }): Promise<BilledInvoice | null> {
    return this.faults.run('invoice', async () => {
      const key = `${input.companyId}|${input.period}`;
      if (this.issued.has(key)) return structuredClone(this.issued.get(key)!);
      const today = periodOf(this.now());
      if (input.period >= today) throw new AdapterRejectedError('billing', 'invoice', `period ${input.period} has not ended`);
      if (!this.source) throw new AdapterRejectedError('billing', 'invoice', 'no provisioning records connected');
      const invoice = await this.compose(input.companyId, input.period, await this.source.factsFor(input.companyId, input.period));
      // two callers racing: the first issued invoice stays
      if (!this.issued.has(key)) this.issued.set(key, invoice);
      return structuredClone(this.issued.get(key)!);
    });
  }

  private async compose(companyId: string, period: Period, facts: BillableFacts): Promise<BilledInvoice | null> {
    const from = periodStart(period);
    const to = periodEnd(period);
    const lines: Omit<BilledLine, 'lineNo'>[] = [];
    const sortedProducts = [...facts.products].sort((a, b) => a.number.localeCompare(b.number) || a.startDate.localeCompare(b.startDate));
    for (const p of sortedProducts) {
      const start = later(p.startDate, from);
      // the end date is the first day the product is no longer held
      const end = earlier(p.endDate ? addCalendarDays(p.endDate, -1) : to, to);
      if (end < start) continue;
      const price = await this.listPrice(p.productCode, p.speedMbps);
      if (!price) continue; // not price-listed: billed by its own agreement, outside this system
      const { days, amountOre } = proratedRent(price.monthlyRentOre, period, start, end);
      const speed = p.speedMbps ? ` ${p.speedMbps} Mbit/s` : '';
      lines.push({
        kind: 'monthly_rent',
        description: `Monthly rent ${p.productName}${speed}, ${p.number}${days < daysInPeriod(period) ? ` (${days} days)` : ''}`,
        productCode: p.productCode,
        productNumber: p.number,
        orderLine: null,
        fromDate: start,
        toDate: end,
        days,
        unitOre: price.monthlyRentOre,
        amountOre,
      });
    }
    for (const d of [...facts.deliveries].sort((a, b) => a.orderLine.localeCompare(b.orderLine))) {
      const establishment = d.agreedEstablishmentOre ?? (await this.listPrice(d.productCode, d.speedMbps))?.establishmentOre;
      if (establishment === undefined || establishment === 0) continue;
      lines.push({
        kind: 'establishment',
        description: `Establishment ${d.productName}${d.speedMbps ? ` ${d.speedMbps} Mbit/s` : ''}, order line ${d.orderLine}`,
        productCode: d.productCode,
        productNumber: null,
        orderLine: d.orderLine,
        fromDate: d.finishedOn,
        toDate: d.finishedOn,
        days: null,
        unitOre: establishment,
        amountOre: establishment,
      });
    }
    for (const c of [...facts.cancellations].sort((a, b) => a.orderLine.localeCompare(b.orderLine))) {
      if (c.feeOre <= 0) continue;
      lines.push({
        kind: 'cancellation',
        description: `Cancellation charge ${c.productName}, order line ${c.orderLine} (C-3)`,
        productCode: c.productCode,
        productNumber: null,
        orderLine: c.orderLine,
        fromDate: c.cancelledOn,
        toDate: c.cancelledOn,
        days: null,
        unitOre: c.feeOre,
        amountOre: c.feeOre,
      });
    }
    if (lines.length === 0) return null;
    const netOre = lines.reduce((t, l) => t + l.amountOre, 0);
    const { vatOre, totalOre } = vatOf(netOre);
    const issueDate = periodStart(nextPeriod(period));
    return {
      number: invoiceNumber(companyId, period),
      companyId,
      period,
      issueDate,
      dueDate: addCalendarDays(issueDate, PAYMENT_TERMS_DAYS),
      currency: 'NOK',
      vatRatePct: VAT_RATE_PCT,
      netOre,
      vatOre,
      totalOre,
      lines: lines.map((l, i) => ({ lineNo: i + 1, ...l })),
    };
  }

  /** The price list's tariff for a single-ended product (distance 0); undefined when not price-listed. */
  private async listPrice(productCode: string, speedMbps: number | null) {
    try {
      return await this.opts.prices.price({ productCode, ...(speedMbps ? { speedMbps } : {}), distanceMeters: 0 });
    } catch (err) {
      if (err instanceof AdapterRejectedError) return undefined; // unknown product or speed: no tariff
      throw err;
    }
  }
}
