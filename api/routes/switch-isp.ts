// Switch-ISP through the API (rules I-1…I-7): the I-3 look-up that reveals only what a switch
// needs (audited, rate-limited per user), registration with every check (I-2, I-4, I-5, I-6), date
// change, and the I-7 refusal of a direct cancel. Handlers cancel from a service request
// (handler-portfolio.ts).
import { createRoute, z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import { normaliseNumber } from '../../adapters/lines';
import type { Queryable, Sql } from '../../db/client';
import { currentEntriesByNumber, currentEntryOfLine, entryById } from '../../db/portfolio';
import { isFreeSlotAt } from '../kit/slots';
import { caseId, caseNumber } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import type { PortfolioEndUser } from '../../domain/portfolio';
import {
  accessTypeChangeProblem,
  AEG_SERVICES,
  allowedSwitchActions,
  authorisationProblems,
  decideSwitchAction,
  isSwitchTarget,
  slotDate,
  switchDateProblem,
  switchLeadDays,
  SwitchStatus,
  technicianRequired,
} from '../../domain/switch-isp';
import { osloDate } from '../../domain/time';
import { switchActionUpdates, type SwitchView } from '../../workflows/switch-isp/messages';
import { isPortfolioOrder, type SwitchOrderStartInput, type SwitchOrderView } from '../../workflows/switch-isp/order-messages';
import { newSwitchOrder, switchOrderProjection } from '../../workflows/switch-isp/order-projection';
import type { switchIspOrderWorkflow } from '../../workflows/switch-isp/order-workflow';
import { allowedActionsOf, awaitRegistration, presentPortfolioOrder, ORDER_ACTION_DESCRIPTION, PortfolioOrderFieldsSchema, runPortfolioOrderAction } from './portfolio-order-support';
import { IsoDate } from '../dates';
import { assertCanOrder, requireAuth } from '../auth';
import { type Page, registerCase } from '../cases';
import { scopeCaseParam, tenantOf } from '../kit/load-case';
import { type CallerScope, callerScope, mapPage, pageFields, pageQuery, readPage } from '../kit/page';
import { runAction } from '../kit/run-action';
import type { AppDeps } from '../context';
import { createOnce, IdempotencyKeyHeader, noteCreation } from '../idempotency';
import { isOpenKeyConflict } from '../../db/cases';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { type FieldProblem, problems } from '../problem';
import { createRouter } from '../router';
import { AddressRef, broadbandOn, bySubscriptionRef, type Found, product, throttleLookup } from './switch-isp-lookup';

// ---- schemas -------------------------------------------------------------------------------

const IsoDateSchema = IsoDate;

export const EndUserInput = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('person'), name: z.string().trim().min(2).max(200), birthDate: IsoDateSchema }),
    z.strictObject({ kind: z.literal('company'), name: z.string().trim().min(2).max(200), orgNumber: z.string().regex(/^\d{9}$/, 'an organisation number is 9 digits') }),
  ])
  .openapi('EndUser');

const AegService = z.enum(AEG_SERVICES).openapi({ description: 'I-6: work beyond the interface ordered with the technician booking' });

