// The case read model: one row per case, written idempotently (a newer version wins, a replayed
// or late write of an older version changes nothing).
import type { CaseProjection, CaseType } from '../domain/case';
import type { Queryable } from './client';

export async function upsertCase(sql: Queryable, p: CaseProjection): Promise<boolean> {
  const rows = await sql`
    INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, open_key, queue, version, created_at, updated_at, updated_by, detail)
    VALUES (${p.caseId}, ${p.caseType}, ${p.number}, ${p.companyId}, ${p.status}, ${p.title}, ${sql.json(p.refs)}, ${p.openKey}, ${p.queue},
            ${p.version}, ${p.createdAt}, ${p.updatedAt}, ${p.updatedBy}, ${sql.json(p.detail as never)})
    ON CONFLICT (case_id) DO UPDATE SET
      status = excluded.status, title = excluded.title, refs = excluded.refs, open_key = excluded.open_key, queue = excluded.queue,
      version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by, detail = excluded.detail
    WHERE cases.version < excluded.version
    RETURNING case_id`;
  return rows.length > 0;
}

export interface CaseRow {
  case_id: string;
  case_type: CaseType;
  number: string;
  company_id: string;
  status: string;
  title: string;
  refs: Record<string, string>;
  open_key: string | null;
  queue: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
  detail: unknown;
}

export async function caseByNumber(sql: Queryable, type: CaseType, number: string): Promise<CaseRow | undefined> {
  const [row] = await sql<CaseRow[]>`SELECT * FROM cases WHERE number = ${number} AND case_type = ${type}`;
  return row;
}

/** S-2 and its twins: the unique index on open cases refused a second open case about the same matter. */
export function isOpenKeyConflict(err: unknown): boolean {
  return (err as { constraint_name?: string }).constraint_name === 'cases_open_key';
}
