// Case workflows are started after the transaction that wrote their first read-model row has
// committed, never from inside it: a transaction held across a Temporal call pins a connection while
// the workflow's own first publish needs one (a deadlock with a small pool). `registerCase` writes the
// start into `workflow_starts` in the caller's transaction; `createOnce` sends it after the commit; the
// sweeper sends any start a crash left behind. The workflow ID is the case ID and a second start of
// the same ID is accepted as already done, so a start is never sent twice to effect.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type postgres from 'postgres';
import type { Queryable, Sql } from '../../db/client';
import { caseSearchAttributes } from '../../workflows/search-attributes';

export interface CaseStart {
  caseId: string;
  workflowType: string;
  taskQueue: string;
  args: unknown[];
  search: { caseType: string; companyId: string; number: string; status: string };
}

/** Starts owed by a transaction, sent once it has committed (see createOnce). */
const owedByTransaction = new WeakMap<object, CaseStart[]>();

export function owedStarts(tx: postgres.TransactionSql): CaseStart[] {
  let list = owedByTransaction.get(tx);
  if (!list) owedByTransaction.set(tx, (list = []));
  return list;
}

/** Records the start in the caller's transaction; it is sent after the commit. */
export async function recordStart(tx: postgres.TransactionSql, start: CaseStart): Promise<void> {
  await tx`INSERT INTO workflow_starts (case_id, workflow_type, task_queue, args, search)
           VALUES (${start.caseId}, ${start.workflowType}, ${start.taskQueue}, ${tx.json(start.args as never)}, ${tx.json(start.search)})
           ON CONFLICT (case_id) DO NOTHING`;
  owedStarts(tx).push(start);
}

/** Sends one start (idempotent by workflow ID) and forgets it. */
export async function sendStart(sql: Queryable, temporal: Client, start: CaseStart): Promise<void> {
  try {
    await temporal.workflow.start(start.workflowType, {
      workflowId: start.caseId,
      taskQueue: start.taskQueue,
      args: start.args,
      typedSearchAttributes: caseSearchAttributes(start.search),
      // a start already sent (before a crash, or by the sweeper) is not an error
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      // a case's workflow runs once: a late start after it ended must not run it again
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    // a case whose workflow already ran to its end (closed IDs are not reused): nothing is owed
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  await sql`DELETE FROM workflow_starts WHERE case_id = ${start.caseId}`;
}

/** Sends the starts a crash (or an unreachable Temporal) left behind; returns how many were sent. */
export async function sendStalledStarts(sql: Sql, temporal: Client, olderThanMs = 3000): Promise<number> {
  const rows = await sql<{ case_id: string; workflow_type: string; task_queue: string; args: unknown[]; search: CaseStart['search'] }[]>`
    SELECT case_id, workflow_type, task_queue, args, search FROM workflow_starts
    WHERE created_at < now() - make_interval(secs => ${olderThanMs / 1000}) ORDER BY created_at LIMIT 100`;
  let sent = 0;
  for (const r of rows) {
    try {
      await sendStart(sql, temporal, { caseId: r.case_id, workflowType: r.workflow_type, taskQueue: r.task_queue, args: r.args, search: r.search });
      sent++;
    } catch (err) {
      await sql`UPDATE workflow_starts SET attempts = attempts + 1, last_error = ${err instanceof Error ? err.message.slice(0, 500) : String(err)} WHERE case_id = ${r.case_id}`;
    }
  }
  return sent;
}

/** The sweeper: every API process runs one (harmless in parallel: starts are idempotent). */
export function startSweeper(sql: Sql, temporal: Client, intervalMs = 2000): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (stopped) return;
    running = sendStalledStarts(sql, temporal).catch((err: unknown) => console.warn('workflow start sweeper:', err instanceof Error ? err.message : err));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
