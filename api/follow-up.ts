// What a case's view shows besides its own state (issue 15, O-14…O-17, S-6, G-3, G-4): the
// service requests that refer to it, its timeline of status changes (who and when, from the case's
// activity log) and the attachments it carries. Callers pass rows already loaded through the
// tenancy-scoped loader (api/kit/load-case.ts).
import { z } from '@hono/zod-openapi';
import type { CaseRow } from '../db/cases';
import type { Queryable } from '../db/client';
import type { ActivityEntry } from '../domain/case';

// ---- S-6: service requests that refer to a case ----------------------------------------------------

export const RelatedServiceRequest = z
  .object({
    number: z.string().openapi({ example: 'SR-000042' }),
    status: z.string().openapi({ description: 'S-7: the service request status' }),
    area: z.string().nullable(),
    subArea: z.string().nullable(),
    title: z.string(),
    reference: z.string().openapi({ description: 'The number it refers to: the case itself or one of its lines' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('RelatedServiceRequest');
export type RelatedServiceRequest = z.infer<typeof RelatedServiceRequest>;

/** S-6: the company's service requests whose reference is one of these numbers (a case and its lines), newest first. */
export async function serviceRequestsReferring(sql: Queryable, companyId: string, numbers: readonly string[]): Promise<RelatedServiceRequest[]> {
  const rows = await sql<{ number: string; status: string; title: string; refs: Record<string, string>; created_at: Date; updated_at: Date }[]>`
    SELECT number, status, title, refs, created_at, updated_at FROM cases
    WHERE company_id = ${companyId} AND case_type = 'service_request' AND refs ->> 'reference' = ANY(${numbers as string[]})
    ORDER BY created_at DESC, number LIMIT 200`;
  return rows.map((r) => ({
    number: r.number,
    status: r.status,
    area: r.refs.area ?? null,
    subArea: r.refs.subArea ?? null,
    title: r.title,
    reference: r.refs.reference ?? '',
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}

// ---- the timeline ------------------------------------------------------------------------------------

export const TimelineEntry = z
  .object({
    at: z.string().openapi({ description: 'When (ISO 8601)' }),
    by: z.string().openapi({ description: "Who: the acting user's username, or `system` for timers and the wholesaler's systems (A-4)" }),
    action: z.string().openapi({ description: 'What was done (submit, advance, incomplete, customerUpdate, …)' }),
    fromStatus: z.string().nullable(),
    toStatus: z.string(),
    statusChanged: z.boolean().openapi({ description: 'The action changed the status' }),
    text: z.string().nullable().openapi({ description: 'G-3: the comment, missing information, answer or reason given with it' }),
    case: z.string().openapi({ description: 'The case or order line it happened to (ORD-000042 or ORD-000042:1)' }),
    lineNo: z.number().int().nullable().openapi({ description: 'The order line, for an order timeline' }),
  })
  .openapi('TimelineEntry');
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export const TimelineQuery = z.object({
  include: z.enum(['status', 'all']).default('status').openapi({ description: '`status`: only the status changes (default); `all`: every recorded action' }),
});

/** A case's activity log as timeline entries (the log records every accepted action with who and when, A-4, G-3). */
export function timelineOf(number: string, activity: readonly ActivityEntry[] | undefined, lineNo: number | null, include: 'status' | 'all'): TimelineEntry[] {
  return (activity ?? [])
    .map((e) => ({
      at: e.at,
      by: e.by,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      statusChanged: e.fromStatus !== e.toStatus,
      text: e.text ?? null,
      case: number,
      lineNo,
    }))
    .filter((e) => include === 'all' || e.statusChanged);
}

/** Oldest first; entries at the same instant keep the order's before its lines'. */
export function byTime(entries: TimelineEntry[]): TimelineEntry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.i - b.i))
    .map(({ e }) => e);
}

/** The lines of an order (call only after the order's tenancy check). */
export async function lineRowsOfOrder(sql: Queryable, orderNumber: string): Promise<CaseRow[]> {
  return sql<CaseRow[]>`SELECT * FROM cases WHERE case_type = 'order_line' AND refs ->> 'orderNumber' = ${orderNumber} ORDER BY number`;
}

// ---- G-4: the attachments a case carries -------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ids of the attachments a case's state refers to, wherever it keeps them (an SR's attachments
 * and answer, a quote's or order's lines): every object shaped like an AttachmentRef. New case types
 * are covered without a list of places to keep in step.
 */
export function attachmentIdsIn(detail: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(detail)) for (const d of detail) attachmentIdsIn(d, into);
  else if (detail !== null && typeof detail === 'object') {
    const o = detail as Record<string, unknown>;
    if (typeof o.id === 'string' && UUID.test(o.id) && typeof o.filename === 'string' && typeof o.contentType === 'string') into.add(o.id.toLowerCase());
    else for (const v of Object.values(o)) attachmentIdsIn(v, into);
  }
  return into;
}

export const CaseAttachment = z
  .object({
    id: z.uuid(),
    filename: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    uploadedBy: z.string().openapi({ description: 'Who uploaded it' }),
    uploadedAt: z.string(),
    href: z.string().nullable().openapi({ description: 'Where to download it (GET /v1/attachments/{id}); null once deleted' }),
    deletedAt: z.string().nullable().openapi({ description: 'G-4: when it was deleted from the case (the name stays, the file is gone)' }),
    deletedBy: z.string().nullable(),
    mayDelete: z.boolean().openapi({ description: "G-4: the caller may delete it: the uploader's company, with ordering access, while the case is not final" }),
  })
  .openapi('CaseAttachment');
export type CaseAttachment = z.infer<typeof CaseAttachment>;

export interface AttachmentRow {
  id: string;
  company_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  uploaded_by: string;
  uploader_company: string | null;
  created_at: Date;
  deleted_at: Date | null;
  deleted_by: string | null;
}

/** The attachment rows of a case (its company's, by id), with the uploader's company (null: the wholesaler). */
export async function attachmentRows(sql: Queryable, companyId: string, ids: readonly string[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) return [];
  return sql<AttachmentRow[]>`
    SELECT a.id, a.company_id, a.filename, a.content_type, a.size_bytes, a.uploaded_by, u.company_id AS uploader_company, a.created_at, a.deleted_at, a.deleted_by
    FROM attachments a LEFT JOIN users u ON u.username = a.uploaded_by
    WHERE a.company_id = ${companyId} AND a.id = ANY(${ids as string[]}::uuid[])
    ORDER BY a.created_at, a.id`;
}
