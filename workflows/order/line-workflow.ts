// One order line = one workflow (rules O-12, O-14, O-15, O-17, O-19, C-1, C-3, C-6). After submit
// it registers the line in the order system (Committed → Registered; retried while the system is
// down, idempotent per workflow ID so it is never registered twice), then follows the handler's
// steps O → D → R → M → T → L → F → Closed. It tells its order about every change (O-16).
// The kind field lets switch-ISP, product swap and termination lines reuse it (C-6).
import { allHandlersFinished, CancellationScope, condition, isCancellation, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { OrderActivities } from '../../activities/orders';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import { type LineAction, type LineStatus, nextLineStatus, TERMINAL_LINE_STATUSES } from '../../domain/order';
import { decideLineAction, decideLineReopen } from '../../domain/order-decisions';
import { notAllowedRefusal } from '../../domain/refusal';
import { osloDate } from '../../domain/time';
import { refuseIf } from '../refusals';
import { ackOf } from '../kit/ack';
import { caseLock, setSerialUpdate } from '../kit/serial';
import { type LineActionInput, lineCancelReopenedSignal, lineOrderUpdates, lineResubmitSignal, type LineStartInput, lineUpdates, type LineView, lineViewQuery } from './messages';
import { deliveredProduct, newOrderLine, toLineProjection } from './projection';
import { portfolioChangeOf } from '../../domain/modify-order';
import type { PortfolioActivities } from '../../activities/portfolio';
import { adapterRejection, refusalAsRejection, upstreamFailure } from './upstream';
import { publishLineChange } from '../publish';
import { recordAction } from '../activity-log';
import { assignLineNumber, holdLineNumber } from './numbers';
import { getsNumberFromNumbering } from '../../domain/numbers';
import { setAssignmentUpdate } from '../kit/assignment';
import { setLineHandlerUpdates } from './line-handler-tools';

// The order system may be down for a while: retry until it answers (never lost); a rejection is final.
const orderSystem = proxyActivities<OrderActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', nonRetryableErrorTypes: ['AdapterRejectedError'] },
});

/** M-1: a Finished line joins the company's portfolio (idempotent per line). */
const portfolio = proxyActivities<PortfolioActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds' },
});

/** M-1, O-13: a Finished change order changes its portfolio entry; a product that ended meanwhile is a final "no". */
const portfolioChange = proxyActivities<PortfolioActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', nonRetryableErrorTypes: ['PortfolioConflictError'] },
});

const appointments = proxyActivities<OrderActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '300 ms', maximumAttempts: 3, nonRetryableErrorTypes: ['AdapterRejectedError'] },
});

