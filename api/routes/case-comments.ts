// G-3: the comments a handler made visible to the customer, on any case of the company (internal
// notes stay with the handlers). The same tenancy as every case read: ops 403 (A-6), another
// company's case answers like a missing one (A-1).
import { createRoute, z } from '@hono/zod-openapi';
import type { CaseRow } from '../../db/cases';
import { requireAuth } from '../auth';
import type { AppDeps } from '../context';
import { tenantOf } from '../kit/load-case';
import { jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';
import { ANY_CASE_NUMBER, CaseNoteSchema, notesOf } from './handler-tools';

export function caseCommentRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/:number/comments', requireAuth(deps));

  router.openapi(
    createRoute({
      security: [{ bearer: [] }],
      tags: ['Cases'],
      method: 'get',
      path: '/{number}/comments',
      summary: "The wholesaler's comments on the case, for the customer (G-3)",
      request: {
        params: z.object({
          number: z
            .string()
            .regex(ANY_CASE_NUMBER, 'a case number like SR-000042 or ORD-000042:1')
            .openapi({ param: { name: 'number', in: 'path' }, example: 'SR-000042' }),
        }),
      },
      responses: { 200: jsonResponse(z.object({ items: z.array(CaseNoteSchema) }), 'The comments'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const tenant = tenantOf(c.get('user'));
      const number = c.req.valid('param').number;
      const [row] = await deps.sql<Pick<CaseRow, 'case_id' | 'number'>[]>`
        SELECT case_id, number FROM cases WHERE number = ${number} ${tenant === null ? deps.sql`` : deps.sql`AND company_id = ${tenant}`}`;
      if (!row) throw problems.notFound(`Case ${number}`);
      return c.json({ items: await notesOf(deps.sql, row, 'customer') }, 200);
    },
  );

  return router;
}
