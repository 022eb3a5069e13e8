// Trouble tickets through the API (M-2): the pre-check (line test, open tickets, operational messages),
// raising a ticket against a portfolio product, the customer's actions and the ticket with its repair
// clock and service requests. Handlers work tickets from their queue (handler-trouble-tickets.ts).
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type postgres from 'postgres';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError } from '../../adapters/faults';
import { normaliseNumber } from '../../adapters/lines';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import { type CaseRow, isOpenKeyConflict } from '../../db/cases';
import type { Queryable, Sql } from '../../db/client';
import { messagesInForce } from '../../db/operational-messages';
import { companyEntriesByNumber, currentEntriesAtAddress, type PortfolioRow } from '../../db/portfolio';
import { caseId, caseNumber } from '../../domain/case';
import { TROUBLE_TICKET_ESCALATION_WARNING_FRACTION } from '../../domain/durations';
import { type Actor, isHandler } from '../../domain/identity';
import { deadlineAfter } from '../../domain/time';
import { allowedTtActions, clockReading, decideTtAction, mayReportFaults, OPEN_TT_STATUSES, repairTargetMs, type TtAction, ttOpenKey } from '../../domain/trouble-ticket';
import { type TtActionInput, ttActionUpdates, type TtLineTest, type TtProduct, type TtStartInput, type TtView } from '../../workflows/trouble-ticket/messages';
import { newTroubleTicket, toProjection } from '../../workflows/trouble-ticket/projection';
import type { troubleTicketWorkflow } from '../../workflows/trouble-ticket/workflow';
import { resolveAttachments } from '../attachments';
import { assertCanOrder, requireAuth } from '../auth';
import { type Page, registerCase } from '../cases';
import type { AppDeps, AppEnv, AuthUser } from '../context';
import { actorOf } from '../context';
import { createOnce, IdempotencyKeyHeader, noteCreation } from '../idempotency';
import { scopeCaseParam, tenantOf } from '../kit/load-case';
import { isFreeSlotAt } from '../kit/slots';
import { type CallerScope, callerScope, mapPage, oldestUpdatedFirst, readPage, type SortKey } from '../kit/page';
import { runAction } from '../kit/run-action';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';
import {
  PrecheckBody,
  CreateBody,
  UpdateBody,
  CommentBody,
  CustomerUpdateBody,
  ReopenBody,
  AppointmentBody,
  OperationalMessageSchema,
  SummarySchema,
  TroubleTicketPage,
  TroubleTicketSchema,
  TroubleTicketDetail,
  PrecheckResponse,
  TT_NUMBER,
  TtNumberParam,
  TtListQuery,
} from './trouble-ticket-schemas';

// ---- shared pieces -------------------------------------------------------------------------

/** M-2.1: the fault module needs its training (A-3, deck slide 8), and acting needs ordering or full access. */
export function assertFaultModule(user: AuthUser): void {
  assertCanOrder(user);
  if (!mayReportFaults(actorOf(user), user.training)) {
    throw problems.forbidden(`User ${user.username} has not had the fault-module training: trouble tickets need it (M-2.1, A-3)`, 'M-2.1');
  }
}

const hasFaultModule = (user: AuthUser) => user.training.includes('fault');

export function presentTt(view: TtView, actor: Actor, faultModule: boolean, at = new Date()): z.infer<typeof TroubleTicketSchema> {
  const { clock, autoCloseAfter, ...rest } = view;
  const reading = clockReading(clock, at);
  const autoCloseAt = view.status === 'Resolved' && view.resolvedAt ? deadlineAfter(new Date(view.resolvedAt), autoCloseAfter).toISOString() : null;
  return {
    ...rest,
    repairClock: { ...reading, targetHours: view.repairTargetHours, warnedAt: clock.warnedAt, breachedAt: clock.breachedAt },
    autoCloseAt,
    allowedActions: allowedTtActions(view.status, actor, faultModule),
  };
}

type SummaryRow = { number: string; company_id: string; status: string; refs: Record<string, string>; title: string; created_at: Date; updated_at: Date; updated_by: string };

function summary(r: SummaryRow): z.infer<typeof SummarySchema> {
  return {
    number: r.number,
    companyId: r.company_id,
    status: r.status,
    productNumber: r.refs.productNumber ?? '',
    productCode: r.refs.productCode ?? '',
    severity: r.refs.severity ?? '',
    category: r.refs.category ?? '',
    handler: r.refs.handler ?? null,
    escalation: r.refs.escalation ?? null,
    title: r.title,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by,
  };
}

