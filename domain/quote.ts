// Quotes: line and header statuses, the line transition table, header aggregation, line field
// rules and the pricing-route decision (rules Q-1…Q-11). The one place that owns these tables;
// the API (pre-checks, 409 bodies) and the quote workflow (validators) both read them.
import { z } from 'zod';
import { type Actor, canOrder, isHandler } from './identity';
import { type FieldProblem, invalidRefusal, notAllowedRefusal, type Refusal } from './refusal';
import { addCalendarDays, type IsoDate, osloDate, osloInstant, type RuleDuration } from './time';

/** Q-9 line statuses, plus Expired (beyond the source: the price validity has run out). */
export const QuoteLineStatus = z.enum(['New', 'Received', 'In Process', 'Incomplete', 'Customer Update', 'Completed', 'Customer Closed', 'Cancelled', 'Expired']);
export type QuoteLineStatus = z.infer<typeof QuoteLineStatus>;

/** Q-10 header statuses. */
export const QuoteStatus = z.enum(['New', 'Received', 'In Process', 'Incomplete', 'Customer Update', 'Completed', 'Cancelled']);
export type QuoteStatus = z.infer<typeof QuoteStatus>;

/** Q-10: lines that count as done for the header (nothing more is expected of anybody). */
export const DONE_LINE_STATUSES: readonly QuoteLineStatus[] = ['Completed', 'Customer Closed', 'Cancelled', 'Expired'];

/** Q-10 interpretation: precedence when lines differ, most important first. */
export const HEADER_PRECEDENCE: readonly QuoteLineStatus[] = ['Incomplete', 'Customer Update', 'In Process', 'Received', 'New'];

/** Lines waiting for a handler's manual pricing (the sales-support queue, A-2). */
export const HANDLER_QUEUE_LINE_STATUSES: readonly QuoteLineStatus[] = ['Received', 'Customer Update'];
/** Lines the wholesaler is responsible for right now (keeps the quote in the sales-support queue). */
export const WHOLESALER_LINE_STATUSES: readonly QuoteLineStatus[] = ['Received', 'Customer Update', 'In Process'];
export const QUOTE_QUEUE = 'sales-support';

/**
 * Q-10: the header status summarises the lines. A quote without lines is New (or Cancelled once the
 * user cancelled it). *Deck* (slide 43): "New: Quoten er opprettet og kan inneholde Quote Line Items,
 * men det har ikke blitt utført prisforespørsel på noen av Quote Line Items" — New only while no line
 * has had a price request (`priceRequested`: a line priced, sent for manual pricing, or past it). A
 * line left New after Submit because its manual pricing is not confirmed has had no price request
 * (Q-8: it goes to the wholesaler only when confirmed), so it holds the header at New only when no
 * other line was priced. Beside done lines it does not: the header is Completed (with the count of
 * Completed lines, slide 42) — the priced lines can be ordered.
 */
export function quoteHeaderStatus(lines: readonly QuoteLineStatus[], quoteCancelled = false, priceRequested = lines.some((s) => s !== 'New' && s !== 'Cancelled')): QuoteStatus {
  if (lines.length === 0) return quoteCancelled ? 'Cancelled' : 'New';
  for (const s of HEADER_PRECEDENCE) if (s !== 'New' && lines.includes(s)) return s as QuoteStatus;
  const done = lines.filter((s) => s !== 'New');
  if (lines.includes('New') && (!priceRequested || !done.some((s) => s !== 'Cancelled'))) return 'New';
  // every line is done (Completed, Customer Closed, Cancelled, Expired), or New without a price request beside them
  return done.every((s) => s === 'Cancelled') ? 'Cancelled' : 'Completed';
}

/** Q-10 as it was before the correction (an unconfirmed New line kept the header New); replay only. */
export function legacyQuoteHeaderStatus(lines: readonly QuoteLineStatus[], quoteCancelled = false): QuoteStatus {
  if (lines.length === 0) return quoteCancelled ? 'Cancelled' : 'New';
  for (const s of HEADER_PRECEDENCE) if (lines.includes(s)) return s as QuoteStatus;
  return lines.every((s) => s === 'Cancelled') ? 'Cancelled' : 'Completed';
}

/** Q-10: the header shows how many lines are Completed (orderable now). */
export function completedLineCount(lines: readonly QuoteLineStatus[]): number {
  return lines.filter((s) => s === 'Completed').length;
}

