// The one runner of every caller action on a case (the second of an action's three hops): the
// route has parsed the input and loaded the case through loadCase (tenancy); the runner asks the
// case's own decision function on the read model (a refusal answers without touching the workflow),
// sends the Update — whose validator, and again its handler under the case's lock, decide under
// races — and maps the outcome. Every Temporal call of a request has a deadline (requestDeadline):
// past it the answer is 503 with Retry-After, and the Update, if the workflow accepted it, completes
// on its own (a case is changed by its workflow only, whole or not at all).
import { createHash } from 'node:crypto';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Context, MiddlewareHandler } from 'hono';
import { type CaseRow } from '../../db/cases';
import type { Queryable } from '../../db/client';
import type { Refusal } from '../../domain/refusal';
import { UPSTREAM_FAILURE } from '../../workflows/order/upstream';
import { REFUSAL, type FieldProblem as WorkflowFieldProblem, type NotAllowedDetails } from '../../workflows/refusals';
import type { AppDeps, AppEnv } from '../context';
import { checkKeyFormat, claimKey } from '../idempotency';
import { HttpProblem, problems } from '../problem';
import { isUpdateRefusedWhileTaskFails } from '../temporal-client';

/** How long a request may wait on Temporal in all (starts, Updates, queries) before it answers 503. */
export const DEFAULT_REQUEST_DEADLINE_MS = 10_000;
/** Seconds a client is told to wait before trying again after a deadline. */
const RETRY_AFTER_SECONDS = 5;

export interface CaseAction<I, V, R = unknown> {
  /** The case, loaded through loadCase (tenancy) by the route. */
  row: CaseRow;
  /** The action's name, for the audit row (`order_line.cancel`) and refusals. */
  action: string;
  update: UpdateDefinition<R, [I]>;
  input: I;
  /** The workflow's own decision on the read model's view of the case (the same function its validator calls). */
  check?: (view: V) => Refusal | undefined;
  /**
   * What the Idempotency-Key is held for, when the Update's input is computed from the case as it is now (a
   * whole-order cancel's per-line charges) and so differs on a resend: the request as the client sent it.
   */
  fingerprint?: unknown;
}

/** Runs the action and answers the case's read-model row after it (read-your-writes: the handler published before returning). */
export async function runAction<I, V>(deps: Pick<AppDeps, 'sql' | 'temporal'>, c: Context<AppEnv>, a: CaseAction<I, V>): Promise<CaseRow> {
  return (await runActionFor(deps, c, a)).row;
}

/**
 * runAction for an action whose Update answers more than the case's status (a Project order's bulk step
 * answers per line): the Update's result too. A replayed key reads the first request's result back from
 * Temporal by its Update ID (undefined only when Temporal no longer holds it).
 */
