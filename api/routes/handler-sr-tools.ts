// The handler's tools on a service request (S-4, A-3): send it to another area's department, and complete
// a Brukeradministrasjon request with its user change applied. Each changes the SR through its workflow.
import { createRoute, z } from '@hono/zod-openapi';
import { decideSrReroute } from '../../domain/handler-tools';
import { SrArea, srOpenKey } from '../../domain/service-request';
import { UserChange, userChangeProblems } from '../../domain/user-admin';
import { srRerouteUpdate, type SrRerouteInput } from '../../workflows/service-request/handler-tools';
import type { SrView } from '../../workflows/service-request/messages';
import { resolveAttachments } from '../attachments';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { loadCase } from '../kit/load-case';
import { runAction } from '../kit/run-action';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';
import { Reason } from './handler-tools';
import { loadUserFacts } from './handler-users';
import { presentSr, runSrAction, ServiceRequestSchema } from './service-requests';

const SrNumberParam = z.object({
  number: z
    .string()
    .regex(/^SR-\d{6,}$/, 'an SR number like SR-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'SR-000042' }),
});

export function handlerSrToolRoutes(deps: AppDeps) {
  const router = createRouter();
  for (const path of ['/service-requests/:number/reroute', '/service-requests/:number/complete-user-admin']) router.use(path, requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  // ---- service requests: re-route (S-4), Brukeradministrasjon completion -------------------------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/service-requests/{number}/reroute',
      summary: "Send an open SR to another area / sub-area and so to that department's queue (S-4)",
      request: {
        params: SrNumberParam,
        body: jsonBody(
          z
            .strictObject({
              area: SrArea.describe('The new area (S-4)'),
              subArea: z.string().min(1).max(100).openapi({ description: 'A sub-area of the new area (S-5): it decides the department' }),
              reason: Reason.openapi({ description: 'Why it goes to another department (kept in the activity log)' }),
            })
            .openapi('RerouteServiceRequest'),
        ),
      },
      responses: { 200: jsonResponse(ServiceRequestSchema, 'The SR in its new queue'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const row = await loadCase(deps.sql, c.get('user'), c.req.valid('param').number, 'service_request');
      const body = c.req.valid('json');
      const cmd: SrRerouteInput = { actor: c.get('actor'), area: body.area, subArea: body.subArea, reason: body.reason };
      const view = row.detail as SrView;
      // S-2: the new area must not make it a second open SR about the same matter
      const key = srOpenKey(body.area, view.matterSubArea, view.reference.kind, view.reference.value);
      const [clash] = await deps.sql<{ number: string; status: string }[]>`SELECT number, status FROM cases WHERE company_id = ${row.company_id} AND open_key = ${key} AND case_id <> ${row.case_id}`;
      if (clash) {
        throw problems.conflict('duplicate_service_request', `${clash.number} (${clash.status}) is already open about the same matter in ${body.area}: follow that one (S-2)`, {
          rule: 'S-2',
          existing: clash.number,
        });
      }
      const after = await runAction(deps, c, { row, action: 'reroute', update: srRerouteUpdate, input: cmd, check: (v: SrView) => decideSrReroute(v, cmd) });
      return c.json(presentSr(after.detail as SrView, c.get('actor')), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/service-requests/{number}/complete-user-admin',
      summary: 'Complete a Brukeradministrasjon SR with the user change applied (S-4, A-3): create a user, change access or training, close a user',
      request: {
        params: SrNumberParam,
        body: jsonBody(
          z
            .strictObject({
              text: z.string().trim().min(1, 'required: the answer').max(4000).openapi({ description: 'The answer to the customer (S-7)' }),
              change: UserChange.describe('The change the request asked for, applied once with the completion'),
              attachmentIds: z.array(z.uuid()).max(10).default([]).openapi({ description: 'Attachments with the answer' }),
            })
            .openapi('CompleteUserAdministration'),
        ),
      },
      responses: { 200: jsonResponse(ServiceRequestSchema, 'The SR, Completed, with the change applied'), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const row = await loadCase(deps.sql, c.get('user'), c.req.valid('param').number, 'service_request');
      const body = c.req.valid('json');
      const view = row.detail as SrView;
      if (view.area !== 'User administration') {
        throw problems.conflict('action_not_allowed', `${row.number} is a ${view.area} request: only a User administration request carries a user change (S-4)`, {
          rule: 'S-4',
          currentStatus: row.status,
          allowedActions: [],
        });
      }
      const problemsFound = userChangeProblems(body.change, row.company_id, await loadUserFacts(deps.sql, body.change.username));
      if (problemsFound.length > 0) {
        throw problems.validation(problemsFound.map((p) => ({ field: `body.change.${p.field}`, code: 'rule_violation' as const, rule: p.rule, message: p.message })));
      }
      const attachments = await resolveAttachments(deps.sql, row.company_id, body.attachmentIds, 'body.attachmentIds');
      c.set('audit', { ...c.get('audit'), detail: { change: body.change.kind, target: body.change.username } });
      return c.json(await runSrAction(deps, c, row, 'complete', { text: body.text, attachments, userChange: body.change }), 200);
    },
  );

  return router;
}
