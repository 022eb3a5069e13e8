// The decisions of the order and order-line workflows (rules O-4, O-9, O-10, O-12, O-14, O-15,
// O-17, C-1, C-3, C-6): pure functions on the case's view that answer a Refusal or nothing. The
// workflows' Update validators call them (on arrival and again under the case's lock), and the API
// calls the same functions on the read model's row before it sends the Update — so a refusal reads
// the same whoever says it.
import { type Actor, isHandler } from './identity';
import {
  allowedLineActions,
  CANCEL_VIA_SERVICE_REQUEST,
  canAdvance,
  FIELD_SERVICE_OR_LATER,
  LINE_TRANSITIONS,
  type LineAction,
  type LineStatus,
  awaitsManualHandling,
  nextDeliveryStep,
  type OrderKind,
  type OrderPhase,
  PROJECT_MAX_LINES,
  reopenDecision,
  TERMINAL_LINE_STATUSES,
} from './order';
import type { BookingRef, DraftLine, OrderDraft } from './order-draft';
import { type FieldProblem, invalidRefusal, notAllowedRefusal, type Refusal } from './refusal';
import { isValidIsoDate } from './time';

// ---- order lines ----------------------------------------------------------------------------------

/** What a line decision looks at: the line workflow's view and the read model's `detail` alike. */
export interface LineDecisionView {
  number: string;
  status: LineStatus;
  kind: OrderKind;
  line: { booking: BookingRef | null };
  /** O-11: the availability check timed out; a handler completes the manual handling before registration. */
  manualHandling?: boolean;
  manualHandlingDoneBy?: string | null;
  customerOrderId?: string | null;
}

/** The parts of a line action's input its decision reads. */
export interface LineDecisionInput {
  actor: Actor;
  comment?: string | undefined;
  statusDescription?: string | undefined;
  step?: LineStatus | undefined;
  installationDate?: string | undefined;
  fee?: { feeOre: number; atStatus: LineStatus } | undefined;
  slot?: unknown;
}

/** The rule a refused line action cites. */
function lineRule(action: LineAction): string {
  return action === 'advance' ? 'O-15' : action === 'customerUpdate' ? 'O-17' : action === 'cancel' ? 'C-3' : action === 'completeManualHandling' ? 'O-11' : 'O-14';
}

