// Invoice presentation (M-3): the invoices the billing system (X-7) issued, as a list, a detail with
// lines, a PDF and a CSV specification; disputes are service requests about an invoice (S-6, M-3.4).
// A reseller sees its own company's invoices only (another company's answers 404 like a missing one,
// A-1); handlers see every company's (A-2); ops none (A-6). Handlers run the monthly import and
// record a dispute's outcome; the monthly import is invoice-runs.ts.
import { createRoute, z } from '@hono/zod-openapi';
import type { Queryable } from '../../db/client';
import { INVOICE_NUMBER, INVOICE_STATUSES, invoiceStatus, PERIOD_PATTERN, specificationCsv } from '../../domain/invoice';
import { OPEN_SR_STATUSES, SrStatus } from '../../domain/service-request';
import { contentDisposition } from '../attachments';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps, AuthUser } from '../context';
import { renderInvoicePdf } from '../invoice-pdf';
import { tenantOf } from '../kit/load-case';
import { callerScope, openAfter, pageFields, pageQuery, sealKeys } from '../kit/page';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';

/** The invoices one list reads (every company's, for a handler): beyond it the total is not exact. */
const INVOICE_LIST_MAX = 5000;

// ---- rows and their presentation --------------------------------------------------------------

interface InvoiceRow {
  number: string;
  company_id: string;
  company_name: string;
  org_number: string;
  period: string;
  issue_date: string;
  due_date: string;
  currency: string;
  net_ore: string;
  vat_ore: string;
  total_ore: string;
  vat_rate_pct: number;
}

interface LineRow {
  invoice_number: string;
  line_no: number;
  kind: 'monthly_rent' | 'establishment' | 'cancellation';
  description: string;
  product_code: string;
  product_number: string | null;
  order_line: string | null;
  from_date: string;
  to_date: string;
  days: number | null;
  unit_ore: string;
  amount_ore: string;
}

interface DisputeRow {
  invoice: string;
  number: string;
  status: string;
  area: string;
  sub_area: string;
  created_at: Date;
}

interface OutcomeRow {
  invoice_number: string;
  service_request: string;
  outcome: 'credit_note' | 'rejected';
  credit_ore: string | null;
  note: string;
  decided_by: string;
  decided_at: Date;
}

const INVOICE_COLUMNS = (sql: Queryable) => sql`
  i.number, i.company_id, c.name AS company_name, c.org_number, i.period, i.issue_date::text AS issue_date, i.due_date::text AS due_date,
  i.currency, i.net_ore, i.vat_ore, i.total_ore, i.vat_rate_pct`;

async function disputesOf(sql: Queryable, invoices: readonly InvoiceRow[]): Promise<DisputeRow[]> {
  if (invoices.length === 0) return [];
  // the SR's reference was made the invoice's exact number when it was raised (S-6)
  return sql<DisputeRow[]>`
    SELECT refs ->> 'reference' AS invoice, number, status, refs ->> 'area' AS area, refs ->> 'subArea' AS sub_area, created_at
    FROM cases
    WHERE case_type = 'service_request' AND refs ->> 'referenceKind' = 'invoice'
      AND company_id = ANY(${[...new Set(invoices.map((i) => i.company_id))]}) AND refs ->> 'reference' = ANY(${invoices.map((i) => i.number)})
    ORDER BY created_at, number`;
}

async function outcomesOf(sql: Queryable, numbers: readonly string[]): Promise<OutcomeRow[]> {
  if (numbers.length === 0) return [];
  return sql<OutcomeRow[]>`SELECT * FROM invoice_outcomes WHERE invoice_number = ANY(${numbers as string[]}) ORDER BY decided_at, service_request`;
}

const ore = (v: string | number | null) => (v === null ? null : Number(v));

function summaryOf(i: InvoiceRow, disputes: readonly DisputeRow[], outcomes: readonly OutcomeRow[]) {
  const mine = disputes.filter((d) => d.invoice === i.number);
  const decided = outcomes.filter((o) => o.invoice_number === i.number);
  return {
    number: i.number,
    companyId: i.company_id,
    companyName: i.company_name,
    period: i.period,
    issueDate: i.issue_date,
    dueDate: i.due_date,
    currency: 'NOK' as const,
    netOre: Number(i.net_ore),
    vatOre: Number(i.vat_ore),
    totalOre: Number(i.total_ore),
    vatRatePct: i.vat_rate_pct,
    status: invoiceStatus(mine.filter((d) => OPEN_SR_STATUSES.includes(d.status as SrStatus)).length, decided),
    creditedOre: decided.reduce((t, o) => t + (ore(o.credit_ore) ?? 0), 0),
  };
}

