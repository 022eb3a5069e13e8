// What every case type's routes share: the page shape of lists and the registration of a new case
// (tenancy lives in kit/load-case.ts).
import type { Workflow } from '@temporalio/common';
import type postgres from 'postgres';
import { upsertCase } from '../db/cases';
import type { CaseProjection } from '../domain/case';
import type { AppDeps } from './context';
import { recordStart } from './kit/workflow-starts';

export type { Page } from './kit/page';

/**
 * A new case, inside the creating transaction: its first read-model row and its workflow's start
 * (ID = case ID, search attributes for the Temporal UI, A-6). The start is sent after the commit
 * (createOnce), never while the transaction is open; a crash in between leaves it to the sweeper.
 */
export async function registerCase<W extends Workflow>(tx: postgres.TransactionSql, deps: AppDeps, workflowType: string, projection: CaseProjection, args: Parameters<W>): Promise<void> {
  await upsertCase(tx, projection);
  await recordStart(tx, {
    caseId: projection.caseId,
    workflowType,
    taskQueue: deps.config.taskQueue,
    args,
    search: { caseType: projection.caseType, companyId: projection.companyId, number: projection.number, status: projection.status },
  });
}
