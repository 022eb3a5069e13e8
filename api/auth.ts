// Login, bearer sessions with idle logout, password change and reset, and the role gates of.
import { randomBytes } from 'node:crypto';
import type { BlockList } from 'node:net';
import { createRoute, z } from '@hono/zod-openapi';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Sql } from '../db/client';
import { hashToken } from '../db/user-admin';
import { AccessType, canOrder, Role, Training } from '../domain/identity';
import { clientAddress, parseTrustedProxies } from './client-address';
import { actorOf, type AppDeps, type AppEnv, type AuthUser } from './context';
import { dummyHash, hashPassword, needsRehash, newPasswordProblem, SCRYPT_PARAMS, verifyPassword } from './passwords';
import { HttpProblem, problems } from './problem';
import { createRouter } from './router';
import { jsonBody, jsonResponse, problemResponses } from './openapi';

// Brute force (issue 12 item 9): failures count per (username, client address), so a stranger elsewhere
// cannot lock anyone out. After FREE_FAILURES from one address that pair waits 1 s, 2 s, 4 s … (capped)
// before its next attempt; a success from the address clears the pair. Usernames are guessable
// (firstname.company), so nothing is ever locked per username alone.
const FREE_FAILURES = 5;
const MAX_DELAY_SECONDS = 15 * 60;
/** A pair's failures older than this are forgotten. */
const FAILURE_MEMORY_SECONDS = 24 * 60 * 60;
// Credential stuffing: one address failing across many usernames is stopped for a while.
const ADDRESS_WINDOW_SECONDS = 15 * 60;
const MAX_FAILURES_PER_ADDRESS = 50;

/** Seconds a (username, address) pair waits after its latest failure, given how many it has. */
export function throttleDelaySeconds(failures: number): number {
  return failures < FREE_FAILURES ? 0 : Math.min(2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS);
}

/** The caller's address: the socket peer, or X-Forwarded-For behind a trusted proxy (in-process test requests have no socket). */
function requestAddress(c: Context, trusted: BlockList): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  return clientAddress(peer, c.req.header('X-Forwarded-For'), trusted);
}

/**
 * Claims one password attempt for (username, address): 429 with Retry-After while the pair or the address
 * must wait; otherwise the attempt is recorded as a failure up front (so parallel guesses cannot all
 * slip through one check) and cleared by `attemptSucceeded`.
 */
async function claimAttempt(c: Context, sql: Sql, username: string, address: string): Promise<void> {
  const waitMs = await sql.begin(async (tx) => {
    // serialises the attempts of one address for the length of this check (never during hashing)
    await tx`SELECT pg_advisory_xact_lock(1819242100, hashtext(${address}))`;
    const [s] = await tx<{ pair: number; last: Date | null; by_address: number; oldest: Date | null; now: Date }[]>`
      SELECT count(*) FILTER (WHERE username = ${username})::int AS pair, max(at) FILTER (WHERE username = ${username}) AS last,
             count(*) FILTER (WHERE at > now() - make_interval(secs => ${ADDRESS_WINDOW_SECONDS}))::int AS by_address,
             min(at) FILTER (WHERE at > now() - make_interval(secs => ${ADDRESS_WINDOW_SECONDS})) AS oldest, now() AS now
      FROM login_failures WHERE address = ${address} AND at > now() - make_interval(secs => ${FAILURE_MEMORY_SECONDS})`;
    const pairWait = s!.last ? s!.last.getTime() + throttleDelaySeconds(s!.pair) * 1000 - s!.now.getTime() : 0;
    const addressWait = s!.by_address >= MAX_FAILURES_PER_ADDRESS && s!.oldest ? s!.oldest.getTime() + ADDRESS_WINDOW_SECONDS * 1000 - s!.now.getTime() : 0;
    const wait = Math.max(pairWait, addressWait);
    if (wait > 0) return wait;
    await tx`INSERT INTO login_failures (username, address) VALUES (${username}, ${address})`;
    return 0;
  });
  if (waitMs > 0) {
    const seconds = Math.ceil(waitMs / 1000);
    c.header('Retry-After', String(seconds));
    throw new HttpProblem(429, 'too_many_login_attempts', 'Too many failed logins', {
      detail: `Too many failed password attempts from this address; try again in ${seconds} s (the wait grows with every further failure)`,
    });
  }
}

async function attemptSucceeded(sql: Sql, username: string, address: string): Promise<void> {
  await sql`DELETE FROM login_failures WHERE username = ${username} AND address = ${address}`;
}

const bearerToken = (c: Context) => /^Bearer\s+(.+)$/.exec(c.req.header('Authorization') ?? '')?.[1] ?? '';

const UserSchema = z
  .object({
    username: z.string(),
    fullName: z.string(),
    email: z.string(),
    role: Role,
    accessType: AccessType.nullable(),
    training: z.array(Training).openapi({ description: 'A-3: trainings the user has had (ordering, full access and the fault module need one)' }),
    companyId: z.string().nullable(),
    department: z.string().nullable(),
    locale: z.enum(['nb', 'en']),
  })
  .openapi('User');