/** O-14, O-15, O-17, C-3, C-6: may this actor take this action on the line now, with this input? */
export function decideLineAction(view: LineDecisionView, action: LineAction, cmd: LineDecisionInput): Refusal | undefined {
  const allowed = allowedLineActions(view.status, cmd.actor, view.kind, view.line.booking !== null, awaitsManualHandling(view));
  const refuse = (rule: string, message: string) => notAllowedRefusal({ status: view.status, action, allowedActions: allowed, rule, message });
  if (action === 'cancel' && CANCEL_VIA_SERVICE_REQUEST.includes(view.kind)) {
    return refuse('C-6', `${view.number} is a ${view.kind === 'switch_isp' ? 'switch-ISP order' : 'product swap'}: cancel it through a service request (area Delivery), not with Cancel (C-6)`);
  }
  if (action === 'completeManualHandling' && !allowed.includes(action) && isHandler(cmd.actor) && LINE_TRANSITIONS.completeManualHandling.from.includes(view.status)) {
    return refuse(
      'O-11',
      `${view.number} does not wait for manual handling${view.customerOrderId ? ` (registered as ${view.customerOrderId})` : view.manualHandlingDoneBy ? ` (completed by ${view.manualHandlingDoneBy})` : ''}`,
    );
  }
  if (!allowed.includes(action)) return refuse(lineRule(action), `'${action}' is not allowed on ${view.number} in status ${view.status}`);
  if (action === 'completeManualHandling' && !cmd.comment?.trim()) {
    return invalidRefusal([{ field: 'comment', rule: 'O-11', message: 'required: what the manual availability check found' }]);
  }
  const problems: FieldProblem[] = [];
  if (action === 'incomplete' && !cmd.comment?.trim()) problems.push({ field: 'comment', rule: 'O-14', message: 'required: say what is missing' });
  if (action === 'reject' && !cmd.statusDescription?.trim()) problems.push({ field: 'statusDescription', rule: 'O-14', message: 'required: why the order cannot be carried out' });
  if (action === 'cancelByOperator' && !cmd.comment?.trim()) problems.push({ field: 'comment', rule: 'O-14', message: 'required: the reason for cancelling' });
  if (action === 'advance') {
    const step = cmd.step;
    if (!step) problems.push({ field: 'to', rule: 'O-15', message: 'required: the next delivery step' });
    else if (!canAdvance(view.status, step)) {
      const next = nextDeliveryStep(view.status);
      return refuse('O-15', `${view.number} cannot move from ${view.status} to ${step}: only forwards, one step at a time${next ? ` (next: ${next})` : ''}`);
    } else if (step === 'Field Service') {
      if (!cmd.installationDate) problems.push({ field: 'installationDate', rule: 'O-15', message: 'required with Field Service (M): the installation date' });
      else if (!isValidIsoDate(cmd.installationDate)) problems.push({ field: 'installationDate', rule: 'O-15', message: 'a date YYYY-MM-DD' });
    }
  }
  if (action === 'cancel') {
    if (!cmd.fee) problems.push({ field: 'acceptedFeeOre', rule: 'C-3', message: 'required: the cancellation charge you accept' });
    else if (cmd.fee.atStatus !== view.status) {
      return refuse('C-3', `the line moved from ${cmd.fee.atStatus} to ${view.status}: the cancellation charge has changed; look it up again`);
    }
  }
  if (action === 'reschedule' && !cmd.slot) problems.push({ field: 'slotId', rule: 'O-12', message: 'required: the new slot' });
  return invalidRefusal(problems);
}

/** C-1: a line is put back to New by its order's Reopen while it has not reached Field Service (M). */
export function decideLineReopen(view: LineDecisionView): Refusal | undefined {
  if (view.status === 'New') return undefined; // reopened already (a repeated request changes nothing)
  if (TERMINAL_LINE_STATUSES.includes(view.status) || FIELD_SERVICE_OR_LATER.includes(view.status)) {
    return notAllowedRefusal({
      status: view.status,
      action: 'reopen',
      allowedActions: [],
      rule: 'C-1',
      message: `Reopen is not available: ${view.number} is ${view.status}. Send a service request (area Delivery) for the change (C-2, C-5)`,
    });
  }
  return undefined;
}

// ---- the order (header) ---------------------------------------------------------------------------

/** What an order decision looks at: the order workflow's view and the read model's `detail` alike. */
export interface OrderDecisionView extends OrderDraft {
  number: string;
  status: string;
  phase: OrderPhase;
  startedLines: number[];
}

export type OrderDecisionAction =
  'update' | 'addLine' | 'updateLine' | 'removeLine' | 'lookup' | 'confirmLookup' | 'availability' | 'selectLine' | 'book' | 'reschedule' | 'cancelBooking' | 'submit' | 'cancel' | 'reopen' | 'bulk';

export interface OrderDecisionInput {
  lineNo?: number | undefined;
  /** update: the lines it changes, removes, and how many it adds. */
  updateLines?: Array<{ lineNo: number; address?: unknown }> | undefined;
  removeLines?: number[] | undefined;
  addLines?: number | undefined;
  /** selectLine: the line picked among the check's candidates. */
  lineId?: string | undefined;
  /** cancel: whether the charges the user accepted come with it (a submitted order's cancel needs them, C-3). */
  withFees?: boolean | undefined;
  /** bulk: the lines a handler's step goes to (default every submitted line). */
  bulkLines?: number[] | undefined;
}

/** A hard cap on the draft's size; the O-9 limit of 50 is reported by validation. */
export const MAX_DRAFT_LINES = 60;

