// Activities of the order workflows: the order system (X-4), the appointment system (X-3), Kapaks'
// availability check (X-2, O-10/O-11), the O-19 duplicate look-up in the read model, the Updates an
// order sends its lines (whole-order cancel and Reopen, a handler's bulk step) and the quote steps of the order-from-quote
// saga. Idempotent: each write carries a key derived from the workflow ID, so a retry after a
// lost reply returns the first result (never registered or booked twice); an Update a retry sends
// again is judged on the case's state and a case already in the target state counts as done.
// Time-outs and outages are thrown as they are (Temporal retries them); AdapterRejectedError is a
// business "no" and is listed as non-retryable in the workflows' activity options.
import { withoutOthersNumbers } from '../domain/availability';
import { Context } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Adapters, AvailabilityLine, Booking, Registration } from '../adapters';
import { AdapterTimeoutError } from '../adapters';
import type { Sql } from '../db/client';
import { OPEN_FOR_DUPLICATE } from '../domain/order';
import type { NotAllowedDetails } from '../domain/refusal';
import { osloDate } from '../domain/time';
import { type LineOutcome, lineOrderUpdates, lineUpdates, type LineActionInput, type LineView, lineViewQuery, type AvailabilityQuery } from '../workflows/order/messages';
import { type LineDatesInput, lineHandlerUpdates } from '../workflows/order/line-handler-tools';
import { type MarkOrderedInput, quoteUpdates, type QuoteView, quoteViewQuery } from '../workflows/quote/messages';
import { REFUSAL } from '../workflows/refusals';

/** The refusal an Update's validator (or handler under the lock) answered, if that is why it failed. */
function refusalOf(err: unknown): NotAllowedDetails | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    if (err.cause.type === REFUSAL.notAllowed) return err.cause.details?.[0] as NotAllowedDetails;
    if (err.cause.type === REFUSAL.invalid) return { status: '', action: '', allowedActions: [], rule: 'G-1', message: err.cause.message };
  }
  return undefined;
}

const isGone = (err: unknown) => err instanceof WorkflowNotFoundError || (err instanceof Error && /already completed|not found/i.test(err.message));

/** What the whole-order actions ask each line; the line's own validator decides (under its lock). */
export type LineDrive =
  | { update: 'cancel'; lines: Array<{ lineNo: number; caseId: string; input: LineActionInput }> }
  | { update: 'reopen' | 'undoReopen'; lines: Array<{ lineNo: number; caseId: string; input: { actor: LineActionInput['actor'] } }> };

/**
 * O-9: a handler's step on many lines (advance, changeDates). Each line's Update carries an ID made from
 * the order's own Update ID and the line, so a retried activity (or a resent request) joins the Update
 * it already sent instead of stepping the line twice.
 */
export type LineStepDrive =
  | { update: 'advance'; lines: Array<{ lineNo: number; caseId: string; updateId: string; input: LineActionInput }> }
  | { update: 'changeDates'; lines: Array<{ lineNo: number; caseId: string; updateId: string; input: LineDatesInput }> };

type LineHandle = ReturnType<Client['workflow']['getHandle']>;

/**
 * Sends one Update per line, one after the other, and answers each line's outcome: a refusal (or a
 * line whose workflow has ended) is read against the line's view, where `alreadyDone` recognises an
 * earlier attempt's effect; any other failure is thrown for the activity's retry.
 */
async function eachLine<L extends { lineNo: number; caseId: string }>(
  lines: L[],
  action: string,
  how: { send: (handle: LineHandle, line: L) => Promise<{ status: string }>; alreadyDone: (view: LineView, line: L) => boolean },
): Promise<LineOutcome[]> {
  const out: LineOutcome[] = [];
  for (const l of lines) {
    const handle = Context.current().client.workflow.getHandle(l.caseId);
    try {
      const ack = await how.send(handle, l);
      out.push({ lineNo: l.lineNo, ok: true, status: ack.status });
    } catch (err) {
      const refusal = refusalOf(err);
      if (!refusal && !isGone(err)) throw err;
      const view = (await handle.query(lineViewQuery).catch(() => undefined)) as LineView | undefined;
      const done = view !== undefined && how.alreadyDone(view, l);
      out.push({
        lineNo: l.lineNo,
        ok: done,
        status: view?.status ?? refusal?.status ?? 'unknown',
        ...(done ? {} : { refusal: refusal ?? { status: view?.status ?? '', action, allowedActions: [], rule: 'O-14', message: `${l.caseId} has ended` } }),
      });
    }
  }
  return out;
}

