// The handler's workbench (A-2, C-5, O-17, O-19, S-4): who works on a case, re-routing a service
// request, changing an order line's dates, holding or releasing a line as a duplicate. Pure decisions
// on a case's view, asked by the API on the read model and by the workflow's Update validator alike.
import { type Actor, isHandler } from './identity';
import { type LineStatus, TERMINAL_LINE_STATUSES } from './order';
import { type FieldProblem, invalidRefusal, notAllowedRefusal, type Refusal } from './refusal';
import { OPEN_SR_STATUSES, routeServiceRequest, type SrArea, type SrStatus } from './service-request';
import { isValidIsoDate } from './time';

// ---- the inbox (A-2) ---------------------------------------------------------------------------

/**
 * A case is in the handlers' inbox while its read-model row names a queue, except in the statuses in
 * which it waits for the customer, not the wholesaler (S-7: an SR that is New, Incomplete or Completed
 * keeps its department as queue, so the SR lists show it). A new case type adds its own here.
 */
export const WAITING_FOR_CUSTOMER: Readonly<Record<string, readonly string[]>> = {
  service_request: ['New', 'Incomplete', 'Completed'],
};

// ---- assignment (A-2) -------------------------------------------------------------------------

export const ASSIGNMENT_MODES = ['take', 'assign', 'release'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export interface AssignmentFacts {
  actor: Actor;
  mode: AssignmentMode;
  /** assign: the handler who gets the case; take: the actor; release: null. */
  assignee: string | null;
}

/**
 * a handler takes a case nobody holds (or holds already), assigns it to a handler, or releases it.
 * Taking a case another handler holds is refused (409 names who): assign it explicitly instead.
 */
export function decideAssignment(view: { number: string; status: string; assignee: string | null }, cmd: AssignmentFacts): Refusal | undefined {
  const refuse = (message: string) => notAllowedRefusal({ status: view.status, action: cmd.mode, allowedActions: [], rule: 'A-2', message });
  if (!isHandler(cmd.actor)) return refuse("Only the wholesaler's handlers assign cases (A-2)");
  if (cmd.mode === 'take' && view.assignee && view.assignee !== cmd.actor.username) {
    return refuse(`${view.number} is held by ${view.assignee}: assign it explicitly to take it over`);
  }
  if (cmd.mode === 'release' && !view.assignee) return refuse(`${view.number} is not assigned to anybody`);
  if (cmd.mode !== 'release' && !cmd.assignee) return invalidRefusal([{ field: 'assignee', rule: 'A-2', message: 'required: the handler who gets the case' }]);
  return undefined;
}

// ---- service requests: re-routing (S-4) --------------------------------------------------------

export interface RerouteFacts {
  actor: Actor;
  area: SrArea;
  subArea: string;
  reason?: string | undefined;
}

/** S-4: a handler sends an open SR to another area / sub-area, and so to that department's queue. */
export function decideSrReroute(sr: { number: string; status: SrStatus; area: SrArea; subArea: string }, cmd: RerouteFacts): Refusal | undefined {
  const refuse = (message: string) => notAllowedRefusal({ status: sr.status, action: 'reroute', allowedActions: [], rule: 'S-4', message });
  if (!isHandler(cmd.actor)) return refuse("Only the wholesaler's handlers re-route service requests (A-2, S-4)");
  if (!OPEN_SR_STATUSES.includes(sr.status)) return refuse(`${sr.number} is ${sr.status}: only an open service request can be re-routed`);
  const problems: FieldProblem[] = [];
  if (!routeServiceRequest(cmd.area, cmd.subArea)) problems.push({ field: 'subArea', rule: 'S-5', message: `'${cmd.subArea}' is not a sub-area of ${cmd.area}` });
  else if (cmd.area === sr.area && cmd.subArea === sr.subArea) problems.push({ field: 'subArea', rule: 'S-4', message: `${sr.number} is already in ${sr.area} / ${sr.subArea}` });
  if (!cmd.reason?.trim()) problems.push({ field: 'reason', rule: 'S-4', message: 'required: why the request goes to another department' });
  return invalidRefusal(problems);
}

// ---- order lines: dates and duplicates (C-5, O-14, O-15, O-19) ---------------------------------------

/** C-5 / O-14: the Agreed Date can be moved once the order system has given one, until the line is delivered. */
export const AGREED_DATE_CHANGEABLE: readonly LineStatus[] = ['Registered', 'In Progress', 'Incomplete', 'Customer Update', 'Ordered', 'Design', 'Ready', 'Field Service'];
/** O-15: the installation date is set with Field Service (M) and can be moved while the line is there. */
export const INSTALLATION_DATE_CHANGEABLE: readonly LineStatus[] = ['Field Service'];
/** O-19: a handler holds a line as a duplicate before delivery starts. */
export const DUPLICATE_MARKABLE: readonly LineStatus[] = ['Committed', 'Registered', 'In Progress'];

export interface LineDateFacts {
  actor: Actor;
  agreedDate?: string | undefined;
  installationDate?: string | undefined;
  reason?: string | undefined;
}

export type LineToolAction = 'changeDates' | 'releaseDuplicate' | 'markDuplicate';

interface LineToolView {
  number: string;
  status: LineStatus;
  agreedDate: string | null;
  installationDate: string | null;
  duplicateOf: string | null;
}

/** C-5 (a "new delivery date" SR carried out by the handler), O-15: a line's Agreed Date or installation date. */
export function decideLineDates(view: LineToolView, cmd: LineDateFacts, today: string): Refusal | undefined {
  const refuse = (message: string, rule = 'C-5') => notAllowedRefusal({ status: view.status, action: 'changeDates', allowedActions: [], rule, message });
  if (!isHandler(cmd.actor)) return refuse("Only the wholesaler's handlers change an order line's dates (A-2)", 'A-2');
  const problems: FieldProblem[] = [];
  if (cmd.agreedDate === undefined && cmd.installationDate === undefined) problems.push({ field: 'agreedDate', rule: 'C-5', message: 'give agreedDate, installationDate or both' });
  if (!cmd.reason?.trim()) problems.push({ field: 'reason', rule: 'C-5', message: 'required: why the date changes (the customer is told)' });
  for (const [field, value] of [
    ['agreedDate', cmd.agreedDate],
    ['installationDate', cmd.installationDate],
  ] as const) {
    if (value === undefined) continue;
    if (!isValidIsoDate(value)) problems.push({ field, rule: 'C-5', message: 'a date YYYY-MM-DD' });
    else if (value < today) problems.push({ field, rule: 'C-5', message: `must not be in the past (today is ${today})` });
  }
  if (problems.length > 0) return invalidRefusal(problems);
  if (cmd.agreedDate !== undefined && !AGREED_DATE_CHANGEABLE.includes(view.status)) {
    return refuse(`${view.number} is ${view.status}: the Agreed Date can be changed from Registered until Field Service (M)`);
  }
  if (cmd.installationDate !== undefined && !INSTALLATION_DATE_CHANGEABLE.includes(view.status)) {
    return refuse(`${view.number} is ${view.status}: the installation date is set with Field Service (M) and changed only there`, 'O-15');
  }
  return undefined;
}

/** O-19: release a line wrongly held as a duplicate (it is then registered), or hold one as a duplicate of another. */
export function decideDuplicate(
  view: LineToolView,
  action: 'releaseDuplicate' | 'markDuplicate',
  cmd: { actor: Actor; duplicateOf?: string | undefined; reason?: string | undefined },
): Refusal | undefined {
  const refuse = (message: string, rule = 'O-19') => notAllowedRefusal({ status: view.status, action, allowedActions: [], rule, message });
  if (!isHandler(cmd.actor)) return refuse("Only the wholesaler's handlers decide on duplicates (A-2)", 'A-2');
  const problems: FieldProblem[] = [];
  if (!cmd.reason?.trim()) problems.push({ field: 'reason', rule: 'O-19', message: 'required: why' });
  if (action === 'markDuplicate') {
    if (!cmd.duplicateOf?.trim()) problems.push({ field: 'duplicateOf', rule: 'O-19', message: 'required: the line this one duplicates' });
    else if (cmd.duplicateOf === view.number) problems.push({ field: 'duplicateOf', rule: 'O-19', message: 'a line does not duplicate itself' });
  }
  if (problems.length > 0) return invalidRefusal(problems);
  if (action === 'releaseDuplicate' && view.status !== 'Duplicate') return refuse(`${view.number} is ${view.status}, not held as a Duplicate`);
  if (action === 'markDuplicate' && (!DUPLICATE_MARKABLE.includes(view.status) || TERMINAL_LINE_STATUSES.includes(view.status))) {
    return refuse(`${view.number} is ${view.status}: only a line not yet in delivery (Committed, Registered, In Progress) can be held as a duplicate`);
  }
  return undefined;
}
