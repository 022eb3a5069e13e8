// ordering from a quote is a saga with its own workflow (`order-from-quote:Q-000042:…`), never
// a route holding a transaction across Temporal. Every quote line is first reserved on the quote
// (`markOrdered` pending: the quote's validator decides which of several concurrent requests gets it);
// when one is refused, the reservations made so far are released and nothing is created. Then each
// order is created — its read-model row, then its workflow (a child that outlives the saga) — and the
// reservation is confirmed. A step that fails releases the reservation of every order not made, so no
// quote line stays "ordered as" an order that does not exist; the saga is durable, so a crashed worker
// or API resumes it where it stopped.
import { ApplicationFailure, ParentClosePolicy, proxyLocalActivities, startChild } from '@temporalio/workflow';
import type { OrderActivities } from '../../activities/orders';
import type { Actor } from '../../domain/identity';
import type { OrderDraft } from '../../domain/order-draft';
import type { NotAllowedDetails } from '../../domain/refusal';
import { projectCase } from '../publish';
import { caseSearchAttributes } from '../search-attributes';
import type { OrderStartInput } from './messages';
import { newOrder, toOrderProjection } from './projection';
import type { orderWorkflow } from './workflow';

export interface OrderFromQuoteInput {
  quoteCaseId: string;
  quoteNumber: string;
  companyId: string;
  actor: Actor;
  createdAt: string;
  timing: OrderStartInput['timing'];
  /**
   * Each quote line with the order it goes into, its number reserved by the API (a sequence, no
   * transaction). Order All Line Items puts every Completed line into one order (entries sharing the
   * order's number and draft); histories started before that have one order per line.
   */
  lines: Array<{ lineNo: number; orderNumber: string; orderCaseId: string; /** on the first entry of each order */ draft?: OrderDraft }>;
}

export type OrderFromQuoteResult = { ok: true; orders: Array<{ lineNo: number; number: string; caseId: string }> } | { ok: false; refusal: NotAllowedDetails };

/** The saga's workflow ID: per quote and request (the Idempotency-Key's hash when there is one). */
export function orderFromQuoteWorkflowId(quoteNumber: string, lineNo: number | undefined, requestId: string): string {
  return `order-from-quote:${quoteNumber}:${lineNo ?? 'all'}:${requestId}`;
}

// The quote answers at once (local activities: no extra workflow task per step); retried while the
// engine is busy, a refusal is an answer, not a failure. They run one after the other, never overlapping.
const quote = proxyLocalActivities<OrderActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '5 seconds' },
});

export async function orderFromQuoteWorkflow(input: OrderFromQuoteInput): Promise<OrderFromQuoteResult> {
  const ref = (l: OrderFromQuoteInput['lines'][number]) => ({ quoteCaseId: input.quoteCaseId, actor: input.actor, lineNo: l.lineNo, orderNumber: l.orderNumber });
  const reserved: OrderFromQuoteInput['lines'] = [];
  const created = new Set<string>();
  try {
    // 1. reserve every line (all or none)
    for (const l of input.lines) {
      const r = await quote.reserveQuoteLine(ref(l));
      if (!r.ok) {
        await release(reserved);
        return { ok: false, refusal: r.refusal };
      }
      reserved.push(l);
    }
    // 2. create each order once: its row first (the API reads it as soon as the saga answers), then its workflow
    const orders = input.lines.filter((l, i) => input.lines.findIndex((x) => x.orderCaseId === l.orderCaseId) === i);
    for (const l of orders) {
      if (!l.draft) throw ApplicationFailure.nonRetryable(`no draft for ${l.orderNumber}`);
      const start: OrderStartInput = {
        caseId: l.orderCaseId,
        number: l.orderNumber,
        companyId: input.companyId,
        actor: input.actor,
        createdAt: input.createdAt,
        draft: l.draft,
        timing: input.timing,
      };
      const projection = toOrderProjection(newOrder(start));
      await projectCase(projection);
      try {
        await startChild<typeof orderWorkflow>('orderWorkflow', {
          workflowId: l.orderCaseId,
          args: [start],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: caseSearchAttributes(projection),
        });
      } catch (err) {
        await quote.dropOrderRow({ caseId: l.orderCaseId });
        throw err;
      }
      created.add(l.orderNumber);
    }
    // 3. the orders exist: the reservations become final
    for (const l of input.lines) await quote.confirmQuoteLine(ref(l));
    return { ok: true, orders: input.lines.map((l) => ({ lineNo: l.lineNo, number: l.orderNumber, caseId: l.orderCaseId })) };
  } catch (err) {
    // compensation: a line reserved for an order that was not made is orderable again
    await release(reserved.filter((l) => !created.has(l.orderNumber)));
    for (const l of reserved.filter((x) => created.has(x.orderNumber))) await quote.confirmQuoteLine(ref(l)).catch(() => undefined);
    throw err;
  }

  async function release(lines: OrderFromQuoteInput['lines']): Promise<void> {
    for (const l of lines) await quote.releaseQuoteLine(ref(l));
  }
}
