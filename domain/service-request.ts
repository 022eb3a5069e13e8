// Service requests: statuses, catalogue, routing and transitions (rules S-1…S-9).
// The one place that owns the SR status table; API and workflow both read it.
import { z } from 'zod';
import { type Actor, canOrder, hasFullAccess, isHandler } from './identity';
import { type FieldProblem, invalidRefusal, type Refusal, statusRefusal } from './refusal';

export const SrStatus = z.enum(['New', 'Submitted', 'In Process', 'Incomplete', 'Completed', 'Closed', 'Cancelled']);
export type SrStatus = z.infer<typeof SrStatus>;

export const TERMINAL_SR_STATUSES: readonly SrStatus[] = ['Closed', 'Cancelled'];

/** S-2: an SR counts as "open about a matter" while somebody still has to act on it. */
export const OPEN_SR_STATUSES: readonly SrStatus[] = ['New', 'Submitted', 'In Process', 'Incomplete'];

/** S-9: statuses in which the 14-day auto-close clock runs. */
export const AUTO_CLOSE_SR_STATUSES: readonly SrStatus[] = ['New', 'Completed'];

export const Department = z.enum([
  'customer-service',
  'customer-service-broadband',
  'customer-service-operator-access',
  'customer-service-telephony',
  'customer-service-capacity',
  'customer-service-colocation',
  'service-manager',
  'user-admin-desk',
  'portal-support',
  'billing',
  'sales-support',
  'case-officer',
]);
export type Department = z.infer<typeof Department>;

export const SrArea = z.enum(['Delivery', 'Escalation', 'User administration', 'Support', 'Invoice', 'Quotes', 'SLA compensation claim', 'Other']);
export type SrArea = z.infer<typeof SrArea>;

/**
 * S-4 routing and S-5 sub-areas. Delivery routes to customer service by product area (the
 * sub-area); every other area has one department whatever the sub-area.
 */
export const SR_CATALOGUE: Record<SrArea, { description: string; subAreas: Record<string, Department> }> = {
  Delivery: {
    description: 'Delivery of an order: delays, new delivery date, changes, cancellation that the buttons cannot do (S-3)',
    subAreas: {
      Broadband: 'customer-service-broadband',
      'Operator access': 'customer-service-operator-access',
      Telephony: 'customer-service-telephony',
      Capacity: 'customer-service-capacity',
      'Co-location': 'customer-service-colocation',
    },
  },
  Escalation: {
    description: 'To the Service Manager, only after the matter was raised with customer service in a Delivery SR',
    subAreas: { 'Delivery delay': 'service-manager', 'Handling of an earlier request': 'service-manager' },
  },
  'User administration': {
    description: 'New users, changed access, closing access; only the authorised orderer (full access)',
    subAreas: { 'New user': 'user-admin-desk', 'Change of access': 'user-admin-desk', 'Close access': 'user-admin-desk' },
  },
  Support: {
    description: 'Problems with the portal or API, change wishes',
    subAreas: { 'Portal problem': 'portal-support', 'Change wish': 'portal-support' },
  },
  Invoice: {
    description: 'To billing: wrong invoice or missing attachment',
    subAreas: { 'Wrong invoice': 'billing', 'Missing attachment': 'billing' },
  },
  Quotes: {
    description: 'To sales support: more information on a quote, or chasing an answer',
    subAreas: { 'More information': 'sales-support', 'Chasing an answer': 'sales-support' },
  },
  'SLA compensation claim': {
    description: 'To a case officer: SLA breach where compensation is agreed',
    subAreas: { 'Delivery SLA': 'case-officer', 'Fault repair SLA': 'case-officer' },
  },
  Other: {
    description: 'Anything else, to customer service',
    subAreas: { Other: 'customer-service' },
  },
};

/** S-4: the department whose queue an SR lands in; undefined when the sub-area does not belong to the area. */
export function routeServiceRequest(area: SrArea, subArea: string): Department | undefined {
  return Object.hasOwn(SR_CATALOGUE[area].subAreas, subArea) ? SR_CATALOGUE[area].subAreas[subArea] : undefined;
}

export const ReferenceKind = z.enum(['circuit_number', 'phone_number', 'order', 'quote', 'invoice', 'trouble_ticket', 'other']);
export type ReferenceKind = z.infer<typeof ReferenceKind>;

