// Cancelling orders and lines (C-3, C-6): the charge is shown first (GET …/cancellation, the price
// list's fee by the line's status) and the user accepts that amount. A whole submitted order is ONE
// Update to the order workflow, which asks each line (whose own validator decides on its charge under
// its lock) and answers per line; a line is ONE Update to the line workflow.
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CANCEL_VIA_SERVICE_REQUEST, LINE_TRANSITIONS, orderLineNumber } from '../../domain/order';
import { decideOrderAction } from '../../domain/order-decisions';
import { type LineView, orderUpdates, type OrderView } from '../../workflows/order/messages';
import { assertCanOrder } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { loadCase } from '../kit/load-case';
import { actionNotAllowed, isResend, runAction } from '../kit/run-action';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { cancelViaServiceRequest, draftLine, LineParams, lineRowsOf, NumberParam, OrderLineSchema, OrderSchema, presentOrder, presentOrderRow, runLineAction } from './order-support';

const CancellationQuote = z
  .object({
    lines: z.array(z.object({ number: z.string(), status: z.string(), cancellable: z.boolean(), feeOre: z.number().int().nullable(), reason: z.string().optional() })),
    totalOre: z.number().int().openapi({ description: 'C-3: what cancelling costs now, in øre' }),
  })
  .openapi('CancellationQuote');

const CancelBody = z.strictObject({
  acceptedFeeOre: z.number().int().min(0).optional().openapi({ description: 'C-3: the charge shown by GET …/cancellation; required once submitted' }),
  reason: z.string().trim().min(1).max(1000).optional(),
});

