// Synthetic cases for the benchmark's reads at scale (issue 15, issue 16 "reads stay flat as the book
// grows"): service requests, orders and their lines, quotes, trouble tickets, switch-ISP and
// termination cases, portfolio products and feed events, inserted with INSERT … SELECT
// generate_series so a million cases take minutes. Service requests, orders and lines carry a real
// case's detail (made by the bench's flows), renumbered; the other types carry what their lists read
// (number, status, refs, queue; a quote's lines). Every insert takes a range [from, to], so the book
// grows from one scale to the next without starting over.
import type { Sql } from '../db/client';

const LINE_STATUSES = ['Registered', 'Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed', 'Incomplete'];
const company = (g: string) => `CASE WHEN ${g} % 2 = 0 THEN 'nordnett' ELSE 'fjordtel' END`;

export const fixtureNumbers = {
  serviceRequest: (g: number) => `SR-9${String(g).padStart(7, '0')}`,
  order: (g: number) => `ORD-8${String(g).padStart(8, '0')}`,
  customerOrderId: (g: number) => `1-B${String(g).padStart(7, '0')}`,
  endUser: (g: number) => `Bench Kunde ${g}`,
};

/** Service requests g = from…to (even: Nordnett's), numbers SR-9nnnnnnn, every fifth status; open ones wait in a queue. */
export async function insertServiceRequests(sql: Sql, from: number, to: number): Promise<void> {
  const [template] = await sql<{ detail: Record<string, unknown> }[]>`SELECT detail FROM cases WHERE case_type = 'service_request' LIMIT 1`;
  if (!template) throw new Error('bench: no service request to copy (the interaction phase makes them)');
  // the handler inbox: every open one waits in a department's queue, a third held by a handler
  await sql`
    INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, queue, version, created_at, updated_at, updated_by, detail)
    SELECT 'service-request:' || n, 'service_request', n, c, st, 'Other / Other: benchmark case ' || g,
           jsonb_build_object('area', 'Other', 'subArea', 'Other', 'referenceKind', 'other', 'reference', 'BR-' || g)
             || CASE WHEN g % 3 = 0 AND st <> 'Closed' THEN jsonb_build_object('assignee', 'hanne.handler') ELSE '{}' END,
           CASE WHEN st <> 'Closed' THEN (ARRAY['customer-service', 'customer-service-broadband', 'billing', 'portal-support'])[1 + g % 4] END,
           1, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, 'ola.nordnett',
           ${sql.json(template.detail as never)}::jsonb || jsonb_build_object('number', n, 'caseId', 'service-request:' || n, 'companyId', c, 'status', st)
    FROM (SELECT g, 'SR-9' || lpad(g::text, 7, '0') AS n, ${sql.unsafe(company('g'))} AS c,
                 (ARRAY['New','Submitted','In Process','Completed','Closed'])[1 + g % 5] AS st
          FROM generate_series(${from}::int, ${to}::int) g) s`;
}

