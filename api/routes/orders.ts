// Orders through the API (rules O-1…O-20, C-1…C-6, Q-12): a reseller starts an order (New),
// fills it in and saves it unfinished, validates it, looks up, checks availability, books a
// technician, submits; then follows, fixes (Customer Update) and reopens it. Cancelling is in
// order-cancel.ts, ordering from a quote in order-from-quote.ts, the handler's side in
// handler-orders.ts. Every route under /{number} sees the order through the one tenancy-scoped
// loader first (scopeCaseParam): another company's order answers exactly as a missing one.
import { createRoute, z } from '@hono/zod-openapi';
import type { UpdateDefinition } from '@temporalio/common';
import type { Context } from 'hono';
import type postgres from 'postgres';
import { normaliseNumber } from '../../adapters/lines';
import type { CaseRow } from '../../db/cases';
import { caseId, caseNumber } from '../../domain/case';
import { BOOKABLE_FAMILIES, lookupAllowed, orderLineNumber, reopenDecision, UNCHECKED_FAMILIES } from '../../domain/order';
import { decideOrderAction, type OrderDecisionAction, type OrderDecisionInput } from '../../domain/order-decisions';
import { type DraftLine, type LookupResult, type OrderDraft, orderDraftWarnings, validateOrderDraft } from '../../domain/order-validation';
import { addCalendarDays, calendarDaysBetween, osloDate } from '../../domain/time';
import { type LineInput, type LineView, type OrderStartInput, orderUpdates, type OrderView } from '../../workflows/order/messages';
import { newOrder, toOrderProjection } from '../../workflows/order/projection';
import type { orderWorkflow } from '../../workflows/order/workflow';
import { IsoDate } from '../dates';
import { resolveAttachments } from '../attachments';
import { assertCanOrder, requireAuth } from '../auth';
import { registerCase } from '../cases';
import type { AppDeps, AppEnv } from '../context';
import { createOnce, IdempotencyKeyHeader, noteCreation } from '../idempotency';
import { loadCase, scopeCaseParam } from '../kit/load-case';
import { callerScope } from '../kit/page';
import { isFreeSlotAt } from '../kit/slots';
import { isResend, runAction } from '../kit/run-action';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { HttpProblem, problems } from '../problem';
import { createRouter } from '../router';
import { RelatedServiceRequest } from '../follow-up';
import { orderServiceRequests, registerOrderFollowUpRoutes } from './case-follow-up';
import { registerOrderCancelRoutes } from './order-cancel';
import { listOrders, OrderListQuery, OrderSummaryPage } from './order-lists';
import { registerOrderFromQuoteRoute } from './order-from-quote';
import { registerOrderNumberRoutes } from './order-numbers';
import {
  AddressInput,
  ContactInput,
  draftLine,
  emptyLine,
  EndUserInput,
  HeaderBody,
  LineBody,
  LineParams,
  lineRowsOf,
  NumberParam,
  ORDER_NUMBER,
  OrderLineSchema,
  OrderProblemSchema,
  OrderSchema,
  orderTiming,
  presentLine,
  presentOrder,
  presentOrderRow,
  productFacts,
  ReferencesInput,
  refuseAnotherProvidersLine,
  runLineAction,
  validationContext,
  withLabel,
} from './order-support';

// ---- schemas -------------------------------------------------------------------------------

const CreateBody = HeaderBody.extend({
  lines: z.array(LineBody).max(60).optional().openapi({ description: 'Standard: one line; Project: up to 50 (O-9)' }),
}).openapi('CreateOrder');

/** S-6: the order's view lists the service requests that refer to it. */
const OrderWithServiceRequests = OrderSchema.extend({
  serviceRequests: z.array(RelatedServiceRequest).openapi({ description: 'S-6: service requests about the order or one of its lines, newest first' }),
}).openapi('OrderWithServiceRequests');

const ValidationSchema = z
  .object({
    valid: z.boolean(),
    problems: z.array(OrderProblemSchema),
    warnings: z.array(OrderProblemSchema).openapi({ description: 'O-8: hints that refuse nothing (references that look mixed up)' }),
  })
  .openapi('OrderValidation');

