// Switch-ISP and termination as orders (deck slides 62–72; rules I-1…I-7, T-1…T-3, O-14, O-15,
// O-17, O-18): registered in the order system at submit (Committed → Registered with Customer Order Id
// and Agreed Date, or Rejected with the reason), then the order line's statuses and the handler's
// O-15 steps, carried out on the agreed date. The status table, the letters and the handler's
// transitions are the order line's (domain/order.ts); this file adds only what differs: the date change,
// the cancellation from a service request (I-7, C-6), the customer's withdrawal of a termination, and
// that Finished (F) is set by the execution on the agreed date, not by a handler.
import type { Actor } from './identity';
import { canOrder, isHandler } from './identity';
import { allowedNextSteps, LINE_TRANSITIONS, type LineAction, type LineStatus, TERMINAL_LINE_STATUSES } from './order';
import { decideLineAction } from './order-decisions';
import { type FieldProblem, invalidRefusal, notAllowedRefusal, type Refusal } from './refusal';
import { slotDate, switchDateProblem } from './switch-isp';
import { calendarDaysBetween, type IsoDate, isValidIsoDate } from './time';

export type PortfolioOrderKind = 'switch_isp' | 'termination';

/** The handler's O-15 steps and the customer's O-17 answer, exactly as on an order line. */
export const PORTFOLIO_ORDER_LINE_ACTIONS = ['inProgress', 'incomplete', 'reject', 'advance', 'customerUpdate'] as const satisfies readonly LineAction[];

/** Every action on a switch or termination order. */
export const PORTFOLIO_ORDER_ACTIONS = ['changeDate', 'cancelByOperator', 'withdraw', 'followUp', ...PORTFOLIO_ORDER_LINE_ACTIONS] as const;
export type PortfolioOrderAction = (typeof PORTFOLIO_ORDER_ACTIONS)[number];

/**
 * Statuses in which the order is carried out when its date has come (the portfolio moves or ends on
 * that date). Incomplete waits for the customer's update; Committed for the order system's answer.
 */
export const EXECUTABLE_STATUSES: readonly LineStatus[] = ['Registered', 'In Progress', 'Customer Update', 'Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery'];

/** Before the execution the date may move (I-5, T-2) and the order may be cancelled or withdrawn. */
const BEFORE_EXECUTION: readonly LineStatus[] = ['Registered', 'In Progress', 'Incomplete', 'Customer Update', 'Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery'];

/** Lines that wait for the wholesaler (the handler's queue, A-2) — the order line's. */
export const WAITING_FOR_HANDLER: readonly LineStatus[] = ['Registered', 'In Progress', 'Customer Update'];

export function isFinal(status: LineStatus): boolean {
  return TERMINAL_LINE_STATUSES.includes(status);
}

/**
 * A-2, O-14: an order the order system rejected (at submit, at the technician booking, or on the date)
 * is followed up by customer service with the reseller — slide 81: "Rejected – Bestillingen er enten
 * avvist automatisk eller av Jara Kundeservice" — so it waits in the 'order-follow-up' queue ('due')
 * until a handler records the follow-up ('done'). A handler's own rejection needs none: the handler
 * wrote the reason. Absent on orders rejected before this step existed.
 */
export type FollowUp = 'due' | 'done';

export function awaitsFollowUp(view: { status: LineStatus; followUp?: FollowUp | null | undefined }): boolean {
  return view.status === 'Rejected' && view.followUp === 'due';
}

/** What a decision needs of the case: the workflow's state and the read model's `detail` alike. */
export interface PortfolioOrderDecisionView {
  kind: PortfolioOrderKind;
  number: string;
  status: LineStatus;
  /** I-5: the switch's lead days (a termination has none). */
  leadDays?: number;
  technician?: { slotId: string } | null;
  /** a rejection by the order system waiting for the handler's follow-up. */
  followUp?: FollowUp | null | undefined;
}

export interface PortfolioOrderDecisionInput {
  actor: Actor;
  requestedDate?: string | undefined;
  slotId?: string | undefined;
  serviceRequest?: string | undefined;
  text?: string | undefined;
  comment?: string | undefined;
  statusDescription?: string | undefined;
  step?: LineStatus | undefined;
  installationDate?: string | undefined;
}

