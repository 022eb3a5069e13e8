// Invoices (M-3): billing periods, the exact øre arithmetic of an invoice (proration, VAT), the
// invoice's status, and its specification as CSV. Pure: the billing simulator, the import
// activity and the API all use these, so an amount is computed one way only.
import { addCalendarDays, calendarDaysBetween, type IsoDate, osloDate } from './time';

/** A billing period: a calendar month in Oslo, `YYYY-MM`. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
// no zod schemas here: the billing adapter loads this module before the API extends zod with .openapi()
export type Period = string;

/** M-3.1: invoice numbers as the billing system writes them. */
export const INVOICE_NUMBER = /^INV-\d{9}$/;

/** Norwegian VAT on telecom services, in per cent (M-3.2). */
export const VAT_RATE_PCT = 25;

/** M-3.1: payment terms of the wholesaler's invoices, calendar days after issue. */
export const PAYMENT_TERMS_DAYS = 30;

export function periodStart(period: Period): IsoDate {
  return `${period}-01`;
}

/** The last day of the period. */
export function periodEnd(period: Period): IsoDate {
  return addCalendarDays(nextPeriod(period) + '-01', -1);
}

export function nextPeriod(period: Period): Period {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function previousPeriod(period: Period): Period {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The period an instant falls in (Oslo calendar). */
export function periodOf(instant: Date): Period {
  return osloDate(instant).slice(0, 7);
}

export function daysInPeriod(period: Period): number {
  return calendarDaysBetween(periodStart(period), periodEnd(period)) + 1;
}

/** a × b / c rounded half up, in integers (øre stay exact: no floating point on money). */
export function mulDivRound(a: number, b: number, c: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(c) || c <= 0) throw new RangeError(`mulDivRound(${a}, ${b}, ${c})`);
  const n = BigInt(a) * BigInt(b);
  const q = (2n * n + BigInt(c)) / (2n * BigInt(c));
  return Number(q);
}

/**
 * M-3.2: a product held part of the month pays the rent for the days it was held, in whole øre
 * (half up). The days are those of [from, to] inside the period, both ends included.
 */
export function proratedRent(monthlyRentOre: number, period: Period, from: IsoDate, to: IsoDate): { days: number; amountOre: number } {
  const days = calendarDaysBetween(from, to) + 1;
  const full = daysInPeriod(period);
  return { days, amountOre: days >= full ? monthlyRentOre : mulDivRound(monthlyRentOre, days, full) };
}

/** M-3.2: VAT of the invoice's net sum, whole øre (half up), and the total. */
export function vatOf(netOre: number): { vatOre: number; totalOre: number } {
  const vatOre = mulDivRound(netOre, VAT_RATE_PCT, 100);
  return { vatOre, totalOre: netOre + vatOre };
}

/** issued: as the billing system issued it; disputed: a service request about it is open (M-3.4); credited: a dispute ended with a credit note. */
export const INVOICE_STATUSES = ['issued', 'disputed', 'credited'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** M-3.4: an invoice is disputed while a service request about it is open (S-2's open statuses); credited once a dispute gave a credit note. */
export function invoiceStatus(openDisputes: number, outcomes: readonly { outcome: 'credit_note' | 'rejected' }[]): InvoiceStatus {
  if (openDisputes > 0) return 'disputed';
  if (outcomes.some((o) => o.outcome === 'credit_note')) return 'credited';
  return 'issued';
}

export interface SpecificationLine {
  lineNo: number;
  kind: string;
  description: string;
  productCode: string;
  productNumber: string | null;
  orderLine: string | null;
  fromDate: string;
  toDate: string;
  days: number | null;
  unitOre: number;
  amountOre: number;
}

/** Øre as kroner with two decimals and a point (CSV for spreadsheets: no locale separators). */
export function kroner(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A CSV field (RFC 4180): quoted when it holds a separator, quote or line break; a leading =,+,-,@ is neutralised (spreadsheet formulas). */
function csvField(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`;
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const SPECIFICATION_COLUMNS = [
  'invoice',
  'period',
  'line',
  'kind',
  'description',
  'product_code',
  'product_number',
  'order_line',
  'from',
  'to',
  'days',
  'unit_ore',
  'amount_ore',
  'amount_nok',
] as const;

/** M-3.3: the specification, one row per invoice line, amounts in øre and in kroner; CRLF line ends (RFC 4180). */
export function specificationCsv(invoice: { number: string; period: string }, lines: readonly SpecificationLine[]): string {
  const rows = [SPECIFICATION_COLUMNS.join(',')];
  for (const l of lines) {
    rows.push(
      [invoice.number, invoice.period, l.lineNo, l.kind, l.description, l.productCode, l.productNumber, l.orderLine, l.fromDate, l.toDate, l.days, l.unitOre, l.amountOre, kroner(l.amountOre)]
        .map(csvField)
        .join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

/** Øre as Norwegian kroner for people: `1 234,50` (space as thousands separator, comma decimals). */
export function formatNok(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')}`;
}
