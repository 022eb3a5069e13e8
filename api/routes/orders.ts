// Orders through the API (rules O-1…O-20, C-1…C-6, Q-12): a reseller starts an order (New),
// fills it in and saves it unfinished, validates it, looks up, checks availability, books a
// technician, submits; then follows, fixes (Customer Update), reopens and cancels its lines.
// The handler's side is in handler-orders.ts.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type postgres from 'postgres';
import { AdapterTimeoutError, type AvailabilityLine } from '../../adapters';
import type { Sql } from '../../db/client';
import { caseId, caseNumber } from '../../domain/case';
import {
  BOOKABLE_FAMILIES, CANCEL_VIA_SERVICE_REQUEST, duplicateKey, type LineStatus, LINE_TRANSITIONS, lookupAllowed,
  OPEN_FOR_DUPLICATE, ORDER_STATUSES, orderLineNumber, reopenDecision, TERMINAL_LINE_STATUSES, UNCHECKED_FAMILIES,
} from '../../domain/order';
import {
  addressKey, type AvailabilityResult, type DraftLine, type InstallationAddress, type OrderDraft, validateOrderDraft,
} from '../../domain/order-validation';
import { addCalendarDays, calendarDaysBetween, osloDate } from '../../domain/time';
import { modifyDuplicateKey } from '../../domain/modify-order';
import { type LineInput, type LineView, type OrderStartInput, orderUpdates, type OrderView } from '../../workflows/order/messages';
import { newOrder, toOrderProjection } from '../../workflows/order/projection';
import type { orderWorkflow } from '../../workflows/order/workflow';
import { type QuoteLine, quoteUpdates, type QuoteView } from '../../workflows/quote/messages';
import { IsoDate } from '../dates';
import { resolveAttachments } from '../attachments';
import { assertCanOrder, requireAuth } from '../auth';
import { companyScope, findCaseFor, type Page, registerCase } from '../cases';
import type { AppDeps, AppEnv } from '../context';
import { createOnce, IdempotencyKeyHeader, noteCreation } from '../idempotency';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { HttpProblem, problems } from '../problem';
import { createRouter } from '../router';
import { actionNotAllowed, isWorkflowGone } from '../workflow-errors';
import {
  cancelViaServiceRequest, ContactInput, EndUserInput, findOrder, HeaderBody, LineBody, lineRowsOf, OrderLineSchema,
  OrderProblemSchema, OrderSchema, orderUpdateProblem, presentLine, presentOrder, productFacts, ReferencesInput, runLineAction, validationContext,
  AddressInput,
} from './order-support';

// ---- schemas -------------------------------------------------------------------------------

const CreateBody = HeaderBody.extend({
  lines: z.array(LineBody).max(60).optional().openapi({ description: 'Standard: one line; Project: up to 50 (O-9)' }),
}).openapi('CreateOrder');

const NumberParam = z.object({ number: z.string().regex(/^ORD-\d{6,}$/, 'an order number like ORD-000042').openapi({ param: { name: 'number', in: 'path' }, example: 'ORD-000042' }) });
const LineParams = NumberParam.extend({ lineNo: z.coerce.number().int().min(1).max(999).openapi({ param: { name: 'lineNo', in: 'path' }, example: 1 }) });

const SummarySchema = z.object({
  number: z.string(), companyId: z.string(), status: z.string(), orderType: z.string(), productCode: z.string().nullable(),
  customerOrderRef: z.string().nullable(), title: z.string(), createdAt: z.string(), updatedAt: z.string(), updatedBy: z.string(),
}).openapi('OrderSummary');
const SummaryPage = z.object({ items: z.array(SummarySchema), total: z.number().int(), offset: z.number().int(), limit: z.number().int() }).openapi('OrderPage');

const ValidationSchema = z.object({ valid: z.boolean(), problems: z.array(OrderProblemSchema) }).openapi('OrderValidation');

const CancellationQuote = z.object({
  lines: z.array(z.object({ number: z.string(), status: z.string(), cancellable: z.boolean(), feeOre: z.number().int().nullable(), reason: z.string().optional() })),
  totalOre: z.number().int().openapi({ description: 'C-3: what cancelling costs now, in øre' }),
}).openapi('CancellationQuote');

const CancelBody = z.strictObject({
  acceptedFeeOre: z.number().int().min(0).optional().openapi({ description: 'C-3: the charge shown by GET …/cancellation; required once submitted' }),
  reason: z.string().trim().min(1).max(1000).optional(),
});

const SlotBody = z.strictObject({ slotId: z.string().regex(/^[A-Z0-9]+-\d{4}-\d{2}-\d{2}-(0812|1216)$/, 'a slot id from GET …/slots') });

const AvailabilityBody = z.strictObject({
  phoneNumber: z.string().regex(/^\d{8}$/, '8 digits').optional(),
  circuitNumber: z.string().max(40).optional(),
  addressId: z.string().max(40).optional(),
}).refine((q) => [q.phoneNumber, q.circuitNumber, q.addressId].filter(Boolean).length <= 1, {
  message: 'give at most one of phoneNumber, circuitNumber, addressId (none: the line\'s register address)', path: ['phoneNumber'],
});

const CustomerUpdateBody = z.strictObject({
  comment: z.string().trim().min(1).max(2000).optional(),
  endUser: EndUserInput.optional(),
  address: AddressInput.optional(),
  contact: ContactInput.optional(),
  references: ReferencesInput.optional(),
  equipment: z.string().max(1000).optional(),
  requestedDate: IsoDate.optional(),
}).refine((b) => Object.keys(b).length > 0, { message: 'give the fixes and/or a comment (O-17)' });