type UserRow = {
  id: string;
  username: string;
  full_name: string;
  email: string;
  role: AuthUser['role'];
  access_type: AuthUser['accessType'];
  training: AuthUser['training'];
  company_id: string | null;
  department: string | null;
  locale: 'nb' | 'en';
};

function toAuthUser(r: UserRow): AuthUser {
  return {
    id: r.id,
    username: r.username,
    fullName: r.full_name,
    email: r.email,
    role: r.role,
    accessType: r.access_type,
    training: r.training,
    companyId: r.company_id,
    department: r.department,
    locale: r.locale,
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
    // a request keeps the session alive. A read is not also a write: the session is touched only
    // when its last touch is older than a 60th of the idle limit (30 s of 30 minutes), so most requests
    // are one SELECT and no commit (issue 16: reads stay flat under load).
    const touchAfterMs = Math.max(1, Math.floor(deps.config.sessionIdleMs / 60));
    const [row] = await deps.sql<UserRow[]>`
      WITH live AS (
        SELECT s.token_hash, u.id AS user_id, u.username, u.full_name, u.email, u.role, u.access_type, u.training, u.company_id, u.department, u.locale
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ${hashToken(match[1]!)} AND s.ended_at IS NULL AND NOT u.disabled
          AND s.last_seen_at > now() - make_interval(secs => ${idleSeconds})
      ), touched AS (
        UPDATE sessions SET last_seen_at = now()
        WHERE token_hash = (SELECT token_hash FROM live) AND last_seen_at < now() - make_interval(secs => ${touchAfterMs / 1000})
      )
      SELECT user_id AS id, username, full_name, email, role, access_type, training, company_id, department, locale FROM live`;
    if (!row) throw problems.unauthenticated('The token is unknown, logged out, or idle for more than 30 minutes (A-5): log in again');
    const user = toAuthUser(row);
    c.set('user', user);
    c.set('actor', actorOf(user));
    await next();
  };
}

