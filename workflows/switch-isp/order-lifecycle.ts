// The life of a switch-ISP or termination order, shared by switchIspOrderWorkflow and
// terminationOrderWorkflow (deck slides 62–72): registered in the order system at once (Committed →
// Registered with Customer Order Id and Agreed Date, or Rejected with the order system's reason), then the
// order line's statuses and the handler's O-15 steps (domain/portfolio-order.ts, the one decision), and
// carried out on the agreed date by a durable timer that a date change moves (I-5, T-2): the portfolio
// moves or ends on that date and the case is Finished (F); a handler closes it.
import { condition, patched, proxyActivities } from '@temporalio/workflow';
import type { PortfolioActivities } from '../../activities/portfolio';
import type { Registration } from '../../adapters/order-system';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import { type LineStatus, nextLineStatus } from '../../domain/order';
import { decidePortfolioOrderAction, EXECUTABLE_STATUSES, isFinal, PORTFOLIO_ORDER_ACTIONS, type PortfolioOrderAction } from '../../domain/portfolio-order';
import { osloDate } from '../../domain/time';
import { recordAction } from '../activity-log';
import { ackOf } from '../kit/ack';
import type { Lock } from '../kit/serial';
import { setAssignmentUpdate } from '../kit/assignment';
import { setSerialUpdate } from '../kit/serial';
import { invalidInput, refuseIf } from '../refusals';
import { type PortfolioOrderActionInput, portfolioOrderUpdates, type PortfolioOrderView } from './order-messages';
import { activityFailureOfType } from '../order/upstream';
import { rejectionReason, UPSTREAM_ACTIVITY_OPTIONS } from './upstream';

const { changePortfolioOrderDate } = proxyActivities<PortfolioActivities>(UPSTREAM_ACTIVITY_OPTIONS);

export interface OrderLifecycle<S extends PortfolioOrderView> {
  state: S;
  lock: Lock;
  publish: () => Promise<void>;
  /** When the order is due (00:00 Oslo on the requested date; tests: ms after `since`). */
  dueAt: (since: Date) => Date;
  /** O-14: the order system's registration (an activity; rejections are final, outages retried). */
  register: () => Promise<Registration>;
  /** After Registered (I-6: the technician booking); answers a reason when the order cannot go on. */
  afterRegistered?: () => Promise<string | undefined>;
  /** Carries the order out on its date (order system, then the portfolio); answers the activity-log text. */
  execute: () => Promise<string>;
  /** Before a date change is recorded (I-6: the technician moves with it). */
  onDateChange?: (cmd: PortfolioOrderActionInput) => Promise<void>;
  /** Once the order is Cancelled or Rejected (I-6: the technician slot is freed). */
  onStopped?: () => Promise<void>;
}

