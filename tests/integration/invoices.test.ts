// Invoices through the API (M-3): the billing system (X-7) issues a month's invoice per company, the
// invoice run stores it idempotently and survives billing faults; list, detail, PDF and CSV; tenancy
// (A-1, A-6); disputes as service requests about the invoice (S-6, M-3.4) and their outcome.
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// the stack (and with it the API's zod extension) first: domain schemas made before it lack .openapi()
import { eventually, type Stack, startStack } from '../support/stack';
import { addCalendarDays, calendarDaysBetween } from '../../domain/time';
import { daysInPeriod, formatNok, nextPeriod, periodEnd, periodOf, periodStart, previousPeriod } from '../../domain/invoice';
import { ensureInvoiceSchedule, INVOICE_SCHEDULE_ID } from '../../api/invoice-schedule';
import { PROJECT_ROOT } from '../../scripts/temporal';
import { advanceTo, ok, submittedOrder, lineOf } from '../support/orders';
import { srAction } from '../support/service-requests';

let stack: Stack;
let ola: string;
let kari: string;
let nils: string;
let hanne: string;
let olav: string;
const period = periodOf(new Date());
/** The billing system's clock: the period has ended (the 2nd of the next month). */
const afterPeriod = () => new Date(`${periodStart(nextPeriod(period))}T12:00:00Z`);

let delivered: string; // an order line finished (F) this period
let cancelled: { line: string; feeOre: number }; // an order line cancelled with a charge (C-3)
let invoice: any; // Nordnett's invoice of the period
let fjordtelInvoice: string;

const registered = (number: string) => eventually(async () => ((await lineOf(stack, ola, number)).body.status === 'Registered' ? true : undefined), 20_000, `${number}:1 registered`);
const runs = async () =>
  (await ok(stack.api('GET', `/v1/handler/invoice-runs?period=${period}`, { token: hanne }))).runs as Array<{ companyId: string; state: string; invoice: string | null; error: string | null }>;
const runOf = async (companyId: string) => (await runs()).find((r) => r.companyId === companyId)!;