/** Orders g = from…to of one line each (even: Nordnett's), and their lines; numbers ORD-8nnnnnnnn. */
export async function insertOrderRows(sql: Sql, from: number, to: number): Promise<void> {
  const [order] = await sql<
    { detail: Record<string, unknown> }[]
  >`SELECT detail FROM cases WHERE case_type = 'order' AND detail -> 'lines' -> 0 -> 'endUser' IS NOT NULL AND detail -> 'lines' -> 0 -> 'endUser' <> 'null' LIMIT 1`;
  const [line] = await sql<{ detail: Record<string, unknown> }[]>`SELECT detail FROM cases WHERE case_type = 'order_line' AND detail -> 'line' -> 'endUser' <> 'null' LIMIT 1`;
  if (!order || !line) throw new Error('bench: no order with an end user to copy (the full-path phase makes them)');
  // the order's row carries its line's status here, as migration 023's triggers would put it, and
  // the triggers rest for the bulk insert (one UPDATE of the order per line would take minutes)
  await sql.begin(async (sql) => {
    await sql`SET LOCAL session_replication_role = replica`;
    await sql`
    INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, version, created_at, updated_at, updated_by, line_statuses, detail)
    SELECT 'order:' || n, 'order', n, c, 'In Process', 'Standard order: JARA-ADSL-DELT for Bench Kunde ' || g,
           jsonb_build_object('orderType', 'Standard', 'kind', 'new', 'lines', '1', 'productCode', 'JARA-ADSL-DELT', 'customerOrderRef', 'BREF-' || g),
           1, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, 'ola.nordnett',
           jsonb_build_object('1', (${LINE_STATUSES}::text[])[1 + g % ${LINE_STATUSES.length}]),
           jsonb_set(jsonb_set(jsonb_set(${sql.json(order.detail as never)}::jsonb, '{lines,0,endUser,name}', to_jsonb('Bench Kunde ' || g)),
                               '{lines,0,address,label}', to_jsonb('Benchveien ' || g || ', 0' || (150 + g % 900) || ' OSLO')),
                     '{lines,0,status}', '"Registered"')
             || jsonb_build_object('number', n, 'caseId', 'order:' || n, 'companyId', c, 'phase', 'submitted', 'status', 'In Process',
                                   'createdBy', CASE WHEN g % 3 = 0 THEN 'ingrid.nordnett' ELSE 'ola.nordnett' END,
                                   'requestedDate', to_char(date '2027-01-01' + (g % 365), 'YYYY-MM-DD'),
                                   'references', jsonb_build_object('customerOrderRef', 'BREF-' || g))
    FROM (SELECT g, 'ORD-8' || lpad(g::text, 8, '0') AS n, ${sql.unsafe(company('g'))} AS c FROM generate_series(${from}::int, ${to}::int) g) s`;
    await sql`
    INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, queue, version, created_at, updated_at, updated_by, detail)
    SELECT 'order-line:' || n || ':1', 'order_line', n || ':1', c, st, 'Jara ADSL for Bench Kunde ' || g,
           jsonb_build_object('orderNumber', n, 'productCode', 'JARA-ADSL-DELT', 'kind', 'new', 'duplicateKey', 'bench-' || g, 'address', 'bench-' || g,
                              'customerOrderId', '1-B' || lpad(g::text, 7, '0'), 'customerOrderRef', 'BREF-' || g),
           CASE WHEN st = 'Incomplete' THEN 'order-handling' END,
           1, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, 'hanne.handler',
           jsonb_set(jsonb_set(${sql.json(line.detail as never)}::jsonb, '{line,endUser,name}', to_jsonb('Bench Kunde ' || g)),
                     '{line,address,label}', to_jsonb('Benchveien ' || g || ', 0' || (150 + g % 900) || ' OSLO'))
             || jsonb_build_object('number', n || ':1', 'caseId', 'order-line:' || n || ':1', 'orderNumber', n, 'lineNo', 1, 'companyId', c, 'status', st,
                                   'createdBy', CASE WHEN g % 3 = 0 THEN 'ingrid.nordnett' ELSE 'ola.nordnett' END,
                                   'customerOrderId', '1-B' || lpad(g::text, 7, '0'),
                                   'requestedDate', to_char(date '2027-01-01' + (g % 365), 'YYYY-MM-DD'),
                                   'agreedDate', to_char(date '2027-01-01' + (g % 365), 'YYYY-MM-DD'),
                                   'installationDate', CASE WHEN st IN ('Field Service', 'Test', 'Delivery', 'Finished', 'Closed') THEN to_char(date '2027-01-05' + (g % 365), 'YYYY-MM-DD') END)
    FROM (SELECT g, 'ORD-8' || lpad(g::text, 8, '0') AS n, ${sql.unsafe(company('g'))} AS c,
                 (${LINE_STATUSES}::text[])[1 + g % ${LINE_STATUSES.length}] AS st FROM generate_series(${from}::int, ${to}::int) g) s`;
  });
}

/**
 * Quotes, trouble tickets, switch-ISP and termination cases g = from…to (a quarter of each kind),
 * with the refs, queue and (quotes) lines their lists read; numbers Q-9…, TT-9…, SW-9…, TRM-9…; each kind half Nordnett's.
 */