// ---- line transitions (Q-9, Q-11) ------------------------------------------------------------

export const QuoteLineAction = z.enum(['change', 'remove', 'cancel', 'customerUpdate', 'customerClose', 'take', 'setIncomplete', 'complete', 'cancelByHandler']);
export type QuoteLineAction = z.infer<typeof QuoteLineAction>;

interface LineTransition {
  by: 'customer' | 'handler';
  from: readonly QuoteLineStatus[];
  to: QuoteLineStatus | 'unchanged' | 'removed';
}

/**
 * Q-9 / Q-11: every status change a person may make on a line; anything not here is refused
 * (409). The user only sets Customer Update (from Incomplete), Customer Closed (from Completed)
 * and Cancelled (Q-9: "cancelled by the wholesaler or by the user"); the rest is the wholesaler's.
 * Pricing on submit (New → Completed / Received) and expiry (Completed → Expired) are the
 * system's, see PRICEABLE_LINE_STATUSES and priceValidity.
 */
export const LINE_TRANSITIONS: Record<QuoteLineAction, LineTransition> = {
  change: { by: 'customer', from: ['New', 'Incomplete'], to: 'unchanged' },
  remove: { by: 'customer', from: ['New'], to: 'removed' },
  cancel: { by: 'customer', from: ['New', 'Received', 'In Process', 'Incomplete', 'Customer Update', 'Completed'], to: 'Cancelled' },
  customerUpdate: { by: 'customer', from: ['Incomplete'], to: 'Customer Update' },
  customerClose: { by: 'customer', from: ['Completed'], to: 'Customer Closed' },
  take: { by: 'handler', from: ['Received', 'Customer Update'], to: 'In Process' },
  setIncomplete: { by: 'handler', from: ['In Process'], to: 'Incomplete' },
  complete: { by: 'handler', from: ['In Process'], to: 'Completed' },
  cancelByHandler: { by: 'handler', from: ['Received', 'In Process', 'Incomplete', 'Customer Update'], to: 'Cancelled' },
};

/** A quote holds at most this many lines (the create body enforces the same bound). */
export const MAX_QUOTE_LINES = 50;

/** Q-8: submit (Estimate Price) prices the lines that are still New. */
export const PRICEABLE_LINE_STATUSES: readonly QuoteLineStatus[] = ['New'];

function mayActAs(actor: Actor, by: LineTransition['by']): boolean {
  return by === 'handler' ? isHandler(actor) : canOrder(actor);
}

/** What a line's current state allows this actor (shown with every 409 and on each line). */
export function allowedLineActions(line: { status: QuoteLineStatus; orderedAs: string | null }, actor: Actor): QuoteLineAction[] {
  return QuoteLineAction.options.filter((a) => {
    const t = LINE_TRANSITIONS[a];
    // Q-12: a line that became an order stays as it is
    if (line.orderedAs !== null) return false;
    return t.from.includes(line.status) && mayActAs(actor, t.by);
  });
}

export function nextLineStatus(status: QuoteLineStatus, action: QuoteLineAction): QuoteLineStatus | 'removed' {
  const t = LINE_TRANSITIONS[action].to;
  return t === 'unchanged' ? status : t;
}

export const QuoteAction = z.enum(['addLine', 'submit', 'cancelQuote']);
export type QuoteAction = z.infer<typeof QuoteAction>;

/** Quote-level actions (the customer's): add a line, Submit (Estimate Price), cancel the quote. */
export function allowedQuoteActions(quote: { status: QuoteStatus; cancelled: boolean; lines: ReadonlyArray<{ status: QuoteLineStatus; orderedAs: string | null }> }, actor: Actor): QuoteAction[] {
  if (!canOrder(actor) || quote.cancelled || quote.status === 'Cancelled') return [];
  // every line final (closed, cancelled, expired or ordered): the quote is closed and its workflow ends
  if (quote.lines.length > 0 && quote.lines.every(isFinalLine)) return [];
  const out: QuoteAction[] = ['addLine'];
  if (quote.lines.some((l) => PRICEABLE_LINE_STATUSES.includes(l.status))) out.push('submit');
  if (quote.lines.length === 0 || quote.lines.some((l) => allowedLineActions(l, actor).includes('cancel'))) out.push('cancelQuote');
  return out;
}