beforeAll(async () => {
  stack = await startStack();
  [ola, kari, nils, hanne, olav] = (await Promise.all(['ola.nordnett', 'kari.nordnett', 'nils.fjordtel', 'hanne.handler', 'olav.ops'].map((u) => stack.login(u)))) as [
    string,
    string,
    string,
    string,
    string,
  ];
  // a delivery and a cancellation with a charge this month, to be billed with the rents
  const a = await submittedOrder(stack, ola);
  const b = await submittedOrder(stack, ola);
  await Promise.all([registered(a.number), registered(b.number)]);
  delivered = `${a.number}:1`;
  await advanceTo(stack, hanne, delivered, 'Finished');
  await advanceTo(stack, hanne, `${b.number}:1`, 'Ordered');
  const fee = (await ok(stack.api('GET', `/v1/orders/${b.number}/lines/1/cancellation`, { token: ola }))).totalOre as number;
  await ok(stack.api('POST', `/v1/orders/${b.number}/lines/1/cancel`, { token: ola, json: { acceptedFeeOre: fee, reason: 'The end user moved' } }));
  cancelled = { line: `${b.number}:1`, feeOre: fee };
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('M-3.1: the invoice run', () => {
  it('M-3.1: a period that has not ended is refused by the billing system: the run fails and issues nothing', async () => {
    const future = await stack.api('POST', '/v1/handler/invoice-runs', { token: hanne, json: { period: nextPeriod(period) } });
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([expect.objectContaining({ field: 'body.period', rule: 'M-3.1' })]);

    const res = await stack.api('POST', '/v1/handler/invoice-runs', { token: hanne, json: { period, companyId: 'nordnett' } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body.runs).toEqual([expect.objectContaining({ companyId: 'nordnett', workflowId: `invoice-run:nordnett:${period}` })]);
    const failed = await eventually(async () => {
      const r = await runOf('nordnett');
      return r.state === 'failed' ? r : undefined;
    }, 15_000);
    expect(failed.error).toMatch(/has not ended/);
    expect((await ok(stack.api('GET', `/v1/invoices?period=${period}`, { token: ola }))).total).toBe(0);
  });

  it('M-3.1, X-7: the run survives the billing system being down (retried until it answers) and stores each invoice once', async () => {
    stack.sims.billing.setClock(afterPeriod);
    stack.sims.billing.faults.set({ errorRate: 1 });
    const res = await stack.api('POST', '/v1/handler/invoice-runs', { token: hanne, json: { period } });
    expect(res.status).toBe(202);
    expect(res.body.runs.map((r: { companyId: string }) => r.companyId)).toEqual(['fjordtel', 'nordnett']);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await runOf('nordnett')).state).toBe('running');
    expect((await ok(stack.api('GET', `/v1/invoices?period=${period}`, { token: ola }))).total).toBe(0);
    // the billing system answers again, but the first replies are lost: the retry gets the same invoice
    stack.sims.billing.faults.set({ errorRate: 0, lostReplyRate: 0.5, timeoutMs: 50 });
    let seen: unknown;
    const done = await eventually(
      async () => {
        const all = await runs();
        seen = all;
        return all.every((r) => r.state === 'completed') ? all : undefined;
      },
      90_000,
      () => `every run completed; last seen ${JSON.stringify(seen)}`,
    );
    stack.sims.billing.faults.reset();
    const mine = done.find((r) => r.companyId === 'nordnett')!;
    expect(mine.invoice).toMatch(/^INV-\d{9}$/);
    fjordtelInvoice = done.find((r) => r.companyId === 'fjordtel')!.invoice!;
    expect(fjordtelInvoice).toMatch(/^INV-\d{9}$/);

    // a second run of the period is not repeated; the invoices stay as stored
    const again = await stack.api('POST', '/v1/handler/invoice-runs', { token: hanne, json: { period } });
    expect(again.body.runs.every((r: { state: string }) => r.state === 'completed')).toBe(true);
    const [count] = await stack.sql<{ invoices: number; lines: number }[]>`
      SELECT (SELECT count(*)::int FROM invoices WHERE period = ${period}) AS invoices,
             (SELECT count(*)::int FROM invoice_lines l JOIN invoices i ON i.number = l.invoice_number WHERE i.period = ${period}) AS lines`;
    expect(count!.invoices).toBe(2);
    const imported = await stack.sql`SELECT * FROM audit_log WHERE action = 'invoice.imported'`;
    expect(imported).toHaveLength(2);
    // the activity itself is idempotent: a repeat stores nothing more
    invoice = await ok(stack.api('GET', `/v1/invoices/${mine.invoice}`, { token: ola }));
    const [after] = await stack.sql<{ lines: number }[]>`SELECT count(*)::int AS lines FROM invoice_lines l JOIN invoices i ON i.number = l.invoice_number WHERE i.period = ${period}`;
    expect(after!.lines).toBe(count!.lines);
  }, 150_000);
});

describe('M-3.1: the monthly schedule', () => {
  it("M-3.1: the schedule (1st of the month, 06:00 Oslo) runs the month that ended for every company; a company's run already done is left to it", async () => {
    expect(await ensureInvoiceSchedule(stack.client, stack.config.taskQueue)).toBe('created');
    expect(await ensureInvoiceSchedule(stack.client, stack.config.taskQueue)).toBe('exists');
    const schedule = stack.client.schedule.getHandle(INVOICE_SCHEDULE_ID);
    try {
      const described = await schedule.describe();
      expect(described.spec.timezone).toBe('Europe/Oslo');
      expect(described.spec.calendars).toEqual([expect.objectContaining({ dayOfMonth: [{ start: 1, end: 1, step: 1 }], hour: [{ start: 6, end: 6, step: 1 }] })]);
      // triggered now, it invoices the month before this one (the billing clock is past this month, so that one has ended too)
      const previous = previousPeriod(period);
      await schedule.trigger();
      const imported = await eventually(async () => {
        const rows = await stack.sql<{ company_id: string }[]>`SELECT company_id FROM invoices WHERE period = ${previous} ORDER BY company_id`;
        return rows.length === 2 ? rows : undefined;
      }, 30_000);
      expect(imported.map((r) => r.company_id)).toEqual(['fjordtel', 'nordnett']);
    } finally {
      await schedule.delete();
    }
    // this month was already run by the handler: the month workflow leaves it to that run
    const result = await stack.client.workflow.execute('invoiceMonthWorkflow', { workflowId: `invoice-month-test-${period}`, taskQueue: stack.config.taskQueue, args: [{ period }] });
    expect(result).toEqual({ period, runs: [expect.objectContaining({ companyId: 'fjordtel', outcome: 'already_run' }), expect.objectContaining({ companyId: 'nordnett', outcome: 'already_run' })] });
    expect((await stack.sql`SELECT 1 FROM invoices WHERE period = ${period}`).length).toBe(2);
  }, 60_000);
});

describe('M-3.2: what the invoice bills, in exact øre', () => {
  it('M-3.2: number, period, dates; rents of the products held (prorated), the establishment of the finished line, the accepted cancellation charge (C-3); VAT 25 %', async () => {
    expect(invoice).toMatchObject({ companyId: 'nordnett', companyName: 'Nordnett AS', period, issueDate: periodStart(nextPeriod(period)), currency: 'NOK', vatRatePct: 25, status: 'issued' });
    expect(invoice.dueDate).toBe(addCalendarDays(invoice.issueDate, 30));

    // rents: every Nordnett product held this month that has a tariff, for the days it was held
    const held = await stack.sql<{ number: string; product_code: string; speed_mbps: number | null; start_date: string; end_date: string | null }[]>`
      SELECT number, product_code, speed_mbps, start_date::text AS start_date, end_date::text AS end_date FROM portfolio_products
      WHERE company_id = 'nordnett' AND start_date <= ${periodEnd(period)}::date AND (end_date IS NULL OR end_date > ${periodStart(period)}::date)`;
    const rents = invoice.lines.filter((l: { kind: string }) => l.kind === 'monthly_rent');
    let checked = 0;
    for (const p of held) {
      const price = await stack.sims.prices.price({ productCode: p.product_code, ...(p.speed_mbps ? { speedMbps: p.speed_mbps } : {}), distanceMeters: 0 }).catch(() => undefined);
      const line = rents.find((l: { productNumber: string }) => l.productNumber === p.number);
      if (!price) {
        expect(line).toBeUndefined();
        continue;
      }
      const from = p.start_date > periodStart(period) ? p.start_date : periodStart(period);
      const days = calendarDaysBetween(from, periodEnd(period)) + 1;
      const expected = days === daysInPeriod(period) ? price.monthlyRentOre : Math.round((price.monthlyRentOre * days) / daysInPeriod(period));
      expect(line, p.number).toMatchObject({ unitOre: price.monthlyRentOre, days, amountOre: expected, fromDate: from, toDate: periodEnd(period) });
      checked++;
    }
    expect(checked).toBeGreaterThan(2);
    expect(rents).toHaveLength(checked);

    const line = (await lineOf(stack, ola, delivered.split(':')[0]!)).body;
    const price = await stack.sims.prices.price({ productCode: line.productCode, speedMbps: line.speedMbps, distanceMeters: 0 });
    expect(invoice.lines).toContainEqual(expect.objectContaining({ kind: 'establishment', orderLine: delivered, amountOre: price!.establishmentOre, productCode: line.productCode }));
    expect(invoice.lines).toContainEqual(expect.objectContaining({ kind: 'cancellation', orderLine: cancelled.line, amountOre: cancelled.feeOre }));
    // the delivered product is billed from its delivery day on (M-1: it entered the portfolio at F)
    const [entry] = await stack.sql<
      { number: string; start_date: string }[]
    >`SELECT number, start_date::text AS start_date FROM portfolio_products WHERE source_case_id = ${`order-line:${delivered}`}`;
    expect(rents).toContainEqual(expect.objectContaining({ productNumber: entry!.number, fromDate: entry!.start_date }));

    const net = invoice.lines.reduce((t: number, l: { amountOre: number }) => t + l.amountOre, 0);
    expect(invoice.netOre).toBe(net);
    expect(invoice.vatOre).toBe(Math.round((net * 25) / 100));
    expect(invoice.totalOre).toBe(invoice.netOre + invoice.vatOre);
    for (const l of invoice.lines) expect(Number.isInteger(l.amountOre)).toBe(true);
    expect(invoice.lines.map((l: { lineNo: number }) => l.lineNo)).toEqual(invoice.lines.map((_: unknown, i: number) => i + 1));
  });
});

describe('M-3: list, filters and tenancy', () => {
  it('M-3: the list filters by period and status; a reseller sees only its own invoices, a handler every company', async () => {
    const own = await ok(stack.api('GET', '/v1/invoices', { token: kari })); // read access suffices
    // two months so far (this one and the one the schedule ran), newest first, all Nordnett's
    expect(own.items.map((i: { period: string }) => i.period)).toEqual([period, previousPeriod(period)]);
    expect(own.items.every((i: { companyId: string }) => i.companyId === 'nordnett')).toBe(true);
    expect((await ok(stack.api('GET', `/v1/invoices?period=${period}`, { token: kari }))).items.map((i: { number: string }) => i.number)).toEqual([invoice.number]);
    const paged = await ok(stack.api('GET', '/v1/invoices?limit=1&offset=1', { token: kari }));
    expect(paged).toMatchObject({ total: 2, offset: 1, limit: 1, items: [expect.objectContaining({ period: previousPeriod(period) })] });
    expect((await ok(stack.api('GET', `/v1/invoices?period=${nextPeriod(period)}`, { token: ola }))).total).toBe(0);
    expect((await ok(stack.api('GET', `/v1/invoices?periodFrom=${period}&periodTo=${period}&status=issued`, { token: ola }))).total).toBe(1);
    expect((await ok(stack.api('GET', '/v1/invoices?status=disputed', { token: ola }))).total).toBe(0);
    const bad = await stack.api('GET', '/v1/invoices?period=2026-13&status=paid', { token: ola });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.period', 'query.status']);
    // a reseller's companyId filter is ignored: always its own
    expect((await ok(stack.api('GET', '/v1/invoices?companyId=fjordtel', { token: ola }))).items.map((i: { companyId: string }) => i.companyId)).toEqual(['nordnett', 'nordnett']);
    const all = await ok(stack.api('GET', `/v1/invoices?period=${period}`, { token: hanne }));
    expect(all.items.map((i: { companyId: string }) => i.companyId).sort()).toEqual(['fjordtel', 'nordnett']);
    expect((await ok(stack.api('GET', `/v1/invoices?companyId=fjordtel&period=${period}`, { token: hanne }))).items.map((i: { number: string }) => i.number)).toEqual([fjordtelInvoice]);
  });

  it("A-1, M-3: another company's invoice answers 404 exactly like a missing one, on every invoice route; ops get 403 (A-6)", async () => {
    for (const suffix of ['', '/pdf', '/specification.csv']) {
      const other = await stack.api('GET', `/v1/invoices/${invoice.number}${suffix}`, { token: nils });
      const missing = await stack.api('GET', `/v1/invoices/INV-000000007${suffix}`, { token: nils });
      expect(other.status).toBe(404);
      expect(JSON.stringify(other.body).replaceAll(invoice.number, 'X')).toBe(JSON.stringify(missing.body).replaceAll('INV-000000007', 'X'));
      expect((await stack.api('GET', `/v1/invoices/${invoice.number}${suffix}`, { token: olav })).status).toBe(403);
      expect((await stack.api('GET', `/v1/invoices/${invoice.number}${suffix}`, { token: hanne })).status).toBe(200);
    }
    expect((await stack.api('GET', '/v1/invoices', { token: olav })).status).toBe(403);
    const theirs = (await ok(stack.api('GET', '/v1/invoices', { token: nils }))).items as Array<{ number: string; companyId: string }>;
    expect(theirs.map((i) => i.number)).toContain(fjordtelInvoice);
    expect(theirs.every((i) => i.companyId === 'fjordtel')).toBe(true);
    // handler routes are the handlers' (A-2)
    expect((await stack.api('POST', '/v1/handler/invoice-runs', { token: ola, json: { period } })).status).toBe(403);
    expect((await stack.api('GET', `/v1/handler/invoice-runs?period=${period}`, { token: ola })).status).toBe(403);
  });
});

/** The text of every page of a PDF, as pdf.js extracts it. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: bytes, standardFontDataUrl: join(PROJECT_ROOT, 'node_modules', 'pdfjs-dist', 'standard_fonts') + '/', verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await pdf.destroy();
  return pages.join(' ').replace(/\s+/g, ' ');
}

describe('M-3.3: the invoice as PDF and CSV', () => {
  it('M-3.3: the PDF (made by PDFKit) carries the invoice: number, customer, dates, every line with its amount, net, VAT and total', async () => {
    // the stack's api() reads bodies as text: the bytes come from the same app (rawGet)
    const res = await rawGet(`/v1/invoices/${invoice.number}/pdf`, ola);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Faktura ${invoice.number} ${period}.pdf"; filename*=UTF-8''Faktura%20${invoice.number}%20${period}.pdf`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = await pdfText(bytes);
    expect(text).toContain(`Faktura ${invoice.number}`);
    expect(text).toContain('Kunde: Nordnett AS, org.nr. 912345670');
    expect(text).toContain(`Periode: ${period}`);
    expect(text).toContain(`Fakturadato: ${invoice.issueDate}`);
    expect(text).toContain(`Forfallsdato: ${invoice.dueDate}`);
    for (const l of invoice.lines) {
      expect(text).toContain(l.description);
      expect(text).toContain(formatNok(l.amountOre));
    }
    expect(text).toContain(`Sum eks. mva ${formatNok(invoice.netOre)}`);
    expect(text).toContain(`Mva 25 % ${formatNok(invoice.vatOre)}`);
    expect(text).toContain(`Å betale NOK ${formatNok(invoice.totalOre)}`);
  });

  it('M-3.3: the CSV specification has one row per line with the same amounts (øre and kroner), summing to the net amount', async () => {
    const res = await stack.api('GET', `/v1/invoices/${invoice.number}/specification.csv`, { token: ola });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(`filename="Spesifikasjon ${invoice.number} ${period}.csv"`);
    const rows = (res.body as string).trimEnd().split('\r\n');
    expect(rows[0]).toBe('invoice,period,line,kind,description,product_code,product_number,order_line,from,to,days,unit_ore,amount_ore,amount_nok');
    expect(rows).toHaveLength(invoice.lines.length + 1);
    let sum = 0;
    rows.slice(1).forEach((row, i) => {
      const l = invoice.lines[i];
      const amount = Number(row.split(',').at(-2));
      expect(row.startsWith(`${invoice.number},${period},${l.lineNo},${l.kind},`)).toBe(true);
      expect(amount).toBe(l.amountOre);
      expect(row.endsWith(`,${(l.amountOre / 100).toFixed(2)}`)).toBe(true);
      sum += amount;
    });
    expect(sum).toBe(invoice.netOre);
  });
});

describe('M-3.4, S-6: disputes as service requests about the invoice', () => {
  it("S-6: an invoice reference must name one of the company's invoices (another company's is not found either)", async () => {
    const body = (value: string) => ({ area: 'Invoice', subArea: 'Wrong invoice', reference: { kind: 'invoice', value }, description: 'Line 2 is billed twice' });
    for (const value of [fjordtelInvoice, 'INV-000000007', 'not-an-invoice']) {
      const res = await stack.api('POST', '/v1/service-requests', { token: ola, json: body(value) });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.reference.value', code: 'reference_not_found', rule: 'S-6' })]);
    }
  });

  it('M-3.4: while the SR is open the invoice is disputed; the handler records a credit note once; completed, the invoice is credited and the PDF says so', async () => {
    // "Service request from invoice": the template the detail offers, as the user sends it (number in any case)
    const template = invoice.serviceRequestTemplate;
    expect(template).toEqual({ area: 'Invoice', subArea: 'Wrong invoice', reference: { kind: 'invoice', value: invoice.number } });
    const sr = await ok(
      stack.api('POST', '/v1/service-requests', {
        token: ola,
        json: { ...template, reference: { kind: 'invoice', value: invoice.number.toLowerCase() }, description: 'The cancellation charge is too high' },
      }),
      201,
    );
    expect(sr).toMatchObject({ area: 'Invoice', department: 'billing', reference: { kind: 'invoice', value: invoice.number } });
    const disputed = await ok(stack.api('GET', `/v1/invoices/${invoice.number}`, { token: ola }));
    expect(disputed).toMatchObject({ status: 'disputed', disputes: [{ serviceRequest: sr.number, serviceRequestStatus: 'New', subArea: 'Wrong invoice', outcome: null }] });
    expect((await ok(stack.api('GET', '/v1/invoices?status=disputed', { token: ola }))).items.map((i: { number: string }) => i.number)).toEqual([invoice.number]);

    const outcome = (json: Record<string, unknown>, token = hanne) => stack.api('POST', `/v1/handler/invoices/${invoice.number}/outcome`, { token, json });
    const credit = { serviceRequest: sr.number, outcome: 'credit_note', creditOre: 12_500, note: 'The charge was billed at the wrong rate' };
    // not taken yet: the handler takes the request first
    const early = await outcome(credit);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'dispute_not_in_process', rule: 'M-3.4', status: 'New' });
    const tokens = { customer: ola, handler: hanne };
    await ok(srAction(stack, tokens, sr.number, 'submit'));
    await ok(srAction(stack, tokens, sr.number, 'take'));

    expect((await outcome(credit, ola)).status).toBe(403);
    const tooMuch = await outcome({ ...credit, creditOre: invoice.netOre + 1 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors).toEqual([expect.objectContaining({ field: 'body.creditOre', rule: 'M-3.4' })]);
    const noAmount = await outcome({ serviceRequest: sr.number, outcome: 'credit_note', note: 'x' });
    expect(noAmount.body.errors).toEqual([expect.objectContaining({ field: 'body.creditOre', code: 'missing_property' })]);
    const otherSr = await outcome({ ...credit, serviceRequest: 'SR-000007' });
    expect(otherSr.body.errors).toEqual([expect.objectContaining({ field: 'body.serviceRequest', code: 'reference_not_found' })]);

    // two handlers at once: exactly one outcome is recorded
    const both = await Promise.all([outcome(credit), outcome({ ...credit, outcome: 'rejected', creditOre: undefined, note: 'The charge is right' })]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const recorded = both.find((r) => r.status === 201)!.body;
    expect(recorded.status).toBe('disputed'); // still open until the handler completes the request
    const again = await outcome(credit);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'outcome_already_recorded' });

    await ok(srAction(stack, tokens, sr.number, 'complete', { text: 'Credited, see the invoice' }));
    const after = await ok(stack.api('GET', `/v1/invoices/${invoice.number}`, { token: ola }));
    const decided = recorded.disputes[0].outcome;
    expect(after.disputes).toEqual([expect.objectContaining({ serviceRequest: sr.number, serviceRequestStatus: 'Completed', outcome: decided })]);
    if (decided.outcome === 'credit_note') {
      expect(after).toMatchObject({ status: 'credited', creditedOre: 12_500 });
      const text = await pdfText(new Uint8Array(await (await rawGet(`/v1/invoices/${invoice.number}/pdf`, ola)).arrayBuffer()));
      expect(text).toContain(`Reklamasjon ${sr.number}: kreditnota ${formatNok(12_500)} NOK`);
    } else {
      expect(after).toMatchObject({ status: 'issued', creditedOre: 0 });
    }
    const audit = await stack.sql`SELECT username, outcome FROM audit_log WHERE action = 'invoice.outcome' ORDER BY id`;
    expect(audit.filter((a) => a.outcome === 'accepted')).toEqual([{ username: 'hanne.handler', outcome: 'accepted' }]);
  });
});

/** A GET through the stack's app, answering the raw Response (for binary bodies). */
let rawApp: { request: (path: string, init: RequestInit) => Response | Promise<Response> } | undefined;
async function rawGet(path: string, token: string): Promise<Response> {
  if (!rawApp) {
    const { createApp } = await import('../../api/app');
    rawApp = createApp({ sql: stack.sql, temporal: stack.client, adapters: stack.sims, config: stack.config });
  }
  return rawApp.request(path, { method: 'GET', headers: { Authorization: `Bearer ${token}` } });
}