export async function runActionFor<I, V, R>(deps: Pick<AppDeps, 'sql' | 'temporal'>, c: Context<AppEnv>, a: CaseAction<I, V, R>): Promise<{ row: CaseRow; result: R | undefined }> {
  c.set('audit', { ...c.get('audit'), caseId: a.row.case_id, companyId: a.row.company_id, action: `${a.row.case_type}.${a.action}` });
  const handle = deps.temporal.workflow.getHandle(a.row.case_id);
  const key = await claimActionKey(deps.sql, c, a);
  if (key?.replayed) {
    // the first request with this key was applied: answer the case as it is now, without acting again
    c.header('Idempotency-Replayed', 'true');
    const first = await handle
      .getUpdateHandle<R>(key.updateId)
      .result()
      .catch(() => undefined);
    return { row: (await rowById(deps.sql, a.row.case_id)) ?? a.row, result: first };
  }
  // a retry of a request that got no answer skips the precheck: its own action may be what changed the case
  const early = key?.retry ? undefined : a.check?.(a.row.detail as V);
  if (early) {
    await key?.release();
    throw problemOfRefusal(early);
  }
  let result: R;
  try {
    result = await handle.executeUpdate(a.update, { args: [a.input], ...(key ? { updateId: key.updateId } : {}) });
    await key?.answered();
  } catch (err) {
    // past the deadline the key stays claimed, so the retry joins the same Update (its ID) instead of acting twice
    if (!deadlineError(err)) await key?.release();
    const mapped = problemOfUpdateFailure(err);
    if (mapped) throw mapped;
    // "not found" from an engine mid-restart (its history service moving shards) is no ended case: the
    // case's own status says which (found by the cluster run's restart under load: a draft order answered 409)
    const notFound = isWorkflowGone(err);
    const ended =
      notFound &&
      (await handle.describe().then(
        (d) => d.status.name !== 'RUNNING',
        (e: unknown) => e instanceof WorkflowNotFoundError,
      ));
    if (updateLost(err) || isUpdateRefusedWhileTaskFails(err) || (notFound && !ended)) {
      // the engine dropped an Update the case had not accepted (its workflow task failed: a worker died, the
      // history service restarted), or refused it while the task waits for another worker: nothing was
      // applied and the key is free, so a resend sends it anew
      c.header('Retry-After', '1');
      throw new HttpProblem(503, 'update_lost', 'The case did not take the action', { detail: 'The workflow engine lost the action before the case accepted it; nothing was changed: send it again.' });
    }
    if (ended) {
      // the case has ended: judge the action on its last state
      const latest = (await rowById(deps.sql, a.row.case_id)) ?? a.row;
      const refusal = a.check?.(latest.detail as V);
      throw refusal
        ? problemOfRefusal(refusal)
        : problems.conflict('action_not_allowed', `${latest.number} is ${latest.status}: '${a.action}' is no longer possible`, {
            currentStatus: latest.status,
            action: a.action,
            allowedActions: [],
          });
    }
    throw err;
  }
  return { row: (await rowById(deps.sql, a.row.case_id)) ?? a.row, result };
}

interface ActionKey {
  /** The Temporal Update ID derived from the key: a resent request joins the first one's Update, or reads its outcome. */
  updateId: string;
  /** An earlier request with this key was applied and answered. */
  replayed: boolean;
  /** An earlier request with this key got no answer (503 past the deadline, or still under way). */
  retry: boolean;
  answered(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Idempotency-Key on an action (as on every create): the key is held per user with a fingerprint of
 * the case, action and input; its Update ID makes Temporal apply the action once however often it is
 * sent (a client that got 503 resends with the same key and gets the outcome, not a second action nor a
 * 409 from its own first attempt). A refusal frees the key: nothing was applied.
 */
async function claimActionKey<I, V, R>(sql: Queryable, c: Context<AppEnv>, a: CaseAction<I, V, R>): Promise<ActionKey | undefined> {
  const header = c.req.header('idempotency-key');
  if (header === undefined) return undefined;
  checkKeyFormat(header);
  const key = actionKeyOf(header, a.row.case_id);
  const userId = c.get('user').id;
  const { hash, earlier } = await claimKey(sql, userId, key, ['action', a.row.case_id, a.action, 'fingerprint' in a ? a.fingerprint : a.input]);
  const replayed = earlier !== null && earlier.status !== null;
  return {
    updateId: `action-${createHash('sha256').update(`${userId}\n${key}\n${hash}`).digest('hex').slice(0, 32)}`,
    replayed,
    retry: earlier !== null && !replayed,
    async answered() {
      await sql`UPDATE idempotency_keys SET status_code = 200, response = ${sql.json({ caseId: a.row.case_id, action: a.action })} WHERE user_id = ${userId} AND key = ${key}`;
    },
    async release() {
      await sql`DELETE FROM idempotency_keys WHERE user_id = ${userId} AND key = ${key} AND status_code IS NULL`;
    },
  };
}

/** Held per case: a request that acts on several cases (a Project order's bulk step) uses one key for all. */
function actionKeyOf(header: string, caseId: string): string {
  return `${header} @${caseId}`;
}

/**
 * A resend: the request's Idempotency-Key is already held for this case (answered, or under way when the
 * connection dropped). A route's own precheck on the read model must let it through to runAction, which
 * answers it with its first attempt's outcome: that attempt may be what changed the case (a submit resent
 * to another API after the first one died would otherwise be told the order is no longer New).
 */
export async function isResend(sql: Queryable, c: Context<AppEnv>, caseId: string): Promise<boolean> {
  const header = c.req.header('idempotency-key');
  if (header === undefined) return false;
  checkKeyFormat(header);
  const held = await sql`SELECT 1 FROM idempotency_keys WHERE user_id = ${c.get('user').id} AND key = ${actionKeyOf(header, caseId)}`;
  return held.length > 0;
}

async function rowById(sql: Queryable, caseId: string): Promise<CaseRow | undefined> {
  const [row] = await sql<CaseRow[]>`SELECT * FROM cases WHERE case_id = ${caseId}`;
  return row;
}

/** The server's answer to a poll for an Update it no longer holds (never accepted: an accepted one is in the history). */
function updateLost(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError && /^update "[^"]*" not found$/i.test(err.message);
}

/** The case's workflow has ended (a terminal status): the action is judged on the case's last state. */
function isWorkflowGone(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError) return true;
  const text = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : '';
  return /already completed|not found/i.test(text);
}

