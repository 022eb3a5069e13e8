// Trouble tickets (M-2): statuses, transitions, who may act and the repair clock. The one place that
// owns the ticket's status table; the API's precheck and the workflow's Update validators both ask
// decideTtAction, so a refusal reads the same whoever says it.
import { z } from 'zod';
import { type Actor, canOrder, isExternal, isHandler, type Training } from './identity';
import { type FieldProblem, invalidRefusal, notAllowedRefusal, type Refusal, statusRefusal } from './refusal';

export const TtStatus = z.enum(['New', 'Submitted', 'In Process', 'Incomplete', 'Customer Update', 'Resolved', 'Closed', 'Cancelled']);
export type TtStatus = z.infer<typeof TtStatus>;

export const TERMINAL_TT_STATUSES: readonly TtStatus[] = ['Closed', 'Cancelled'];

/** M-2.3: a ticket blocks a second one for the same product until it is Closed or Cancelled (Resolved may still be reopened). */
export const OPEN_TT_STATUSES: readonly TtStatus[] = ['New', 'Submitted', 'In Process', 'Incomplete', 'Customer Update', 'Resolved'];

/** M-2.6: the statuses in which the ticket waits for the wholesaler (the fault desk's queue). */
export const HANDLER_QUEUE_TT_STATUSES: readonly TtStatus[] = ['Submitted', 'In Process', 'Customer Update'];

/** M-2.4: the repair clock runs while the wholesaler has the ticket and pauses while it waits on the customer (Incomplete). */
export const CLOCK_RUNNING_TT_STATUSES: readonly TtStatus[] = ['Submitted', 'In Process', 'Customer Update'];

/** The fault desk's queue name in the read model. */
export const FAULT_DESK_QUEUE = 'fault-desk';

/** TMF621-style severity of the fault as the end user experiences it. */
export const TtSeverity = z.enum(['Critical', 'Major', 'Minor']);
export type TtSeverity = z.infer<typeof TtSeverity>;

/** What kind of fault the end user reports (MEF 124 "issue type", in the deck's vocabulary). */
export const TtCategory = z.enum(['No service', 'Degraded service', 'Intermittent fault', 'Noise or crosstalk', 'Equipment', 'Other']);
export type TtCategory = z.infer<typeof TtCategory>;

export const TtAction = z.enum(['update', 'submit', 'customerUpdate', 'confirm', 'reopen', 'cancel', 'bookAppointment', 'take', 'requestInfo', 'resolve']);
export type TtAction = z.infer<typeof TtAction>;

interface Transition {
  by: 'customer' | 'handler' | 'either';
  from: readonly TtStatus[];
  to: TtStatus | 'unchanged';
}

/** M-2.5: every allowed status change; anything not here is refused (409). */
export const TT_TRANSITIONS: Record<TtAction, Transition> = {
  update: { by: 'customer', from: ['New', 'Incomplete'], to: 'unchanged' },
  submit: { by: 'customer', from: ['New'], to: 'Submitted' },
  customerUpdate: { by: 'customer', from: ['Incomplete'], to: 'Customer Update' },
  confirm: { by: 'customer', from: ['Resolved'], to: 'Closed' },
  reopen: { by: 'customer', from: ['Resolved'], to: 'In Process' },
  cancel: { by: 'customer', from: ['New', 'Submitted', 'In Process', 'Incomplete', 'Customer Update'], to: 'Cancelled' },
  // a repair appointment while the fault is being worked on
  bookAppointment: { by: 'either', from: ['Submitted', 'In Process', 'Incomplete', 'Customer Update'], to: 'unchanged' },
  take: { by: 'handler', from: ['Submitted', 'Customer Update'], to: 'In Process' },
  requestInfo: { by: 'handler', from: ['In Process'], to: 'Incomplete' },
  resolve: { by: 'handler', from: ['In Process'], to: 'Resolved' },
};

/** M-2.1 (A-3, deck slide 8): the fault module needs training; acting on a ticket also needs ordering or full access. */
export function mayReportFaults(actor: Actor, training: readonly Training[]): boolean {
  return isExternal(actor) && canOrder(actor) && training.includes('fault');
}

function mayActAs(actor: Actor, faultModule: boolean, by: Transition['by']): boolean {
  const customer = isExternal(actor) && canOrder(actor) && faultModule;
  if (by === 'handler') return isHandler(actor);
  if (by === 'customer') return customer;
  return customer || isHandler(actor);
}

/** The actions this actor may take on a ticket in this status (shown with the ticket and every 409). */
export function allowedTtActions(status: TtStatus, actor: Actor, faultModule: boolean): TtAction[] {
  return TtAction.options.filter((a) => TT_TRANSITIONS[a].from.includes(status) && mayActAs(actor, faultModule, TT_TRANSITIONS[a].by));
}

export function nextTtStatus(status: TtStatus, action: TtAction): TtStatus {
  const t = TT_TRANSITIONS[action];
  return t.to === 'unchanged' ? status : t.to;
}

/** M-2.3: one open ticket per company and product (a unique index on the read model holds it under races). */
export function ttOpenKey(productNumber: string): string {
  return `tt|${productNumber.trim().toLowerCase()}`;
}

/** What an action carries that the decision looks at. */
export interface TtActionFacts {
  actor: Actor;
  /** M-2.1: the acting user has had the fault-module training (set by the API from the user's record). */
  faultModule: boolean;
  text?: string;
  cause?: string;
  slotId?: string;
}

