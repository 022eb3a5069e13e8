// The handler's workbench (A-2, C-5, O-9, O-17, O-19, S-4): one inbox over every case that waits for
// the wholesaler, who works on which case, notes and comments, attachments from handlers, the contact
// details of whoever placed a case (A-4), re-routing a service request, an order line's dates and
// duplicates, and bulk steps on a Project order's lines. Every route loads its case through the tenancy
// loader and changes a case only through its workflow (runAction); nothing here holds a transaction
// across a Temporal call.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type postgres from 'postgres';
import type { CaseRow } from '../../db/cases';
import type { Sql } from '../../db/client';
import { AttachmentRef } from '../../domain/case';
import { decideAssignment, decideDuplicate, decideLineDates, decideSrReroute, WAITING_FOR_CUSTOMER } from '../../domain/handler-tools';
import { decideOrderAction, type OrderDecisionView } from '../../domain/order-decisions';
import { orderLineNumber } from '../../domain/order';
import type { NotAllowedDetails } from '../../domain/refusal';
import { SrArea, srOpenKey } from '../../domain/service-request';
import { osloDate } from '../../domain/time';
import { UserChange, userChangeProblems } from '../../domain/user-admin';
import { assignUpdate, type AssignInput } from '../../workflows/kit/assignment';
import { lineHandlerUpdates, type LineDatesInput, type LineDuplicateInput } from '../../workflows/order/line-handler-tools';
import { type LineView, type OrderBulkInput, orderUpdates } from '../../workflows/order/messages';
import { srRerouteUpdate, type SrRerouteInput } from '../../workflows/service-request/handler-tools';
import type { SrView } from '../../workflows/service-request/messages';
import { resolveAttachments } from '../attachments';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { IsoDate } from '../dates';
import { loadCase } from '../kit/load-case';
import { callerScope, mapPage, pageFields, pageQuery, readPage, TOTAL_CAP } from '../kit/page';
import { runAction, runActionFor } from '../kit/run-action';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { HttpProblem, problems } from '../problem';
import { createRouter } from '../router';
import { UploadBody } from './attachments';
import { LineNumberParam, OrderLineSchema, presentLine } from './order-support';
import { presentSr, runSrAction, ServiceRequestSchema } from './service-requests';
import { queuePlainMail } from '../../notifications/plain-mail';
import { loadUserFacts } from './handler-users';

/** Any case's number: `SR-…`, `Q-…`, `ORD-…:1`, `SW-…`, `TRM-…`, and case types yet to come (`TT-…`). */
export const ANY_CASE_NUMBER = /^[A-Z]{1,5}-\d{6,}(:\d{1,3})?$/;