/** Q-12 / price validity: a line may be ordered while Completed, unexpired and not yet ordered. */
export function isOrderable(line: { status: QuoteLineStatus; orderedAs: string | null; priceExpiresAt: string | null }, now: Date): boolean {
  return line.status === 'Completed' && line.orderedAs === null && (line.priceExpiresAt === null || new Date(line.priceExpiresAt) > now);
}

/** A line nobody will act on again: the quote's workflow may finish once every line is final. */
export function isFinalLine(line: { status: QuoteLineStatus; orderedAs: string | null; orderPending?: boolean }): boolean {
  // a line reserved for an order being made is not final: the saga may still release it
  return line.status === 'Customer Closed' || line.status === 'Cancelled' || line.status === 'Expired' || (line.status === 'Completed' && line.orderedAs !== null && !line.orderPending);
}

// ---- price validity (beyond the source) -----------------------------------------------------

/**
 * A Completed line's price holds for the configured validity. In production (calendar days) it
 * is valid through the Oslo date `validUntil` and expires at the midnight after; a test
 * duration in milliseconds expires exactly that long after completion.
 */
export function priceValidity(completedAt: Date, validity: RuleDuration): { validUntil: IsoDate; expiresAt: Date } {
  if ('ms' in validity) {
    const expiresAt = new Date(completedAt.getTime() + validity.ms);
    return { validUntil: osloDate(expiresAt), expiresAt };
  }
  const validUntil = addCalendarDays(osloDate(completedAt), validity.calendarDays);
  return { validUntil, expiresAt: osloInstant(addCalendarDays(validUntil, 1)) };
}

// ---- line field rules (Q-1…Q-4, Q-7, G-4) ---------------------------------------------------

/** The price-list product facts a quote line needs (a snapshot is kept on the line). */
export interface QuoteProduct {
  code: string;
  name: string;
  family: string;
  twoEnded: boolean;
  needsSpeed: boolean;
  speedsMbps: number[];
  priceListProduct: boolean;
  quoteOnly: boolean;
  zone1RequiredSpeedsMbps: number[];
}

export const COLOCATION_FAMILY = 'colocation';

/** An address as the register answered for it; `undefined` when the id is unknown. */
export interface AddressFacts {
  id: string;
  postBox: boolean;
}

export interface LineCheck {
  productCode: string;
  product: QuoteProduct | undefined;
  speedMbps: number | null;
  /** null: not given; { found: false }: given but not in the register. */
  addressA: { id: string; facts: AddressFacts | undefined } | null;
  addressB: { id: string; facts: AddressFacts | undefined } | null;
  attachmentFlag: boolean;
  attachmentCount: number;
}

/** A failing field of a line; `field` is relative to the line (the API prefixes it). */
export interface LineProblem {
  field: 'productCode' | 'speedMbps' | 'addressAId' | 'addressBId' | 'attachmentFlag' | 'attachmentIds';
  code: 'missing_property' | 'invalid_value' | 'reference_not_found';
  rule: string;
  message: string;
}

