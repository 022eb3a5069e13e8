// Terminations through the API (rules T-1…T-3, O-14, O-15, O-17): submit one for a portfolio product (or
// the whole subscription) — registered in the order system at once, confirmed by a Customer Order Id —
// move its date, answer Incomplete, or withdraw it before the date. Cases of the first model
// (terminationWorkflow) keep their actions: the API routes by the case's model.
import { createRoute, z } from '@hono/zod-openapi';
import { normaliseNumber } from '../../adapters/lines';
import { PRODUCT_CATALOG } from '../../adapters/price-list';
import type { Queryable } from '../../db/client';
import { companyEntriesByNumber, currentEntriesAtAddress, type PortfolioRow } from '../../db/portfolio';
import { caseId, caseNumber } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import { terminationDateProblem } from '../../domain/portfolio-order';
import { allowedTerminationActions, decideTerminationAction, lastsUntil, terminationNoticeDays, TerminationScope } from '../../domain/termination';
import { osloDate } from '../../domain/time';
import { type TerminationActionInput, terminationActionUpdates, type TerminationStartInput, type TerminationView } from '../../workflows/termination/messages';
import { isPortfolioOrder, type TerminationOrderView } from '../../workflows/switch-isp/order-messages';
import { newTerminationOrder, terminationOrderProjection } from '../../workflows/switch-isp/order-projection';
import type { terminationOrderWorkflow } from '../../workflows/termination/order-workflow';
import { awaitRegistration, presentPortfolioOrder, ORDER_ACTION_DESCRIPTION, PortfolioOrderFieldsSchema, runPortfolioOrderAction } from './portfolio-order-support';
import { IsoDate } from '../dates';
import { assertCanOrder, requireAuth } from '../auth';
import { registerCase } from '../cases';
import { scopeCaseParam, tenantOf } from '../kit/load-case';
import { callerScope } from '../kit/page';
import { runAction } from '../kit/run-action';
import type { AppDeps } from '../context';
import { createOnce, IdempotencyKeyHeader, noteCreation } from '../idempotency';
import { isOpenKeyConflict } from '../../db/cases';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';
import { CaseListQuery, CaseSummaryPage, CustomerUpdateBody, listPortfolioCases } from './switch-isp';

const IsoDateSchema = IsoDate;

const CreateBody = z
  .strictObject({
    number: z.string().trim().min(1).max(20).openapi({ description: 'T-2: the phone or circuit number to terminate (from your portfolio)', example: '22604411' }),
    requestedDate: IsoDateSchema.openapi({
      description: "T-2: disconnected on this date (today at the earliest); T-3: the subscription lasts the product's run-out after termination when that is later",
    }),
    scope: z.enum(TerminationScope.options).default('product').openapi({ description: 'T-1: this product only, or the whole subscription (every product of the end user at the address)' }),
    reason: z.string().trim().min(1).max(2000).optional(),
    customerReference: z.string().trim().min(1).max(100).optional(),
  })
  .openapi('CreateTermination');

const ChangeDateBody = z.strictObject({ requestedDate: IsoDateSchema }).openapi('ChangeTerminationDate');
const CommentBody = z.strictObject({ comment: z.string().trim().min(1).max(2000).optional() }).openapi('TerminationComment');

const ActivityEntrySchema = z.object({ at: z.string(), by: z.string(), action: z.string(), fromStatus: z.string().nullable(), toStatus: z.string(), text: z.string().optional() });