/** The one decision on a ticket action: status table, actor and the fields the action needs. */
export function decideTtAction(tt: { number: string; status: TtStatus }, action: TtAction, cmd: TtActionFacts): Refusal | undefined {
  const t = TT_TRANSITIONS[action];
  if (t.by === 'customer' && isExternal(cmd.actor) && canOrder(cmd.actor) && !cmd.faultModule && t.from.includes(tt.status)) {
    return notAllowedRefusal({
      status: tt.status,
      action,
      allowedActions: [],
      rule: 'M-2.1',
      message: `User ${cmd.actor.username} has not had the fault-module training: trouble tickets need it (M-2.1, A-3)`,
    });
  }
  const allowed = allowedTtActions(tt.status, cmd.actor, cmd.faultModule);
  if (!allowed.includes(action)) return statusRefusal({ number: tt.number, status: tt.status, action, allowedActions: allowed, rule: 'M-2.5' });
  const problems: FieldProblem[] = [];
  const needsText: Partial<Record<TtAction, [string, string]>> = {
    requestInfo: ['M-2.6', 'say what information is missing'],
    customerUpdate: ['M-2.5', 'give the information that was asked for'],
    resolve: ['M-2.6', 'describe the resolution'],
    reopen: ['M-2.5', 'give the reason for reopening'],
  };
  const need = needsText[action];
  if (need && !cmd.text?.trim()) problems.push({ field: action === 'resolve' ? 'resolution' : action === 'reopen' ? 'reason' : 'text', rule: need[0], message: `required: ${need[1]}` });
  if (action === 'resolve' && !cmd.cause?.trim()) problems.push({ field: 'cause', rule: 'M-2.6', message: 'required: the cause of the fault' });
  if (action === 'bookAppointment' && !cmd.slotId?.trim()) problems.push({ field: 'slotId', rule: 'X-3', message: 'required: a free slot from the appointment system' });
  return invalidRefusal(problems);
}

// ---- the repair clock (M-2.4) ------------------------------------------------------------------

export type Escalation = 'warning' | 'breached';

/** The repair clock's state, kept by the workflow; instants are ISO strings (workflow time). */
export interface RepairClock {
  /** The product's target (catalogue hours × the length of an hour; tests shorten the hour). */
  targetMs: number;
  /** Time used in closed intervals (the running interval is added by clockReading). */
  usedMs: number;
  /** When the current running interval began; null while stopped or paused. */
  runningSince: string | null;
  /** Fraction of the target after which the warning escalation is raised. */
  warnAtFraction: number;
  escalation: Escalation | null;
  warnedAt: string | null;
  breachedAt: string | null;
}

/** M-2.4: a catalogue target in hours as milliseconds, given the length of one hour (tests shorten it; `calendarDays` counts 24 h a day). */
export function repairTargetMs(hours: number, hour: { ms: number } | { calendarDays: number }): number {
  return hours * ('ms' in hour ? hour.ms : hour.calendarDays * 86_400_000);
}

export function newRepairClock(targetMs: number, warnAtFraction: number): RepairClock {
  return { targetMs, usedMs: 0, runningSince: null, warnAtFraction, escalation: null, warnedAt: null, breachedAt: null };
}

/** M-2.4: a status change starts, pauses, resumes or stops the clock. */
export function clockOnStatusChange(clock: RepairClock, from: TtStatus, to: TtStatus, at: Date): void {
  const wasRunning = CLOCK_RUNNING_TT_STATUSES.includes(from);
  const runs = CLOCK_RUNNING_TT_STATUSES.includes(to);
  if (wasRunning && !runs && clock.runningSince) {
    clock.usedMs += Math.max(0, at.getTime() - Date.parse(clock.runningSince));
    clock.runningSince = null;
  } else if (!wasRunning && runs) {
    clock.runningSince = at.toISOString();
  }
}

export interface ClockReading {
  targetMs: number;
  usedMs: number;
  /** Negative once the target is missed. */
  leftMs: number;
  running: boolean;
  /** When the target runs out if the clock keeps running (null while paused or stopped). */
  dueAt: string | null;
  escalation: Escalation | null;
}

/** M-2.4: time used and time left at an instant. */
export function clockReading(clock: RepairClock, at: Date): ClockReading {
  const running = clock.runningSince !== null;
  const usedMs = clock.usedMs + (running ? Math.max(0, at.getTime() - Date.parse(clock.runningSince!)) : 0);
  const leftMs = clock.targetMs - usedMs;
  return {
    targetMs: clock.targetMs,
    usedMs,
    leftMs,
    running,
    dueAt: running ? new Date(at.getTime() + leftMs).toISOString() : null,
    escalation: clock.escalation,
  };
}

/** The next escalation the running clock will reach and when; undefined while paused, stopped or already breached. */
export function nextEscalation(clock: RepairClock): { level: Escalation; at: Date } | undefined {
  if (clock.runningSince === null || clock.escalation === 'breached') return undefined;
  const level: Escalation = clock.escalation === 'warning' ? 'breached' : 'warning';
  const thresholdMs = level === 'warning' ? Math.floor(clock.targetMs * clock.warnAtFraction) : clock.targetMs;
  return { level, at: new Date(Date.parse(clock.runningSince) + (thresholdMs - clock.usedMs)) };
}
