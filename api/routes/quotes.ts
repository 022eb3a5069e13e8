// Quotes through the API (rules Q-1…Q-11): resellers create quotes, add / change / remove lines,
// Submit (Estimate Price), confirm manual pricing, follow the lines, set Customer Update or
// Customer Closed and cancel; handlers price lines manually (handler-quotes.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Context } from 'hono';
import type postgres from 'postgres';
import type { Product } from '../../adapters/price-list';
import { type CaseRow } from '../../db/cases';
import type { Sql } from '../../db/client';
import { AttachmentRef, caseId, caseNumber } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import {
  type AddressFacts,
  allowedLineActions,
  allowedQuoteActions,
  decideQuoteAction,
  decideQuoteLineAction,
  isOrderable,
  type LineCheck,
  lineProblems,
  MAX_QUOTE_LINES,
  QuoteAction as QuoteActionEnum,
  QuoteLineAction,
  QuoteLineStatus,
  type QuoteProduct,
  QuoteStatus,
} from '../../domain/quote';
import { PRICING_UNAVAILABLE, type QuoteLine, type QuoteLineActionInput, type QuoteLineInput, type QuoteStartInput, quoteUpdates, type QuoteView } from '../../workflows/quote/messages';
import { newQuote, toProjection } from '../../workflows/quote/projection';
import type { quoteWorkflow } from '../../workflows/quote/workflow';
import { IsoDate } from '../dates';
import { resolveAttachments } from '../attachments';
import { assertCanOrder, requireAuth } from '../auth';
import { type Page, registerCase } from '../cases';
import { scopeCaseParam, tenantOf } from '../kit/load-case';
import { type CallerScope, callerScope, mapPage, pageFields, pageQuery, readPage } from '../kit/page';
import { problemOfRefusal, runAction } from '../kit/run-action';
import type { AppDeps, AppEnv } from '../context';
import { createOnce, IdempotencyKeyHeader, noteCreation } from '../idempotency';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { type FieldProblem, HttpProblem, problems } from '../problem';
import { createRouter } from '../router';
import { RelatedServiceRequest } from '../follow-up';
import { quoteServiceRequests } from './case-follow-up';
import type { Refusal } from '../../domain/refusal';

// ---- schemas -------------------------------------------------------------------------------

const AttachmentIds = z.array(z.uuid()).max(10);
const AddressId = z.string().trim().min(1).max(40);

export const LineBody = z
  .strictObject({
    productCode: z.string().trim().min(1).max(40).openapi({ example: 'SAMB-ETH', description: 'From GET /v1/reference/products (quote products: capacity and Telelosji, Q-1)' }),
    speedMbps: z.number().int().positive().nullable().optional().openapi({ description: 'Where the product needs a speed (Q-2)' }),
    addressAId: AddressId.nullable().optional().openapi({ example: 'adr-0003', description: 'Installation address A from GET /v1/reference/addresses (Q-2, Q-3)' }),
    addressBId: AddressId.nullable().optional().openapi({ example: 'adr-0004', description: 'Address B, for two-ended products' }),
    attachmentFlag: z.boolean().default(false).openapi({ description: 'Q-4: no address found; the site is in an attachment instead' }),
    attachmentIds: AttachmentIds.default([]).openapi({ description: 'G-4: ids from POST /v1/attachments' }),
  })
  .openapi('QuoteLineInput');