const CreateBody = z
  .strictObject({
    number: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .optional()
      .openapi({ description: 'Shared access: the phone or circuit number of the existing subscription (I-3). Give this or subscriptionRef', example: '22171903' }),
    subscriptionRef: z.uuid().optional().openapi({ description: 'Full access: the subscriptionRef the look-up by address returned (I-3). Give this or number' }),
    productCode: z.string().min(1).max(40).openapi({ description: 'The product the end user gets from you: ADSL or operator access with the same access type (I-2)', example: 'JARA-ADSL-DELT' }),
    requestedDate: IsoDateSchema.openapi({ description: 'I-5: at least 16 calendar days ahead (21 for SHDSL), Europe/Oslo' }),
    authorisationReference: z
      .string()
      .trim()
      .regex(/^[Nn][Rr][Dd][Bb]-\d{4}-\d{6}$/, 'an NRDB reference like NRDB-2026-000101')
      .openapi({ description: 'I-4: from the authorisation server, given by the current owner' }),
    endUser: EndUserInput.optional().openapi({ description: 'The end user from the switch date; defaults to the current owner (I-4: the end user may change)' }),
    technician: z
      .strictObject({
        slotId: z.string().min(1).max(60).openapi({ description: 'A free slot on the requested date (GET /v1/reference/appointment-slots)' }),
        aegServices: z.array(AegService).max(AEG_SERVICES.length).default([]),
      })
      .optional()
      .openapi({ description: 'I-6: required unless Online ADSL → Jara ADSL or Jara ADSL → Jara ADSL' }),
    customerReference: z.string().trim().min(1).max(100).optional(),
  })
  .openapi('CreateSwitchIsp');

const ChangeDateBody = z
  .strictObject({
    requestedDate: IsoDateSchema,
    slotId: z.string().min(1).max(60).optional().openapi({ description: 'I-6: a free slot on the new date when the switch has a technician' }),
  })
  .openapi('ChangeSwitchDate');

export const CustomerUpdateBody = z
  .strictObject({
    comment: z.string().trim().min(1).max(2000).openapi({ description: 'O-17: what was missing, as the handler asked in Incomplete' }),
    requestedDate: IsoDateSchema.optional().openapi({ description: 'A new requested date (I-5 from today for a switch; T-2 for a termination)' }),
    slotId: z.string().min(1).max(60).optional().openapi({ description: 'I-6: a free slot on the new date when the switch has a technician' }),
  })
  .openapi('PortfolioOrderCustomerUpdate');

const ActivityEntrySchema = z.object({ at: z.string(), by: z.string(), action: z.string(), fromStatus: z.string().nullable(), toStatus: z.string(), text: z.string().optional() });

const SwitchSchema = z
  .object({
    number: z.string().openapi({ example: 'SW-000042' }),
    caseId: z.string().openapi({ example: 'switch-isp:SW-000042' }),
    companyId: z.string(),
    companyName: z.string(),
    createdBy: z.string(),
    subscription: z.object({
      portfolioEntryId: z.string(),
      lineId: z.string(),
      number: z.string(),
      numberKind: z.enum(['phone', 'circuit']),
      productCode: z.string(),
      productName: z.string(),
      accessType: z.enum(['shared', 'full']).nullable().openapi({ description: 'null for SHDSL (no access type)' }),
      speedMbps: z.number().nullable(),
      address: AddressRef,
      losingOperator: z.string(),
    }),
    newProductCode: z.string(),
    newProductName: z.string(),
    endUser: z.object({ kind: z.enum(['person', 'company']), name: z.string(), birthDate: z.string().optional(), orgNumber: z.string().optional() }),
    authorisation: z.object({ reference: z.string(), authorisedBy: z.string() }),
    requestedDate: z.string(),
    leadDays: z.number().int(),
    technicianRequired: z.boolean(),
    technician: z
      .object({
        slotId: z.string(),
        aegServices: z.array(z.string()),
        booking: z
          .object({
            bookingId: z.string(),
            date: z.string(),
            window: z.string(),
            aegServices: z.array(z.string()).optional().openapi({ description: 'I-6: the AEG work the appointment system confirmed with the visit' }),
          })
          .nullable(),
      })
      .nullable(),
    customerReference: z.string().nullable(),
    status: z.string().openapi({
      description:
        "An order's line status (O-14, O-15: Committed, Registered, …, Finished, Closed, Rejected, Cancelled); a case of the first model: Registered, In Progress, Completed, Cancelled, Rejected",
    }),
    ...PortfolioOrderFieldsSchema,
    switchId: z.string().nullable(),
    portfolioEntryId: z.string().nullable(),
    executedAt: z.string().nullable(),
    resolution: z.string().nullable(),
    cancelledViaServiceRequest: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    version: z.number().int(),
    activity: z.array(ActivityEntrySchema),
    allowedActions: z.array(z.string()).openapi({ description: `${ORDER_ACTION_DESCRIPTION}; cancelling a switch goes through a service request (I-7)` }),
  })
  .openapi('SwitchIsp');