function lineOf(l: LineRow) {
  return {
    lineNo: l.line_no,
    kind: l.kind,
    description: l.description,
    productCode: l.product_code,
    productNumber: l.product_number,
    orderLine: l.order_line,
    fromDate: l.from_date,
    toDate: l.to_date,
    days: l.days,
    unitOre: Number(l.unit_ore),
    amountOre: Number(l.amount_ore),
  };
}

/** One invoice as the caller may see it: 404 for a missing and another company's alike (A-1); ops 403 (A-6). */
async function loadInvoice(sql: Queryable, user: AuthUser, number: string): Promise<InvoiceRow> {
  const tenant = tenantOf(user);
  const [row] = await sql<InvoiceRow[]>`
    SELECT ${INVOICE_COLUMNS(sql)} FROM invoices i JOIN companies c ON c.id = i.company_id
    WHERE i.number = ${number} ${tenant === null ? sql`` : sql`AND i.company_id = ${tenant}`}`;
  if (!row) throw problems.notFound(`Invoice ${number}`);
  return row;
}

async function invoiceDetail(sql: Queryable, row: InvoiceRow) {
  const [lines, disputes, outcomes] = await Promise.all([
    sql<LineRow[]>`SELECT invoice_number, line_no, kind, description, product_code, product_number, order_line, from_date::text AS from_date, to_date::text AS to_date, days, unit_ore, amount_ore
                   FROM invoice_lines WHERE invoice_number = ${row.number} ORDER BY line_no`,
    disputesOf(sql, [row]),
    outcomesOf(sql, [row.number]),
  ]);
  return {
    ...summaryOf(row, disputes, outcomes),
    lines: lines.map(lineOf),
    disputes: disputes.map((d) => {
      const o = outcomes.find((x) => x.service_request === d.number);
      return {
        serviceRequest: d.number,
        serviceRequestStatus: d.status as SrStatus,
        subArea: d.sub_area,
        raisedAt: d.created_at.toISOString(),
        outcome: o ? { outcome: o.outcome, creditOre: ore(o.credit_ore), note: o.note, decidedBy: o.decided_by, decidedAt: o.decided_at.toISOString() } : null,
      };
    }),
    serviceRequestTemplate: { area: 'Invoice' as const, subArea: 'Wrong invoice', reference: { kind: 'invoice' as const, value: row.number } },
  };
}

/** S-6, M-3.4: a service request's invoice reference names one of the company's invoices; answers its exact number. */
export async function ownInvoiceNumber(sql: Queryable, companyId: string, value: string): Promise<string> {
  const wanted = value.trim().toUpperCase();
  const [row] = INVOICE_NUMBER.test(wanted) ? await sql<{ number: string }[]>`SELECT number FROM invoices WHERE number = ${wanted} AND company_id = ${companyId}` : [];
  if (!row) throw problems.validation([{ field: 'body.reference.value', code: 'reference_not_found', rule: 'S-6', message: `no invoice ${value} in your company` }]);
  return row.number;
}

// ---- schemas ----------------------------------------------------------------------------------

const InvoiceNumberParam = z.object({
  number: z
    .string()
    .regex(INVOICE_NUMBER, 'an invoice number like INV-123456789')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'INV-123456789', description: 'The invoice number (M-3.1)' }),
});

export const PeriodSchema = z.string().regex(PERIOD_PATTERN, 'must be a month, YYYY-MM').openapi({ description: 'Billing period: a calendar month (Oslo), YYYY-MM', example: '2026-11' });

const InvoiceSummary = z
  .object({
    number: z.string().openapi({ description: "The billing system's invoice number (M-3.1)", example: 'INV-123456789' }),
    companyId: z.string().openapi({ description: 'The invoiced reseller company' }),
    companyName: z.string().openapi({ description: "The invoiced company's name" }),
    period: PeriodSchema,
    issueDate: z.string().openapi({ format: 'date', description: 'Invoice date: the first day after the period' }),
    dueDate: z.string().openapi({ format: 'date', description: 'Due date: 30 days after the invoice date' }),
    currency: z.literal('NOK').openapi({ description: 'Currency of every amount (øre are its hundredths)' }),
    netOre: z.number().int().openapi({ description: 'Sum of the lines before VAT, in øre (exact integer, M-3.2)' }),
    vatOre: z.number().int().openapi({ description: 'VAT of netOre at vatRatePct, whole øre rounded half up (M-3.2)' }),
    totalOre: z.number().int().openapi({ description: 'netOre + vatOre: the amount to pay, in øre' }),
    vatRatePct: z.number().int().openapi({ description: 'VAT rate in per cent (25)' }),
    status: z.enum(INVOICE_STATUSES).openapi({
      description: 'issued: as the billing system issued it; disputed: a service request about it is open (M-3.4); credited: a dispute ended with a credit note',
    }),
    creditedOre: z.number().int().openapi({ description: 'Sum of the credit notes disputes of this invoice ended with (M-3.4), øre, before VAT as the lines' }),
  })
  .openapi('InvoiceSummary');

