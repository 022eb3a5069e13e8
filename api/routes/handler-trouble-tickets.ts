// The fault desk (M-2.6): handlers work trouble tickets from their queue — take, ask for information
// (Incomplete, the repair clock pauses), resolve with a cause and a resolution. Escalated tickets
// (M-2.4: the repair-time target about to be missed, or missed) come first.
import { createRoute, z } from '@hono/zod-openapi';
import { FAULT_DESK_QUEUE, HANDLER_QUEUE_TT_STATUSES, type TtAction } from '../../domain/trouble-ticket';
import type { TtActionInput } from '../../workflows/trouble-ticket/messages';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { loadCase } from '../kit/load-case';
import { callerScope } from '../kit/page';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { createRouter } from '../router';
import { TroubleTicketPage, TroubleTicketSchema, TtListQuery, TtNumberParam } from './trouble-ticket-schemas';
import { listTroubleTickets, runTtAction } from './trouble-tickets';

const TextBody = z
  .strictObject({ text: z.string().trim().min(1, 'required: what information is missing').max(4000).openapi({ description: 'M-2.6: what the customer must provide' }) })
  .openapi('TroubleTicketRequestInfo');
const ResolveBody = z
  .strictObject({
    cause: z.string().trim().min(1, 'required: the cause of the fault').max(500).openapi({ description: 'M-2.6: the cause of the fault', example: 'Cable cut in the access network' }),
    resolution: z.string().trim().min(1, 'required: what was done').max(4000).openapi({ description: 'M-2.6: what was done to repair it', example: 'Cable spliced, line tested OK' }),
  })
  .openapi('ResolveTroubleTicket');

export function handlerTroubleTicketRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/trouble-tickets', requireAuth(deps), requireHandler);
  router.use('/trouble-tickets/*', requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/trouble-tickets',
      summary: "The fault desk's queue: tickets waiting for the wholesaler, missed and nearly missed repair targets first (M-2.4, M-2.6)",
      request: { query: TtListQuery },
      responses: { 200: jsonResponse(TroubleTicketPage, 'The queue'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(
        await listTroubleTickets(deps.sql, { ...query, queue: FAULT_DESK_QUEUE, ...(query.status ? {} : { statuses: HANDLER_QUEUE_TT_STATUSES }) }, callerScope(deps.config, c.get('user'))),
        200,
      );
    },
  );

  const action = <B extends z.ZodType>(path: string, name: TtAction, summary: string, body: B | null, toInput: (b: z.infer<B>) => Omit<TtActionInput, 'actor' | 'faultModule'>) =>
    router.openapi(
      createRoute({
        ...secured,
        method: 'post',
        path: `/trouble-tickets/{number}/${path}`,
        summary,
        request: { params: TtNumberParam, ...(body ? { body: jsonBody(body) } : {}) },
        responses: { 200: jsonResponse(TroubleTicketSchema, 'The ticket after the action'), ...problemResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const row = await loadCase(deps.sql, c.get('user'), c.req.param('number') ?? '', 'trouble_ticket');
        const parsed = (body ? c.req.valid('json' as never) : {}) as z.infer<B>;
        return c.json(await runTtAction(deps, c, row, name, toInput(parsed)), 200);
      },
    );

  action('take', 'take', 'Take the ticket (Submitted or Customer Update → In Process)', null, () => ({}));
  action('request-info', 'requestInfo', 'Ask the customer for information (In Process → Incomplete; the repair clock pauses)', TextBody, (b) => ({ text: b.text }));
  action('resolve', 'resolve', 'Resolve with a cause and a resolution (In Process → Resolved; the auto-close period starts)', ResolveBody, (b) => ({ cause: b.cause, text: b.resolution }));

  return router;
}
