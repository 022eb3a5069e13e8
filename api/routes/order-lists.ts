// Status follow-up for resellers (O-14…O-17, deck slides 79–87): the order list and the order-line
// list carry what a user scans for — each line's status and letter, Customer Order Id, Agreed Date,
// requested and installation dates, product, end user and address — with filters, sorting and
// search. Indexes of migration 021 keep them within the benchmark's read targets at 100,000 cases.
import { createRoute, z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import type { Sql } from '../../db/client';
import { LINE_STATUS_CODES, LINE_STATUSES, type LineStatus, ORDER_STATUSES, orderSummaryStatus } from '../../domain/order';
import type { DraftLine } from '../../domain/order-draft';
import type { LineView, OrderView } from '../../workflows/order/messages';
import { requireAuth } from '../auth';
import type { AppDeps, AuthUser } from '../context';
import { IsoDate } from '../dates';
import { tenantOf } from '../kit/load-case';
import { callerScope, type CallerScope, mapPage, type Page, pageFields, pageQuery, readPage, type SortKey } from '../kit/page';
import { jsonResponse, problemResponses } from '../openapi';
import { createRouter } from '../router';

type Fragment = postgres.PendingQuery<postgres.Row[]>;

// ---- schemas -------------------------------------------------------------------------------------

const lineFields = {
  status: z.string().openapi({ description: 'O-15: the line status (labels and explanations: GET /v1/reference/statuses?scope=order_line)', example: 'Field Service' }),
  statusCode: z.string().nullable().openapi({ description: 'O-15: the letter of a delivery status (O, D, R, M, T, L, F, A), else null', example: 'M' }),
  customerOrderId: z.string().nullable().openapi({ description: "O-14: the order system's confirmation, set at Registered" }),
  agreedDate: z.string().nullable().openapi({ description: 'O-14: the agreed delivery date (Agreed Date)', format: 'date' }),
  requestedDate: z.string().nullable().openapi({ description: "O-5: the user's requested delivery date", format: 'date' }),
  installationDate: z.string().nullable().openapi({ description: 'O-15: the installation date, set with Field Service (M)', format: 'date' }),
  productCode: z.string().nullable(),
  endUser: z.string().nullable().openapi({ description: "The end user's name (never a date of birth)" }),
  address: z.string().nullable().openapi({ description: 'The installation address as a label' }),
};

const OrderListLine = z
  .object({
    lineNo: z.number().int(),
    number: z.string().nullable().openapi({ description: "The line's number once submitted (ORD-000042:1), null while the order is a draft", example: 'ORD-000042:1' }),
    ...lineFields,
  })
  .openapi('OrderListLine');

export const OrderSummarySchema = z
  .object({
    number: z.string(),
    companyId: z.string(),
    status: z.string().openapi({ description: "O-14 / O-16: the header status, summarised from the lines' rows once submitted" }),
    orderType: z.string(),
    kind: z.string().openapi({ description: "The order's kind (new, modify, …)" }),
    productCode: z.string().nullable(),
    customerOrderRef: z.string().nullable(),
    requestedDate: z.string().nullable().openapi({ description: "O-5: the order's requested delivery date", format: 'date' }),
    title: z.string(),
    createdAt: z.string(),
    createdBy: z.string().openapi({ description: 'Who started the order' }),
    updatedAt: z.string(),
    updatedBy: z.string(),
    lines: z.array(OrderListLine).openapi({ description: "Each line's status, letter, Customer Order Id, dates, product, end user and address (O-14, O-15)" }),
  })
  .openapi('OrderSummary');
export const OrderSummaryPage = z.object({ items: z.array(OrderSummarySchema), ...pageFields }).openapi('OrderPage');

const OrderLineListItem = z
  .object({
    number: z.string().openapi({ example: 'ORD-000042:1' }),
    orderNumber: z.string(),
    lineNo: z.number().int(),
    companyId: z.string(),
    ...lineFields,
    productName: z.string(),
    customerOrderRef: z.string().nullable(),
    statusDescription: z.string().nullable().openapi({ description: 'O-17: the reason for a manually set status' }),
    comment: z.string().nullable(),
    manualHandling: z.boolean().openapi({ description: 'O-11: the availability check timed out; customer service handles the line' }),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('OrderLineListItem');
const OrderLinePage = z.object({ items: z.array(OrderLineListItem), ...pageFields }).openapi('OrderLineListPage');

const ORDER_SORTS = ['updatedAt', 'createdAt', 'requestedDate', 'number', 'status'] as const;
const LINE_SORTS = ['updatedAt', 'createdAt', 'requestedDate', 'agreedDate', 'installationDate', 'number', 'status'] as const;
const sortParam = (keys: readonly string[]) =>
  z
    .string()
    .refine((v) => keys.includes(v.replace(/^-/, '')), { message: `one of ${keys.join(', ')}, with a leading minus for descending` })
    .default('-updatedAt')
    .openapi({ description: `Sort key, descending with a leading minus: ${keys.join(', ')}`, example: '-agreedDate' });

const from = (what: string) => IsoDate.optional().openapi({ description: `${what} on or after this date` });
const to = (what: string) => IsoDate.optional().openapi({ description: `${what} on or before this date` });

const commonQuery = {
  productCode: z.string().max(40).optional(),
  q: z.string().max(100).optional().openapi({ description: 'Search: order or line number, Customer Order Id, Customer Order Ref, end user, address (substring, case-insensitive)' }),
  createdByMe: z.enum(['true', 'false']).optional().openapi({ description: 'Only what the caller created' }),
  createdFrom: from('Created'),
  createdTo: to('Created'),
  requestedFrom: from('Requested delivery date'),
  requestedTo: to('Requested delivery date'),
  agreedFrom: from('Agreed Date of a line'),
  agreedTo: to('Agreed Date of a line'),
  installationFrom: from('Installation date of a line'),
  installationTo: to('Installation date of a line'),
  companyId: z.string().optional().openapi({ description: 'Handlers only' }),
  ...pageQuery({ limit: 25 }),
};

export const OrderListQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional().openapi({ description: 'O-14: the header status' }),
  lineStatus: z.enum(LINE_STATUSES).optional().openapi({ description: 'O-15: orders with at least one line in this status' }),
  ...commonQuery,
  sort: sortParam(ORDER_SORTS),
});
const OrderLineQuery = z.object({
  status: z.enum(LINE_STATUSES).optional().openapi({ description: 'O-15: the line status' }),
  ...commonQuery,
  sort: sortParam(LINE_SORTS),
});

type OrderListFilters = z.infer<typeof OrderListQuery>;
type LineListFilters = z.infer<typeof OrderLineQuery>;

// ---- SQL pieces ----------------------------------------------------------------------------------

/** The start of an Oslo calendar day (plus `days`): "created on 3 May" means Oslo's 3 May. */
const osloMidnight = (sql: Sql, date: string, days: 0 | 1): Fragment => sql`((${date}::date + ${days}::int)::timestamp AT TIME ZONE 'Europe/Oslo')`;
const likePattern = (q: string) => '%' + q.toLowerCase().replace(/[%_\\]/g, (m) => '\\' + m) + '%';
const and = (sql: Sql, parts: Array<Fragment | null>): Fragment => parts.filter((x): x is Fragment => x !== null).reduce((acc, cond) => sql`${acc} AND ${cond}`);

/** Conditions on order lines (`l`) shared by the line list and the order list's line filters. */
function lineConditions(sql: Sql, f: Pick<LineListFilters, 'agreedFrom' | 'agreedTo' | 'installationFrom' | 'installationTo'>): Array<Fragment | null> {
  return [
    f.agreedFrom ? sql`l.detail ->> 'agreedDate' >= ${f.agreedFrom}` : null,
    f.agreedTo ? sql`l.detail ->> 'agreedDate' <= ${f.agreedTo}` : null,
    f.installationFrom ? sql`l.detail ->> 'installationDate' >= ${f.installationFrom}` : null,
    f.installationTo ? sql`l.detail ->> 'installationDate' <= ${f.installationTo}` : null,
  ];
}

/** An order's or line's searchable text — number, title, refs, end users, addresses — as its trigram index holds it (migration 028). */
const orderText = (sql: Sql, alias: string): Fragment => sql`case_order_text(${sql.unsafe(alias)}.case_type, ${sql.unsafe(alias)}.search_text, ${sql.unsafe(alias)}.detail)`;

/** The numbers of the company's orders whose own text or one of whose lines' text holds the search. */
function searchedOrders(sql: Sql, companyId: string | null, q: string): Fragment {
  const pattern = likePattern(q);
  const company = (alias: string) => (companyId === null ? sql`` : sql`AND ${sql.unsafe(alias)}.company_id = ${companyId}`);
  return sql`(SELECT s.number FROM cases s WHERE s.case_type = 'order' ${company('s')} AND ${orderText(sql, 's')} LIKE ${pattern}
              UNION
              SELECT sl.refs ->> 'orderNumber' FROM cases sl WHERE sl.case_type = 'order_line' ${company('sl')} AND ${orderText(sql, 'sl')} LIKE ${pattern})`;
}

/**
 * The numbers of the company's lines whose text holds the search: one trigram index look-up. A line's
 * text holds every field `q` promises — its number (the order's number in it), Customer Order Id and
 * Ref, end user and address — so its order's text is not searched too (a second scan, twice the cost at
 * 1M cases, and lines matched by a sibling line's end user).
 */
function searchedLines(sql: Sql, companyId: string | null, q: string): Fragment {
  const company = companyId === null ? sql`` : sql`AND sl.company_id = ${companyId}`;
  return sql`(SELECT sl.number FROM cases sl WHERE sl.case_type = 'order_line' ${company} AND ${orderText(sql, 'sl')} LIKE ${likePattern(q)})`;
}

type SortColumn = { sql: Fragment; type: SortKey['type'] };
/** A date a case may not have yet (JSON text), as a key that is never null and goes last either way. */
const dateKey = (sql: Sql, alias: 'o' | 'l', field: string, desc: boolean): SortColumn => ({
  // ISO dates sort as text; '' sorts before every date and '9999-12-31' after (indexes of migration 022 hold the same expressions)
  sql: desc ? sql`coalesce(${sql.unsafe(alias)}.detail ->> ${field}, '')` : sql`coalesce(${sql.unsafe(alias)}.detail ->> ${field}, '9999-12-31')`,
  type: 'text',
});
const orderSortSql = (sql: Sql, desc: boolean): Record<(typeof ORDER_SORTS)[number], SortColumn> => ({
  updatedAt: { sql: sql`o.updated_at`, type: 'timestamptz' },
  createdAt: { sql: sql`o.created_at`, type: 'timestamptz' },
  requestedDate: dateKey(sql, 'o', 'requestedDate', desc),
  number: { sql: sql`o.number`, type: 'text' },
  status: { sql: sql`o.status`, type: 'text' },
});
const lineSortSql = (sql: Sql, desc: boolean): Record<(typeof LINE_SORTS)[number], SortColumn> => ({
  updatedAt: { sql: sql`l.updated_at`, type: 'timestamptz' },
  createdAt: { sql: sql`l.created_at`, type: 'timestamptz' },
  requestedDate: dateKey(sql, 'l', 'requestedDate', desc),
  agreedDate: dateKey(sql, 'l', 'agreedDate', desc),
  installationDate: dateKey(sql, 'l', 'installationDate', desc),
  number: { sql: sql`l.number`, type: 'text' },
  status: { sql: sql`l.status`, type: 'text' },
});
/** The sort keys of `sort` (a leading minus: descending), the number breaking ties in the same direction (one index range). */
function sortKeys(sql: Sql, sort: string, columns: (desc: boolean) => Record<string, SortColumn>, tieBreak: Fragment): SortKey[] {
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  const column = columns(desc)[key]!;
  const number: SortKey = { sql: tieBreak, type: 'text', desc };
  return key === 'number' ? [number] : [{ ...column, desc }, number];
}

// ---- the order list ------------------------------------------------------------------------------

type OrderRow = { number: string; company_id: string; status: string; title: string; created_at: Date; updated_at: Date; updated_by: string; detail: OrderView };
type LineRow = { number: string; company_id: string; status: string; created_at: Date; updated_at: Date; updated_by: string; detail: LineView };

const nameOf = (e: { name?: string } | null | undefined) => e?.name ?? null;
const placeOf = (a: DraftLine['address'] | undefined) =>
  a ? a.label || [a.street, a.houseNumber, a.houseLetter, a.postcode, a.town].filter((x) => x !== undefined && x !== '').join(' ') || null : null;

function listLine(order: OrderView, draft: DraftLine | undefined, line: LineView | undefined) {
  // a submitted line's own workflow is the authority; while New (or reopened) the draft is (presentOrder)
  const submitted = order.phase === 'submitted' && line !== undefined;
  const status: LineStatus = submitted ? line.status : (draft?.status ?? line!.status);
  const endUser = submitted ? line.line.endUser : (draft?.endUser ?? line?.line.endUser);
  const address = submitted ? line.line.address : (draft?.address ?? line?.line.address);
  return {
    lineNo: draft?.lineNo ?? line!.lineNo,
    number: line?.number ?? null,
    status,
    statusCode: LINE_STATUS_CODES[status] ?? null,
    customerOrderId: line?.customerOrderId ?? null,
    agreedDate: line?.agreedDate ?? null,
    requestedDate: (submitted ? line.requestedDate : order.requestedDate) ?? null,
    installationDate: line?.installationDate ?? null,
    productCode: (submitted ? line.productCode : order.productCode) ?? null,
    endUser: nameOf(endUser),
    address: placeOf(address),
  };
}

export async function listOrders(sql: Sql, user: AuthUser, f: OrderListFilters, scope: CallerScope): Promise<Page<z.infer<typeof OrderSummarySchema>>> {
  const companyId = tenantOf(user) ?? f.companyId ?? null;
  const linesOf = (conds: Array<Fragment | null>) =>
    sql`o.number IN (SELECT l.refs ->> 'orderNumber' FROM cases l WHERE l.case_type = 'order_line' ${companyId === null ? sql`` : sql`AND l.company_id = ${companyId}`}
                     AND ${and(sql, [sql`TRUE`, ...conds])})`;
  const lineConds = lineConditions(sql, f);
  const where = and(sql, [
    sql`o.case_type = 'order'`,
    companyId !== null ? sql`o.company_id = ${companyId}` : null,
    f.status ? sql`o.status = ${f.status}` : null,
    f.productCode ? sql`o.refs ->> 'productCode' = ${f.productCode}` : null,
    f.createdByMe === 'true' ? sql`o.detail ->> 'createdBy' = ${user.username}` : null,
    f.createdFrom ? sql`o.created_at >= ${osloMidnight(sql, f.createdFrom, 0)}` : null,
    f.createdTo ? sql`o.created_at < ${osloMidnight(sql, f.createdTo, 1)}` : null,
    f.requestedFrom ? sql`o.detail ->> 'requestedDate' >= ${f.requestedFrom}` : null,
    f.requestedTo ? sql`o.detail ->> 'requestedDate' <= ${f.requestedTo}` : null,
    // the lines' statuses on the order's row (migration 023), not a join per order
    f.lineStatus ? sql`o.line_statuses @? ${`$.* ? (@ == ${JSON.stringify(f.lineStatus)})`}::jsonpath` : null,
    lineConds.some((x) => x !== null) ? linesOf(lineConds) : null,
    f.q ? sql`o.number IN ${searchedOrders(sql, companyId, f.q)}` : null,
  ]);
  const page = await readPage<OrderRow>(sql, {
    select: sql`o.number, o.company_id, o.status, o.title, o.created_at, o.updated_at, o.updated_by, o.detail`,
    from: sql`cases o`,
    where,
    keys: sortKeys(sql, f.sort, (desc) => orderSortSql(sql, desc), sql`o.number`),
    page: f,
    list: `orders:${f.sort}`,
    scope,
  });
  const rows = page.items;
  const numbers = rows.map((r) => r.number);
  const lineRows = numbers.length === 0 ? [] : await sql<{ detail: LineView }[]>`SELECT detail FROM cases WHERE case_type = 'order_line' AND refs ->> 'orderNumber' = ANY(${numbers})`;
  const byOrder = new Map<string, LineView[]>();
  for (const { detail } of lineRows) byOrder.set(detail.orderNumber, [...(byOrder.get(detail.orderNumber) ?? []), detail]);
  return {
    ...page,
    items: rows.map((r) => {
      const order = r.detail;
      const lines = byOrder.get(r.number) ?? [];
      const byNo = new Map(lines.map((l) => [l.lineNo, l]));
      const listed = order.lines.map((dl) => listLine(order, dl, byNo.get(dl.lineNo)));
      return {
        number: r.number,
        companyId: r.company_id,
        status: order.phase === 'submitted' && listed.length > 0 ? orderSummaryStatus(listed.map((l) => l.status)) : r.status,
        orderType: order.orderType ?? 'Standard',
        kind: order.kind ?? 'new',
        productCode: order.productCode ?? null,
        customerOrderRef: order.references?.customerOrderRef ?? null,
        requestedDate: order.requestedDate ?? null,
        title: r.title,
        createdAt: r.created_at.toISOString(),
        createdBy: order.createdBy,
        updatedAt: r.updated_at.toISOString(),
        updatedBy: r.updated_by,
        lines: listed,
      };
    }),
  };
}

// ---- the order-line list -------------------------------------------------------------------------

export async function listOrderLines(sql: Sql, user: AuthUser, f: LineListFilters, scope: CallerScope): Promise<Page<z.infer<typeof OrderLineListItem>>> {
  const companyId = tenantOf(user) ?? f.companyId ?? null;
  const where = and(sql, [
    sql`l.case_type = 'order_line'`,
    companyId !== null ? sql`l.company_id = ${companyId}` : null,
    f.status ? sql`l.status = ${f.status}` : null,
    f.productCode ? sql`l.refs ->> 'productCode' = ${f.productCode}` : null,
    f.createdByMe === 'true' ? sql`l.detail ->> 'createdBy' = ${user.username}` : null,
    f.createdFrom ? sql`l.created_at >= ${osloMidnight(sql, f.createdFrom, 0)}` : null,
    f.createdTo ? sql`l.created_at < ${osloMidnight(sql, f.createdTo, 1)}` : null,
    f.requestedFrom ? sql`l.detail ->> 'requestedDate' >= ${f.requestedFrom}` : null,
    f.requestedTo ? sql`l.detail ->> 'requestedDate' <= ${f.requestedTo}` : null,
    ...lineConditions(sql, f),
    f.q ? sql`l.number IN ${searchedLines(sql, companyId, f.q)}` : null,
  ]);
  const page = await readPage<LineRow>(sql, {
    select: sql`l.number, l.company_id, l.status, l.created_at, l.updated_at, l.updated_by, l.detail`,
    from: sql`cases l`,
    where,
    keys: sortKeys(sql, f.sort, (desc) => lineSortSql(sql, desc), sql`l.number`),
    page: f,
    list: `order-lines:${f.sort}`,
    scope,
  });
  return mapPage(page, (r) => {
    const l = r.detail;
    return {
      number: r.number,
      orderNumber: l.orderNumber,
      lineNo: l.lineNo,
      companyId: r.company_id,
      status: l.status,
      statusCode: LINE_STATUS_CODES[l.status] ?? null,
      customerOrderId: l.customerOrderId ?? null,
      agreedDate: l.agreedDate ?? null,
      requestedDate: l.requestedDate ?? null,
      installationDate: l.installationDate ?? null,
      productCode: l.productCode ?? null,
      productName: l.productName,
      endUser: nameOf(l.line.endUser),
      address: placeOf(l.line.address),
      customerOrderRef: l.references?.customerOrderRef ?? null,
      statusDescription: l.statusDescription ?? null,
      comment: l.comment ?? null,
      manualHandling: l.manualHandling === true,
      createdAt: r.created_at.toISOString(),
      createdBy: l.createdBy,
      updatedAt: r.updated_at.toISOString(),
      updatedBy: r.updated_by,
    };
  });
}

export function orderLineRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  router.openapi(
    createRoute({
      security: [{ bearer: [] }],
      tags: ['Orders'],
      method: 'get',
      path: '/',
      summary: "List and search the company's order lines: status and letter, Customer Order Id, dates, product, end user, address (O-14, O-15)",
      request: { query: OrderLineQuery },
      responses: { 200: jsonResponse(OrderLinePage, 'A page of order lines'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => c.json(await listOrderLines(deps.sql, c.get('user'), c.req.valid('query'), callerScope(deps.config, c.get('user'))), 200),
  );
  return router;
}
