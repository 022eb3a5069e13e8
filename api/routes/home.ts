// Home (M-4): what a signed-in reseller user lands on — operational messages in force (known faults
// and planned work, "Driftsmeldinger"), the newest training material and release notes
// ("Opplæring"), and what needs the user's action in the company's cases. Handlers publish, change
// and withdraw messages and notes (audited, A-4). Ops get none of it (A-6: it lists case data).
import { createRoute, z } from '@hono/zod-openapi';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import type { Queryable } from '../../db/client';
import { messagesInForce, type OperationalMessageRow } from '../../db/operational-messages';
import { AUTO_CANCEL_WARNING } from '../../domain/durations';
import { deadlineAfter } from '../../domain/time';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { assertMayReadCases, tenantOf } from '../kit/load-case';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { type FieldProblem, problems } from '../problem';
import { createRouter } from '../router';

// ---- operational messages ---------------------------------------------------------------------

const MessageKind = z.enum(['fault', 'planned_work']).openapi({ description: 'fault: a known fault; planned_work: announced maintenance' });

const OperationalMessage = z
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

function presentMessage(r: OperationalMessageRow, now = new Date()): z.infer<typeof OperationalMessage> {
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

const Instant = z.iso.datetime({ offset: true }).openapi({ format: 'date-time', example: '2026-12-01T08:00:00+01:00' });
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

// ---- release notes and training material ------------------------------------------------------

const NoteKind = z.enum(['release_note', 'training']).openapi({ description: 'release_note: what changed in the portal; training: training material ("Opplæring")' });

interface NoteRow {
  id: string;
  kind: 'release_note' | 'training';
  title: string;
  body: string;
  link: string | null;
  published_at: Date;
  published_by: string;
  updated_at: Date;
  withdrawn_at: Date | null;
}

const ReleaseNote = z
  .object({
    id: z.uuid().openapi({ description: 'The note' }),
    kind: NoteKind,
    title: z.string().openapi({ description: 'Headline' }),
    body: z.string().openapi({ description: 'The text' }),
    link: z.string().nullable().openapi({ description: 'Where the full material is (https), if anywhere' }),
    publishedAt: z.string().openapi({ format: 'date-time', description: 'Shown from this instant (planned ahead when in the future)' }),
    publishedBy: z.string().openapi({ description: 'The handler who published it' }),
    updatedAt: z.string().openapi({ format: 'date-time', description: 'When it was last changed' }),
    withdrawnAt: z.string().nullable().openapi({ format: 'date-time', description: 'Set when a handler withdrew it; it is then no longer shown' }),
  })
  .openapi('ReleaseNote');

const presentNote = (r: NoteRow): z.infer<typeof ReleaseNote> => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  body: r.body,
  link: r.link,
  publishedAt: r.published_at.toISOString(),
  publishedBy: r.published_by,
  updatedAt: r.updated_at.toISOString(),
  withdrawnAt: r.withdrawn_at?.toISOString() ?? null,
});

const Link = z
  .url({ protocol: /^https$/, error: 'an https URL' })
  .max(2000)
  .openapi({ description: 'Where the full material is (https)' });

const CreateNoteBody = z
  .strictObject({
    kind: NoteKind,
    title: z.string().trim().min(1, 'required: a title').max(200).openapi({ description: 'Headline' }),
    body: z.string().trim().min(1, 'required: the text').max(20_000).openapi({ description: 'The text' }),
    link: Link.nullable().optional(),
    publishedAt: Instant.optional().openapi({ description: 'Shown from this instant (default now)' }),
  })
  .openapi('ReleaseNoteInput');

const PatchNoteBody = z
  .strictObject({
    kind: NoteKind.optional(),
    title: z.string().trim().min(1).max(200).optional().openapi({ description: 'Headline' }),
    body: z.string().trim().min(1).max(20_000).optional().openapi({ description: 'The text' }),
    link: Link.nullable().optional(),
    publishedAt: Instant.optional().openapi({ description: 'Shown from this instant' }),
  })
  .openapi('ReleaseNoteChange');

/** M-4.1: the newest shown notes of a kind. */
async function newestNotes(sql: Queryable, kind: NoteRow['kind'] | undefined, limit: number, at = new Date()): Promise<NoteRow[]> {
  return sql<NoteRow[]>`
    SELECT * FROM release_notes WHERE withdrawn_at IS NULL AND published_at <= ${at} ${kind ? sql`AND kind = ${kind}` : sql``}
    ORDER BY published_at DESC, id LIMIT ${limit}`;
}

