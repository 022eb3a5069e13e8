// One way to page every list (issue 15, issue 16 "reads stay flat as the book grows"): offset pages
// for a frontend's numbered pages, keyset pages ("after this cursor") for walking a long list, and a
// total that is exact only while it is cheap. Counting a filtered set exactly grows with the book (at
// 1M cases a status-filtered list spent 177 of 178 ms counting), so the count stops at TOTAL_CAP and
// the response says so (`totalIsExact: false`).
//
// A keyset cursor holds the sort key values of the last row of a page, sealed like the event feed's
// cursor (kit/cursor.ts): AES-256-GCM under the server's key (a nonce derived from the sealed values: the same page, the same cursor), bound to the list, its sort and the
// caller's company, so a client can send it back but not read, forge or use another company's
// (A-1). Each list's sort keys end in a unique column, and the index behind a list holds them in
// that order (migrations 022–024), so a deep keyset page costs what the first page costs.
import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import type { Queryable } from '../../db/client';
import { DEV_CASE_NUMBER_KEY } from '../../domain/case';
import type { AppConfig, AuthUser } from '../context';
import { problems } from '../problem';

type Fragment = postgres.PendingQuery<postgres.Row[]>;

/** The count of a filtered set stops here: beyond it `total` is a lower bound and `totalIsExact` is false. */
export const TOTAL_CAP = 1000;
/** Offset paging beyond this is refused: a deep page read by offset reads every row before it (use `after`). */
export const MAX_OFFSET = 100_000;

// ---- the query and the response -------------------------------------------------------------------

/** The paging parameters every list takes (spread into its query schema). */
export function pageQuery(defaults: { limit: number; maxLimit?: number } = { limit: 25 }) {
  return {
    offset: z.coerce
      .number()
      .int()
      .min(0)
      .max(MAX_OFFSET)
      .default(0)
      .openapi({ description: `Items to skip (offset paging, at most ${MAX_OFFSET}); leave at 0 with \`after\`` }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(defaults.maxLimit ?? 100)
      .default(defaults.limit)
      .openapi({ description: `Page size (at most ${defaults.maxLimit ?? 100})` }),
    after: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[A-Za-z0-9_-]+$/, 'a cursor from nextCursor')
      .optional()
      .openapi({ description: 'Keyset paging: the `nextCursor` of the previous page; the page starts after its last item. Cursors are opaque and only valid for the same list, sort and company' }),
  };
}
export interface PageParams {
  offset: number;
  limit: number;
  after?: string | undefined;
}

/** The paging fields of every list response (spread into its page schema beside `items`). */
export const pageFields = {
  total: z
    .number()
    .int()
    .openapi({ description: `Items matching the filters, counted up to ${TOTAL_CAP} (and at least the items up to this page): exact when \`totalIsExact\`, otherwise a lower bound` }),
  totalIsExact: z.boolean().openapi({ description: `false when more than ${TOTAL_CAP} items match: \`total\` is then a lower bound (show "${TOTAL_CAP}+"); page on with nextCursor` }),
  offset: z.number().int().openapi({ description: 'Items skipped (0 on a keyset page)' }),
  limit: z.number().int().openapi({ description: 'Page size' }),
  nextCursor: z.string().nullable().openapi({ description: 'Pass as `after` for the next page; null on the last page' }),
};
export interface Page<T> {
  items: T[];
  total: number;
  totalIsExact: boolean;
  offset: number;
  limit: number;
  nextCursor: string | null;
}

// ---- sealed cursors ----------------------------------------------------------------------------------

/** Who may use a list's cursors: the reseller company, or the wholesaler's handlers. */
export interface PageScope {
  /** The list (and its sort), e.g. `orders:-updatedAt`: a cursor is refused by any other list or sort. */
  list: string;
  /** The caller's company; null for the wholesaler's staff. */
  companyId: string | null;
  secret: string;
}

/** Whose cursors: the caller's company (null: the wholesaler) and the server's cursor key. */
export type CallerScope = Omit<PageScope, 'list'>;
export function callerScope(config: AppConfig, user: Pick<AuthUser, 'companyId'>): CallerScope {
  return { companyId: user.companyId, secret: config.caseNumberKey ?? DEV_CASE_NUMBER_KEY };
}

