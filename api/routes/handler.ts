// The wholesaler's side: department work queues and the manual steps on service requests.
import { createRoute, z } from '@hono/zod-openapi';
import { Department, type SrAction } from '../../domain/service-request';
import type { SrActionInput } from '../../workflows/service-request/messages';
import { resolveAttachments } from '../attachments';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { loadCase } from '../kit/load-case';
import { callerScope, pageQuery } from '../kit/page';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { createRouter } from '../router';
import { listServiceRequests, runSrAction, ServiceRequestSchema, SummaryPage } from './service-requests';

/** S-4: a handler's queue holds the SRs that wait for the wholesaler. */
const WAITING_FOR_HANDLER = ['Submitted', 'In Process'] as const;

const NumberParam = z.object({
  number: z
    .string()
    .regex(/^SR-\d{6,}$/)
    .openapi({ param: { name: 'number', in: 'path' }, example: 'SR-000042' }),
});

export function handlerRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/queues',
      summary: 'Every department queue with the number of SRs waiting',
      responses: {
        200: jsonResponse(z.object({ queues: z.array(z.object({ department: Department, waiting: z.number().int() })) }), 'Queues'),
        ...problemResponses(401, 403),
      },
    }),
    async (c) => {
      const rows = await deps.sql<{ queue: string; n: number }[]>`
      SELECT queue, count(*)::int AS n FROM cases
      WHERE case_type = 'service_request' AND queue IS NOT NULL AND status = ANY(${WAITING_FOR_HANDLER as unknown as string[]}) GROUP BY queue`;
      const counts = new Map(rows.map((r) => [r.queue, r.n]));
      return c.json({ queues: Department.options.map((department) => ({ department, waiting: counts.get(department) ?? 0 })) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/queues/{department}',
      summary: 'The SRs waiting in one department, oldest change first',
      request: {
        params: z.object({ department: Department }),
        query: z.object(pageQuery({ limit: 50 })),
      },
      responses: { 200: jsonResponse(SummaryPage, 'The queue'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const { department } = c.req.valid('param');
      const page = c.req.valid('query');
      return c.json(await listServiceRequests(deps.sql, { queue: department, statuses: WAITING_FOR_HANDLER, ...page }, callerScope(deps.config, c.get('user'))), 200);
    },
  );

  const TextBody = (what: string) => z.strictObject({ text: z.string().trim().min(1, `required: ${what}`).max(4000) });
  const CompleteBody = z.strictObject({ text: z.string().trim().min(1, 'required: the answer').max(4000), attachmentIds: z.array(z.uuid()).max(10).default([]) });

  const action = <B extends z.ZodType>(path: string, name: SrAction, summary: string, body: B | null, toInput: (b: z.infer<B>, companyId: string) => Promise<Omit<SrActionInput, 'actor'>>) =>
    router.openapi(
      createRoute({
        ...secured,
        method: 'post',
        path: `/service-requests/{number}/${path}`,
        summary,
        request: { params: NumberParam, ...(body ? { body: jsonBody(body) } : {}) },
        responses: { 200: jsonResponse(ServiceRequestSchema, 'The SR after the action'), ...problemResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const number = c.req.param('number') ?? ''; // validated by NumberParam
        const row = await loadCase(deps.sql, c.get('user'), number, 'service_request');
        const parsed = (body ? c.req.valid('json' as never) : {}) as z.infer<B>;
        return c.json(await runSrAction(deps, c, row, name, await toInput(parsed, row.company_id)), 200);
      },
    );

  action('take', 'take', 'Take the SR (Submitted → In Process)', null, async () => ({}));
  action('request-info', 'requestInfo', 'Ask for what is missing (In Process → Incomplete)', TextBody('what is missing'), async (b) => ({ text: b.text }));
  action('complete', 'complete', 'Answer it (In Process → Completed)', CompleteBody, async (b, companyId) => ({
    text: b.text,
    attachments: await resolveAttachments(deps.sql, companyId, b.attachmentIds, 'body.attachmentIds'),
  }));
  action('cancel', 'cancelByOperator', 'Cancel with a reason (reason in Resolution)', TextBody('the reason'), async (b) => ({ text: b.text }));

  return router;
}
