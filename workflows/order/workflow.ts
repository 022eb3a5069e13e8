// One order (header) = one workflow (rules O-9, O-12, O-16, O-20, C-1, C-3). It holds the draft
// while New, cancels a never-submitted draft after 14 days (O-20), and at submit starts one
// order-line workflow per line (`order-line:ORD-000042:1`). Lines report every change back
// (lineChanged), and the header status is their O-16 summary. It ends when every line is done.
import { shouldContinueAsNew } from '../kit/continue-as-new';
import {
  type ActivityOptions,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  getExternalWorkflowHandle,
  type LocalActivityOptions,
  patched,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { OrderActivities } from '../../activities/orders';
import type { ActivityEntry } from '../../domain/case';
import { caseId as caseIdOf } from '../../domain/case';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import { duplicateKey, legacyOrderSummaryStatus, orderLineNumber, orderSummaryStatus, TERMINAL_LINE_STATUSES } from '../../domain/order';
import { decideOrderAction, type OrderDecisionAction, type OrderDecisionInput } from '../../domain/order-decisions';
import { addressKey, type AvailabilityResult } from '../../domain/order-validation';
import { modifyDuplicateKey } from '../../domain/modify-order';
import { notAllowedRefusal } from '../../domain/refusal';
import { deadlineAfter } from '../../domain/time';
import { ackOf } from '../kit/ack';
import { caseLock, setSerialUpdate } from '../kit/serial';
import { refusalFailure, refuseIf } from '../refusals';
import { CASE_STATUS, caseSearchAttributes } from '../search-attributes';
import type { orderLineWorkflow } from './line-workflow';
import {
  type LineChanged,
  lineCancelReopenedSignal,
  lineChangedSignal,
  type LineOutcome,
  type LineStartInput,
  lineResubmitSignal,
  type OrderActionAck,
  type OrderStartInput,
  orderUpdates,
  type OrderView,
  orderViewQuery,
} from './messages';
import { emptyLine, newOrder, newOrderLine, toLineProjection, toOrderProjection } from './projection';
import { activityCause, upstreamFailure } from './upstream';
import { setNumberReservationHandler } from './numbers';
import { inTurn, projectCase } from '../publish';

// The user waits for a booking: a few quick attempts; a rejection (full slot, …) is final.
const APPOINTMENT_CALLS = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '300 ms', maximumAttempts: 3, nonRetryableErrorTypes: ['AdapterRejectedError'] },
} satisfies ActivityOptions & LocalActivityOptions;
const appointments = proxyActivities<OrderActivities>(APPOINTMENT_CALLS);

/** O-11: a Kapaks time-out is tried three times in all; every other failure is final (the activity says so). */
export const AVAILABILITY_ATTEMPTS = 3;
const KAPAKS_CALLS = {
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '100 ms', backoffCoefficient: 1, maximumAttempts: AVAILABILITY_ATTEMPTS },
} satisfies ActivityOptions & LocalActivityOptions;
const kapaks = proxyActivities<OrderActivities>(KAPAKS_CALLS);

// Since the patch `order-io-local-activities`: the availability check and the bookings run as local
// activities inside the Update's own workflow task — no activity task through the server and no second
// workflow task per action (issue 16: an order costs the engine less). Both may run again safely: the
// check is a read, a booking carries its idempotency key. In turn with the publishes (workflows/publish.ts).
const ORDER_IO_LOCAL = 'order-io-local-activities';
const kapaksLocal = proxyLocalActivities<OrderActivities>(KAPAKS_CALLS);
const appointmentsLocal = proxyLocalActivities<OrderActivities>(APPOINTMENT_CALLS);
type AppointmentCalls = Pick<OrderActivities, 'bookAppointment' | 'rescheduleAppointment' | 'cancelAppointment'>;
/** The appointment system, called the way this workflow's history was started with (patch above). */
function appointmentSystem(): AppointmentCalls {
  if (!patched(ORDER_IO_LOCAL)) return appointments;
  return {
    bookAppointment: (input) => inTurn(() => appointmentsLocal.bookAppointment(input)),
    rescheduleAppointment: (input) => inTurn(() => appointmentsLocal.rescheduleAppointment(input)),
    cancelAppointment: (input) => inTurn(() => appointmentsLocal.cancelAppointment(input)),
  };
}
/** O-10: Kapaks, likewise. */
const checkAvailability: OrderActivities['checkAvailability'] = (input) => (patched(ORDER_IO_LOCAL) ? inTurn(() => kapaksLocal.checkAvailability(input)) : kapaks.checkAvailability(input));