const TerminationSchema = z
  .object({
    number: z.string().openapi({ example: 'TRM-000042' }),
    caseId: z.string().openapi({ example: 'termination:TRM-000042' }),
    companyId: z.string(),
    createdBy: z.string(),
    terminatedNumber: z.string(),
    scope: z.enum(TerminationScope.options),
    endUserName: z.string(),
    address: z.object({ id: z.string(), label: z.string() }),
    products: z.array(
      z.object({
        entryId: z.string(),
        lineId: z.string(),
        number: z.string(),
        productCode: z.string(),
        productName: z.string(),
        noticeDays: z.number().int().openapi({ description: "T-3: the product's run-out in days (the catalogue's)" }),
        runOutDays: z.number().int().optional().openapi({ description: 'T-3: how long the subscription lasts after termination (orders)' }),
        lastsUntil: z.string().optional().openapi({ description: "T-3: the date this product's subscription lasts until (orders)" }),
      }),
    ),
    noticeDays: z.number().int().openapi({ description: 'T-3: the longest run-out of the products, in days' }),
    runOutDays: z.number().int().optional().openapi({ description: 'T-3: the longest run-out of the products, in days (orders)' }),
    lastsUntil: z.string().optional().openapi({ description: 'T-3: the date the subscription lasts until: the requested date or, when later, the run-out counted from registration (orders)' }),
    requestedDate: z.string(),
    reason: z.string().nullable(),
    customerReference: z.string().nullable(),
    status: z.string().openapi({ description: "An order's line status (O-14, O-15); a case of the first model: Registered, In Progress, Completed, Withdrawn, Rejected" }),
    ...PortfolioOrderFieldsSchema,
    disconnectionIds: z.array(z.string()),
    executedAt: z.string().nullable(),
    resolution: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    version: z.number().int(),
    activity: z.array(ActivityEntrySchema),
    allowedActions: z.array(z.string()).openapi({ description: ORDER_ACTION_DESCRIPTION }),
  })
  .openapi('Termination');