interface OwnTransition {
  by: 'customer' | 'handler';
  from: readonly LineStatus[];
  kinds: readonly PortfolioOrderKind[];
}

/** The actions the order line does not have. There is no customer cancel of a switch (I-7, C-6). */
const OWN_TRANSITIONS: Record<'changeDate' | 'cancelByOperator' | 'withdraw' | 'followUp', OwnTransition> = {
  changeDate: { by: 'customer', from: BEFORE_EXECUTION.filter((s) => LINE_TRANSITIONS.reschedule.from.includes(s) || s === 'Field Service'), kinds: ['switch_isp', 'termination'] },
  cancelByOperator: { by: 'handler', from: LINE_TRANSITIONS.cancelByOperator.from.filter((s) => s !== 'Committed' && s !== 'Duplicate'), kinds: ['switch_isp', 'termination'] },
  // T-2: the customer takes its own termination back before the date (Cancelled, no letter A: not the wholesaler's)
  withdraw: { by: 'customer', from: BEFORE_EXECUTION, kinds: ['termination'] },
  // A-2, O-14: customer service has followed a rejection by the order system up with the reseller (awaitsFollowUp)
  followUp: { by: 'handler', from: ['Rejected'], kinds: ['switch_isp', 'termination'] },
};

function lineView(view: PortfolioOrderDecisionView) {
  return { number: view.number, status: view.status, kind: view.kind, line: { booking: null } } as const;
}

/** The actions this actor may take now (shown with the case and every 409). */
export function allowedPortfolioOrderActions(view: PortfolioOrderDecisionView, actor: Actor): PortfolioOrderAction[] {
  return PORTFOLIO_ORDER_ACTIONS.filter((a) => {
    if (a === 'changeDate' || a === 'cancelByOperator' || a === 'withdraw' || a === 'followUp') {
      const t = OWN_TRANSITIONS[a];
      if (a === 'followUp' && !awaitsFollowUp(view)) return false;
      return t.kinds.includes(view.kind) && t.from.includes(view.status) && (t.by === 'handler' ? isHandler(actor) : canOrder(actor));
    }
    if (view.status === 'Committed') return false; // the order system is answering (at once)
    const t = LINE_TRANSITIONS[a];
    return t.from.includes(view.status) && (t.by === 'handler' ? isHandler(actor) : canOrder(actor));
  });
}

/**
 * O-15: the delivery steps this actor may move the order to now — the order line's (allowedNextSteps)
 * without Finished (F), which the execution on the agreed date sets (I-5, T-2), so a screen offers
 * exactly what decidePortfolioOrderAction accepts.
 */
export function allowedPortfolioNextSteps(view: PortfolioOrderDecisionView, actor: Actor): LineStatus[] {
  const advance: readonly LineAction[] = allowedPortfolioOrderActions(view, actor).includes('advance') ? ['advance'] : [];
  return allowedNextSteps(view.status, advance).filter((s) => s !== 'Finished');
}

const RULE: Record<PortfolioOrderKind, { date: string; cancel: string }> = { switch_isp: { date: 'I-5', cancel: 'I-7' }, termination: { date: 'T-2', cancel: 'O-14' } };

/**
 * The one decision on an action (the workflow's Update validator, on arrival and again under the case's
 * lock, and the API's precheck on the read model). `today` is the Oslo date of the decision.
 */
