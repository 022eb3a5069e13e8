// User administration (A-1…A-5, S-4 "Brukeradministrasjon"). Handlers create a company's users, change
// their access type and training (A-3: ordering, full access and the fault module need training first,
// deck slide 8), close them (misuse or leaving; their sessions end at once), and send a one-time password
// link by e-mail. Every change leaves an audit row naming who did it (A-4). The company's full-access
// users and superuser see its users and their access (GET /v1/company/users) and ask for changes with a
// User administration SR, which a handler completes with the change applied
// (POST /v1/handler/service-requests/{number}/complete-user-admin).
import { createRoute, z } from '@hono/zod-openapi';
import type { Sql } from '../../db/client';
import { applyUserChange, sendPasswordLink } from '../../db/user-admin';
import { AccessType, hasFullAccess, Role, Training } from '../../domain/identity';
import { CloseReason, CreateUserChange, type UserChange, type UserFacts } from '../../domain/user-admin';
import { requireAuth, requireHandler } from '../auth';
import type { Context } from 'hono';
import { actorOf, type AppDeps, type AppEnv } from '../context';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';

const UsernameParam = z.object({
  username: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'username', in: 'path' }, example: 'ola.nordnett' }),
});

export const CompanyUser = z
  .object({
    username: z.string().openapi({ description: 'Personal to one person (A-4)' }),
    fullName: z.string().openapi({ description: "The person's name" }),
    email: z.string().openapi({ description: 'Their own address (password links go only there)' }),
    phone: z.string().nullable().openapi({ description: 'Their phone, if registered' }),
    role: Role.describe('reseller or superuser (a full-access user who trains the others, A-3)'),
    accessType: AccessType.nullable().describe('A-3: read, ordering or full'),
    training: z.array(Training).openapi({ description: 'A-3: trainings the user has had (ordering, full access and the fault module need one, deck slide 8)' }),
    companyId: z.string().nullable().openapi({ description: 'The company they work for (A-1)' }),
    locale: z.enum(['nb', 'en']).openapi({ description: 'The language of their e-mails' }),
    closed: z.boolean().openapi({ description: 'A-5: closed users cannot log in; their sessions ended when they were closed' }),
    closedAt: z.string().nullable().openapi({ format: 'date-time', description: 'When the user was closed' }),
    closedReason: CloseReason.nullable().describe('misuse (e.g. a shared username, A-4) or leaving the company'),
    createdAt: z.string().openapi({ format: 'date-time', description: 'When the user was created' }),
    createdBy: z.string().nullable().openapi({ description: 'The handler who created the user (null for users from before user administration)' }),
    contactId: z.uuid().nullable().openapi({ description: 'The contact entry that is the same person, if linked' }),
  })
  .openapi('CompanyUser');

/** A handler a case can be given to (A-2): no contact details, only who they are. */
const HandlerUser = z
  .object({
    username: z.string().openapi({ description: "The handler's username (the assignee)" }),
    fullName: z.string().openapi({ description: "The handler's name" }),
    department: z.string().nullable().openapi({ description: 'Their department or desk, if any' }),
  })
  .openapi('HandlerUser');

const UserPage = z
  .object({
    items: z.array(CompanyUser).openapi({ description: 'Users by company and username' }),
    total: z.number().int().openapi({ description: 'Users matching the filters' }),
    offset: z.number().int().openapi({ description: 'Items skipped' }),
    limit: z.number().int().openapi({ description: 'Page size' }),
  })
  .openapi('CompanyUserPage');

const UserChangeEntry = z
  .object({
    at: z.string().openapi({ format: 'date-time', description: 'When' }),
    by: z.string().openapi({ description: 'The handler who made the change (A-4)' }),
    action: z.string().openapi({ description: 'user.create, user.update, user.close or password_reset_issued' }),
    caseId: z.string().nullable().openapi({ description: 'The User administration service request that asked for it, if any (S-4)' }),
    detail: z.record(z.string(), z.unknown()).openapi({ description: 'What changed, from what to what' }),
  })
  .openapi('UserChangeEntry');

const PasswordLinkSent = z
  .object({
    username: z.string().openapi({ description: 'The user' }),
    sentTo: z.string().openapi({ description: "The user's own e-mail address, masked: the link goes only there (A-4: credentials are personal)" }),
    expiresAt: z.string().openapi({ format: 'date-time', description: 'The link works once, until then' }),
  })
  .openapi('PasswordLinkSent');