/**
 * The Updates the order sends its lines, each answered per line: an activity whose result is recorded
 * in history. Not a local activity: the lines report back while it runs, and a workflow task held open
 * that long can be aborted with the Update it carries — the lines already changed, the Update sent again.
 */
const lineDriver = proxyActivities<OrderActivities>({
  startToCloseTimeout: '60 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '5 seconds', maximumAttempts: 5 },
});

/** O-19's read of the read model: a local activity (no side effect: a repeated one changes nothing). */
const reads = proxyLocalActivities<OrderActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '5 seconds', maximumAttempts: 5 },
});

export async function orderWorkflow(input: OrderStartInput): Promise<OrderView> {
  const now = () => new Date().toISOString();
  const state: OrderView = input.resume?.state ?? newOrder(input);
  const autoCancelDeadline = deadlineAfter(new Date(input.createdAt), input.timing.autoCancelAfter);
  const seenLineVersions = new Map<number, number>(input.resume?.seenLineVersions ?? []);
  let changes = 0;
  // every Update, line report and timer step changes the order one at a time, each judged again
  // on the state it is about to change (of two racing actions one wins, as in a serial order)
  const lock = caseLock();

  const recompute = () => {
    if (state.phase !== 'submitted') {
      state.status = state.phase === 'draft' ? 'New' : 'Cancelled';
      return;
    }
    // O-16's corrected precedence changes when the CaseStatus search attribute is upserted: behind a patch
    const summary = patched('o16-header-precedence') ? orderSummaryStatus : legacyOrderSummaryStatus;
    state.status = summary(state.lines.map((l) => l.status));
  };
  const touch = (by: string) => {
    const before = state.status;
    recompute();
    if (state.status !== before) upsertSearchAttributes([{ key: CASE_STATUS, value: state.status }]);
    state.updatedAt = now();
    state.updatedBy = by;
    state.version++;
    changes++;
  };
  const record = (actor: Actor, action: string, text?: string) => {
    const from = state.status;
    touch(actor.username);
    const entry: ActivityEntry = { at: state.updatedAt, by: actor.username, action, fromStatus: from, toStatus: state.status };
    if (text) entry.text = text;
    state.activity.push(entry);
  };
  const publish = async () => {
    await projectCase(toOrderProjection(state));
  };
  const lineOf = (lineNo: number) => state.lines.find((l) => l.lineNo === lineNo);
  /** The domain's decision (the API asks the same one on the read model). */
  const decide = (action: OrderDecisionAction, cmd: OrderDecisionInput = {}) => refuseIf(decideOrderAction(state, action, cmd));
  // a 50-line Project order with Reopen cycles stays small (workflows/kit/continue-as-new.ts)
  const longHistory = () => shouldContinueAsNew(input.timing.historyLimit);
  const lineCaseId = (lineNo: number) => caseIdOf('order_line', orderLineNumber(state.number, lineNo));
  const bookingKey = (lineNo: number, what: string) => `${state.caseId}:${lineNo}:${what}:${state.version}`;
  const updateDecision = (cmd: { updateLines?: Array<{ lineNo: number; address?: unknown }>; removeLines?: number[]; addLines?: unknown[] }): OrderDecisionInput => ({
    updateLines: cmd.updateLines,
    removeLines: cmd.removeLines,
    addLines: cmd.addLines?.length ?? 0,
  });

  setHandler(orderViewQuery, () => state);

  // ---- the draft (G-2: saved unfinished; validation is the API's, before submit) ----
  setSerialUpdate(
    lock,
    orderUpdates.update,
    (cmd) => decide('update', updateDecision(cmd)),
    async (cmd) => {
      const h = cmd.header ?? {};
      const productChanged = h.productCode !== undefined && h.productCode !== state.productCode;
      if (h.orderType !== undefined) state.orderType = h.orderType;
      if (h.productCode !== undefined) state.productCode = h.productCode;
      if (h.speedMbps !== undefined) state.speedMbps = h.speedMbps;
      if (h.equipment !== undefined) state.equipment = h.equipment;
      if (h.requestedDate !== undefined) state.requestedDate = h.requestedDate;
      if (h.contact !== undefined) state.contact = h.contact;
      if (h.references !== undefined) state.references = h.references;
      for (const u of cmd.updateLines ?? []) {
        const line = lineOf(u.lineNo)!;
        if (u.endUser !== undefined) line.endUser = u.endUser;
        if (u.address !== undefined && JSON.stringify(u.address) !== JSON.stringify(line.address)) {
          line.address = u.address;
          line.availability = null; // O-10: the check was for the old address
          line.lookup = null;
        }
        if (u.addressB !== undefined) line.addressB = u.addressB;
        if (u.attachments !== undefined) line.attachments = u.attachments;
      }
      const removed = cmd.removeLines ?? [];
      for (const n of removed) {
        const line = lineOf(n)!;
        if (state.startedLines.includes(n)) line.status = 'Cancelled';
      }
      state.lines = state.lines.filter((l) => !removed.includes(l.lineNo) || state.startedLines.includes(l.lineNo));
      for (const a of cmd.addLines ?? []) {
        const lineNo = Math.max(0, ...state.lines.map((l) => l.lineNo), ...state.startedLines) + 1;
        state.lines.push(emptyLine(lineNo, a));
      }
      if (productChanged) for (const l of state.lines) l.availability = null; // the colour depends on the product (O-10)
      record(cmd.actor, 'update');
      // a submitted line of a reopened order is not forgotten: it is cancelled, free while New (C-3)
      for (const n of removed.filter((x) => state.startedLines.includes(x))) {
        await getExternalWorkflowHandle(lineCaseId(n)).signal(lineCancelReopenedSignal, { actor: cmd.actor, reason: 'Removed from the order while reopened' });
      }
      await publish();
      return ackOf(state);
    },
  );

  // ---- O-4: look-up by line number, confirmed by the user ----
  setSerialUpdate(
    lock,
    orderUpdates.recordLookup,
    (cmd) => decide('lookup', cmd),
    async (cmd) => {
      lineOf(cmd.lineNo)!.lookup = { ...cmd.lookup, confirmed: false };
      record(cmd.actor, 'lookup', `${cmd.lookup.number}: ${cmd.lookup.endUser.name}, ${cmd.lookup.address.label}`);
      await publish();
      return ackOf(state);
    },
  );

  setSerialUpdate(
    lock,
    orderUpdates.confirmLookup,
    (cmd) => decide('confirmLookup', cmd),
    async (cmd) => {
      const line = lineOf(cmd.lineNo)!;
      const found = line.lookup!;
      // O-4: the user verifies what came back; a person's date of birth is never handed out (the user gives it)
      line.endUser = found.endUser.kind === 'person' ? { kind: 'person', name: found.endUser.name, birthDate: '' } : found.endUser;
      if (line.address?.addressId !== found.address.addressId) line.availability = null;
      line.address = { addressId: found.address.addressId, label: found.address.label, existingNumber: found.number };
      line.lookup = { ...found, confirmed: true };
      record(cmd.actor, 'confirmLookup', found.number);
      await publish();
      return ackOf(state);
    },
  );

  // ---- O-10 / O-11: availability, asked by the workflow (three attempts on time-outs, then manual handling) ----
  setSerialUpdate(
    lock,
    orderUpdates.checkAvailability,
    (cmd) => decide('availability', cmd),
    async (cmd) => {
      let result: AvailabilityResult;
      try {
        const candidates = await checkAvailability({ query: cmd.query, productCode: cmd.productCode });
        result = { query: cmd.query, checkedAt: now(), outcome: 'answered', attempts: 1, candidates, selectedLineId: null };
      } catch (err) {
        const cause = activityCause(err);
        const timedOut = (cause instanceof ApplicationFailure && cause.type === 'AdapterTimeoutError') || cause instanceof TimeoutFailure;
        if (!timedOut) throw upstreamFailure(err);
        result = { query: cmd.query, checkedAt: now(), outcome: 'timeout', attempts: AVAILABILITY_ATTEMPTS, candidates: [], selectedLineId: null };
      }
      const line = lineOf(cmd.lineNo)!;
      const only = result.candidates.length === 1 ? result.candidates[0]!.lineId : null;
      line.availability = { ...result, selectedLineId: only };
      const text =
        result.outcome === 'timeout'
          ? `no answer after ${result.attempts} attempts: may be submitted without booking, manual handling (O-11)`
          : result.candidates.map((c) => `${c.lineId} ${c.colour}`).join(', ');
      record(cmd.actor, 'availability', text);
      await publish();
      return ackOf(state);
    },
  );

  setSerialUpdate(
    lock,
    orderUpdates.selectAvailability,
    (cmd) => decide('selectLine', cmd),
    async (cmd) => {
      lineOf(cmd.lineNo)!.availability!.selectedLineId = cmd.lineId;
      record(cmd.actor, 'selectLine', cmd.lineId);
      await publish();
      return ackOf(state);
    },
  );

  // ---- O-12: technician booking while New (after submit the line holds it) ----
  setSerialUpdate(
    lock,
    orderUpdates.book,
    (cmd) => decide('book', cmd),
    async (cmd) => {
      const line = lineOf(cmd.lineNo)!;
      try {
        const b = await appointmentSystem().bookAppointment({ slotId: cmd.slot.slotId, reference: orderLineNumber(state.number, cmd.lineNo), idempotencyKey: bookingKey(cmd.lineNo, 'book') });
        line.booking = { bookingId: b.bookingId, slotId: b.slot.slotId, date: b.slot.date, window: b.slot.window, area: b.slot.area };
      } catch (err) {
        throw upstreamFailure(err);
      }
      state.requestedDate = line.booking.date; // O-12: a verified booking is the confirmed delivery date
      record(cmd.actor, 'book', `${line.booking.date} ${line.booking.window} (${line.booking.bookingId})`);
      await publish();
      return ackOf(state);
    },
  );

  setSerialUpdate(
    lock,
    orderUpdates.reschedule,
    (cmd) => decide('reschedule', cmd),
    async (cmd) => {
      const line = lineOf(cmd.lineNo)!;
      try {
        const b = await appointmentSystem().rescheduleAppointment({ bookingId: line.booking!.bookingId, slotId: cmd.slot.slotId, idempotencyKey: bookingKey(cmd.lineNo, 'reschedule') });
        line.booking = { bookingId: b.bookingId, slotId: b.slot.slotId, date: b.slot.date, window: b.slot.window, area: b.slot.area };
      } catch (err) {
        throw upstreamFailure(err);
      }
      state.requestedDate = line.booking.date;
      record(cmd.actor, 'reschedule', `${line.booking.date} ${line.booking.window}`);
      await publish();
      return ackOf(state);
    },
  );

  setSerialUpdate(
    lock,
    orderUpdates.cancelBooking,
    (cmd) => decide('cancelBooking', cmd),
    async (cmd) => {
      const line = lineOf(cmd.lineNo)!;
      try {
        await appointmentSystem().cancelAppointment({ bookingId: line.booking!.bookingId });
      } catch (err) {
        throw upstreamFailure(err);
      }
      record(cmd.actor, 'cancelBooking', line.booking!.bookingId);
      line.booking = null;
      await publish();
      return ackOf(state);
    },
  );

  // ---- O-12: PSTN/ISDN number reserved with the booking (workflows/order/numbers.ts) ----
  setNumberReservationHandler({ state, lock, record, publish });

  // ---- submit: one line workflow per line (first time), or the changed line (after Reopen) ----
  setSerialUpdate(
    lock,
    orderUpdates.submit,
    (_cmd) => decide('submit'),
    async (cmd) => {
      const open = state.lines.filter((l) => !TERMINAL_LINE_STATUSES.includes(l.status));
      // O-19: the same end-user address, product and service as another open order of the company
      // (a change order: another open change order on the same product), looked up in the read model
      const keys = open.map((l) => ({
        lineNo: l.lineNo,
        key: l.modification ? modifyDuplicateKey(state.companyId, l.modification.number) : duplicateKey(state.companyId, addressKey(l.address), state.productCode!, state.speedMbps),
      }));
      const duplicates = await reads.findDuplicates({ companyId: state.companyId, orderNumber: state.number, keys });
      state.phase = 'submitted';
      state.revision++;
      state.submittedAt = now();
      state.autoCancelAt = null;
      for (const line of open) {
        const duplicateOf = duplicates.find((d) => d.lineNo === line.lineNo)?.duplicateOf ?? null;
        const facts = { duplicateOf, manualHandling: line.availability?.outcome === 'timeout', duplicateKey: keys.find((k) => k.lineNo === line.lineNo)!.key };
        const number = orderLineNumber(state.number, line.lineNo);
        const spec = {
          kind: state.kind,
          orderType: state.orderType,
          productCode: state.productCode!,
          productName: cmd.productName,
          productFamily: cmd.productFamily,
          speedMbps: state.speedMbps,
          equipment: state.equipment,
          requestedDate: state.requestedDate!,
          contact: state.contact,
          references: state.references,
          line: { ...line, status: duplicateOf ? ('Duplicate' as const) : ('Committed' as const) },
        };
        const lineInput: LineStartInput = {
          caseId: caseIdOf('order_line', number),
          number,
          orderNumber: state.number,
          orderCaseId: state.caseId,
          lineNo: line.lineNo,
          companyId: state.companyId,
          actor: cmd.actor,
          createdAt: state.submittedAt,
          spec,
          revision: state.revision,
          ...facts,
        };
        line.status = spec.line.status; // before the line can report its own changes
        if (!state.startedLines.includes(line.lineNo)) {
          // the line's first read-model row before the call returns (read-your-writes); the line
          // workflow starts from the same state, so its first projection is the same version
          const lineProjection = toLineProjection(newOrderLine(lineInput));
          await projectCase(lineProjection);
          await startChild<typeof orderLineWorkflow>('orderLineWorkflow', {
            workflowId: lineInput.caseId,
            args: [lineInput],
            parentClosePolicy: ParentClosePolicy.ABANDON,
            typedSearchAttributes: caseSearchAttributes(lineProjection),
          });
          state.startedLines.push(line.lineNo);
        } else {
          await getExternalWorkflowHandle(lineInput.caseId).signal(lineResubmitSignal, { actor: cmd.actor, spec, revision: state.revision, ...facts });
        }
      }
      record(cmd.actor, 'submit', state.revision > 1 ? `submitted again (revision ${state.revision})` : undefined);
      await publish();
      return ackOf(state);
    },
  );

  // ---- cancel: the draft for free; a submitted order's lines each with the charge the user accepted (C-3) ----
  setSerialUpdate(
    lock,
    orderUpdates.cancel,
    (cmd) => decide('cancel', { withFees: cmd.fees !== undefined }),
    async (cmd): Promise<OrderActionAck> => {
      const reason = cmd.reason ?? 'Cancelled by the customer';
      if (state.phase === 'draft') {
        await cancelBookings();
        state.phase = 'cancelled';
        state.cancellation = { by: cmd.actor.username, at: now(), reason, feeOre: 0 };
        const reopened = state.lines.filter((l) => state.startedLines.includes(l.lineNo) && !TERMINAL_LINE_STATUSES.includes(l.status));
        for (const line of state.lines) if (!TERMINAL_LINE_STATUSES.includes(line.status)) line.status = 'Cancelled';
        record(cmd.actor, 'cancel', reason);
        // the lines of a reopened order are New: only the order acts on them, a signal is enough
        for (const line of reopened) await getExternalWorkflowHandle(lineCaseId(line.lineNo)).signal(lineCancelReopenedSignal, { actor: cmd.actor, reason });
        await publish();
        return { ...ackOf(state), lines: reopened.map((l) => ({ lineNo: l.lineNo, ok: true, status: 'Cancelled' })) };
      }
      // submitted: each line's own validator decides on its charge (C-3) under its lock
      const fees = (cmd.fees ?? []).filter((f) => state.startedLines.includes(f.lineNo));
      const outcomes = await lineDriver.driveLines({
        update: 'cancel',
        lines: fees.map((f) => ({
          lineNo: f.lineNo,
          caseId: lineCaseId(f.lineNo),
          input: { actor: cmd.actor, fee: { feeOre: f.feeOre, atStatus: f.atStatus }, ...(cmd.reason ? { comment: cmd.reason } : {}) },
        })),
      });
      return settle(
        'cancel',
        cmd.actor,
        outcomes,
        (o) => {
          const line = lineOf(o.lineNo);
          if (line) line.status = 'Cancelled';
        },
        `${reason}; charge ${(fees.filter((f) => outcomes.some((o) => o.ok && o.lineNo === f.lineNo)).reduce((t, f) => t + f.feeOre, 0) / 100).toFixed(2)} NOK (C-3)`,
      );
    },
  );

  // ---- C-1: Reopen: every submitted line back to New, or none ----
  setSerialUpdate(
    lock,
    orderUpdates.reopen,
    (_cmd) => decide('reopen'),
    async (cmd): Promise<OrderActionAck> => {
      const targets = state.lines.filter((l) => state.startedLines.includes(l.lineNo) && !TERMINAL_LINE_STATUSES.includes(l.status));
      const drive = (update: 'reopen' | 'undoReopen', lines: typeof targets) =>
        lineDriver.driveLines({
          update,
          lines: lines.map((l) => ({ lineNo: l.lineNo, caseId: lineCaseId(l.lineNo), input: { actor: cmd.actor } })),
        });
      const outcomes = await drive('reopen', targets);
      const refused = outcomes.find((o) => !o.ok);
      if (refused) {
        // a line has reached Field Service meanwhile: the order is not reopened, the lines reopened so far go back
        await drive(
          'undoReopen',
          targets.filter((l) => outcomes.some((o) => o.ok && o.lineNo === l.lineNo)),
        );
        throw refusalFailure(
          notAllowedRefusal({
            status: state.status,
            action: 'reopen',
            allowedActions: [],
            rule: 'C-1',
            message: `Reopen is not available: line ${refused.lineNo} is ${refused.status}. Send a service request (area Delivery) for the change (C-2, C-5)`,
          }),
        );
      }
      state.phase = 'draft';
      for (const line of targets) line.status = 'New';
      record(cmd.actor, 'reopen');
      await publish();
      return { ...ackOf(state), lines: outcomes };
    },
  );

  // ---- O-9: a handler's step on many lines of a Project order; each line's validator judges it ----
  setSerialUpdate(
    lock,
    orderUpdates.bulk,
    (cmd) => decide('bulk', { bulkLines: cmd.lineNos }),
    async (cmd): Promise<OrderActionAck> => {
      const chosen = (cmd.lineNos ?? state.startedLines).slice().sort((a, b) => a - b);
      // the line Updates' IDs come from this Update's: a retried activity joins them, never steps a line twice
      const updateId = currentUpdateInfo()?.id ?? `${workflowInfo().workflowId}:${state.version}`;
      const target = (lineNo: number) => ({ lineNo, caseId: lineCaseId(lineNo), updateId: `${updateId}:line-${lineNo}` });
      const outcomes =
        cmd.action === 'advance'
          ? await lineDriver.stepLines({
              update: 'advance',
              lines: chosen.map((n) => ({
                ...target(n),
                input: {
                  actor: cmd.actor,
                  ...(cmd.to ? { step: cmd.to } : {}),
                  ...(cmd.installationDate ? { installationDate: cmd.installationDate } : {}),
                  ...(cmd.reason ? { comment: cmd.reason } : {}),
                },
              })),
            })
          : await lineDriver.stepLines({
              update: 'changeDates',
              lines: chosen.map((n) => ({ ...target(n), input: { actor: cmd.actor, ...(cmd.agreedDate ? { agreedDate: cmd.agreedDate } : {}), reason: cmd.reason ?? '' } })),
            });
      const summary = outcomes.map((o) => `line ${o.lineNo} ${o.ok ? o.status : `refused (${o.status})`}`).join(', ');
      record(cmd.actor, `bulk.${cmd.action}`, cmd.action === 'advance' ? `${cmd.to ?? ''}: ${summary}` : `Agreed Date ${cmd.agreedDate ?? ''}: ${summary}`);
      await publish();
      return { ...ackOf(state), lines: outcomes };
    },
  );

  /** A whole-order action the lines answered one by one: refused by all, it is refused; else recorded with each outcome. */
  async function settle(action: string, actor: Actor, outcomes: LineOutcome[], apply: (o: LineOutcome) => void, text: string): Promise<OrderActionAck> {
    const done = outcomes.filter((o) => o.ok);
    if (done.length === 0) {
      const r = outcomes.find((o) => o.refusal)?.refusal;
      throw refusalFailure(notAllowedRefusal(r ?? { status: state.status, action, allowedActions: [], rule: 'C-3', message: `no line of ${state.number} can be cancelled` }));
    }
    done.forEach(apply);
    record(
      actor,
      action,
      done.length < outcomes.length
        ? `${text}; not cancelled: ${outcomes
            .filter((o) => !o.ok)
            .map((o) => `line ${o.lineNo} (${o.status})`)
            .join(', ')}`
        : text,
    );
    await publish();
    return { ...ackOf(state), lines: outcomes };
  }

  // ---- lines report their changes (O-16) ----
  setHandler(lineChangedSignal, (s: LineChanged) =>
    lock(async () => {
      const line = lineOf(s.lineNo);
      if (!line || (seenLineVersions.get(s.lineNo) ?? 0) >= s.version) return; // a late, older report
      seenLineVersions.set(s.lineNo, s.version);
      // a reopened order's lines are New until it is submitted again; a late report of the old run does not change that
      line.status = state.phase === 'draft' && s.status !== 'Cancelled' ? line.status : s.status;
      line.booking = s.booking;
      // O-17: what a Customer Update changed on the line (an older report carries neither)
      if (state.phase !== 'draft') {
        if (s.endUser !== undefined) line.endUser = s.endUser;
        if (s.address !== undefined) line.address = s.address;
      }
      touch(s.by);
      await publish();
    }),
  );

  async function cancelBookings(): Promise<void> {
    for (const line of state.lines) {
      if (!line.booking) continue;
      try {
        await appointmentSystem().cancelAppointment({ bookingId: line.booking.bookingId });
      } catch (err) {
        throw upstreamFailure(err);
      }
      line.booking = null;
    }
  }

  await lock(publish);

  for (;;) {
    if (state.phase === 'cancelled') break;
    if (state.phase === 'submitted' && state.lines.every((l) => TERMINAL_LINE_STATUSES.includes(l.status))) break;
    if (longHistory()) {
      // a long life (Project orders, Reopen cycles): hand the state to a fresh run once no handler is mid-way
      await condition(allHandlersFinished);
      await continueAsNew<typeof orderWorkflow>({
        ...input,
        resume: { state, seenLineVersions: [...seenLineVersions], runs: (input.resume?.runs ?? 1) + 1 },
      });
    }
    const seen = changes;
    if (state.phase === 'draft' && state.revision === 0) {
      // O-20: a draft never submitted is cancelled 14 days after it was started
      const submitted = await condition(() => state.phase !== 'draft' || longHistory(), Math.max(1, autoCancelDeadline.getTime() - Date.now()));
      if (!submitted) {
        await lock(async () => {
          if (state.phase !== 'draft' || state.revision !== 0) return;
          try {
            await cancelBookings();
          } catch {
            // the appointment system keeps the slot; customer service frees it (logged in the activity)
          }
          state.phase = 'cancelled';
          const text = 'Cancelled automatically: still New 14 days after it was started (O-20)';
          state.cancellation = { by: SYSTEM_ACTOR.username, at: now(), reason: text, feeOre: 0 };
          for (const line of state.lines) line.status = 'Cancelled';
          record(SYSTEM_ACTOR, 'autoCancel', text);
          await publish();
        });
      }
    } else {
      await condition(() => changes !== seen);
    }
  }
  await condition(allHandlersFinished);
  return state;
}