const ChangeLineBody = z
  .strictObject({
    productCode: z.string().trim().min(1).max(40).optional(),
    speedMbps: z.number().int().positive().nullable().optional(),
    addressAId: AddressId.nullable().optional(),
    addressBId: AddressId.nullable().optional(),
    attachmentFlag: z.boolean().optional(),
    attachmentIds: AttachmentIds.optional().openapi({ description: "Replaces the line's attachments" }),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one field to change' })
  .openapi('QuoteLineChange');

const CreateBody = z
  .strictObject({
    customerReference: z.string().trim().min(1).max(60).optional().openapi({ description: "The reseller's own reference, for search" }),
    description: z.string().trim().min(1).max(2000).optional(),
    lines: z.array(LineBody).max(MAX_QUOTE_LINES).default([]),
  })
  .openapi('CreateQuote');

const SubmitBody = z
  .strictObject({
    confirmManualPricing: z.array(z.number().int().positive()).max(200).default([]).openapi({ description: 'Q-8: line numbers that need manual pricing and that the wholesaler should price' }),
  })
  .openapi('SubmitQuote');

const CommentBody = z.strictObject({ comment: z.string().trim().min(1).max(2000).optional() }).openapi('QuoteComment');

const AddressSnapshot = z.object({ id: z.string(), label: z.string(), zone: z.number().int() });
const Money = z.object({ monthlyRentOre: z.number().int(), establishmentOre: z.number().int() });

const QuoteLineSchema = z
  .object({
    lineNo: z.number().int(),
    status: QuoteLineStatus,
    productCode: z.string(),
    productName: z.string(),
    speedMbps: z.number().int().nullable(),
    addressA: AddressSnapshot.nullable(),
    addressB: AddressSnapshot.nullable(),
    attachmentFlag: z.boolean(),
    attachments: z.array(AttachmentRef),
    comment: z.string().nullable().openapi({ description: 'G-3: what is missing, why cancelled, why manual pricing' }),
    price: Money.nullable().openapi({ description: 'Integer øre' }),
    priceSource: z.enum(['price-list', 'manual']).nullable(),
    priceValidUntil: z.string().nullable().openapi({ description: 'Last Oslo date the price may be ordered' }),
    answeredDate: z.string().nullable().openapi({ description: "Q-12 / O-5: the delivery date the wholesaler's answer gives; an order from the line takes it as its requested date" }),
    distanceMeters: z.number().int().nullable(),
    distanceBand: z.string().nullable(),
    manualPricing: z.object({ rule: z.string(), reason: z.string(), confirmed: z.boolean(), indicativeMonthlyRentOre: z.number().int().nullable() }).nullable(),
    orderedAs: z.string().nullable(),
    orderable: z.boolean().openapi({ description: 'Q-12: Completed, price still valid, not yet ordered' }),
    handler: z.string().nullable(),
    updatedAt: z.string(),
    allowedActions: z.array(QuoteLineAction).openapi({ description: 'What the calling user may do on this line now (Q-9, Q-11)' }),
  })
  .openapi('QuoteLine');

export const QuoteSchema = z
  .object({
    number: z.string().openapi({ example: 'Q-000042' }),
    caseId: z.string().openapi({ example: 'quote:Q-000042' }),
    companyId: z.string(),
    createdBy: z.string(),
    customerReference: z.string().nullable(),
    description: z.string().nullable(),
    status: z.enum(QuoteStatus.options).openapi({ description: 'Q-10: summarises the lines' }),
    completedLines: z.number().int().openapi({ description: 'Q-10: how many lines are Completed' }),
    cancelled: z.boolean(),
    lines: z.array(QuoteLineSchema),
    awaitingConfirmation: z
      .array(z.object({ lineNo: z.number().int(), rule: z.string(), reason: z.string() }))
      .openapi({ description: 'Q-8: New lines that need manual pricing; submit again with confirmManualPricing to send them' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    version: z.number().int(),
    activity: z.array(
      z.object({
        at: z.string(),
        by: z.string(),
        action: z.string(),
        lineNo: z.number().int().optional(),
        fromStatus: z.string().nullable(),
        toStatus: z.string(),
        text: z.string().optional(),
      }),
    ),
    allowedActions: z.array(QuoteActionEnum).openapi({ description: 'Quote-level actions the calling user may take now' }),
  })
  .openapi('Quote');

const SummarySchema = z
  .object({
    number: z.string(),
    companyId: z.string(),
    status: z.string(),
    customerReference: z.string().nullable(),
    title: z.string(),
    products: z.array(z.string()),
    lineCount: z.number().int(),
    completedLines: z.number().int(),
    queue: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('QuoteSummary');

const SummaryPage = z.object({ items: z.array(SummarySchema), ...pageFields }).openapi('QuotePage');

export const QUOTE_NUMBER = /^Q-\d{6,}$/;
export const QuoteNumberParam = z
  .string()
  .regex(QUOTE_NUMBER, 'a quote number like Q-000042')
  .openapi({ param: { name: 'number', in: 'path' }, example: 'Q-000042' });
export const LineNoParam = z.coerce
  .number()
  .int()
  .min(1)
  .max(10_000)
  .openapi({ param: { name: 'lineNo', in: 'path' }, example: 1 });

const ListQuery = z.object({
  status: QuoteStatus.optional(),
  q: z.string().max(100).optional().openapi({ description: 'Text anywhere in number, reference, description, products, address labels' }),
  reference: z.string().max(60).optional(),
  productCode: z.string().max(40).optional(),
  createdFrom: IsoDate.optional(),
  createdTo: IsoDate.optional(),
  companyId: z.string().optional().openapi({ description: 'Handlers only; resellers always see their own company' }),
  ...pageQuery({ limit: 25 }),
});

type Quote = z.infer<typeof QuoteSchema>;

// ---- presenting ----------------------------------------------------------------------------

export function presentQuote(view: QuoteView, actor: Actor): Quote {
  const now = new Date();
  return {
    ...view,
    lines: view.lines.map((l) => ({
      lineNo: l.lineNo,
      status: l.status,
      productCode: l.productCode,
      productName: l.productName,
      speedMbps: l.speedMbps,
      addressA: l.addressA,
      addressB: l.addressB,
      attachmentFlag: l.attachmentFlag,
      attachments: l.attachments,
      comment: l.comment,
      price: l.price,
      priceSource: l.priceSource,
      priceValidUntil: l.priceValidUntil,
      answeredDate: l.answeredDate ?? null,
      distanceMeters: l.distanceMeters,
      distanceBand: l.distanceBand,
      manualPricing: l.manualPricing,
      orderedAs: l.orderedAs,
      orderable: isOrderable(l, now),
      handler: l.handler,
      updatedAt: l.updatedAt,
      allowedActions: allowedLineActions(l, actor),
    })),
    awaitingConfirmation: view.lines
      .filter((l) => l.status === 'New' && l.manualPricing && !l.manualPricing.confirmed)
      .map((l) => ({ lineNo: l.lineNo, rule: l.manualPricing!.rule, reason: l.manualPricing!.reason })),
    allowedActions: allowedQuoteActions(view, actor),
  };
}

// ---- resolving a line against the product catalogue and the address register ----------------

export function quoteProduct(p: Product): QuoteProduct {
  return {
    code: p.code,
    name: p.name,
    family: p.family,
    twoEnded: p.twoEnded,
    needsSpeed: p.needsSpeed,
    speedsMbps: p.speedsMbps ?? [],
    priceListProduct: p.priceListProduct,
    quoteOnly: p.quoteOnly,
    zone1RequiredSpeedsMbps: p.zone1RequiredSpeedsMbps ?? [],
  };
}

interface LineDraft {
  productCode: string;
  speedMbps: number | null;
  addressAId: string | null;
  addressBId: string | null;
  attachmentFlag: boolean;
  /** New attachment ids to resolve, or the line's current attachments kept as they are. */
  attachments: { ids: string[] } | { refs: AttachmentRef[] };
}

type Resolved = { line: QuoteLineInput; problems: [] } | { line: undefined; problems: FieldProblem[] };

/**
 * G-1 / Q-2…: looks the product and addresses up (read-only) and checks every field
 * rule of the line at once; `prefix` is the field path of the line in the request.
 */
async function resolveLine(deps: AppDeps, companyId: string, d: LineDraft, prefix: string): Promise<Resolved> {
  const lookUpAddress = async (id: string | null) => {
    if (id === null) return null;
    const a = await deps.adapters.addresses.get(id);
    return { id, address: a, facts: a ? ({ id: a.id, postBox: a.postBox === true } satisfies AddressFacts) : undefined };
  };
  const [product, a, b] = await Promise.all([deps.adapters.prices.product(d.productCode), lookUpAddress(d.addressAId), lookUpAddress(d.addressBId)]);
  const out: FieldProblem[] = [];
  let attachments: AttachmentRef[] = [];
  if ('refs' in d.attachments) attachments = d.attachments.refs;
  else {
    try {
      attachments = await resolveAttachments(deps.sql, companyId, d.attachments.ids, `${prefix}attachmentIds`);
    } catch (err) {
      if (!(err instanceof HttpProblem) || !err.extra.errors) throw err;
      out.push(...err.extra.errors);
    }
  }
  const check: LineCheck = {
    productCode: d.productCode,
    product: product ? quoteProduct(product) : undefined,
    speedMbps: d.speedMbps,
    addressA: a ? { id: a.id, facts: a.facts } : null,
    addressB: b ? { id: b.id, facts: b.facts } : null,
    attachmentFlag: d.attachmentFlag,
    attachmentCount: 'refs' in d.attachments ? d.attachments.refs.length : d.attachments.ids.length,
  };
  out.push(...lineProblems(check).map((p) => ({ field: `${prefix}${p.field}`, code: p.code, rule: p.rule, message: p.message })));
  if (out.length > 0 || !product) return { line: undefined, problems: out };
  const snap = (x: typeof a) => (x?.address ? { id: x.address.id, label: x.address.label, zone: x.address.zone } : null);
  return {
    line: {
      productCode: product.code,
      product: quoteProduct(product),
      speedMbps: d.speedMbps,
      addressA: snap(a),
      addressB: snap(b),
      attachmentFlag: d.attachmentFlag,
      attachments,
    },
    problems: [],
  };
}

function draftOf(body: z.infer<typeof LineBody>): LineDraft {
  return {
    productCode: body.productCode,
    speedMbps: body.speedMbps ?? null,
    addressAId: body.addressAId ?? null,
    addressBId: body.addressBId ?? null,
    attachmentFlag: body.attachmentFlag,
    attachments: { ids: body.attachmentIds },
  };
}

// ---- running an action ---------------------------------------------------------------------

/** Submit's pricing failure: the price list refused (422) or could not be reached (503). */
function pricingProblem(err: unknown): HttpProblem | undefined {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === PRICING_UNAVAILABLE) {
    const upstream = (err.cause.details?.[0] as { upstream?: string | null } | undefined)?.upstream;
    if (upstream === 'AdapterRejectedError') return problems.unprocessable('upstream_rejected', err.cause.message);
    return new HttpProblem(503, 'upstream_unavailable', "The wholesaler's system is unavailable", { detail: `${err.cause.message}; nothing was changed, try again` });
  }
  return undefined;
}

/** One Update on a quote through the one runner; answers the quote as the read model has it after the action. */
async function runQuoteAction<I>(
  deps: AppDeps,
  c: Context<AppEnv>,
  row: CaseRow,
  action: string,
  update: UpdateDefinition<unknown, [I]>,
  input: I,
  check: (view: QuoteView) => Refusal | undefined,
): Promise<Quote> {
  try {
    const after = await runAction<I, QuoteView>(deps, c, { row, action, update, input, check });
    return presentQuote(after.detail as QuoteView, c.get('actor'));
  } catch (err) {
    throw pricingProblem(err) ?? err;
  }
}

/** A line action (customer or handler) on a quote loaded through the tenancy loader; a missing line is 404. */
export async function runLineAction(deps: AppDeps, c: Context<AppEnv>, row: CaseRow, lineNo: number, action: QuoteLineAction, input: Omit<QuoteLineActionInput, 'actor' | 'lineNo'>) {
  if (!(row.detail as QuoteView).lines.some((l) => l.lineNo === lineNo)) throw problems.notFound(`Line ${lineNo} of ${row.number}`);
  const cmd: QuoteLineActionInput = { actor: c.get('actor'), lineNo, ...input };
  return runQuoteAction(deps, c, row, action, quoteUpdates[action], cmd, (view) => decideQuoteLineAction(view, action, cmd));
}

// ---- listing -------------------------------------------------------------------------------

type SummaryRow = {
  number: string;
  company_id: string;
  status: string;
  refs: Record<string, string>;
  queue: string | null;
  title: string;
  created_at: Date;
  updated_at: Date;
  updated_by: string;
};

export async function listQuotes(sql: Sql, filter: z.infer<typeof ListQuery>, scope: CallerScope): Promise<Page<z.infer<typeof SummarySchema>>> {
  const conditions = [
    sql`case_type = 'quote'`,
    filter.companyId !== undefined ? sql`company_id = ${filter.companyId}` : null,
    filter.status ? sql`status = ${filter.status}` : null,
    filter.reference ? sql`lower(refs ->> 'reference') = ${filter.reference.trim().toLowerCase()}` : null,
    filter.productCode ? sql`${filter.productCode.trim().toUpperCase()} = ANY(string_to_array(refs ->> 'products', ' '))` : null,
    filter.q ? sql`search_text LIKE ${'%' + filter.q.toLowerCase().replace(/[%_\\]/g, (m) => '\\' + m) + '%'}` : null,
    filter.createdFrom ? sql`created_at >= ${filter.createdFrom}::date` : null,
    filter.createdTo ? sql`created_at < ${filter.createdTo}::date + 1` : null,
  ].filter((x): x is postgres.PendingQuery<postgres.Row[]> => x !== null);
  const where = conditions.reduce((acc, cond) => sql`${acc} AND ${cond}`);
  const page = await readPage<SummaryRow>(sql, {
    select: sql`number, company_id, status, refs, queue, title, created_at, updated_at, updated_by`,
    from: sql`cases`,
    where,
    keys: [
      { sql: sql`updated_at`, type: 'timestamptz', desc: true },
      { sql: sql`number`, type: 'text', desc: true },
    ],
    page: filter,
    list: 'quotes',
    scope,
  });
  return mapPage(page, (r) => ({
    number: r.number,
    companyId: r.company_id,
    status: r.status,
    customerReference: r.refs.reference ?? null,
    title: r.title,
    products: (r.refs.products ?? '').split(' ').filter(Boolean),
    lineCount: Number(r.refs.lineCount ?? 0),
    completedLines: Number(r.refs.completedLines ?? 0),
    queue: r.queue,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by,
  }));
}

// ---- routes --------------------------------------------------------------------------------

export function quoteRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  scopeCaseParam(router, 'quote', QUOTE_NUMBER, deps.sql);
  const secured = { security: [{ bearer: [] }], tags: ['Quotes'] };
  const NumberParams = z.object({ number: QuoteNumberParam });
  const LineParams = z.object({ number: QuoteNumberParam, lineNo: LineNoParam });
  const quoteResponse = (description: string) => jsonResponse(QuoteSchema, description);

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/',
      summary: 'Create a quote (New), optionally with its lines (Q-2)',
      request: {
        headers: IdempotencyKeyHeader,
        body: jsonBody(CreateBody),
      },
      responses: { 201: quoteResponse('Created'), ...problemResponses(400, 401, 403, 422, 503) },
    }),
    async (c) => {
      const user = c.get('user');
      const actor = c.get('actor');
      assertCanOrder(user);
      const body = c.req.valid('json');
      const companyId = user.companyId!;
      c.set('audit', { action: 'quote.create', companyId });
      const resolved = await Promise.all(body.lines.map((l, i) => resolveLine(deps, companyId, draftOf(l), `body.lines.${i}.`)));
      const failing = resolved.flatMap((r) => r.problems);
      if (failing.length > 0) throw problems.validation(failing);
      const lines = resolved.map((r) => r.line!);
      const result = await createOnce(deps, { userId: user.id, key: c.req.header('idempotency-key'), fingerprint: ['POST /v1/quotes', body] }, async (tx) => {
        const [seq] = await tx<{ n: string }[]>`SELECT nextval('quote_number_seq') AS n`;
        const number = caseNumber('quote', Number(seq!.n), deps.config.caseNumberKey);
        const input: QuoteStartInput = {
          caseId: caseId('quote', number),
          number,
          companyId,
          actor,
          customerReference: body.customerReference ?? null,
          description: body.description ?? null,
          lines,
          createdAt: new Date().toISOString(),
          timing: { priceValidity: deps.config.timings.quotePriceValidity },
          ...(deps.config.quoteHistoryLimit ? { continueAsNewAfterEvents: deps.config.quoteHistoryLimit } : {}),
        };
        const view = newQuote(input);
        await registerCase<typeof quoteWorkflow>(tx, deps, 'quoteWorkflow', toProjection(view), [input]);
        return { status: 201, body: presentQuote(view, actor) };
      });
      const created = result.body as Quote;
      noteCreation(c, 'quote.create', companyId, created, result.replayed);
      return c.json(created, 201);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/',
      summary: "List and search the company's quotes",
      request: { query: ListQuery },
      responses: { 200: jsonResponse(SummaryPage, 'A page of quotes, latest change first'), ...problemResponses(400, 401) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await listQuotes(deps.sql, { ...query, companyId: tenantOf(c.get('user')) ?? query.companyId }, callerScope(deps.config, c.get('user'))), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}',
      summary: 'One quote: header status, Completed count, each line with status, comment and price (Q-10)',
      request: { params: NumberParams },
      responses: {
        200: jsonResponse(
          QuoteSchema.extend({ serviceRequests: z.array(RelatedServiceRequest).openapi({ description: 'S-6: service requests about the quote, newest first' }) }).openapi('QuoteWithServiceRequests'),
          'The quote',
        ),
        ...problemResponses(401, 404),
      },
    }),
    async (c) => {
      const row = c.get('caseRow');
      return c.json({ ...presentQuote(row.detail as QuoteView, c.get('actor')), serviceRequests: await quoteServiceRequests(deps.sql, row) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/lines',
      summary: 'Add a line (New): product, speed, addresses or attachment flag (Q-2…Q-4, Q-7)',
      request: { params: NumberParams, body: jsonBody(LineBody) },
      responses: { 201: quoteResponse('The quote with the new line'), ...problemResponses(400, 401, 403, 404, 409, 503) },
    }),
    async (c) => {
      const user = c.get('user');
      assertCanOrder(user);
      const row = c.get('caseRow');
      c.set('audit', { caseId: row.case_id, companyId: row.company_id, action: 'quote.addLine' });
      const actor = c.get('actor');
      const check = (view: QuoteView) => decideQuoteAction(view, 'addLine', actor);
      // a status refusal comes before field problems: nothing can be added to a cancelled quote
      const refusal = check(row.detail as QuoteView);
      if (refusal) throw problemOfRefusal(refusal);
      const resolved = await resolveLine(deps, row.company_id, draftOf(c.req.valid('json')), 'body.');
      if (!resolved.line) throw problems.validation(resolved.problems);
      return c.json(await runQuoteAction(deps, c, row, 'addLine', quoteUpdates.addLine, { actor, line: resolved.line }, check), 201);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'patch',
      path: '/{number}/lines/{lineNo}',
      summary: 'Change a line while it is New or Incomplete',
      request: { params: LineParams, body: jsonBody(ChangeLineBody) },
      responses: { 200: quoteResponse('The quote after the change'), ...problemResponses(400, 401, 403, 404, 409, 503) },
    }),
    async (c) => {
      const user = c.get('user');
      assertCanOrder(user);
      const actor = c.get('actor');
      const { lineNo } = c.req.valid('param');
      const body = c.req.valid('json');
      const row = c.get('caseRow');
      c.set('audit', { caseId: row.case_id, companyId: row.company_id, action: 'quote.change' });
      if (!(row.detail as QuoteView).lines.some((l) => l.lineNo === lineNo)) throw problems.notFound(`Line ${lineNo} of ${row.number}`);
      const refusal = decideQuoteLineAction(row.detail as QuoteView, 'change', { actor, lineNo });
      if (refusal) throw problemOfRefusal(refusal);
      const current = (row.detail as QuoteView).lines.find((l) => l.lineNo === lineNo) as QuoteLine;
      const draft: LineDraft = {
        productCode: body.productCode ?? current.productCode,
        speedMbps: body.speedMbps !== undefined ? body.speedMbps : current.speedMbps,
        addressAId: body.addressAId !== undefined ? body.addressAId : (current.addressA?.id ?? null),
        addressBId: body.addressBId !== undefined ? body.addressBId : (current.addressB?.id ?? null),
        attachmentFlag: body.attachmentFlag ?? current.attachmentFlag,
        attachments: body.attachmentIds ? { ids: body.attachmentIds } : { refs: current.attachments },
      };
      const resolved = await resolveLine(deps, row.company_id, draft, 'body.');
      if (!resolved.line) throw problems.validation(resolved.problems, 'The line after the change breaks these rules; see errors.');
      return c.json(await runLineAction(deps, c, row, lineNo, 'change', { line: resolved.line }), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'delete',
      path: '/{number}/lines/{lineNo}',
      summary: 'Remove a New line',
      request: { params: LineParams },
      responses: { 200: quoteResponse('The quote without the line'), ...problemResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      assertCanOrder(c.get('user'));
      const { lineNo } = c.req.valid('param');
      return c.json(await runLineAction(deps, c, c.get('caseRow'), lineNo, 'remove', {}), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/submit',
      summary: 'Submit (Estimate Price): price-list lines are priced at once (Q-5); lines needing manual pricing are listed back and go to the wholesaler only when confirmed (Q-8)',
      request: { params: NumberParams, body: { ...jsonBody(SubmitBody), required: false } },
      responses: { 200: quoteResponse('The quote after pricing; see awaitingConfirmation'), ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
    }),
    async (c) => {
      const user = c.get('user');
      assertCanOrder(user);
      const body = (c.req.valid('json' as never) ?? { confirmManualPricing: [] }) as z.infer<typeof SubmitBody>;
      const actor = c.get('actor');
      return c.json(
        await runQuoteAction(deps, c, c.get('caseRow'), 'submit', quoteUpdates.submit, { actor, confirmManualPricing: body.confirmManualPricing ?? [] }, (view) =>
          decideQuoteAction(view, 'submit', actor),
        ),
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/cancel',
      summary: 'Cancel the whole quote: every line that may still be cancelled is Cancelled (Q-9)',
      request: { params: NumberParams, body: { ...jsonBody(CommentBody), required: false } },
      responses: { 200: quoteResponse('The cancelled quote'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const user = c.get('user');
      assertCanOrder(user);
      const body = (c.req.valid('json' as never) ?? {}) as z.infer<typeof CommentBody>;
      const actor = c.get('actor');
      return c.json(
        await runQuoteAction(deps, c, c.get('caseRow'), 'cancelQuote', quoteUpdates.cancelQuote, { actor, ...(body.comment ? { comment: body.comment } : {}) }, (view) =>
          decideQuoteAction(view, 'cancelQuote', actor),
        ),
        200,
      );
    },
  );

  const customerLineAction = (path: string, action: QuoteLineAction, summary: string) =>
    router.openapi(
      createRoute({
        ...secured,
        method: 'post',
        path: `/{number}/lines/{lineNo}/${path}`,
        summary,
        request: { params: LineParams, body: { ...jsonBody(CommentBody), required: false } },
        responses: { 200: quoteResponse('The quote after the action'), ...problemResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        assertCanOrder(c.get('user'));
        const { lineNo } = c.req.valid('param');
        const body = (c.req.valid('json' as never) ?? {}) as z.infer<typeof CommentBody>;
        return c.json(await runLineAction(deps, c, c.get('caseRow'), lineNo, action, body.comment ? { comment: body.comment } : {}), 200);
      },
    );

  customerLineAction('customer-update', 'customerUpdate', 'Customer Update: the Incomplete line is fixed and goes back to the wholesaler (Q-9, Q-11)');
  customerLineAction('close', 'customerClose', 'Customer Closed: the Completed line will not be ordered (Q-9, Q-11)');
  customerLineAction('cancel', 'cancel', 'Cancel the line (Q-9)');

  return router;
}