const CreateUserBody = CreateUserChange.omit({ kind: true })
  .extend({ companyId: z.string().min(1).max(60).openapi({ description: 'The reseller company the user works for (A-1)' }) })
  .strict()
  .openapi('CreateUser');

const UpdateUserBody = z
  .strictObject({
    accessType: AccessType.optional().describe('A-3: the new access type (ordering and full need their training)'),
    addTraining: z.array(Training).max(3).optional().openapi({ description: 'A-3: trainings the user has now had' }),
    removeTraining: z.array(Training).max(3).optional().openapi({ description: "A-3: trainings to take away (not one the user's access needs)" }),
  })
  .openapi('UpdateUser');

const CloseUserBody = z
  .strictObject({
    reason: CloseReason.describe('misuse or leaving (A-5)'),
    comment: z.string().trim().max(2000).optional().openapi({ description: 'More about why (audited)' }),
  })
  .openapi('CloseUser');

type UserRow = {
  username: string;
  full_name: string;
  email: string;
  phone: string | null;
  role: z.infer<typeof Role>;
  access_type: z.infer<typeof AccessType> | null;
  training: z.infer<typeof Training>[];
  company_id: string | null;
  locale: 'nb' | 'en';
  disabled: boolean;
  closed_at: Date | null;
  closed_reason: z.infer<typeof CloseReason> | null;
  created_at: Date;
  created_by: string | null;
  contact_id: string | null;
};

const userColumns = (sql: Sql) => sql`u.username, u.full_name, u.email, u.phone, u.role, u.access_type, u.training, u.company_id, u.locale, u.disabled,
  u.closed_at, u.closed_reason, u.created_at, u.created_by, (SELECT id FROM contacts WHERE user_id = u.id) AS contact_id`;

function presentUser(r: UserRow): z.infer<typeof CompanyUser> {
  return {
    username: r.username,
    fullName: r.full_name,
    email: r.email,
    phone: r.phone,
    role: r.role,
    accessType: r.access_type,
    training: r.training,
    companyId: r.company_id,
    locale: r.locale,
    closed: r.disabled,
    closedAt: r.closed_at?.toISOString() ?? null,
    closedReason: r.closed_reason,
    createdAt: r.created_at.toISOString(),
    createdBy: r.created_by,
    contactId: r.contact_id,
  };
}

/** What the A-3 decision needs to know of an existing user. */
export async function loadUserFacts(sql: Sql, username: string): Promise<UserFacts | undefined> {
  const [u] = await sql<{ username: string; role: string; company_id: string | null; access_type: z.infer<typeof AccessType> | null; training: z.infer<typeof Training>[]; disabled: boolean }[]>`
    SELECT username, role, company_id, access_type, training, disabled FROM users WHERE username = ${username}`;
  return u ? { username: u.username, role: u.role, companyId: u.company_id, accessType: u.access_type, training: u.training, disabled: u.disabled } : undefined;
}

/** A reseller company's user (handlers and ops are not administered here): 404 otherwise, 409 when closed. */
async function externalUser(sql: Sql, username: string, { open }: { open: boolean }): Promise<UserFacts & { companyId: string }> {
  const facts = await loadUserFacts(sql, username);
  if (!facts || !facts.companyId || (facts.role !== 'reseller' && facts.role !== 'superuser')) throw problems.notFound(`User ${username}`);
  if (open && facts.disabled) throw problems.conflict('user_closed', `${username} is closed (A-5): create a new user instead`);
  return { ...facts, companyId: facts.companyId };
}

const mask = (email: string) => email.replace(/^(.)(.*)(@.*)$/, (_, a: string, b: string, d: string) => `${a}${'*'.repeat(Math.min(b.length, 6))}${d}`);

async function listUsers(sql: Sql, filter: { companyId?: string | undefined; q?: string | undefined; includeClosed: boolean; offset: number; limit: number }) {
  const like = filter.q ? '%' + filter.q.toLowerCase().replace(/[%_\\]/g, (m) => '\\' + m) + '%' : null;
  const where = sql`u.company_id IS NOT NULL
    ${filter.companyId ? sql`AND u.company_id = ${filter.companyId}` : sql``}
    ${filter.includeClosed ? sql`` : sql`AND NOT u.disabled`}
    ${like ? sql`AND (lower(u.username) LIKE ${like} OR lower(u.full_name) LIKE ${like} OR lower(u.email) LIKE ${like})` : sql``}`;
  const [rows, [count]] = await Promise.all([
    sql<UserRow[]>`SELECT ${userColumns(sql)} FROM users u WHERE ${where} ORDER BY u.company_id, u.username LIMIT ${filter.limit} OFFSET ${filter.offset}`,
    sql<{ n: number }[]>`SELECT count(*)::int AS n FROM users u WHERE ${where}`,
  ]);
  return { items: rows.map(presentUser), total: count?.n ?? 0, offset: filter.offset, limit: filter.limit };
}

