// Case-wide reads: the audit trail of a case, for its company and for handlers.
import { createRoute, z } from '@hono/zod-openapi';
import { auditForCase } from '../audit';
import { requireAuth } from '../auth';
import { findCaseFor } from '../cases';
import type { AppDeps } from '../context';
import { jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';

const AuditEntry = z.object({
  at: z.string(), username: z.string(), companyId: z.string().nullable(), caseId: z.string().nullable(),
  action: z.string(), outcome: z.string(), statusCode: z.number().int().nullable(),
}).openapi('AuditEntry');

export function caseRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));

  router.openapi(createRoute({
    security: [{ bearer: [] }], tags: ['Cases'], method: 'get', path: '/{number}/audit',
    summary: 'Who did what, when, on this case, and how it ended (A-4)',
    request: { params: z.object({ number: z.string().max(40).openapi({ param: { name: 'number', in: 'path' }, example: 'SR-000042' }) }) },
    responses: { 200: jsonResponse(z.object({ items: z.array(AuditEntry) }), 'The audit trail'), ...problemResponses(401, 403, 404) },
  }), async (c) => {
    const user = c.get('user');
    if (user.role === 'ops') throw problems.forbidden('Ops users read workflow history in the Temporal Web UI (A-6)', 'A-6');
    const row = await findCaseFor(deps.sql, user, c.req.valid('param').number);
    return c.json({ items: await auditForCase(deps.sql, row.case_id) }, 200);
  });

  return router;
}