const InvoiceLine = z
  .object({
    lineNo: z.number().int().openapi({ description: 'Position on the invoice, from 1' }),
    kind: z.enum(['monthly_rent', 'establishment', 'cancellation']).openapi({
      description:
        'monthly_rent: a portfolio product held in the period (price list, prorated by days); establishment: an order line finished in the period; cancellation: the charge accepted when an order line was cancelled (C-3)',
    }),
    description: z.string().openapi({ description: 'What the line bills, as printed on the invoice' }),
    productCode: z.string().openapi({ description: 'Catalogue product code' }),
    productNumber: z.string().nullable().openapi({ description: "monthly_rent: the portfolio product's number (M-1); else null" }),
    orderLine: z.string().nullable().openapi({ description: 'establishment and cancellation: the order line, e.g. ORD-123456789:1; else null' }),
    fromDate: z.string().openapi({ format: 'date', description: 'First day billed (rent), or the day the line was finished or cancelled' }),
    toDate: z.string().openapi({ format: 'date', description: 'Last day billed (rent), or the same day as fromDate' }),
    days: z.number().int().nullable().openapi({ description: 'monthly_rent: the days of the period the product was held; else null' }),
    unitOre: z.number().int().openapi({ description: 'monthly_rent: the full monthly rent; else the price, in øre' }),
    amountOre: z.number().int().openapi({ description: 'The line amount before VAT, in øre (rent: unitOre × days / days of the month, half up)' }),
  })
  .openapi('InvoiceLine');

const DisputeOutcome = z
  .object({
    outcome: z.enum(['credit_note', 'rejected']).openapi({ description: 'credit_note: the wholesaler credits creditOre; rejected: the invoice stands' }),
    creditOre: z.number().int().nullable().openapi({ description: 'credit_note: the credited amount before VAT, øre; rejected: null' }),
    note: z.string().openapi({ description: "The handler's explanation to the customer" }),
    decidedBy: z.string().openapi({ description: 'The handler who recorded it' }),
    decidedAt: z.string().openapi({ format: 'date-time', description: 'When the outcome was recorded' }),
  })
  .openapi('InvoiceDisputeOutcome');

const Dispute = z
  .object({
    serviceRequest: z.string().openapi({ description: 'The service request about this invoice (S-6)' }),
    serviceRequestStatus: z.enum(SrStatus.options).openapi({ description: "The service request's status; the invoice is disputed while it is open (M-3.4)" }),
    subArea: z.string().openapi({ description: 'Sub-area of the Invoice area (Wrong invoice, Missing attachment)' }),
    raisedAt: z.string().openapi({ format: 'date-time', description: 'When the service request was created' }),
    outcome: DisputeOutcome.nullable().openapi({ description: 'What the wholesaler decided; null while undecided' }),
  })
  .openapi('InvoiceDispute');

const InvoiceDetail = InvoiceSummary.extend({
  lines: z.array(InvoiceLine).openapi({ description: 'Every line of the invoice, in order' }),
  disputes: z.array(Dispute).openapi({ description: 'Service requests raised about this invoice, oldest first (S-6, M-3.4)' }),
  serviceRequestTemplate: z
    .object({
      area: z.literal('Invoice'),
      subArea: z.string(),
      reference: z.object({ kind: z.literal('invoice'), value: z.string() }),
    })
    .openapi({ description: '"Service request from invoice" (S-6): the area and reference to POST /v1/service-requests with (add a description)' }),
}).openapi('Invoice');

const InvoicePage = z
  .object({
    items: z.array(InvoiceSummary).openapi({ description: 'This page of invoices, newest period first' }),
    ...pageFields,
  })
  .openapi('InvoicePage');

const OutcomeBody = z
  .strictObject({
    serviceRequest: z
      .string()
      .regex(/^SR-\d{6,}$/, 'an SR number like SR-000042')
      .openapi({ description: 'The service request about this invoice whose outcome this is (M-3.4)', example: 'SR-000042' }),
    outcome: z.enum(['credit_note', 'rejected']).openapi({ description: 'credit_note: credit creditOre; rejected: the invoice stands' }),
    creditOre: z.number().int().positive().max(1_000_000_000_000).optional().openapi({ description: 'credit_note: the amount credited before VAT, øre; at most what is not yet credited' }),
    note: z.string().trim().min(1, 'required: the explanation to the customer').max(2000).openapi({ description: "The handler's explanation to the customer" }),
  })
  .openapi('InvoiceOutcomeInput');

