// Operational messages (M-4, "Driftsmeldinger"): known faults and planned work, shown on Home while in
// force, optionally for a product or a place; handlers publish, change and withdraw them (audited, A-4).
// The conventions every M-4.2 publication shares (its id, instants, withdrawal) are here too.
import { createRoute, z } from '@hono/zod-openapi';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import type { Queryable } from '../../db/client';
import { messagesInForce, type OperationalMessageRow } from '../../db/operational-messages';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { assertMayReadCases } from '../kit/load-case';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { type FieldProblem, problems } from '../problem';
import { createRouter } from '../router';

// ---- what every publication shares (M-4.2) --------------------------------------------------------

export const Instant = z.iso.datetime({ offset: true }).openapi({ format: 'date-time', example: '2026-12-01T08:00:00+01:00' });
export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '00000000-0000-4000-8000-000000000000', description: 'The message or note' }) });
/** M-4.2: a withdrawn message or note stays for the record and never changes again. */
export const withdrawn = (what: string, at: Date) => problems.conflict('withdrawn', `${what} was withdrawn at ${at.toISOString()}; publish a new one (M-4.2)`, { rule: 'M-4.2' });

// ---- operational messages ---------------------------------------------------------------------

const MessageKind = z.enum(['fault', 'planned_work']).openapi({ description: 'fault: a known fault; planned_work: announced maintenance' });

export const OperationalMessage = z
  .object({
    id: z.uuid().openapi({ description: 'The message' }),
    kind: MessageKind,
    title: z.string().openapi({ description: 'Headline shown on Home' }),
    body: z.string().openapi({ description: 'The text: what is affected, what is known, what to do' }),
    productCodes: z.array(z.string()).openapi({ description: 'Affected products (catalogue codes); empty: every product' }),
    municipalities: z.array(z.string()).openapi({ description: 'Affected municipalities; empty: the whole country' }),
    postcodes: z.array(z.string()).openapi({ description: 'Affected postcodes; empty: every postcode' }),
    startsAt: z.string().openapi({ format: 'date-time', description: 'Shown from this instant (a message can be planned ahead, M-4.2)' }),
    endsAt: z.string().nullable().openapi({ format: 'date-time', description: 'Expires at this instant (the end of its window); null: until withdrawn' }),
    state: z.enum(['planned', 'in_force', 'expired', 'withdrawn']).openapi({ description: 'Where the message is in its window now' }),
    publishedBy: z.string().openapi({ description: 'The handler who published it' }),
    publishedAt: z.string().openapi({ format: 'date-time', description: 'When it was published' }),
    updatedAt: z.string().openapi({ format: 'date-time', description: 'When it was last changed' }),
    withdrawnAt: z.string().nullable().openapi({ format: 'date-time', description: 'Set when a handler withdrew it; it is then no longer shown' }),
  })
  .openapi('OperationalMessage');

function messageState(r: OperationalMessageRow, now: Date): z.infer<typeof OperationalMessage>['state'] {
  if (r.withdrawn_at) return 'withdrawn';
  if (r.starts_at > now) return 'planned';
  if (r.ends_at && r.ends_at <= now) return 'expired';
  return 'in_force';
}

export function presentMessage(r: OperationalMessageRow, now = new Date()): z.infer<typeof OperationalMessage> {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    body: r.body,
    productCodes: r.product_codes,
    municipalities: r.municipalities,
    postcodes: r.postcodes,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at?.toISOString() ?? null,
    state: messageState(r, now),
    publishedBy: r.published_by,
    publishedAt: r.published_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    withdrawnAt: r.withdrawn_at?.toISOString() ?? null,
  };
}

const Codes = (what: string) => z.array(z.string().trim().min(1).max(40)).max(200).openapi({ description: what });