export function registerOrderCancelRoutes(router: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const secured = { security: [{ bearer: [] }], tags: ['Orders'] };

  async function lineFee(view: LineView): Promise<{ cancellable: boolean; feeOre: number | null; reason?: string }> {
    if (CANCEL_VIA_SERVICE_REQUEST.includes(view.kind)) return { cancellable: false, feeOre: null, reason: 'cancel through a service request (C-6)' };
    if (!LINE_TRANSITIONS.cancel.from.includes(view.status)) return { cancellable: false, feeOre: null, reason: `a line in status ${view.status} cannot be cancelled` };
    if (view.status === 'Duplicate') return { cancellable: true, feeOre: 0 };
    return { cancellable: true, feeOre: await deps.adapters.prices.cancellationFee({ productCode: view.productCode, lineStatus: view.status }) };
  }

  const lineRowOf = (c: Context<AppEnv>, order: OrderView, lineNo: number) => loadCase(deps.sql, c.get('user'), orderLineNumber(order.number, lineNo), 'order_line').catch(() => undefined);

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}/cancellation',
      summary: 'What cancelling the whole order costs now, line by line (C-3)',
      request: { params: NumberParam },
      responses: { 200: jsonResponse(CancellationQuote, 'The charge'), ...problemResponses(401, 404, 503) },
    }),
    async (c) => {
      const order = c.get('caseRow').detail as OrderView;
      if (order.phase !== 'submitted') return c.json({ lines: [], totalOre: 0 }, 200);
      const out = [];
      for (const l of await lineRowsOf(deps.sql, order.number)) out.push({ number: l.number, status: l.status, ...(await lineFee(l)) });
      return c.json({ lines: out, totalOre: out.reduce((s, l) => s + (l.feeOre ?? 0), 0) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/cancel',
      summary: 'Cancel the whole order (C-3): free while New; once submitted, every line with the charge the user accepted, in one action of the order',
      request: { params: NumberParam, body: { ...jsonBody(CancelBody), required: false } },
      responses: { 200: jsonResponse(OrderSchema, 'The order after the action'), ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
    }),
    async (c) => {
      const body = (c.req.valid('json' as never) ?? {}) as z.infer<typeof CancelBody>;
      assertCanOrder(c.get('user'));
      const row = c.get('caseRow');
      const order = row.detail as OrderView;
      const actor = c.get('actor');
      const check = (withFees: boolean) => (view: OrderView) => decideOrderAction(view, 'cancel', { withFees });
      const reason = body.reason ? { reason: body.reason } : {};
      // the key is held for the request as sent: the charges below are computed from the lines as they are now
      const fingerprint = body;
      if (order.phase !== 'submitted') {
        const after = await runAction(deps, c, { row, action: 'cancel', update: orderUpdates.cancel, input: { actor, ...reason }, check: check(false), fingerprint });
        return c.json(await presentOrderRow(deps, c, after), 200);
      }
      if (await isResend(deps.sql, c, row.case_id)) {
        // its first attempt may be what cancelled the lines: runAction answers it with that attempt's outcome
        const after = await runAction(deps, c, { row, action: 'cancel', update: orderUpdates.cancel, input: { actor, ...reason }, fingerprint });
        return c.json(await presentOrderRow(deps, c, after), 200);
      }
      const lines = await lineRowsOf(deps.sql, order.number);
      const swap = lines.find((l) => CANCEL_VIA_SERVICE_REQUEST.includes(l.kind));
      if (swap) throw cancelViaServiceRequest(swap.number, swap.kind, swap.status);
      const fees = [];
      for (const l of lines) fees.push({ line: l, ...(await lineFee(l)) });
      const cancellable = fees.filter((f) => f.cancellable);
      if (cancellable.length === 0)
        throw actionNotAllowed({ status: presentOrder(order, lines, actor).status, action: 'cancel', rule: 'C-3', allowedActions: [], message: `no line of ${order.number} can be cancelled` });
      const total = cancellable.reduce((s, f) => s + (f.feeOre ?? 0), 0);
      if (body.acceptedFeeOre === undefined) {
        throw problems.validation([{ field: 'body.acceptedFeeOre', code: 'missing_property', rule: 'C-3', message: `required: accept the cancellation charge of ${total} øre (GET …/cancellation)` }]);
      }
      if (body.acceptedFeeOre !== total) {
        throw problems.conflict('cancellation_fee_changed', `The charge is now ${total} øre, not ${body.acceptedFeeOre}: confirm the new charge (C-3)`, { rule: 'C-3', currentFeeOre: total });
      }
      const input = { actor, ...reason, fees: cancellable.map((f) => ({ lineNo: f.line.lineNo, feeOre: f.feeOre ?? 0, atStatus: f.line.status })) };
      const after = await runAction(deps, c, { row, action: 'cancel', update: orderUpdates.cancel, input, check: check(true), fingerprint });
      c.set('audit', { ...c.get('audit'), detail: { feeOre: total } });
      return c.json(await presentOrderRow(deps, c, after), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}/lines/{lineNo}/cancellation',
      summary: "What cancelling this line costs now (C-3; grows with the line's progress)",
      request: { params: LineParams },
      responses: { 200: jsonResponse(CancellationQuote, 'The charge'), ...problemResponses(401, 404, 409, 503) },
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      const order = c.get('caseRow').detail as OrderView;
      draftLine(order, lineNo);
      const row = await lineRowOf(c, order, lineNo);
      if (!row) return c.json({ lines: [], totalOre: 0 }, 200); // never submitted: removing it is free
      const view = row.detail as LineView;
      const fee = await lineFee(view);
      return c.json({ lines: [{ number: view.number, status: view.status, ...fee }], totalOre: fee.feeOre ?? 0 }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/lines/{lineNo}/cancel',
      summary: 'Cancel Line Item (C-3) with the charge the user accepted; C-6 kinds go through a service request',
      request: { params: LineParams, body: jsonBody(CancelBody) },
      responses: { 200: jsonResponse(OrderLineSchema, 'The line after cancelling'), ...problemResponses(400, 401, 403, 404, 409, 503) },
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      const body = c.req.valid('json');
      assertCanOrder(c.get('user'));
      const order = c.get('caseRow').detail as OrderView;
      const lineNumber = orderLineNumber(order.number, lineNo);
      draftLine(order, lineNo);
      const row = await lineRowOf(c, order, lineNo);
      const view = row?.detail as LineView | undefined;
      if (view && CANCEL_VIA_SERVICE_REQUEST.includes(view.kind)) throw cancelViaServiceRequest(lineNumber, view.kind, view.status);
      if (!row || !view || order.phase !== 'submitted') {
        throw actionNotAllowed({ status: order.status, action: 'cancel', rule: 'C-3', allowedActions: [], message: `${lineNumber} is not submitted: remove the line or cancel the order instead` });
      }
      const fee = await lineFee(view);
      if (fee.cancellable && body.acceptedFeeOre === undefined) {
        throw problems.validation([
          { field: 'body.acceptedFeeOre', code: 'missing_property', rule: 'C-3', message: `required: accept the cancellation charge of ${fee.feeOre} øre (GET …/cancellation)` },
        ]);
      }
      if (fee.cancellable && body.acceptedFeeOre !== fee.feeOre) {
        throw problems.conflict('cancellation_fee_changed', `The charge is now ${fee.feeOre} øre, not ${body.acceptedFeeOre}: confirm the new charge (C-3)`, {
          rule: 'C-3',
          currentFeeOre: fee.feeOre,
        });
      }
      const line = await runLineAction(deps, c, row, 'cancel', { fee: { feeOre: fee.feeOre ?? 0, atStatus: view.status }, ...(body.reason ? { comment: body.reason } : {}) });
      c.set('audit', { ...c.get('audit'), detail: { feeOre: fee.feeOre } });
      return c.json(line, 200);
    },
  );
}
