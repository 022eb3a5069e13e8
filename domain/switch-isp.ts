// Switch-ISP (rules I-1…I-7, C-6): taking over an end user's ADSL or operator access from
// another operator. The one place for its status table and the pure I-2/I-3/I-5/I-6 rules.
import { z } from 'zod';
import type { Product } from '../adapters/price-list';
import { SWITCH_ISP_LEAD_DAYS } from './durations';
import { type Actor, canOrder, isHandler } from './identity';
import { type FieldProblem, invalidRefusal, type Refusal, statusRefusal } from './refusal';
import { addCalendarDays, calendarDaysBetween, type IsoDate, isValidIsoDate } from './time';

/**
 * The first model's statuses (switchIspWorkflow, kept for cases registered before switches became orders;
 * new switches follow the order line's statuses, domain/portfolio-order.ts).
 * Registered: waiting (durable timer) for the switch date; In Progress: being carried out in
 * the order system; Completed: the end user is with the new company; Cancelled: by the
 * wholesaler from a service request (I-7); Rejected: the order system or the appointment
 * system refused it.
 */
export const SwitchStatus = z.enum(['Registered', 'In Progress', 'Completed', 'Cancelled', 'Rejected']);
export type SwitchStatus = z.infer<typeof SwitchStatus>;

export const TERMINAL_SWITCH_STATUSES: readonly SwitchStatus[] = ['Completed', 'Cancelled', 'Rejected'];

export const SwitchAction = z.enum(['changeDate', 'cancelByOperator']);
export type SwitchAction = z.infer<typeof SwitchAction>;

interface Transition {
  by: 'customer' | 'handler';
  from: readonly SwitchStatus[];
  to: SwitchStatus | 'unchanged';
}

/**
 * Every allowed change. There is no customer cancel: I-7 / C-6 send the user to a service
 * request, from which a handler cancels (cancelByOperator).
 */
export const SWITCH_TRANSITIONS: Record<SwitchAction, Transition> = {
  changeDate: { by: 'customer', from: ['Registered'], to: 'unchanged' },
  cancelByOperator: { by: 'handler', from: ['Registered'], to: 'Cancelled' },
};

export function allowedSwitchActions(status: SwitchStatus, actor: Actor): SwitchAction[] {
  return SwitchAction.options.filter((a) => {
    const t = SWITCH_TRANSITIONS[a];
    return t.from.includes(status) && (t.by === 'handler' ? isHandler(actor) : canOrder(actor));
  });
}

/** What a switch's decision needs of its state: the workflow's own state and the read model's view alike. */
export interface SwitchDecisionView {
  number: string;
  status: SwitchStatus;
  leadDays: number;
  technician: { slotId: string } | null;
}

/** A caller's action on a switch, as the workflow's Update receives it. */
export interface SwitchDecisionInput {
  actor: Actor;
  requestedDate?: string | undefined;
  slotId?: string | undefined;
  serviceRequest?: string | undefined;
  text?: string | undefined;
}

/**
 * The one decision on a caller's action (I-5, I-6, I-7): the workflow's Update validator (on arrival and
 * again under the case's lock) and the API's precheck on the read model call it, so a refusal reads the
 * same whoever says it. `today` is the Oslo date of the decision (I-5 counts from the day of the change).
 */
export function decideSwitchAction(view: SwitchDecisionView, action: SwitchAction, input: SwitchDecisionInput, today: IsoDate): Refusal | undefined {
  const allowed = allowedSwitchActions(view.status, input.actor);
  if (!allowed.includes(action)) {
    return statusRefusal({ number: view.number, status: view.status, action, allowedActions: allowed, rule: action === 'changeDate' ? 'I-5' : 'I-7' });
  }
  const problems: FieldProblem[] = [];
  if (action === 'changeDate') {
    if (!input.requestedDate || !isValidIsoDate(input.requestedDate)) {
      problems.push({ field: 'requestedDate', rule: 'I-5', message: 'required: a date YYYY-MM-DD' });
    } else {
      const dateProblem = switchDateProblem(today, input.requestedDate, view.leadDays);
      if (dateProblem) problems.push({ field: 'requestedDate', rule: 'I-5', message: dateProblem });
      if (view.technician) {
        // I-6: the technician comes on the switch date, so a new date needs a slot on it
        if (!input.slotId) problems.push({ field: 'slotId', rule: 'I-6', message: 'required: this switch needs a technician; give a free slot on the new date' });
        else if (slotDate(input.slotId) !== input.requestedDate) problems.push({ field: 'slotId', rule: 'I-6', message: `slot ${input.slotId} is not on ${input.requestedDate}` });
      } else if (input.slotId) {
        problems.push({ field: 'slotId', rule: 'I-6', message: 'this switch needs no technician (I-6)' });
      }
    }
  } else {
    if (!input.serviceRequest?.trim()) problems.push({ field: 'serviceRequest', rule: 'I-7', message: 'required: the service request asking for the cancellation' });
    if (!input.text?.trim()) problems.push({ field: 'text', rule: 'I-7', message: 'required: the reason for cancelling' });
  }
  return invalidRefusal(problems);
}

/** I-5: SHDSL takes 21 days, everything else 16 (calendar days in Europe/Oslo). */
export function switchLeadDays(product: Pick<Product, 'family'>): number {
  return product.family === 'shdsl' ? SWITCH_ISP_LEAD_DAYS.shdsl : SWITCH_ISP_LEAD_DAYS.default;
}