const CaseNumberParam = z.object({
  number: z
    .string()
    .regex(ANY_CASE_NUMBER, 'a case number like SR-000042, ORD-000042:1 or Q-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'SR-000042' }),
});
const SrNumberParam = z.object({
  number: z
    .string()
    .regex(/^SR-\d{6,}$/, 'an SR number like SR-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'SR-000042' }),
});
const OrderNumberParam = z.object({
  number: z
    .string()
    .regex(/^ORD-\d{6,}$/, 'an order number like ORD-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'ORD-000042' }),
});

// ---- schemas -----------------------------------------------------------------------------------

export const InboxItem = z
  .object({
    number: z.string().openapi({ example: 'ORD-583920417:1', description: 'The case number (an order line: its order and line number)' }),
    caseType: z.string().openapi({ description: 'service_request, quote, order_line, switch_isp, termination, trouble_ticket, …' }),
    companyId: z.string().openapi({ description: 'The reseller company whose case it is' }),
    status: z.string().openapi({ description: "The case's status (its type's status table)" }),
    queue: z
      .string()
      .openapi({ description: "The department or desk whose queue holds the case (S-4: an SR's department; 'sales-support' for quotes, 'order-handling' for lines, switches, terminations)" }),
    title: z.string().openapi({ description: 'What the case is about, as lists show it' }),
    productCode: z.string().nullable().openapi({ description: 'The product (for a quote: its first product)' }),
    assignee: z.string().nullable().openapi({ description: 'A-2: the handler working on the case; null while nobody holds it' }),
    manualHandling: z.boolean().openapi({ description: 'O-11: the availability check timed out and customer service handles the line by hand' }),
    statusText: z.string().nullable().openapi({ description: 'The comment, missing information or reason that goes with the status' }),
    ageDays: z.number().int().openapi({ description: 'Whole days since the case was created' }),
    createdAt: z.string().openapi({ format: 'date-time', description: 'When the case was created (the inbox is oldest first)' }),
    updatedAt: z.string().openapi({ format: 'date-time', description: 'The latest change' }),
    updatedBy: z.string().openapi({ description: 'Who made the latest change (A-4)' }),
  })
  .openapi('InboxItem');

const InboxPage = z
  .object({
    items: z.array(InboxItem).openapi({ description: 'The waiting cases, oldest first' }),
    queues: z
      .array(
        z.object({
          queue: z.string(),
          waiting: z
            .number()
            .int()
            .openapi({ description: `Counted up to ${TOTAL_CAP}: exact when waitingIsExact, otherwise a lower bound` }),
          waitingIsExact: z.boolean(),
        }),
      )
      .openapi({ description: 'Cases per queue matching every filter but `queue`' }),
    ...pageFields,
  })
  .openapi('InboxPage');

const InboxQuery = z.object({
  queue: z.string().max(60).optional().openapi({ description: 'A department (S-4) or desk: customer-service-broadband, sales-support, order-handling, …' }),
  caseType: z
    .string()
    .regex(/^[a-z_]{2,40}$/)
    .optional()
    .openapi({ description: 'service_request, quote, order_line, switch_isp, termination, trouble_ticket' }),
  status: z.string().max(60).optional().openapi({ description: "A status of the case's type (Submitted, Registered, Duplicate, …)" }),
  productCode: z.string().max(60).optional().openapi({ description: 'A catalogue product code' }),
  minAgeDays: z.coerce.number().int().min(0).max(3650).optional().openapi({ description: 'Only cases created at least this many days ago' }),
  maxAgeDays: z.coerce.number().int().min(0).max(3650).optional().openapi({ description: 'Only cases created at most this many days ago' }),
  assignee: z.string().max(100).optional().openapi({ description: "A handler's username, 'me', or 'none' (nobody holds it)" }),
  manualHandling: z.enum(['true', 'false']).optional().openapi({ description: 'O-11: only lines handled by hand (true) or not (false)' }),
  companyId: z.string().max(60).optional().openapi({ description: "Only one reseller company's cases" }),
  q: z.string().max(100).optional().openapi({ description: 'Text anywhere in number, title, references' }),
  ...pageQuery({ limit: 50 }),
});

const Note = z
  .object({
    id: z.uuid().openapi({ description: 'The note' }),
    caseNumber: z.string().openapi({ description: 'The case it belongs to' }),
    visibility: z.enum(['internal', 'customer']).openapi({ description: 'internal: handlers only; customer: the company sees it with the case' }),
    text: z.string().openapi({ description: 'The note or comment' }),
    attachments: z.array(AttachmentRef).openapi({ description: 'Files that go with it (G-4)' }),
    author: z.string().openapi({ description: 'The handler who wrote it (A-4)' }),
    createdAt: z.string().openapi({ format: 'date-time', description: 'When it was written' }),
  })
  .openapi('CaseNote');

const NoteBody = z
  .strictObject({
    visibility: z.enum(['internal', 'customer']).openapi({ description: 'internal: handlers only; customer: shown with the case and e-mailed to whoever placed it' }),
    text: z.string().trim().min(1, 'required: the note').max(4000).openapi({ description: 'The note or comment' }),
    attachmentIds: z.array(z.uuid()).max(10).default([]).openapi({ description: "Attachments of the case's company (a handler uploads with POST /v1/handler/cases/{number}/attachments)" }),
  })
  .openapi('CaseNoteInput');

const Assignment = z
  .object({
    number: z.string().openapi({ description: 'The case' }),
    caseType: z.string().openapi({ description: 'Its type' }),
    status: z.string().openapi({ description: 'Its status (assignment does not change it)' }),
    assignee: z.string().nullable().openapi({ description: 'A-2: the handler who holds it now; null when released' }),
    version: z.number().int().openapi({ description: "The case's version after the change" }),
  })
  .openapi('CaseAssignment');

const PlacedBy = z
  .object({
    username: z.string().openapi({ description: 'The personal username that placed the case (A-4)' }),
    fullName: z.string().openapi({ description: "The person's name" }),
    email: z.string().openapi({ description: 'Where to reach them' }),
    phone: z.string().nullable().openapi({ description: 'Their phone, if registered' }),
    companyId: z.string().nullable().openapi({ description: 'Their company' }),
    companyName: z.string().nullable().openapi({ description: "Their company's name" }),
    accessType: z.string().nullable().openapi({ description: 'A-3: read, ordering or full' }),
    closed: z.boolean().openapi({ description: 'A-5: the user was closed (misuse or leaving)' }),
  })
  .openapi('CasePlacedBy');

const Reason = z.string().trim().min(1).max(2000);

const BulkBody = z
  .strictObject({
    action: z.enum(['advance', 'changeDates']).openapi({ description: 'advance: one delivery step (O-15); changeDates: a new Agreed Date (C-5)' }),
    to: z.enum(['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed']).optional().openapi({ description: 'advance: the step every chosen line moves to' }),
    installationDate: IsoDate.optional().openapi({ description: 'advance to Field Service (M): the installation date' }),
    agreedDate: IsoDate.optional().openapi({ description: 'changeDates: the new Agreed Date' }),
    reason: Reason.optional().openapi({ description: 'changeDates: why (the company is told); advance: a comment' }),
    lineNos: z.array(z.number().int().min(1).max(999)).min(1).max(60).optional().openapi({ description: 'The lines; default every line of the order' }),
  })
  .superRefine((b, ctx) => {
    if (b.action === 'advance' && !b.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'required with advance: the next delivery step', params: { rule: 'O-15' } });
    if (b.action === 'changeDates' && !b.agreedDate) ctx.addIssue({ code: 'custom', path: ['agreedDate'], message: 'required with changeDates', params: { rule: 'C-5' } });
    if (b.action === 'changeDates' && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required with changeDates: the company is told why', params: { rule: 'C-5' } });
    if (b.action === 'advance' && b.to === 'Field Service' && !b.installationDate) {
      ctx.addIssue({ code: 'custom', path: ['installationDate'], message: 'required with Field Service (M): the installation date', params: { rule: 'O-15' } });
    }
  })
  .openapi('ProjectBulkAction');

const BulkOutcome = z
  .object({
    lineNo: z.number().int().openapi({ description: 'The line of the order' }),
    number: z.string().openapi({ description: "The line's number (ORD-…:n)" }),
    ok: z.boolean().openapi({ description: 'Whether the step was applied to this line' }),
    status: z.string().openapi({ description: 'The line status after the attempt' }),
    problem: z
      .object({
        status: z.number().int().openapi({ description: 'The HTTP status the single-line action would answer' }),
        code: z.string().openapi({ description: 'The problem code' }),
        detail: z.string().optional().openapi({ description: 'Why' }),
        rule: z.string().optional().openapi({ description: 'The rule that refused it' }),
      })
      .nullable()
      .openapi({ description: 'Why this line refused (the same answer a single-line action gives)' }),
  })
  .openapi('BulkLineOutcome');

// ---- shared pieces -----------------------------------------------------------------------------

/** A line's refusal of a bulk step, as the single-line action would answer it (400 for bad input, else 409). */
function problemOfLineRefusal(r: NotAllowedDetails): z.infer<typeof BulkOutcome>['problem'] {
  const invalid = r.rule === 'G-1';
  return { status: invalid ? 400 : 409, code: invalid ? 'validation_failed' : 'action_not_allowed', detail: r.message, rule: r.rule };
}

type InboxRow = {
  number: string;
  case_type: string;
  company_id: string;
  status: string;
  queue: string;
  title: string;
  refs: Record<string, string>;
  detail: { statusDescription?: string | null; missingInformation?: string | null } | null;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
};

/** The conditions of the inbox's filters (`queue` apart: the counts per queue use every other one). */
function inboxConditions(sql: Sql, q: z.infer<typeof InboxQuery>, me: string): postgres.PendingQuery<postgres.Row[]>[] {
  const like = (s: string) => '%' + s.toLowerCase().replace(/[%_\\]/g, (m) => '\\' + m) + '%';
  const assignee = q.assignee === 'me' ? me : q.assignee;
  return [
    sql`queue IS NOT NULL`,
    ...Object.entries(WAITING_FOR_CUSTOMER).map(([type, statuses]) => sql`NOT (case_type = ${type} AND status = ANY(${statuses as string[]}))`),
    q.caseType ? sql`case_type = ${q.caseType}` : null,
    q.status ? sql`status = ${q.status}` : null,
    q.productCode ? sql`(refs ->> 'productCode' = ${q.productCode} OR (' ' || (refs ->> 'products') || ' ') LIKE ${like(` ${q.productCode} `)})` : null,
    q.minAgeDays !== undefined ? sql`created_at <= now() - make_interval(days => ${q.minAgeDays})` : null,
    q.maxAgeDays !== undefined ? sql`created_at >= now() - make_interval(days => ${q.maxAgeDays})` : null,
    assignee === 'none' ? sql`assignee IS NULL` : assignee ? sql`assignee = ${assignee}` : null,
    q.manualHandling ? sql`coalesce(refs ->> 'manualHandling', 'false') = ${q.manualHandling}` : null,
    q.companyId ? sql`company_id = ${q.companyId}` : null,
    q.q ? sql`search_text LIKE ${like(q.q)}` : null,
  ].filter((x): x is postgres.PendingQuery<postgres.Row[]> => x !== null);
}

const and = (sql: Sql, conditions: postgres.PendingQuery<postgres.Row[]>[]) => conditions.reduce((acc, cond) => sql`${acc} AND ${cond}`);

function inboxItem(r: InboxRow, now: number): z.infer<typeof InboxItem> {
  return {
    number: r.number,
    caseType: r.case_type,
    companyId: r.company_id,
    status: r.status,
    queue: r.queue,
    title: r.title,
    productCode: r.refs.productCode ?? (r.refs.products ? (r.refs.products.split(' ')[0] ?? null) : null),
    assignee: r.refs.assignee ?? null,
    manualHandling: r.refs.manualHandling === 'true',
    statusText: r.detail?.statusDescription ?? r.detail?.missingInformation ?? null,
    ageDays: Math.floor((now - r.created_at.getTime()) / 86_400_000),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by,
  };
}

/** One case of any type by its number, through the tenancy rules (handlers: every company, A-2). */
export async function loadAnyCase(sql: Sql, c: Context<AppEnv>, number: string): Promise<CaseRow> {
  const [row] = await sql<CaseRow[]>`SELECT * FROM cases WHERE number = ${number}`;
  // these routes are for handlers only (requireHandler): every company's case is theirs to see
  if (!row) throw problems.notFound(`Case ${number}`);
  c.set('audit', { ...c.get('audit'), caseId: row.case_id, companyId: row.company_id });
  return row;
}

/** A case type built before the handler's tools (or one whose workflow has none) answers 409, not 500. */
async function withUpdateSupport<T>(row: CaseRow, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof HttpProblem) && err instanceof Error && /No registered handler for update/i.test(`${err.message} ${String((err as { cause?: unknown }).cause ?? '')}`)) {
      throw problems.conflict('action_not_supported', `${row.number} (${row.case_type}) does not support this action yet`, { currentStatus: row.status, allowedActions: [] });
    }
    throw err;
  }
}

