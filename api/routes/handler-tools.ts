// The handler's tools on any case (A-2, A-4, G-3, G-4): who works on which case, notes and comments,
// attachments from handlers, and the contact details of whoever placed a case. Every route loads its
// case through loadAnyCase and changes a case only through its workflow (runAction); nothing here holds a
// transaction across a Temporal call. The inbox is handler-inbox.ts; the service-request and order-line
// tools are handler-sr-tools.ts and handler-line-tools.ts.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { CaseRow } from '../../db/cases';
import type { Sql } from '../../db/client';
import { AttachmentRef } from '../../domain/case';
import { decideAssignment } from '../../domain/handler-tools';
import { assignUpdate, type AssignInput } from '../../workflows/kit/assignment';
import { resolveAttachments } from '../attachments';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { runAction } from '../kit/run-action';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { HttpProblem, problems } from '../problem';
import { createRouter } from '../router';
import { UploadBody } from './attachments';
import { queuePlainMail } from '../../notifications/plain-mail';

/** Any case's number: `SR-…`, `Q-…`, `ORD-…:1`, `SW-…`, `TRM-…`, and case types yet to come (`TT-…`). */
export const ANY_CASE_NUMBER = /^[A-Z]{1,5}-\d{6,}(:\d{1,3})?$/;

const CaseNumberParam = z.object({
  number: z
    .string()
    .regex(ANY_CASE_NUMBER, 'a case number like SR-000042, ORD-000042:1 or Q-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'SR-000042' }),
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

/** Why a handler acts: kept in the activity log, and told to the company where the step is theirs to know. */
export const Reason = z.string().trim().min(1).max(2000);

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

export function handlerToolRoutes(deps: AppDeps) {
  const router = createRouter();
  for (const path of ['/cases/*']) router.use(path, requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

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

  return router;
}