// ---- routes -----------------------------------------------------------------------------------

export function invoiceRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  const secured = { security: [{ bearer: [] }], tags: ['Invoices'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/',
      summary: "List the company's invoices (M-3), newest period first; filter by period and status",
      request: {
        query: z.object({
          period: PeriodSchema.optional().openapi({ description: 'Only this period' }),
          periodFrom: PeriodSchema.optional().openapi({ description: 'Periods from this one on' }),
          periodTo: PeriodSchema.optional().openapi({ description: 'Periods up to this one' }),
          status: z.enum(INVOICE_STATUSES).optional().openapi({ description: 'Only invoices in this status' }),
          companyId: z.string().max(100).optional().openapi({ description: 'Handlers only; resellers always see their own company' }),
          ...pageQuery({ limit: 25 }),
        }),
      },
      responses: { 200: jsonResponse(InvoicePage, 'A page of invoices'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const tenant = tenantOf(c.get('user'));
      const company = tenant ?? q.companyId ?? null;
      const rows = await deps.sql<InvoiceRow[]>`
        SELECT ${INVOICE_COLUMNS(deps.sql)} FROM invoices i JOIN companies c ON c.id = i.company_id
        WHERE true
          ${company === null ? deps.sql`` : deps.sql`AND i.company_id = ${company}`}
          ${q.period ? deps.sql`AND i.period = ${q.period}` : deps.sql``}
          ${q.periodFrom ? deps.sql`AND i.period >= ${q.periodFrom}` : deps.sql``}
          ${q.periodTo ? deps.sql`AND i.period <= ${q.periodTo}` : deps.sql``}
        ORDER BY i.period DESC, i.number
        LIMIT ${INVOICE_LIST_MAX}`;
      const [disputes, outcomes] = await Promise.all([
        disputesOf(deps.sql, rows),
        outcomesOf(
          deps.sql,
          rows.map((r) => r.number),
        ),
      ]);
      // the status is derived (domain/invoice.ts invoiceStatus), so the filter applies after it; a
      // company has one invoice a month, so the list is paged here, by the same sealed cursors (kit/page.ts)
      const all = rows.map((r) => summaryOf(r, disputes, outcomes)).filter((s) => !q.status || s.status === q.status);
      const scope = { ...callerScope(deps.config, c.get('user')), list: 'invoices' };
      const after = openAfter(q, scope, 2);
      const start = after === undefined ? q.offset : all.findIndex((s) => s.period < after[0]! || (s.period === after[0] && s.number > after[1]!));
      const from = start < 0 ? all.length : start;
      const items = all.slice(from, from + q.limit);
      const last = items.at(-1);
      const exact = rows.length < INVOICE_LIST_MAX;
      return c.json(
        {
          items,
          total: all.length,
          totalIsExact: exact,
          offset: after === undefined ? q.offset : 0,
          limit: q.limit,
          nextCursor: last && from + q.limit < all.length ? sealKeys([last.period, last.number], scope) : null,
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}',
      summary: 'One invoice with its lines and disputes (M-3)',
      request: { params: InvoiceNumberParam },
      responses: { 200: jsonResponse(InvoiceDetail, 'The invoice'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const row = await loadInvoice(deps.sql, c.get('user'), c.req.valid('param').number);
      return c.json(await invoiceDetail(deps.sql, row), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}/pdf',
      summary: 'The invoice as a PDF (M-3.3), made from the same rows as the detail',
      request: { params: InvoiceNumberParam },
      responses: {
        200: { description: 'The invoice (Content-Disposition: attachment, RFC 6266)', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const row = await loadInvoice(deps.sql, c.get('user'), c.req.valid('param').number);
      const detail = await invoiceDetail(deps.sql, row);
      const [seller] = await deps.sql<{ name: string; org_number: string }[]>`SELECT name, org_number FROM companies WHERE kind = 'wholesaler' ORDER BY id LIMIT 1`;
      const pdf = await renderInvoicePdf({
        ...detail,
        seller: { name: seller?.name ?? 'The wholesaler', orgNumber: seller?.org_number ?? '' },
        buyer: { name: row.company_name, orgNumber: row.org_number },
        outcomes: detail.disputes.flatMap((d) => (d.outcome ? [{ serviceRequest: d.serviceRequest, outcome: d.outcome.outcome, creditOre: d.outcome.creditOre }] : [])),
      });
      return c.body(new Uint8Array(pdf), 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': contentDisposition(`Faktura ${row.number} ${row.period}.pdf`) });
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}/specification.csv',
      summary: 'The invoice specification as CSV (M-3.3): one row per line, amounts in øre and NOK',
      request: { params: InvoiceNumberParam },
      responses: {
        200: { description: 'RFC 4180 CSV, UTF-8, comma-separated, header row first', content: { 'text/csv': { schema: z.string() } } },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const row = await loadInvoice(deps.sql, c.get('user'), c.req.valid('param').number);
      const detail = await invoiceDetail(deps.sql, row);
      return c.body(specificationCsv(row, detail.lines), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': contentDisposition(`Spesifikasjon ${row.number} ${row.period}.csv`),
      });
    },
  );

  return router;
}

/** Statuses in which the handler works the dispute and may record its outcome (M-3.4). */
const OUTCOME_SR_STATUSES: readonly string[] = ['In Process', 'Completed', 'Closed'];

export function handlerInvoiceRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('/invoices/*', requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/invoices/{number}/outcome',
      summary: "Record a dispute's outcome on the invoice: a credit note or rejected (M-3.4); once per service request",
      request: { params: InvoiceNumberParam, body: jsonBody(OutcomeBody) },
      responses: { 201: jsonResponse(InvoiceDetail, 'The invoice with the outcome'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { number } = c.req.valid('param');
      const body = c.req.valid('json');
      const user = c.get('user');
      const row = await loadInvoice(deps.sql, user, number);
      c.set('audit', {
        action: 'invoice.outcome',
        companyId: row.company_id,
        detail: { invoice: number, serviceRequest: body.serviceRequest, outcome: body.outcome, creditOre: body.creditOre ?? null },
      });
      if (body.outcome === 'credit_note' && body.creditOre === undefined) {
        throw problems.validation([{ field: 'body.creditOre', code: 'missing_property', rule: 'M-3.4', message: 'required: the amount a credit note credits' }]);
      }
      if (body.outcome === 'rejected' && body.creditOre !== undefined) {
        throw problems.validation([{ field: 'body.creditOre', code: 'unexpected_property', rule: 'M-3.4', message: 'a rejected dispute credits nothing' }]);
      }
      await deps.sql.begin(async (tx) => {
        // one decision at a time per invoice: the credited sum is checked under the invoice's lock
        await tx`SELECT number FROM invoices WHERE number = ${number} FOR UPDATE`;
        const [sr] = await tx<{ status: string }[]>`
          SELECT status FROM cases WHERE case_type = 'service_request' AND number = ${body.serviceRequest} AND company_id = ${row.company_id}
            AND refs ->> 'referenceKind' = 'invoice' AND refs ->> 'reference' = ${number}`;
        if (!sr) {
          throw problems.validation([{ field: 'body.serviceRequest', code: 'reference_not_found', rule: 'M-3.4', message: `${body.serviceRequest} is no service request about invoice ${number}` }]);
        }
        if (!OUTCOME_SR_STATUSES.includes(sr.status)) {
          throw problems.conflict(
            'dispute_not_in_process',
            `${body.serviceRequest} is ${sr.status}: take it first; an outcome is recorded while the request is worked or when it is completed (M-3.4)`,
            {
              rule: 'M-3.4',
              status: sr.status,
            },
          );
        }
        if (body.creditOre !== undefined) {
          const [credited] = await tx<{ sum: string }[]>`SELECT coalesce(sum(credit_ore), 0) AS sum FROM invoice_outcomes WHERE invoice_number = ${number}`;
          const left = Number(row.net_ore) - Number(credited!.sum);
          if (body.creditOre > left) {
            throw problems.validation([{ field: 'body.creditOre', code: 'invalid_value', rule: 'M-3.4', message: `at most ${left} øre: the invoice's net amount less what is already credited` }]);
          }
        }
        const inserted = await tx`
          INSERT INTO invoice_outcomes (invoice_number, service_request, outcome, credit_ore, note, decided_by)
          VALUES (${number}, ${body.serviceRequest}, ${body.outcome}, ${body.creditOre ?? null}, ${body.note}, ${user.username})
          ON CONFLICT DO NOTHING RETURNING service_request`;
        if (inserted.length === 0) throw problems.conflict('outcome_already_recorded', `The outcome of ${body.serviceRequest} is already recorded on ${number} (M-3.4)`, { rule: 'M-3.4' });
      });
      return c.json(await invoiceDetail(deps.sql, await loadInvoice(deps.sql, user, number)), 201);
    },
  );

  return router;
}