/** G-1: every field rule of a quote line at once, so a refusal names each failing field. */
export function lineProblems(l: LineCheck): LineProblem[] {
  const out: LineProblem[] = [];
  const p = l.product;
  if (!p) {
    out.push({ field: 'productCode', code: 'reference_not_found', rule: 'Q-2', message: `no product ${l.productCode} in the price list` });
  } else if (!p.quoteOnly) {
    out.push({ field: 'productCode', code: 'invalid_value', rule: 'Q-1', message: `${p.name} is ordered directly, without a quote: quotes are for capacity products and co-location` });
  }
  if (p) {
    if (p.needsSpeed && l.speedMbps === null) {
      out.push({ field: 'speedMbps', code: 'missing_property', rule: 'Q-2', message: `${p.name} needs a speed: one of ${p.speedsMbps.join(', ')} Mbit/s` });
    } else if (p.needsSpeed && l.speedMbps !== null && !p.speedsMbps.includes(l.speedMbps)) {
      out.push({ field: 'speedMbps', code: 'invalid_value', rule: 'Q-2', message: `${p.name} is offered at ${p.speedsMbps.join(', ')} Mbit/s, not ${l.speedMbps}` });
    } else if (!p.needsSpeed && l.speedMbps !== null) {
      out.push({ field: 'speedMbps', code: 'invalid_value', rule: 'Q-2', message: `${p.name} has no speed attribute: leave it out` });
    }
  }
  const colocation = p?.family === COLOCATION_FAMILY;
  if (colocation && !l.attachmentFlag) {
    out.push({ field: 'attachmentFlag', code: 'invalid_value', rule: 'Q-7', message: 'a Telelosji line has the attachment flag set' });
  }
  if ((l.attachmentFlag || colocation) && l.attachmentCount === 0) {
    out.push({
      field: 'attachmentIds',
      code: 'missing_property',
      rule: colocation ? 'Q-7' : 'Q-4',
      message: colocation ? 'attach the co-location request form' : 'with the attachment flag, attach the site information (map, floor plan)',
    });
  }
  const checkAddress = (which: 'addressAId' | 'addressBId', a: LineCheck['addressA']) => {
    if (!a) return;
    if (!a.facts) out.push({ field: which, code: 'reference_not_found', rule: 'Q-3', message: `no address ${a.id} in the address register: search for it, or set the attachment flag (Q-4)` });
    else if (a.facts.postBox) out.push({ field: which, code: 'invalid_value', rule: 'Q-2', message: 'a post-box address is never an installation address' });
  };
  if (l.attachmentFlag) {
    // Q-4: the flag and its attachment replace the addresses
    if (l.addressA) out.push({ field: 'addressAId', code: 'invalid_value', rule: 'Q-4', message: 'with the attachment flag the site is given in the attachment: leave address A out' });
    if (l.addressB) out.push({ field: 'addressBId', code: 'invalid_value', rule: 'Q-4', message: 'with the attachment flag the site is given in the attachment: leave address B out' });
    return out;
  }
  if (!l.addressA) out.push({ field: 'addressAId', code: 'missing_property', rule: 'Q-2', message: 'give the installation address A, or set the attachment flag with an attachment (Q-4)' });
  checkAddress('addressAId', l.addressA);
  if (p?.twoEnded) {
    if (!l.addressB) out.push({ field: 'addressBId', code: 'missing_property', rule: 'Q-2', message: `${p.name} is two-ended: give address B too` });
    checkAddress('addressBId', l.addressB);
  } else if (p && l.addressB) {
    out.push({ field: 'addressBId', code: 'invalid_value', rule: 'Q-2', message: `${p.name} has one end: leave address B out` });
  }
  return out;
}

// ---- pricing route (Q-4…Q-7) ----------------------------------------------------------------

export type PricingRoute = { kind: 'auto' } | { kind: 'manual'; rule: 'Q-5' | 'Q-6' | 'Q-7'; reason: string };

/**
 * Q-5 / Q-6 / Q-7: whether a line can be priced from the price list or needs a handler.
 * `distanceMeters` is undefined when the register cannot compute it. A price-list product at a
 * speed with no tariff row is found out by the price look-up itself (Q-6, "higher speeds").
 */
export function pricingRoute(l: {
  product: QuoteProduct;
  speedMbps: number | null;
  attachmentFlag: boolean;
  zoneA: number | null;
  zoneB: number | null;
  distanceMeters: number | undefined;
}): PricingRoute {
  const p = l.product;
  if (p.family === COLOCATION_FAMILY) return { kind: 'manual', rule: 'Q-7', reason: 'co-location (Telelosji) is always priced manually' };
  if (!p.priceListProduct) return { kind: 'manual', rule: 'Q-6', reason: `${p.name} is not a price-list product` };
  if (l.attachmentFlag) return { kind: 'manual', rule: 'Q-5', reason: 'the site is given in an attachment (Q-4): the distance cannot be computed' };
  if (p.twoEnded && l.distanceMeters === undefined) return { kind: 'manual', rule: 'Q-5', reason: 'the distance between address A and B cannot be computed' };
  if (l.speedMbps !== null && p.zone1RequiredSpeedsMbps.includes(l.speedMbps)) {
    const outside = [l.zoneA, ...(p.twoEnded ? [l.zoneB] : [])].some((z) => z !== 1);
    if (outside) return { kind: 'manual', rule: 'Q-5', reason: `at ${l.speedMbps} Mbit/s both addresses must lie in connection zone 1 (A: zone ${l.zoneA ?? '?'}, B: zone ${l.zoneB ?? '?'})` };
  }
  return { kind: 'auto' };
}

export const NOT_PRICE_LISTED_REASON = (name: string, speed: number | null) => `${name}${speed !== null ? ` at ${speed} Mbit/s` : ''} has no price-list tariff`;

