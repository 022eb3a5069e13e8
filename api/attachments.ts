// G-4: attachments are uploaded once and referred to by id from cases of the same company.
import type { Queryable } from '../db/client';
import type { AttachmentRef } from '../domain/case';
import { problems } from './problem';

export async function resolveAttachments(sql: Queryable, companyId: string, ids: readonly string[], field: string): Promise<AttachmentRef[]> {
  if (ids.length === 0) return [];
  const rows = await sql<{ id: string; filename: string; content_type: string; size_bytes: number }[]>`
    SELECT id, filename, content_type, size_bytes FROM attachments WHERE company_id = ${companyId} AND id = ANY(${ids as string[]}::uuid[])`;
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.map((id, i) => ({ id, i })).filter(({ id }) => !found.has(id));
  if (missing.length > 0) {
    throw problems.validation(missing.map(({ id, i }) => ({
      field: `${field}.${i}`, code: 'reference_not_found' as const, rule: 'G-4', message: `attachment ${id} was not uploaded by this company`,
    })));
  }
  return ids.map((id) => {
    const r = found.get(id)!;
    return { id: r.id, filename: r.filename, contentType: r.content_type, sizeBytes: r.size_bytes };
  });
}
