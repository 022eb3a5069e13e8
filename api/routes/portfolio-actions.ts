// "Pre-check the status table → executeUpdate → map the refusal" for the portfolio issue's case
// types (switch-ISP, termination), the same steps runSrAction takes for service requests.
import type { UpdateDefinition } from '@temporalio/common';
import type { Context } from 'hono';
import { caseByNumber, type CaseRow } from '../../db/cases';
import type { CaseType } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import { findCaseFor } from '../cases';
import type { AppDeps, AppEnv } from '../context';
import { actionNotAllowed, isWorkflowGone, problemFromUpdateError } from '../workflow-errors';

export interface CaseAction<V, I extends { actor: Actor }> {
  type: CaseType;
  number: string;
  action: string;
  rule: string;
  allowed: (status: string, actor: Actor) => string[];
  update: UpdateDefinition<V, [I]>;
  input: Omit<I, 'actor'>;
  /** Set when the row is already known (e.g. checked by the caller). */
  row?: CaseRow;
}

/**
 * Tenancy (404 for another company's case), the status table from the read model (409 without
 * touching the workflow), then the workflow's Update, whose validator decides under races.
 */
export async function runCaseAction<V, I extends { actor: Actor }>(deps: AppDeps, c: Context<AppEnv>, a: CaseAction<V, I>): Promise<V> {
  const actor = c.get('actor');
  const row = a.row ?? await findCaseFor(deps.sql, c.get('user'), a.number, a.type);
  c.set('audit', { caseId: row.case_id, companyId: row.company_id, action: `${a.type}.${a.action}` });
  const refuse = (status: string) => actionNotAllowed({
    status, action: a.action, rule: a.rule, allowedActions: a.allowed(status, actor),
    message: `'${a.action}' is not allowed on ${a.number} in status ${status}`,
  });
  if (!a.allowed(row.status, actor).includes(a.action)) throw refuse(row.status);
  try {
    return await deps.temporal.workflow.getHandle(row.case_id).executeUpdate(a.update, { args: [{ ...a.input, actor } as I] });
  } catch (err) {
    const problem = problemFromUpdateError(err);
    if (problem) throw problem;
    if (isWorkflowGone(err)) throw refuse((await caseByNumber(deps.sql, a.type, a.number))?.status ?? row.status);
    throw err;
  }
}
