// Notifications through the API: the company's contacts (O-18), webhook subscriptions with
// their deliveries (parked ones can be replayed), and the polling feed of events.
import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { DEV_CASE_NUMBER_KEY } from '../../domain/case';
import { EVENT_TYPES, WEBHOOK_FAILURES } from '../../domain/notifications';
import { openCursor, sealCursor } from '../kit/cursor';
import { checkWebhookTarget } from '../../notifications/address-policy';
import { hasFullAccess, isExternal } from '../../domain/identity';
import { requireAuth } from '../auth';
import { actorOf, type AppDeps, type AuthUser } from '../context';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';

const ContactSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    kind: z.enum(['personal', 'shared']),
    notifyAllStatusChanges: z.boolean(),
    locale: z.enum(['nb', 'en']),
    username: z.string().nullable().openapi({ description: 'The user this contact is, when the contact is a person with a user (A-4)' }),
  })
  .openapi('Contact');

const ContactInput = z.strictObject({
  name: z.string().trim().min(2).max(200),
  email: z.email().max(200),
  kind: z.enum(['personal', 'shared']).openapi({ description: 'O-18: a personal address or the shared customer-service address' }),
  notifyAllStatusChanges: z.boolean().default(false).openapi({ description: 'O-18: e-mail on every status change' }),
  locale: z.enum(['nb', 'en']).default('nb'),
  username: z.string().min(1).max(100).nullable().optional().openapi({ description: "Link the contact to the company's user who is the same person; null unlinks" }),
});

const SubscriptionSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    active: z.boolean(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('WebhookSubscription');

const DELIVERY_STATUSES = ['pending', 'delivered', 'parked', 'cancelled'] as const;
type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
const WebhookFailure = z.enum(WEBHOOK_FAILURES);

const DeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.uuid(),
    caseId: z.string(),
    sequence: z.number().int(),
    status: z.enum(DELIVERY_STATUSES).openapi({ description: 'cancelled: the subscription ended before it was sent' }),
    attempts: z.number().int(),
    lastError: WebhookFailure.nullable().openapi({ description: 'Why the last attempt failed, as a category; a redirect is never followed' }),
    deliveredAt: z.string().nullable(),
  })
  .openapi('WebhookDelivery');

const EventSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    caseId: z.string(),
    caseType: z.string(),
    reference: z.string(),
    status: z.string(),
    previousStatus: z.string().nullable(),
    sequence: z.number().int(),
    occurredAt: z.string(),
  })
  .openapi('CaseEvent');

const IdParam = z.object({ id: z.uuid() });

function companyOf(user: AuthUser): string {
  if (!isExternal(actorOf(user)) || !user.companyId) throw problems.forbidden('Contacts, subscriptions and events belong to a reseller company (A-1)', 'A-1');
  return user.companyId;
}

function assertFullAccess(user: AuthUser): string {
  const companyId = companyOf(user);
  if (!hasFullAccess(actorOf(user))) throw problems.forbidden("Managing the company's contacts and subscriptions needs full access (A-3)", 'A-3');
  return companyId;
}

type ContactRow = { id: string; name: string; email: string; kind: 'personal' | 'shared'; notify_all_status_changes: boolean; locale: 'nb' | 'en'; username: string | null };
const contact = (r: ContactRow) => ({ id: r.id, name: r.name, email: r.email, kind: r.kind, notifyAllStatusChanges: r.notify_all_status_changes, locale: r.locale, username: r.username ?? null });

/** A contact is linked only to a user of its own company (A-1); undefined leaves the link as it is. */
async function linkedUserId(sql: AppDeps['sql'], companyId: string, username: string | null | undefined): Promise<string | null | undefined> {
  if (username === undefined || username === null) return username;
  const [u] = await sql<{ id: string }[]>`SELECT id FROM users WHERE username = ${username} AND company_id = ${companyId}`;
  if (!u) throw problems.validation([{ field: 'body.username', code: 'reference_not_found', message: `no user ${username} in the company` }]);
  return u.id;
}

/** contacts_user: one contact per user. */
function linkTaken(err: unknown): void {
  if ((err as { code?: unknown }).code === '23505' && (err as { constraint_name?: unknown }).constraint_name === 'contacts_user') {
    throw problems.conflict('contact_user_linked', 'That user is already linked to another contact of the company');
  }
}

