// The handler's inbox (A-2, S-4): every case that waits for the wholesaler, over every case type that
// publishes a queue to the read model, filtered and paged, with the number of cases per queue.
import { createRoute, z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import type { Sql } from '../../db/client';
import { WAITING_FOR_CUSTOMER } from '../../domain/handler-tools';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { callerScope, mapPage, pageFields, pageQuery, readPage, TOTAL_CAP } from '../kit/page';
import { jsonResponse, problemResponses } from '../openapi';
import { createRouter } from '../router';

export const InboxItem = z
  .object({
    number: z.string().openapi({ example: 'ORD-583920417:1', description: 'The case number (an order line: its order and line number)' }),
    caseType: z.string().openapi({ description: 'service_request, quote, order_line, switch_isp, termination, trouble_ticket, …' }),
    companyId: z.string().openapi({ description: 'The reseller company whose case it is' }),
    status: z.string().openapi({ description: "The case's status (its type's status table)" }),
    queue: z
      .string()
      .openapi({ description: "The department or desk whose queue holds the case (S-4: an SR's department; 'sales-support' for quotes, 'order-handling' for lines, switches, terminations)" }),
    title: z.string().openapi({ description: 'What the case is about, as lists show it' }),
    productCode: z.string().nullable().openapi({ description: 'The product (for a quote: its first product)' }),
    assignee: z.string().nullable().openapi({ description: 'A-2: the handler working on the case; null while nobody holds it' }),
    manualHandling: z.boolean().openapi({ description: 'O-11: the availability check timed out and customer service handles the line by hand' }),
    statusText: z.string().nullable().openapi({ description: 'The comment, missing information or reason that goes with the status' }),
    ageDays: z.number().int().openapi({ description: 'Whole days since the case was created' }),
    createdAt: z.string().openapi({ format: 'date-time', description: 'When the case was created (the inbox is oldest first)' }),
    updatedAt: z.string().openapi({ format: 'date-time', description: 'The latest change' }),
    updatedBy: z.string().openapi({ description: 'Who made the latest change (A-4)' }),
  })
  .openapi('InboxItem');

const InboxPage = z
  .object({
    items: z.array(InboxItem).openapi({ description: 'The waiting cases, oldest first' }),
    queues: z
      .array(
        z.object({
          queue: z.string(),
          waiting: z
            .number()
            .int()
            .openapi({ description: `Counted up to ${TOTAL_CAP}: exact when waitingIsExact, otherwise a lower bound` }),
          waitingIsExact: z.boolean(),
        }),
      )
      .openapi({ description: 'Cases per queue matching every filter but `queue`' }),
    ...pageFields,
  })
  .openapi('InboxPage');

const InboxQuery = z.object({
  queue: z.string().max(60).optional().openapi({ description: 'A department (S-4) or desk: customer-service-broadband, sales-support, order-handling, …' }),
  caseType: z
    .string()
    .regex(/^[a-z_]{2,40}$/)
    .optional()
    .openapi({ description: 'service_request, quote, order_line, switch_isp, termination, trouble_ticket' }),
  status: z.string().max(60).optional().openapi({ description: "A status of the case's type (Submitted, Registered, Duplicate, …)" }),
  productCode: z.string().max(60).optional().openapi({ description: 'A catalogue product code' }),
  minAgeDays: z.coerce.number().int().min(0).max(3650).optional().openapi({ description: 'Only cases created at least this many days ago' }),
  maxAgeDays: z.coerce.number().int().min(0).max(3650).optional().openapi({ description: 'Only cases created at most this many days ago' }),
  assignee: z.string().max(100).optional().openapi({ description: "A handler's username, 'me', or 'none' (nobody holds it)" }),
  manualHandling: z.enum(['true', 'false']).optional().openapi({ description: 'O-11: only lines handled by hand (true) or not (false)' }),
  companyId: z.string().max(60).optional().openapi({ description: "Only one reseller company's cases" }),
  q: z.string().max(100).optional().openapi({ description: 'Text anywhere in number, title, references' }),
  ...pageQuery({ limit: 50 }),
});

type InboxRow = {
  number: string;
  case_type: string;
  company_id: string;
  status: string;
  queue: string;
  title: string;
  refs: Record<string, string>;
  detail: { statusDescription?: string | null; missingInformation?: string | null } | null;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
};

/** The conditions of the inbox's filters (`queue` apart: the counts per queue use every other one). */
function inboxConditions(sql: Sql, q: z.infer<typeof InboxQuery>, me: string): postgres.PendingQuery<postgres.Row[]>[] {
  const like = (s: string) => '%' + s.toLowerCase().replace(/[%_\\]/g, (m) => '\\' + m) + '%';
  const assignee = q.assignee === 'me' ? me : q.assignee;
  return [
    sql`queue IS NOT NULL`,
    ...Object.entries(WAITING_FOR_CUSTOMER).map(([type, statuses]) => sql`NOT (case_type = ${type} AND status = ANY(${statuses as string[]}))`),
    q.caseType ? sql`case_type = ${q.caseType}` : null,
    q.status ? sql`status = ${q.status}` : null,
    q.productCode ? sql`(refs ->> 'productCode' = ${q.productCode} OR (' ' || (refs ->> 'products') || ' ') LIKE ${like(` ${q.productCode} `)})` : null,
    q.minAgeDays !== undefined ? sql`created_at <= now() - make_interval(days => ${q.minAgeDays})` : null,
    q.maxAgeDays !== undefined ? sql`created_at >= now() - make_interval(days => ${q.maxAgeDays})` : null,
    assignee === 'none' ? sql`assignee IS NULL` : assignee ? sql`assignee = ${assignee}` : null,
    q.manualHandling ? sql`coalesce(refs ->> 'manualHandling', 'false') = ${q.manualHandling}` : null,
    q.companyId ? sql`company_id = ${q.companyId}` : null,
    q.q ? sql`search_text LIKE ${like(q.q)}` : null,
  ].filter((x): x is postgres.PendingQuery<postgres.Row[]> => x !== null);
}

const and = (sql: Sql, conditions: postgres.PendingQuery<postgres.Row[]>[]) => conditions.reduce((acc, cond) => sql`${acc} AND ${cond}`);

function inboxItem(r: InboxRow, now: number): z.infer<typeof InboxItem> {
  return {
    number: r.number,
    caseType: r.case_type,
    companyId: r.company_id,
    status: r.status,
    queue: r.queue,
    title: r.title,
    productCode: r.refs.productCode ?? (r.refs.products ? (r.refs.products.split(' ')[0] ?? null) : null),
    assignee: r.refs.assignee ?? null,
    manualHandling: r.refs.manualHandling === 'true',
    statusText: r.detail?.statusDescription ?? r.detail?.missingInformation ?? null,
    ageDays: Math.floor((now - r.created_at.getTime()) / 86_400_000),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by,
  };
}

export function handlerInboxRoutes(deps: AppDeps) {
  const router = createRouter();
  for (const path of ['/inbox']) router.use(path, requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/inbox',
      summary: 'Every case waiting for the wholesaler, oldest first, with counts per queue (A-2)',
      description:
        'Service requests, quotes with lines to price, order lines, switch-ISP and termination cases (and any case type that publishes a queue to the read model), filtered by queue, case type, status, product, age, assignee, manual handling and text.',
      request: { query: InboxQuery },
      responses: { 200: jsonResponse(InboxPage, 'A page of the inbox'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const sql = deps.sql;
      const others = inboxConditions(sql, q, c.get('user').username);
      const where = and(sql, q.queue ? [...others, sql`queue = ${q.queue}`] : others);
      const [page, perQueue] = await Promise.all([
        readPage<InboxRow>(sql, {
          select: sql`number, case_type, company_id, status, queue, title, refs, created_at, updated_at, updated_by,
                      jsonb_build_object('statusDescription', detail ->> 'statusDescription', 'missingInformation', detail ->> 'missingInformation') AS detail`,
          from: sql`cases`,
          where,
          keys: [
            { sql: sql`created_at`, type: 'timestamptz', desc: false },
            { sql: sql`number`, type: 'text', desc: false },
          ],
          page: q,
          list: 'handler:inbox',
          scope: callerScope(deps.config, c.get('user')),
        }),
        // per queue, counted up to the cap: the queues found by skipping through the queue index
        // (a handful of look-ups), never a count of every waiting case; oldest first, as index
        // cases_inbox_queue_counts (024) holds them
        sql<{ queue: string; n: number }[]>`
          WITH RECURSIVE qs AS (
            (SELECT queue FROM cases WHERE queue IS NOT NULL ORDER BY queue LIMIT 1)
            UNION ALL
            SELECT (SELECT c.queue FROM cases c WHERE c.queue > qs.queue ORDER BY c.queue LIMIT 1) FROM qs WHERE qs.queue IS NOT NULL)
          SELECT qs.queue, (SELECT count(*)::int FROM (SELECT 1 FROM cases WHERE queue = qs.queue AND ${and(sql, others)} ORDER BY created_at LIMIT ${TOTAL_CAP + 1}) capped) AS n
          FROM qs WHERE qs.queue IS NOT NULL ORDER BY qs.queue`,
      ]);
      const now = Date.now();
      return c.json(
        {
          ...mapPage(page, (r) => inboxItem(r, now)),
          queues: perQueue.filter((r) => r.n > 0).map((r) => ({ queue: r.queue, waiting: Math.min(r.n, TOTAL_CAP), waitingIsExact: r.n <= TOTAL_CAP })),
        },
        200,
      );
    },
  );

  return router;
}