const MessageFields = {
  kind: MessageKind,
  title: z.string().trim().min(1, 'required: a title').max(200).openapi({ description: 'Headline shown on Home' }),
  body: z.string().trim().min(1, 'required: the text').max(10_000).openapi({ description: 'The text: what is affected, what is known, what to do' }),
  productCodes: Codes('Affected products (catalogue codes); empty or left out: every product'),
  municipalities: Codes('Affected municipalities; empty or left out: the whole country'),
  postcodes: z
    .array(z.string().regex(/^\d{4}$/, 'a Norwegian postcode, 4 digits'))
    .max(2000)
    .openapi({ description: 'Affected postcodes; empty or left out: every postcode' }),
  startsAt: Instant.openapi({ description: 'Shown from this instant; in the future: planned ahead (M-4.2)' }),
  endsAt: Instant.nullable().openapi({ description: 'Expires at this instant; null or left out: until withdrawn' }),
};

const CreateMessageBody = z
  .strictObject({
    ...MessageFields,
    productCodes: MessageFields.productCodes.optional(),
    municipalities: MessageFields.municipalities.optional(),
    postcodes: MessageFields.postcodes.optional(),
    startsAt: MessageFields.startsAt.optional().openapi({ description: 'Shown from this instant (default now); in the future: planned ahead (M-4.2)' }),
    endsAt: MessageFields.endsAt.optional(),
  })
  .openapi('OperationalMessageInput');

const PatchMessageBody = z
  .strictObject({
    kind: MessageFields.kind.optional(),
    title: MessageFields.title.optional(),
    body: MessageFields.body.optional(),
    productCodes: MessageFields.productCodes.optional(),
    municipalities: MessageFields.municipalities.optional(),
    postcodes: MessageFields.postcodes.optional(),
    startsAt: MessageFields.startsAt.optional(),
    endsAt: MessageFields.endsAt.optional(),
  })
  .openapi('OperationalMessageChange');

/** M-4.2: a window ends after it starts; affected products are catalogue products. */
function checkMessage(m: { productCodes?: string[]; startsAt: Date; endsAt: Date | null }): void {
  const errors: FieldProblem[] = [];
  (m.productCodes ?? []).forEach((code, i) => {
    if (!PRODUCT_CATALOG.has(code)) errors.push({ field: `body.productCodes.${i}`, code: 'reference_not_found', rule: 'M-4.2', message: `no product ${code} in the catalogue` });
  });
  if (m.endsAt && m.endsAt <= m.startsAt) errors.push({ field: 'body.endsAt', code: 'invalid_value', rule: 'M-4.2', message: 'must be after startsAt: the window ends after it starts' });
  if (errors.length > 0) throw problems.validation(errors);
}

export function operationalMessageRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/operational-messages', requireAuth(deps));
  const secured = { security: [{ bearer: [] }], tags: ['Home'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/operational-messages',
      summary: 'Operational messages in force (M-4.1), optionally only those covering a product or place',
      request: {
        query: z.object({
          productCode: z.string().max(40).optional().openapi({ description: 'Only messages covering this product' }),
          municipality: z.string().max(100).optional().openapi({ description: 'Only messages covering this municipality' }),
          postcode: z
            .string()
            .regex(/^\d{4}$/)
            .optional()
            .openapi({ description: 'Only messages covering this postcode' }),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(OperationalMessage).openapi({ description: 'Messages in force now, newest window first' }) }).openapi('OperationalMessages'),
          'The messages in force',
        ),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      assertMayReadCases(c.get('user'));
      const q = c.req.valid('query');
      const now = new Date();
      const rows = await messagesInForce(deps.sql, { at: now, ...q });
      return c.json({ items: rows.map((m) => presentMessage(m, now)) }, 200);
    },
  );

  return router;
}

