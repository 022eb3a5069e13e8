// PSTN/ISDN number reservation (O-12, O-20; domain/numbers.ts): "PSTN (med mulighet for
// nummerreservasjon)". With a line's technician booking the user reserves a phone number; it lapses
// at the draft's O-20 auto-cancel unless the order is submitted, and the line is delivered with it.
// One Update to the order workflow (reserveNumber), judged first on the read model like every action.
import { createRoute } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { decideNumberReservation } from '../../domain/numbers';
import type { OrderView } from '../../workflows/order/messages';
import { orderNumberUpdates } from '../../workflows/order/number-messages';
import { assertCanOrder } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { runAction } from '../kit/run-action';
import { jsonResponse, problemResponses } from '../openapi';
import { draftLine, LineParams, OrderSchema, presentOrderRow, productFacts } from './order-support';

export function registerOrderNumberRoutes(router: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  router.openapi(
    createRoute({
      security: [{ bearer: [] }],
      tags: ['Orders'],
      method: 'post',
      path: '/{number}/lines/{lineNo}/number-reservation',
      summary:
        'Reserve a phone number with the technician booking of a PSTN or ISDN line (O-12); it lapses at the draft’s O-20 auto-cancel unless the order is submitted, and the line is delivered with it',
      request: { params: LineParams },
      responses: { 200: jsonResponse(OrderSchema, 'The order; the line shows numberReservation {number, status, expiresAt}'), ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
    }),
    async (c) => {
      assertCanOrder(c.get('user'));
      const { lineNo } = c.req.valid('param');
      const row = c.get('caseRow');
      const order = row.detail as OrderView;
      draftLine(order, lineNo);
      const product = await productFacts(deps, order.productCode);
      const family = product?.family ?? '';
      const check = (view: OrderView) => decideNumberReservation(view, lineNo, family, new Date());
      const after = await runAction(deps, c, { row, action: 'reserveNumber', update: orderNumberUpdates.reserveNumber, input: { actor: c.get('actor'), lineNo, productFamily: family }, check });
      return c.json(await presentOrderRow(deps, c, after), 200);
    },
  );
}
