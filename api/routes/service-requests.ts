// Service requests through the API (rules S-1…S-9): customers create, submit, update, close
// and cancel; handlers take, ask for information, answer and cancel (handler-routes.ts).
import { createRoute, z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import { caseByNumber, type CaseRow, isOpenKeyConflict } from '../../db/cases';
import type { Queryable, Sql } from '../../db/client';
import { AttachmentRef, caseId, caseNumber } from '../../domain/case';
import { type Actor } from '../../domain/identity';
import {
  allowedSrActions,
  areaAllowedFor,
  CASE_REFERENCE_KINDS,
  decideSrAction,
  Department,
  ReferenceKind,
  routeServiceRequest,
  SR_CATALOGUE,
  SrAction,
  SrArea,
  srOpenKey,
  SrStatus,
} from '../../domain/service-request';
import type { serviceRequestWorkflow } from '../../workflows/service-request/workflow';
import { type SrActionInput, srActionUpdates, type SrStartInput, type SrView } from '../../workflows/service-request/messages';
import { newServiceRequest, toProjection } from '../../workflows/service-request/projection';
import { IsoDate } from '../dates';
import { resolveAttachments } from '../attachments';
import { assertCanOrder, requireAuth } from '../auth';
import { type Page, registerCase } from '../cases';
import { scopeCaseParam, tenantOf } from '../kit/load-case';
import { type CallerScope, callerScope, mapPage, pageFields, pageQuery, readPage } from '../kit/page';
import { runAction } from '../kit/run-action';
import type { AppDeps, AppEnv } from '../context';
import { createOnce, IdempotencyKeyHeader, noteCreation } from '../idempotency';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';
import { ownInvoiceNumber } from './invoices';
import type { Context } from 'hono';

// ---- schemas -------------------------------------------------------------------------------

const ReferenceInput = z
  .strictObject({
    kind: ReferenceKind,
    value: z.string().trim().min(1).max(100),
  })
  .superRefine((ref, ctx) => {
    if (ref.kind === 'phone_number' && !/^\d{8}$/.test(ref.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a phone number is 8 digits, no spaces or country code', params: { rule: 'S-5' } });
    }
  })
  .openapi('ServiceRequestReferenceInput');

const AttachmentIds = z.array(z.uuid()).max(10);

function subAreaMustBelongToArea(body: { area: SrArea; subArea?: string }, ctx: z.RefinementCtx) {
  if (body.subArea !== undefined && !routeServiceRequest(body.area, body.subArea)) {
    ctx.addIssue({
      code: 'custom',
      path: ['subArea'],
      params: { rule: 'S-5' },
      message: `not a sub-area of ${body.area}; choose one of: ${Object.keys(SR_CATALOGUE[body.area].subAreas).join(', ')}`,
    });
  }
}

const CreateBody = z
  .strictObject({
    area: SrArea,
    subArea: z.string().min(1),
    reference: ReferenceInput,
    description: z.string().trim().min(10, 'describe the matter in detail (S-5): at least 10 characters').max(4000),
    attachmentIds: AttachmentIds.default([]),
  })
  .superRefine(subAreaMustBelongToArea)
  .openapi('CreateServiceRequest');

const UpdateBody = z
  .strictObject({
    subArea: z.string().min(1).optional(),
    description: z.string().trim().min(10).max(4000).optional(),
    attachmentIds: AttachmentIds.optional(),
  })
  .refine((b) => b.subArea !== undefined || b.description !== undefined || (b.attachmentIds?.length ?? 0) > 0, {
    message: 'give at least one of subArea, description, attachmentIds',
  })
  .openapi('UpdateServiceRequest');

const CommentBody = z.strictObject({ comment: z.string().trim().min(1).max(2000).optional() }).openapi('ActionComment');

const ActivityEntrySchema = z.object({
  at: z.string(),
  by: z.string(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  text: z.string().optional(),
});

export const ServiceRequestSchema = z
  .object({
    number: z.string().openapi({ example: 'SR-000042' }),
    caseId: z.string().openapi({ example: 'service-request:SR-000042' }),
    companyId: z.string(),
    createdBy: z.string(),
    area: SrArea,
    subArea: z.string(),
    department: Department,
    reference: z.object({ kind: ReferenceKind, value: z.string(), caseId: z.string().optional() }),
    description: z.string(),
    attachments: z.array(AttachmentRef),
    status: SrStatus,
    missingInformation: z.string().nullable(),
    answer: z.object({ text: z.string(), attachments: z.array(AttachmentRef) }).nullable(),
    resolution: z.string().nullable(),
    handler: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    version: z.number().int(),
    activity: z.array(ActivityEntrySchema),
    allowedActions: z.array(SrAction).openapi({ description: 'What the calling user may do now (S-7)' }),
  })
  .openapi('ServiceRequest');

const ReferencedCase = z.object({ number: z.string(), caseType: z.string(), status: z.string(), updatedAt: z.string(), updatedBy: z.string() }).openapi('ReferencedCase');

const ServiceRequestDetail = ServiceRequestSchema.extend({
  referencedCase: ReferencedCase.nullable().openapi({ description: "S-2: the referenced case's current status and last change" }),
}).openapi('ServiceRequestDetail');

const SummarySchema = z
  .object({
    number: z.string(),
    companyId: z.string(),
    status: z.string(),
    area: z.string(),
    subArea: z.string(),
    department: z.string().nullable(),
    referenceKind: z.string(),
    reference: z.string(),
    title: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('ServiceRequestSummary');

export const SummaryPage = z
  .object({
    items: z.array(SummarySchema),
    ...pageFields,
  })
  .openapi('ServiceRequestPage');

const SR_NUMBER = /^SR-\d{6,}$/;
const NumberParam = z.object({
  number: z
    .string()
    .regex(SR_NUMBER, 'an SR number like SR-000042')
    .openapi({ param: { name: 'number', in: 'path' }, example: 'SR-000042' }),
});

const ListQuery = z.object({
  status: SrStatus.optional(),
  area: SrArea.optional(),
  referenceKind: ReferenceKind.optional(),
  reference: z.string().max(100).optional(),
  q: z.string().max(100).optional().openapi({ description: 'Text anywhere in number, title, references' }),
  createdFrom: IsoDate.optional(),
  createdTo: IsoDate.optional(),
  companyId: z.string().optional().openapi({ description: 'Handlers only; resellers always see their own company' }),
  ...pageQuery({ limit: 25 }),
});

// ---- shared pieces -------------------------------------------------------------------------

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

function summary(r: SummaryRow): z.infer<typeof SummarySchema> {
  return {
    number: r.number,
    companyId: r.company_id,
    status: r.status,
    area: r.refs.area ?? '',
    subArea: r.refs.subArea ?? '',
    department: r.queue,
    referenceKind: r.refs.referenceKind ?? '',
    reference: r.refs.reference ?? '',
    title: r.title,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by,
  };
}

export function presentSr(view: SrView, actor: Actor): z.infer<typeof ServiceRequestSchema> {
  return { ...view, allowedActions: allowedSrActions(view.status, actor) };
}

export async function listServiceRequests(
  sql: Sql,
  filter: z.infer<typeof ListQuery> & { queue?: string; statuses?: readonly string[] },
  scope: CallerScope,
): Promise<Page<z.infer<typeof SummarySchema>>> {
  const conditions = [
    sql`case_type = 'service_request'`,
    filter.companyId !== undefined ? sql`company_id = ${filter.companyId}` : null,
    filter.status ? sql`status = ${filter.status}` : null,
    filter.statuses ? sql`status = ANY(${filter.statuses as string[]})` : null,
    filter.queue ? sql`queue = ${filter.queue}` : null,
    filter.area ? sql`refs ->> 'area' = ${filter.area}` : null,
    filter.referenceKind ? sql`refs ->> 'referenceKind' = ${filter.referenceKind}` : null,
    filter.reference ? sql`lower(refs ->> 'reference') = ${filter.reference.trim().toLowerCase()}` : null,
    filter.q ? sql`search_text LIKE ${'%' + filter.q.toLowerCase().replace(/[%_\\]/g, (m) => '\\' + m) + '%'}` : null,
    filter.createdFrom ? sql`created_at >= ${filter.createdFrom}::date` : null,
    filter.createdTo ? sql`created_at < ${filter.createdTo}::date + 1` : null,
  ].filter((x): x is postgres.PendingQuery<postgres.Row[]> => x !== null);
  const where = conditions.reduce((acc, cond) => sql`${acc} AND ${cond}`);
  // a queue is worked oldest change first, a company's list shows the newest first (index cases_company_page, 022)
  const desc = !filter.queue;
  const page = await readPage<SummaryRow>(sql, {
    select: sql`number, company_id, status, refs, queue, title, created_at, updated_at, updated_by`,
    from: sql`cases`,
    where,
    keys: [
      { sql: sql`updated_at`, type: 'timestamptz', desc },
      { sql: sql`number`, type: 'text', desc },
    ],
    page: filter,
    list: `service-requests:${desc ? 'newest' : 'oldest'}`,
    scope,
  });
  return mapPage(page, summary);
}

async function referencedCase(sql: Sql, view: SrView) {
  if (!view.reference.caseId) return null;
  const [row] = await sql<{ number: string; case_type: string; status: string; updated_at: Date; updated_by: string }[]>`
    SELECT number, case_type, status, updated_at, updated_by FROM cases WHERE case_id = ${view.reference.caseId}`;
  return row ? { number: row.number, caseType: row.case_type, status: row.status, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by } : null;
}

/** Runs one S-7 action on an SR loaded through the tenancy loader (customer and handler routes alike). */
export async function runSrAction(deps: AppDeps, c: Context<AppEnv>, row: CaseRow, action: SrAction, input: Omit<SrActionInput, 'actor'>) {
  const actor = c.get('actor');
  const cmd: SrActionInput = { actor, ...input };
  const after = await runAction<SrActionInput, SrView>(deps, c, {
    row,
    action,
    update: srActionUpdates[action],
    input: cmd,
    check: (view) => decideSrAction(view, action, cmd),
  });
  return presentSr(after.detail as SrView, actor);
}

// ---- routes --------------------------------------------------------------------------------

export function serviceRequestRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use('*', requireAuth(deps));
  scopeCaseParam(router, 'service_request', SR_NUMBER, deps.sql);
  const secured = { security: [{ bearer: [] }], tags: ['Service requests'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/catalogue',
      summary: 'Areas, sub-areas, routing and reference kinds (S-4, S-5)',
      responses: {
        200: jsonResponse(
          z.object({
            areas: z.array(z.object({ area: SrArea, description: z.string(), subAreas: z.array(z.object({ subArea: z.string(), department: Department })) })),
            referenceKinds: z.array(ReferenceKind),
          }),
          'The catalogue',
        ),
        ...problemResponses(401),
      },
    }),
    (c) =>
      c.json(
        {
          areas: SrArea.options.map((area) => ({
            area,
            description: SR_CATALOGUE[area].description,
            subAreas: Object.entries(SR_CATALOGUE[area].subAreas).map(([subArea, department]) => ({ subArea, department })),
          })),
          referenceKinds: ReferenceKind.options,
        },
        200,
      ),
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/reference-check',
      summary: "Before sending: the referenced case's status and any open SR about the same matter (S-2, S-6)",
      request: {
        query: z.object({
          kind: ReferenceKind,
          value: z.string().trim().min(1).max(100),
          area: SrArea.optional(),
          subArea: z.string().max(100).optional().openapi({ description: 'S-2: the sub-area of the new request (another sub-area is another matter)' }),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({
            referencedCase: ReferencedCase.nullable(),
            openRequests: z.array(SummarySchema),
            duplicateOf: z.string().nullable().openapi({ description: 'S-2: the open SR a new one in this area (and sub-area, when given) would duplicate' }),
          }),
          'What is already known about the reference',
        ),
        ...problemResponses(400, 401),
      },
    }),
    async (c) => {
      const { kind, value, area, subArea } = c.req.valid('query');
      const user = c.get('user');
      const companyId = tenantOf(user) ?? '';
      const target = CASE_REFERENCE_KINDS.includes(kind) ? await caseByNumber(deps.sql, kind as 'order' | 'quote' | 'trouble_ticket', value) : undefined;
      const visible = target && target.company_id === companyId ? target : undefined;
      const open = await listServiceRequests(
        deps.sql,
        { companyId, referenceKind: kind, reference: value, statuses: ['New', 'Submitted', 'In Process', 'Incomplete'], offset: 0, limit: 100 },
        callerScope(deps.config, c.get('user')),
      );
      return c.json(
        {
          referencedCase: visible ? { number: visible.number, caseType: visible.case_type, status: visible.status, updatedAt: visible.updated_at.toISOString(), updatedBy: visible.updated_by } : null,
          openRequests: open.items,
          duplicateOf: area ? (open.items.find((i) => i.area === area && (subArea === undefined || i.subArea === subArea))?.number ?? null) : null,
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/',
      summary: 'Create a service request (status New)',
      request: {
        headers: IdempotencyKeyHeader,
        body: jsonBody(CreateBody),
      },
      responses: { 201: jsonResponse(ServiceRequestSchema, 'Created'), ...problemResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      const user = c.get('user');
      const actor = c.get('actor');
      assertCanOrder(user);
      const body = c.req.valid('json');
      const companyId = user.companyId!;
      c.set('audit', { action: 'service_request.create', companyId });
      const openKey = srOpenKey(body.area, body.subArea, body.reference.kind, body.reference.value);
      // S-2: the same area, sub-area and reference (an SR raised before the sub-area was part of the key has the older key)
      const legacyKey = srOpenKey(body.area, undefined, body.reference.kind, body.reference.value);
      const duplicate = async (db: Queryable = deps.sql) => {
        const [open] = await db<{ number: string; status: string }[]>`SELECT number, status FROM cases WHERE company_id = ${companyId}
          AND (open_key = ${openKey} OR (open_key = ${legacyKey} AND refs ->> 'subArea' = ${body.subArea}))`;
        return open;
      };
      try {
        const result = await createOnce(deps, { userId: user.id, key: c.req.header('idempotency-key'), fingerprint: ['POST /v1/service-requests', body] }, async (tx) => {
          if (!areaAllowedFor(body.area, actor)) {
            throw problems.forbidden("User administration requests come only from the company's authorised orderer (full access) (S-4)", 'S-4');
          }
          const reference: SrStartInput['reference'] = { kind: body.reference.kind, value: body.reference.value };
          if (CASE_REFERENCE_KINDS.includes(reference.kind)) {
            // S-6: a reference to a case of this system must exist in the company and is linked
            const target = await caseByNumber(tx, reference.kind as 'order' | 'quote' | 'trouble_ticket', reference.value);
            if (!target || target.company_id !== companyId) {
              throw problems.validation([{ field: 'body.reference.value', code: 'reference_not_found', rule: 'S-6', message: `no ${reference.kind} ${reference.value} in your company` }]);
            }
            reference.caseId = target.case_id;
          }
          // S-6, M-3.4: an invoice reference names one of the company's invoices (a dispute of it)
          if (reference.kind === 'invoice') reference.value = await ownInvoiceNumber(tx, companyId, reference.value);
          if (body.area === 'Escalation') {
            // S-4: escalate only what was raised with customer service first
            const [delivery] = await tx`
            SELECT number FROM cases WHERE case_type = 'service_request' AND company_id = ${companyId} AND refs ->> 'area' = 'Delivery'
              AND refs ->> 'referenceKind' = ${reference.kind} AND lower(refs ->> 'reference') = ${reference.value.toLowerCase()} AND status <> 'New'
            LIMIT 1`;
            if (!delivery) {
              throw problems.unprocessable(
                'escalation_without_delivery_request',
                `Raise the matter with customer service first: no submitted Delivery request refers to ${reference.kind} ${reference.value} (S-4)`,
                { rule: 'S-4' },
              );
            }
          }
          const existing = await duplicate(tx);
          if (existing) throw duplicateProblem(existing);
          const attachments = await resolveAttachments(tx, companyId, body.attachmentIds, 'body.attachmentIds');
          const [seq] = await tx<{ n: string }[]>`SELECT nextval('service_request_number_seq') AS n`;
          const number = caseNumber('service_request', Number(seq!.n), deps.config.caseNumberKey);
          const input: SrStartInput = {
            caseId: caseId('service_request', number),
            number,
            companyId,
            actor,
            area: body.area,
            subArea: body.subArea,
            department: routeServiceRequest(body.area, body.subArea)!,
            reference,
            description: body.description,
            attachments,
            createdAt: new Date().toISOString(),
            timing: { autoCloseAfter: deps.config.timings.serviceRequestAutoClose },
          };
          const view = newServiceRequest(input);
          await registerCase<typeof serviceRequestWorkflow>(tx, deps, 'serviceRequestWorkflow', toProjection(view), [input]);
          return { status: 201, body: presentSr(view, actor) };
        });
        const created = result.body as z.infer<typeof ServiceRequestSchema>;
        noteCreation(c, 'service_request.create', companyId, created, result.replayed);
        return c.json(created, 201);
      } catch (err) {
        // two requests raced past the check: the unique index decides (S-2)
        if (isOpenKeyConflict(err)) {
          const open = await duplicate();
          if (open) throw duplicateProblem(open);
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
      summary: "List and search the company's service requests",
      request: { query: ListQuery },
      responses: { 200: jsonResponse(SummaryPage, 'A page of service requests'), ...problemResponses(400, 401) },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const companyId = tenantOf(c.get('user')) ?? query.companyId;
      return c.json(await listServiceRequests(deps.sql, { ...query, companyId }, callerScope(deps.config, c.get('user'))), 200);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/{number}',
      summary: 'One service request with its whole activity log',
      request: { params: NumberParam },
      responses: { 200: jsonResponse(ServiceRequestDetail, 'The service request'), ...problemResponses(401, 404) },
    }),
    async (c) => {
      const view = c.get('caseRow').detail as SrView;
      return c.json({ ...presentSr(view, c.get('actor')), referencedCase: await referencedCase(deps.sql, view) }, 200);
    },
  );

  const customerAction = (path: string, action: SrAction, summaryText: string, body: z.ZodType, toInput: (b: never, c: Context<AppEnv>) => Promise<Omit<SrActionInput, 'actor'>>) =>
    router.openapi(
      createRoute({
        ...secured,
        method: 'post',
        path: `/{number}/${path}`,
        summary: summaryText,
        request: { params: NumberParam, body: { ...jsonBody(body), required: false } },
        responses: { 200: jsonResponse(ServiceRequestSchema, 'The service request after the action'), ...problemResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        assertCanOrder(c.get('user'));
        const raw = (c.req.valid('json' as never) ?? {}) as never;
        return c.json(await runSrAction(deps, c, c.get('caseRow'), action, await toInput(raw, c)), 200);
      },
    );

  customerAction('submit', 'submit', 'Submit (New or Incomplete → Submitted)', CommentBody, async (b: z.infer<typeof CommentBody>) => ({ ...(b.comment ? { text: b.comment } : {}) }));
  customerAction('update', 'update', 'Change sub-area, description or attachments while New or Incomplete', UpdateBody, async (b: z.infer<typeof UpdateBody>, c) => {
    const row = c.get('caseRow');
    return {
      changes: {
        ...(b.subArea !== undefined ? { subArea: b.subArea } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.attachmentIds ? { addAttachments: await resolveAttachments(deps.sql, row.company_id, b.attachmentIds, 'body.attachmentIds') } : {}),
      },
    };
  });
  customerAction('close', 'close', 'Close: it no longer waits for handling (S-8)', CommentBody, async (b: z.infer<typeof CommentBody>) => ({ ...(b.comment ? { text: b.comment } : {}) }));
  customerAction('cancel', 'cancel', 'Cancel the request', CommentBody, async (b: z.infer<typeof CommentBody>) => ({ ...(b.comment ? { text: b.comment } : {}) }));

  return router;
}

function duplicateProblem(open: { number: string; status: string }) {
  return problems.conflict('duplicate_service_request', `${open.number} (${open.status}) is already open about the same matter: follow it instead of sending another (S-2)`, {
    rule: 'S-2',
    existing: open.number,
  });
}