// ---- decisions (the workflow's validators and the API's precheck ask the same functions) ----

type QuoteLike = { number: string; status: QuoteStatus; cancelled: boolean; lines: ReadonlyArray<{ lineNo: number; status: QuoteLineStatus; orderedAs: string | null }> };

/** Q-8 / Q-9: may this actor take a quote-level action now? */
export function decideQuoteAction(quote: QuoteLike, action: QuoteAction, actor: Actor): Refusal | undefined {
  const allowed = allowedQuoteActions(quote, actor);
  if (allowed.includes(action)) return undefined;
  const message =
    action === 'submit' && allowed.length > 0
      ? `${quote.number} has no New line to price`
      : action === 'addLine'
        ? `lines cannot be added to ${quote.number} in status ${quote.status}`
        : action === 'cancelQuote'
          ? `${quote.number} in status ${quote.status} cannot be cancelled`
          : `'${action}' is not allowed on ${quote.number} in status ${quote.status}`;
  return notAllowedRefusal({ status: quote.status, action, allowedActions: allowed, rule: action === 'submit' ? 'Q-8' : 'Q-9', message });
}

/** What a line action carries that the decision looks at. */
export interface QuoteLineActionFacts {
  actor: Actor;
  lineNo: number;
  comment?: string;
  price?: { monthlyRentOre?: unknown; establishmentOre?: unknown };
}

/** Q-9 / Q-11 / Q-12: may this actor take this line action now, with this input? */
export function decideQuoteLineAction(quote: QuoteLike, action: QuoteLineAction, cmd: QuoteLineActionFacts): Refusal | undefined {
  const line = quote.lines.find((l) => l.lineNo === cmd.lineNo);
  if (!line) return invalidRefusal([{ field: 'lineNo', rule: 'Q-2', message: `${quote.number} has no line ${cmd.lineNo}` }]);
  const allowed = allowedLineActions(line, cmd.actor);
  if (!allowed.includes(action)) {
    return notAllowedRefusal({
      status: line.status,
      action,
      allowedActions: allowed,
      rule: line.orderedAs !== null ? 'Q-12' : cmd.actor.role === 'handler' ? 'Q-9' : 'Q-11',
      message: `'${action}' is not allowed on line ${line.lineNo} of ${quote.number} in status ${line.status}${line.orderedAs ? ` (ordered as ${line.orderedAs})` : ''}`,
    });
  }
  const problems: FieldProblem[] = [];
  if ((action === 'setIncomplete' || action === 'cancelByHandler') && !cmd.comment?.trim()) {
    problems.push({ field: 'comment', rule: 'Q-9', message: action === 'setIncomplete' ? 'required: say what is missing' : 'required: the reason for cancelling' });
  }
  if (action === 'complete') {
    for (const key of ['monthlyRentOre', 'establishmentOre'] as const) {
      const v = cmd.price?.[key];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) problems.push({ field: `price.${key}`, rule: 'Q-9', message: 'required: a whole, non-negative number of øre' });
    }
  }
  return invalidRefusal(problems);
}

/** Q-12: may this line be ordered (reserved for an order) now? */
export function decideMarkOrdered(
  quote: {
    number: string;
    status: QuoteStatus;
    lines: ReadonlyArray<{ lineNo: number; status: QuoteLineStatus; orderedAs: string | null; priceExpiresAt: string | null; priceValidUntil?: string | null }>;
  },
  cmd: { lineNo: number; orderNumber: string },
  now: Date,
): Refusal | undefined {
  const line = quote.lines.find((l) => l.lineNo === cmd.lineNo);
  if (line && isOrderable(line, now) && cmd.orderNumber?.trim()) return undefined;
  const why = !line
    ? `there is no line ${cmd.lineNo}`
    : line.orderedAs !== null
      ? `line ${cmd.lineNo} was already ordered as ${line.orderedAs}`
      : line.status !== 'Completed'
        ? `line ${cmd.lineNo} is ${line.status}: only a Completed line may be ordered`
        : !cmd.orderNumber?.trim()
          ? 'the order number is missing'
          : `the price of line ${cmd.lineNo} expired on ${line.priceValidUntil}`;
  return notAllowedRefusal({ status: line?.status ?? quote.status, action: 'markOrdered', allowedActions: [], rule: 'Q-12', message: `${quote.number}: ${why}` });
}