export function notificationRoutes(deps: AppDeps) {
  const router = createRouter();
  // mounted at /v1: guard only this router's paths (a '*' here would also guard /v1/auth/login)
  const auth = requireAuth(deps);
  for (const path of ['/contacts', '/contacts/*', '/webhooks', '/webhooks/*', '/events']) router.use(path, auth);
  const { sql } = deps;
  const webhookPolicy = deps.config.webhookPolicy ?? {};
  const tag = (t: string) => ({ security: [{ bearer: [] }], tags: [t] });

  // ---- contacts (O-18) ----
  router.openapi(
    createRoute({
      ...tag('Contacts'),
      method: 'get',
      path: '/contacts',
      summary: "The company's contact entries",
      responses: { 200: jsonResponse(z.object({ items: z.array(ContactSchema) }), 'Contacts'), ...problemResponses(401, 403) },
    }),
    async (c) => {
      const rows = await sql<ContactRow[]>`SELECT c.*, u.username FROM contacts c LEFT JOIN users u ON u.id = c.user_id WHERE c.company_id = ${companyOf(c.get('user'))} ORDER BY c.name, c.email`;
      return c.json({ items: rows.map(contact) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...tag('Contacts'),
      method: 'post',
      path: '/contacts',
      summary: 'Add a contact (full access)',
      request: { body: jsonBody(ContactInput) },
      responses: { 201: jsonResponse(ContactSchema, 'Added'), ...problemResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      const companyId = assertFullAccess(c.get('user'));
      const b = c.req.valid('json');
      const userId = (await linkedUserId(sql, companyId, b.username)) ?? null;
      const [row] = await sql<ContactRow[]>`
      INSERT INTO contacts (company_id, name, email, kind, notify_all_status_changes, locale, user_id)
      VALUES (${companyId}, ${b.name}, ${b.email.toLowerCase()}, ${b.kind}, ${b.notifyAllStatusChanges}, ${b.locale}, ${userId})
      ON CONFLICT (company_id, email) DO NOTHING RETURNING *, (SELECT username FROM users WHERE id = user_id)`.catch((err: unknown) => {
        linkTaken(err);
        throw err;
      });
      if (!row) throw problems.conflict('duplicate_contact', `${b.email} is already a contact of the company`);
      c.set('audit', { action: 'contact.create', detail: { contactId: row.id } });
      return c.json(contact(row), 201);
    },
  );

  router.openapi(
    createRoute({
      ...tag('Contacts'),
      method: 'patch',
      path: '/contacts/{id}',
      summary: 'Change a contact (full access)',
      request: { params: IdParam, body: jsonBody(ContactInput.partial().refine((b) => Object.keys(b).length > 0, 'give at least one field')) },
      responses: { 200: jsonResponse(ContactSchema, 'Changed'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const companyId = assertFullAccess(c.get('user'));
      const b = c.req.valid('json');
      const userId = await linkedUserId(sql, companyId, b.username);
      const [row] = await sql<ContactRow[]>`
      UPDATE contacts SET user_id = ${userId === undefined ? sql`user_id` : userId},
        name = coalesce(${b.name ?? null}, name), email = coalesce(${b.email?.toLowerCase() ?? null}, email), kind = coalesce(${b.kind ?? null}, kind),
        notify_all_status_changes = coalesce(${b.notifyAllStatusChanges ?? null}, notify_all_status_changes), locale = coalesce(${b.locale ?? null}, locale)
      WHERE id = ${c.req.valid('param').id} AND company_id = ${companyId} RETURNING *, (SELECT username FROM users WHERE id = user_id)`.catch((err: unknown) => {
        linkTaken(err);
        // UNIQUE (company_id, email): another contact already has the new address
        if ((err as { code?: unknown }).code === '23505') throw problems.conflict('duplicate_contact', `${b.email} is already a contact of the company`);
        throw err;
      });
      if (!row) throw problems.notFound('Contact');
      c.set('audit', { action: 'contact.update', detail: { contactId: row.id } });
      return c.json(contact(row), 200);
    },
  );

  router.openapi(
    createRoute({
      ...tag('Contacts'),
      method: 'delete',
      path: '/contacts/{id}',
      summary: 'Remove a contact (full access)',
      request: { params: IdParam },
      responses: { 204: { description: 'Removed' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const companyId = assertFullAccess(c.get('user'));
      const deleted = await sql`DELETE FROM contacts WHERE id = ${c.req.valid('param').id} AND company_id = ${companyId} RETURNING id`;
      if (deleted.length === 0) throw problems.notFound('Contact');
      c.set('audit', { action: 'contact.delete' });
      return c.body(null, 204);
    },
  );

  // ---- webhook subscriptions ----
  type SubRow = { id: string; url: string; event_types: string[]; active: boolean; created_by: string; created_at: Date };
  const subscription = (r: SubRow) => ({ id: r.id, url: r.url, eventTypes: r.event_types, active: r.active, createdBy: r.created_by, createdAt: r.created_at.toISOString() });

  router.openapi(
    createRoute({
      ...tag('Events'),
      method: 'get',
      path: '/webhooks',
      summary: "The company's webhook subscriptions",
      responses: { 200: jsonResponse(z.object({ items: z.array(SubscriptionSchema) }), 'Subscriptions'), ...problemResponses(401, 403) },
    }),
    async (c) => {
      const rows = await sql<SubRow[]>`SELECT * FROM webhook_subscriptions WHERE company_id = ${companyOf(c.get('user'))} ORDER BY created_at`;
      return c.json({ items: rows.map(subscription) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...tag('Events'),
      method: 'post',
      path: '/webhooks',
      summary: 'Subscribe a callback URL to event types (full access); the secret signs every body (HMAC-SHA256)',
      request: {
        body: jsonBody(
          z.strictObject({
            url: z
              .url({ protocol: /^https?$/ })
              .max(500)
              .openapi({ description: 'An https URL that resolves to public internet addresses only' }),
            eventTypes: z.array(z.enum(EVENT_TYPES)).min(1),
            secret: z.string().min(16).max(200).optional().openapi({ description: 'Generated when left out; returned only now' }),
          }),
        ),
      },
      responses: { 201: jsonResponse(SubscriptionSchema.extend({ secret: z.string() }), 'Subscribed'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const user = c.get('user');
      const companyId = assertFullAccess(user);
      const b = c.req.valid('json');
      // issue 12 #6: our servers make this request, so it must not reach our own network; the
      // dispatcher checks again at send time. Unresolvable and internal names answer alike.
      const target = await checkWebhookTarget(b.url, webhookPolicy);
      if (!target.ok) {
        throw problems.validation([
          {
            field: 'body.url',
            code: 'invalid_value',
            message: target.reason === 'scheme' ? 'must be an https URL' : 'must reach a public internet address (not loopback, private, link-local or metadata addresses)',
          },
        ]);
      }
      const secret = b.secret ?? randomBytes(24).toString('base64url');
      const [row] = await sql<SubRow[]>`INSERT INTO webhook_subscriptions (company_id, url, secret, event_types, created_by)
      VALUES (${companyId}, ${target.url.href}, ${secret}, ${b.eventTypes as string[]}, ${user.username}) RETURNING *`;
      c.set('audit', { action: 'webhook.subscribe', detail: { subscriptionId: row!.id } });
      return c.json({ ...subscription(row!), secret }, 201);
    },
  );

  router.openapi(
    createRoute({
      ...tag('Events'),
      method: 'delete',
      path: '/webhooks/{id}',
      summary: 'End a subscription (full access); its undelivered events are cancelled',
      request: { params: IdParam },
      responses: { 204: { description: 'Ended' }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const companyId = assertFullAccess(c.get('user'));
      const { id } = c.req.valid('param');
      // issue 12 #7: nothing queued goes out after this (the dispatcher claims active subscriptions only)
      const rows = await sql.begin(async (tx) => {
        const ended = await tx`UPDATE webhook_subscriptions SET active = false WHERE id = ${id} AND company_id = ${companyId} RETURNING id`;
        if (ended.length > 0) await tx`UPDATE webhook_deliveries SET status = 'cancelled' WHERE subscription_id = ${id} AND status IN ('pending', 'parked')`;
        return ended;
      });
      if (rows.length === 0) throw problems.notFound('Subscription');
      c.set('audit', { action: 'webhook.unsubscribe' });
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      ...tag('Events'),
      method: 'get',
      path: '/webhooks/{id}/deliveries',
      summary: 'Deliveries of a subscription (e.g. the parked ones)',
      request: { params: IdParam, query: z.object({ status: z.enum(DELIVERY_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: jsonResponse(z.object({ items: z.array(DeliverySchema) }), 'Deliveries'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const companyId = companyOf(c.get('user'));
      const { id } = c.req.valid('param');
      const { status, limit } = c.req.valid('query');
      const [sub] = await sql`SELECT id FROM webhook_subscriptions WHERE id = ${id} AND company_id = ${companyId}`;
      if (!sub) throw problems.notFound('Subscription');
      const rows = await sql<{ id: string; event_id: string; case_id: string; seq: number; status: DeliveryStatus; attempts: number; last_error: string | null; delivered_at: Date | null }[]>`
      SELECT * FROM webhook_deliveries WHERE subscription_id = ${id} ${status ? sql`AND status = ${status}` : sql``} ORDER BY id LIMIT ${limit}`;
      // a category only, whatever the row holds (#6)
      const category = (e: string | null) => (e === null ? null : (WebhookFailure.safeParse(e).data ?? 'connection_failed'));
      return c.json(
        {
          items: rows.map((r) => ({
            id: String(r.id),
            eventId: r.event_id,
            caseId: r.case_id,
            sequence: r.seq,
            status: r.status,
            attempts: r.attempts,
            lastError: category(r.last_error),
            deliveredAt: r.delivered_at?.toISOString() ?? null,
          })),
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      ...tag('Events'),
      method: 'post',
      path: '/webhooks/{id}/replay',
      summary: 'Replay every parked delivery of the subscription (full access)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(z.object({ replayed: z.number().int() }), 'Queued again'), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const companyId = assertFullAccess(c.get('user'));
      const { id } = c.req.valid('param');
      const [sub] = await sql<{ active: boolean }[]>`SELECT active FROM webhook_subscriptions WHERE id = ${id} AND company_id = ${companyId}`;
      if (!sub) throw problems.notFound('Subscription');
      if (!sub.active) throw problems.conflict('subscription_ended', 'The subscription has ended; its deliveries are cancelled');
      const rows = await sql`UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now()
                           WHERE subscription_id = ${id} AND status = 'parked' RETURNING id`;
      c.set('audit', { action: 'webhook.replay', detail: { subscriptionId: id, replayed: rows.length } });
      return c.json({ replayed: rows.length }, 200);
    },
  );

  // ---- polling feed ----
  router.openapi(
    createRoute({
      ...tag('Events'),
      method: 'get',
      path: '/events',
      summary: "The company's events in order, from a cursor",
      request: {
        query: z.object({
          after: z
            .string()
            .regex(/^[A-Za-z0-9_-]{22}$/, 'a cursor from nextCursor')
            .optional(),
          type: z.enum(EVENT_TYPES).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: { 200: jsonResponse(z.object({ items: z.array(EventSchema), nextCursor: z.string().nullable() }), 'Events after the cursor'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const companyId = companyOf(c.get('user'));
      const { after, type, limit } = c.req.valid('query');
      const secret = deps.config.caseNumberKey ?? DEV_CASE_NUMBER_KEY;
      const from = after === undefined ? 0n : openCursor(after, companyId, secret);
      if (from === undefined) throw problems.validation([{ field: 'query.after', code: 'invalid_value', message: 'not a cursor this feed gave you: use nextCursor' }]);
      const rows = await sql<
        { position: string; id: string; event_type: string; case_id: string; case_type: string; number: string; status: string; previous_status: string | null; seq: number; occurred_at: Date }[]
      >`
      SELECT * FROM case_events WHERE company_id = ${companyId} AND position > ${from.toString()}
        ${type ? sql`AND event_type = ${type}` : sql``}
      ORDER BY position LIMIT ${limit}`;
      return c.json(
        {
          items: rows.map((r) => ({
            id: r.id,
            type: r.event_type,
            caseId: r.case_id,
            caseType: r.case_type,
            reference: r.number,
            status: r.status,
            previousStatus: r.previous_status,
            sequence: r.seq,
            occurredAt: r.occurred_at.toISOString(),
          })),
          nextCursor: rows.length > 0 ? sealCursor(BigInt(rows.at(-1)!.position), companyId, secret) : (after ?? null),
        },
        200,
      );
    },
  );

  return router;
}