async function assertActiveHandler(sql: Sql, username: string): Promise<void> {
  const [u] = await sql`SELECT 1 FROM users WHERE username = ${username} AND role = 'handler' AND NOT disabled`;
  if (!u) throw problems.validation([{ field: 'body.assignee', code: 'reference_not_found', rule: 'A-2', message: `${username} is not an active handler` }]);
}

function presentAssignment(row: CaseRow): z.infer<typeof Assignment> {
  return { number: row.number, caseType: row.case_type, status: row.status, assignee: row.refs.assignee ?? null, version: row.version };
}

type NoteRow = { id: string; visibility: 'internal' | 'customer'; body: string; attachments: AttachmentRef[]; author: string; created_at: Date };

export async function notesOf(sql: Sql, row: Pick<CaseRow, 'case_id' | 'number'>, visibility: 'all' | 'customer'): Promise<z.infer<typeof Note>[]> {
  const rows = await sql<NoteRow[]>`
    SELECT id, visibility, body, attachments, author, created_at FROM case_notes
    WHERE case_id = ${row.case_id} ${visibility === 'customer' ? sql`AND visibility = 'customer'` : sql``} ORDER BY created_at, id`;
  return rows.map((r) => ({ id: r.id, caseNumber: row.number, visibility: r.visibility, text: r.body, attachments: r.attachments, author: r.author, createdAt: r.created_at.toISOString() }));
}