/** I-5: the earliest requested date a switch registered on `today` (an Oslo date) may have. */
export function earliestSwitchDate(today: IsoDate, leadDays: number): IsoDate {
  return addCalendarDays(today, leadDays);
}

/** I-5: undefined when the date is allowed, otherwise the message (which names the earliest date). */
export function switchDateProblem(today: IsoDate, requestedDate: IsoDate, leadDays: number): string | undefined {
  const earliest = earliestSwitchDate(today, leadDays);
  if (calendarDaysBetween(earliest, requestedDate) >= 0) return undefined;
  return `the requested date must be at least ${leadDays} calendar days ahead (I-5): the earliest allowed date is ${earliest}`;
}

/** O-12: the date of an appointment slot id (`OSLO-2026-12-14-0812`), undefined when it is not one. */
export function slotDate(slotId: string): IsoDate | undefined {
  return /^[A-Z0-9]+-(\d{4}-\d{2}-\d{2})-(0812|1216)$/.exec(slotId)?.[1];
}

/** I-6: the product families the delivery systems switch without a technician. */
const JARA_ADSL = new Set(['JARA-ADSL-DELT', 'JARA-ADSL-FULL']);
const ONLINE_ADSL = 'ONLINE-ADSL';

/**
 * I-6: no technician for Online ADSL → Jara ADSL and Jara ADSL → Jara ADSL (the delivery
 * systems do it); every other switch needs one (O-12: operator access before or after).
 */
export function technicianRequired(fromProductCode: string, toProductCode: string): boolean {
  const fromAdsl = fromProductCode === ONLINE_ADSL || JARA_ADSL.has(fromProductCode);
  return !(fromAdsl && JARA_ADSL.has(toProductCode));
}

/**
 * I-2: the access type cannot change in a switch; undefined when it does not. The message names the
 * access type of the end user's product, never the product: it may be another operator's (I-3).
 */
export function accessTypeChangeProblem(from: Pick<Product, 'accessType'>, to: Pick<Product, 'accessType' | 'name'>): string | undefined {
  if (from.accessType === to.accessType) return undefined;
  return (
    `the end user has ${from.accessType ?? 'no'} access; ${to.name} is ${to.accessType ?? 'no'} access. ` +
    'The access type cannot change in a switch, that is a product conversion (I-2): either switch to a product with ' +
    `${from.accessType ?? 'the same'} access first and, once the switch is completed, submit a change order (Modify) with change 'product' (POST /v1/portfolio/{number}/modify); ` +
    'or, when speed matters, terminate and place a new order'
  );
}

/**
 * I-1 and slide 65 ("21 dager på Jara SHDSL"): the products the order system switches between
 * operators: ADSL and operator access (with an access type, I-2) and SHDSL.
 */
export function isSwitched(product: Pick<Product, 'family' | 'accessType'>): boolean {
  return ((product.family === 'adsl' || product.family === 'operator_access') && product.accessType !== undefined) || product.family === 'shdsl';
}

/** I-1 / I-3: which products a switch may move to: orderable ADSL, operator access or SHDSL. */
export function isSwitchTarget(product: Pick<Product, 'family' | 'accessType' | 'orderable'>): boolean {
  return product.orderable && isSwitched(product);
}

/** I-4: names compared as NRDB records them (case and spacing do not matter). */
export function sameName(a: string, b: string): boolean {
  const n = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
  return n(a) === n(b);
}

/** I-4: the authorisation as NRDB holds it (the adapter's shape, repeated so domain stays pure). */
export interface AuthorisationRecord {
  reference: string;
  lineId: string;
  authorisedBy: string;
  ownerName: string;
  validUntil: string;
}

/**
 * I-4: the authorisation must exist, belong to this subscription (line), be given by the
 * subscription's current owner, and still be valid. Returns the problems (empty when fine).
 */
export function authorisationProblems(reference: string, auth: AuthorisationRecord | undefined, subscription: { lineId: string; number: string; ownerName: string }, today: IsoDate): string[] {
  if (!auth) return [`no authorisation ${reference} in NRDB: ask the end user for the reference from the authorisation server`];
  // another subscription's authorisation says nothing about this one's owner
  if (auth.lineId !== subscription.lineId) return [`authorisation ${auth.reference} belongs to another subscription, not to ${subscription.number}`];
  const out: string[] = [];
  if (!sameName(auth.authorisedBy, subscription.ownerName) || !sameName(auth.authorisedBy, auth.ownerName)) {
    out.push(`authorisation ${auth.reference} was given by ${auth.authorisedBy}, who is not the current owner of the subscription at the losing operator`);
  }
  if (calendarDaysBetween(today, auth.validUntil) < 0) out.push(`authorisation ${auth.reference} expired on ${auth.validUntil}`);
  return out;
}

/**
 * I-6: work after the interface (Arbeid Etter Grensesnitt, AEG) the user may order with the technician
 * booking (deck slide 64: "eksempler på AEG - tjenester er ekstra stikkontakt, modem o.l."); the
 * appointment system takes them with the booking (adapters/appointments.ts).
 */
export const AEG_SERVICES = ['extra-socket', 'modem-installation', 'internal-cabling', 'wifi-setup', 'splitter-installation'] as const;
export type AegService = (typeof AEG_SERVICES)[number];
