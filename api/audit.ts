// A-4: every state-changing request leaves an audit row: who, company, when, case, action, outcome.
import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../db/client';
import type { AppEnv } from './context';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function auditTrail(sql: Sql): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('audit', {});
    await next();
    const note = c.get('audit');
    if (!STATE_CHANGING.has(c.req.method) && !note.auditRead) return;
    const user = c.get('user') as AppEnv['Variables']['user'] | undefined;
    const status = c.res.status;
    const outcome = status < 300 ? 'accepted' : status < 500 ? 'refused' : 'failed';
    // a refused request may carry NUL characters, which PostgreSQL text cannot hold
    const clean = (s: string) => s.replace(/\0/g, '\uFFFD');
    // request_id is always the server's own (api/app.ts); a client's X-Request-Id is only a note, and only when short and plain
    const clientRequestId = c.req.header('X-Request-Id');
    const clientNote = clientRequestId && /^[A-Za-z0-9._:-]{1,64}$/.test(clientRequestId) ? { clientRequestId } : {};
    try {
      await sql`INSERT INTO audit_log (username, company_id, case_id, action, outcome, status_code, request_id, detail)
        VALUES (${clean(user?.username ?? String(note.detail?.username ?? 'anonymous'))}, ${note.companyId ?? user?.companyId ?? null},
                ${note.caseId ?? null}, ${note.action ?? `${c.req.method} ${c.req.routePath}`}, ${outcome}, ${status},
                ${c.get('requestId') ?? null}, ${sql.json(JSON.parse(JSON.stringify({ path: c.req.path, ...clientNote, ...(note.detail ?? {}) }).replace(/\\u0000/g, '\\ufffd')) as never)})`;
    } catch (err) {
      // the action itself already happened; losing its audit row must be loud
      console.error('audit row could not be written', err);
      throw err;
    }
  };
}

export interface AuditRow {
  at: string;
  username: string;
  companyId: string | null;
  caseId: string | null;
  action: string;
  outcome: string;
  statusCode: number | null;
}

export async function auditForCase(sql: Sql, caseId: string): Promise<AuditRow[]> {
  const rows = await sql<{ at: Date; username: string; company_id: string | null; case_id: string | null; action: string; outcome: string; status_code: number | null }[]>`
    SELECT at, username, company_id, case_id, action, outcome, status_code FROM audit_log WHERE case_id = ${caseId} ORDER BY at, id`;
  return rows.map((r) => ({ at: r.at.toISOString(), username: r.username, companyId: r.company_id, caseId: r.case_id, action: r.action, outcome: r.outcome, statusCode: r.status_code }));
}