export async function listTroubleTickets(
  sql: Sql,
  f: z.infer<typeof TtListQuery> & { statuses?: readonly string[]; queue?: string; productNumbers?: string[] },
  scope: CallerScope,
): Promise<Page<z.infer<typeof SummarySchema>>> {
  const conditions = [
    sql`case_type = 'trouble_ticket'`,
    f.companyId !== undefined ? sql`company_id = ${f.companyId}` : null,
    f.status ? sql`status = ${f.status}` : null,
    f.statuses ? sql`status = ANY(${f.statuses as string[]})` : null,
    f.queue ? sql`queue = ${f.queue}` : null,
    f.productNumber ? sql`refs ->> 'productNumber' = ${normaliseNumber(f.productNumber)}` : null,
    f.productNumbers ? sql`refs ->> 'productNumber' = ANY(${f.productNumbers})` : null,
    f.severity ? sql`refs ->> 'severity' = ${f.severity}` : null,
    f.escalation === 'breached' ? sql`refs ->> 'escalation' = 'breached'` : f.escalation === 'warning' ? sql`refs ->> 'escalation' IN ('warning', 'breached')` : null,
    f.q ? sql`search_text LIKE ${'%' + f.q.toLowerCase().replace(/[%_\\]/g, (m) => '\\' + m) + '%'}` : null,
  ].filter((x): x is postgres.PendingQuery<postgres.Row[]> => x !== null);
  const where = conditions.reduce((acc, cond) => sql`${acc} AND ${cond}`);
  // the fault desk works the missed targets first, then the warnings, then the oldest change
  const keys: SortKey[] = f.queue
    ? [{ sql: sql`(CASE refs ->> 'escalation' WHEN 'breached' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END)`, type: 'int', desc: false }, ...oldestUpdatedFirst(sql)]
    : [
        { sql: sql`updated_at`, type: 'timestamptz', desc: true },
        { sql: sql`number`, type: 'text', desc: true },
      ];
  const page = await readPage<SummaryRow>(sql, {
    select: sql`number, company_id, status, refs, title, created_at, updated_at, updated_by`,
    from: sql`cases`,
    where,
    keys,
    page: f,
    list: f.queue ? 'trouble-tickets:desk' : 'trouble-tickets',
    scope,
  });
  return mapPage(page, summary);
}

/** The company's current products matching a number or an address (A-1: never another company's). */
async function productsOf(deps: AppDeps, companyId: string, choice: { number?: string | undefined; addressId?: string | undefined }): Promise<PortfolioRow[]> {
  if (choice.number !== undefined) {
    const number = normaliseNumber(choice.number);
    return (await companyEntriesByNumber(deps.sql, companyId, number)).filter((r) => r.end_date === null).slice(0, 1);
  }
  return (await currentEntriesAtAddress(deps.sql, choice.addressId!)).filter((r) => r.company_id === companyId);
}

function notInPortfolio(choice: { number?: string | undefined; addressId?: string | undefined }) {
  return choice.number !== undefined
    ? problems.validation([{ field: 'body.number', code: 'reference_not_found', rule: 'M-2.2', message: `no active product with number ${normaliseNumber(choice.number)} in your portfolio` }])
    : problems.validation([{ field: 'body.addressId', code: 'reference_not_found', rule: 'M-2.2', message: `no active product of yours at address ${choice.addressId}` }]);
}

/** The product as the ticket records it, with the municipality and postcode operational messages are matched on. */
async function ticketProduct(deps: AppDeps, row: PortfolioRow): Promise<TtProduct> {
  let place: { municipality: string | null; postcode: string | null } = { municipality: null, postcode: null };
  try {
    const address = await deps.adapters.addresses.get(row.address_id);
    if (address) place = { municipality: address.municipality, postcode: address.postcode };
  } catch {
    // the address register is down: the ticket is still raised; messages then match on the product only
  }
  return {
    entryId: row.id,
    lineId: row.line_id,
    number: row.number,
    numberKind: row.number_kind,
    productCode: row.product_code,
    productName: row.product_name,
    address: { id: row.address_id, label: row.address_label, ...place },
    endUserName: row.end_user_name,
  };
}