const TERMINATION_NUMBER = /^TRM-\d{6,}$/;
const NumberParam = z.object({
  number: z
    .string()
    .regex(TERMINATION_NUMBER, 'a termination number like TRM-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'TRM-000042' }),
});

function present(view: TerminationView | TerminationOrderView, actor: Actor): z.infer<typeof TerminationSchema> {
  if (isPortfolioOrder(view)) return presentPortfolioOrder(view as TerminationOrderView, actor);
  return { ...(view as TerminationView), allowedActions: allowedTerminationActions((view as TerminationView).status, actor) };
}

/** The API routes an action by the case's model: an order (terminationOrderWorkflow) or a case of the first type. */
const isOrder = (row: { detail: unknown }) => isPortfolioOrder(row.detail as object);

/** T-2: a product is terminated once: the pending termination that already covers one of these numbers. */
async function pendingTermination(db: Queryable, companyId: string, numbers: string[]) {
  const [open] = await db<{ number: string; status: string }[]>`
    SELECT number, status FROM cases WHERE case_type = 'termination' AND company_id = ${companyId} AND open_key IS NOT NULL
      AND string_to_array(refs ->> 'numbers', ' ') && ${numbers}::text[] LIMIT 1`;
  return open;
}

const duplicate = (open: { number: string; status: string }) =>
  problems.conflict('duplicate_termination', `${open.number} (${open.status}) already terminates this product: move its date or withdraw it instead`, { rule: 'T-2', existing: open.number });

export function terminationRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  scopeCaseParam(router, 'termination', TERMINATION_NUMBER, deps.sql);
  const secured = { security: [{ bearer: [] }], tags: ['Terminations'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/',
      summary: 'Submit a termination of a portfolio product or the whole subscription on a date (T-1, T-2): registered in the order system at once (Customer Order Id)',
      request: {
        headers: IdempotencyKeyHeader,
        body: jsonBody(CreateBody),
      },
      responses: { 201: jsonResponse(TerminationSchema, 'Submitted: Registered or Rejected by the order system (Committed while it has not answered yet)'), ...problemResponses(400, 401, 403, 409) },
    }),
    async (c) => {
      const user = c.get('user');
      const actor = c.get('actor');
      assertCanOrder(user);
      const body = c.req.valid('json');
      const companyId = user.companyId!;
      c.set('audit', { action: 'termination.create', companyId });
      const number = normaliseNumber(body.number);
      // only the company's own current products; another company's number is simply not found
      const entry = (await companyEntriesByNumber(deps.sql, companyId, number)).find((r) => r.end_date === null);
      if (!entry) {
        throw problems.validation([{ field: 'body.number', code: 'reference_not_found', rule: 'T-2', message: `no active product with number ${number} in your portfolio` }]);
      }
      const products: PortfolioRow[] =
        body.scope === 'product' ? [entry] : (await currentEntriesAtAddress(deps.sql, entry.address_id)).filter((r) => r.company_id === companyId && r.end_user_name === entry.end_user_name);
      const withNotice = products.map((r) => ({
        entryId: r.id,
        lineId: r.line_id,
        number: r.number,
        productCode: r.product_code,
        productName: r.product_name,
        noticeDays: PRODUCT_CATALOG.get(r.product_code)?.terminationNoticeDays ?? 0,
      }));
      const noticeDays = terminationNoticeDays(withNotice.map((p) => ({ terminationNoticeDays: p.noticeDays })));
      const today = osloDate(new Date());
      // T-2: any date from today; T-3's run-out is shown with the termination, it refuses no date
      const dateProblem = terminationDateProblem(today, body.requestedDate);
      if (dateProblem) throw problems.validation([{ field: 'body.requestedDate', code: 'rule_violation', rule: 'T-2', message: dateProblem }]);

      try {
        const result = await createOnce(deps, { userId: user.id, key: c.req.header('idempotency-key'), fingerprint: ['POST /v1/terminations', body] }, async (tx) => {
          const open = await pendingTermination(
            tx,
            companyId,
            withNotice.map((p) => p.number),
          );
          if (open) throw duplicate(open);
          const [seq] = await tx<{ n: string }[]>`SELECT nextval('termination_number_seq') AS n`;
          const caseNo = caseNumber('termination', Number(seq!.n), deps.config.caseNumberKey);
          const input: TerminationStartInput = {
            caseId: caseId('termination', caseNo),
            number: caseNo,
            companyId,
            actor,
            terminatedNumber: number,
            scope: body.scope,
            endUserName: entry.end_user_name,
            address: { id: entry.address_id, label: entry.address_label },
            products: withNotice,
            noticeDays,
            requestedDate: body.requestedDate,
            reason: body.reason ?? null,
            customerReference: body.customerReference ?? null,
            createdAt: new Date().toISOString(),
            timing: { executeAt: deps.config.timings.terminationExecution },
          };
          const view = newTerminationOrder(input);
          await registerCase<typeof terminationOrderWorkflow>(tx, deps, 'terminationOrderWorkflow', terminationOrderProjection(view), [input]);
          return { status: 201, body: present(view, actor) };
        });
        const created = result.body as z.infer<typeof TerminationSchema>;
        noteCreation(c, 'termination.create', companyId, created, result.replayed);
        // O-14: confirmed by the order system's Customer Order Id at once (or Rejected with the reason)
        const registered = await awaitRegistration(deps.sql, 'termination', created.number);
        return c.json(registered && registered.company_id === companyId ? present(registered.detail as TerminationOrderView, actor) : created, 201);
      } catch (err) {
        if (isOpenKeyConflict(err)) {
          const open = await pendingTermination(
            deps.sql,
            companyId,
            withNotice.map((p) => p.number),
          );
          if (open) throw duplicate(open);
        }
        throw err;
      }
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/earliest-date',
      summary: "T-2 / T-3: the earliest termination date of a portfolio product (today) and how long its subscription lasts after termination (the product's run-out)",
      request: { query: z.object({ number: z.string().trim().min(1).max(20) }) },
      responses: {
        200: jsonResponse(
          z.object({
            number: z.string(),
            productCode: z.string(),
            noticeDays: z.number().int().openapi({ description: "T-3: the product's run-out in days" }),
            earliestDate: z.string().openapi({ description: 'T-2: today; the line is disconnected on the date you give' }),
            lastsUntil: z.string().openapi({ description: 'T-3: the date the subscription lasts until if terminated today for today' }),
          }),
          'The earliest date and the run-out',
        ),
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const tenant = tenantOf(c.get('user'));
      const number = normaliseNumber(c.req.valid('query').number);
      const entry = (await companyEntriesByNumber(deps.sql, tenant ?? undefined, number)).find((r) => r.end_date === null);
      if (!entry) throw problems.notFound(`Product ${number}`);
      const noticeDays = PRODUCT_CATALOG.get(entry.product_code)?.terminationNoticeDays ?? 0;
      const today = osloDate(new Date());
      return c.json({ number, productCode: entry.product_code, noticeDays, earliestDate: today, lastsUntil: lastsUntil(today, today, noticeDays) }, 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/',
      summary: "List the company's terminations",
      request: { query: CaseListQuery },
      responses: { 200: jsonResponse(CaseSummaryPage, 'A page of terminations'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await listPortfolioCases(deps.sql, 'termination', { ...query, companyId: tenantOf(c.get('user')) ?? query.companyId }, callerScope(deps.config, c.get('user'))), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}',
      summary: 'One termination with its activity log',
      request: { params: NumberParam },
      responses: { 200: jsonResponse(TerminationSchema, 'The termination'), ...problemResponses(401, 403, 404) },
    }),
    (c) => c.json(present(c.get('caseRow').detail as TerminationView, c.get('actor')), 200),
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/change-date',
      summary: 'Move the termination date before it is carried out (T-2: today at the earliest)',
      request: { params: NumberParam, body: jsonBody(ChangeDateBody) },
      responses: { 200: jsonResponse(TerminationSchema, 'The termination with its new date'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      assertCanOrder(c.get('user'));
      const input: TerminationActionInput = { actor: c.get('actor'), requestedDate: c.req.valid('json').requestedDate };
      if (isOrder(c.get('caseRow'))) return c.json(present((await runPortfolioOrderAction(deps, c, c.get('caseRow'), 'changeDate', input)).detail as TerminationOrderView, c.get('actor')), 200);
      const row = await runAction(deps, c, {
        row: c.get('caseRow'),
        action: 'changeDate',
        update: terminationActionUpdates.changeDate,
        input,
        check: (view: TerminationView) => decideTerminationAction(view, 'changeDate', input, osloDate(new Date())),
      });
      return c.json(present(row.detail as TerminationView, c.get('actor')), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/withdraw',
      summary: 'Withdraw the termination before its date (the product stays)',
      request: { params: NumberParam, body: { ...jsonBody(CommentBody), required: false } },
      responses: { 200: jsonResponse(TerminationSchema, 'The withdrawn termination'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      assertCanOrder(c.get('user'));
      const comment = (c.req.valid('json') as z.infer<typeof CommentBody> | undefined)?.comment;
      const input: TerminationActionInput = { actor: c.get('actor'), ...(comment ? { text: comment } : {}) };
      if (isOrder(c.get('caseRow'))) return c.json(present((await runPortfolioOrderAction(deps, c, c.get('caseRow'), 'withdraw', input)).detail as TerminationOrderView, c.get('actor')), 200);
      const row = await runAction(deps, c, {
        row: c.get('caseRow'),
        action: 'withdraw',
        update: terminationActionUpdates.withdraw,
        input,
        check: (view: TerminationView) => decideTerminationAction(view, 'withdraw', input, osloDate(new Date())),
      });
      return c.json(present(row.detail as TerminationView, c.get('actor')), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/customer-update',
      summary: 'Answer an Incomplete termination order: what was missing, optionally a new date (Customer Update, O-17)',
      request: { params: NumberParam, body: jsonBody(CustomerUpdateBody) },
      responses: { 200: jsonResponse(TerminationSchema, 'The termination in Customer Update'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      assertCanOrder(c.get('user'));
      const body = c.req.valid('json');
      if (body.slotId) throw problems.validation([{ field: 'body.slotId', code: 'unexpected_property', rule: 'O-17', message: 'a termination has no technician' }]);
      const input = { actor: c.get('actor'), comment: body.comment, ...(body.requestedDate ? { requestedDate: body.requestedDate } : {}) };
      const row = await runPortfolioOrderAction(deps, c, c.get('caseRow'), 'customerUpdate', input);
      return c.json(present(row.detail as TerminationOrderView, c.get('actor')), 200);
    },
  );

  return router;
}
