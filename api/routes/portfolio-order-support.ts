// Switch-ISP and termination orders through the API: the one runner of their actions, the handler's
// list, the answer to submit (the order system's registration at once) and the refusal of an order
// action on a case of the first model (switchIspWorkflow / terminationWorkflow, kept for open cases).
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type postgres from 'postgres';
import { caseByNumber, type CaseRow } from '../../db/cases';
import type { Sql } from '../../db/client';
import type { Actor } from '../../domain/identity';
import { LINE_STATUSES } from '../../domain/order';
import { allowedPortfolioNextSteps, allowedPortfolioOrderActions, decidePortfolioOrderAction, PORTFOLIO_ORDER_ACTIONS, type PortfolioOrderAction } from '../../domain/portfolio-order';
import { osloDate } from '../../domain/time';
import { isPortfolioOrder, type PortfolioOrderActionInput, portfolioOrderUpdates, type PortfolioOrderView } from '../../workflows/switch-isp/order-messages';
import type { AppDeps, AppEnv } from '../context';
import { actionNotAllowed, runAction } from '../kit/run-action';
import { type CallerScope, mapPage, pageQuery, oldestUpdatedFirst, readPage } from '../kit/page';

/** The fields an order adds to a switch or termination (absent on a case of the first model). */
export const PortfolioOrderFieldsSchema = {
  model: z.literal('order').optional().openapi({ description: "'order': registered in the order system at submit and following the order line's statuses (O-14, O-15)" }),
  kind: z.enum(['switch_isp', 'termination']).optional(),
  customerOrderId: z.string().nullable().optional().openapi({ description: 'O-14: the order system’s Customer Order Id, given at submit' }),
  agreedDate: z.string().nullable().optional().openapi({ description: 'O-14: the date agreed with the order system; the order is carried out on it' }),
  statusDescription: z.string().nullable().optional().openapi({ description: 'O-14: why Rejected, or the handler’s status text' }),
  comment: z.string().nullable().optional().openapi({ description: 'O-17: what is missing (Incomplete), or the handler’s note' }),
  installationDate: z.string().nullable().optional().openapi({ description: 'O-15: the installation date set with Field Service (M)' }),
  allowedNextSteps: z
    .array(z.string())
    .optional()
    .openapi({ description: 'O-15: the delivery steps the calling user may move the order to now with advance (a handler: the one next step; Finished comes with the execution)' }),
  followUp: z.enum(['due', 'done']).optional().openapi({ description: "A-2, O-14: a rejection by the order system waits for customer service's follow-up with the reseller ('due'), then 'done'" }),
};

export const ORDER_ACTION_DESCRIPTION =
  'What the calling user may do now (orders: changeDate, withdraw, customerUpdate; handlers: inProgress, incomplete, reject, advance, cancelByOperator, followUp)';

export function allowedActionsOf(view: PortfolioOrderView, actor: Actor): PortfolioOrderAction[] {
  return allowedPortfolioOrderActions(view, actor);
}

/** A switch or termination order as the caller sees it: what they may do now and, for a handler, the next delivery steps (O-15). */
export function presentPortfolioOrder<V extends PortfolioOrderView>(view: V, actor: Actor): V & { allowedActions: PortfolioOrderAction[]; allowedNextSteps: string[] } {
  return { ...view, allowedActions: allowedActionsOf(view, actor), allowedNextSteps: allowedPortfolioNextSteps(view, actor) };
}

/**
 * Runs an action on a switch or termination order (the same decision the workflow's validator takes).
 * A case of the first model answers 409: it has no such action.
 */
export async function runPortfolioOrderAction(deps: AppDeps, c: Context<AppEnv>, row: CaseRow, action: PortfolioOrderAction, input: PortfolioOrderActionInput): Promise<CaseRow> {
  const view = row.detail as PortfolioOrderView;
  if (!isPortfolioOrder(view)) {
    c.set('audit', { ...c.get('audit'), caseId: row.case_id, companyId: row.company_id, action: `${row.case_type}.${action}` });
    throw actionNotAllowed({
      status: row.status,
      action,
      allowedActions: [],
      rule: 'O-14',
      message: `${row.number} was registered before switches and terminations became orders: '${action}' is not one of its actions`,
    });
  }
  return runAction(deps, c, {
    row,
    action,
    update: portfolioOrderUpdates[action],
    input,
    check: (v: PortfolioOrderView) => decidePortfolioOrderAction(v, action, input, osloDate(new Date())),
  });
}

/**
 * O-14 at submit: the order system answers at once. The route waits briefly (bounded) for the
 * workflow's answer so the reply shows Registered with the Customer Order Id and Agreed Date, or
 * Rejected with the reason; when the order system is slow the reply shows Committed and the answer follows.
 */
export async function awaitRegistration(sql: Sql, type: 'switch_isp' | 'termination', number: string, withinMs = 4_000): Promise<CaseRow | undefined> {
  const until = Date.now() + withinMs;
  for (;;) {
    const row = await caseByNumber(sql, type, number);
    if (row && row.status !== 'Committed') return row;
    if (Date.now() >= until) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const HandlerListQuery = z.object({
  status: z.enum(LINE_STATUSES).optional().openapi({ description: 'One status; by default the queues: waiting for the wholesaler and rejected by the order system (follow-up)' }),
  companyId: z.string().max(40).optional(),
  ...pageQuery({ limit: 50 }),
});

export const HandlerListItem = z
  .object({
    number: z.string(),
    companyId: z.string(),
    status: z.string(),
    queue: z.string().nullable().openapi({ description: "'order-handling' (waiting for the wholesaler) or 'order-follow-up' (rejected by the order system)" }),
    customerOrderId: z.string().nullable(),
    reference: z.string(),
    requestedDate: z.string(),
    title: z.string(),
    statusText: z.string().nullable(),
    allowedActions: z.array(z.enum(PORTFOLIO_ORDER_ACTIONS)),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .openapi('PortfolioOrderQueueItem');

/** the handler's queue of switch or termination orders (oldest change first). */
export async function handlerQueue(sql: Sql, type: 'switch_isp' | 'termination', q: z.infer<typeof HandlerListQuery>, actor: Actor, scope: CallerScope) {
  const conditions = [
    sql`case_type = ${type}`,
    sql`refs ->> 'model' = 'order'`,
    q.status ? sql`status = ${q.status}` : sql`queue IN ('order-handling', 'order-follow-up')`,
    q.companyId ? sql`company_id = ${q.companyId}` : null,
  ].filter((x): x is postgres.PendingQuery<postgres.Row[]> => x !== null);
  const where = conditions.reduce((acc, cond) => sql`${acc} AND ${cond}`);
  const page = await readPage<CaseRow>(sql, {
    select: sql`*`,
    from: sql`cases`,
    where,
    keys: oldestUpdatedFirst(sql),
    page: q,
    list: `handler:${type}`,
    scope,
  });
  return mapPage(page, (r) => ({
    number: r.number,
    companyId: r.company_id,
    status: r.status,
    queue: r.queue,
    customerOrderId: r.refs.customerOrderId ?? null,
    reference: r.refs.reference ?? '',
    requestedDate: r.refs.requestedDate ?? '',
    title: r.title,
    statusText: (r.detail as PortfolioOrderView).statusDescription ?? null,
    allowedActions: allowedActionsOf(r.detail as PortfolioOrderView, actor),
    updatedAt: r.updated_at.toISOString(),
    updatedBy: r.updated_by,
  }));
}