/** S-6: references that point at a case of this system (filled in and linked automatically). */
export const CASE_REFERENCE_KINDS: readonly ReferenceKind[] = ['order', 'quote', 'trouble_ticket'];

export const SrAction = z.enum(['update', 'submit', 'close', 'cancel', 'take', 'requestInfo', 'complete', 'cancelByOperator']);
export type SrAction = z.infer<typeof SrAction>;

interface Transition {
  by: 'customer' | 'handler';
  from: readonly SrStatus[];
  to: SrStatus | 'unchanged';
}

/** S-7 / S-8: every allowed status change; anything not here is refused (409). */
export const SR_TRANSITIONS: Record<SrAction, Transition> = {
  update: { by: 'customer', from: ['New', 'Incomplete'], to: 'unchanged' },
  submit: { by: 'customer', from: ['New', 'Incomplete'], to: 'Submitted' },
  close: { by: 'customer', from: ['New', 'Submitted', 'In Process', 'Incomplete', 'Completed'], to: 'Closed' },
  cancel: { by: 'customer', from: ['New', 'Submitted', 'In Process', 'Incomplete'], to: 'Cancelled' },
  take: { by: 'handler', from: ['Submitted'], to: 'In Process' },
  requestInfo: { by: 'handler', from: ['In Process'], to: 'Incomplete' },
  complete: { by: 'handler', from: ['In Process'], to: 'Completed' },
  cancelByOperator: { by: 'handler', from: ['Submitted', 'In Process', 'Incomplete'], to: 'Cancelled' },
};

function mayActAs(actor: Actor, by: Transition['by']): boolean {
  return by === 'handler' ? isHandler(actor) : canOrder(actor);
}

/** The actions this actor may take on an SR in this status (shown with every 409). */
export function allowedSrActions(status: SrStatus, actor: Actor): SrAction[] {
  return SrAction.options.filter((a) => SR_TRANSITIONS[a].from.includes(status) && mayActAs(actor, SR_TRANSITIONS[a].by));
}

export function nextSrStatus(status: SrStatus, action: SrAction): SrStatus {
  const t = SR_TRANSITIONS[action];
  return t.to === 'unchanged' ? status : t.to;
}

/** S-4: who may raise an SR in an area, before anything else is checked. */
export function areaAllowedFor(area: SrArea, actor: Actor): boolean {
  if (area === 'User administration') return hasFullAccess(actor);
  return canOrder(actor);
}

/** S-2: one open SR per company, area and reference (a unique index on the read model enforces it). */
export function srOpenKey(area: string, kind: string, value: string): string {
  return `sr|${area}|${kind}|${value.trim().toLowerCase()}`;
}

/** What an S-7 action carries that the decision looks at. */
export interface SrActionFacts {
  actor: Actor;
  text?: string;
  changes?: { subArea?: string };
}

/**
 * S-7: the one decision on an SR action — the workflow's validator (also under its lock) and the API's
 * precheck on the read model both ask it, so a refusal reads the same whoever says it.
 */
export function decideSrAction(sr: { number: string; status: SrStatus; area: SrArea }, action: SrAction, cmd: SrActionFacts): Refusal | undefined {
  const allowed = allowedSrActions(sr.status, cmd.actor);
  if (!allowed.includes(action)) return statusRefusal({ number: sr.number, status: sr.status, action, allowedActions: allowed, rule: 'S-7' });
  const problems: FieldProblem[] = [];
  const needsText: Partial<Record<SrAction, string>> = {
    requestInfo: 'say what information is missing',
    complete: 'give the answer',
    cancelByOperator: 'give the reason for cancelling',
  };
  if (needsText[action] && !cmd.text?.trim()) problems.push({ field: 'text', rule: 'S-7', message: `required: ${needsText[action]}` });
  const subArea = cmd.changes?.subArea;
  if (action === 'update' && subArea !== undefined && !Object.hasOwn(SR_CATALOGUE[sr.area].subAreas, subArea)) {
    problems.push({ field: 'changes.subArea', rule: 'S-5', message: `'${subArea}' is not a sub-area of ${sr.area}` });
  }
  return invalidRefusal(problems);
}
