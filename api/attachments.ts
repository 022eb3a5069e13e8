// G-4: attachments are uploaded once and referred to by id from cases of the same company.
import type { Queryable } from '../db/client';
import type { AttachmentRef } from '../domain/case';
import { problems } from './problem';

/** G-4: the largest attachment, in bytes. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** An upload is JSON carrying the file as base64 (4 characters per 3 bytes) plus its name and type. */
export const UPLOAD_BODY_LIMIT_BYTES = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 16 * 1024;

export async function resolveAttachments(sql: Queryable, companyId: string, ids: readonly string[], field: string): Promise<AttachmentRef[]> {
  if (ids.length === 0) return [];
  const rows = await sql<{ id: string; filename: string; content_type: string; size_bytes: number }[]>`
    SELECT id, filename, content_type, size_bytes FROM attachments WHERE company_id = ${companyId} AND id = ANY(${ids as string[]}::uuid[]) AND deleted_at IS NULL`;
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.map((id, i) => ({ id, i })).filter(({ id }) => !found.has(id));
  if (missing.length > 0) {
    throw problems.validation(
      missing.map(({ id, i }) => ({
        field: `${field}.${i}`,
        code: 'reference_not_found' as const,
        rule: 'G-4',
        message: `attachment ${id} was not uploaded by this company (or was deleted)`,
      })),
    );
  }
  return ids.map((id) => {
    const r = found.get(id)!;
    return { id: r.id, filename: r.filename, contentType: r.content_type, sizeBytes: r.size_bytes };
  });
}

const FOLDED: Record<string, string> = { Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', ß: 'ss', Þ: 'Th', þ: 'th', Đ: 'D', đ: 'd', Ł: 'L', ł: 'l' };

/**
 * Content-Disposition for a download (RFC 6266): a plain-ASCII `filename` for old clients (no
 * control characters, quotes, backslashes or %XX; letters folded, Æ → AE, å → a) and the exact name
 * as UTF-8 in `filename*` (RFC 8187, formerly RFC 5987). A raw non-Latin-1 or CR/LF name would
 * not fit in an HTTP header at all.
 */
export function contentDisposition(filename: string): string {
  const fallback =
    filename
      .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ')
      .replace(/[ÆæØøßÞþĐđŁł]/g, (ch) => FOLDED[ch] ?? '_')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/["\\]/g, '')
      .replace(/%(?=[0-9A-Fa-f]{2})/g, '_') // RFC 6266 D: some clients would percent-decode it
      .replace(/[^\x20-\x7e]+/g, '_')
      .replace(/\s+/g, ' ')
      .trim() || 'attachment';
  // attr-char of RFC 8187: ALPHA DIGIT ! # $ & + - . ^ _ ` | ~; every other byte percent-encoded
  let encoded = '';
  for (const byte of new TextEncoder().encode(filename)) {
    const ch = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9!#$&+\-.^_`|~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
