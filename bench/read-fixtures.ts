// Synthetic orders and order lines for the benchmark's reads at scale (issue 15: the order and
// order-line lists, their filters, sorting and search, and the order timeline). Each row carries a
// real order's or line's detail, renumbered, with its own end user, address, dates and status, so
// the lists' JSON paths and indexes (migration 021) see realistic rows.
import type { Sql } from '../db/client';

const LINE_STATUSES = ['Registered', 'Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed', 'Incomplete'];

/** `orders` orders of one line each (half Nordnett's, half Fjordtel's), and their lines; numbers ORD-8xxxxxxx. */
export async function insertOrderRows(sql: Sql, orders: number): Promise<{ sampleCustomerOrderId: (g: number) => string; sampleEndUser: (g: number) => string; orderNumber: (g: number) => string }> {
  const [order] = await sql<
    { detail: Record<string, unknown> }[]
  >`SELECT detail FROM cases WHERE case_type = 'order' AND detail -> 'lines' -> 0 -> 'endUser' IS NOT NULL AND detail -> 'lines' -> 0 -> 'endUser' <> 'null' LIMIT 1`;
  const [line] = await sql<{ detail: Record<string, unknown> }[]>`SELECT detail FROM cases WHERE case_type = 'order_line' AND detail -> 'line' -> 'endUser' <> 'null' LIMIT 1`;
  if (!order || !line) throw new Error('bench: no order with an end user to copy (the full-path phase makes them)');
  await sql`
    INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, version, created_at, updated_at, updated_by, detail)
    SELECT 'order:' || n, 'order', n, c, 'In Process', 'Standard order: JARA-ADSL-DELT for Bench Kunde ' || g,
           jsonb_build_object('orderType', 'Standard', 'kind', 'new', 'lines', '1', 'productCode', 'JARA-ADSL-DELT', 'customerOrderRef', 'BREF-' || g),
           1, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, 'ola.nordnett',
           jsonb_set(jsonb_set(jsonb_set(${sql.json(order.detail as never)}::jsonb, '{lines,0,endUser,name}', to_jsonb('Bench Kunde ' || g)),
                               '{lines,0,address,label}', to_jsonb('Benchveien ' || g || ', 0' || (150 + g % 900) || ' OSLO')),
                     '{lines,0,status}', '"Registered"')
             || jsonb_build_object('number', n, 'caseId', 'order:' || n, 'companyId', c, 'phase', 'submitted', 'status', 'In Process',
                                   'createdBy', CASE WHEN g % 3 = 0 THEN 'ingrid.nordnett' ELSE 'ola.nordnett' END,
                                   'requestedDate', to_char(date '2027-01-01' + (g % 365), 'YYYY-MM-DD'),
                                   'references', jsonb_build_object('customerOrderRef', 'BREF-' || g))
    FROM (SELECT g, 'ORD-8' || lpad(g::text, 8, '0') AS n, CASE WHEN g % 2 = 0 THEN 'nordnett' ELSE 'fjordtel' END AS c FROM generate_series(1, ${orders}) g) s`;
  await sql`
    INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, version, created_at, updated_at, updated_by, detail)
    SELECT 'order-line:' || n || ':1', 'order_line', n || ':1', c, st, 'Jara ADSL for Bench Kunde ' || g,
           jsonb_build_object('orderNumber', n, 'productCode', 'JARA-ADSL-DELT', 'kind', 'new', 'duplicateKey', 'bench-' || g, 'address', 'bench-' || g,
                              'customerOrderId', '1-B' || lpad(g::text, 7, '0'), 'customerOrderRef', 'BREF-' || g),
           1, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, 'hanne.handler',
           jsonb_set(jsonb_set(${sql.json(line.detail as never)}::jsonb, '{line,endUser,name}', to_jsonb('Bench Kunde ' || g)),
                     '{line,address,label}', to_jsonb('Benchveien ' || g || ', 0' || (150 + g % 900) || ' OSLO'))
             || jsonb_build_object('number', n || ':1', 'caseId', 'order-line:' || n || ':1', 'orderNumber', n, 'lineNo', 1, 'companyId', c, 'status', st,
                                   'createdBy', CASE WHEN g % 3 = 0 THEN 'ingrid.nordnett' ELSE 'ola.nordnett' END,
                                   'customerOrderId', '1-B' || lpad(g::text, 7, '0'),
                                   'requestedDate', to_char(date '2027-01-01' + (g % 365), 'YYYY-MM-DD'),
                                   'agreedDate', to_char(date '2027-01-01' + (g % 365), 'YYYY-MM-DD'),
                                   'installationDate', CASE WHEN st IN ('Field Service', 'Test', 'Delivery', 'Finished', 'Closed') THEN to_char(date '2027-01-05' + (g % 365), 'YYYY-MM-DD') END)
    FROM (SELECT g, 'ORD-8' || lpad(g::text, 8, '0') AS n, CASE WHEN g % 2 = 0 THEN 'nordnett' ELSE 'fjordtel' END AS c,
                 (${LINE_STATUSES}::text[])[1 + g % ${LINE_STATUSES.length}] AS st FROM generate_series(1, ${orders}) g) s`;
  // the visibility map too (autovacuum's work in production): counts read the indexes only
  await sql`VACUUM ANALYZE cases`;
  return {
    orderNumber: (g) => `ORD-8${String(g).padStart(8, '0')}`,
    sampleCustomerOrderId: (g) => `1-B${String(g).padStart(7, '0')}`,
    sampleEndUser: (g) => `Bench Kunde ${g}`,
  };
}
