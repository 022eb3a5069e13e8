// The wholesaler's side of orders: the order lines waiting for handling, and the manual
// steps: In Progress, Incomplete, Rejected, Cancelled (A), and the delivery steps O → … → Closed.
import { createRoute, z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import { LINE_STATUSES, type LineStatus } from '../../domain/order';
import { IsoDate } from '../dates';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { loadCase } from '../kit/load-case';
import { callerScope, mapPage, pageFields, pageQuery, oldestUpdatedFirst, readPage } from '../kit/page';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { createRouter } from '../router';
import { LineNumberParam, OrderLineSchema, runLineAction } from './order-support';

const LineSummary = z
  .object({
    number: z.string(),
    companyId: z.string(),
    status: z.string(),
    productCode: z.string(),
    customerOrderId: z.string().nullable(),
    manualHandling: z.boolean(),
    awaitingManualHandling: z.boolean().openapi({ description: 'O-11: waits for a handler to check availability before it is registered' }),
    duplicateOf: z.string().nullable(),
    title: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('OrderLineSummary');

const Comment = z.string().trim().min(1).max(2000);

export function handlerOrderRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/order-lines/*', requireAuth(deps), requireHandler);
  router.use('/order-lines', requireAuth(deps), requireHandler);
  // tenancy first (A-2: handlers see every company; the loader is still the one way to a case)
  router.use('/order-lines/:number/*', async (c, next) => {
    const number = c.req.param('number');
    if (/^ORD-\d{6,}:\d{1,3}$/.test(number)) c.set('caseRow', await loadCase(deps.sql, c.get('user'), number, 'order_line'));
    await next();
  });
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/order-lines',
      summary: 'Order lines, by default those waiting for the wholesaler (oldest change first)',
      request: {
        query: z.object({
          status: z.enum(LINE_STATUSES).optional(),
          companyId: z.string().optional(),
          manualHandling: z.enum(['true', 'false']).optional(),
          ...pageQuery({ limit: 50 }),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ items: z.array(LineSummary), ...pageFields }), 'Lines'),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const sql = deps.sql;
      const conditions = [
        sql`case_type = 'order_line'`,
        q.status ? sql`status = ${q.status}` : sql`queue = 'order-handling'`,
        q.companyId ? sql`company_id = ${q.companyId}` : null,
        q.manualHandling ? sql`coalesce(refs ->> 'manualHandling', 'false') = ${q.manualHandling}` : null,
      ].filter((x): x is postgres.PendingQuery<postgres.Row[]> => x !== null);
      const where = conditions.reduce((acc, cond) => sql`${acc} AND ${cond}`);
      const page = await readPage<{ number: string; company_id: string; status: string; refs: Record<string, string>; title: string; updated_at: Date; updated_by: string }>(sql, {
        select: sql`number, company_id, status, refs, title, updated_at, updated_by`,
        from: sql`cases`,
        where,
        keys: oldestUpdatedFirst(sql),
        page: q,
        list: 'handler:order-lines',
        scope: callerScope(deps.config, c.get('user')),
      });
      return c.json(
        mapPage(page, (r) => ({
          number: r.number,
          companyId: r.company_id,
          status: r.status,
          productCode: r.refs.productCode ?? '',
          customerOrderId: r.refs.customerOrderId ?? null,
          manualHandling: r.refs.manualHandling === 'true',
          awaitingManualHandling: r.refs.awaitingManualHandling === 'true',
          duplicateOf: r.refs.duplicateOf ?? null,
          title: r.title,
          updatedAt: r.updated_at.toISOString(),
          updatedBy: r.updated_by,
        })),
        200,
      );
    },
  );

  const action = <B extends z.ZodType>(path: string, name: 'inProgress' | 'incomplete' | 'reject' | 'cancelByOperator' | 'advance' | 'completeManualHandling', summary: string, body: B) =>
    router.openapi(
      createRoute({
        ...secured,
        method: 'post',
        path: `/order-lines/{number}/${path}`,
        summary,
        request: { params: LineNumberParam, body: jsonBody(body) },
        responses: { 200: jsonResponse(OrderLineSchema, 'The line after the step'), ...problemResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const b = c.req.valid('json' as never) as { comment?: string; statusDescription?: string; to?: LineStatus; installationDate?: string };
        return c.json(
          await runLineAction(deps, c, c.get('caseRow'), name, {
            ...(b.comment ? { comment: b.comment } : {}),
            ...(b.statusDescription ? { statusDescription: b.statusDescription } : {}),
            ...(b.to ? { step: b.to } : {}),
            ...(b.installationDate ? { installationDate: b.installationDate } : {}),
          }),
          200,
        );
      },
    );

  action('in-progress', 'inProgress', 'Take the line into handling (In Progress)', z.strictObject({ comment: Comment.optional(), statusDescription: Comment.optional() }));
  action('incomplete', 'incomplete', 'Set Incomplete: the comment says what is missing (O-14, O-17)', z.strictObject({ comment: Comment, statusDescription: Comment.optional() }));
  action('reject', 'reject', 'Reject: the Status Description says why it cannot be carried out (O-14)', z.strictObject({ statusDescription: Comment, comment: Comment.optional() }));
  action(
    'complete-manual-handling',
    'completeManualHandling',
    'O-11: the availability check timed out for the user; after checking availability by hand the handler completes the manual handling and the line is registered (Committed → Registered)',
    z.strictObject({ comment: Comment.openapi({ description: 'What the manual availability check found' }) }),
  );
  action('cancel', 'cancelByOperator', 'Cancel (A) by the wholesaler: the reason in the comment (O-14, O-15)', z.strictObject({ comment: Comment }));
  action(
    'advance',
    'advance',
    'Move the line one delivery step forward: O → D → R → M (installation date) → T → L → F → Closed (O-15)',
    z.strictObject({
      to: z.enum(['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed']),
      installationDate: IsoDate.optional().openapi({ description: 'Required with Field Service (M)' }),
      comment: Comment.optional(),
      statusDescription: Comment.optional(),
    }),
  );

  return router;
}
