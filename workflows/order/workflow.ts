// One order (header) = one workflow (rules O-9, O-12, O-16, O-20, C-1, C-3). It holds the draft
// while New, cancels a never-submitted draft after 14 days (O-20), and at submit starts one
// order-line workflow per line (`order-line:ORD-000042:1`). Lines report every change back
// (lineChanged), and the header status is their O-16 summary. It ends when every line is done.
import {
  allHandlersFinished, condition, getExternalWorkflowHandle, ParentClosePolicy, proxyActivities, setHandler, startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { OrderActivities } from '../../activities/orders';
import type { ActivityEntry } from '../../domain/case';
import { caseId as caseIdOf } from '../../domain/case';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import {
  orderLineNumber, orderSummaryStatus, PROJECT_MAX_LINES, reopenDecision, TERMINAL_LINE_STATUSES,
} from '../../domain/order';
import type { DraftLine } from '../../domain/order-validation';
import { deadlineAfter } from '../../domain/time';
import { type FieldProblem, invalidInput, notAllowed } from '../refusals';
import { CASE_STATUS, caseSearchAttributes } from '../search-attributes';
import type { orderLineWorkflow } from './line-workflow';
import {
  type LineChanged, lineCancelReopenedSignal, lineChangedSignal, type LineStartInput, lineReopenSignal, lineResubmitSignal,
  type OrderStartInput, orderUpdates, type OrderView, orderViewQuery,
} from './messages';
import { newOrder, newOrderLine, toLineProjection, toOrderProjection } from './projection';
import { upstreamFailure } from './upstream';
import { projectCase } from '../publish';

// The user waits for a booking: a few quick attempts; a rejection (full slot, …) is final.
const appointments = proxyActivities<OrderActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '300 ms', maximumAttempts: 3, nonRetryableErrorTypes: ['AdapterRejectedError'] },
});

/** A hard cap on the draft's size; the O-9 limit of 50 is reported by validation. */
const MAX_DRAFT_LINES = 60;

