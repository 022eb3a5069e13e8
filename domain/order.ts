// Orders: header and line statuses, the handler's delivery steps, the header summary, Reopen and
// cancellation rules (O-9, O-12…O-20, C-1…C-6). The one place that owns the order status tables;
// API and workflows both read it.
import type { Actor } from './identity';
import { canOrder, isHandler } from './identity';

/** O-15 (and the O-14 values a line passes through): every status an order line can have. */
export const LINE_STATUSES = [
  'New',
  'Committed',
  'Registered',
  'In Progress',
  'Incomplete',
  'Customer Update',
  'Ordered',
  'Design',
  'Ready',
  'Field Service',
  'Test',
  'Delivery',
  'Finished',
  'Closed',
  'Duplicate',
  'Rejected',
  'Cancelled',
] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** O-14: header statuses. */
export const ORDER_STATUSES = ['New', 'In Progress', 'Committed', 'Duplicate', 'Registered', 'Rejected', 'Incomplete', 'Cancelled', 'In Process', 'Closed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * O-15 letter codes shown with the delivery statuses. Cancelled has its letter only when the
 * wholesaler cancelled (see lineStatusCode): *Deck* (slide 84) "Cancelled (A) – Ordren er kansellert av
 * Telenor", while slide 83's plain "Cancelled … Kan være kansellert både av Telenor og av Dere".
 */
export const LINE_STATUS_CODES: Partial<Record<LineStatus, string>> = {
  Ordered: 'O',
  Design: 'D',
  Ready: 'R',
  'Field Service': 'M',
  Test: 'T',
  Delivery: 'L',
  Finished: 'F',
  Cancelled: 'A',
};

/**
 * O-15: the letter of a line's status. A is "kansellert av Telenor" — the wholesaler's cancellation;
 * a reseller's own cancellation is Cancelled without a letter.
 */
export function lineStatusCode(status: LineStatus, cancelledByWholesaler: boolean): string | null {
  if (status === 'Cancelled' && !cancelledByWholesaler) return null;
  return LINE_STATUS_CODES[status] ?? null;
}

export const TERMINAL_LINE_STATUSES: readonly LineStatus[] = ['Closed', 'Rejected', 'Cancelled'];

/**
 * O-16: a line in one of these puts the header In Process. *Deck* (slide 82): "Ordered (O), Design (D),
 * Field Service (M), Ready(R), Test (T) og Delivery (L) er statusverdier som bare vil stå på Line Item.
 * Når ordrehodet har status In Process, betyr det at en eller flere av Line Items har statusene som ligger
 * i In Process- kategorien." Finished (F) is not among them: a delivered line is done.
 */
export const DELIVERY_LINE_STATUSES: readonly LineStatus[] = ['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery'];

/** C-1: once a line has reached Field Service (M) the order can no longer be reopened. */
export const FIELD_SERVICE_OR_LATER: readonly LineStatus[] = ['Field Service', 'Test', 'Delivery', 'Finished', 'Closed'];

/** O-9: order types. */
export const ORDER_TYPES = ['Standard', 'Project'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const PROJECT_MAX_LINES = 50;

/**
 * What an order line does. This issue builds 'new'; switch-ISP, product swaps and terminations
 * reuse the line workflow with their own kind (C-6 decides on the kind). 'modify' is a change
 * order on a portfolio product (speed, equipment or move; O-13, M-1; see domain/modify-order.ts).
 */
export const ORDER_KINDS = ['new', 'switch_isp', 'product_swap', 'termination', 'modify'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/** C-6: switch-ISP orders and product swaps are cancelled through a service request. */
export const CANCEL_VIA_SERVICE_REQUEST: readonly OrderKind[] = ['switch_isp', 'product_swap'];

// ---- the handler's and the customer's actions on a line -----------------------------------------

export const LINE_ACTIONS = [
  'inProgress',
  'incomplete',
  'reject',
  'cancelByOperator',
  'advance',
  'completeManualHandling', // handler
  'customerUpdate',
  'cancel',
  'reschedule',
  'cancelBooking', // customer
] as const;
export type LineAction = (typeof LINE_ACTIONS)[number];

interface LineTransition {
  by: 'customer' | 'handler';
  from: readonly LineStatus[];
  to: LineStatus | 'unchanged' | 'step';
}

const BEFORE_FIELD_SERVICE: readonly LineStatus[] = ['Committed', 'Registered', 'In Progress', 'Incomplete', 'Customer Update', 'Ordered', 'Design', 'Ready'];

/** O-14, O-15, O-17, C-3: who may move a line from where to where; anything else is refused (409). */
export const LINE_TRANSITIONS: Record<LineAction, LineTransition> = {
  inProgress: { by: 'handler', from: ['Committed', 'Registered', 'Customer Update'], to: 'In Progress' },
  incomplete: { by: 'handler', from: ['Registered', 'In Progress', 'Customer Update', 'Ordered', 'Design', 'Ready'], to: 'Incomplete' },
  reject: { by: 'handler', from: BEFORE_FIELD_SERVICE, to: 'Rejected' },
  cancelByOperator: { by: 'handler', from: [...BEFORE_FIELD_SERVICE, 'Field Service', 'Test', 'Delivery', 'Duplicate'], to: 'Cancelled' },
  advance: { by: 'handler', from: ['Registered', 'In Progress', 'Customer Update', 'Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished'], to: 'step' },
  // O-11: the handler has checked availability for a line whose check timed out: it is registered now
  completeManualHandling: { by: 'handler', from: ['Committed', 'In Progress'], to: 'Committed' },
  customerUpdate: { by: 'customer', from: ['Incomplete'], to: 'Customer Update' },
  cancel: { by: 'customer', from: [...BEFORE_FIELD_SERVICE, 'Field Service', 'Test', 'Delivery', 'Duplicate'], to: 'Cancelled' },
  reschedule: { by: 'customer', from: BEFORE_FIELD_SERVICE, to: 'unchanged' },
  cancelBooking: { by: 'customer', from: BEFORE_FIELD_SERVICE, to: 'unchanged' },
};

/**
 * O-15 / X-4: the delivery steps a handler moves a line through, only forwards and one step at a
 * time: Ordered (O) → Design (D) → Ready (R) → Field Service (M) → Test (T) → Delivery (L) →
 * Finished (F) → Closed. A line enters Ordered once it is registered (or being handled).
 */
export const DELIVERY_STEPS: Partial<Record<LineStatus, readonly LineStatus[]>> = {
  Ordered: ['Registered', 'In Progress', 'Customer Update'],
  Design: ['Ordered'],
  Ready: ['Design'],
  'Field Service': ['Ready'],
  Test: ['Field Service'],
  Delivery: ['Test'],
  Finished: ['Delivery'],
  Closed: ['Finished'],
};

export function isDeliveryStep(to: string): to is LineStatus {
  return Object.hasOwn(DELIVERY_STEPS, to);
}

/** The delivery step a handler may move a line to next, if any. */
export function nextDeliveryStep(from: LineStatus): LineStatus | undefined {
  return (Object.keys(DELIVERY_STEPS) as LineStatus[]).find((to) => DELIVERY_STEPS[to]?.includes(from));
}

function mayActAs(actor: Actor, by: LineTransition['by']): boolean {
  return by === 'handler' ? isHandler(actor) : canOrder(actor);
}

/**
 * O-11: a line submitted after the availability check kept timing out waits in the handlers' queue,
 * Committed and unregistered, until a handler has checked availability and completes the manual
 * handling; only then is it registered. *Deck* (slide 57): "Får du fortsatt "time-out" vil du likevel
 * kunne sende inn bestillingen, men du vil ikke kunne booke montør. Bestillingen vil da gå til manuell
 * behandling hos Jara Kundeservice."
 */
export function awaitsManualHandling(line: { status: LineStatus; manualHandling?: boolean; manualHandlingDoneBy?: string | null; customerOrderId?: string | null }): boolean {
  return line.manualHandling === true && !line.manualHandlingDoneBy && !line.customerOrderId && (line.status === 'Committed' || line.status === 'In Progress');
}

/** The actions this actor may take on a line in this status (shown with every 409). */
export function allowedLineActions(status: LineStatus, actor: Actor, kind: OrderKind = 'new', hasBooking = false, awaitingManualHandling = false): LineAction[] {
  return LINE_ACTIONS.filter((a) => {
    const t = LINE_TRANSITIONS[a];
    if (!t.from.includes(status) || !mayActAs(actor, t.by)) return false;
    if (a === 'completeManualHandling' && !awaitingManualHandling) return false; // O-11
    if (a === 'cancel' && CANCEL_VIA_SERVICE_REQUEST.includes(kind)) return false; // C-6
    if ((a === 'reschedule' || a === 'cancelBooking') && !hasBooking) return false;
    return true;
  });
}

/** The status a line moves to; for 'advance' the requested step (checked by canAdvance). */
export function nextLineStatus(status: LineStatus, action: LineAction, step?: LineStatus): LineStatus {
  const t = LINE_TRANSITIONS[action];
  if (t.to === 'unchanged') return status;
  if (t.to === 'step') return step ?? status;
  return t.to;
}

/** O-15: a handler's step is allowed only forwards, from its one predecessor set. */
export function canAdvance(from: LineStatus, to: LineStatus): boolean {
  return DELIVERY_STEPS[to]?.includes(from) ?? false;
}

/**
 * O-15: the delivery steps a line may be moved to now by whoever may take these actions (`allowed`,
 * from allowedLineActions): none unless 'advance' is allowed, else the steps canAdvance accepts —
 * the same tables the workflow's decision reads, so a screen offers exactly what will be accepted.
 */
export function allowedNextSteps(status: LineStatus, allowed: readonly LineAction[]): LineStatus[] {
  if (!allowed.includes('advance')) return [];
  return (Object.keys(DELIVERY_STEPS) as LineStatus[]).filter((to) => canAdvance(status, to));
}

// ---- the header ------------------------------------------------------------------------------

/**
 * O-16: the header's precedence, most important first — written down once, here. *Deck* (slide 82):
 * "Den viktigste statusverdien (som f.eks. Incomplete, Rejected og Registered) for de ulike bestillingene
 * fremkommer på ordrehodet." The order of importance is what the reseller must know first:
 *
 * 1. New — a line is being edited (a draft, or reopened with C-1): nothing is with the wholesaler.
 * 2. Incomplete — the reseller must act (O-17); slide 87: "Rejected og Incomplete innebærer at ordren
 *    ikke kan effektueres".
 * 3. Rejected — a line will not be delivered and needs the reseller's follow-up; it must not hide behind
 *    a sibling that is still moving (a Registered or delivering line), so it ranks above all of them.
 * 4. Duplicate — a line duplicates another order (O-19): the reseller decides which to keep.
 * 5. In Process — a line in O, D, R, M, T or L (the delivery is under way).
 * 6. In Progress — a line is with the wholesaler's customer service (In Progress, Customer Update).
 * 7. Committed — sent, not yet registered (Telenor follows it up).
 * 8. Registered — registered with a Customer Order Id, delivery not started.
 * 9. When every line is done: Closed if any line was delivered (Finished (F) or Closed — a fully
 *    delivered order is not In Process), else Cancelled (every line cancelled).
 */
export const ORDER_HEADER_PRECEDENCE: ReadonlyArray<readonly [OrderStatus, readonly LineStatus[]]> = [
  ['New', ['New']],
  ['Incomplete', ['Incomplete']],
  ['Rejected', ['Rejected']],
  ['Duplicate', ['Duplicate']],
  ['In Process', DELIVERY_LINE_STATUSES],
  ['In Progress', ['In Progress', 'Customer Update']],
  ['Committed', ['Committed']],
  ['Registered', ['Registered']],
  ['Closed', ['Finished', 'Closed']],
];

/** O-16: the header status of an order from its lines' statuses (the precedence above). */
export function orderSummaryStatus(lines: readonly LineStatus[]): OrderStatus {
  if (lines.length === 0) return 'New';
  for (const [header, statuses] of ORDER_HEADER_PRECEDENCE) if (lines.some((l) => statuses.includes(l))) return header;
  return 'Cancelled';
}

/**
 * The header precedence before O-16 was corrected (Finished counted as In Process, Rejected only when
 * every line was done). Only for order workflows replaying a history made before the correction
 * (`patched('o16-header-precedence')`): their search-attribute updates followed it.
 */
export function legacyOrderSummaryStatus(lines: readonly LineStatus[]): OrderStatus {
  if (lines.length === 0) return 'New';
  const any = (...s: LineStatus[]) => lines.some((l) => s.includes(l));
  if (any('New')) return 'New';
  if (any('Incomplete')) return 'Incomplete';
  if (any(...DELIVERY_LINE_STATUSES, 'Finished')) return 'In Process';
  if (any('In Progress', 'Customer Update')) return 'In Progress';
  if (any('Committed')) return 'Committed';
  if (any('Registered')) return 'Registered';
  if (any('Duplicate')) return 'Duplicate';
  if (any('Closed')) return 'Closed';
  if (any('Rejected')) return 'Rejected';
  return 'Cancelled';
}

/** The order phases of the header workflow: a draft (New, also after Reopen), submitted, or cancelled before submit. */
export type OrderPhase = 'draft' | 'submitted' | 'cancelled';

export const ORDER_ACTIONS = ['update', 'validate', 'submit', 'cancel', 'reopen'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

export interface ReopenDecision {
  allowed: boolean;
  reason?: string;
}

/**
 * C-1: Reopen is active while no line has reached Field Service (M) or later and the order is not
 * Rejected, Cancelled or Closed. C-2/C-5: otherwise the change goes in a service request.
 */
export function reopenDecision(phase: OrderPhase, lines: readonly LineStatus[]): ReopenDecision {
  if (phase !== 'submitted') return { allowed: false, reason: phase === 'draft' ? 'the order is not submitted' : 'the order is cancelled' };
  // a Rejected line beside a moving one puts the header at Rejected (O-16), yet the others may still be reopened
  if (lines.every((l) => TERMINAL_LINE_STATUSES.includes(l) || l === 'Finished')) {
    return { allowed: false, reason: `the order is ${orderSummaryStatus(lines)}` };
  }
  const late = lines.find((l) => FIELD_SERVICE_OR_LATER.includes(l));
  if (late) return { allowed: false, reason: `a line has reached ${late}` };
  return { allowed: true };
}

/** The header actions this actor may take (shown with the order and every 409). */
export function allowedOrderActions(phase: OrderPhase, lines: readonly LineStatus[], actor: Actor): OrderAction[] {
  if (!canOrder(actor)) return [];
  if (phase === 'draft') return ['update', 'validate', 'submit', 'cancel'];
  if (phase === 'cancelled') return [];
  const out: OrderAction[] = [];
  if (reopenDecision(phase, lines).allowed) out.push('reopen');
  if (lines.some((l) => LINE_TRANSITIONS.cancel.from.includes(l))) out.push('cancel');
  return out;
}

/** O-12: products for which the user books a technician (PSTN and ISDN optionally with a number reservation). */
export const BOOKABLE_FAMILIES = ['adsl', 'operator_access', 'shdsl', 'pstn', 'isdn'] as const;

/**
 * O-12: the user SHALL book a technician for a new order of these products when Kapaks allows it —
 * *Deck* (slide 58): "Du skal altså booke montør når Kapaks tillater det og produktet som bestilles er
 * ADSL delt eller full tilgang, Operatøraksess delt eller full tilgang, …, SHDSL, PSTN …, ISDN …".
 * Kapaks allows it on green and on yellow "ikke entydig svar" ("Du bør booke montør selv", slide 55);
 * not on yellow system error, red or a time-out (O-11), and never on a Project order (O-9).
 */
export function bookingExpected(
  draft: { kind: OrderKind; orderType: OrderType },
  family: string | undefined,
  availability: { outcome: string; selectedLineId: string | null; candidates: ReadonlyArray<{ lineId: string; colour: string; yellowKind?: string }> } | null,
): boolean {
  if (draft.kind !== 'new' || draft.orderType !== 'Standard' || !family || !(BOOKABLE_FAMILIES as readonly string[]).includes(family)) return false;
  if (!availability || availability.outcome !== 'answered') return false;
  const chosen = availability.candidates.find((c) => c.lineId === availability.selectedLineId);
  return chosen !== undefined && (chosen.colour === 'green' || (chosen.colour === 'yellow' && chosen.yellowKind === 'unclear'));
}

/** O-10: every product except capacity (and co-location) is checked in Kapaks. */
export const UNCHECKED_FAMILIES = ['capacity', 'colocation'] as const;

/** O-4: look-up by existing line number for ADSL and shared operator access. */
export function lookupAllowed(family: string, accessType: string | undefined): boolean {
  return family === 'adsl' || (family === 'operator_access' && accessType === 'shared');
}

/** O-13: products an end user can have from only one operator at a time (switch with module I). */
export function isAccessProduct(family: string): boolean {
  return family === 'adsl' || family === 'operator_access';
}

/**
 * O-19 *interpretation*: the key under which two open orders of one company are duplicates:
 * the end user's address, the product and the requested service (speed).
 */
export function duplicateKey(companyId: string, addressKey: string, productCode: string, speedMbps: number | null): string {
  return `dup|${companyId}|${addressKey.trim().toLowerCase()}|${productCode}|${speedMbps ?? '-'}`;
}

/** Lines of another order that may still be duplicated (not finished, not cancelled). */
export const OPEN_FOR_DUPLICATE: readonly LineStatus[] = ['Committed', 'Registered', 'In Progress', 'Incomplete', 'Customer Update', 'Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery'];

/** An order line's number: its order's number and its line number (`ORD-000042:1`). */
export function orderLineNumber(orderNumber: string, lineNo: number): string {
  return `${orderNumber}:${lineNo}`;
}