/** O-11: a Kapaks time-out is retried this many times before the order may go to manual handling. */
const AVAILABILITY_ATTEMPTS = 3;

// ---- helpers -------------------------------------------------------------------------------

type SummaryRow = { number: string; company_id: string; status: string; refs: Record<string, string>; title: string; created_at: Date; updated_at: Date; updated_by: string };

async function listOrders(sql: Sql, f: { companyId?: string; status?: string; productCode?: string; q?: string; offset: number; limit: number }): Promise<Page<z.infer<typeof SummarySchema>>> {
  const conditions = [
    sql`case_type = 'order'`,
    f.companyId !== undefined ? sql`company_id = ${f.companyId}` : null,
    f.status ? sql`status = ${f.status}` : null,
    f.productCode ? sql`refs ->> 'productCode' = ${f.productCode}` : null,
    f.q ? sql`search_text LIKE ${'%' + f.q.toLowerCase().replace(/[%_\\]/g, (m) => '\\' + m) + '%'}` : null,
  ].filter((x): x is postgres.PendingQuery<postgres.Row[]> => x !== null);
  const where = conditions.reduce((acc, cond) => sql`${acc} AND ${cond}`);
  const [rows, [count]] = await Promise.all([
    sql<SummaryRow[]>`SELECT number, company_id, status, refs, title, created_at, updated_at, updated_by FROM cases WHERE ${where}
                      ORDER BY updated_at DESC, number LIMIT ${f.limit} OFFSET ${f.offset}`,
    sql<{ total: number }[]>`SELECT count(*)::int AS total FROM cases WHERE ${where}`,
  ]);
  return {
    items: rows.map((r) => ({
      number: r.number, companyId: r.company_id, status: r.status, orderType: r.refs.orderType ?? 'Standard', productCode: r.refs.productCode ?? null,
      customerOrderRef: r.refs.customerOrderRef ?? null, title: r.title, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(), updatedBy: r.updated_by,
    })),
    total: count?.total ?? 0, offset: f.offset, limit: f.limit,
  };
}

/** Register addresses carry their label, so the user sees what the id means. */
async function withLabel(deps: AppDeps, a: InstallationAddress | null | undefined): Promise<InstallationAddress | null | undefined> {
  if (!a?.addressId) return a;
  const reg = await deps.adapters.addresses.get(a.addressId);
  return reg ? { ...a, label: reg.label } : a;
}

async function toLineInput(deps: AppDeps, companyId: string, body: z.infer<typeof LineBody>, field: string): Promise<LineInput> {
  const out: LineInput = {};
  if (body.endUser !== undefined) out.endUser = body.endUser;
  if (body.address !== undefined) out.address = (await withLabel(deps, body.address)) ?? null;
  if (body.addressB !== undefined) out.addressB = (await withLabel(deps, body.addressB)) ?? null;
  if (body.attachmentIds !== undefined) out.attachments = await resolveAttachments(deps.sql, companyId, body.attachmentIds, `${field}.attachmentIds`);
  return out;
}

function emptyLine(lineNo: number, input: LineInput, extra: Partial<DraftLine> = {}): DraftLine {
  return {
    lineNo, endUser: input.endUser ?? null, address: input.address ?? null, addressB: input.addressB ?? null, attachments: input.attachments ?? [],
    lookup: null, availability: null, booking: null, quoteLine: null, price: null, status: 'New', ...extra,
  };
}

function headerOf(body: z.infer<typeof HeaderBody>): Omit<OrderDraft, 'lines'> {
  return {
    kind: 'new', orderType: body.orderType ?? 'Standard', productCode: body.productCode ?? null, speedMbps: body.speedMbps ?? null,
    equipment: body.equipment ?? null, requestedDate: body.requestedDate ?? null, contact: body.contact ?? {}, references: body.references ?? {},
  };
}

/** Creates an order (New) in one transaction with its read-model row, and starts its workflow. */
export async function createOrder(
  deps: AppDeps, tx: postgres.TransactionSql, c: Context<AppEnv>, draft: OrderDraft, beforeStart?: (number: string) => Promise<void>,
): Promise<OrderView> {
  const actor = c.get('actor');
  const companyId = c.get('user').companyId!;
  const [seq] = await tx<{ n: string }[]>`SELECT nextval('order_number_seq') AS n`;
  const number = caseNumber('order', Number(seq!.n), deps.config.caseNumberKey);
  // the quote line is marked first; if it refuses (ordered meanwhile), nothing is written
  if (beforeStart) await beforeStart(number);
  const input: OrderStartInput = {
    caseId: caseId('order', number), number, companyId, actor, createdAt: new Date().toISOString(), draft,
    timing: { autoCancelAfter: deps.config.timings.orderAutoCancel },
  };
  const view = newOrder(input);
  await registerCase<typeof orderWorkflow>(tx, deps, 'orderWorkflow', toOrderProjection(view), [input]);
  return view;
}

// ---- routes --------------------------------------------------------------------------------