export async function orderLineWorkflow(input: LineStartInput): Promise<LineView> {
  const now = () => new Date().toISOString();
  const state: LineView = newOrderLine(input);
  let changes = 0;
  // every Update, the order's signals and the registration's result change the line one at a time,
  // each judged again on the state it is about to change (two racing actions: one wins, as serially)
  const lock = caseLock();

  const record = (actor: Actor, action: string, to: LineStatus, text?: string) => {
    recordAction(state, actor, action, to, text);
    changes++;
  };

  const publish = async () => {
    await publishLineChange({
      projection: toLineProjection(state),
      orderCaseId: input.orderCaseId,
      change: {
        lineNo: state.lineNo,
        status: state.status,
        version: state.version,
        booking: state.line.booking,
        revision: state.revision,
        by: state.updatedBy,
        endUser: state.line.endUser,
        address: state.line.address,
      },
    });
  };

  async function apply(action: LineAction, cmd: LineActionInput): Promise<void> {
    const to = nextLineStatus(state.status, action, cmd.step);
    if (cmd.statusDescription !== undefined) state.statusDescription = cmd.statusDescription;
    if (cmd.comment !== undefined) state.comment = cmd.comment;
    let text = cmd.comment ?? cmd.statusDescription;
    switch (action) {
      case 'advance':
        if (to === 'Field Service') {
          state.installationDate = cmd.installationDate ?? null;
          text = `installation ${state.installationDate}${cmd.comment ? `: ${cmd.comment}` : ''}`;
        }
        if (to === 'Finished') {
          // M-1, O-12: a new PSTN/ISDN line enters the portfolio under its phone number, assigned now
          if (!state.line.modification && getsNumberFromNumbering(state.productFamily) && patched('pstn-isdn-number-at-finished')) {
            await assignLineNumber(state);
            text = [text, `number ${state.line.numberReservation?.number} assigned`].filter(Boolean).join('; ');
          }
          const today = osloDate(new Date());
          const change = portfolioChangeOf(state, today);
          if (change) await applyPortfolioChange(change);
          else {
            const product = deliveredProduct(state, today);
            if (product) await portfolio.addDeliveredProduct(product);
          }
        }
        break;
      case 'customerUpdate': {
        const c = cmd.changes ?? {};
        if (c.endUser) state.line.endUser = c.endUser;
        if (c.address) state.line.address = c.address;
        if (c.contact) state.contact = c.contact;
        if (c.references) state.references = c.references;
        if (c.equipment !== undefined) state.equipment = c.equipment;
        if (c.requestedDate) state.requestedDate = c.requestedDate;
        break;
      }
      case 'cancel':
      case 'cancelByOperator': {
        await cancelBooking();
        const reason = cmd.comment ?? (action === 'cancel' ? 'Cancelled by the customer' : 'Cancelled by the wholesaler');
        state.cancellation = {
          by: cmd.actor.username,
          at: now(),
          atStatus: state.status,
          feeOre: action === 'cancel' ? (cmd.fee?.feeOre ?? 0) : 0,
          reason,
          byWholesaler: action === 'cancelByOperator',
        };
        if (action === 'cancel') text = `${reason}; charge ${((cmd.fee?.feeOre ?? 0) / 100).toFixed(2)} NOK (C-3)`;
        break;
      }
      case 'reschedule': {
        const slot = cmd.slot!;
        try {
          const b = await appointments.rescheduleAppointment({ bookingId: state.line.booking!.bookingId, slotId: slot.slotId, idempotencyKey: `${state.caseId}:reschedule:${state.version}` });
          state.line.booking = { bookingId: b.bookingId, slotId: b.slot.slotId, date: b.slot.date, window: b.slot.window, area: b.slot.area };
        } catch (err) {
          throw upstreamFailure(err);
        }
        state.requestedDate = state.line.booking.date; // O-12: the booking is the delivery date
        text = `${state.line.booking.date} ${state.line.booking.window}`;
        break;
      }
      case 'cancelBooking':
        text = state.line.booking?.bookingId;
        await cancelBooking();
        break;
      case 'completeManualHandling':
        // O-11: availability checked by hand: the line is registered now (the main loop registers it)
        state.manualHandlingDoneBy = cmd.actor.username;
        state.statusDescription = `Manual handling done by ${cmd.actor.username}: registering (O-11)`;
        break;
      default:
        break;
    }
    record(cmd.actor, action, to, text);
  }

  /** M-1: a change order's line ends its product's entry and opens the successor (idempotent per line). */
  async function applyPortfolioChange(change: NonNullable<ReturnType<typeof portfolioChangeOf>>): Promise<void> {
    try {
      await portfolioChange.applyModification(change);
    } catch (err) {
      // a conflict fails the Update with a business "no" (422); the line stays in Delivery for the handler to resolve
      throw refusalAsRejection(err, 'PortfolioConflictError');
    }
  }

  async function cancelBooking(): Promise<void> {
    const booking = state.line.booking;
    if (!booking) return;
    try {
      await appointments.cancelAppointment({ bookingId: booking.bookingId });
    } catch (err) {
      throw upstreamFailure(err);
    }
    state.line.booking = null;
  }

  for (const action of Object.keys(lineUpdates) as LineAction[]) {
    setSerialUpdate(
      lock,
      lineUpdates[action],
      (cmd: LineActionInput) => refuseIf(decideLineAction(state, action, cmd)),
      async (cmd: LineActionInput) => {
        await apply(action, cmd);
        await publish();
        return ackOf(state);
      },
    );
  }
  setHandler(lineViewQuery, () => state);
  // A-2, C-5, O-19: the handler's tools (new Update handlers; old histories replay unchanged)
  setAssignmentUpdate(lock, {
    view: () => state,
    assignee: () => state.assignee ?? null,
    setAssignee: (u) => {
      state.assignee = u;
    },
    record: (actor, action, text) => record(actor, action, state.status, text),
    publish,
  });
  setLineHandlerUpdates(lock, state, record, publish);

  // C-1: Reopen from the order puts the line back to New unless it has reached M (the order learns the answer)
  setSerialUpdate(
    lock,
    lineOrderUpdates.reopen,
    (_cmd) => refuseIf(decideLineReopen(state)),
    async ({ actor }) => {
      if (state.status !== 'New') {
        state.reopenedFrom = state.status;
        record(actor, 'reopen', 'New');
        await publish();
      }
      return ackOf(state);
    },
  );
  // C-1: another line of the order refused the Reopen: this one goes back to where it was (whole or not at all)
  setSerialUpdate(
    lock,
    lineOrderUpdates.undoReopen,
    (_cmd) => {
      if (state.status !== 'New' && !state.reopenedFrom) return; // undone already
      if (state.status !== 'New' || !state.reopenedFrom) {
        refuseIf(notAllowedRefusal({ status: state.status, action: 'undoReopen', allowedActions: [], rule: 'C-1', message: `${state.number} was not reopened` }));
      }
    },
    async ({ actor }) => {
      if (state.status === 'New' && state.reopenedFrom) {
        const back = state.reopenedFrom;
        state.reopenedFrom = null;
        record(actor, 'undoReopen', back, 'Reopen undone: another line of the order has reached Field Service (C-1)');
        await publish();
      }
      return ackOf(state);
    },
  );
  setHandler(lineResubmitSignal, (s) =>
    lock(async () => {
      if (state.status !== 'New') return;
      const heldNumber = state.line.numberReservation;
      Object.assign(state, s.spec);
      // O-12: the line holds (or was assigned) its number across a Reopen; the order's draft copy is older
      if (heldNumber && heldNumber.status !== 'reserved') state.line.numberReservation = heldNumber;
      state.revision = s.revision;
      state.reopenedFrom = null;
      state.duplicateOf = s.duplicateOf;
      state.manualHandling = s.manualHandling;
      state.manualHandlingDoneBy = null;
      state.duplicateKey = s.duplicateKey;
      state.customerOrderId = null;
      state.agreedDate = null;
      state.statusDescription = s.duplicateOf ? `Duplicate of ${s.duplicateOf} (O-19)` : null;
      record(s.actor, 'submit', s.duplicateOf ? 'Duplicate' : 'Committed', `submitted again (revision ${s.revision})`);
      await publish();
    }),
  );
  setHandler(lineCancelReopenedSignal, ({ actor, reason }) =>
    lock(async () => {
      if (state.status !== 'New') return;
      state.reopenedFrom = null;
      state.cancellation = { by: actor.username, at: now(), atStatus: 'New', feeOre: 0, reason };
      record(actor, 'cancel', 'Cancelled', reason);
      await publish();
    }),
  );

  // The order wrote this first state to the read model and set the line's status itself before it
  // started the line (submit): reporting it back changed nothing, for a local activity, a signal and
  // a workflow task of the order (issue 16). Histories from before the patch publish it.
  if (!patched('line-start-known-to-order')) await publish();

  // O-12, O-20: submitted in time, the number reserved with the booking no longer lapses
  if (state.line.numberReservation?.status === 'reserved' && patched('number-reservation-held-at-submit')) {
    await lock(async () => {
      const text = await holdLineNumber(state);
      if (!text) return;
      record(SYSTEM_ACTOR, 'holdNumber', state.status, text);
      await publish();
    });
  }

  let registeredRevision = 0;
  while (!TERMINAL_LINE_STATUSES.includes(state.status)) {
    if (state.status === 'Committed' && registeredRevision < state.revision) {
      // O-11: a line whose availability check timed out waits for a handler before it is registered
      // (before the patch it was registered at once with a manual-handling flag)
      if (state.manualHandling && !state.manualHandlingDoneBy && patched('o11-manual-handling-before-registration')) {
        const seen = changes;
        await condition(() => changes !== seen);
        continue;
      }
      await register(state.revision);
      registeredRevision = state.revision;
      continue;
    }
    const seen = changes;
    await condition(() => changes !== seen);
  }
  await condition(allHandlersFinished);
  return state;

  /**
   * O-14: Committed → Registered. While the order system is down the activity retries; if the
   * line leaves Committed meanwhile (a handler takes it, the user cancels or reopens) the
   * attempt is abandoned. The key is the workflow ID (and revision): a retry never registers twice.
   */
  async function register(revision: number): Promise<void> {
    const idempotencyKey = revision === 1 ? state.caseId : `${state.caseId}#r${revision}`;
    const scope = new CancellationScope();
    const attempt = scope.run(() =>
      orderSystem.registerOrderLine({
        idempotencyKey,
        productCode: state.productCode,
        requestedDate: state.line.booking?.date ?? state.requestedDate,
      }),
    );
    const stillCommitted = () => state.status === 'Committed' && state.revision === revision;
    const outcome = await Promise.race([
      attempt.then(
        (r) => ({ ok: r }),
        (e: unknown) => ({ err: e }),
      ),
      condition(() => !stillCommitted()).then(() => ({ left: true })),
    ]);
    if ('left' in outcome) {
      scope.cancel();
      await attempt.catch(() => undefined);
      return;
    }
    if (isCancellation('err' in outcome ? outcome.err : undefined)) return;
    // the result changes the line under its lock, judged on the state then (an Update may have moved it meanwhile)
    await lock(async () => {
      if (!stillCommitted()) return;
      const rejection = 'err' in outcome ? adapterRejection(outcome.err) : undefined;
      if ('ok' in outcome) {
        state.customerOrderId = outcome.ok.customerOrderId;
        state.agreedDate = outcome.ok.agreedDate;
        record(SYSTEM_ACTOR, 'register', 'Registered', `Customer Order Id ${outcome.ok.customerOrderId}, Agreed Date ${outcome.ok.agreedDate}`);
      } else if (rejection) {
        // O-14: rejected automatically when the order system says no
        state.statusDescription = `Rejected by the order system: ${rejection.message}`;
        record(SYSTEM_ACTOR, 'register', 'Rejected', state.statusDescription);
      } else {
        throw outcome.err;
      }
      await publish();
    });
  }
}