/** JSON with every object's keys sorted: an address read back from the database (jsonb orders keys its own way) equals the one sent. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.entries(v)
          .filter(([, x]) => x !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
          .join(',')}}`
      : JSON.stringify(v ?? null);
const sameAddress = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** O-4, O-9, O-10, O-12, O-14, C-1, C-3: may the user take this action on the order now? */
export function decideOrderAction(view: OrderDecisionView, action: OrderDecisionAction, cmd: OrderDecisionInput = {}): Refusal | undefined {
  const refuse = (rule: string, message: string) => notAllowedRefusal({ status: view.status, action, allowedActions: [], rule, message });
  const lineOf = (lineNo: number) => view.lines.find((l) => l.lineNo === lineNo);

  if (action === 'reopen') {
    const d = reopenDecision(
      view.phase,
      view.lines.map((l) => l.status),
    );
    return d.allowed ? undefined : refuse('C-1', `Reopen is not available: ${d.reason}. Send a service request (area Delivery) for the change (C-2, C-5)`);
  }
  if (action === 'cancel') {
    if (view.phase === 'cancelled') return refuse('C-3', `${view.number} is already cancelled`);
    if (view.phase === 'draft') return undefined;
    if (cmd.withFees === false) return refuse('C-3', `${view.number} has been submitted: its lines are cancelled with the charge you accept (GET …/cancellation)`);
    if (CANCEL_VIA_SERVICE_REQUEST.includes(view.kind)) return refuse('C-6', `${view.number} is cancelled through a service request, not with Cancel (C-6)`);
    if (!view.lines.some((l) => LINE_TRANSITIONS.cancel.from.includes(l.status))) return refuse('C-3', `no line of ${view.number} can be cancelled`);
    return undefined;
  }
  if (action === 'bulk') return decideBulk(view, cmd.bulkLines);
  // reschedule and cancelBooking of a submitted line are the line's own actions
  if (view.phase !== 'draft') {
    return refuse(view.phase === 'submitted' ? 'C-1' : 'O-14', `'${action}' needs the order in New: ${view.number} is ${view.status}${view.phase === 'submitted' ? '; Reopen it first (C-1)' : ''}`);
  }
  const requireLine = (lineNo: number | undefined): DraftLine | Refusal => {
    const line = lineNo === undefined ? undefined : lineOf(lineNo);
    if (!line) return invalidRefusal([{ field: 'lineNo', rule: 'O-9', message: `${view.number} has no line ${lineNo}` }])!;
    if (TERMINAL_LINE_STATUSES.includes(line.status)) return refuse('O-15', `line ${lineNo} is ${line.status}`);
    return line;
  };
  const isRefusal = (x: DraftLine | Refusal): x is Refusal => 'kind' in x && (x.kind === 'invalid' || x.kind === 'not_allowed');

  switch (action) {
    case 'update':
    case 'addLine':
    case 'updateLine':
    case 'removeLine': {
      const problems: FieldProblem[] = [];
      for (const u of cmd.updateLines ?? []) {
        const line = lineOf(u.lineNo);
        if (!line) problems.push({ field: `lines.${u.lineNo}`, rule: 'O-9', message: `no line ${u.lineNo}` });
        else if (TERMINAL_LINE_STATUSES.includes(line.status)) return refuse('O-15', `line ${u.lineNo} is ${line.status} and cannot be changed`);
        else if (line.booking && u.address !== undefined && !sameAddress(u.address, line.address)) {
          return refuse('O-12', `line ${u.lineNo} has a technician booking at its address: cancel the booking before changing the address (O-12)`);
        }
      }
      for (const n of cmd.removeLines ?? []) {
        const line = lineOf(n);
        if (!line) problems.push({ field: 'removeLines', rule: 'O-9', message: `no line ${n}` });
        else if (TERMINAL_LINE_STATUSES.includes(line.status)) return refuse('O-15', `line ${n} is ${line.status}`);
        else if (line.booking) return refuse('O-12', `line ${n} has a technician booking: cancel it first (O-12)`);
      }
      const count = view.lines.length - (cmd.removeLines ?? []).length + (cmd.addLines ?? 0);
      if (count > MAX_DRAFT_LINES) problems.push({ field: 'lines', rule: 'O-9', message: `at most ${PROJECT_MAX_LINES} lines on an order` });
      return invalidRefusal(problems);
    }
    case 'lookup':
    case 'availability': {
      const line = requireLine(cmd.lineNo);
      return isRefusal(line) ? line : undefined;
    }
    case 'confirmLookup': {
      const line = requireLine(cmd.lineNo);
      if (isRefusal(line)) return line;
      if (!line.lookup) return refuse('O-4', `line ${cmd.lineNo} has no look-up to confirm`);
      if (line.booking) return refuse('O-12', `line ${cmd.lineNo} has a technician booking: cancel it before changing the address (O-12)`);
      return undefined;
    }
    case 'selectLine': {
      const line = requireLine(cmd.lineNo);
      if (isRefusal(line)) return line;
      if (!line.availability?.candidates.some((c) => c.lineId === cmd.lineId)) {
        return invalidRefusal([{ field: 'lineId', rule: 'O-10', message: `${cmd.lineId} is not among the lines the check found` }]);
      }
      return undefined;
    }
    case 'book': {
      const line = requireLine(cmd.lineNo);
      if (isRefusal(line)) return line;
      if (view.orderType === 'Project') return refuse('O-9', 'no technician booking on a Project order (O-9)');
      if (line.booking) return refuse('O-12', `line ${cmd.lineNo} is already booked for ${line.booking.date}: reschedule it`);
      const a = line.availability;
      const chosen = a?.candidates.find((c) => c.lineId === a.selectedLineId);
      if (!a || a.outcome === 'timeout' || !chosen || chosen.colour === 'red' || (chosen.colour === 'yellow' && chosen.yellowKind === 'system_error')) {
        const why = !a
          ? 'run the availability check first'
          : a.outcome === 'timeout'
            ? 'the check timed out (O-11): no technician can be booked'
            : !chosen
              ? "pick the line at the customer's address first"
              : `the check answered ${chosen.colour}${chosen.yellowKind ? ` (${chosen.yellowKind})` : ''}: no technician can be booked`;
        return refuse('O-12', `${why} (O-10, O-12)`);
      }
      return undefined;
    }
    case 'reschedule':
    case 'cancelBooking': {
      const line = requireLine(cmd.lineNo);
      if (isRefusal(line)) return line;
      return line.booking ? undefined : refuse('O-12', `line ${cmd.lineNo} has no booking`);
    }
    case 'submit':
      if (!view.productCode || !view.requestedDate || view.lines.length === 0) {
        return invalidRefusal([{ field: 'draft', rule: 'G-1', message: 'the order is not complete: validate it first' }]);
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * O-9: a handler's one step on many lines of a Project order. The order only checks that it is a
 * submitted Project order and that the lines are its submitted ones; each line's own validator then
 * judges the step for itself (O-15, C-5).
 */
function decideBulk(view: OrderDecisionView, lineNos: number[] | undefined): Refusal | undefined {
  const refuse = (rule: string, message: string) => notAllowedRefusal({ status: view.status, action: 'bulk', allowedActions: [], rule, message });
  if (view.orderType !== 'Project') return refuse('O-9', `${view.number} is a Standard order: bulk steps are for Project orders (O-9); act on its line`);
  if (view.startedLines.length === 0) return refuse('O-14', `${view.number} has no submitted lines`);
  const missing = (lineNos ?? []).filter((n) => !view.startedLines.includes(n));
  if (missing.length > 0) return invalidRefusal([{ field: 'lineNos', rule: 'O-9', message: `${view.number} has no submitted line ${missing.join(', ')}` }]);
  return undefined;
}