export function orderRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  const secured = { security: [{ bearer: [] }], tags: ['Orders'] };
  const orderResponse = { 200: jsonResponse(OrderSchema, 'The order after the action'), ...problemResponses(400, 401, 403, 404, 409, 422, 503) };

  /** Runs an Update of the order workflow after the tenancy and access checks; answers the order. */
  async function orderAction<A>(c: Context<AppEnv>, number: string, action: string, run: (o: OrderView) => Promise<A>) {
    const user = c.get('user');
    assertCanOrder(user);
    const { row, order } = await findOrder(deps, user, number);
    c.set('audit', { caseId: row.case_id, companyId: row.company_id, action: `order.${action}` });
    try {
      await run(order);
    } catch (err) {
      if (err instanceof HttpProblem) throw err;
      const problem = orderUpdateProblem(err);
      if (problem) throw problem;
      if (isWorkflowGone(err)) throw actionNotAllowed({ status: row.status, action, rule: 'O-14', allowedActions: [], message: `${number} is ${row.status}: '${action}' is no longer possible` });
      throw err;
    }
    return c.json(await readOrder(c, number), 200);
  }

  async function readOrder(c: Context<AppEnv>, number: string) {
    const { order } = await findOrder(deps, c.get('user'), number);
    return presentOrder(order, await lineRowsOf(deps.sql, number), c.get('actor'));
  }

  const handleOf = (order: OrderView) => deps.temporal.workflow.getHandle(order.caseId);

  /** The draft must be New: a submitted order is changed through Reopen (C-1). */
  function requireDraft(order: OrderView, action: string) {
    if (order.phase !== 'draft') {
      throw actionNotAllowed({
        status: order.status, action, rule: order.phase === 'submitted' ? 'C-1' : 'O-14', allowedActions: [],
        message: `'${action}' needs the order in New: ${order.number} is ${order.status}${order.phase === 'submitted' ? '; Reopen it first (C-1)' : ''}`,
      });
    }
  }

  function draftLine(order: OrderView, lineNo: number): DraftLine {
    const line = order.lines.find((l) => l.lineNo === lineNo);
    if (!line) throw problems.notFound(`Line ${lineNo} of ${order.number}`);
    return line;
  }

  // -- create, list, read ------------------------------------------------------------------

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/', summary: 'Start an order (status New); anything may be left unfinished (G-2)',
    request: { headers: IdempotencyKeyHeader, body: jsonBody(CreateBody) },
    responses: { 201: jsonResponse(OrderSchema, 'Created'), ...problemResponses(400, 401, 403, 422) },
  }), async (c) => {
    const user = c.get('user');
    assertCanOrder(user);
    const body = c.req.valid('json');
    const companyId = user.companyId!;
    c.set('audit', { action: 'order.create', companyId });
    const lines: DraftLine[] = [];
    for (const [i, l] of (body.lines ?? [{}]).entries()) lines.push(emptyLine(i + 1, await toLineInput(deps, companyId, l, `body.lines.${i}`)));
    const result = await createOnce(deps, { userId: user.id, key: c.req.header('idempotency-key'), fingerprint: ['POST /v1/orders', body] }, async (tx) => {
      const view = await createOrder(deps, tx, c, { ...headerOf(body), lines });
      return { status: 201, body: presentOrder(view, [], c.get('actor')) };
    });
    const created = result.body as ReturnType<typeof presentOrder>;
    noteCreation(c, 'order.create', companyId, created, result.replayed);
    return c.json(created, 201);
  });

  router.openapi(createRoute({
    ...secured, method: 'get', path: '/', summary: 'List and search the company\'s orders',
    request: {
      query: z.object({
        status: z.enum(ORDER_STATUSES).optional(), productCode: z.string().max(40).optional(), q: z.string().max(100).optional(),
        companyId: z.string().optional().openapi({ description: 'Handlers only' }),
        offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(100).default(25),
      }),
    },
    responses: { 200: jsonResponse(SummaryPage, 'A page of orders'), ...problemResponses(400, 401) },
  }), async (c) => {
    const q = c.req.valid('query');
    return c.json(await listOrders(deps.sql, { ...q, companyId: companyScope(c.get('user'), q.companyId) }), 200);
  });

  router.openapi(createRoute({
    ...secured, method: 'get', path: '/{number}', summary: 'One order: the draft, every line\'s delivery status and the header summary (O-14…O-16)',
    request: { params: NumberParam },
    responses: { 200: jsonResponse(OrderSchema, 'The order'), ...problemResponses(401, 404) },
  }), async (c) => c.json(await readOrder(c, c.req.valid('param').number), 200));

  // -- the draft ---------------------------------------------------------------------------

  router.openapi(createRoute({
    ...secured, method: 'patch', path: '/{number}', summary: 'Change the order header while New (product, type, date, contact, references)',
    request: { params: NumberParam, body: jsonBody(HeaderBody) },
    responses: orderResponse,
  }), async (c) => {
    const { number } = c.req.valid('param');
    const body = c.req.valid('json');
    return orderAction(c, number, 'update', async (order) => {
      requireDraft(order, 'update');
      await handleOf(order).executeUpdate(orderUpdates.update, { args: [{ actor: c.get('actor'), header: body }] });
    });
  });

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/lines', summary: 'Add a line while New (a Project order has up to 50, O-9)',
    request: { params: NumberParam, body: jsonBody(LineBody) },
    responses: orderResponse,
  }), async (c) => {
    const { number } = c.req.valid('param');
    const body = c.req.valid('json');
    return orderAction(c, number, 'addLine', async (order) => {
      requireDraft(order, 'addLine');
      const line = await toLineInput(deps, order.companyId, body, 'body');
      await handleOf(order).executeUpdate(orderUpdates.update, { args: [{ actor: c.get('actor'), addLines: [line] }] });
    });
  });

  router.openapi(createRoute({
    ...secured, method: 'put', path: '/{number}/lines/{lineNo}', summary: 'Change a line while New: end user, address, attachments',
    request: { params: LineParams, body: jsonBody(LineBody) },
    responses: orderResponse,
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const body = c.req.valid('json');
    return orderAction(c, number, 'updateLine', async (order) => {
      requireDraft(order, 'updateLine');
      draftLine(order, lineNo);
      const line = await toLineInput(deps, order.companyId, body, 'body');
      await handleOf(order).executeUpdate(orderUpdates.update, { args: [{ actor: c.get('actor'), updateLines: [{ lineNo, ...line }] }] });
    });
  });

  router.openapi(createRoute({
    ...secured, method: 'delete', path: '/{number}/lines/{lineNo}', summary: 'Remove a line while New; a submitted line of a reopened order is cancelled (free while New, C-3)',
    request: { params: LineParams },
    responses: orderResponse,
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    return orderAction(c, number, 'removeLine', async (order) => {
      requireDraft(order, 'removeLine');
      draftLine(order, lineNo);
      await handleOf(order).executeUpdate(orderUpdates.update, { args: [{ actor: c.get('actor'), removeLines: [lineNo] }] });
    });
  });

  router.openapi(createRoute({
    ...secured, method: 'get', path: '/{number}/validation', summary: 'Every problem of the draft at once: field, rule, message (O-2…O-13, G-1)',
    request: { params: NumberParam },
    responses: { 200: jsonResponse(ValidationSchema, 'The validation'), ...problemResponses(401, 404, 503) },
  }), async (c) => {
    const { order } = await findOrder(deps, c.get('user'), c.req.valid('param').number);
    const found = validateOrderDraft(order, await validationContext(deps, order, order.companyId));
    return c.json({ valid: found.length === 0, problems: found }, 200);
  });

  // -- O-4: look-up by line number ------------------------------------------------------------

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/lines/{lineNo}/lookup', summary: 'Look the end user and address up by the existing line\'s number (O-4); confirm it next',
    request: { params: LineParams, body: jsonBody(z.strictObject({ lineNumber: z.string().trim().min(1).max(40).openapi({ description: 'Phone number (8 digits) or circuit number', example: '22766146' }) })) },
    responses: orderResponse,
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const { lineNumber } = c.req.valid('json');
    return orderAction(c, number, 'lookup', async (order) => {
      requireDraft(order, 'lookup');
      draftLine(order, lineNo);
      const product = await productFacts(deps, order.productCode);
      if (!product || !lookupAllowed(product.family, product.accessType)) {
        throw problems.unprocessable('lookup_not_available', 'Look-up by line number is for ADSL and shared operator access: choose the product first (O-4)', { rule: 'O-4' });
      }
      const q = /^[A-Za-z]{3}/.test(lineNumber) ? { circuitNumber: lineNumber } : { phoneNumber: lineNumber };
      const found = await deps.adapters.kapaks.lookupLine(q);
      await handleOf(order).executeUpdate(orderUpdates.recordLookup, {
        args: [{ actor: c.get('actor'), lineNo, lookup: { number: lineNumber, endUser: found.line.endUser, address: { addressId: found.address.id, label: found.address.label }, confirmed: false } }],
      });
    });
  });

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/lines/{lineNo}/lookup/confirm', summary: 'Confirm the looked-up end user and address: they fill the line (O-4)',
    request: { params: LineParams },
    responses: orderResponse,
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    return orderAction(c, number, 'confirmLookup', async (order) => {
      requireDraft(order, 'confirmLookup');
      draftLine(order, lineNo);
      await handleOf(order).executeUpdate(orderUpdates.confirmLookup, { args: [{ actor: c.get('actor'), lineNo }] });
    });
  });

  // -- O-10 / O-11: availability ------------------------------------------------------------

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/lines/{lineNo}/availability',
    summary: 'Availability check (O-10) by phone, circuit or address; time-outs are retried, then manual handling (O-11)',
    request: { params: LineParams, body: { ...jsonBody(AvailabilityBody), required: false } },
    responses: orderResponse,
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const body = (c.req.valid('json' as never) ?? {}) as z.infer<typeof AvailabilityBody>;
    return orderAction(c, number, 'availability', async (order) => {
      requireDraft(order, 'availability');
      const line = draftLine(order, lineNo);
      const product = await productFacts(deps, order.productCode);
      if (!product) throw problems.unprocessable('product_missing', 'Choose the product first: the check answers for a product (O-10)', { rule: 'O-10' });
      if ((UNCHECKED_FAMILIES as readonly string[]).includes(product.family)) {
        throw problems.unprocessable('availability_not_checked', `${product.name} is not checked in Kapaks (O-10)`, { rule: 'O-10' });
      }
      const query = body.phoneNumber ? { phoneNumber: body.phoneNumber } : body.circuitNumber ? { circuitNumber: body.circuitNumber }
        : { addressId: body.addressId ?? line.address?.addressId ?? '' };
      if ('addressId' in query && !query.addressId) {
        throw problems.validation([{ field: 'body.addressId', code: 'missing_property', rule: 'O-10', message: 'the line has no register address: give phoneNumber, circuitNumber or addressId' }]);
      }
      let candidates: AvailabilityLine[] = [];
      let outcome: AvailabilityResult['outcome'] = 'timeout';
      let attempts = 0;
      while (attempts < AVAILABILITY_ATTEMPTS) {
        attempts++;
        try {
          candidates = await deps.adapters.kapaks.check({ ...query, productCode: product.code });
          outcome = 'answered';
          break;
        } catch (err) {
          if (!(err instanceof AdapterTimeoutError)) throw err; // O-11 retries time-outs only
        }
      }
      const result: AvailabilityResult = { query, checkedAt: new Date().toISOString(), outcome, attempts, candidates, selectedLineId: null };
      await handleOf(order).executeUpdate(orderUpdates.recordAvailability, { args: [{ actor: c.get('actor'), lineNo, result }] });
    });
  });

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/lines/{lineNo}/availability/select', summary: 'Pick the line at the customer\'s address when the check found several (O-10)',
    request: { params: LineParams, body: jsonBody(z.strictObject({ lineId: z.string().min(1).max(40) })) },
    responses: orderResponse,
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const { lineId } = c.req.valid('json');
    return orderAction(c, number, 'selectLine', async (order) => {
      requireDraft(order, 'selectLine');
      draftLine(order, lineNo);
      await handleOf(order).executeUpdate(orderUpdates.selectAvailability, { args: [{ actor: c.get('actor'), lineNo, lineId }] });
    });
  });

  // -- O-12: technician booking -----------------------------------------------------------------

  router.openapi(createRoute({
    ...secured, method: 'get', path: '/{number}/lines/{lineNo}/slots', summary: 'Free technician slots at the line\'s address, from the earliest date the lead time allows (O-5, O-12)',
    request: { params: LineParams, query: z.object({ from: IsoDate.optional(), to: IsoDate.optional() }) },
    responses: { 200: jsonResponse(z.object({ earliestDate: z.string(), items: z.array(z.object({ slotId: z.string(), date: z.string(), window: z.string(), area: z.string() })) }), 'Free slots'), ...problemResponses(400, 401, 404, 422, 503) },
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const { order } = await findOrder(deps, c.get('user'), number);
    const line = draftLine(order, lineNo);
    const product = await productFacts(deps, order.productCode);
    const addressId = line.address?.addressId;
    if (!product || !addressId) throw problems.unprocessable('booking_not_ready', 'Choose the product and a register address for the line first (O-12)', { rule: 'O-12' });
    const earliest = addCalendarDays(osloDate(new Date()), product.leadTimeDays);
    const q = c.req.valid('query');
    const from = q.from && q.from > earliest ? q.from : earliest;
    const to = q.to ?? addCalendarDays(from, 28);
    return c.json({ earliestDate: earliest, items: await deps.adapters.appointments.slots({ addressId, from, to }) }, 200);
  });

  const slotOf = (slotId: string) => {
    const m = /^([A-Z0-9]+)-(\d{4}-\d{2}-\d{2})-(0812|1216)$/.exec(slotId)!;
    return { slotId, date: m[2]!, window: m[3] === '0812' ? '08-12' : '12-16', area: m[1]! };
  };

  async function bookingChecks(order: OrderView, slotId: string) {
    const product = await productFacts(deps, order.productCode);
    if (!product || !(BOOKABLE_FAMILIES as readonly string[]).includes(product.family)) {
      throw problems.unprocessable('booking_not_available', `${product?.name ?? 'This product'} is not booked by the user (O-12)`, { rule: 'O-12' });
    }
    const slot = slotOf(slotId);
    const earliest = addCalendarDays(osloDate(new Date()), product.leadTimeDays);
    if (calendarDaysBetween(earliest, slot.date) < 0) {
      throw problems.validation([{ field: 'body.slotId', code: 'rule_violation', rule: 'O-5', message: `${product.name} has a lead time of ${product.leadTimeDays} days: book ${earliest} or later` }]);
    }
    return slot;
  }

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/lines/{lineNo}/booking', summary: 'Book a technician (O-12): the booking confirms the delivery date',
    request: { params: LineParams, body: jsonBody(SlotBody) },
    responses: orderResponse,
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const { slotId } = c.req.valid('json');
    return orderAction(c, number, 'book', async (order) => {
      requireDraft(order, 'book');
      draftLine(order, lineNo);
      const slot = await bookingChecks(order, slotId);
      await handleOf(order).executeUpdate(orderUpdates.book, { args: [{ actor: c.get('actor'), lineNo, slot }] });
    });
  });

  router.openapi(createRoute({
    ...secured, method: 'put', path: '/{number}/lines/{lineNo}/booking', summary: 'Reschedule the booking (while the line is before Field Service, O-12)',
    request: { params: LineParams, body: jsonBody(SlotBody) },
    responses: orderResponse,
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const { slotId } = c.req.valid('json');
    return orderAction(c, number, 'reschedule', async (order) => {
      draftLine(order, lineNo);
      const slot = await bookingChecks(order, slotId);
      if (order.phase === 'draft') await handleOf(order).executeUpdate(orderUpdates.reschedule, { args: [{ actor: c.get('actor'), lineNo, slot }] });
      else await runLineAction(deps, c, orderLineNumber(number, lineNo), 'reschedule', { slot });
    });
  });

  router.openapi(createRoute({
    ...secured, method: 'delete', path: '/{number}/lines/{lineNo}/booking', summary: 'Cancel the booking (while the line is before Field Service, O-12)',
    request: { params: LineParams },
    responses: orderResponse,
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    return orderAction(c, number, 'cancelBooking', async (order) => {
      draftLine(order, lineNo);
      if (order.phase === 'draft') await handleOf(order).executeUpdate(orderUpdates.cancelBooking, { args: [{ actor: c.get('actor'), lineNo }] });
      else await runLineAction(deps, c, orderLineNumber(number, lineNo), 'cancelBooking', {});
    });
  });

  // -- submit, reopen ----------------------------------------------------------------------

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/submit', summary: 'Submit: the same validation as GET …/validation; each line then gets its own workflow',
    request: { params: NumberParam },
    responses: orderResponse,
  }), async (c) => {
    const { number } = c.req.valid('param');
    return orderAction(c, number, 'submit', async (order) => {
      requireDraft(order, 'submit');
      const ctx = await validationContext(deps, order, order.companyId);
      const found = validateOrderDraft(order, ctx);
      if (found.length > 0) {
        // the fields of the stored draft, named as in the create/update bodies (body.lines.0.endUser.name)
        throw problems.validation(found.map((p) => ({ field: `body.${p.field}`, code: 'rule_violation' as const, rule: p.rule, message: p.message })),
          'The order has problems; nothing was submitted (G-1). The same list as GET …/validation.');
      }
      const product = ctx.product!;
      const lines = [];
      for (const l of order.lines.filter((x) => !TERMINAL_LINE_STATUSES.includes(x.status))) {
        // O-19: a change order duplicates another open change order on the same product, never a new order
        const key = l.modification ? modifyDuplicateKey(order.companyId, l.modification.number)
          : duplicateKey(order.companyId, addressKey(l.address), product.code, order.speedMbps);
        // O-19: the same end-user address, product and service as another open order of the company
        const [dup] = await deps.sql<{ number: string }[]>`
          SELECT number FROM cases WHERE case_type = 'order_line' AND company_id = ${order.companyId} AND refs ->> 'duplicateKey' = ${key}
            AND refs ->> 'orderNumber' <> ${order.number} AND status = ANY(${OPEN_FOR_DUPLICATE as string[]}) ORDER BY created_at LIMIT 1`;
        lines.push({ lineNo: l.lineNo, duplicateOf: dup?.number ?? null, manualHandling: l.availability?.outcome === 'timeout', duplicateKey: key });
      }
      await handleOf(order).executeUpdate(orderUpdates.submit, { args: [{ actor: c.get('actor'), productName: product.name, productFamily: product.family, lines }] });
    });
  });

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/reopen', summary: 'Reopen a submitted order to change it (C-1); otherwise the answer points to a service request (C-2, C-5)',
    request: { params: NumberParam },
    responses: orderResponse,
  }), async (c) => {
    const { number } = c.req.valid('param');
    return orderAction(c, number, 'reopen', async (order) => {
      const lines = await lineRowsOf(deps.sql, number);
      const statuses = order.phase === 'submitted' ? lines.map((l) => l.status) : order.lines.map((l) => l.status);
      const d = reopenDecision(order.phase, statuses);
      if (!d.allowed) {
        throw problems.conflict('reopen_not_available', `Reopen is not available: ${d.reason}. Send a service request (area Delivery) for the change (C-2, C-5)`, {
          rule: 'C-1', currentStatus: presentOrder(order, lines, c.get('actor')).status, action: 'reopen', allowedActions: [],
          serviceRequest: { href: '/v1/service-requests', area: 'Delivery', reference: { kind: 'order', value: number } },
        });
      }
      await handleOf(order).executeUpdate(orderUpdates.reopen, { args: [{ actor: c.get('actor') }] });
    });
  });

  // -- C-3: cancellation with its charge ---------------------------------------------------------

  async function lineFee(view: LineView): Promise<{ cancellable: boolean; feeOre: number | null; reason?: string }> {
    if (CANCEL_VIA_SERVICE_REQUEST.includes(view.kind)) return { cancellable: false, feeOre: null, reason: 'cancel through a service request (C-6)' };
    if (!LINE_TRANSITIONS.cancel.from.includes(view.status)) return { cancellable: false, feeOre: null, reason: `a line in status ${view.status} cannot be cancelled` };
    if (view.status === 'Duplicate') return { cancellable: true, feeOre: 0 };
    return { cancellable: true, feeOre: await deps.adapters.prices.cancellationFee({ productCode: view.productCode, lineStatus: view.status }) };
  }

  router.openapi(createRoute({
    ...secured, method: 'get', path: '/{number}/cancellation', summary: 'What cancelling the whole order costs now, line by line (C-3)',
    request: { params: NumberParam },
    responses: { 200: jsonResponse(CancellationQuote, 'The charge'), ...problemResponses(401, 404, 503) },
  }), async (c) => {
    const { order } = await findOrder(deps, c.get('user'), c.req.valid('param').number);
    if (order.phase !== 'submitted') return c.json({ lines: [], totalOre: 0 }, 200);
    const out = [];
    for (const l of await lineRowsOf(deps.sql, order.number)) out.push({ number: l.number, status: l.status, ...(await lineFee(l)) });
    return c.json({ lines: out, totalOre: out.reduce((s, l) => s + (l.feeOre ?? 0), 0) }, 200);
  });

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/cancel', summary: 'Cancel the whole order (C-3): free while New; once submitted, with the charge the user accepted',
    request: { params: NumberParam, body: { ...jsonBody(CancelBody), required: false } },
    responses: orderResponse,
  }), async (c) => {
    const { number } = c.req.valid('param');
    const body = (c.req.valid('json' as never) ?? {}) as z.infer<typeof CancelBody>;
    return orderAction(c, number, 'cancel', async (order) => {
      if (order.phase === 'draft') {
        await handleOf(order).executeUpdate(orderUpdates.cancel, { args: [{ actor: c.get('actor'), ...(body.reason ? { reason: body.reason } : {}) }] });
        return;
      }
      if (order.phase === 'cancelled') throw actionNotAllowed({ status: 'Cancelled', action: 'cancel', rule: 'C-3', allowedActions: [], message: `${number} is already cancelled` });
      const lines = await lineRowsOf(deps.sql, number);
      const swap = lines.find((l) => CANCEL_VIA_SERVICE_REQUEST.includes(l.kind));
      if (swap) throw cancelViaServiceRequest(swap.number, swap.kind, swap.status);
      const fees = [];
      for (const l of lines) fees.push({ line: l, ...(await lineFee(l)) });
      const cancellable = fees.filter((f) => f.cancellable);
      if (cancellable.length === 0) throw actionNotAllowed({ status: presentOrder(order, lines, c.get('actor')).status, action: 'cancel', rule: 'C-3', allowedActions: [], message: `no line of ${number} can be cancelled` });
      const total = cancellable.reduce((s, f) => s + (f.feeOre ?? 0), 0);
      if (body.acceptedFeeOre === undefined) {
        throw problems.validation([{ field: 'body.acceptedFeeOre', code: 'missing_property', rule: 'C-3', message: `required: accept the cancellation charge of ${total} øre (GET …/cancellation)` }]);
      }
      if (body.acceptedFeeOre !== total) {
        throw problems.conflict('cancellation_fee_changed', `The charge is now ${total} øre, not ${body.acceptedFeeOre}: confirm the new charge (C-3)`, { rule: 'C-3', currentFeeOre: total });
      }
      for (const f of cancellable) {
        await runLineAction(deps, c, f.line.number, 'cancel', { fee: { feeOre: f.feeOre ?? 0, atStatus: f.line.status }, ...(body.reason ? { comment: body.reason } : {}) });
      }
      c.set('audit', { caseId: order.caseId, companyId: order.companyId, action: 'order.cancel', detail: { feeOre: total } });
    });
  });

  router.openapi(createRoute({
    ...secured, method: 'get', path: '/{number}/lines/{lineNo}/cancellation', summary: 'What cancelling this line costs now (C-3; grows with the line\'s progress)',
    request: { params: LineParams },
    responses: { 200: jsonResponse(CancellationQuote, 'The charge'), ...problemResponses(401, 404, 409, 503) },
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const { order } = await findOrder(deps, c.get('user'), number);
    draftLine(order, lineNo);
    const view = (await lineRowsOf(deps.sql, number)).find((l) => l.lineNo === lineNo);
    if (!view) return c.json({ lines: [], totalOre: 0 }, 200); // never submitted: removing it is free
    const fee = await lineFee(view);
    return c.json({ lines: [{ number: view.number, status: view.status, ...fee }], totalOre: fee.feeOre ?? 0 }, 200);
  });

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/lines/{lineNo}/cancel', summary: 'Cancel Line Item (C-3) with the charge the user accepted; C-6 kinds go through a service request',
    request: { params: LineParams, body: jsonBody(CancelBody) },
    responses: { 200: jsonResponse(OrderLineSchema, 'The line after cancelling'), ...problemResponses(400, 401, 403, 404, 409, 503) },
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const body = c.req.valid('json');
    assertCanOrder(c.get('user'));
    const lineNumber = orderLineNumber(number, lineNo);
    const { order } = await findOrder(deps, c.get('user'), number);
    draftLine(order, lineNo);
    const view = (await lineRowsOf(deps.sql, number)).find((l) => l.lineNo === lineNo);
    if (view && CANCEL_VIA_SERVICE_REQUEST.includes(view.kind)) throw cancelViaServiceRequest(lineNumber, view.kind, view.status);
    if (!view || order.phase !== 'submitted') {
      throw actionNotAllowed({ status: order.status, action: 'cancel', rule: 'C-3', allowedActions: [], message: `${lineNumber} is not submitted: remove the line or cancel the order instead` });
    }
    const fee = await lineFee(view);
    if (fee.cancellable && body.acceptedFeeOre === undefined) {
      throw problems.validation([{ field: 'body.acceptedFeeOre', code: 'missing_property', rule: 'C-3', message: `required: accept the cancellation charge of ${fee.feeOre} øre (GET …/cancellation)` }]);
    }
    if (fee.cancellable && body.acceptedFeeOre !== fee.feeOre) {
      throw problems.conflict('cancellation_fee_changed', `The charge is now ${fee.feeOre} øre, not ${body.acceptedFeeOre}: confirm the new charge (C-3)`, { rule: 'C-3', currentFeeOre: fee.feeOre });
    }
    const line = await runLineAction(deps, c, lineNumber, 'cancel', { fee: { feeOre: fee.feeOre ?? 0, atStatus: view.status as LineStatus }, ...(body.reason ? { comment: body.reason } : {}) });
    c.set('audit', { caseId: line.caseId, companyId: line.companyId, action: 'order_line.cancel', detail: { feeOre: fee.feeOre } });
    return c.json(line, 200);
  });

  // -- ordering from a quote ----------------------------------------------------------------

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/from-quote',
    summary: 'Order Line Item (one Completed quote line) or Order All Line Items (every Completed line of a Completed quote): one new order per line (Q-12)',
    request: {
      headers: IdempotencyKeyHeader,
      body: jsonBody(z.strictObject({
        quoteNumber: z.string().regex(/^Q-\d{6,}$/, 'a quote number like Q-000042'),
        lineNo: z.number().int().min(1).optional().openapi({ description: 'Order Line Item; leave out for Order All Line Items' }),
      })),
    },
    responses: { 201: jsonResponse(z.object({ orders: z.array(OrderSchema) }), 'The new orders (New), to complete and submit'), ...problemResponses(400, 401, 403, 404, 409) },
  }), async (c) => {
    const user = c.get('user');
    const actor = c.get('actor');
    assertCanOrder(user);
    const { quoteNumber, lineNo } = c.req.valid('json');
    const quoteRow = await findCaseFor(deps.sql, user, quoteNumber, 'quote');
    const quote = quoteRow.detail as QuoteView;
    c.set('audit', { caseId: quoteRow.case_id, companyId: quoteRow.company_id, action: lineNo ? 'order.fromQuoteLine' : 'order.fromQuote' });
    const refuse = (status: string, message: string) => actionNotAllowed({ status, action: lineNo ? 'orderLineItem' : 'orderAllLineItems', rule: 'Q-12', allowedActions: [], message });
    const today = osloDate(new Date());
    const orderable = (l: QuoteLine) => l.status === 'Completed' && l.orderedAs === null && (l.priceValidUntil === null || l.priceValidUntil >= today);
    let lines: QuoteLine[];
    if (lineNo !== undefined) {
      const l = quote.lines.find((x) => x.lineNo === lineNo);
      if (!l) throw problems.notFound(`Line ${lineNo} of ${quoteNumber}`);
      if (!orderable(l)) {
        throw refuse(l.status, l.orderedAs ? `line ${lineNo} was already ordered as ${l.orderedAs}` : l.status !== 'Completed'
          ? `line ${lineNo} is ${l.status}: only a Completed line may be ordered` : `the price of line ${lineNo} expired on ${l.priceValidUntil}`);
      }
      lines = [l];
    } else {
      if (quote.status !== 'Completed') throw refuse(quote.status, `${quoteNumber} is ${quote.status}: Order All Line Items needs the quote Completed`);
      lines = quote.lines.filter(orderable);
      if (lines.length === 0) throw refuse(quote.status, `${quoteNumber} has no Completed line left to order`);
    }
    const handle = deps.temporal.workflow.getHandle(quote.caseId);
    const key = c.req.header('idempotency-key');
    const orders = [];
    for (const ql of lines) {
      const draft: OrderDraft = {
        kind: 'new', orderType: 'Standard', productCode: ql.productCode, speedMbps: ql.speedMbps, equipment: null, requestedDate: null, contact: {}, references: {},
        lines: [emptyLine(1, {
          address: ql.addressA ? { addressId: ql.addressA.id, label: ql.addressA.label } : null,
          addressB: ql.addressB ? { addressId: ql.addressB.id, label: ql.addressB.label } : null,
          attachments: ql.attachments,
        }, { quoteLine: { quoteNumber, quoteCaseId: quote.caseId, lineNo: ql.lineNo }, price: ql.price })],
      };
      try {
        const result = await createOnce(deps, { userId: user.id, key: key ? `${key}#${ql.lineNo}` : undefined, fingerprint: ['POST /v1/orders/from-quote', quoteNumber, ql.lineNo] }, async (tx) => {
          const view = await createOrder(deps, tx, c, draft, async (number) => {
            await handle.executeUpdate(quoteUpdates.markOrdered, { args: [{ actor, lineNo: ql.lineNo, orderNumber: number }] });
          });
          return { status: 201, body: presentOrder(view, [], actor) };
        });
        orders.push(result.body as ReturnType<typeof presentOrder>);
      } catch (err) {
        const problem = orderUpdateProblem(err);
        if (problem) throw problem;
        throw err;
      }
    }
    return c.json({ orders }, 201);
  });

  // -- O-17: Customer Update ---------------------------------------------------------------------

  router.openapi(createRoute({
    ...secured, method: 'post', path: '/{number}/lines/{lineNo}/customer-update', summary: 'Fix an Incomplete line and set Customer Update (O-17; never a new order)',
    request: { params: LineParams, body: jsonBody(CustomerUpdateBody) },
    responses: { 200: jsonResponse(OrderLineSchema, 'The line after the update'), ...problemResponses(400, 401, 403, 404, 409) },
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const body = c.req.valid('json');
    assertCanOrder(c.get('user'));
    const lineNumber = orderLineNumber(number, lineNo);
    const view = (await lineRowsOf(deps.sql, number)).find((l) => l.lineNo === lineNo);
    const { comment, ...changes } = body;
    if (view && Object.keys(changes).length > 0) {
      // the fixes must themselves be valid (G-1): the same validation, on the fixed line
      const address = changes.address ? await withLabel(deps, changes.address) ?? undefined : undefined;
      const fixed: OrderDraft = {
        kind: view.kind, orderType: view.orderType, productCode: view.productCode, speedMbps: view.speedMbps, equipment: changes.equipment ?? view.equipment,
        requestedDate: changes.requestedDate ?? view.requestedDate, contact: changes.contact ?? view.contact, references: changes.references ?? view.references,
        lines: [{ ...view.line, endUser: changes.endUser ?? view.line.endUser, address: address ?? view.line.address, status: 'New' }],
      };
      const prefixes = Object.keys(changes).map((k) => (k === 'endUser' || k === 'address' ? `lines.0.${k}` : k));
      const found = validateOrderDraft(fixed, await validationContext(deps, fixed, view.companyId))
        .filter((p) => prefixes.some((pre) => p.field === pre || p.field.startsWith(`${pre}.`)));
      if (found.length > 0) {
        throw problems.validation(found.map((p) => ({ field: `body.${p.field.replace(/^lines\.0\./, '')}`, code: 'rule_violation' as const, rule: p.rule, message: p.message })));
      }
      if (address) changes.address = address;
    }
    const line = await runLineAction(deps, c, lineNumber, 'customerUpdate', {
      ...(comment ? { comment } : {}), changes: changes as NonNullable<Parameters<typeof runLineAction>[4]['changes']>,
    });
    return c.json(line, 200);
  });

  router.openapi(createRoute({
    ...secured, method: 'get', path: '/{number}/lines/{lineNo}', summary: 'One order line with its whole activity log (O-15, O-17)',
    request: { params: LineParams },
    responses: { 200: jsonResponse(OrderLineSchema, 'The line'), ...problemResponses(401, 404) },
  }), async (c) => {
    const { number, lineNo } = c.req.valid('param');
    const { order } = await findOrder(deps, c.get('user'), number);
    draftLine(order, lineNo);
    const view = (await lineRowsOf(deps.sql, number)).find((l) => l.lineNo === lineNo);
    if (!view) throw problems.notFound(`Order line ${orderLineNumber(number, lineNo)} (not submitted yet)`);
    return c.json(presentLine(view, c.get('actor')), 200);
  });

  return router;
}