/** A refusal the API words itself (a rule it checks before any workflow is asked), shaped like the workflow's. */
export function actionNotAllowed(d: NotAllowedDetails): HttpProblem {
  return problemOfRefusal({ kind: 'not_allowed', ...d });
}

/** A refusal (precheck or validator) as the caller sees it: 409 with the allowed actions, or 400 naming each field. */
export function problemOfRefusal(r: Refusal): HttpProblem {
  if (r.kind === 'invalid') {
    return problems.validation(r.problems.map((p) => ({ field: `body.${p.field}`, code: 'rule_violation' as const, rule: p.rule, message: p.message })));
  }
  return problems.conflict('action_not_allowed', r.message, { rule: r.rule, currentStatus: r.status, action: r.action, allowedActions: r.allowedActions });
}

/** A failed Update: the workflow's refusal (validator, or handler under the lock) or its upstream failure. */
export function problemOfUpdateFailure(err: unknown): HttpProblem | undefined {
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return undefined;
  const failure = err.cause;
  switch (failure.type) {
    case REFUSAL.notAllowed:
      return problemOfRefusal({ kind: 'not_allowed', ...(failure.details?.[0] as NotAllowedDetails) });
    case REFUSAL.invalid:
      return problemOfRefusal({ kind: 'invalid', problems: (failure.details ?? []) as WorkflowFieldProblem[] });
    case UPSTREAM_FAILURE.rejected:
      return problems.unprocessable('upstream_rejected', failure.message);
    case UPSTREAM_FAILURE.unavailable:
      return new HttpProblem(503, 'upstream_unavailable', "The wholesaler's system is unavailable", { detail: `${failure.message}; nothing was changed, try again` });
    default:
      return undefined;
  }
}

/** Every Temporal call made while handling a request shares one deadline. */
export function temporalDeadline(deps: Pick<AppDeps, 'temporal'>, deadlineMs: number): MiddlewareHandler<AppEnv> {
  return (c, next) => deps.temporal.withDeadline(Date.now() + deadlineMs, () => next());
}

function deadlineError(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    (err instanceof ServiceError && (err.cause as { code?: number } | undefined)?.code === 4) ||
    (err instanceof Error && /DEADLINE_EXCEEDED/.test(err.message))
  );
}

/** Past the deadline: 503 with Retry-After; the workflow finishes (or never saw) the action on its own. */
export function deadlineProblem(err: unknown, c: Context): HttpProblem | undefined {
  if (!deadlineError(err)) return undefined;
  c.header('Retry-After', String(RETRY_AFTER_SECONDS));
  return new HttpProblem(503, 'deadline_exceeded', 'The case did not answer in time', {
    detail: 'The workflow engine did not confirm the action in time. It was applied whole or not at all: read the case, then try again if needed.',
  });
}