/** Registers the Updates of every action; call before the first await. Answers the main loop. */
export function orderLifecycle<S extends PortfolioOrderView>(life: OrderLifecycle<S>): () => Promise<void> {
  const { state, lock, publish } = life;
  /** Registration or the latest date change: where a test's millisecond timer counts from. */
  let timerSince = new Date();
  const record = (actor: Actor, action: string, to: LineStatus, text?: string | null) => recordAction(state, actor, action, to, text);

  const changeDate = async (cmd: PortfolioOrderActionInput) => {
    const from = state.requestedDate;
    let agreedDate = cmd.requestedDate!;
    if (state.customerOrderId && patched('portfolio-order-date-to-order-system')) {
      // I-5 / T-2: the order system agrees the new date of the order it registered; its refusal changes nothing
      try {
        agreedDate = (await changePortfolioOrderDate({ idempotencyKey: `${state.caseId}/date/${state.version}`, customerOrderId: state.customerOrderId, requestedDate: agreedDate })).agreedDate;
      } catch (err) {
        const reason = rejectionReason(err);
        if (reason) throw invalidInput([{ field: 'requestedDate', rule: state.kind === 'switch_isp' ? 'I-5' : 'T-2', message: `the order system refused the date: ${reason}` }]);
        throw err;
      }
    }
    await life.onDateChange?.(cmd);
    state.requestedDate = cmd.requestedDate!;
    // the order is carried out on the date the order system agreed (I-5, T-2)
    state.agreedDate = agreedDate;
    timerSince = new Date();
    return `Requested date ${from} → ${state.requestedDate}`;
  };

  /**
   * The order system (or the booking it needs) rejected the order: Rejected with the reason, and — A-2,
   * O-14 — due for customer service's follow-up with the reseller (the workflow waits for it).
   */
  const rejectBySystem = (action: string, reason: string, description = reason) => {
    state.statusDescription = description;
    state.resolution = reason;
    record(SYSTEM_ACTOR, action, 'Rejected', description);
    if (patched('portfolio-order-follow-up')) state.followUp = 'due';
  };

  async function apply(action: PortfolioOrderAction, cmd: PortfolioOrderActionInput): Promise<void> {
    switch (action) {
      case 'changeDate':
        record(cmd.actor, action, state.status, await changeDate(cmd));
        return;
      case 'cancelByOperator': {
        // Cancelled (A): by the wholesaler, from the customer's service request for a switch (I-7, C-6)
        state.resolution = cmd.text ?? null;
        state.statusDescription = cmd.text ?? null;
        if (state.kind === 'switch_isp') state.cancelledViaServiceRequest = cmd.serviceRequest ?? null;
        record(cmd.actor, action, 'Cancelled', cmd.serviceRequest ? `Cancelled from ${cmd.serviceRequest}: ${cmd.text}` : cmd.text);
        return;
      }
      case 'followUp':
        // A-2, O-14: the status stays Rejected; the note is the Comment the reseller reads (O-17, slide 81)
        state.followUp = 'done';
        state.comment = cmd.comment ?? null;
        record(cmd.actor, action, state.status, cmd.comment);
        return;
      case 'withdraw':
        state.resolution = cmd.text ?? 'Withdrawn by the customer before the termination date';
        record(cmd.actor, action, 'Cancelled', state.resolution);
        return;
      default: {
        const to = nextLineStatus(state.status, action, cmd.step);
        // a refused date changes nothing, so it goes first
        const dateText = action === 'customerUpdate' && cmd.requestedDate ? await changeDate(cmd) : undefined;
        if (cmd.statusDescription !== undefined) state.statusDescription = cmd.statusDescription;
        if (cmd.comment !== undefined) state.comment = cmd.comment;
        let text = cmd.comment ?? cmd.statusDescription;
        if (action === 'advance' && to === 'Field Service') {
          state.installationDate = cmd.installationDate ?? null;
          text = `installation ${state.installationDate}${cmd.comment ? `: ${cmd.comment}` : ''}`;
        }
        if (dateText) text = [cmd.comment, dateText].filter(Boolean).join('; ');
        record(cmd.actor, action, to, text);
      }
    }
  }

  for (const action of PORTFOLIO_ORDER_ACTIONS) {
    setSerialUpdate(
      lock,
      portfolioOrderUpdates[action],
      (cmd: PortfolioOrderActionInput) => refuseIf(decidePortfolioOrderAction(state, action, cmd, osloDate(new Date()))),
      async (cmd: PortfolioOrderActionInput) => {
        await apply(action, cmd);
        await publish();
        return ackOf(state);
      },
    );
  }

  // A-2: who works on the order (the handler inbox's take, assign and release)
  setAssignmentUpdate(lock, {
    view: () => state,
    assignee: () => state.assignee ?? null,
    setAssignee: (u) => {
      state.assignee = u;
    },
    record: (actor, action, text) => record(actor, action, state.status, text),
    publish,
  });

  return async () => {
    await publish();

    // O-14 at submit: the order system answers at once (retried while it is down, never registered twice:
    // the key is the workflow ID). Every action is refused while Committed, so nothing waits on the lock.
    await lock(async () => {
      try {
        const r = await life.register();
        state.customerOrderId = r.customerOrderId;
        state.agreedDate = r.agreedDate;
        record(SYSTEM_ACTOR, 'register', 'Registered', `Customer Order Id ${r.customerOrderId}, Agreed Date ${r.agreedDate}`);
      } catch (err) {
        const reason = rejectionReason(err);
        if (!reason) throw err;
        rejectBySystem('register', reason, `Rejected by the order system: ${reason}`);
      }
      if (state.status === 'Registered' && life.afterRegistered) {
        const stop = await life.afterRegistered();
        if (stop) rejectBySystem('reject', stop);
      }
      await publish();
    });

    // The agreed date: the durable timer, moved by every date change; carried out once the order is
    // in an executable status (an Incomplete order waits for the customer's update).
    let executed = false;
    while (!executed && !isFinal(state.status)) {
      const seen = state.version;
      const wait = life.dueAt(timerSince).getTime() - Date.now();
      if (wait > 0) {
        await condition(() => state.version !== seen, wait);
        continue;
      }
      if (!EXECUTABLE_STATUSES.includes(state.status)) {
        await condition(() => state.version !== seen);
        continue;
      }
      executed = await lock(async () => {
        if (state.version !== seen) return false;
        try {
          const text = await life.execute();
          state.executedAt = new Date().toISOString();
          record(SYSTEM_ACTOR, 'execute', 'Finished', text);
        } catch (err) {
          const reason = rejectionReason(err) ?? portfolioConflict(err);
          if (!reason) throw err;
          rejectBySystem('execute', reason, `Rejected by the order system on ${state.requestedDate}: ${reason}`);
        }
        await publish();
        return true;
      });
    }
    if (state.status === 'Cancelled' || state.status === 'Rejected') await life.onStopped?.();
    // A-2: a rejection by the order system stays open until a handler has followed it up
    await condition(() => state.followUp !== 'due');
    // Finished (F) → Closed is the handler's last O-15 step
    await condition(() => isFinal(state.status));
  };
}

function portfolioConflict(err: unknown): string | undefined {
  return activityFailureOfType(err, 'PortfolioConflictError')?.message;
}
