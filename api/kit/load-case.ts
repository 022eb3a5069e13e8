// Tenancy, structurally (A-1, A-2, A-6). Every route that names a case goes through `loadCase`
// before anything else speaks — validation, rules, the workflow — and another company's case answers
// exactly as a case that does not exist. `scopeCaseParam` installs it as router middleware on every
// path under `/:number`, so a new route cannot forget it.
import type { MiddlewareHandler } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { CaseRow } from '../../db/cases';
import type { Queryable } from '../../db/client';
import type { CaseType } from '../../domain/case';
import { isExternal } from '../../domain/identity';
import { actorOf, type AppEnv, type AuthUser } from '../context';
import { problems } from '../problem';

/**
 * A-6: ops users inspect workflow histories in the Temporal Web UI and act on no case; the API gives
 * them no case data at all (cases, lines, attachments, portfolio, audit), so there is one place where
 * ops access is granted and audited. Handlers see every company (A-2); resellers their own (A-1).
 */
export function assertMayReadCases(user: AuthUser): void {
  if (user.role === 'ops') throw problems.forbidden('Ops users inspect cases in the Temporal Web UI, not through the API (A-6)', 'A-6');
}

/** The company a caller's reads are confined to: their own for resellers, none for handlers. */
export function tenantOf(user: AuthUser): string | null {
  assertMayReadCases(user);
  return isExternal(actorOf(user)) ? (user.companyId ?? '') : null;
}

/** One case by its number, as the caller may see it; 404 for a missing and a foreign case alike. */
export async function loadCase(sql: Queryable, user: AuthUser, number: string, type: CaseType): Promise<CaseRow> {
  const tenant = tenantOf(user);
  const [row] = await sql<CaseRow[]>`
    SELECT * FROM cases WHERE number = ${number} AND case_type = ${type}
    ${tenant === null ? sql`` : sql`AND company_id = ${tenant}`}`;
  if (!row) throw problems.notFound(caseLabel(type, number));
  return row;
}

/** The same words for "missing" and "not yours": nothing tells them apart. */
export function caseLabel(type: CaseType, number: string): string {
  return `${type === 'order_line' ? 'Order line' : 'Case'} ${number}`;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** The case the path names, loaded through loadCase by scopeCaseParam. */
    caseRow: CaseRow;
  }
}

/**
 * Loads the case named by the `number` path parameter for every route under `/:number` of this
 * router, before the route's own validators run. A segment that is not a number of this case type
 * (`/from-quote`, `/lookup`) is left to the router.
 */
export function scopeCaseParam(router: OpenAPIHono<AppEnv>, type: CaseType, pattern: RegExp, sql: Queryable): void {
  const load: MiddlewareHandler<AppEnv> = async (c, next) => {
    const number = c.req.param('number');
    if (number !== undefined && pattern.test(number)) c.set('caseRow', await loadCase(sql, c.get('user'), number, type));
    await next();
  };
  router.use('/:number', load);
  router.use('/:number/*', load);
}
