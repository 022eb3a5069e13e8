// The wholesaler's side of switch-ISP (A-2, I-7, C-6): a handler cancels a switch from the
// service request in which the customer asked for it.
import { createRoute, z } from '@hono/zod-openapi';
import { caseByNumber } from '../../db/cases';
import { allowedSwitchActions, decideSwitchAction } from '../../domain/switch-isp';
import { osloDate } from '../../domain/time';
import { type SwitchActionInput, switchActionUpdates, type SwitchView } from '../../workflows/switch-isp/messages';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { loadCase } from '../kit/load-case';
import { runAction } from '../kit/run-action';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';

const CancelBody = z
  .strictObject({
    serviceRequest: z
      .string()
      .regex(/^SR-\d{6,}$/, 'an SR number like SR-000042')
      .openapi({ description: 'I-7: the service request asking for the cancellation' }),
    reason: z.string().trim().min(1, 'required: the reason for cancelling').max(2000),
  })
  .openapi('CancelSwitchFromServiceRequest');

/** I-7: the SR must still be waiting for the wholesaler. */
const SR_OPEN_FOR_HANDLER = ['Submitted', 'In Process'];

export function handlerPortfolioRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/switch-isp/{number}/cancel',
      summary: "Cancel a switch-ISP from the customer's service request (I-7, C-6)",
      request: {
        params: z.object({
          number: z
            .string()
            .regex(/^SW-\d{6,}$/)
            .openapi({ param: { name: 'number', in: 'path' }, example: 'SW-000042' }),
        }),
        body: jsonBody(CancelBody),
      },
      responses: {
        200: jsonResponse(
          z.object({ number: z.string(), status: z.string(), cancelledViaServiceRequest: z.string().nullable(), resolution: z.string().nullable() }).passthrough(),
          'The cancelled switch',
        ),
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { number } = c.req.valid('param');
      const body = c.req.valid('json');
      const row = await loadCase(deps.sql, c.get('user'), number, 'switch_isp');
      // the request must be the same company's and be about this switch
      const sr = await caseByNumber(deps.sql, 'service_request', body.serviceRequest);
      if (!sr || sr.company_id !== row.company_id) {
        throw problems.validation([{ field: 'body.serviceRequest', code: 'reference_not_found', rule: 'I-7', message: `no service request ${body.serviceRequest} of ${row.company_id}` }]);
      }
      if ((sr.refs.reference ?? '').toUpperCase() !== number) {
        throw problems.validation([
          { field: 'body.serviceRequest', code: 'rule_violation', rule: 'I-7', message: `${body.serviceRequest} refers to ${sr.refs.reference ?? 'nothing'}, not to ${number}` },
        ]);
      }
      if (!SR_OPEN_FOR_HANDLER.includes(sr.status)) {
        throw problems.validation([
          { field: 'body.serviceRequest', code: 'rule_violation', rule: 'I-7', message: `${body.serviceRequest} is ${sr.status}: only a submitted request being handled can cancel a switch` },
        ]);
      }
      const input: SwitchActionInput = { actor: c.get('actor'), serviceRequest: body.serviceRequest, text: body.reason };
      const after = await runAction(deps, c, {
        row,
        action: 'cancelByOperator',
        update: switchActionUpdates.cancelByOperator,
        input,
        check: (view: SwitchView) => decideSwitchAction(view, 'cancelByOperator', input, osloDate(new Date())),
      });
      const view = after.detail as SwitchView;
      return c.json({ ...view, allowedActions: allowedSwitchActions(view.status, c.get('actor')) }, 200);
    },
  );

  return router;
}
