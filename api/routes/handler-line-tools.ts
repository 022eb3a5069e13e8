// The handler's tools on order lines (C-5, O-9, O-15, O-19): an order line's dates and duplicates, and one
// step on many lines of a Project order. Each line changes through its own workflow; the bulk step goes
// through the order's workflow, which drives its lines (orchestration across cases lives in workflows).
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { decideDuplicate, decideLineDates } from '../../domain/handler-tools';
import { decideOrderAction, type OrderDecisionView } from '../../domain/order-decisions';
import { orderLineNumber } from '../../domain/order';
import type { NotAllowedDetails } from '../../domain/refusal';
import { osloDate } from '../../domain/time';
import { lineHandlerUpdates, type LineDatesInput, type LineDuplicateInput } from '../../workflows/order/line-handler-tools';
import { type LineView, type OrderBulkInput, orderUpdates } from '../../workflows/order/messages';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { IsoDate } from '../dates';
import { loadCase } from '../kit/load-case';
import { runAction, runActionFor } from '../kit/run-action';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';
import { Reason } from './handler-tools';
import { LineNumberParam, OrderLineSchema, presentLine } from './order-support';

const OrderNumberParam = z.object({
  number: z
    .string()
    .regex(/^ORD-\d{6,}$/, 'an order number like ORD-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'ORD-000042' }),
});

const BulkBody = z
  .strictObject({
    action: z.enum(['advance', 'changeDates']).openapi({ description: 'advance: one delivery step (O-15); changeDates: a new Agreed Date (C-5)' }),
    to: z.enum(['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed']).optional().openapi({ description: 'advance: the step every chosen line moves to' }),
    installationDate: IsoDate.optional().openapi({ description: 'advance to Field Service (M): the installation date' }),
    agreedDate: IsoDate.optional().openapi({ description: 'changeDates: the new Agreed Date' }),
    reason: Reason.optional().openapi({ description: 'changeDates: why (the company is told); advance: a comment' }),
    lineNos: z.array(z.number().int().min(1).max(999)).min(1).max(60).optional().openapi({ description: 'The lines; default every line of the order' }),
  })
  .superRefine((b, ctx) => {
    if (b.action === 'advance' && !b.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'required with advance: the next delivery step', params: { rule: 'O-15' } });
    if (b.action === 'changeDates' && !b.agreedDate) ctx.addIssue({ code: 'custom', path: ['agreedDate'], message: 'required with changeDates', params: { rule: 'C-5' } });
    if (b.action === 'changeDates' && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required with changeDates: the company is told why', params: { rule: 'C-5' } });
    if (b.action === 'advance' && b.to === 'Field Service' && !b.installationDate) {
      ctx.addIssue({ code: 'custom', path: ['installationDate'], message: 'required with Field Service (M): the installation date', params: { rule: 'O-15' } });
    }
  })
  .openapi('ProjectBulkAction');

const BulkOutcome = z
  .object({
    lineNo: z.number().int().openapi({ description: 'The line of the order' }),
    number: z.string().openapi({ description: "The line's number (ORD-…:n)" }),
    ok: z.boolean().openapi({ description: 'Whether the step was applied to this line' }),
    status: z.string().openapi({ description: 'The line status after the attempt' }),
    problem: z
      .object({
        status: z.number().int().openapi({ description: 'The HTTP status the single-line action would answer' }),
        code: z.string().openapi({ description: 'The problem code' }),
        detail: z.string().optional().openapi({ description: 'Why' }),
        rule: z.string().optional().openapi({ description: 'The rule that refused it' }),
      })
      .nullable()
      .openapi({ description: 'Why this line refused (the same answer a single-line action gives)' }),
  })
  .openapi('BulkLineOutcome');

/** A line's refusal of a bulk step, as the single-line action would answer it (400 for bad input, else 409). */
function problemOfLineRefusal(r: NotAllowedDetails): z.infer<typeof BulkOutcome>['problem'] {
  const invalid = r.rule === 'G-1';
  return { status: invalid ? 400 : 409, code: invalid ? 'validation_failed' : 'action_not_allowed', detail: r.message, rule: r.rule };
}

export function handlerLineToolRoutes(deps: AppDeps) {
  const router = createRouter();
  for (const path of ['/order-lines/:number/dates', '/order-lines/:number/release-duplicate', '/order-lines/:number/mark-duplicate', '/orders/*']) router.use(path, requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  // ---- order lines: dates and duplicates (C-5, O-15, O-19) ----------------------------------------

  const lineRow = (c: Context<AppEnv>, number: string) => loadCase(deps.sql, c.get('user'), number, 'order_line');

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/order-lines/{number}/dates',
      summary: 'Move the line\'s Agreed Date (Registered … Field Service) or installation date (Field Service): a "new delivery date" SR carried out (C-5, O-15); the company is e-mailed the reason',
      request: {
        params: LineNumberParam,
        body: jsonBody(
          z
            .strictObject({
              agreedDate: IsoDate.optional().openapi({ description: 'C-5: the new Agreed Date (from Registered until Field Service)' }),
              installationDate: IsoDate.optional().openapi({ description: 'O-15: the new installation date (in Field Service)' }),
              reason: Reason.openapi({ description: 'Why the date moves: e-mailed to the company and kept in the activity log' }),
            })
            .openapi('ChangeLineDates'),
        ),
      },
      responses: { 200: jsonResponse(OrderLineSchema, 'The line with its new dates'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const row = await lineRow(c, c.req.valid('param').number);
      const body = c.req.valid('json');
      const cmd: LineDatesInput = {
        actor: c.get('actor'),
        reason: body.reason,
        ...(body.agreedDate ? { agreedDate: body.agreedDate } : {}),
        ...(body.installationDate ? { installationDate: body.installationDate } : {}),
      };
      c.set('audit', { ...c.get('audit'), detail: { agreedDate: body.agreedDate, installationDate: body.installationDate, reason: body.reason } });
      const after = await runAction(deps, c, { row, action: 'changeDates', update: lineHandlerUpdates.changeDates, input: cmd, check: (v: LineView) => decideLineDates(v, cmd, osloDate(new Date())) });
      return c.json(presentLine(after.detail as LineView, c.get('actor')), 200);
    },
  );

  const duplicateRoute = (path: 'release-duplicate' | 'mark-duplicate', action: 'releaseDuplicate' | 'markDuplicate', summary: string, body: z.ZodType) =>
    router.openapi(
      createRoute({
        ...secured,
        method: 'post',
        path: `/order-lines/{number}/${path}`,
        summary,
        request: { params: LineNumberParam, body: jsonBody(body) },
        responses: { 200: jsonResponse(OrderLineSchema, 'The line after the decision'), ...problemResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const row = await lineRow(c, c.req.param('number') ?? '');
        const b = c.req.valid('json' as never) as { reason: string; duplicateOf?: string };
        const cmd: LineDuplicateInput = { actor: c.get('actor'), reason: b.reason, ...(b.duplicateOf ? { duplicateOf: b.duplicateOf } : {}) };
        if (b.duplicateOf) {
          // the line it duplicates is another line of the same company (O-19)
          const [other] = await deps.sql`SELECT 1 FROM cases WHERE number = ${b.duplicateOf} AND case_type = 'order_line' AND company_id = ${row.company_id}`;
          if (!other) throw problems.validation([{ field: 'body.duplicateOf', code: 'reference_not_found', rule: 'O-19', message: `${b.duplicateOf} is not an order line of the same company` }]);
        }
        const after = await runAction(deps, c, { row, action, update: lineHandlerUpdates[action], input: cmd, check: (v: LineView) => decideDuplicate(v, action, cmd) });
        return c.json(presentLine(after.detail as LineView, c.get('actor')), 200);
      },
    );
  duplicateRoute(
    'release-duplicate',
    'releaseDuplicate',
    'Release a line wrongly held as a Duplicate: it is registered like any other (O-19)',
    z.strictObject({ reason: Reason.openapi({ description: 'Why it is not a duplicate' }) }).openapi('ReleaseDuplicate'),
  );
  duplicateRoute(
    'mark-duplicate',
    'markDuplicate',
    'Hold a line as a Duplicate of another line of the company (O-19); the customer cancels it or a handler releases it',
    z
      .strictObject({
        duplicateOf: z
          .string()
          .regex(/^ORD-\d{6,}:\d{1,3}$/)
          .openapi({ example: 'ORD-000041:1', description: 'The line of the same company this one duplicates' }),
        reason: Reason.openapi({ description: 'Why it is held' }),
      })
      .openapi('MarkDuplicate'),
  );

  // ---- Project orders: one step on many lines (O-9), each line its own workflow step ----------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/orders/{number}/bulk',
      summary: "One step on many lines of a Project order (O-9): advance them, or give them a new Agreed Date; each line is its own workflow's action and answers for itself",
      request: { params: OrderNumberParam, body: jsonBody(BulkBody) },
      responses: {
        200: jsonResponse(
          z
            .object({ number: z.string().openapi({ description: 'The Project order' }), lines: z.array(BulkOutcome).openapi({ description: 'Each chosen line, in line order' }) })
            .openapi('ProjectBulkOutcome'),
          'Each line, applied or refused',
        ),
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const order = await loadCase(deps.sql, c.get('user'), c.req.valid('param').number, 'order');
      const body = c.req.valid('json');
      // the order's workflow drives its lines (orchestration across cases lives in workflows); each line's
      // validator judges the step for itself and the Update answers per line
      const input: OrderBulkInput = { actor: c.get('actor'), ...body };
      const { result } = await runActionFor(deps, c, {
        row: order,
        action: `bulk.${body.action}`,
        update: orderUpdates.bulk,
        input,
        check: (v: OrderDecisionView) => decideOrderAction(v, 'bulk', { bulkLines: body.lineNos }),
      });
      const lines = (result?.lines ?? []).map((o) => ({
        lineNo: o.lineNo,
        number: orderLineNumber(order.number, o.lineNo),
        ok: o.ok,
        status: o.status,
        problem: o.refusal ? problemOfLineRefusal(o.refusal) : null,
      }));
      c.set('audit', { ...c.get('audit'), detail: { lines: lines.map((o) => ({ lineNo: o.lineNo, ok: o.ok, status: o.status })) } });
      return c.json({ number: order.number, lines }, 200);
    },
  );

  return router;
}