export function decidePortfolioOrderAction(view: PortfolioOrderDecisionView, action: PortfolioOrderAction, input: PortfolioOrderDecisionInput, today: IsoDate): Refusal | undefined {
  const allowed = allowedPortfolioOrderActions(view, input.actor);
  const refuse = (rule: string, message: string) => notAllowedRefusal({ status: view.status, action, allowedActions: allowed, rule, message });
  const what = view.kind === 'switch_isp' ? 'switch' : 'termination';
  if (action === 'advance' && input.step === 'Finished') {
    // I-5 / T-2: the order system carries it out on the agreed date; that is what makes it Finished (F)
    return refuse('O-15', `${view.number} becomes Finished (F) when the ${what} is carried out on its agreed date, not by a step`);
  }
  if (!allowed.includes(action)) {
    if (action === 'followUp' && view.status === 'Rejected' && isHandler(input.actor)) {
      return refuse(
        'A-2',
        view.followUp === 'done' ? `${view.number} has been followed up already` : `${view.number} was rejected by customer service, not by the order system: there is nothing to follow up`,
      );
    }
    if (view.status === 'Committed') return refuse('O-14', `'${action}' is not possible on ${view.number} yet: the order system is registering the ${what} (Committed)`);
    const rule =
      action === 'changeDate'
        ? RULE[view.kind].date
        : action === 'cancelByOperator'
          ? RULE[view.kind].cancel
          : action === 'withdraw'
            ? 'T-2'
            : action === 'followUp'
              ? 'A-2'
              : action === 'advance'
                ? 'O-15'
                : action === 'customerUpdate'
                  ? 'O-17'
                  : 'O-14';
    return refuse(rule, `'${action}' is not allowed on ${view.number} in status ${view.status}`);
  }
  if (action === 'changeDate') return decideDate(view, input, today);
  if (action === 'withdraw') return undefined;
  if (action === 'followUp') return input.comment?.trim() ? undefined : invalidRefusal([{ field: 'comment', rule: 'A-2', message: 'required: what was agreed with the reseller' }]);
  if (action === 'cancelByOperator') {
    const problems: FieldProblem[] = [];
    if (view.kind === 'switch_isp' && !input.serviceRequest?.trim()) problems.push({ field: 'serviceRequest', rule: 'I-7', message: 'required: the service request asking for the cancellation' });
    if (!input.text?.trim()) problems.push({ field: view.kind === 'switch_isp' ? 'text' : 'comment', rule: RULE[view.kind].cancel, message: 'required: the reason for cancelling' });
    return invalidRefusal(problems);
  }
  // the order line's own checks (comment on Incomplete, Status Description on Rejected, one step forwards, installation date with M)
  const lineRefusal = decideLineAction(lineView(view), action, input);
  if (lineRefusal) return lineRefusal;
  if (action === 'customerUpdate' && input.requestedDate !== undefined) return decideDate(view, input, today);
  return undefined;
}

/** I-5 (switch: lead days from today, I-6 a slot on the new date) or T-2 (termination: not a date already passed). */
function decideDate(view: PortfolioOrderDecisionView, input: PortfolioOrderDecisionInput, today: IsoDate): Refusal | undefined {
  const rule = RULE[view.kind].date;
  if (!input.requestedDate || !isValidIsoDate(input.requestedDate)) return invalidRefusal([{ field: 'requestedDate', rule, message: 'required: a date YYYY-MM-DD' }]);
  const problems: FieldProblem[] = [];
  if (view.kind === 'switch_isp') {
    const p = switchDateProblem(today, input.requestedDate, view.leadDays ?? 0);
    if (p) problems.push({ field: 'requestedDate', rule: 'I-5', message: p });
    else if (view.technician) {
      if (!input.slotId) problems.push({ field: 'slotId', rule: 'I-6', message: 'required: this switch needs a technician; give a free slot on the new date' });
      else if (slotDate(input.slotId) !== input.requestedDate) problems.push({ field: 'slotId', rule: 'I-6', message: `slot ${input.slotId} is not on ${input.requestedDate}` });
    } else if (input.slotId) problems.push({ field: 'slotId', rule: 'I-6', message: 'this switch needs no technician (I-6)' });
  } else {
    const p = terminationDateProblem(today, input.requestedDate);
    if (p) problems.push({ field: 'requestedDate', rule: 'T-2', message: p });
  }
  return invalidRefusal(problems);
}

/**
 * T-2: the subscription is disconnected on the requested date — not before (the end user keeps it as
 * long as ordered), not after (who pays is clear). So only a date already passed is refused; T-3's
 * product run-out is not a notice that refuses earlier dates.
 */
export function terminationDateProblem(today: IsoDate, requestedDate: IsoDate): string | undefined {
  if (calendarDaysBetween(today, requestedDate) >= 0) return undefined;
  return `the termination date ${requestedDate} has passed: the subscription is disconnected on the date you give (T-2), today (${today}) at the earliest`;
}
