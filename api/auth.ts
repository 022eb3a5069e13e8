// Login, bearer sessions with idle logout, and the role gates of.
import { createHash, randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { AccessType, canOrder, Role } from '../domain/identity';
import { actorOf, type AppDeps, type AppEnv, type AuthUser } from './context';
import { DUMMY_HASH, verifyPassword } from './passwords';
import { HttpProblem, problems } from './problem';

const LOGIN_WINDOW_SECONDS = 15 * 60;
const MAX_FAILURES_PER_USER = 5;
const MAX_FAILURES_PER_ADDRESS = 50;

/** The caller's address where the Node server knows it (in-process test requests have none). */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
import { createRouter } from './router';
import { jsonBody, jsonResponse, problemResponses } from './openapi';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const UserSchema = z.object({
  username: z.string(),
  fullName: z.string(),
  email: z.string(),
  role: Role,
  accessType: AccessType.nullable(),
  companyId: z.string().nullable(),
  department: z.string().nullable(),
  locale: z.enum(['nb', 'en']),
}).openapi('User');

type UserRow = {
  id: string; username: string; full_name: string; email: string; role: AuthUser['role'];
  access_type: AuthUser['accessType']; company_id: string | null; department: string | null; locale: 'nb' | 'en';
};

function toAuthUser(r: UserRow): AuthUser {
  return {
    id: r.id, username: r.username, fullName: r.full_name, email: r.email, role: r.role, accessType: r.access_type,
    companyId: r.company_id, department: r.department, locale: r.locale,
  };
}

function publicUser(u: AuthUser): z.infer<typeof UserSchema> {
  const { id: _id, ...rest } = u;
  return rest;
}

/** Bearer token → user; refuses unknown, ended and idle sessions and touches the session. */
export function requireAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
    if (!match) throw problems.unauthenticated('Send Authorization: Bearer <token> from POST /v1/auth/login');
    const idleSeconds = Math.floor(deps.config.sessionIdleMs / 1000);
    const [row] = await deps.sql<UserRow[]>`
      UPDATE sessions s SET last_seen_at = now()
      FROM users u
      WHERE s.token_hash = ${hashToken(match[1]!)} AND s.ended_at IS NULL AND u.id = s.user_id AND NOT u.disabled
        AND s.last_seen_at > now() - make_interval(secs => ${idleSeconds})
      RETURNING u.id, u.username, u.full_name, u.email, u.role, u.access_type, u.company_id, u.department, u.locale`;
    if (!row) throw problems.unauthenticated('The token is unknown, logged out, or idle for more than 30 minutes (A-5): log in again');
    const user = toAuthUser(row);
    c.set('user', user);
    c.set('actor', actorOf(user));
    await next();
  };
}

/** handler routes. */
export const requireHandler: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('user').role !== 'handler') throw problems.forbidden('Only the wholesaler\'s handlers may do this (A-2)', 'A-2');
  await next();
};

/** creating and acting needs ordering or full access. */
export function assertCanOrder(user: AuthUser): void {
  if (!canOrder(actorOf(user))) {
    throw problems.forbidden(`User ${user.username} has ${user.accessType ?? user.role} access: creating and acting on cases needs ordering or full access (A-3)`, 'A-3');
  }
}

export function authRoutes(deps: AppDeps) {
  const router = createRouter();

  const login = createRoute({
    method: 'post', path: '/login', tags: ['Auth'], summary: 'Log in with username and password',
    request: { body: jsonBody(z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) })) },
    responses: {
      200: jsonResponse(z.object({ token: z.string(), idleTimeoutSeconds: z.number().int(), user: UserSchema }), 'A bearer token'),
      ...problemResponses(400, 401, 429),
    },
  });
  router.openapi(login, async (c) => {
    const { username, password } = c.req.valid('json');
    c.set('audit', { action: 'login', detail: { username } });
    const address = clientAddress(c);
    // brute force: locked per user and slowed per address for a window after repeated failures
    const [recent] = await deps.sql<{ by_user: number; by_address: number }[]>`
      SELECT count(*) FILTER (WHERE username = ${username})::int AS by_user, count(*) FILTER (WHERE address = ${address})::int AS by_address
      FROM login_failures WHERE at > now() - make_interval(secs => ${LOGIN_WINDOW_SECONDS}) AND (username = ${username} OR address = ${address})`;
    if (recent!.by_user >= MAX_FAILURES_PER_USER || recent!.by_address >= MAX_FAILURES_PER_ADDRESS) {
      c.header('Retry-After', String(LOGIN_WINDOW_SECONDS));
      throw new HttpProblem(429, 'too_many_login_attempts', 'Too many failed logins', {
        detail: `Too many failed logins for this user or address; try again in ${LOGIN_WINDOW_SECONDS / 60} minutes or ask your superuser`,
      });
    }
    const [row] = await deps.sql<(UserRow & { password_hash: string; disabled: boolean })[]>`
      SELECT id, username, full_name, email, role, access_type, company_id, department, locale, password_hash, disabled
      FROM users WHERE username = ${username}`;
    // same work for unknown users, so timing does not reveal which usernames exist
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled) {
      await deps.sql`INSERT INTO login_failures (username, address) VALUES (${username}, ${address})`;
      throw problems.unauthenticated('Wrong username or password');
    }
    await deps.sql`DELETE FROM login_failures WHERE username = ${username}`;
    const token = randomBytes(32).toString('base64url');
    await deps.sql`INSERT INTO sessions (token_hash, user_id) VALUES (${hashToken(token)}, ${row.id})`;
    const user = toAuthUser(row);
    c.set('user', user);
    return c.json({ token, idleTimeoutSeconds: Math.floor(deps.config.sessionIdleMs / 1000), user: publicUser(user) }, 200);
  });

  const logout = createRoute({
    method: 'post', path: '/logout', tags: ['Auth'], summary: 'End this session', security: [{ bearer: [] }],
    middleware: [requireAuth(deps)] as const,
    responses: { 204: { description: 'Logged out' }, ...problemResponses(401) },
  });
  router.openapi(logout, async (c) => {
    const token = /^Bearer\s+(.+)$/.exec(c.req.header('Authorization') ?? '')?.[1] ?? '';
    await deps.sql`UPDATE sessions SET ended_at = now() WHERE token_hash = ${hashToken(token)}`;
    return c.body(null, 204);
  });

  const me = createRoute({
    method: 'get', path: '/me', tags: ['Auth'], summary: 'The logged-in user', security: [{ bearer: [] }],
    middleware: [requireAuth(deps)] as const,
    responses: { 200: jsonResponse(UserSchema, 'The user'), ...problemResponses(401) },
  });
  router.openapi(me, (c) => c.json(publicUser(c.get('user')), 200));

  return router;
}