export async function orderWorkflow(input: OrderStartInput): Promise<OrderView> {
  const now = () => new Date().toISOString();
  const state: OrderView = newOrder(input);
  const autoCancelDeadline = deadlineAfter(new Date(input.createdAt), input.timing.autoCancelAfter);
  const seenLineVersions = new Map<number, number>();
  let changes = 0;

  const recompute = () => {
    state.status = state.phase === 'draft' ? 'New' : state.phase === 'cancelled' ? 'Cancelled' : orderSummaryStatus(state.lines.map((l) => l.status));
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
  const refuse = (action: string, message: string, rule: string) =>
    notAllowed({ status: state.status, action, allowedActions: [], rule, message });
  const requireDraft = (action: string) => {
    if (state.phase !== 'draft') throw refuse(action, `'${action}' needs the order in New: ${state.number} is ${state.status}${state.phase === 'submitted' ? ' (Reopen it first, C-1)' : ''}`, state.phase === 'submitted' ? 'C-1' : 'O-14');
  };
  const requireLine = (action: string, lineNo: number): DraftLine => {
    const line = lineOf(lineNo);
    if (!line) throw invalidInput([{ field: 'lineNo', rule: 'O-9', message: `${state.number} has no line ${lineNo}` }]);
    if (TERMINAL_LINE_STATUSES.includes(line.status)) throw refuse(action, `line ${lineNo} is ${line.status}`, 'O-15');
    return line;
  };
  const bookingKey = (lineNo: number, what: string) => `${state.caseId}:${lineNo}:${what}:${state.version}`;

  setHandler(orderViewQuery, () => state);

  // ---- the draft (G-2: saved unfinished; validation is the API's, before submit) ----
  setHandler(orderUpdates.update, async (cmd) => {
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
    for (const n of cmd.removeLines ?? []) {
      const line = lineOf(n)!;
      if (state.startedLines.includes(n)) {
        // a submitted line of a reopened order is not forgotten: it is cancelled, free while New (C-3)
        await getExternalWorkflowHandle(caseIdOf('order_line', orderLineNumber(state.number, n))).signal(lineCancelReopenedSignal, { actor: cmd.actor, reason: 'Removed from the order while reopened' });
        line.status = 'Cancelled';
      }
    }
    state.lines = state.lines.filter((l) => !(cmd.removeLines ?? []).includes(l.lineNo) || state.startedLines.includes(l.lineNo));
    for (const a of cmd.addLines ?? []) {
      const lineNo = Math.max(0, ...state.lines.map((l) => l.lineNo), ...state.startedLines) + 1;
      state.lines.push({
        lineNo, endUser: a.endUser ?? null, address: a.address ?? null, addressB: a.addressB ?? null, attachments: a.attachments ?? [],
        lookup: null, availability: null, booking: null, quoteLine: null, price: null, status: 'New',
      });
    }
    if (productChanged) for (const l of state.lines) l.availability = null; // the colour depends on the product (O-10)
    record(cmd.actor, 'update');
    await publish();
    return state;
  }, {
    validator: (cmd) => {
      requireDraft('update');
      const problems: FieldProblem[] = [];
      for (const u of cmd.updateLines ?? []) {
        const line = lineOf(u.lineNo);
        if (!line) problems.push({ field: `lines.${u.lineNo}`, rule: 'O-9', message: `no line ${u.lineNo}` });
        else if (TERMINAL_LINE_STATUSES.includes(line.status)) throw refuse('update', `line ${u.lineNo} is ${line.status} and cannot be changed`, 'O-15');
        else if (line.booking && u.address !== undefined && JSON.stringify(u.address) !== JSON.stringify(line.address)) {
          throw refuse('update', `line ${u.lineNo} has a technician booking at its address: cancel the booking before changing the address (O-12)`, 'O-12');
        }
      }
      for (const n of cmd.removeLines ?? []) {
        if (!lineOf(n)) problems.push({ field: `removeLines`, rule: 'O-9', message: `no line ${n}` });
        else if (TERMINAL_LINE_STATUSES.includes(lineOf(n)!.status)) throw refuse('update', `line ${n} is ${lineOf(n)!.status}`, 'O-15');
        else if (lineOf(n)?.booking) throw refuse('update', `line ${n} has a technician booking: cancel it first (O-12)`, 'O-12');
      }
      const count = state.lines.length - (cmd.removeLines ?? []).length + (cmd.addLines ?? []).length;
      if (count > MAX_DRAFT_LINES) problems.push({ field: 'lines', rule: 'O-9', message: `at most ${PROJECT_MAX_LINES} lines on an order` });
      if (problems.length > 0) throw invalidInput(problems);
    },
  });

  // ---- O-4: look-up by line number, confirmed by the user ----
  setHandler(orderUpdates.recordLookup, async (cmd) => {
    lineOf(cmd.lineNo)!.lookup = { ...cmd.lookup, confirmed: false };
    record(cmd.actor, 'lookup', `${cmd.lookup.number}: ${cmd.lookup.endUser.name}, ${cmd.lookup.address.label}`);
    await publish();
    return state;
  }, { validator: (cmd) => { requireDraft('lookup'); requireLine('lookup', cmd.lineNo); } });

  setHandler(orderUpdates.confirmLookup, async (cmd) => {
    const line = lineOf(cmd.lineNo)!;
    const found = line.lookup!;
    line.endUser = found.endUser;
    if (line.address?.addressId !== found.address.addressId) line.availability = null;
    line.address = { addressId: found.address.addressId, label: found.address.label, existingNumber: found.number };
    line.lookup = { ...found, confirmed: true };
    record(cmd.actor, 'confirmLookup', found.number);
    await publish();
    return state;
  }, {
    validator: (cmd) => {
      requireDraft('confirmLookup');
      const line = requireLine('confirmLookup', cmd.lineNo);
      if (!line.lookup) throw refuse('confirmLookup', `line ${cmd.lineNo} has no look-up to confirm`, 'O-4');
      if (line.booking) throw refuse('confirmLookup', `line ${cmd.lineNo} has a technician booking: cancel it before changing the address (O-12)`, 'O-12');
    },
  });

  // ---- O-10 / O-11: availability ----
  setHandler(orderUpdates.recordAvailability, async (cmd) => {
    const only = cmd.result.candidates.length === 1 ? cmd.result.candidates[0]!.lineId : null;
    lineOf(cmd.lineNo)!.availability = { ...cmd.result, selectedLineId: cmd.result.selectedLineId ?? only };
    const text = cmd.result.outcome === 'timeout'
      ? `no answer after ${cmd.result.attempts} attempts: may be submitted without booking, manual handling (O-11)`
      : cmd.result.candidates.map((c) => `${c.lineId} ${c.colour}`).join(', ');
    record(cmd.actor, 'availability', text);
    await publish();
    return state;
  }, { validator: (cmd) => { requireDraft('availability'); requireLine('availability', cmd.lineNo); } });

  setHandler(orderUpdates.selectAvailability, async (cmd) => {
    const a = lineOf(cmd.lineNo)!.availability!;
    a.selectedLineId = cmd.lineId;
    record(cmd.actor, 'selectLine', cmd.lineId);
    await publish();
    return state;
  }, {
    validator: (cmd) => {
      requireDraft('selectLine');
      const line = requireLine('selectLine', cmd.lineNo);
      if (!line.availability?.candidates.some((c) => c.lineId === cmd.lineId)) {
        throw invalidInput([{ field: 'lineId', rule: 'O-10', message: `${cmd.lineId} is not among the lines the check found` }]);
      }
    },
  });

  // ---- O-12: technician booking while New (after submit the line holds it) ----
  setHandler(orderUpdates.book, async (cmd) => {
    const line = lineOf(cmd.lineNo)!;
    try {
      const b = await appointments.bookAppointment({ slotId: cmd.slot.slotId, reference: orderLineNumber(state.number, cmd.lineNo), idempotencyKey: bookingKey(cmd.lineNo, 'book') });
      line.booking = { bookingId: b.bookingId, slotId: b.slot.slotId, date: b.slot.date, window: b.slot.window, area: b.slot.area };
    } catch (err) {
      throw upstreamFailure(err);
    }
    state.requestedDate = line.booking.date; // O-12: a verified booking is the confirmed delivery date
    record(cmd.actor, 'book', `${line.booking.date} ${line.booking.window} (${line.booking.bookingId})`);
    await publish();
    return state;
  }, {
    validator: (cmd) => {
      requireDraft('book');
      const line = requireLine('book', cmd.lineNo);
      if (state.orderType === 'Project') throw refuse('book', 'no technician booking on a Project order (O-9)', 'O-9');
      if (line.booking) throw refuse('book', `line ${cmd.lineNo} is already booked for ${line.booking.date}: reschedule it`, 'O-12');
      const a = line.availability;
      const chosen = a?.candidates.find((c) => c.lineId === a.selectedLineId);
      if (!a || a.outcome === 'timeout' || !chosen || chosen.colour === 'red' || (chosen.colour === 'yellow' && chosen.yellowKind === 'system_error')) {
        const why = !a ? 'run the availability check first' : a.outcome === 'timeout' ? 'the check timed out (O-11): no technician can be booked'
          : !chosen ? 'pick the line at the customer\'s address first' : `the check answered ${chosen.colour}${chosen.yellowKind ? ` (${chosen.yellowKind})` : ''}: no technician can be booked`;
        throw refuse('book', `${why} (O-10, O-12)`, 'O-12');
      }
    },
  });

  setHandler(orderUpdates.reschedule, async (cmd) => {
    const line = lineOf(cmd.lineNo)!;
    try {
      const b = await appointments.rescheduleAppointment({ bookingId: line.booking!.bookingId, slotId: cmd.slot.slotId, idempotencyKey: bookingKey(cmd.lineNo, 'reschedule') });
      line.booking = { bookingId: b.bookingId, slotId: b.slot.slotId, date: b.slot.date, window: b.slot.window, area: b.slot.area };
    } catch (err) {
      throw upstreamFailure(err);
    }
    state.requestedDate = line.booking.date;
    record(cmd.actor, 'reschedule', `${line.booking.date} ${line.booking.window}`);
    await publish();
    return state;
  }, {
    validator: (cmd) => {
      requireDraft('reschedule');
      if (!requireLine('reschedule', cmd.lineNo).booking) throw refuse('reschedule', `line ${cmd.lineNo} has no booking`, 'O-12');
    },
  });

  setHandler(orderUpdates.cancelBooking, async (cmd) => {
    const line = lineOf(cmd.lineNo)!;
    try {
      await appointments.cancelAppointment({ bookingId: line.booking!.bookingId });
    } catch (err) {
      throw upstreamFailure(err);
    }
    record(cmd.actor, 'cancelBooking', line.booking!.bookingId);
    line.booking = null;
    await publish();
    return state;
  }, {
    validator: (cmd) => {
      requireDraft('cancelBooking');
      if (!requireLine('cancelBooking', cmd.lineNo).booking) throw refuse('cancelBooking', `line ${cmd.lineNo} has no booking`, 'O-12');
    },
  });

  // ---- submit: one line workflow per line (first time), or the changed line (after Reopen) ----
  setHandler(orderUpdates.submit, async (cmd) => {
    state.phase = 'submitted';
    state.revision++;
    state.submittedAt = now();
    state.autoCancelAt = null;
    for (const line of state.lines) {
      if (TERMINAL_LINE_STATUSES.includes(line.status)) continue;
      const facts = cmd.lines.find((f) => f.lineNo === line.lineNo)!;
      const number = orderLineNumber(state.number, line.lineNo);
      const spec = {
        kind: state.kind, orderType: state.orderType, productCode: state.productCode!, productName: cmd.productName, productFamily: cmd.productFamily,
        speedMbps: state.speedMbps, equipment: state.equipment, requestedDate: state.requestedDate!, contact: state.contact, references: state.references,
        line: { ...line, status: facts.duplicateOf ? 'Duplicate' as const : 'Committed' as const },
      };
      const lineInput: LineStartInput = {
        caseId: caseIdOf('order_line', number), number, orderNumber: state.number, orderCaseId: state.caseId, lineNo: line.lineNo,
        companyId: state.companyId, actor: cmd.actor, createdAt: state.submittedAt, spec, revision: state.revision,
        duplicateOf: facts.duplicateOf, manualHandling: facts.manualHandling, duplicateKey: facts.duplicateKey,
      };
      line.status = spec.line.status; // before the line can report its own changes
      if (!state.startedLines.includes(line.lineNo)) {
        // the line's first read-model row before the call returns (read-your-writes); the line
        // workflow starts from the same state, so its first projection is the same version
        const lineProjection = toLineProjection(newOrderLine(lineInput));
        await projectCase(lineProjection);
        await startChild<typeof orderLineWorkflow>('orderLineWorkflow', {
          workflowId: lineInput.caseId, args: [lineInput], parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: caseSearchAttributes(lineProjection),
        });
        state.startedLines.push(line.lineNo);
      } else {
        await getExternalWorkflowHandle(lineInput.caseId).signal(lineResubmitSignal, {
          actor: cmd.actor, spec, revision: state.revision, duplicateOf: facts.duplicateOf, manualHandling: facts.manualHandling, duplicateKey: facts.duplicateKey,
        });
      }
    }
    record(cmd.actor, 'submit', state.revision > 1 ? `submitted again (revision ${state.revision})` : undefined);
    await publish();
    return state;
  }, {
    validator: (cmd) => {
      requireDraft('submit');
      if (!state.productCode || !state.requestedDate || state.lines.length === 0) {
        throw invalidInput([{ field: 'draft', rule: 'G-1', message: 'the order is not complete: validate it first' }]);
      }
      const missing = state.lines.filter((l) => !TERMINAL_LINE_STATUSES.includes(l.status) && !cmd.lines.some((f: { lineNo: number }) => f.lineNo === l.lineNo));
      if (missing.length > 0) throw invalidInput([{ field: 'lines', rule: 'G-1', message: `lines ${missing.map((l) => l.lineNo).join(', ')} were not checked` }]);
    },
  });

  // ---- cancel while New (after submit, lines are cancelled one by one with their fee, C-3) ----
  setHandler(orderUpdates.cancel, async (cmd) => {
    await cancelBookings();
    state.phase = 'cancelled';
    const reason = cmd.reason ?? 'Cancelled by the customer';
    state.cancellation = { by: cmd.actor.username, at: now(), reason, feeOre: 0 };
    for (const line of state.lines) {
      if (state.startedLines.includes(line.lineNo) && !TERMINAL_LINE_STATUSES.includes(line.status)) {
        await getExternalWorkflowHandle(caseIdOf('order_line', orderLineNumber(state.number, line.lineNo))).signal(lineCancelReopenedSignal, { actor: cmd.actor, reason });
      }
      if (!TERMINAL_LINE_STATUSES.includes(line.status)) line.status = 'Cancelled';
    }
    record(cmd.actor, 'cancel', reason);
    await publish();
    return state;
  }, { validator: (_cmd) => requireDraft('cancel') });

  // ---- C-1: Reopen ----
  setHandler(orderUpdates.reopen, async (cmd) => {
    state.phase = 'draft';
    for (const line of state.lines) {
      if (TERMINAL_LINE_STATUSES.includes(line.status) || !state.startedLines.includes(line.lineNo)) continue;
      await getExternalWorkflowHandle(caseIdOf('order_line', orderLineNumber(state.number, line.lineNo))).signal(lineReopenSignal, { actor: cmd.actor });
      line.status = 'New';
    }
    record(cmd.actor, 'reopen');
    await publish();
    return state;
  }, {
    validator: (_cmd) => {
      const d = reopenDecision(state.phase, state.lines.map((l) => l.status));
      if (!d.allowed) {
        throw notAllowed({
          status: state.status, action: 'reopen', allowedActions: [], rule: 'C-1',
          message: `Reopen is not available: ${d.reason}. Send a service request (area Delivery) for the change (C-2, C-5)`,
        });
      }
    },
  });

  // ---- lines report their changes (O-16) ----
  setHandler(lineChangedSignal, async (s: LineChanged) => {
    const line = lineOf(s.lineNo);
    if (!line || (seenLineVersions.get(s.lineNo) ?? 0) >= s.version) return; // a late, older report
    seenLineVersions.set(s.lineNo, s.version);
    line.status = s.status;
    line.booking = s.booking;
    touch(s.by);
    await publish();
  });

  async function cancelBookings(): Promise<void> {
    for (const line of state.lines) {
      if (!line.booking) continue;
      try {
        await appointments.cancelAppointment({ bookingId: line.booking.bookingId });
      } catch (err) {
        throw upstreamFailure(err);
      }
      line.booking = null;
    }
  }

  await publish();

  for (;;) {
    if (state.phase === 'cancelled') break;
    if (state.phase === 'submitted' && state.lines.every((l) => TERMINAL_LINE_STATUSES.includes(l.status))) break;
    const seen = changes;
    if (state.phase === 'draft' && state.revision === 0) {
      // O-20: a draft never submitted is cancelled 14 days after it was started
      const submitted = await condition(() => state.phase !== 'draft', Math.max(1, autoCancelDeadline.getTime() - Date.now()));
      if (!submitted && state.phase === 'draft') {
        await condition(allHandlersFinished);
        if (state.phase !== 'draft') continue;
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
      }
    } else {
      await condition(() => changes !== seen);
    }
  }
  await condition(allHandlersFinished);
  return state;
}