/** M-2.2: the line test; an outage of the test system is recorded, not fatal (the ticket may still be raised). */
async function runLineTest(deps: AppDeps, product: TtProduct): Promise<TtLineTest> {
  try {
    const r = await deps.adapters.lineTest.test({ number: product.number, productCode: product.productCode });
    return { testId: r.testId, verdict: r.verdict, faultLocation: r.faultLocation, detail: r.detail, testedAt: r.testedAt };
  } catch (err) {
    if (err instanceof AdapterTimeoutError || err instanceof AdapterUnavailableError || err instanceof AdapterRejectedError) {
      return { testId: null, verdict: 'unavailable', faultLocation: null, detail: `The line test could not be run: ${err.message}`, testedAt: new Date().toISOString() };
    }
    throw err;
  }
}

/** M-2.3 (M-4): the operational messages in force covering the product or its area. */
export async function messagesFor(sql: Sql, product: TtProduct): Promise<z.infer<typeof OperationalMessageSchema>[]> {
  const rows = await messagesInForce(sql, {
    productCode: product.productCode,
    ...(product.address.municipality ? { municipality: product.address.municipality } : {}),
    ...(product.address.postcode ? { postcode: product.address.postcode } : {}),
  });
  return rows.map((m) => ({ id: m.id, kind: m.kind, title: m.title, body: m.body, startsAt: m.starts_at.toISOString(), endsAt: m.ends_at?.toISOString() ?? null }));
}

async function openTicketFor(db: Queryable, companyId: string, productNumber: string) {
  const [open] = await db<{ number: string; status: string }[]>`SELECT number, status FROM cases WHERE company_id = ${companyId} AND open_key = ${ttOpenKey(productNumber)}`;
  return open;
}

function duplicateProblem(open: { number: string; status: string }, productNumber: string) {
  return problems.conflict('duplicate_trouble_ticket', `${open.number} (${open.status}) is already open for product ${productNumber}: follow it instead of raising another (M-2.3)`, {
    rule: 'M-2.3',
    existing: open.number,
  });
}

/** Runs one M-2.5 / M-2.6 action on a ticket loaded through the tenancy loader (customer and handler routes alike). */
export async function runTtAction(deps: AppDeps, c: Context<AppEnv>, row: CaseRow, action: TtAction, input: Omit<TtActionInput, 'actor' | 'faultModule'>) {
  const actor = c.get('actor');
  const user = c.get('user');
  const cmd: TtActionInput = { actor, faultModule: hasFaultModule(user), ...input };
  const after = await runAction<TtActionInput, TtView>(deps, c, {
    row,
    action,
    update: ttActionUpdates[action],
    input: cmd,
    check: (view) => decideTtAction(view, action, cmd),
  });
  return presentTt(after.detail as TtView, actor, cmd.faultModule);
}

// ---- routes --------------------------------------------------------------------------------