async function userByName(sql: Sql, username: string): Promise<z.infer<typeof CompanyUser>> {
  const [row] = await sql<UserRow[]>`SELECT ${userColumns(sql)} FROM users u WHERE u.username = ${username}`;
  if (!row) throw problems.notFound(`User ${username}`);
  return presentUser(row);
}

export function handlerUserRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/users', requireAuth(deps), requireHandler);
  router.use('/users/*', requireAuth(deps), requireHandler);
  router.use('/handlers', requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };
  const baseUrl = deps.config.publicBaseUrl ?? 'http://127.0.0.1:3000';

  /** Applies a change through the one function the SR completion's activity uses too; 400 names each field. */
  const apply = async (c: Context<AppEnv>, companyId: string, change: UserChange) => {
    const outcome = await applyUserChange(deps.sql, { companyId, change, by: c.get('user').username, baseUrl });
    if (!outcome.ok) throw problems.validation(outcome.problems.map((p) => ({ field: `body.${p.field}`, code: 'rule_violation' as const, rule: p.rule, message: p.message })));
    // A-4: the request's audit row says what changed, from what to what
    c.set('audit', { action: `user.${change.kind}`, companyId, detail: { target: change.username, ...outcome.detail } });
  };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/users',
      summary: "Reseller companies' users with their access type and training",
      request: {
        query: z.object({
          companyId: z.string().max(60).optional().openapi({ description: "Only one company's users" }),
          q: z.string().max(100).optional().openapi({ description: 'Text in username, name or e-mail' }),
          includeClosed: z.enum(['true', 'false']).default('false').openapi({ description: 'Also closed users (A-5)' }),
          offset: z.coerce.number().int().min(0).default(0).openapi({ description: 'Items to skip' }),
          limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ description: 'Page size (at most 100)' }),
        }),
      },
      responses: { 200: jsonResponse(UserPage, 'Users'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listUsers(deps.sql, { ...q, includeClosed: q.includeClosed === 'true' }), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/handlers',
      summary: "The wholesaler's active handlers, by name: whom a case can be given to (A-2, POST /v1/handler/cases/{number}/assign)",
      responses: { 200: jsonResponse(z.object({ items: z.array(HandlerUser) }).openapi('HandlerUserList'), 'The handlers'), ...problemResponses(401, 403) },
    }),
    async (c) => {
      const rows = await deps.sql<{ username: string; full_name: string; department: string | null }[]>`
        SELECT username, full_name, department FROM users WHERE role = 'handler' AND NOT disabled ORDER BY full_name, username`;
      return c.json({ items: rows.map((r) => ({ username: r.username, fullName: r.full_name, department: r.department })) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/users',
      summary: 'Create a user for a company (A-1, A-3); the person gets a one-time link by e-mail to choose a password',
      request: { body: jsonBody(CreateUserBody) },
      responses: { 201: jsonResponse(CompanyUser, 'Created'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const { companyId, ...fields } = c.req.valid('json');
      const [company] = await deps.sql`SELECT 1 FROM companies WHERE id = ${companyId} AND kind = 'reseller'`;
      if (!company) throw problems.validation([{ field: 'body.companyId', code: 'reference_not_found', rule: 'A-1', message: `no reseller company ${companyId}` }]);
      c.set('audit', { action: 'user.create', companyId, detail: { target: fields.username } });
      await apply(c, companyId, { kind: 'create', ...fields });
      return c.json(await userByName(deps.sql, fields.username), 201);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/users/{username}',
      summary: 'One user with every administration change made to them (A-4)',
      request: { params: UsernameParam },
      responses: { 200: jsonResponse(CompanyUser.extend({ changes: z.array(UserChangeEntry) }).openapi('CompanyUserDetail'), 'The user'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { username } = c.req.valid('param');
      await externalUser(deps.sql, username, { open: false });
      const changes = await deps.sql<{ at: Date; username: string; action: string; case_id: string | null; detail: Record<string, unknown> }[]>`
        SELECT at, username, action, case_id, detail FROM audit_log
        WHERE detail ->> 'target' = ${username} AND outcome = 'accepted' AND (action LIKE 'user.%' OR action = 'password_reset_issued') ORDER BY at, id`;
      return c.json(
        { ...(await userByName(deps.sql, username)), changes: changes.map((r) => ({ at: r.at.toISOString(), by: r.username, action: r.action, caseId: r.case_id, detail: r.detail })) },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'patch',
      path: '/users/{username}',
      summary: 'Change access type and training flags (A-3: ordering and full access need their training)',
      request: { params: UsernameParam, body: jsonBody(UpdateUserBody) },
      responses: { 200: jsonResponse(CompanyUser, 'Changed'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { username } = c.req.valid('param');
      const target = await externalUser(deps.sql, username, { open: true });
      const body = c.req.valid('json');
      c.set('audit', { action: 'user.update', companyId: target.companyId, detail: { target: username } });
      await apply(c, target.companyId, { kind: 'update', username, ...body });
      return c.json(await userByName(deps.sql, username), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/users/{username}/close',
      summary: 'Close a user (misuse or leaving): every session ends at once and no password link works (A-5)',
      request: { params: UsernameParam, body: jsonBody(CloseUserBody) },
      responses: { 200: jsonResponse(CompanyUser, 'Closed'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { username } = c.req.valid('param');
      const target = await externalUser(deps.sql, username, { open: true });
      const body = c.req.valid('json');
      c.set('audit', { action: 'user.close', companyId: target.companyId, detail: { target: username, reason: body.reason } });
      await apply(c, target.companyId, { kind: 'close', username, ...body });
      return c.json(await userByName(deps.sql, username), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/users/{username}/password-reset',
      tags: ['Handler'],
      security: [{ bearer: [] }],
      summary: "E-mail a reseller company's user a one-time link to set a new password (valid 24 hours; an earlier link stops working)",
      description: 'The link goes only to the address registered for the user; the handler never sees it (A-4: credentials are personal).',
      request: { params: UsernameParam },
      responses: { 201: jsonResponse(PasswordLinkSent, 'The link was queued for sending'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { username } = c.req.valid('param');
      c.set('audit', { action: 'password_reset_issued', detail: { target: username } });
      const [user] = await deps.sql<{ id: string; role: string; company_id: string | null; disabled: boolean; email: string; locale: 'nb' | 'en' }[]>`
        SELECT id, role, company_id, disabled, email, locale FROM users WHERE username = ${username}`;
      if (!user) throw problems.notFound(`User ${username}`);
      if (user.role !== 'reseller' && user.role !== 'superuser') throw problems.forbidden(`${username} is not a reseller company's user: handlers reset only those (A-2)`, 'A-2');
      if (user.disabled) throw problems.conflict('user_disabled', `${username} is disabled; a reset would not let them in`);
      c.set('audit', { action: 'password_reset_issued', companyId: user.company_id, detail: { target: username } });
      const { expiresAt } = await deps.sql.begin((tx) => sendPasswordLink(tx, { userId: user.id, username, email: user.email, locale: user.locale, issuedBy: c.get('user').username, baseUrl }));
      return c.json({ username, sentTo: mask(user.email), expiresAt: expiresAt.toISOString() }, 201);
    },
  );

  return router;
}

/** A-3 / S-4: the company's authorised orderer (full access) and superuser see its users and their access. */
export function companyUserRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/users', requireAuth(deps));

  router.openapi(
    createRoute({
      security: [{ bearer: [] }],
      tags: ['Users'],
      method: 'get',
      path: '/users',
      summary: "The company's users and their access (full access and superuser); ask for changes with a User administration service request (S-4)",
      request: {
        query: z.object({
          includeClosed: z.enum(['true', 'false']).default('false').openapi({ description: 'Also closed users (A-5)' }),
          offset: z.coerce.number().int().min(0).default(0).openapi({ description: 'Items to skip' }),
          limit: z.coerce.number().int().min(1).max(100).default(100).openapi({ description: 'Page size (at most 100)' }),
        }),
      },
      responses: { 200: jsonResponse(UserPage, "The company's users"), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const user = c.get('user');
      if (!user.companyId || !hasFullAccess(actorOf(user))) {
        throw problems.forbidden("The company's users are shown to its full-access users and superuser (A-3, S-4)", 'A-3');
      }
      const q = c.req.valid('query');
      return c.json(await listUsers(deps.sql, { companyId: user.companyId, includeClosed: q.includeClosed === 'true', offset: q.offset, limit: q.limit }), 200);
    },
  );

  return router;
}