export function handlerOperationalMessageRoutes(deps: AppDeps) {
  const router = createRouter();
  for (const path of ['/operational-messages', '/operational-messages/*']) router.use(path, requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  const loadMessage = async (id: string, sql: Queryable = deps.sql, lock = false) => {
    const [row] = await sql<OperationalMessageRow[]>`SELECT * FROM operational_messages WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`;
    if (!row) throw problems.notFound(`Operational message ${id}`);
    return row;
  };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/operational-messages',
      summary: 'Every operational message, planned, in force, expired and withdrawn, newest window first (M-4.2)',
      request: { query: z.object({ state: z.enum(['planned', 'in_force', 'expired', 'withdrawn']).optional().openapi({ description: 'Only messages in this state' }) }) },
      responses: {
        200: jsonResponse(z.object({ items: z.array(OperationalMessage).openapi({ description: 'Every message, newest window first' }) }).openapi('OperationalMessageList'), 'The messages'),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { state } = c.req.valid('query');
      const now = new Date();
      const rows = await deps.sql<OperationalMessageRow[]>`SELECT * FROM operational_messages ORDER BY starts_at DESC, id LIMIT 1000`;
      return c.json({ items: rows.map((r) => presentMessage(r, now)).filter((m) => !state || m.state === state) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/operational-messages',
      summary: 'Publish an operational message (M-4.2): now, or planned ahead with startsAt in the future; it expires at endsAt',
      request: { body: jsonBody(CreateMessageBody) },
      responses: { 201: jsonResponse(OperationalMessage, 'Published'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const startsAt = b.startsAt ? new Date(b.startsAt) : new Date();
      const endsAt = b.endsAt ? new Date(b.endsAt) : null;
      checkMessage({ productCodes: b.productCodes, startsAt, endsAt });
      const [row] = await deps.sql<OperationalMessageRow[]>`
        INSERT INTO operational_messages (kind, title, body, product_codes, municipalities, postcodes, starts_at, ends_at, published_by)
        VALUES (${b.kind}, ${b.title}, ${b.body}, ${b.productCodes ?? []}, ${b.municipalities ?? []}, ${b.postcodes ?? []}, ${startsAt}, ${endsAt}, ${c.get('user').username})
        RETURNING *`;
      c.set('audit', { action: 'operational_message.publish', detail: { id: row!.id, kind: b.kind, title: b.title, startsAt: startsAt.toISOString(), endsAt: endsAt?.toISOString() ?? null } });
      return c.json(presentMessage(row!), 201);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'patch',
      path: '/operational-messages/{id}',
      summary: 'Change an operational message (M-4.2): text, products, areas or window; a withdrawn one cannot change',
      request: { params: IdParam, body: jsonBody(PatchMessageBody) },
      responses: { 200: jsonResponse(OperationalMessage, 'Changed'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      c.set('audit', { action: 'operational_message.change', detail: { id, fields: Object.keys(b) } });
      const row = await deps.sql.begin(async (tx) => {
        const cur = await loadMessage(id, tx, true);
        if (cur.withdrawn_at) throw withdrawn(`Operational message ${id}`, cur.withdrawn_at);
        const startsAt = b.startsAt ? new Date(b.startsAt) : cur.starts_at;
        const endsAt = b.endsAt === undefined ? cur.ends_at : b.endsAt === null ? null : new Date(b.endsAt);
        checkMessage({ productCodes: b.productCodes, startsAt, endsAt });
        const [updated] = await tx<OperationalMessageRow[]>`
          UPDATE operational_messages SET kind = ${b.kind ?? cur.kind}, title = ${b.title ?? cur.title}, body = ${b.body ?? cur.body},
            product_codes = ${b.productCodes ?? cur.product_codes}, municipalities = ${b.municipalities ?? cur.municipalities}, postcodes = ${b.postcodes ?? cur.postcodes},
            starts_at = ${startsAt}, ends_at = ${endsAt}, updated_at = now()
          WHERE id = ${id} RETURNING *`;
        return updated!;
      });
      return c.json(presentMessage(row), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'delete',
      path: '/operational-messages/{id}',
      summary: 'Withdraw an operational message (M-4.2): it is no longer shown; the row stays for the record',
      request: { params: IdParam },
      responses: { 200: jsonResponse(OperationalMessage, 'Withdrawn'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'operational_message.withdraw', detail: { id } });
      const [row] = await deps.sql<OperationalMessageRow[]>`
        UPDATE operational_messages SET withdrawn_at = now(), withdrawn_by = ${c.get('user').username}, updated_at = now()
        WHERE id = ${id} AND withdrawn_at IS NULL RETURNING *`;
      if (!row) {
        const cur = await loadMessage(id);
        throw withdrawn(`Operational message ${id}`, cur.withdrawn_at ?? new Date());
      }
      return c.json(presentMessage(row), 200);
    },
  );

  return router;
}
