// Following a case up (issue 15: O-14…O-17, S-6, G-3, G-4): the timeline of any case's status
// changes with who and when, an order's timeline across its lines, and the attachments a case
// carries, listed and deleted on the case. Tenancy first: another company's case answers exactly
// as a missing one (A-1), ops get 403 (A-6).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { CaseRow } from '../../db/cases';
import type { Queryable } from '../../db/client';
import type { ActivityEntry } from '../../domain/case';
import { canOrder, isHandler } from '../../domain/identity';
import { isFinalStatus } from '../../domain/statuses';
import type { LineView, OrderView } from '../../workflows/order/messages';
import { requireAuth } from '../auth';
import { actorOf, type AppDeps, type AppEnv, type AuthUser } from '../context';
import {
  attachmentIdsIn,
  type AttachmentRow,
  attachmentRows,
  byTime,
  CaseAttachment,
  lineRowsOfOrder,
  RelatedServiceRequest,
  serviceRequestsReferring,
  TimelineEntry,
  timelineOf,
  TimelineQuery,
} from '../follow-up';
import { tenantOf } from '../kit/load-case';
import { jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';
import { NumberParam } from './order-support';

const CaseNumberParam = z.object({
  number: z
    .string()
    .max(40)
    .openapi({ param: { name: 'number', in: 'path' }, example: 'ORD-000042' }),
});
const AttachmentParams = CaseNumberParam.extend({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const Timeline = z.object({ number: z.string(), caseType: z.string(), status: z.string(), items: z.array(TimelineEntry) }).openapi('Timeline');

/** Any case by its number, as the caller may see it (the rule of loadCase, for every case type). */
async function loadAnyCase(sql: Queryable, user: AuthUser, number: string): Promise<CaseRow> {
  const tenant = tenantOf(user);
  const [row] = await sql<CaseRow[]>`SELECT * FROM cases WHERE number = ${number} ${tenant === null ? sql`` : sql`AND company_id = ${tenant}`}`;
  if (!row) throw problems.notFound(`Case ${number}`);
  return row;
}

/**
 * The attachments a case carries: its own state's, for an order its lines' too, and those of the notes on
 * it — a handler's answer "som vedlegg" (slide 93) in a comment the customer sees; an internal note's
 * only for the wholesaler's own staff (no company).
 */
async function attachmentsOfCase(sql: Queryable, user: AuthUser, row: CaseRow): Promise<AttachmentRow[]> {
  const ids = attachmentIdsIn(row.detail);
  if (row.case_type === 'order') for (const line of await lineRowsOfOrder(sql, row.number)) attachmentIdsIn(line.detail, ids);
  const notes = await sql<{ attachments: unknown }[]>`
    SELECT attachments FROM case_notes WHERE case_id = ${row.case_id} AND jsonb_array_length(attachments) > 0
      ${tenantOf(user) === null ? sql`` : sql`AND visibility = 'customer'`}`;
  for (const n of notes) attachmentIdsIn(n.attachments, ids);
  return attachmentRows(sql, row.company_id, [...ids]);
}

/**
 * G-4: who may delete an attachment from a case: a user of the uploader's company who may act on
 * cases (ordering or full access, A-3; handlers for the wholesaler's own uploads), while the case is
 * not final. Returns the reason it may not, or null.
 */
function deleteRefusal(user: AuthUser, row: CaseRow, a: AttachmentRow): { status: 403 | 409; rule: 'A-3' | 'G-4'; message: string } | null {
  const actor = actorOf(user);
  if (!canOrder(actor) && !isHandler(actor))
    return { status: 403, rule: 'A-3', message: `User ${user.username} has ${user.accessType ?? user.role} access: deleting an attachment needs ordering or full access (A-3)` };
  const callerCompany = isHandler(actor) ? null : user.companyId;
  if (a.uploader_company !== callerCompany)
    return { status: 403, rule: 'G-4', message: `${a.filename} was uploaded by ${a.uploader_company === null ? 'the wholesaler' : 'another company'}: only the uploader's side deletes it (G-4)` };
  if (isFinalStatus(row.case_type, row.status)) return { status: 409, rule: 'G-4', message: `${row.number} is ${row.status}: a final case keeps its attachments (G-4)` };
  return null;
}

function present(user: AuthUser, row: CaseRow, a: AttachmentRow): CaseAttachment {
  return {
    id: a.id,
    filename: a.filename,
    contentType: a.content_type,
    sizeBytes: a.size_bytes,
    uploadedBy: a.uploaded_by,
    uploadedAt: a.created_at.toISOString(),
    href: a.deleted_at ? null : `/v1/attachments/${a.id}`,
    deletedAt: a.deleted_at?.toISOString() ?? null,
    deletedBy: a.deleted_by,
    mayDelete: a.deleted_at === null && deleteRefusal(user, row, a) === null,
  };
}

const secured = { security: [{ bearer: [] }] };

export function caseFollowUpRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  const { sql } = deps;

  router.openapi(
    createRoute({
      ...secured,
      tags: ['Cases'],
      method: 'get',
      path: '/{number}/timeline',
      summary: "A case's status changes with who and when, oldest first (any case type; an order's lines: GET /v1/orders/{number}/timeline) (A-4, G-3)",
      request: { params: CaseNumberParam, query: TimelineQuery },
      responses: { 200: jsonResponse(Timeline, 'The timeline'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const row = await loadAnyCase(sql, c.get('user'), c.req.valid('param').number);
      const detail = row.detail as { activity?: ActivityEntry[]; lineNo?: number };
      const items = timelineOf(row.number, detail.activity, row.case_type === 'order_line' ? (detail.lineNo ?? null) : null, c.req.valid('query').include);
      return c.json({ number: row.number, caseType: row.case_type, status: row.status, items: byTime(items) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      tags: ['Attachments'],
      method: 'get',
      path: '/{number}/attachments',
      summary: "The attachments a case carries (for an order, its lines' too), with who uploaded them and whether the caller may delete them (G-4)",
      request: { params: CaseNumberParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(CaseAttachment) }), 'The attachments'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const user = c.get('user');
      const row = await loadAnyCase(sql, user, c.req.valid('param').number);
      return c.json({ items: (await attachmentsOfCase(sql, user, row)).map((a) => present(user, row, a)) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      tags: ['Attachments'],
      method: 'delete',
      path: '/{number}/attachments/{id}',
      summary: "Delete an attachment from its case (G-4): the uploader's company with ordering or full access, not once the case is final; the file is removed, who and when are kept and audited",
      request: { params: AttachmentParams },
      responses: { 200: jsonResponse(CaseAttachment, 'Deleted: the name stays on the case, the file is gone'), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const user = c.get('user');
      const { number, id } = c.req.valid('param');
      const row = await loadAnyCase(sql, user, number);
      c.set('audit', { action: 'attachment.delete', caseId: row.case_id, companyId: row.company_id, detail: { attachmentId: id } });
      const a = (await attachmentsOfCase(sql, user, row)).find((x) => x.id === id.toLowerCase() && x.deleted_at === null);
      if (!a) throw problems.notFound(`Attachment ${id} of ${row.number}`);
      const refusal = deleteRefusal(user, row, a);
      if (refusal?.status === 403) throw problems.forbidden(refusal.message, refusal.rule);
      if (refusal) throw problems.conflict('case_final', refusal.message, { rule: 'G-4', currentStatus: row.status });
      // of two deletes at once one wins; the bytes go, the row says who and when
      const [deleted] = await sql<AttachmentRow[]>`
        UPDATE attachments SET deleted_at = now(), deleted_by = ${user.username}, data = ''::bytea
        WHERE id = ${a.id} AND company_id = ${row.company_id} AND deleted_at IS NULL
        RETURNING id, company_id, filename, content_type, size_bytes, uploaded_by, ${a.uploader_company}::text AS uploader_company, created_at, deleted_at, deleted_by`;
      if (!deleted) throw problems.notFound(`Attachment ${id} of ${row.number}`);
      c.set('audit', { action: 'attachment.delete', caseId: row.case_id, companyId: row.company_id, detail: { attachmentId: a.id, filename: a.filename } });
      return c.json(present(user, row, deleted), 200);
    },
  );

  return router;
}

/** On the order router (its loader has checked the order's tenancy): the order's timeline across its lines, and its service requests (S-6). */
export function registerOrderFollowUpRoutes(router: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  router.openapi(
    createRoute({
      ...secured,
      tags: ['Orders'],
      method: 'get',
      path: '/{number}/timeline',
      summary: "The order's and its lines' status changes with who and when, oldest first (O-14…O-17, A-4)",
      request: { params: NumberParam, query: TimelineQuery },
      responses: { 200: jsonResponse(Timeline, 'The timeline'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const row = c.get('caseRow');
      const order = row.detail as OrderView;
      const { include } = c.req.valid('query');
      const lines = await lineRowsOfOrder(deps.sql, row.number);
      const items = [timelineOf(row.number, order.activity, null, include), ...lines.map((l) => timelineOf(l.number, (l.detail as LineView).activity, (l.detail as LineView).lineNo, include))].flat();
      return c.json({ number: row.number, caseType: row.case_type, status: row.status, items: byTime(items) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      tags: ['Orders'],
      method: 'get',
      path: '/{number}/service-requests',
      summary: 'The service requests that refer to the order or one of its lines, newest first (S-6)',
      request: { params: NumberParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(RelatedServiceRequest) }), 'The service requests'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => c.json({ items: await orderServiceRequests(deps.sql, c.get('caseRow')) }, 200),
  );
}

/** S-6: an order's service requests: about the order or any of its lines. */
export async function orderServiceRequests(sql: Queryable, row: CaseRow): Promise<RelatedServiceRequest[]> {
  const order = row.detail as OrderView;
  return serviceRequestsReferring(sql, row.company_id, [row.number, ...order.lines.map((l) => `${row.number}:${l.lineNo}`)]);
}

/** S-6: a quote's service requests. */
export async function quoteServiceRequests(sql: Queryable, row: CaseRow): Promise<RelatedServiceRequest[]> {
  return serviceRequestsReferring(sql, row.company_id, [row.number]);
}