export function troubleTicketRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  scopeCaseParam(router, 'trouble_ticket', TT_NUMBER, deps.sql);
  const secured = { security: [{ bearer: [] }], tags: ['Trouble tickets'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/precheck',
      summary: 'Before raising a ticket: the product, a line test, open tickets and operational messages for it (M-2.2, M-2.3)',
      request: { body: jsonBody(PrecheckBody) },
      responses: { 200: jsonResponse(PrecheckResponse, 'What is known about the product now'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const user = c.get('user');
      assertFaultModule(user);
      const body = c.req.valid('json');
      const companyId = user.companyId!;
      const rows = await productsOf(deps, companyId, body);
      if (rows.length === 0) throw notInPortfolio(body);
      const products = await Promise.all(rows.map((r) => ticketProduct(deps, r)));
      const product = products.length === 1 ? products[0]! : null;
      const open = await listTroubleTickets(
        deps.sql,
        { companyId, statuses: OPEN_TT_STATUSES, productNumbers: products.map((p) => p.number), offset: 0, limit: 100 },
        callerScope(deps.config, c.get('user')),
      );
      const openTickets = open.items;
      const lineTest = product ? await runLineTest(deps, product) : null;
      const duplicateOf = product ? (openTickets.find((t) => t.productNumber === product.number)?.number ?? null) : null;
      const operationalMessages = product ? await messagesFor(deps.sql, product) : [];
      const reason = !product
        ? `${products.length} products at this address: choose one by number`
        : duplicateOf
          ? `${duplicateOf} is already open for this product (M-2.3)`
          : lineTest?.verdict === 'no_fault_found'
            ? `The line test found no fault (M-2.2): ${lineTest.detail}`
            : null;
      return c.json({ products, product, lineTest, openTickets, duplicateOf, operationalMessages, mayRaise: reason === null, reason }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/',
      summary: 'Raise a trouble ticket against a portfolio product (status New); the line is tested first (M-2.2)',
      request: { headers: IdempotencyKeyHeader, body: jsonBody(CreateBody) },
      responses: { 201: jsonResponse(TroubleTicketSchema, 'Created'), ...problemResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      const user = c.get('user');
      const actor = c.get('actor');
      assertFaultModule(user);
      const body = c.req.valid('json');
      const companyId = user.companyId!;
      c.set('audit', { action: 'trouble_ticket.create', companyId });
      const rows = await productsOf(deps, companyId, body);
      if (rows.length === 0) throw notInPortfolio(body);
      if (rows.length > 1) {
        throw problems.validation([
          {
            field: 'body.addressId',
            code: 'rule_violation',
            rule: 'M-2.2',
            message: `${rows.length} products of yours at this address (${rows.map((r) => r.number).join(', ')}): choose one by number`,
          },
        ]);
      }
      const row = rows[0]!;
      const early = await openTicketFor(deps.sql, companyId, row.number);
      if (early) throw duplicateProblem(early, row.number);
      const catalogue = PRODUCT_CATALOG.get(row.product_code);
      const product = await ticketProduct(deps, row);
      // M-2.2: test before raising; a line that tests OK is not a fault of the network
      const lineTest = await runLineTest(deps, product);
      if (lineTest.verdict === 'no_fault_found') {
        throw problems.unprocessable('no_fault_found', `The line test of ${product.number} found no fault: ${lineTest.detail}. Check the end user's equipment before raising a ticket (M-2.2)`, {
          rule: 'M-2.2',
          lineTest,
        });
      }
      const repairTargetHours = catalogue?.repairTargetHours ?? 24;
      try {
        const result = await createOnce(deps, { userId: user.id, key: c.req.header('idempotency-key'), fingerprint: ['POST /v1/trouble-tickets', body] }, async (tx) => {
          const open = await openTicketFor(tx, companyId, row.number);
          if (open) throw duplicateProblem(open, row.number);
          const attachments = await resolveAttachments(tx, companyId, body.attachmentIds, 'body.attachmentIds');
          const [seq] = await tx<{ n: string }[]>`SELECT nextval('trouble_ticket_number_seq') AS n`;
          const number = caseNumber('trouble_ticket', Number(seq!.n), deps.config.caseNumberKey);
          const input: TtStartInput = {
            caseId: caseId('trouble_ticket', number),
            number,
            companyId,
            actor,
            product,
            symptom: body.symptom,
            category: body.category,
            severity: body.severity,
            endUserContact: body.endUserContact,
            customerReference: body.customerReference ?? null,
            attachments,
            lineTest,
            repairTargetHours,
            createdAt: new Date().toISOString(),
            timing: {
              autoCloseAfter: deps.config.timings.troubleTicketAutoClose,
              repairTargetMs: repairTargetMs(repairTargetHours, deps.config.timings.troubleTicketRepairHour),
              warnAtFraction: TROUBLE_TICKET_ESCALATION_WARNING_FRACTION,
            },
          };
          const view = newTroubleTicket(input);
          await registerCase<typeof troubleTicketWorkflow>(tx, deps, 'troubleTicketWorkflow', toProjection(view), [input]);
          return { status: 201, body: presentTt(view, actor, true) };
        });
        const created = result.body as z.infer<typeof TroubleTicketSchema>;
        noteCreation(c, 'trouble_ticket.create', companyId, created, result.replayed, { lineTest: lineTest.verdict });
        return c.json(created, 201);
      } catch (err) {
        // two requests raced past the check: the unique index on the read model decides (M-2.3)
        if (isOpenKeyConflict(err)) {
          const open = await openTicketFor(deps.sql, companyId, row.number);
          if (open) throw duplicateProblem(open, row.number);
        }
        throw err;
      }
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/',
      summary: "List and search the company's trouble tickets",
      request: { query: TtListQuery },
      responses: { 200: jsonResponse(TroubleTicketPage, 'A page of trouble tickets'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const companyId = tenantOf(c.get('user')) ?? query.companyId;
      return c.json(await listTroubleTickets(deps.sql, { ...query, companyId }, callerScope(deps.config, c.get('user'))), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}',
      summary: 'One trouble ticket: repair clock (time used and left), operational messages in force, its service requests, activity log',
      request: { params: TtNumberParam },
      responses: { 200: jsonResponse(TroubleTicketDetail, 'The trouble ticket'), ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const row = c.get('caseRow');
      const view = row.detail as TtView;
      const [operationalMessages, srs] = await Promise.all([
        messagesFor(deps.sql, view.product),
        deps.sql<{ number: string; status: string; title: string; updated_at: Date }[]>`
          SELECT number, status, title, updated_at FROM cases
          WHERE case_type = 'service_request' AND company_id = ${row.company_id} AND refs ->> 'referenceCaseId' = ${row.case_id} ORDER BY created_at`,
      ]);
      return c.json(
        {
          ...presentTt(view, c.get('actor'), hasFaultModule(c.get('user'))),
          operationalMessages,
          serviceRequests: srs.map((s) => ({ number: s.number, status: s.status, title: s.title, updatedAt: s.updated_at.toISOString() })),
        },
        200,
      );
    },
  );

  const customerAction = <B extends z.ZodType>(
    path: string,
    action: TtAction,
    summaryText: string,
    body: B,
    toInput: (b: z.infer<B>, row: CaseRow) => Promise<Omit<TtActionInput, 'actor' | 'faultModule'>>,
    required = false,
  ) =>
    router.openapi(
      createRoute({
        ...secured,
        method: 'post',
        path: `/{number}/${path}`,
        summary: summaryText,
        request: { params: TtNumberParam, body: { ...jsonBody(body), required } },
        responses: { 200: jsonResponse(TroubleTicketSchema, 'The trouble ticket after the action'), ...problemResponses(400, 401, 403, 404, 409, 422, 503) },
      }),
      async (c) => {
        const user = c.get('user');
        // handlers may book the repair appointment too; every other action is the customer's
        if (!(action === 'bookAppointment' && isHandler(c.get('actor')))) assertFaultModule(user);
        const raw = (c.req.valid('json' as never) ?? {}) as z.infer<B>;
        const row = c.get('caseRow');
        return c.json(await runTtAction(deps, c, row, action, await toInput(raw, row)), 200);
      },
    );

  const comment = async (b: z.infer<typeof CommentBody>) => ({ ...(b.comment ? { text: b.comment } : {}) });
  customerAction('submit', 'submit', 'Submit the ticket to the fault desk (New → Submitted; the repair clock starts)', CommentBody, comment);
  customerAction(
    'update',
    'update',
    'Change symptom, category, severity, contact or attachments while New or Incomplete',
    UpdateBody,
    async (b: z.infer<typeof UpdateBody>, row) => ({
      changes: {
        ...(b.symptom !== undefined ? { symptom: b.symptom } : {}),
        ...(b.category !== undefined ? { category: b.category } : {}),
        ...(b.severity !== undefined ? { severity: b.severity } : {}),
        ...(b.endUserContact !== undefined ? { endUserContact: b.endUserContact } : {}),
        ...(b.attachmentIds ? { addAttachments: await resolveAttachments(deps.sql, row.company_id, b.attachmentIds, 'body.attachmentIds') } : {}),
      },
    }),
    true,
  );
  customerAction(
    'customer-update',
    'customerUpdate',
    'Give the information asked for (Incomplete → Customer Update; the repair clock resumes)',
    CustomerUpdateBody,
    async (b: z.infer<typeof CustomerUpdateBody>) => ({ text: b.text }),
    true,
  );
  customerAction('confirm', 'confirm', 'Confirm the repair (Resolved → Closed)', CommentBody, comment);
  customerAction(
    'reopen',
    'reopen',
    'The fault is not repaired: reopen with a reason within the auto-close period (Resolved → In Process)',
    ReopenBody,
    async (b: z.infer<typeof ReopenBody>) => ({ text: b.reason }),
    true,
  );
  customerAction('cancel', 'cancel', 'Cancel the ticket (the fault is gone or was reported by mistake)', CommentBody, comment);
  customerAction(
    'appointment',
    'bookAppointment',
    'Book (or move) the repair appointment in the appointment system (X-3)',
    AppointmentBody,
    async (b: z.infer<typeof AppointmentBody>, row) => {
      // the technician comes to the product's address: only a free slot there (its technician area) is booked
      const { address } = (row.detail as TtView).product;
      if (!(await isFreeSlotAt(deps.adapters, address.id, b.slotId))) {
        throw problems.validation([{ field: 'body.slotId', code: 'rule_violation', rule: 'X-3', message: `slot ${b.slotId} is not a free slot at ${address.label}` }]);
      }
      return { slotId: b.slotId };
    },
    true,
  );

  return router;
}
