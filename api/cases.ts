// Tenancy and list helpers shared by every case type's routes (A-1, A-2).
import type { WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type postgres from 'postgres';
import type { Sql } from '../db/client';
import { type CaseRow, upsertCase } from '../db/cases';
import type { CaseProjection, CaseType } from '../domain/case';
import { caseSearchAttributes } from '../workflows/search-attributes';
import { isExternal } from '../domain/identity';
import { actorOf, type AppDeps, type AuthUser } from './context';
import { problems } from './problem';

/**
 * A-1: a reseller sees only its own company's cases; another company's case answers 404, so
 * its existence is not revealed. Handlers and ops see all companies (A-2, A-6).
 */
export async function findCaseFor(sql: Sql, user: AuthUser, number: string, type?: CaseType): Promise<CaseRow> {
  const [row] = await sql<CaseRow[]>`
    SELECT * FROM cases WHERE number = ${number} ${type ? sql`AND case_type = ${type}` : sql``}`;
  if (!row || (isExternal(actorOf(user)) && row.company_id !== user.companyId)) throw problems.notFound(`Case ${number}`);
  return row;
}

/** The company filter a list must apply: forced for resellers, optional for handlers. */
export function companyScope(user: AuthUser, requested?: string): string | undefined {
  return isExternal(actorOf(user)) ? user.companyId ?? '' : requested;
}

export interface Page<T> { items: T[]; total: number; offset: number; limit: number }

/**
 * A new case, inside the creating transaction: its first read-model row, then its workflow
 * (ID = case ID, search attributes for the Temporal UI, A-6). If the start fails the row is rolled
 * back; if the commit fails the workflow's own first publish writes the row.
 */
export async function registerCase<W extends Workflow>(
  tx: postgres.TransactionSql, deps: AppDeps, workflowType: string, projection: CaseProjection, args: Parameters<W>,
): Promise<void> {
  await upsertCase(tx, projection);
  const options = {
    workflowId: projection.caseId, taskQueue: deps.config.taskQueue, args,
    typedSearchAttributes: caseSearchAttributes(projection),
  } as unknown as WorkflowStartOptions<W>;
  await deps.temporal.workflow.start<W>(workflowType, options);
}