export { Note as CaseNoteSchema };

// ---- routes ------------------------------------------------------------------------------------

export function handlerToolRoutes(deps: AppDeps) {
  const router = createRouter();
  for (const path of [
    '/inbox',
    '/cases/*',
    '/service-requests/:number/reroute',
    '/service-requests/:number/complete-user-admin',
    '/order-lines/:number/dates',
    '/order-lines/:number/release-duplicate',
    '/order-lines/:number/mark-duplicate',
    '/orders/*',
  ]) {
    router.use(path, requireAuth(deps), requireHandler);
  }
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/inbox',
      summary: 'Every case waiting for the wholesaler, oldest first, with counts per queue (A-2)',
      description:
        'Service requests, quotes with lines to price, order lines, switch-ISP and termination cases (and any case type that publishes a queue to the read model), filtered by queue, case type, status, product, age, assignee, manual handling and text.',
      request: { query: InboxQuery },
      responses: { 200: jsonResponse(InboxPage, 'A page of the inbox'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const sql = deps.sql;
      const others = inboxConditions(sql, q, c.get('user').username);
      const where = and(sql, q.queue ? [...others, sql`queue = ${q.queue}`] : others);
      const [page, perQueue] = await Promise.all([
        readPage<InboxRow>(sql, {
          select: sql`number, case_type, company_id, status, queue, title, refs, created_at, updated_at, updated_by,
                      jsonb_build_object('statusDescription', detail ->> 'statusDescription', 'missingInformation', detail ->> 'missingInformation') AS detail`,
          from: sql`cases`,
          where,
          keys: [
            { sql: sql`created_at`, type: 'timestamptz', desc: false },
            { sql: sql`number`, type: 'text', desc: false },
          ],
          page: q,
          list: 'handler:inbox',
          scope: callerScope(deps.config, c.get('user')),
        }),
        // per queue, counted up to the cap: the queues found by skipping through the queue index
        // (a handful of look-ups), never a count of every waiting case; oldest first, as index
        // cases_inbox_queue_counts (024) holds them
        sql<{ queue: string; n: number }[]>`
          WITH RECURSIVE qs AS (
            (SELECT queue FROM cases WHERE queue IS NOT NULL ORDER BY queue LIMIT 1)
            UNION ALL
            SELECT (SELECT c.queue FROM cases c WHERE c.queue > qs.queue ORDER BY c.queue LIMIT 1) FROM qs WHERE qs.queue IS NOT NULL)
          SELECT qs.queue, (SELECT count(*)::int FROM (SELECT 1 FROM cases WHERE queue = qs.queue AND ${and(sql, others)} ORDER BY created_at LIMIT ${TOTAL_CAP + 1}) capped) AS n
          FROM qs WHERE qs.queue IS NOT NULL ORDER BY qs.queue`,
      ]);
      const now = Date.now();
      return c.json(
        {
          ...mapPage(page, (r) => inboxItem(r, now)),
          queues: perQueue.filter((r) => r.n > 0).map((r) => ({ queue: r.queue, waiting: Math.min(r.n, TOTAL_CAP), waitingIsExact: r.n <= TOTAL_CAP })),
        },
        200,
      );
    },
  );

  // ---- assignment (A-2) ----------------------------------------------------------------------

  const assignRoute = (path: 'take' | 'assign' | 'release', summary: string, body: z.ZodType | null) =>
    router.openapi(
      createRoute({
        ...secured,
        method: 'post',
        path: `/cases/{number}/${path}`,
        summary,
        request: { params: CaseNumberParam, ...(body ? { body: jsonBody(body) } : {}) },
        responses: { 200: jsonResponse(Assignment, 'Who holds the case now'), ...problemResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const row = await loadAnyCase(deps.sql, c, c.req.param('number') ?? '');
        const me = c.get('user').username;
        const assignee = path === 'take' ? me : path === 'release' ? null : (c.req.valid('json' as never) as { assignee: string }).assignee;
        if (path === 'assign' && assignee) await assertActiveHandler(deps.sql, assignee);
        const cmd: AssignInput = { actor: c.get('actor'), mode: path, assignee };
        const after = await withUpdateSupport(row, () =>
          runAction(deps, c, {
            row,
            action: path,
            update: assignUpdate,
            input: cmd,
            check: () => decideAssignment({ number: row.number, status: row.status, assignee: row.refs.assignee ?? null }, cmd),
          }),
        );
        return c.json(presentAssignment(after), 200);
      },
    );
  assignRoute('take', 'Take the case: you work on it (refused while another handler holds it)', null);
  assignRoute(
    'assign',
    'Give the case to a handler (also one another handler holds)',
    z.strictObject({ assignee: z.string().min(1).max(100).openapi({ description: "The handler's username" }) }).openapi('AssignInput'),
  );
  assignRoute('release', 'Let go of the case: back in its queue for anybody', null);

  // ---- notes, comments, attachments (A-2, G-3, G-4) -----------------------------------------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/cases/{number}/notes',
      summary: 'Internal notes and customer-visible comments on the case, oldest first',
      request: { params: CaseNumberParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(Note) }), 'The notes'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const row = await loadAnyCase(deps.sql, c, c.req.valid('param').number);
      return c.json({ items: await notesOf(deps.sql, row, 'all') }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/cases/{number}/notes',
      summary: 'Add an internal note (handlers only) or a comment the customer sees (the person who placed the case is e-mailed)',
      request: { params: CaseNumberParam, body: jsonBody(NoteBody) },
      responses: { 201: jsonResponse(Note, 'The note'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const row = await loadAnyCase(deps.sql, c, c.req.valid('param').number);
      const body = c.req.valid('json');
      const attachments = await resolveAttachments(deps.sql, row.company_id, body.attachmentIds, 'body.attachmentIds');
      const author = c.get('user').username;
      c.set('audit', { ...c.get('audit'), action: `${row.case_type}.note`, detail: { visibility: body.visibility } });
      const note = await deps.sql.begin(async (tx) => {
        const [n] = await tx<NoteRow[]>`
          INSERT INTO case_notes (case_id, company_id, visibility, body, attachments, author)
          VALUES (${row.case_id}, ${row.company_id}, ${body.visibility}, ${body.text}, ${tx.json(attachments as never)}, ${author})
          RETURNING id, visibility, body, attachments, author, created_at`;
        if (body.visibility === 'customer') {
          // A-4: the person who placed the case hears of it (usernames are personal)
          const createdBy = (row.detail as { createdBy?: string }).createdBy;
          const [to] = createdBy
            ? await tx<{ email: string; locale: 'nb' | 'en' }[]>`SELECT email, locale FROM users WHERE username = ${createdBy} AND company_id = ${row.company_id} AND NOT disabled`
            : [];
          if (to) {
            const nb = to.locale === 'nb';
            await queuePlainMail(tx, {
              idempotencyKey: `note:${n!.id}`,
              caseId: row.case_id,
              recipient: to.email,
              subject: nb ? `${row.number}: ny kommentar` : `${row.number}: new comment`,
              text: `${nb ? 'Kommentar fra' : 'Comment from'} ${author} ${nb ? 'på' : 'on'} ${row.number}:\n\n${body.text}\n${attachments.length ? `\n${nb ? 'Vedlegg' : 'Attachments'}: ${attachments.map((a) => a.filename).join(', ')}\n` : ''}`,
            });
          }
        }
        return n!;
      });
      return c.json(
        { id: note.id, caseNumber: row.number, visibility: note.visibility, text: note.body, attachments: note.attachments, author: note.author, createdAt: note.created_at.toISOString() },
        201,
      );
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/cases/{number}/attachments',
      summary: 'Upload an attachment for the case\'s company (an answer "som vedlegg", deck slide 93): refer to it in a note or an SR\'s answer',
      request: { params: CaseNumberParam, body: jsonBody(UploadBody) },
      responses: { 201: jsonResponse(AttachmentRef, 'Stored'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const row = await loadAnyCase(deps.sql, c, c.req.valid('param').number);
      const body = c.req.valid('json');
      const data = Buffer.from(body.contentBase64, 'base64');
      const [stored] = await deps.sql<{ id: string }[]>`
        INSERT INTO attachments (company_id, filename, content_type, size_bytes, data, uploaded_by)
        VALUES (${row.company_id}, ${body.filename}, ${body.contentType}, ${data.length}, ${data}, ${c.get('user').username}) RETURNING id`;
      c.set('audit', { ...c.get('audit'), action: 'attachment.upload', detail: { attachmentId: stored!.id, filename: body.filename } });
      return c.json({ id: stored!.id, filename: body.filename, contentType: body.contentType, sizeBytes: data.length }, 201);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/cases/{number}/placed-by',
      summary: 'The contact details of the user who placed the case (A-4: usernames are personal, so this is the person to call)',
      request: { params: CaseNumberParam },
      responses: { 200: jsonResponse(PlacedBy, 'The user'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const row = await loadAnyCase(deps.sql, c, c.req.valid('param').number);
      const createdBy = (row.detail as { createdBy?: string }).createdBy ?? '';
      const [u] = await deps.sql<
        { username: string; full_name: string; email: string; phone: string | null; company_id: string | null; name: string | null; access_type: string | null; disabled: boolean }[]
      >`
        SELECT u.username, u.full_name, u.email, u.phone, u.company_id, co.name, u.access_type, u.disabled
        FROM users u LEFT JOIN companies co ON co.id = u.company_id WHERE u.username = ${createdBy}`;
      if (!u) throw problems.notFound(`The user who placed ${row.number}`);
      return c.json({ username: u.username, fullName: u.full_name, email: u.email, phone: u.phone, companyId: u.company_id, companyName: u.name, accessType: u.access_type, closed: u.disabled }, 200);
    },
  );

  // ---- service requests: re-route (S-4), Brukeradministrasjon completion -------------------------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/service-requests/{number}/reroute',
      summary: "Send an open SR to another area / sub-area and so to that department's queue (S-4)",
      request: {
        params: SrNumberParam,
        body: jsonBody(
          z
            .strictObject({
              area: SrArea.describe('The new area (S-4)'),
              subArea: z.string().min(1).max(100).openapi({ description: 'A sub-area of the new area (S-5): it decides the department' }),
              reason: Reason.openapi({ description: 'Why it goes to another department (kept in the activity log)' }),
            })
            .openapi('RerouteServiceRequest'),
        ),
      },
      responses: { 200: jsonResponse(ServiceRequestSchema, 'The SR in its new queue'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const row = await loadCase(deps.sql, c.get('user'), c.req.valid('param').number, 'service_request');
      const body = c.req.valid('json');
      const cmd: SrRerouteInput = { actor: c.get('actor'), area: body.area, subArea: body.subArea, reason: body.reason };
      const view = row.detail as SrView;
      // S-2: the new area must not make it a second open SR about the same matter
      const key = srOpenKey(body.area, view.matterSubArea, view.reference.kind, view.reference.value);
      const [clash] = await deps.sql<{ number: string; status: string }[]>`SELECT number, status FROM cases WHERE company_id = ${row.company_id} AND open_key = ${key} AND case_id <> ${row.case_id}`;
      if (clash) {
        throw problems.conflict('duplicate_service_request', `${clash.number} (${clash.status}) is already open about the same matter in ${body.area}: follow that one (S-2)`, {
          rule: 'S-2',
          existing: clash.number,
        });
      }
      const after = await runAction(deps, c, { row, action: 'reroute', update: srRerouteUpdate, input: cmd, check: (v: SrView) => decideSrReroute(v, cmd) });
      return c.json(presentSr(after.detail as SrView, c.get('actor')), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/service-requests/{number}/complete-user-admin',
      summary: 'Complete a Brukeradministrasjon SR with the user change applied (S-4, A-3): create a user, change access or training, close a user',
      request: {
        params: SrNumberParam,
        body: jsonBody(
          z
            .strictObject({
              text: z.string().trim().min(1, 'required: the answer').max(4000).openapi({ description: 'The answer to the customer (S-7)' }),
              change: UserChange.describe('The change the request asked for, applied once with the completion'),
              attachmentIds: z.array(z.uuid()).max(10).default([]).openapi({ description: 'Attachments with the answer' }),
            })
            .openapi('CompleteUserAdministration'),
        ),
      },
      responses: { 200: jsonResponse(ServiceRequestSchema, 'The SR, Completed, with the change applied'), ...problemResponses(400, 401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const row = await loadCase(deps.sql, c.get('user'), c.req.valid('param').number, 'service_request');
      const body = c.req.valid('json');
      const view = row.detail as SrView;
      if (view.area !== 'User administration') {
        throw problems.conflict('action_not_allowed', `${row.number} is a ${view.area} request: only a User administration request carries a user change (S-4)`, {
          rule: 'S-4',
          currentStatus: row.status,
          allowedActions: [],
        });
      }
      const problemsFound = userChangeProblems(body.change, row.company_id, await loadUserFacts(deps.sql, body.change.username));
      if (problemsFound.length > 0) {
        throw problems.validation(problemsFound.map((p) => ({ field: `body.change.${p.field}`, code: 'rule_violation' as const, rule: p.rule, message: p.message })));
      }
      const attachments = await resolveAttachments(deps.sql, row.company_id, body.attachmentIds, 'body.attachmentIds');
      c.set('audit', { ...c.get('audit'), detail: { change: body.change.kind, target: body.change.username } });
      return c.json(await runSrAction(deps, c, row, 'complete', { text: body.text, attachments, userChange: body.change }), 200);
    },
  );

  // ---- order lines: dates and duplicates (C-5, O-15, O-19) ----------------------------------------

  const lineRow = (c: Context<AppEnv>, number: string) => loadCase(deps.sql, c.get('user'), number, 'order_line');

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/order-lines/{number}/dates',
      summary: 'Move the line\'s Agreed Date (Registered … Field Service) or installation date (Field Service): a "new delivery date" SR carried out (C-5, O-15); the company is e-mailed the reason',
      request: {
        params: LineNumberParam,
        body: jsonBody(
          z
            .strictObject({
              agreedDate: IsoDate.optional().openapi({ description: 'C-5: the new Agreed Date (from Registered until Field Service)' }),
              installationDate: IsoDate.optional().openapi({ description: 'O-15: the new installation date (in Field Service)' }),
              reason: Reason.openapi({ description: 'Why the date moves: e-mailed to the company and kept in the activity log' }),
            })
            .openapi('ChangeLineDates'),
        ),
      },
      responses: { 200: jsonResponse(OrderLineSchema, 'The line with its new dates'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const row = await lineRow(c, c.req.valid('param').number);
      const body = c.req.valid('json');
      const cmd: LineDatesInput = {
        actor: c.get('actor'),
        reason: body.reason,
        ...(body.agreedDate ? { agreedDate: body.agreedDate } : {}),
        ...(body.installationDate ? { installationDate: body.installationDate } : {}),
      };
      c.set('audit', { ...c.get('audit'), detail: { agreedDate: body.agreedDate, installationDate: body.installationDate, reason: body.reason } });
      const after = await runAction(deps, c, { row, action: 'changeDates', update: lineHandlerUpdates.changeDates, input: cmd, check: (v: LineView) => decideLineDates(v, cmd, osloDate(new Date())) });
      return c.json(presentLine(after.detail as LineView, c.get('actor')), 200);
    },
  );

  const duplicateRoute = (path: 'release-duplicate' | 'mark-duplicate', action: 'releaseDuplicate' | 'markDuplicate', summary: string, body: z.ZodType) =>
    router.openapi(
      createRoute({
        ...secured,
        method: 'post',
        path: `/order-lines/{number}/${path}`,
        summary,
        request: { params: LineNumberParam, body: jsonBody(body) },
        responses: { 200: jsonResponse(OrderLineSchema, 'The line after the decision'), ...problemResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const row = await lineRow(c, c.req.param('number') ?? '');
        const b = c.req.valid('json' as never) as { reason: string; duplicateOf?: string };
        const cmd: LineDuplicateInput = { actor: c.get('actor'), reason: b.reason, ...(b.duplicateOf ? { duplicateOf: b.duplicateOf } : {}) };
        if (b.duplicateOf) {
          // the line it duplicates is another line of the same company (O-19)
          const [other] = await deps.sql`SELECT 1 FROM cases WHERE number = ${b.duplicateOf} AND case_type = 'order_line' AND company_id = ${row.company_id}`;
          if (!other) throw problems.validation([{ field: 'body.duplicateOf', code: 'reference_not_found', rule: 'O-19', message: `${b.duplicateOf} is not an order line of the same company` }]);
        }
        const after = await runAction(deps, c, { row, action, update: lineHandlerUpdates[action], input: cmd, check: (v: LineView) => decideDuplicate(v, action, cmd) });
        return c.json(presentLine(after.detail as LineView, c.get('actor')), 200);
      },
    );
  duplicateRoute(
    'release-duplicate',
    'releaseDuplicate',
    'Release a line wrongly held as a Duplicate: it is registered like any other (O-19)',
    z.strictObject({ reason: Reason.openapi({ description: 'Why it is not a duplicate' }) }).openapi('ReleaseDuplicate'),
  );
  duplicateRoute(
    'mark-duplicate',
    'markDuplicate',
    'Hold a line as a Duplicate of another line of the company (O-19); the customer cancels it or a handler releases it',
    z
      .strictObject({
        duplicateOf: z
          .string()
          .regex(/^ORD-\d{6,}:\d{1,3}$/)
          .openapi({ example: 'ORD-000041:1', description: 'The line of the same company this one duplicates' }),
        reason: Reason.openapi({ description: 'Why it is held' }),
      })
      .openapi('MarkDuplicate'),
  );

  // ---- Project orders: one step on many lines (O-9), each line its own workflow step ----------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/orders/{number}/bulk',
      summary: "One step on many lines of a Project order (O-9): advance them, or give them a new Agreed Date; each line is its own workflow's action and answers for itself",
      request: { params: OrderNumberParam, body: jsonBody(BulkBody) },
      responses: {
        200: jsonResponse(
          z
            .object({ number: z.string().openapi({ description: 'The Project order' }), lines: z.array(BulkOutcome).openapi({ description: 'Each chosen line, in line order' }) })
            .openapi('ProjectBulkOutcome'),
          'Each line, applied or refused',
        ),
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const order = await loadCase(deps.sql, c.get('user'), c.req.valid('param').number, 'order');
      const body = c.req.valid('json');
      // the order's workflow drives its lines (orchestration across cases lives in workflows); each line's
      // validator judges the step for itself and the Update answers per line
      const input: OrderBulkInput = { actor: c.get('actor'), ...body };
      const { result } = await runActionFor(deps, c, {
        row: order,
        action: `bulk.${body.action}`,
        update: orderUpdates.bulk,
        input,
        check: (v: OrderDecisionView) => decideOrderAction(v, 'bulk', { bulkLines: body.lineNos }),
      });
      const lines = (result?.lines ?? []).map((o) => ({
        lineNo: o.lineNo,
        number: orderLineNumber(order.number, o.lineNo),
        ok: o.ok,
        status: o.status,
        problem: o.refusal ? problemOfLineRefusal(o.refusal) : null,
      }));
      c.set('audit', { ...c.get('audit'), detail: { lines: lines.map((o) => ({ lineNo: o.lineNo, ok: o.ok, status: o.status })) } });
      return c.json({ number: order.number, lines }, 200);
    },
  );

  return router;
}
