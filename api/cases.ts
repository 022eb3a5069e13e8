// Tenancy and list helpers shared by every case type's routes (A-1, A-2).
import type { Workflow } from '@temporalio/common';
import type postgres from 'postgres';
import type { Sql } from '../db/client';
import { type CaseRow, upsertCase } from '../db/cases';
import type { CaseProjection, CaseType } from '../domain/case';
import { isExternal } from '../domain/identity';
import { actorOf, type AppDeps, type AuthUser } from './context';
import { problems } from './problem';
import { recordStart } from './kit/workflow-starts';

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
 * A new case, inside the creating transaction: its first read-model row and its workflow's start
 * (ID = case ID, search attributes for the Temporal UI, A-6). The start is sent after the commit
 * (createOnce), never while the transaction is open; a crash in between leaves it to the sweeper.
 */
export async function registerCase<W extends Workflow>(
  tx: postgres.TransactionSql, deps: AppDeps, workflowType: string, projection: CaseProjection, args: Parameters<W>,
): Promise<void> {
  await upsertCase(tx, projection);
  await recordStart(tx, {
    caseId: projection.caseId, workflowType, taskQueue: deps.config.taskQueue, args,
    search: { caseType: projection.caseType, companyId: projection.companyId, number: projection.number, status: projection.status },
  });
}