const keyOf = (secret: string) => createHash('sha256').update(`samband-page-cursor|${secret}`).digest();
const boundTo = (s: PageScope) => Buffer.from(`${s.list}|${s.companyId ?? '(wholesaler)'}`);

export function sealKeys(values: readonly string[], scope: PageScope): string {
  // the nonce is derived from what is sealed (as in SIV): the same page always gives the same cursor, so an
  // answer is byte for byte the same however often it is asked (A-1's comparison), and a nonce is only ever
  // reused for the very same plaintext and binding, which seals to the very same bytes
  const plaintext = JSON.stringify(values);
  const iv = createHmac('sha256', keyOf(scope.secret)).update(boundTo(scope)).update('\0').update(plaintext).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(scope.secret), iv);
  cipher.setAAD(boundTo(scope));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The key values a cursor holds, or undefined when it is not one this server gave for this list, sort and company. */
export function openKeys(cursor: string, scope: PageScope, arity: number): string[] | undefined {
  const sealed = Buffer.from(cursor, 'base64url');
  if (sealed.length < 29 || sealed.toString('base64url') !== cursor) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(scope.secret), sealed.subarray(0, 12));
    decipher.setAAD(boundTo(scope));
    decipher.setAuthTag(sealed.subarray(12, 28));
    const values: unknown = JSON.parse(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8'));
    return Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string') ? (values as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key values of a request's `after` cursor (undefined without one). Refused as a 400 naming
 * `query.after` when the cursor is not this list's, sort's and company's, and on `query.offset` when
 * both are given.
 */
export function openAfter(page: PageParams, scope: PageScope, arity: number): string[] | undefined {
  if (page.after === undefined) return undefined;
  if (page.offset !== 0) throw problems.validation([{ field: 'query.offset', code: 'invalid_value', message: 'page either by offset or after a cursor, not both' }]);
  const values = openKeys(page.after, scope, arity);
  if (values === undefined)
    throw problems.validation([{ field: 'query.after', code: 'invalid_value', message: "not a cursor this list gave you (same list, sort and company): use the page's nextCursor" }]);
  return values;
}

// ---- the page query -----------------------------------------------------------------------------------

/**
 * One sort key: a SQL expression that is never null (wrap a nullable one in COALESCE, as its index
 * does), its type (how its value travels in a cursor) and its direction. The last key is unique.
 */
export interface SortKey {
  sql: Fragment;
  type: 'text' | 'int' | 'timestamptz' | 'date' | 'bool' | 'uuid';
  desc: boolean;
}

/** A handler queue's order: the case that waited longest first (oldest update), its number breaking ties. */
export function oldestUpdatedFirst(sql: Queryable): SortKey[] {
  return [
    { sql: sql`updated_at`, type: 'timestamptz', desc: false },
    { sql: sql`number`, type: 'text', desc: false },
  ];
}

function keyText(sql: Queryable, k: SortKey): Fragment {
  // timestamps travel as UTC ISO text with microseconds: a JavaScript Date would lose the last three digits
  if (k.type === 'timestamptz') return sql`to_char(${k.sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  return sql`(${k.sql})::text`;
}
function keyValue(sql: Queryable, k: SortKey, v: string): Fragment {
  // the value goes as text and is cast in SQL: a parameter the server types as timestamptz would be
  // serialised through a JavaScript Date by the driver, losing the microseconds (a page boundary row twice)
  const text = sql`${v}::text`;
  switch (k.type) {
    case 'timestamptz':
      return sql`${text}::timestamptz`;
    case 'date':
      return sql`${text}::date`;
    case 'int':
      return sql`${text}::bigint`;
    case 'bool':
      return sql`${text}::boolean`;
    case 'uuid':
      return sql`${text}::uuid`;
    default:
      return text;
  }
}
const list = (sql: Queryable, parts: Fragment[], sep: 'AND' | 'OR' | ','): Fragment =>
  parts.reduce((acc, p) => (sep === ',' ? sql`${acc}, ${p}` : sep === 'AND' ? sql`${acc} AND ${p}` : sql`${acc} OR ${p}`));

/** Rows after the cursor's: one row comparison when every key runs the same way (an index range), else the expanded form. */
function afterKeys(sql: Queryable, keys: readonly SortKey[], values: readonly string[]): Fragment {
  const desc = keys[0]!.desc;
  if (keys.every((k) => k.desc === desc)) {
    const left = list(
      sql,
      keys.map((k) => k.sql),
      ',',
    );
    const right = list(
      sql,
      keys.map((k, i) => keyValue(sql, k, values[i]!)),
      ',',
    );
    return keys.length === 1 ? (desc ? sql`${left} < ${right}` : sql`${left} > ${right}`) : desc ? sql`(${left}) < (${right})` : sql`(${left}) > (${right})`;
  }
  const ors = keys.map((k, i) => {
    const equal = keys.slice(0, i).map((e, j) => sql`${e.sql} = ${keyValue(sql, e, values[j]!)}`);
    const beyond = k.desc ? sql`${k.sql} < ${keyValue(sql, k, values[i]!)}` : sql`${k.sql} > ${keyValue(sql, k, values[i]!)}`;
    return sql`(${list(sql, [...equal, beyond], 'AND')})`;
  });
  return sql`(${list(sql, ors, 'OR')})`;
}

export interface PageSpec {
  /** The columns to read (the sort keys are added). */
  select: Fragment;
  /** FROM: a table with its alias, or a join. */
  from: Fragment;
  /** Every filter; a keyset page adds its own condition. */
  where: Fragment;
  keys: readonly SortKey[];
  page: PageParams;
  /** The list and its sort (`orders:-updatedAt`): a cursor is refused by any other. */
  list: string;
  scope: CallerScope;
}

/**
 * A page of a list: the rows (offset or after a cursor), the capped total and the next cursor. A
 * cursor that is not this list's, sort's and company's is refused as a 400 on `query.after`.
 */
export async function readPage<R extends object>(sql: Queryable, spec: PageSpec): Promise<Page<R>> {
  const { page, keys } = spec;
  const scope: PageScope = { ...spec.scope, list: spec.list };
  const values = openAfter(page, scope, keys.length);
  const where = values === undefined ? spec.where : sql`${spec.where} AND ${afterKeys(sql, keys, values)}`;
  const keyColumns = list(
    sql,
    keys.map((k, i) => sql`${keyText(sql, k)} AS ${sql(`_k${i}`)}`),
    ',',
  );
  const orderBy = list(
    sql,
    keys.map((k) => (k.desc ? sql`${k.sql} DESC` : sql`${k.sql} ASC`)),
    ',',
  );
  const rows = await sql<
    (R & Record<string, string>)[]
  >`SELECT ${spec.select}, ${keyColumns} FROM ${spec.from} WHERE ${where} ORDER BY ${orderBy} LIMIT ${page.limit + 1} OFFSET ${page.after === undefined ? page.offset : 0}`;
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : [...rows];
  const last = items.at(-1);
  const offset = page.after === undefined ? page.offset : 0;
  // a last page reached by offset (not empty) already says how many match: the rows skipped and its
  // own, so the count is not run (a text search's page is most often its only one, and counting it
  // would run the search a second time); otherwise the whole filtered set (not the rest after a
  // cursor), counted only up to the cap
  const n =
    !more && page.after === undefined && (items.length > 0 || offset === 0)
      ? offset + items.length
      : ((await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${spec.from} WHERE ${spec.where} LIMIT ${TOTAL_CAP + 1}) capped`)[0]?.n ?? 0);
  const exact = n <= TOTAL_CAP;
  return {
    items,
    total: exact ? n : Math.max(TOTAL_CAP, offset + items.length + (more ? 1 : 0)),
    totalIsExact: exact,
    offset,
    limit: page.limit,
    nextCursor:
      more && last
        ? sealKeys(
            keys.map((_, i) => last[`_k${i}`] as string),
            scope,
          )
        : null,
  };
}

/** The same page with its items mapped (rows to the response's items). */
export function mapPage<R, T>(p: Page<R>, fn: (row: R) => T): Page<T> {
  return { ...p, items: p.items.map(fn) };
}