const SummarySchema = z
  .object({
    number: z.string(),
    companyId: z.string(),
    status: z.string(),
    title: z.string(),
    reference: z.string(),
    requestedDate: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('PortfolioCaseSummary');
export const CaseSummaryPage = z.object({ items: z.array(SummarySchema), ...pageFields }).openapi('PortfolioCasePage');

const SWITCH_NUMBER = /^SW-\d{6,}$/;
const NumberParam = z.object({
  number: z
    .string()
    .regex(SWITCH_NUMBER, 'a switch number like SW-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'SW-000042' }),
});

export const CaseListQuery = z.object({
  status: z.string().max(40).optional(),
  reference: z.string().max(40).optional().openapi({ description: 'The phone or circuit number concerned' }),
  q: z.string().max(100).optional(),
  companyId: z.string().optional().openapi({ description: 'Handlers only; resellers always see their own company' }),
  ...pageQuery({ limit: 25 }),
});

// ---- shared pieces -------------------------------------------------------------------------

export async function listPortfolioCases(sql: Sql, type: 'switch_isp' | 'termination', f: z.infer<typeof CaseListQuery>, scope: CallerScope): Promise<Page<z.infer<typeof SummarySchema>>> {
  const like = (s: string) => '%' + s.toLowerCase().replace(/[%_\\]/g, (m) => '\\' + m) + '%';
  const conditions = [
    sql`case_type = ${type}`,
    f.companyId !== undefined ? sql`company_id = ${f.companyId}` : null,
    f.status ? sql`status = ${f.status}` : null,
    f.reference ? sql`refs ->> 'reference' = ${normaliseNumber(f.reference)}` : null,
    f.q ? sql`search_text LIKE ${like(f.q)}` : null,
  ].filter((x): x is postgres.PendingQuery<postgres.Row[]> => x !== null);
  const where = conditions.reduce((acc, c) => sql`${acc} AND ${c}`);
  const page = await readPage<{ number: string; company_id: string; status: string; title: string; refs: Record<string, string>; created_at: Date; updated_at: Date; updated_by: string }>(sql, {
    select: sql`number, company_id, status, title, refs, created_at, updated_at, updated_by`,
    from: sql`cases`,
    where,
    keys: [
      { sql: sql`updated_at`, type: 'timestamptz', desc: true },
      { sql: sql`number`, type: 'text', desc: true },
    ],
    page: f,
    list: type,
    scope,
  });
  return mapPage(page, (r) => ({
    number: r.number,
    companyId: r.company_id,
    status: r.status,
    title: r.title,
    reference: r.refs.reference ?? '',
    requestedDate: r.refs.requestedDate ?? '',
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by,
  }));
}

function presentSwitch(view: SwitchView | SwitchOrderView, actor: Actor): z.infer<typeof SwitchSchema> {
  if (isPortfolioOrder(view)) return presentPortfolioOrder(view as SwitchOrderView, actor);
  return { ...(view as SwitchView), allowedActions: allowedSwitchActions((view as SwitchView).status, actor) };
}

async function openSwitchOfLine(db: Queryable, lineId: string) {
  const [open] = await db<{ number: string; company_id: string; status: string }[]>`
    SELECT number, company_id, status FROM cases WHERE case_type = 'switch_isp' AND refs ->> 'lineId' = ${lineId} AND open_key IS NOT NULL`;
  return open;
}

function duplicateSwitch(open: { number: string; company_id: string; status: string }, companyId: string) {
  // another company's case is not revealed
  return open.company_id === companyId
    ? problems.conflict('duplicate_switch', `${open.number} (${open.status}) already switches this subscription: follow it instead`, { rule: 'I-3', existing: open.number })
    : problems.conflict('switch_pending', 'A switch of this subscription to another operator is already registered', { rule: 'I-3' });
}

// ---- routes --------------------------------------------------------------------------------

export function switchIspRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  scopeCaseParam(router, 'switch_isp', SWITCH_NUMBER, deps.sql);
  const secured = { security: [{ bearer: [] }], tags: ['Switch-ISP'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/',
      summary: 'Submit a switch-ISP order: registered in the order system at once (Registered with Customer Order Id and Agreed Date, or Rejected with the reason); carried out on the agreed date',
      request: {
        headers: IdempotencyKeyHeader,
        body: jsonBody(CreateBody),
      },
      responses: {
        201: jsonResponse(SwitchSchema, 'Submitted: Registered or Rejected by the order system (Committed while it has not answered yet)'),
        ...problemResponses(400, 401, 403, 409, 429, 503),
      },
    }),
    async (c) => {
      const user = c.get('user');
      const actor = c.get('actor');
      assertCanOrder(user);
      const body = c.req.valid('json');
      const companyId = user.companyId!;
      c.set('audit', { action: 'switch_isp.create', companyId });
      // a registration looks the number up as the look-up does (I-3): the same per-user limit
      await throttleLookup(deps.sql, user, (k, v) => c.header(k, v));
      const today = osloDate(new Date());
      const errors: FieldProblem[] = [];
      const fail = (field: string, rule: string, message: string, code: FieldProblem['code'] = 'rule_violation') => errors.push({ field: `body.${field}`, code, rule, message });

      // I-3: shared access by its number, full access by the reference the look-up by address gave
      const byRef = body.subscriptionRef !== undefined;
      const number = body.number !== undefined ? normaliseNumber(body.number) : '';
      const subjectField = byRef ? 'subscriptionRef' : 'number';
      const label = byRef ? 'this subscription' : number;
      let found: Found;
      if (byRef === (body.number !== undefined))
        found = { code: 'new_order_required', problem: 'give exactly one of number (shared access) and subscriptionRef (full access, from the look-up by address)' };
      else found = byRef ? bySubscriptionRef(await entryById(deps.sql, body.subscriptionRef!), companyId) : broadbandOn(await currentEntriesByNumber(deps.sql, number), number, companyId);
      const entry = 'row' in found ? found.row : undefined;
      if ('problem' in found) fail(subjectField, 'I-3', found.problem);
      const from = entry ? product(entry.product_code) : undefined;
      const to = product(body.productCode);
      if (!to || !isSwitchTarget(to)) fail('productCode', 'I-1', `${body.productCode} is not an ADSL or operator-access product you can switch to`, 'invalid_value');
      else if (from) {
        const i2 = accessTypeChangeProblem(from, to);
        if (i2) fail('productCode', 'I-2', i2);
      }
      const leadDays = Math.max(from ? switchLeadDays(from) : 0, to ? switchLeadDays(to) : 0, switchLeadDays({ family: 'adsl' }));
      const dateProblem = switchDateProblem(today, body.requestedDate, leadDays);
      if (dateProblem) fail('requestedDate', 'I-5', dateProblem);

      let authorisedBy = '';
      if (entry) {
        // I-4: read-only look-up in the authorisation register
        const auth = await deps.adapters.nrdb.lookup(body.authorisationReference);
        const i4 = authorisationProblems(body.authorisationReference.toUpperCase(), auth, { lineId: entry.line_id, number: label, ownerName: entry.end_user_name }, today);
        for (const m of i4) fail('authorisationReference', 'I-4', m, auth ? 'rule_violation' : 'reference_not_found');
        authorisedBy = auth?.authorisedBy ?? '';
      }

      const needsTechnician = from && to ? technicianRequired(from.code, to.code) : false;
      if (from && to) {
        if (needsTechnician && !body.technician) {
          fail('technician', 'I-6', `this switch to ${to.name} needs a technician: book a slot on the requested date`, 'missing_property');
        } else if (!needsTechnician && body.technician) {
          fail('technician', 'I-6', `no technician for this switch to ${to.name}: the delivery systems do the switch (I-6)`, 'unexpected_property');
        } else if (body.technician && entry && !dateProblem) {
          if (slotDate(body.technician.slotId) !== body.requestedDate) {
            fail('technician.slotId', 'I-6', `slot ${body.technician.slotId} is not on the requested date ${body.requestedDate}`);
          } else {
            if (!(await isFreeSlotAt(deps.adapters, entry.address_id, body.technician.slotId)))
              fail('technician.slotId', 'I-6', `slot ${body.technician.slotId} is not a free slot at ${entry.address_label}`);
          }
        }
      }
      if (errors.length > 0 || !entry || !from || !to) throw problems.validation(errors);

      const endUser: PortfolioEndUser = body.endUser ?? entry.end_user;
      try {
        const result = await createOnce(deps, { userId: user.id, key: c.req.header('idempotency-key'), fingerprint: ['POST /v1/switch-isp', body] }, async (tx) => {
          // one switch per subscription: the current entry is locked while this one is registered
          const current = await currentEntryOfLine(tx, entry.line_id, { lock: true });
          if (!current || current.id !== entry.id) throw problems.conflict('subscription_changed', `${label} changed hands while you registered; look it up again`, { rule: 'I-3' });
          const open = await openSwitchOfLine(tx, entry.line_id);
          if (open) throw duplicateSwitch(open, companyId);
          const [company] = await tx<{ name: string }[]>`SELECT name FROM companies WHERE id = ${companyId}`;
          const [seq] = await tx<{ n: string }[]>`SELECT nextval('switch_isp_number_seq') AS n`;
          const caseNo = caseNumber('switch_isp', Number(seq!.n), deps.config.caseNumberKey);
          const input: SwitchOrderStartInput = {
            caseId: caseId('switch_isp', caseNo),
            number: caseNo,
            companyId,
            companyName: company!.name,
            actor,
            subscription: {
              portfolioEntryId: entry.id,
              lineId: entry.line_id,
              number: entry.number,
              numberKind: entry.number_kind,
              productCode: entry.product_code,
              productName: entry.product_name,
              accessType: entry.access_type,
              speedMbps: entry.speed_mbps,
              address: { id: entry.address_id, label: entry.address_label },
              losingOperator: entry.operator,
            },
            newProductCode: to.code,
            newProductName: to.name,
            endUser,
            authorisation: { reference: body.authorisationReference.toUpperCase(), authorisedBy },
            requestedDate: body.requestedDate,
            leadDays,
            technician: body.technician ? { slotId: body.technician.slotId, aegServices: body.technician.aegServices, booking: null } : null,
            customerReference: body.customerReference ?? null,
            createdAt: new Date().toISOString(),
            timing: { executeAt: deps.config.timings.switchIspExecution },
          };
          const view = newSwitchOrder(input);
          await registerCase<typeof switchIspOrderWorkflow>(tx, deps, 'switchIspOrderWorkflow', switchOrderProjection(view), [input]);
          return { status: 201, body: presentSwitch(view, actor) };
        });
        const created = result.body as z.infer<typeof SwitchSchema>;
        noteCreation(c, 'switch_isp.create', companyId, created, result.replayed);
        // O-14: the order system's answer at once (Registered or Rejected), read from the read model
        const registered = await awaitRegistration(deps.sql, 'switch_isp', created.number);
        return c.json(registered && registered.company_id === companyId ? presentSwitch(registered.detail as SwitchOrderView, actor) : created, 201);
      } catch (err) {
        if (isOpenKeyConflict(err)) {
          const open = await openSwitchOfLine(deps.sql, entry.line_id);
          if (open) throw duplicateSwitch(open, companyId);
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
      summary: "List the company's switches",
      request: { query: CaseListQuery },
      responses: { 200: jsonResponse(CaseSummaryPage, 'A page of switches'), ...problemResponses(400, 401, 403) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      return c.json(await listPortfolioCases(deps.sql, 'switch_isp', { ...query, companyId: tenantOf(c.get('user')) ?? query.companyId }, callerScope(deps.config, c.get('user'))), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}',
      summary: 'One switch with its activity log',
      request: { params: NumberParam },
      responses: { 200: jsonResponse(SwitchSchema, 'The switch'), ...problemResponses(401, 403, 404) },
    }),
    (c) => c.json(presentSwitch(c.get('caseRow').detail as SwitchView, c.get('actor')), 200),
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/change-date',
      summary: 'Move the switch date before it is carried out (I-5 from today; I-6 a new slot when a technician comes)',
      request: { params: NumberParam, body: jsonBody(ChangeDateBody) },
      responses: { 200: jsonResponse(SwitchSchema, 'The switch with its new date'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      assertCanOrder(c.get('user'));
      const body = c.req.valid('json');
      const input = { actor: c.get('actor'), requestedDate: body.requestedDate, ...(body.slotId ? { slotId: body.slotId } : {}) };
      const current = c.get('caseRow');
      // the API routes an action by the case's model: an order (switchIspOrderWorkflow) or a case of the first type
      const row = isPortfolioOrder(current.detail as SwitchView)
        ? await runPortfolioOrderAction(deps, c, current, 'changeDate', input)
        : await runAction(deps, c, {
            row: current,
            action: 'changeDate',
            update: switchActionUpdates.changeDate,
            input,
            check: (view: SwitchView) => decideSwitchAction(view, 'changeDate', input, osloDate(new Date())),
          });
      return c.json(presentSwitch(row.detail as SwitchView, c.get('actor')), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/cancel',
      summary: 'Always refused (I-7, C-6): a switch is cancelled through a service request',
      request: { params: NumberParam },
      responses: { ...problemResponses(401, 403, 404, 409) },
    }),
    (c) => {
      assertCanOrder(c.get('user'));
      const row = c.get('caseRow');
      c.set('audit', { caseId: row.case_id, companyId: row.company_id, action: 'switch_isp.cancel' });
      const view = row.detail as SwitchView;
      throw problems.conflict(
        'cancel_via_service_request',
        `A switch-ISP cannot be cancelled directly (I-7, C-6): send a service request (area Delivery) referring to ${row.number}; customer service cancels it from there`,
        {
          rule: 'I-7',
          currentStatus: row.status,
          action: 'cancel',
          allowedActions: isPortfolioOrder(view) ? allowedActionsOf(view as unknown as SwitchOrderView, c.get('actor')) : allowedSwitchActions(row.status as SwitchStatus, c.get('actor')),
          serviceRequest: {
            href: '/v1/service-requests',
            area: 'Delivery',
            subArea: view.subscription.productCode.startsWith('OPA') ? 'Operator access' : 'Broadband',
            reference: { kind: 'other', value: row.number },
          },
        },
      );
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/{number}/customer-update',
      summary: 'Answer an Incomplete switch order: what was missing, optionally a new date (Customer Update, O-17)',
      request: { params: NumberParam, body: jsonBody(CustomerUpdateBody) },
      responses: { 200: jsonResponse(SwitchSchema, 'The switch in Customer Update'), ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      assertCanOrder(c.get('user'));
      const body = c.req.valid('json');
      const input = { actor: c.get('actor'), comment: body.comment, ...(body.requestedDate ? { requestedDate: body.requestedDate } : {}), ...(body.slotId ? { slotId: body.slotId } : {}) };
      const row = await runPortfolioOrderAction(deps, c, c.get('caseRow'), 'customerUpdate', input);
      return c.json(presentSwitch(row.detail as SwitchOrderView, c.get('actor')), 200);
    },
  );

  return router;
}
