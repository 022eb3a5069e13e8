// The wholesaler's side of quotes (A-2, Q-8, Q-9): sales support's queue of lines awaiting manual
// pricing, and the manual steps on a line: take, Incomplete, Completed with a price, cancel.
import { createRoute, z } from '@hono/zod-openapi';
import { HANDLER_QUEUE_LINE_STATUSES, type QuoteLineAction } from '../../domain/quote';
import type { QuoteLine, QuoteLineActionInput } from '../../workflows/quote/messages';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { IsoDate } from '../dates';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { loadCase } from '../kit/load-case';
import { callerScope, mapPage, pageFields, pageQuery, readPage } from '../kit/page';
import { createRouter } from '../router';
import { LineNoParam, QuoteNumberParam, QuoteSchema, runLineAction } from './quotes';

const QueueItem = z
  .object({
    number: z.string(),
    companyId: z.string(),
    lineNo: z.number().int(),
    status: z.string(),
    productCode: z.string(),
    productName: z.string(),
    speedMbps: z.number().int().nullable(),
    addressA: z.string().nullable(),
    addressB: z.string().nullable(),
    attachmentFlag: z.boolean(),
    attachmentCount: z.number().int(),
    reason: z.string().nullable().openapi({ description: 'Why the line needs manual pricing (Q-5, Q-6, Q-7)' }),
    indicativeMonthlyRentOre: z.number().int().nullable(),
    comment: z.string().nullable(),
    handler: z.string().nullable(),
    waitingSince: z.string(),
  })
  .openapi('QuoteLineQueueItem');

const QueuePage = z.object({ items: z.array(QueueItem), ...pageFields }).openapi('QuoteLineQueue');

/** The line statuses in which the wholesaler has to act (domain/quote.ts WHOLESALER_LINE_STATUSES). */
const HandlerStatus = z.enum(['Received', 'Customer Update', 'In Process']);

export function handlerQuoteRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/quote-lines',
      summary: 'Quote lines awaiting manual pricing (Received, Customer Update), longest waiting first; status=In Process shows lines being priced',
      request: {
        query: z.object({
          status: z.union([HandlerStatus, z.array(HandlerStatus)]).optional(),
          companyId: z.string().max(40).optional(),
          handler: z.string().max(100).optional(),
          ...pageQuery({ limit: 50 }),
        }),
      },
      responses: { 200: jsonResponse(QueuePage, 'The queue'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const statuses: string[] = q.status === undefined ? [...HANDLER_QUEUE_LINE_STATUSES] : Array.isArray(q.status) ? q.status : [q.status];
      const sql = deps.sql;
      // a row per line of a queued quote (migration 029, kept by a trigger on the quote's read-model row), read in
      // the queue's order; only the page's lines are fetched from their quotes
      const where = sql`q.status = ANY(${statuses})
      ${q.companyId ? sql`AND q.company_id = ${q.companyId}` : sql``}
      ${q.handler ? sql`AND q.handler = ${q.handler}` : sql``}`;
      const page = await readPage<{ number: string; company_id: string; line: QuoteLine }>(sql, {
        select: sql`q.number, q.company_id,
          (SELECT l FROM cases c, jsonb_array_elements(c.detail -> 'lines') l WHERE c.case_id = q.case_id AND (l ->> 'lineNo')::int = q.line_no) AS line`,
        from: sql`quote_line_queue q`,
        where,
        keys: [
          { sql: sql`q.waiting_since`, type: 'text', desc: false },
          { sql: sql`q.number`, type: 'text', desc: false },
          { sql: sql`q.line_no`, type: 'int', desc: false },
        ],
        page: q,
        list: 'handler:quote-lines',
        scope: callerScope(deps.config, c.get('user')),
      });
      return c.json(
        mapPage(page, ({ number, company_id, line: l }) => ({
          number,
          companyId: company_id,
          lineNo: l.lineNo,
          status: l.status,
          productCode: l.productCode,
          productName: l.productName,
          speedMbps: l.speedMbps,
          addressA: l.addressA?.label ?? null,
          addressB: l.addressB?.label ?? null,
          attachmentFlag: l.attachmentFlag,
          attachmentCount: l.attachments.length,
          reason: l.manualPricing?.reason ?? null,
          indicativeMonthlyRentOre: l.manualPricing?.indicativeMonthlyRentOre ?? null,
          comment: l.comment,
          handler: l.handler,
          waitingSince: l.updatedAt,
        })),
        200,
      );
    },
  );

  const Params = z.object({ number: QuoteNumberParam, lineNo: LineNoParam });
  const Comment = (what: string) => z.string().trim().min(1, `required: ${what}`).max(2000);
  const ore = z.number().int('whole øre').min(0).max(100_000_000_000);

  const action = <B extends z.ZodType>(path: string, name: QuoteLineAction, summary: string, body: B | null, toInput: (b: z.infer<B>) => Omit<QuoteLineActionInput, 'actor' | 'lineNo'>) =>
    router.openapi(
      createRoute({
        ...secured,
        method: 'post',
        path: `/quotes/{number}/lines/{lineNo}/${path}`,
        summary,
        request: { params: Params, ...(body ? { body: jsonBody(body) } : {}) },
        responses: { 200: jsonResponse(QuoteSchema, 'The quote after the action'), ...problemResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        // validated by Params (the generic route loses the parameter types)
        const number = c.req.param('number') ?? '';
        const lineNo = Number(c.req.param('lineNo'));
        const parsed = (body ? c.req.valid('json' as never) : {}) as z.infer<B>;
        return c.json(await runLineAction(deps, c, await loadCase(deps.sql, c.get('user'), number, 'quote'), lineNo, name, toInput(parsed)), 200);
      },
    );

  action('take', 'take', 'Take the line for manual pricing (Received / Customer Update → In Process)', null, () => ({}));
  action(
    'incomplete',
    'setIncomplete',
    'Something is missing (In Process → Incomplete); the comment says what (Q-9)',
    z.strictObject({ comment: Comment('say what is missing') }).openapi('QuoteLineIncomplete'),
    (b) => ({ comment: b.comment }),
  );
  action(
    'complete',
    'complete',
    'Priced (In Process → Completed) with monthly rent and establishment price in øre (Q-8, Q-9)',
    z
      .strictObject({
        monthlyRentOre: ore,
        establishmentOre: ore,
        comment: z.string().trim().min(1).max(2000).optional(),
        deliveryDate: IsoDate.optional().openapi({ description: 'Q-12 / O-5: the delivery date this answer gives; an order from the line takes it as its requested date' }),
      })
      .openapi('QuoteLinePrice'),
    (b) => ({
      price: { monthlyRentOre: b.monthlyRentOre, establishmentOre: b.establishmentOre },
      ...(b.comment ? { comment: b.comment } : {}),
      ...(b.deliveryDate ? { deliveryDate: b.deliveryDate } : {}),
    }),
  );
  action('cancel', 'cancelByHandler', 'Cancel the line with a reason (Q-9)', z.strictObject({ comment: Comment('the reason for cancelling') }).openapi('QuoteLineCancel'), (b) => ({
    comment: b.comment,
  }));

  return router;
}