// ---- what needs my action ---------------------------------------------------------------------

const ActionItem = z
  .object({
    caseType: z.string().openapi({ description: 'order_line, quote, service_request, order, trouble_ticket' }),
    number: z.string().openapi({ description: 'The case (an order line: ORD-…:n; a quote line: the quote)' }),
    lineNo: z.number().int().nullable().openapi({ description: 'A quote line: its number in the quote; else null' }),
    status: z.string().openapi({ description: 'The status that asks for the action (a quote line: its own status)' }),
    title: z.string().openapi({ description: "The case's title" }),
    updatedAt: z.string().openapi({ format: 'date-time', description: 'Last change of the case' }),
    dueAt: z.string().nullable().openapi({ format: 'date-time', description: 'A draft: when the 14-day auto-cancel takes it (O-20); else null' }),
  })
  .openapi('HomeActionItem');
type ActionItem = z.infer<typeof ActionItem>;

const Actions = z
  .object({
    incompleteOrderLines: z.array(ActionItem).openapi({ description: 'Order lines in Incomplete: the wholesaler waits for the user (O-17)' }),
    incompleteQuoteLines: z.array(ActionItem).openapi({ description: 'Quote lines in Incomplete' }),
    incompleteServiceRequests: z.array(ActionItem).openapi({ description: 'Service requests in Incomplete' }),
    completedQuotes: z.array(ActionItem).openapi({ description: 'Quotes with Completed lines not yet ordered: ready to order (Q-12)' }),
    completedServiceRequests: z.array(ActionItem).openapi({ description: 'Completed service requests to close (S-9 closes them after 14 days otherwise)' }),
    expiringDrafts: z.array(ActionItem).openapi({ description: 'Order drafts the 14-day auto-cancel (O-20) takes within 3 days' }),
    ticketsWaitingForCustomer: z.array(ActionItem).openapi({ description: 'Trouble tickets in Incomplete: waiting for the customer (M-2)' }),
  })
  .openapi('HomeActions');
type Actions = z.infer<typeof Actions>;

const ACTION_LIMIT = 50;

interface CaseListRow {
  case_type: string;
  number: string;
  status: string;
  title: string;
  updated_at: Date;
}

const item = (r: CaseListRow, extra: Partial<ActionItem> = {}): ActionItem => ({
  caseType: r.case_type,
  number: r.number,
  lineNo: null,
  status: r.status,
  title: r.title,
  updatedAt: r.updated_at.toISOString(),
  dueAt: null,
  ...extra,
});

/** M-4.1: the company's cases that wait for the user, from the read model. */
async function actionsFor(sql: Queryable, companyId: string, now: Date): Promise<Actions> {
  const byStatus = (caseType: string, status: string) => sql<CaseListRow[]>`
    SELECT case_type, number, status, title, updated_at FROM cases
    WHERE company_id = ${companyId} AND case_type = ${caseType} AND status = ${status}
    ORDER BY updated_at DESC LIMIT ${ACTION_LIMIT}`;
  const warnUntil = deadlineAfter(now, AUTO_CANCEL_WARNING);
  const [orderLines, srIncomplete, srCompleted, tickets, quoteLines, quotesReady, drafts] = await Promise.all([
    byStatus('order_line', 'Incomplete'),
    byStatus('service_request', 'Incomplete'),
    byStatus('service_request', 'Completed'),
    // M-2 tickets are the trouble-ticket workflow's read-model rows: waiting for the customer = Incomplete
    byStatus('trouble_ticket', 'Incomplete'),
    sql<(CaseListRow & { line_no: number; line_status: string })[]>`
      SELECT c.case_type, c.number, c.status, c.title, c.updated_at, (l ->> 'lineNo')::int AS line_no, l ->> 'status' AS line_status
      FROM cases c CROSS JOIN LATERAL jsonb_array_elements(c.detail -> 'lines') AS l
      WHERE c.company_id = ${companyId} AND c.case_type = 'quote' AND l ->> 'status' = 'Incomplete'
      ORDER BY c.updated_at DESC LIMIT ${ACTION_LIMIT}`,
    sql<CaseListRow[]>`
      SELECT case_type, number, status, title, updated_at FROM cases c
      WHERE company_id = ${companyId} AND case_type = 'quote'
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(c.detail -> 'lines') AS l WHERE l ->> 'status' = 'Completed' AND coalesce(l -> 'orderedAs', 'null'::jsonb) = 'null'::jsonb)
      ORDER BY updated_at DESC LIMIT ${ACTION_LIMIT}`,
    sql<(CaseListRow & { auto_cancel_at: string })[]>`
      SELECT case_type, number, status, title, updated_at, detail ->> 'autoCancelAt' AS auto_cancel_at FROM cases
      WHERE company_id = ${companyId} AND case_type = 'order' AND status = 'New' AND detail ->> 'autoCancelAt' IS NOT NULL
        AND (detail ->> 'autoCancelAt')::timestamptz > ${now} AND (detail ->> 'autoCancelAt')::timestamptz <= ${warnUntil}
      ORDER BY (detail ->> 'autoCancelAt')::timestamptz LIMIT ${ACTION_LIMIT}`,
  ]);
  return {
    incompleteOrderLines: orderLines.map((r) => item(r)),
    incompleteQuoteLines: quoteLines.map((r) => item(r, { lineNo: r.line_no, status: r.line_status })),
    incompleteServiceRequests: srIncomplete.map((r) => item(r)),
    completedQuotes: quotesReady.map((r) => item(r)),
    completedServiceRequests: srCompleted.map((r) => item(r)),
    expiringDrafts: drafts.map((r) => item(r, { dueAt: new Date(r.auto_cancel_at).toISOString() })),
    ticketsWaitingForCustomer: tickets.map((r) => item(r)),
  };
}

