// Termination (rules T-1…T-3): ending all or part of a subscription on the requested date.
// The status table, actions and decision below belong to the first model (terminationWorkflow), kept for
// cases registered before terminations became orders; new terminations are orders
// (domain/portfolio-order.ts) and T-3 is the product's run-out (`lastsUntil`), not a notice.
import { z } from 'zod';
import type { Product } from '../adapters/price-list';
import { type Actor, canOrder } from './identity';
import { invalidRefusal, notAllowedRefusal, type Refusal } from './refusal';
import { addCalendarDays, calendarDaysBetween, type IsoDate, isValidIsoDate } from './time';

/**
 * Registered: waiting (durable timer) for the termination date; In Progress: being
 * disconnected; Completed: disconnected and ended in the portfolio; Withdrawn: the user took
 * it back before the date; Rejected: the order system refused the disconnection.
 */
export const TerminationStatus = z.enum(['Registered', 'In Progress', 'Completed', 'Withdrawn', 'Rejected']);
export type TerminationStatus = z.infer<typeof TerminationStatus>;

export const TERMINAL_TERMINATION_STATUSES: readonly TerminationStatus[] = ['Completed', 'Withdrawn', 'Rejected'];

export const TerminationAction = z.enum(['changeDate', 'withdraw']);
export type TerminationAction = z.infer<typeof TerminationAction>;

/** T-1: the whole subscription (every product of the end user at the address) or the one product. */
export const TerminationScope = z.enum(['product', 'subscription']);
export type TerminationScope = z.infer<typeof TerminationScope>;

/** Before the date the user may move it or withdraw the termination (T-2). */
export const TERMINATION_TRANSITIONS: Record<TerminationAction, { from: readonly TerminationStatus[]; to: TerminationStatus | 'unchanged' }> = {
  changeDate: { from: ['Registered'], to: 'unchanged' },
  withdraw: { from: ['Registered'], to: 'Withdrawn' },
};

export function allowedTerminationActions(status: TerminationStatus, actor: Actor): TerminationAction[] {
  if (!canOrder(actor)) return [];
  return TerminationAction.options.filter((a) => TERMINATION_TRANSITIONS[a].from.includes(status));
}

/** T-3: the longest notice of the products terminated together (the catalogue's per-product rule). */
export function terminationNoticeDays(products: readonly Pick<Product, 'terminationNoticeDays'>[]): number {
  return products.reduce((max, p) => Math.max(max, p.terminationNoticeDays), 0);
}

/** T-3: the earliest termination date for a request made on `today` (Oslo calendar days). */
export function earliestTerminationDate(today: IsoDate, noticeDays: number): IsoDate {
  return addCalendarDays(today, noticeDays);
}

/** T-2 / T-3: undefined when the date is allowed, otherwise the message naming the earliest date. */
export function terminationDateProblem(today: IsoDate, requestedDate: IsoDate, noticeDays: number): string | undefined {
  const earliest = earliestTerminationDate(today, noticeDays);
  if (calendarDaysBetween(earliest, requestedDate) >= 0) return undefined;
  return `the subscription lasts ${noticeDays} days after termination is requested (T-3): the earliest termination date is ${earliest}`;
}

/** What a termination's decision needs of its state: the workflow's own state and the read model's view alike. */
export interface TerminationDecisionView {
  number: string;
  status: TerminationStatus;
  noticeDays: number;
}

/** A caller's action on a termination, as the workflow's Update receives it. */
export interface TerminationDecisionInput {
  actor: Actor;
  requestedDate?: string | undefined;
  text?: string | undefined;
}

/**
 * The one decision on a caller's action (T-2, T-3): the workflow's Update validator (on arrival and again
 * under the case's lock) and the API's precheck on the read model call it. `today` is the Oslo date of the
 * decision (T-3 counts the notice from the day of the change).
 */
export function decideTerminationAction(view: TerminationDecisionView, action: TerminationAction, input: TerminationDecisionInput, today: IsoDate): Refusal | undefined {
  const allowed = allowedTerminationActions(view.status, input.actor);
  if (!allowed.includes(action)) {
    return notAllowedRefusal({
      status: view.status,
      action,
      allowedActions: allowed,
      rule: 'T-2',
      message: `'${action}' is not allowed on ${view.number} in status ${view.status}: the termination ${view.status === 'Completed' ? 'was carried out' : 'is no longer pending'}`,
    });
  }
  if (action !== 'changeDate') return undefined;
  if (!input.requestedDate || !isValidIsoDate(input.requestedDate)) return invalidRefusal([{ field: 'requestedDate', rule: 'T-2', message: 'required: a date YYYY-MM-DD' }]);
  const p = terminationDateProblem(today, input.requestedDate, view.noticeDays);
  return p ? invalidRefusal([{ field: 'requestedDate', rule: 'T-3', message: p }]) : undefined;
}

/**
 * T-3, deck slide 70: "Abonnementets varighet etter at det er sagt opp kan variere noe avhengig av det
 * produktet oppsigelsen gjelder" — how long the subscription lasts after termination varies by product.
 * The catalogue gives each product its run-out (`terminationNoticeDays`): the subscription lasts until
 * the requested date or, when later, the run-out counted from the day the termination is registered.
 * The line is disconnected on the requested date all the same (T-2); the run-out refuses no date.
 */
export function lastsUntil(registeredOn: IsoDate, requestedDate: IsoDate, runOutDays: number): IsoDate {
  const runOut = addCalendarDays(registeredOn, runOutDays);
  return calendarDaysBetween(runOut, requestedDate) >= 0 ? requestedDate : runOut;
}