export function createOrderActivities(deps: { sql: Sql; adapters: Adapters }) {
  const { sql, adapters } = deps;
  const client = () => Context.current().client;
  return {
    /** O-14: Committed → Registered with a Customer Order Id and Agreed Date. */
    async registerOrderLine(input: { idempotencyKey: string; productCode: string; requestedDate: string }): Promise<Registration> {
      return adapters.orders.register({ ...input, today: osloDate(new Date()) });
    },
    /** O-12: a verified booking is a confirmed delivery date. */
    async bookAppointment(input: { slotId: string; reference: string; idempotencyKey: string }): Promise<Booking> {
      return adapters.appointments.book(input);
    },
    async rescheduleAppointment(input: { bookingId: string; slotId: string; idempotencyKey: string }): Promise<Booking> {
      return adapters.appointments.reschedule(input);
    },
    async cancelAppointment(input: { bookingId: string }): Promise<Booking> {
      return adapters.appointments.cancel(input.bookingId);
    },

    /**
     * O-10 / O-11: one attempt of the availability check. A time-out is thrown as it is (the
     * workflow's retry policy tries three times, then records manual handling); any other failure
     * is final for this request (a rejection 422, an outage 503).
     */
    async checkAvailability(input: { query: AvailabilityQuery; productCode: string }): Promise<AvailabilityLine[]> {
      try {
        return withoutOthersNumbers(await adapters.kapaks.check({ ...input.query, productCode: input.productCode } as Parameters<Adapters['kapaks']['check']>[0]), input.query);
      } catch (err) {
        if (err instanceof AdapterTimeoutError) throw err;
        const e = err instanceof Error ? err : new Error(String(err));
        throw ApplicationFailure.create({ type: e.name, message: e.message, nonRetryable: true });
      }
    },

    /** O-19: for each line's duplicate key, the oldest open line of ANOTHER order of the company with the same key. */
    async findDuplicates(input: { companyId: string; orderNumber: string; keys: Array<{ lineNo: number; key: string }> }): Promise<Array<{ lineNo: number; duplicateOf: string | null }>> {
      if (input.keys.length === 0) return [];
      const rows = await sql<{ key: string; number: string }[]>`
        SELECT DISTINCT ON (refs ->> 'duplicateKey') refs ->> 'duplicateKey' AS key, number FROM cases
        WHERE case_type = 'order_line' AND company_id = ${input.companyId} AND refs ->> 'duplicateKey' = ANY(${input.keys.map((k) => k.key)})
          AND refs ->> 'orderNumber' <> ${input.orderNumber} AND status = ANY(${OPEN_FOR_DUPLICATE as string[]})
        ORDER BY refs ->> 'duplicateKey', created_at`;
      const byKey = new Map(rows.map((r) => [r.key, r.number]));
      return input.keys.map((k) => ({ lineNo: k.lineNo, duplicateOf: byKey.get(k.key) ?? null }));
    },

    /**
     * C-1, C-3: the order's Updates to its lines, one line after the other, each answered with its
     * outcome. Sent with the client (a line reports back with a client signal too): no workflow
     * waits on another's lock. A retried attempt finds the lines it already changed in the target state.
     */
    async driveLines(drive: LineDrive): Promise<LineOutcome[]> {
      return eachLine(drive.lines, drive.update, {
        send: (handle, l) =>
          drive.update === 'cancel'
            ? handle.executeUpdate(lineUpdates.cancel, { args: [l.input as LineActionInput] })
            : handle.executeUpdate(lineOrderUpdates[drive.update], { args: [{ actor: l.input.actor }] }),
        // a retried attempt: the line may already be where this action puts it
        alreadyDone: (view, l) =>
          drive.update === 'cancel'
            ? view.status === 'Cancelled' && view.cancellation?.by === l.input.actor.username && view.cancellation.atStatus === (l.input as LineActionInput).fee?.atStatus
            : drive.update === 'reopen'
              ? view.status === 'New'
              : view.reopenedFrom == null && view.status !== 'New',
      });
    },

    /** O-9: one step on each chosen line, one after the other, each answered with its outcome (a retry joins by Update ID). */
    async stepLines(drive: LineStepDrive): Promise<LineOutcome[]> {
      return eachLine(drive.lines, drive.update, {
        send: (handle, l) =>
          drive.update === 'advance'
            ? handle.executeUpdate(lineUpdates.advance, { args: [l.input as LineActionInput], updateId: l.updateId })
            : handle.executeUpdate(lineHandlerUpdates.changeDates, { args: [l.input as LineDatesInput], updateId: l.updateId }),
        alreadyDone: () => false,
      });
    },

    // ---- the quote steps of the order-from-quote saga ----

    /** Reserves the quote line for the order being made; the quote's validator decides who gets it. */
    async reserveQuoteLine(input: { quoteCaseId: string } & MarkOrderedInput): Promise<{ ok: true } | { ok: false; refusal: NotAllowedDetails }> {
      const { quoteCaseId, ...cmd } = input;
      const handle = client().workflow.getHandle(quoteCaseId);
      try {
        await handle.executeUpdate(quoteUpdates.markOrdered, { args: [{ ...cmd, pending: true }] });
        return { ok: true };
      } catch (err) {
        const refusal = refusalOf(err);
        if (!refusal && !isGone(err)) throw err;
        // a retried attempt whose first reply was lost: the line is already ours
        const view = (await handle.query(quoteViewQuery).catch(() => undefined)) as QuoteView | undefined;
        if (view?.lines.find((l) => l.lineNo === cmd.lineNo)?.orderedAs === cmd.orderNumber) return { ok: true };
        return { ok: false, refusal: refusal ?? { status: view?.status ?? 'Closed', action: 'markOrdered', allowedActions: [], rule: 'Q-12', message: `${quoteCaseId} has ended` } };
      }
    },
    /** The order exists: the reservation becomes final (idempotent). */
    async confirmQuoteLine(input: { quoteCaseId: string } & MarkOrderedInput): Promise<void> {
      const { quoteCaseId, ...cmd } = input;
      await client()
        .workflow.getHandle(quoteCaseId)
        .executeUpdate(quoteUpdates.confirmOrdered, { args: [cmd] });
    },
    /** Compensation: the order could not be made; the line is orderable again (idempotent; a confirmed line stays). */
    async releaseQuoteLine(input: { quoteCaseId: string } & MarkOrderedInput): Promise<void> {
      const { quoteCaseId, ...cmd } = input;
      try {
        await client()
          .workflow.getHandle(quoteCaseId)
          .executeUpdate(quoteUpdates.releaseOrdered, { args: [cmd] });
      } catch (err) {
        if (!refusalOf(err) && !isGone(err)) throw err;
      }
    },
    /** Compensation: the read-model row of an order whose workflow could not be started. */
    async dropOrderRow(input: { caseId: string }): Promise<void> {
      await sql`DELETE FROM cases WHERE case_id = ${input.caseId} AND case_type = 'order' AND version = 1`;
    },
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;