/** handler routes. */
export const requireHandler: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('user').role !== 'handler') throw problems.forbidden("Only the wholesaler's handlers may do this (A-2)", 'A-2');
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
  const trusted = parseTrustedProxies(deps.config.trustedProxies ?? '');
  const hashing = deps.config.passwordHashing ?? SCRYPT_PARAMS;
  const unknownUserHash = dummyHash(hashing);

  const login = createRoute({
    method: 'post',
    path: '/login',
    tags: ['Auth'],
    summary: 'Log in with username and password',
    description: 'After 5 failed attempts for one username from one address, that pair waits 1 s, 2 s, 4 s … (429 with Retry-After); other addresses are not affected.',
    request: { body: jsonBody(z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) })) },
    responses: {
      200: jsonResponse(z.object({ token: z.string(), idleTimeoutSeconds: z.number().int(), user: UserSchema }), 'A bearer token'),
      ...problemResponses(400, 401, 429),
    },
  });
  router.openapi(login, async (c) => {
    const { username, password } = c.req.valid('json');
    const address = requestAddress(c, trusted);
    c.set('audit', { action: 'login', detail: { username, address } });
    // checked before the password, so a waiting pair learns nothing from its guesses
    await claimAttempt(c, deps.sql, username, address);
    const [row] = await deps.sql<(UserRow & { password_hash: string; disabled: boolean })[]>`
      SELECT id, username, full_name, email, role, access_type, training, company_id, department, locale, password_hash, disabled
      FROM users WHERE username = ${username}`;
    // same work for unknown users, so timing does not reveal which usernames exist
    const ok = await verifyPassword(password, row?.password_hash ?? unknownUserHash);
    if (!row || !ok || row.disabled) throw problems.unauthenticated('Wrong username or password');
    await attemptSucceeded(deps.sql, username, address);
    if (needsRehash(row.password_hash, hashing)) {
      // older parameters (issue 12 item 11): upgrade while the password is at hand, unless it changed meanwhile
      const upgraded = await hashPassword(password, hashing);
      await deps.sql`UPDATE users SET password_hash = ${upgraded} WHERE id = ${row.id} AND password_hash = ${row.password_hash}`;
    }
    const token = randomBytes(32).toString('base64url');
    await deps.sql`INSERT INTO sessions (token_hash, user_id) VALUES (${hashToken(token)}, ${row.id})`;
    const user = toAuthUser(row);
    c.set('user', user);
    return c.json({ token, idleTimeoutSeconds: Math.floor(deps.config.sessionIdleMs / 1000), user: publicUser(user) }, 200);
  });

  const logout = createRoute({
    method: 'post',
    path: '/logout',
    tags: ['Auth'],
    summary: 'End this session',
    security: [{ bearer: [] }],
    middleware: [requireAuth(deps)] as const,
    responses: { 204: { description: 'Logged out' }, ...problemResponses(401) },
  });
  router.openapi(logout, async (c) => {
    await deps.sql`UPDATE sessions SET ended_at = now() WHERE token_hash = ${hashToken(bearerToken(c))}`;
    return c.body(null, 204);
  });

  const me = createRoute({
    method: 'get',
    path: '/me',
    tags: ['Auth'],
    summary: 'The logged-in user',
    security: [{ bearer: [] }],
    middleware: [requireAuth(deps)] as const,
    responses: { 200: jsonResponse(UserSchema, 'The user'), ...problemResponses(401) },
  });
  router.openapi(me, (c) => c.json(publicUser(c.get('user')), 200));

  const NewPassword = z.string().max(200).openapi({ description: 'At least 12 characters, not the username, not the current password' });

  const changePassword = createRoute({
    method: 'post',
    path: '/password',
    tags: ['Auth'],
    summary: "Change the logged-in user's password; ends the user's other sessions",
    security: [{ bearer: [] }],
    middleware: [requireAuth(deps)] as const,
    request: { body: jsonBody(z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: NewPassword })) },
    responses: { 204: { description: 'Changed; every other session of the user is logged out' }, ...problemResponses(400, 401, 429) },
  });
  router.openapi(changePassword, async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    const user = c.get('user');
    const address = requestAddress(c, trusted);
    c.set('audit', { action: 'password_change', detail: { address } });
    const policy = newPasswordProblem(newPassword, user.username) ?? (newPassword === currentPassword ? 'must differ from the current password' : undefined);
    if (policy) throw problems.validation([{ field: 'body.newPassword', code: 'invalid_value', message: policy }]);
    // a borrowed session must not become a way to guess the password: same throttle as login
    await claimAttempt(c, deps.sql, user.username, address);
    const [row] = await deps.sql<{ password_hash: string }[]>`SELECT password_hash FROM users WHERE id = ${user.id}`;
    if (!row || !(await verifyPassword(currentPassword, row.password_hash))) {
      throw problems.validation([{ field: 'body.currentPassword', code: 'invalid_value', message: 'is not the current password' }]);
    }
    await attemptSucceeded(deps.sql, user.username, address);
    const hash = await hashPassword(newPassword, hashing);
    await deps.sql.begin(async (tx) => {
      await tx`UPDATE users SET password_hash = ${hash} WHERE id = ${user.id}`;
      await tx`UPDATE sessions SET ended_at = now() WHERE user_id = ${user.id} AND ended_at IS NULL AND token_hash <> ${hashToken(bearerToken(c))}`;
      await tx`UPDATE password_reset_tokens SET used_at = now() WHERE user_id = ${user.id} AND used_at IS NULL`;
    });
    return c.body(null, 204);
  });

  const resetPassword = createRoute({
    method: 'post',
    path: '/password-reset',
    tags: ['Auth'],
    summary: 'Set a new password with a one-time token from a handler; ends every session of the user',
    request: { body: jsonBody(z.strictObject({ token: z.string().min(1).max(200), newPassword: NewPassword })) },
    responses: { 204: { description: 'Changed; log in with the new password' }, ...problemResponses(400) },
  });
  router.openapi(resetPassword, async (c) => {
    const { token, newPassword } = c.req.valid('json');
    c.set('audit', { action: 'password_reset' });
    const tokenHash = hashToken(token);
    const deadToken = () => problems.validation([{ field: 'body.token', code: 'invalid_value', message: 'is unknown, already used or expired: ask a handler for a new one' }]);
    const [row] = await deps.sql<{ id: string; username: string; password_hash: string; company_id: string | null }[]>`
      SELECT u.id, u.username, u.password_hash, u.company_id FROM password_reset_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ${tokenHash} AND t.used_at IS NULL AND t.expires_at > now() AND NOT u.disabled`;
    if (!row) throw deadToken();
    c.set('audit', { action: 'password_reset', companyId: row.company_id, detail: { username: row.username } });
    const policy = newPasswordProblem(newPassword, row.username) ?? ((await verifyPassword(newPassword, row.password_hash)) ? 'must differ from the current password' : undefined);
    if (policy) throw problems.validation([{ field: 'body.newPassword', code: 'invalid_value', message: policy }]);
    const hash = await hashPassword(newPassword, hashing);
    const used = await deps.sql.begin(async (tx) => {
      const claimed = await tx`UPDATE password_reset_tokens SET used_at = now() WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > now() RETURNING 1`;
      if (claimed.length === 0) return false; // used by a concurrent request
      await tx`UPDATE users SET password_hash = ${hash} WHERE id = ${row.id}`;
      await tx`UPDATE sessions SET ended_at = now() WHERE user_id = ${row.id} AND ended_at IS NULL`;
      await tx`UPDATE password_reset_tokens SET used_at = now() WHERE user_id = ${row.id} AND used_at IS NULL`;
      return true;
    });
    if (!used) throw deadToken();
    return c.body(null, 204);
  });

  return router;
}