export async function insertOtherCases(sql: Sql, from: number, to: number): Promise<void> {
  await sql`
    INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, queue, version, created_at, updated_at, updated_by, detail)
    SELECT t.prefix || n, t.type, n, c, st, t.type || ': benchmark case ' || g,
           CASE t.type
             WHEN 'quote' THEN jsonb_build_object('reference', 'BQ-' || g, 'products', 'JARA-ADSL-DELT', 'lineCount', '1', 'completedLines', '0')
             WHEN 'trouble_ticket' THEN jsonb_build_object('productNumber', '2' || lpad(g::text, 7, '0'), 'productCode', 'JARA-ADSL-DELT', 'severity', 'minor', 'category', 'no-service',
                                                           'escalation', CASE g % 20 WHEN 0 THEN 'breached' WHEN 1 THEN 'warning' ELSE 'none' END)
             ELSE jsonb_build_object('reference', '2' || lpad(g::text, 7, '0'), 'requestedDate', to_char(date '2027-01-01' + (g % 365), 'YYYY-MM-DD'), 'model', 'order')
           END,
           CASE WHEN st IN ('Received', 'Submitted', 'Registered') THEN t.queue END,
           1, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, 'ola.nordnett',
           CASE t.type
             WHEN 'quote' THEN jsonb_build_object('number', n, 'status', st, 'lines', jsonb_build_array(jsonb_build_object(
               'lineNo', 1, 'status', CASE WHEN st = 'Received' THEN 'Received' ELSE 'Priced' END, 'productCode', 'JARA-ADSL-DELT', 'productName', 'Jara ADSL',
               'speedMbps', 8, 'addressA', jsonb_build_object('label', 'Benchveien ' || g), 'addressB', NULL, 'attachmentFlag', false, 'attachments', '[]'::jsonb,
               'comment', NULL, 'handler', NULL, 'updatedAt', to_char((now() - (g || ' minutes')::interval) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))))
             ELSE jsonb_build_object('number', n, 'status', st, 'model', 'order', 'phase', 'submitted')
           END
    FROM (SELECT g, k, lpad(g::text, 7, '0') AS digits, ${sql.unsafe(company('(g / 4)'))} AS c FROM generate_series(${from}::int, ${to}::int) g, LATERAL (SELECT g % 4 AS k) kk) s
    JOIN (VALUES (0, 'quote', 'quote:', 'Q-9', 'sales-support', ARRAY['Received', 'Priced', 'Accepted', 'Expired']),
                 (1, 'trouble_ticket', 'trouble-ticket:', 'TT-9', 'fault-desk', ARRAY['Submitted', 'In Process', 'Resolved', 'Closed']),
                 (2, 'switch_isp', 'switch-isp:', 'SW-9', 'order-handling', ARRAY['Registered', 'Ordered', 'Finished', 'Closed']),
                 (3, 'termination', 'termination:', 'TRM-9', 'order-handling', ARRAY['Registered', 'Ordered', 'Finished', 'Closed']))
         AS t(k, type, prefix, num, queue, statuses) ON t.k = s.k
    CROSS JOIN LATERAL (SELECT t.num || s.digits AS n, t.statuses[1 + (s.g / 4) % 4] AS st) v`;
}

/** Portfolio products g = from…to (even: Nordnett's), every tenth ended. */
export async function insertPortfolio(sql: Sql, from: number, to: number): Promise<void> {
  await sql`
    INSERT INTO portfolio_products (line_id, company_id, operator, product_code, product_name, access_type, speed_mbps, number, number_kind,
                                    address_id, address_label, end_user, end_user_name, start_date, end_date, source_case_id)
    SELECT 'bench-line-' || g, ${sql.unsafe(company('g'))}, 'wholesaler', 'JARA-ADSL-DELT', 'Jara ADSL', 'shared', 8, '3' || lpad(g::text, 7, '0'), 'phone',
           'bench-adr-' || g, 'Benchveien ' || g || ', 0150 OSLO', jsonb_build_object('kind', 'person', 'name', 'Bench Kunde ' || g), 'Bench Kunde ' || g,
           date '2020-01-01' + (g % 1000), CASE WHEN g % 10 = 0 THEN date '2026-01-01' END, 'bench:' || g
    FROM generate_series(${from}::int, ${to}::int) g`;
}

/** Feed events g = from…to (even: Nordnett's): status changes of the benchmark's service requests. */
export async function insertEvents(sql: Sql, from: number, to: number): Promise<void> {
  await sql`
    INSERT INTO case_events (case_id, case_type, company_id, number, seq, version, event_type, status, previous_status, occurred_at)
    SELECT 'service-request:SR-9' || lpad(g::text, 7, '0'), 'service_request', ${sql.unsafe(company('g'))}, 'SR-9' || lpad(g::text, 7, '0'), 1000 + g, 1000 + g,
           'case.status_changed', 'Submitted', 'New', now() - ((${to}::int - g) || ' seconds')::interval
    FROM generate_series(${from}::int, ${to}::int) g`;
}

/** The book at `cases` service requests (and half as many orders, lines, other cases, products, events), grown from `have`. */
export async function growBook(sql: Sql, have: number, cases: number): Promise<void> {
  if (cases <= have) return;
  // building an index once is much faster than keeping it up row by row: the secondary indexes go
  // while the rows go in, and come back as they were (the unique ones stay, they guard the numbers)
  const indexes = await sql<{ name: string; def: string }[]>`
    SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
    WHERE i.schemaname = 'public' AND i.tablename IN ('cases', 'portfolio_products', 'case_events') AND NOT x.indisunique`;
  for (const { name } of indexes) await sql.unsafe(`DROP INDEX ${name}`);
  await insertServiceRequests(sql, have + 1, cases);
  await insertOrderRows(sql, have / 2 + 1, cases / 2);
  await insertOtherCases(sql, have / 10 + 1, cases / 10);
  await insertPortfolio(sql, have / 10 + 1, cases / 10);
  await insertEvents(sql, have / 2 + 1, cases / 2);
  await sql.begin(async (tx) => {
    await tx`SET LOCAL maintenance_work_mem = '512MB'`;
    for (const { def } of indexes) await tx.unsafe(def);
  });
  // the visibility map too (autovacuum's work in production): counts read the indexes only
  await sql`VACUUM ANALYZE cases`;
  await sql`VACUUM ANALYZE portfolio_products`;
  await sql`VACUUM ANALYZE case_events`;
}
