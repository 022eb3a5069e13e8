// handlers help reseller users who forgot their password: a one-time reset token (issue 12 item 10).
import { createRoute, z } from '@hono/zod-openapi';
import { issuePasswordResetToken, requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';

const UsernameParam = z.object({
  username: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'username', in: 'path' }, example: 'ola.nordnett' }),
});

const ResetToken = z
  .object({
    username: z.string(),
    token: z.string().openapi({ description: 'Shown only this once: pass it to the user, who sets a new password with POST /v1/auth/password-reset' }),
    expiresAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('PasswordResetToken');

export function handlerUserRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/users/*', requireAuth(deps), requireHandler);

  router.openapi(
    createRoute({
      method: 'post',
      path: '/users/{username}/password-reset',
      tags: ['Handler'],
      security: [{ bearer: [] }],
      summary: "Issue a one-time password reset token for a reseller company's user (valid 24 hours; an earlier one stops working)",
      request: { params: UsernameParam },
      responses: { 201: jsonResponse(ResetToken, 'The token, shown only this once'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { username } = c.req.valid('param');
      c.set('audit', { action: 'password_reset_issued', detail: { target: username } });
      const issued = await issuePasswordResetToken(deps.sql, username, c.get('user').username);
      if (issued === 'not_found') throw problems.notFound(`User ${username}`);
      if (issued === 'not_external') throw problems.forbidden(`${username} is not a reseller company's user: handlers reset only those (A-2)`, 'A-2');
      if (issued === 'disabled') throw problems.conflict('user_disabled', `${username} is disabled; a reset would not let them in`);
      c.set('audit', { action: 'password_reset_issued', companyId: issued.companyId, detail: { target: username } });
      c.header('Cache-Control', 'no-store');
      return c.json({ username, token: issued.token, expiresAt: issued.expiresAt.toISOString() }, 201);
    },
  );

  return router;
}
