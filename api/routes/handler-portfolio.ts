// The wholesaler's side of switch-ISP and termination orders (A-2, I-7, C-6, O-14, O-15): the queue of
// orders waiting for the wholesaler or rejected by the order system (follow-up, closed out by the
// follow-up step), the O-15 steps (In Progress, Incomplete, Rejected, the delivery steps, Closed),
// Cancelled (A) — a switch only from the service request in which the customer asked for it.
import { createRoute, z } from '@hono/zod-openapi';
import { caseByNumber } from '../../db/cases';
import { allowedSwitchActions, decideSwitchAction } from '../../domain/switch-isp';
import { osloDate } from '../../domain/time';
import { LINE_STATUSES, type LineStatus } from '../../domain/order';
import { type SwitchActionInput, switchActionUpdates, type SwitchView } from '../../workflows/switch-isp/messages';
import { isPortfolioOrder, type PortfolioOrderView, type SwitchOrderView } from '../../workflows/switch-isp/order-messages';
import { IsoDate } from '../dates';
import { HandlerListItem, presentPortfolioOrder, HandlerListQuery, handlerQueue, runPortfolioOrderAction } from './portfolio-order-support';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { loadCase } from '../kit/load-case';
import { callerScope, pageFields } from '../kit/page';
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
      if (isPortfolioOrder(row.detail as object)) {
        const order = (await runPortfolioOrderAction(deps, c, row, 'cancelByOperator', input)).detail as SwitchOrderView;
        return c.json(presentPortfolioOrder(order, c.get('actor')), 200);
      }
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

  const TYPES = {
    'switch-isp': { type: 'switch_isp', pattern: /^SW-\d{6,}$/, example: 'SW-000042', label: 'switch-ISP' },
    terminations: { type: 'termination', pattern: /^TRM-\d{6,}$/, example: 'TRM-000042', label: 'termination' },
  } as const;
  const Comment = z.string().trim().min(1).max(2000);
  const OrderAnswer = z.object({ number: z.string(), status: z.string(), allowedActions: z.array(z.string()) }).passthrough();

  for (const [path, t] of Object.entries(TYPES)) {
    router.openapi(
      createRoute({
        ...secured,
        method: 'get',
        path: `/${path}`,
        summary: `A-2: ${t.label} orders waiting for the wholesaler (order-handling) or rejected by the order system (order-follow-up), oldest change first`,
        request: { query: HandlerListQuery },
        responses: {
          200: jsonResponse(z.object({ items: z.array(HandlerListItem), ...pageFields }), 'The queue'),
          ...problemResponses(400, 401, 403),
        },
      }),
      async (c) => c.json(await handlerQueue(deps.sql, t.type, c.req.valid('query'), c.get('actor'), callerScope(deps.config, c.get('user'))), 200),
    );

    const step = <B extends z.ZodType>(action: 'inProgress' | 'incomplete' | 'reject' | 'advance' | 'cancelByOperator' | 'followUp', segment: string, summary: string, body: B) =>
      router.openapi(
        createRoute({
          ...secured,
          method: 'post',
          path: `/${path}/{number}/${segment}`,
          summary,
          request: {
            params: z.object({
              number: z
                .string()
                .regex(t.pattern)
                .openapi({ param: { name: 'number', in: 'path' }, example: t.example }),
            }),
            body: jsonBody(body),
          },
          responses: { 200: jsonResponse(OrderAnswer, `The ${t.label} after the step`), ...problemResponses(400, 401, 403, 404, 409) },
        }),
        async (c) => {
          const { number } = c.req.valid('param' as never) as { number: string };
          const b = c.req.valid('json' as never) as { comment?: string; statusDescription?: string; to?: LineStatus; installationDate?: string };
          const row = await loadCase(deps.sql, c.get('user'), number, t.type);
          const after = await runPortfolioOrderAction(deps, c, row, action, {
            actor: c.get('actor'),
            ...(b.comment ? { comment: b.comment } : {}),
            ...(b.statusDescription ? { statusDescription: b.statusDescription } : {}),
            ...(b.to ? { step: b.to } : {}),
            ...(b.installationDate ? { installationDate: b.installationDate } : {}),
            ...(action === 'cancelByOperator' && b.comment ? { text: b.comment } : {}),
          });
          const view = after.detail as PortfolioOrderView;
          return c.json(presentPortfolioOrder(view, c.get('actor')), 200);
        },
      );

    step('inProgress', 'in-progress', `Take the ${t.label} order into handling (In Progress, O-14)`, z.strictObject({ comment: Comment.optional(), statusDescription: Comment.optional() }));
    step('incomplete', 'incomplete', 'Set Incomplete: the comment says what is missing (O-14, O-17)', z.strictObject({ comment: Comment, statusDescription: Comment.optional() }));
    step('reject', 'reject', 'Reject: the Status Description says why it cannot be carried out (O-14)', z.strictObject({ statusDescription: Comment, comment: Comment.optional() }));
    step(
      'advance',
      'advance',
      'One O-15 step forward: O → D → R → M (installation date) → T → L; Finished (F) comes with the execution on the agreed date; then Closed',
      z.strictObject({
        to: z.enum(LINE_STATUSES.filter((s) => ['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed'].includes(s)) as [LineStatus, ...LineStatus[]]),
        installationDate: IsoDate.optional().openapi({ description: 'Required with Field Service (M)' }),
        comment: Comment.optional(),
        statusDescription: Comment.optional(),
      }),
    );
    step(
      'followUp',
      'follow-up',
      `A-2, O-14: record that a ${t.label} the order system rejected has been followed up with the reseller (the comment, shown to the reseller); it leaves the order-follow-up queue and stays Rejected`,
      z.strictObject({ comment: Comment }),
    );
    // a switch is cancelled from the customer's service request (above, I-7); a termination by the wholesaler with the reason
    if (t.type === 'termination') step('cancelByOperator', 'cancel', 'Cancel (A) by the wholesaler: the reason in the comment (O-14, O-15)', z.strictObject({ comment: Comment }));
  }

  return router;
}