const SlotBody = z.strictObject({ slotId: z.string().regex(/^[A-Z0-9]+-\d{4}-\d{2}-\d{2}-(0812|1216)$/, 'a slot id from GET …/slots') });

const AvailabilityBody = z
  .strictObject({
    phoneNumber: z
      .string()
      .regex(/^\d{8}$/, '8 digits')
      .optional(),
    circuitNumber: z.string().max(40).optional(),
    addressId: z.string().max(40).optional(),
  })
  .refine((q) => [q.phoneNumber, q.circuitNumber, q.addressId].filter(Boolean).length <= 1, {
    message: "give at most one of phoneNumber, circuitNumber, addressId (none: the line's register address)",
    path: ['phoneNumber'],
  });

const CustomerUpdateBody = z
  .strictObject({
    comment: z.string().trim().min(1).max(2000).optional(),
    endUser: EndUserInput.optional(),
    address: AddressInput.optional(),
    contact: ContactInput.optional(),
    references: ReferencesInput.optional(),
    equipment: z.string().max(1000).optional(),
    requestedDate: IsoDate.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give the fixes and/or a comment (O-17)' });

// ---- helpers -------------------------------------------------------------------------------

async function toLineInput(deps: AppDeps, companyId: string, body: z.infer<typeof LineBody>, field: string): Promise<LineInput> {
  const out: LineInput = {};
  if (body.endUser !== undefined) out.endUser = body.endUser;
  if (body.address !== undefined) out.address = (await withLabel(deps, body.address)) ?? null;
  if (body.addressB !== undefined) out.addressB = (await withLabel(deps, body.addressB)) ?? null;
  if (body.attachmentIds !== undefined) out.attachments = await resolveAttachments(deps.sql, companyId, body.attachmentIds, `${field}.attachmentIds`);
  return out;
}

function headerOf(body: z.infer<typeof HeaderBody>): Omit<OrderDraft, 'lines'> {
  return {
    kind: 'new',
    orderType: body.orderType ?? 'Standard',
    productCode: body.productCode ?? null,
    speedMbps: body.speedMbps ?? null,
    equipment: body.equipment ?? null,
    requestedDate: body.requestedDate ?? null,
    contact: body.contact ?? {},
    references: body.references ?? {},
  };
}

/** Creates an order (New) in the caller's transaction: its read-model row and its workflow start (sent after the commit). */
export async function createOrder(deps: AppDeps, tx: postgres.TransactionSql, c: Context<AppEnv>, draft: OrderDraft): Promise<OrderView> {
  const [seq] = await tx<{ n: string }[]>`SELECT nextval('order_number_seq') AS n`;
  const number = caseNumber('order', Number(seq!.n), deps.config.caseNumberKey);
  const input: OrderStartInput = {
    caseId: caseId('order', number),
    number,
    companyId: c.get('user').companyId!,
    actor: c.get('actor'),
    createdAt: new Date().toISOString(),
    draft,
    timing: orderTiming(deps),
  };
  const view = newOrder(input);
  await registerCase<typeof orderWorkflow>(tx, deps, 'orderWorkflow', toOrderProjection(view), [input]);
  return view;
}

/** C-1 / C-2 / C-5: Reopen refused: the answer points to a service request. */
function reopenRefused(number: string, status: string, message: string) {
  return problems.conflict('reopen_not_available', message, {
    rule: 'C-1',
    currentStatus: status,
    action: 'reopen',
    allowedActions: [],
    serviceRequest: { href: '/v1/service-requests', area: 'Delivery', reference: { kind: 'order', value: number } },
  });
}

// ---- routes --------------------------------------------------------------------------------

export function orderRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  scopeCaseParam(router, 'order', ORDER_NUMBER, deps.sql);
  const secured = { security: [{ bearer: [] }], tags: ['Orders'] };
  const orderResponse = { 200: jsonResponse(OrderSchema, 'The order after the action'), ...problemResponses(400, 401, 403, 404, 409, 422, 503) };

  /** One action on the order: the domain's decision on the read model, one Update, the order as it is after. */
  async function orderAction<I>(c: Context<AppEnv>, action: OrderDecisionAction, update: UpdateDefinition<unknown, [I]>, input: I, decision: OrderDecisionInput = {}) {
    const row = c.get('caseRow');
    const after = await runAction(deps, c, { row, action, update, input, check: (view: OrderView) => decideOrderAction(view, action, decision) });
    return c.json(await presentOrderRow(deps, c, after), 200);
  }
  /** The order, for an action: the caller may order and the precheck passes, before any look-up elsewhere. */
  async function orderFor(c: Context<AppEnv>, action: OrderDecisionAction, decision: OrderDecisionInput = {}): Promise<OrderView> {
    assertCanOrder(c.get('user'));
    const order = c.get('caseRow').detail as OrderView;
    // a resend is not prechecked: runAction answers it with its first attempt's outcome
    if (await isResend(deps.sql, c, c.get('caseRow').case_id)) return order;
    const refusal = decideOrderAction(order, action, decision);
    if (refusal) throw problemOf(refusal);
    return order;
  }
  const problemOf = (r: NonNullable<ReturnType<typeof decideOrderAction>>) =>
    r.kind === 'invalid'
      ? problems.validation(r.problems.map((p) => ({ field: `body.${p.field}`, code: 'rule_violation' as const, rule: p.rule, message: p.message })))
      : problems.conflict('action_not_allowed', r.message, { rule: r.rule, currentStatus: r.status, action: r.action, allowedActions: r.allowedActions });

  // -- create, list, read ------------------------------------------------------------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/',
      summary: 'Start an order (status New); anything may be left unfinished (G-2)',
      request: { headers: IdempotencyKeyHeader, body: jsonBody(CreateBody) },
      responses: { 201: jsonResponse(OrderSchema, 'Created'), ...problemResponses(400, 401, 403, 422) },
    }),
    async (c) => {
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
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/',
      summary: "List and search the company's orders",
      request: { query: OrderListQuery },
      responses: { 200: jsonResponse(OrderSummaryPage, "A page of orders with each line's status, letter, Customer Order Id and dates (O-14, O-15)"), ...problemResponses(400, 401, 403) },
    }),
    async (c) => c.json(await listOrders(deps.sql, c.get('user'), c.req.valid('query'), callerScope(deps.config, c.get('user'))), 200),
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}',
      summary: "One order: the draft, every line's delivery status and the header summary (O-14…O-16)",
      request: { params: NumberParam },
      responses: { 200: jsonResponse(OrderWithServiceRequests, 'The order'), ...problemResponses(401, 404) },
    }),
    async (c) => {
      const row = c.get('caseRow');
      const [order, serviceRequests] = await Promise.all([presentOrderRow(deps, c, row), orderServiceRequests(deps.sql, row)]);
      return c.json({ ...order, serviceRequests }, 200);
    },
  );

  // -- the draft ---------------------------------------------------------------------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'patch',
      path: '/{number}',
      summary: 'Change the order header while New (product, type, date, contact, references)',
      request: { params: NumberParam, body: jsonBody(HeaderBody) },
      responses: orderResponse,
    }),
    async (c) => {
      await orderFor(c, 'update');
      return orderAction(c, 'update', orderUpdates.update, { actor: c.get('actor'), header: c.req.valid('json') });
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/lines',
      summary: 'Add a line while New (a Project order has up to 50, O-9)',
      request: { params: NumberParam, body: jsonBody(LineBody) },
      responses: orderResponse,
    }),
    async (c) => {
      const order = await orderFor(c, 'addLine', { addLines: 1 });
      const line = await toLineInput(deps, order.companyId, c.req.valid('json'), 'body');
      return orderAction(c, 'addLine', orderUpdates.update, { actor: c.get('actor'), addLines: [line] }, { addLines: 1 });
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'put',
      path: '/{number}/lines/{lineNo}',
      summary: 'Change a line while New: end user, address, attachments',
      request: { params: LineParams, body: jsonBody(LineBody) },
      responses: orderResponse,
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      const order = await orderFor(c, 'updateLine');
      draftLine(order, lineNo);
      const line = await toLineInput(deps, order.companyId, c.req.valid('json'), 'body');
      const updateLines = [{ lineNo, ...line }];
      return orderAction(c, 'updateLine', orderUpdates.update, { actor: c.get('actor'), updateLines }, { updateLines });
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'delete',
      path: '/{number}/lines/{lineNo}',
      summary: 'Remove a line while New; a submitted line of a reopened order is cancelled (free while New, C-3)',
      request: { params: LineParams },
      responses: orderResponse,
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      draftLine(await orderFor(c, 'removeLine'), lineNo);
      return orderAction(c, 'removeLine', orderUpdates.update, { actor: c.get('actor'), removeLines: [lineNo] }, { removeLines: [lineNo] });
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}/validation',
      summary: 'Every problem of the draft at once: field, rule, message (O-2…O-13, G-1)',
      request: { params: NumberParam },
      responses: { 200: jsonResponse(ValidationSchema, 'The validation'), ...problemResponses(401, 404, 503) },
    }),
    async (c) => {
      const order = c.get('caseRow').detail as OrderView;
      const found = validateOrderDraft(order, await validationContext(deps, order, order.companyId));
      return c.json({ valid: found.length === 0, problems: found, warnings: orderDraftWarnings(order) }, 200);
    },
  );

  // -- O-4: look-up by line number ------------------------------------------------------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/lines/{lineNo}/lookup',
      summary: "Look the end user and address up by the existing line's number (O-4); confirm it next. Another provider's line names no end user: it points to switch-ISP (I-1)",
      request: {
        params: LineParams,
        body: jsonBody(z.strictObject({ lineNumber: z.string().trim().min(1).max(40).openapi({ description: 'Phone number (8 digits) or circuit number', example: '22766146' }) })),
      },
      responses: orderResponse,
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      const { lineNumber } = c.req.valid('json');
      const order = await orderFor(c, 'lookup', { lineNo });
      const product = await productFacts(deps, order.productCode);
      if (!product || !lookupAllowed(product.family, product.accessType)) {
        throw problems.unprocessable('lookup_not_available', 'Look-up by line number is for ADSL and shared operator access: choose the product first (O-4)', { rule: 'O-4' });
      }
      const number = normaliseNumber(lineNumber);
      await refuseAnotherProvidersLine(deps.sql, number, order.companyId);
      const found = await deps.adapters.kapaks.lookupLine(/^[A-Za-z]{3}/.test(lineNumber) ? { circuitNumber: lineNumber } : { phoneNumber: lineNumber });
      const e = found.line.endUser;
      // O-4: never a date of birth in a look-up (the user confirms the person and gives it)
      const endUser: LookupResult['endUser'] = e.kind === 'company' ? { kind: 'company', name: e.name, orgNumber: e.orgNumber } : { kind: 'person', name: e.name };
      const lookup: LookupResult = { number: lineNumber, endUser, address: { addressId: found.address.id, label: found.address.label }, confirmed: false };
      return orderAction(c, 'lookup', orderUpdates.recordLookup, { actor: c.get('actor'), lineNo, lookup }, { lineNo });
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/lines/{lineNo}/lookup/confirm',
      summary: "Confirm the looked-up end user and address: they fill the line (O-4); a person's date of birth is the user's to give",
      request: { params: LineParams },
      responses: orderResponse,
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      draftLine(await orderFor(c, 'confirmLookup', { lineNo }), lineNo);
      return orderAction(c, 'confirmLookup', orderUpdates.confirmLookup, { actor: c.get('actor'), lineNo }, { lineNo });
    },
  );

  // -- O-10 / O-11: availability ------------------------------------------------------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/lines/{lineNo}/availability',
      summary: 'Availability check (O-10) by phone, circuit or address; the order workflow tries a time-out three times, then manual handling (O-11)',
      request: { params: LineParams, body: { ...jsonBody(AvailabilityBody), required: false } },
      responses: orderResponse,
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      const body = (c.req.valid('json' as never) ?? {}) as z.infer<typeof AvailabilityBody>;
      const order = await orderFor(c, 'availability', { lineNo });
      const line = draftLine(order, lineNo);
      const product = await productFacts(deps, order.productCode);
      if (!product) throw problems.unprocessable('product_missing', 'Choose the product first: the check answers for a product (O-10)', { rule: 'O-10' });
      if ((UNCHECKED_FAMILIES as readonly string[]).includes(product.family)) {
        throw problems.unprocessable('availability_not_checked', `${product.name} is not checked in Kapaks (O-10)`, { rule: 'O-10' });
      }
      const query = body.phoneNumber ? { phoneNumber: body.phoneNumber } : body.circuitNumber ? { circuitNumber: body.circuitNumber } : { addressId: body.addressId ?? line.address?.addressId ?? '' };
      if ('addressId' in query && !query.addressId) {
        throw problems.validation([{ field: 'body.addressId', code: 'missing_property', rule: 'O-10', message: 'the line has no register address: give phoneNumber, circuitNumber or addressId' }]);
      }
      const number = body.phoneNumber ?? body.circuitNumber;
      if (number) await refuseAnotherProvidersLine(deps.sql, number, order.companyId);
      return orderAction(c, 'availability', orderUpdates.checkAvailability, { actor: c.get('actor'), lineNo, productCode: product.code, query }, { lineNo });
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/lines/{lineNo}/availability/select',
      summary: "Pick the line at the customer's address when the check found several (O-10)",
      request: { params: LineParams, body: jsonBody(z.strictObject({ lineId: z.string().min(1).max(40) })) },
      responses: orderResponse,
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      const { lineId } = c.req.valid('json');
      draftLine(await orderFor(c, 'selectLine', { lineNo, lineId }), lineNo);
      return orderAction(c, 'selectLine', orderUpdates.selectAvailability, { actor: c.get('actor'), lineNo, lineId }, { lineNo, lineId });
    },
  );

  // -- O-12: technician booking -----------------------------------------------------------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}/lines/{lineNo}/slots',
      summary: "Free technician slots at the line's address, from the earliest date the lead time allows (O-5, O-12)",
      request: { params: LineParams, query: z.object({ from: IsoDate.optional(), to: IsoDate.optional() }) },
      responses: {
        200: jsonResponse(z.object({ earliestDate: z.string(), items: z.array(z.object({ slotId: z.string(), date: z.string(), window: z.string(), area: z.string() })) }), 'Free slots'),
        ...problemResponses(400, 401, 404, 422, 503),
      },
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      const order = c.get('caseRow').detail as OrderView;
      const line = draftLine(order, lineNo);
      const product = await productFacts(deps, order.productCode);
      const addressId = line.address?.addressId;
      if (!product || !addressId) throw problems.unprocessable('booking_not_ready', 'Choose the product and a register address for the line first (O-12)', { rule: 'O-12' });
      const earliest = addCalendarDays(osloDate(new Date()), product.leadTimeDays);
      const q = c.req.valid('query');
      const from = q.from && q.from > earliest ? q.from : earliest;
      const to = q.to ?? addCalendarDays(from, 28);
      return c.json({ earliestDate: earliest, items: await deps.adapters.appointments.slots({ addressId, from, to }) }, 200);
    },
  );

  const slotOf = (slotId: string) => {
    const m = /^([A-Z0-9]+)-(\d{4}-\d{2}-\d{2})-(0812|1216)$/.exec(slotId)!;
    return { slotId, date: m[2]!, window: m[3] === '0812' ? '08-12' : '12-16', area: m[1]! };
  };

  async function bookingChecks(order: OrderView, lineNo: number, slotId: string) {
    const product = await productFacts(deps, order.productCode);
    if (!product || !(BOOKABLE_FAMILIES as readonly string[]).includes(product.family)) {
      throw problems.unprocessable('booking_not_available', `${product?.name ?? 'This product'} is not booked by the user (O-12)`, { rule: 'O-12' });
    }
    const slot = slotOf(slotId);
    const earliest = addCalendarDays(osloDate(new Date()), product.leadTimeDays);
    if (calendarDaysBetween(earliest, slot.date) < 0) {
      throw problems.validation([{ field: 'body.slotId', code: 'rule_violation', rule: 'O-5', message: `${product.name} has a lead time of ${product.leadTimeDays} days: book ${earliest} or later` }]);
    }
    // only a free slot at the line's address (its own booking's slot counts: a resent request)
    const line = draftLine(order, lineNo);
    if (line.booking?.slotId !== slotId && (!line.address?.addressId || !(await isFreeSlotAt(deps.adapters, line.address.addressId, slotId)))) {
      // 422 as when the appointment system finds the slot full: the next free slot may be taken
      const message = `slot ${slotId} is not a free technician slot at the line's address: choose one from its slots`;
      throw problems.unprocessable('slot_not_free', message, { rule: 'O-12', errors: [{ field: 'body.slotId', code: 'rule_violation', rule: 'O-12', message }] });
    }
    return slot;
  }

  /** A submitted line holds its booking: the line's own action, on the line's row (the order's tenancy already checked). */
  async function submittedLineAction(c: Context<AppEnv>, order: OrderView, lineNo: number, action: 'reschedule' | 'cancelBooking', input: { slot?: ReturnType<typeof slotOf> }) {
    assertCanOrder(c.get('user'));
    const row = await loadCase(deps.sql, c.get('user'), orderLineNumber(order.number, lineNo), 'order_line');
    await runLineAction(deps, c, row, action, input);
    return c.json(await presentOrderRow(deps, c, await loadCase(deps.sql, c.get('user'), order.number, 'order')), 200);
  }

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/lines/{lineNo}/booking',
      summary: 'Book a technician (O-12): the booking confirms the delivery date',
      request: { params: LineParams, body: jsonBody(SlotBody) },
      responses: orderResponse,
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      const order = await orderFor(c, 'book', { lineNo });
      const slot = await bookingChecks(order, lineNo, c.req.valid('json').slotId);
      return orderAction(c, 'book', orderUpdates.book, { actor: c.get('actor'), lineNo, slot }, { lineNo });
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'put',
      path: '/{number}/lines/{lineNo}/booking',
      summary: 'Reschedule the booking (while the line is before Field Service, O-12)',
      request: { params: LineParams, body: jsonBody(SlotBody) },
      responses: orderResponse,
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      assertCanOrder(c.get('user'));
      const order = c.get('caseRow').detail as OrderView;
      draftLine(order, lineNo);
      const slot = await bookingChecks(order, lineNo, c.req.valid('json').slotId);
      if (order.phase !== 'draft') return submittedLineAction(c, order, lineNo, 'reschedule', { slot });
      return orderAction(c, 'reschedule', orderUpdates.reschedule, { actor: c.get('actor'), lineNo, slot }, { lineNo });
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'delete',
      path: '/{number}/lines/{lineNo}/booking',
      summary: 'Cancel the booking (while the line is before Field Service, O-12)',
      request: { params: LineParams },
      responses: orderResponse,
    }),
    async (c) => {
      const { lineNo } = c.req.valid('param');
      assertCanOrder(c.get('user'));
      const order = c.get('caseRow').detail as OrderView;
      draftLine(order, lineNo);
      if (order.phase !== 'draft') return submittedLineAction(c, order, lineNo, 'cancelBooking', {});
      return orderAction(c, 'cancelBooking', orderUpdates.cancelBooking, { actor: c.get('actor'), lineNo }, { lineNo });
    },
  );

  // -- submit, reopen ----------------------------------------------------------------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/submit',
      summary: 'Submit: the same validation as GET …/validation; each line then gets its own workflow (O-19 is checked by the order workflow)',
      request: { params: NumberParam },
      responses: orderResponse,
    }),
    async (c) => {
      const order = await orderFor(c, 'submit');
      const ctx = await validationContext(deps, order, order.companyId);
      // a resend is not validated either: its first attempt may have submitted the draft
      const found = (await isResend(deps.sql, c, c.get('caseRow').case_id)) ? [] : validateOrderDraft(order, ctx);
      if (found.length > 0) {
        // the fields of the stored draft, named as in the create/update bodies (body.lines.0.endUser.name)
        throw problems.validation(
          found.map((p) => ({ field: `body.${p.field}`, code: 'rule_violation' as const, rule: p.rule, message: p.message })),
          'The order has problems; nothing was submitted (G-1). The same list as GET …/validation.',
        );
      }
      const product = ctx.product!;
      return orderAction(c, 'submit', orderUpdates.submit, { actor: c.get('actor'), productName: product.name, productFamily: product.family });
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/reopen',
      summary: 'Reopen a submitted order to change it (C-1): every line back to New, or none; otherwise the answer points to a service request (C-2, C-5)',
      request: { params: NumberParam },
      responses: orderResponse,
    }),
    async (c) => {
      assertCanOrder(c.get('user'));
      const row = c.get('caseRow');
      const order = row.detail as OrderView;
      const lines = await lineRowsOf(deps.sql, order.number);
      const current = presentOrder(order, lines, c.get('actor'));
      const d = reopenDecision(order.phase, order.phase === 'submitted' ? lines.map((l) => l.status) : order.lines.map((l) => l.status));
      if (!d.allowed) throw reopenRefused(order.number, current.status, `Reopen is not available: ${d.reason}. Send a service request (area Delivery) for the change (C-2, C-5)`);
      try {
        return await orderAction(c, 'reopen', orderUpdates.reopen, { actor: c.get('actor') });
      } catch (err) {
        // the workflow's answer under a race (a line reached Field Service meanwhile) reads the same
        if (err instanceof HttpProblem && err.extra.rule === 'C-1') throw reopenRefused(order.number, String(err.extra.currentStatus ?? current.status), err.extra.detail ?? err.message);
        throw err;
      }
    },
  );

  registerOrderCancelRoutes(router, deps);
  registerOrderFromQuoteRoute(router, deps);
  registerOrderNumberRoutes(router, deps);
  registerOrderFollowUpRoutes(router, deps); // issue 15: timeline, service requests (S-6)

  // -- O-17: Customer Update ---------------------------------------------------------------------

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/lines/{lineNo}/customer-update',
      summary: 'Fix an Incomplete line and set Customer Update (O-17; never a new order)',
      request: { params: LineParams, body: jsonBody(CustomerUpdateBody) },
      responses: { 200: jsonResponse(OrderLineSchema, 'The line after the update'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { number, lineNo } = c.req.valid('param');
      const body = c.req.valid('json');
      assertCanOrder(c.get('user'));
      // the order's tenancy was checked by the loader; the line is loaded the same way
      const row = await loadCase(deps.sql, c.get('user'), orderLineNumber(number, lineNo), 'order_line');
      const view = row.detail as LineView;
      const { comment, ...changes } = body;
      if (Object.keys(changes).length > 0) {
        // the fixes must themselves be valid (G-1): the same validation, on the fixed line
        const address = changes.address ? ((await withLabel(deps, changes.address)) ?? undefined) : undefined;
        const fixed: OrderDraft = {
          kind: view.kind,
          orderType: view.orderType,
          productCode: view.productCode,
          speedMbps: view.speedMbps,
          equipment: changes.equipment ?? view.equipment,
          requestedDate: changes.requestedDate ?? view.requestedDate,
          contact: changes.contact ?? view.contact,
          references: changes.references ?? view.references,
          lines: [{ ...view.line, endUser: changes.endUser ?? view.line.endUser, address: address ?? view.line.address, status: 'New' }],
        };
        const prefixes = Object.keys(changes).map((k) => (k === 'endUser' || k === 'address' ? `lines.0.${k}` : k));
        const found = validateOrderDraft(fixed, await validationContext(deps, fixed, view.companyId)).filter((p) => prefixes.some((pre) => p.field === pre || p.field.startsWith(`${pre}.`)));
        if (found.length > 0) {
          throw problems.validation(found.map((p) => ({ field: `body.${p.field.replace(/^lines\.0\./, '')}`, code: 'rule_violation' as const, rule: p.rule, message: p.message })));
        }
        if (address) changes.address = address;
      }
      return c.json(await runLineAction(deps, c, row, 'customerUpdate', { ...(comment ? { comment } : {}), changes }), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}/lines/{lineNo}',
      summary: 'One order line with its whole activity log (O-15, O-17)',
      request: { params: LineParams },
      responses: { 200: jsonResponse(OrderLineSchema, 'The line'), ...problemResponses(401, 404) },
    }),
    async (c) => {
      const { number, lineNo } = c.req.valid('param');
      draftLine(c.get('caseRow').detail as OrderView, lineNo);
      const [row] = await deps.sql<CaseRow[]>`SELECT * FROM cases WHERE case_type = 'order_line' AND number = ${orderLineNumber(number, lineNo)}`;
      if (!row) throw problems.notFound(`Order line ${orderLineNumber(number, lineNo)} (not submitted yet)`);
      return c.json(presentLine(row.detail as LineView, c.get('actor')), 200);
    },
  );

  return router;
}