const HomeSchema = z
  .object({
    user: z
      .object({
        username: z.string().openapi({ description: 'The signed-in user' }),
        fullName: z.string().openapi({ description: 'For the welcome greeting' }),
        companyId: z.string().nullable().openapi({ description: "The user's company; null for the wholesaler's staff" }),
        role: z.string().openapi({ description: 'reseller, superuser or handler' }),
        accessType: z.string().nullable().openapi({ description: 'A-3: read, ordering or full; null for handlers' }),
        training: z.array(z.string()).openapi({ description: 'A-3: the trainings the user has had' }),
      })
      .openapi({ description: 'Who is signed in (the welcome)' }),
    operationalMessages: z.array(OperationalMessage).openapi({ description: 'Messages in force now: known faults and planned work, with their windows and the products and areas they cover (M-4.1)' }),
    releaseNotes: z.array(ReleaseNote).openapi({ description: 'The newest release notes (at most 5), newest first' }),
    training: z.array(ReleaseNote).openapi({ description: 'The newest training material (at most 5), newest first' }),
    actions: Actions.openapi({ description: "What needs the user's action in the company's cases (M-4.1); a handler's work is in the handler queues, so empty lists" }),
  })
  .openapi('Home');

const emptyActions = (): Actions => ({
  incompleteOrderLines: [],
  incompleteQuoteLines: [],
  incompleteServiceRequests: [],
  completedQuotes: [],
  completedServiceRequests: [],
  expiringDrafts: [],
  ticketsWaitingForCustomer: [],
});

const HOME_NOTES = 5;

// ---- routes -----------------------------------------------------------------------------------

export function homeRoutes(deps: AppDeps) {
  const router = createRouter();
  for (const path of ['/home', '/operational-messages', '/release-notes']) router.use(path, requireAuth(deps));
  const secured = { security: [{ bearer: [] }], tags: ['Home'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/home',
      summary: "The signed-in user's Home (M-4.1): operational messages in force, newest training and release notes, what needs my action",
      responses: { 200: jsonResponse(HomeSchema, 'Home'), ...problemResponses(401, 403) },
    }),
    async (c) => {
      const user = c.get('user');
      const tenant = tenantOf(user); // A-6: ops 403
      const now = new Date();
      const [messages, releaseNotes, training, actions] = await Promise.all([
        messagesInForce(deps.sql, { at: now }),
        newestNotes(deps.sql, 'release_note', HOME_NOTES, now),
        newestNotes(deps.sql, 'training', HOME_NOTES, now),
        tenant === null ? Promise.resolve(emptyActions()) : actionsFor(deps.sql, tenant, now),
      ]);
      return c.json(
        {
          user: { username: user.username, fullName: user.fullName, companyId: user.companyId, role: user.role, accessType: user.accessType, training: user.training },
          operationalMessages: messages.map((m) => presentMessage(m, now)),
          releaseNotes: releaseNotes.map(presentNote),
          training: training.map(presentNote),
          actions,
        },
        200,
      );
    },
  );

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

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/release-notes',
      summary: 'Release notes and training material (M-4.1), newest first',
      request: {
        query: z.object({
          kind: NoteKind.optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'How many, 1–100' }),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ items: z.array(ReleaseNote).openapi({ description: 'Notes shown now, newest first' }) }).openapi('ReleaseNotes'), 'The notes shown now'),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      assertMayReadCases(c.get('user'));
      const q = c.req.valid('query');
      return c.json({ items: (await newestNotes(deps.sql, q.kind, q.limit)).map(presentNote) }, 200);
    },
  );

  return router;
}

const IdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '00000000-0000-4000-8000-000000000000', description: 'The message or note' }) });

export function handlerHomeRoutes(deps: AppDeps) {
  const router = createRouter();
  for (const path of ['/operational-messages', '/operational-messages/*', '/release-notes', '/release-notes/*']) router.use(path, requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  const loadMessage = async (id: string, sql: Queryable = deps.sql, lock = false) => {
    const [row] = await sql<OperationalMessageRow[]>`SELECT * FROM operational_messages WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`;
    if (!row) throw problems.notFound(`Operational message ${id}`);
    return row;
  };
  const loadNote = async (id: string, sql: Queryable = deps.sql, lock = false) => {
    const [row] = await sql<NoteRow[]>`SELECT * FROM release_notes WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`;
    if (!row) throw problems.notFound(`Release note ${id}`);
    return row;
  };
  const withdrawn = (what: string, at: Date) => problems.conflict('withdrawn', `${what} was withdrawn at ${at.toISOString()}; publish a new one (M-4.2)`, { rule: 'M-4.2' });

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

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/release-notes',
      summary: 'Every release note and training item, withdrawn and planned ones too, newest first (M-4.2)',
      responses: {
        200: jsonResponse(z.object({ items: z.array(ReleaseNote).openapi({ description: 'Every note, newest first' }) }).openapi('ReleaseNoteList'), 'The notes'),
        ...problemResponses(401, 403),
      },
    }),
    async (c) => {
      const rows = await deps.sql<NoteRow[]>`SELECT * FROM release_notes ORDER BY published_at DESC, id LIMIT 1000`;
      return c.json({ items: rows.map(presentNote) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/release-notes',
      summary: 'Publish a release note or training material (M-4.2), now or from publishedAt',
      request: { body: jsonBody(CreateNoteBody) },
      responses: { 201: jsonResponse(ReleaseNote, 'Published'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const publishedAt = b.publishedAt ? new Date(b.publishedAt) : new Date();
      const [row] = await deps.sql<NoteRow[]>`
        INSERT INTO release_notes (kind, title, body, link, published_at, published_by)
        VALUES (${b.kind}, ${b.title}, ${b.body}, ${b.link ?? null}, ${publishedAt}, ${c.get('user').username}) RETURNING *`;
      c.set('audit', { action: 'release_note.publish', detail: { id: row!.id, kind: b.kind, title: b.title } });
      return c.json(presentNote(row!), 201);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'patch',
      path: '/release-notes/{id}',
      summary: 'Change a release note or training item (M-4.2); a withdrawn one cannot change',
      request: { params: IdParam, body: jsonBody(PatchNoteBody) },
      responses: { 200: jsonResponse(ReleaseNote, 'Changed'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      c.set('audit', { action: 'release_note.change', detail: { id, fields: Object.keys(b) } });
      const row = await deps.sql.begin(async (tx) => {
        const cur = await loadNote(id, tx, true);
        if (cur.withdrawn_at) throw withdrawn(`Release note ${id}`, cur.withdrawn_at);
        const [updated] = await tx<NoteRow[]>`
          UPDATE release_notes SET kind = ${b.kind ?? cur.kind}, title = ${b.title ?? cur.title}, body = ${b.body ?? cur.body},
            link = ${b.link === undefined ? cur.link : b.link}, published_at = ${b.publishedAt ? new Date(b.publishedAt) : cur.published_at}, updated_at = now()
          WHERE id = ${id} RETURNING *`;
        return updated!;
      });
      return c.json(presentNote(row), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'delete',
      path: '/release-notes/{id}',
      summary: 'Withdraw a release note or training item (M-4.2): no longer shown',
      request: { params: IdParam },
      responses: { 200: jsonResponse(ReleaseNote, 'Withdrawn'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'release_note.withdraw', detail: { id } });
      const [row] = await deps.sql<NoteRow[]>`
        UPDATE release_notes SET withdrawn_at = now(), withdrawn_by = ${c.get('user').username}, updated_at = now()
        WHERE id = ${id} AND withdrawn_at IS NULL RETURNING *`;
      if (!row) {
        const cur = await loadNote(id);
        throw withdrawn(`Release note ${id}`, cur.withdrawn_at ?? new Date());
      }
      return c.json(presentNote(row), 200);
    },
  );

  return router;
}
