// Case-wide reads: the audit trail of a case (A-4), for its company and for handlers; ops read
// workflow histories in the Temporal Web UI instead (A-6).
import { createRoute, z } from '@hono/zod-openapi';
import { auditForCase } from '../audit';
import { requireAuth } from '../auth';
import { type CaseRow } from '../../db/cases';
import type { AppDeps } from '../context';
import { tenantOf } from '../kit/load-case';
import { jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';

const AuditEntry = z
  .object({
    at: z.string(),
    username: z.string(),
    companyId: z.string().nullable(),
    caseId: z.string().nullable(),
    action: z.string(),
    outcome: z.string(),
    statusCode: z.number().int().nullable(),
  })
  .openapi('AuditEntry');

export function caseRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));

  router.openapi(
    createRoute({
      security: [{ bearer: [] }],
      tags: ['Cases'],
      method: 'get',
      path: '/{number}/audit',
      summary: 'Who did what, when, on this case, and how it ended (A-4)',
      request: {
        params: z.object({
          number: z
            .string()
            .max(40)
            .openapi({ param: { name: 'number', in: 'path' }, example: 'SR-000042' }),
        }),
      },
      responses: { 200: jsonResponse(z.object({ items: z.array(AuditEntry) }), 'The audit trail'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      // any case type: the same tenancy as loadCase (403 for ops, A-6; a foreign case is a missing one, A-1)
      const tenant = tenantOf(c.get('user'));
      const number = c.req.valid('param').number;
      const [row] = await deps.sql<Pick<CaseRow, 'case_id' | 'case_type'>[]>`
      SELECT case_id, case_type FROM cases WHERE number = ${number} ${tenant === null ? deps.sql`` : deps.sql`AND company_id = ${tenant}`}`;
      if (!row) throw problems.notFound(`Case ${number}`);
      return c.json({ items: await auditForCase(deps.sql, row.case_id) }, 200);
    },
  );

  return router;
}
