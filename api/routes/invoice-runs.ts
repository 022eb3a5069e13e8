// The monthly invoice import (M-3.1, X-7): a handler runs a closed period for every reseller company (or
// one), each company's run its own workflow (`invoice-run:<company>:<period>`), joined while under way and
// never repeated once done; a failed run (the period had not ended) may run again. The schedule runs the
// same on the 1st of each month (api/invoice-schedule.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { ImportInvoiceResult } from '../../activities/invoices';
import type { Queryable } from '../../db/client';
import { periodOf } from '../../domain/invoice';
import { invoiceRunId, type InvoiceRunInput } from '../../workflows/invoice/run';
import { requireAuth, requireHandler } from '../auth';
import type { AppDeps } from '../context';
import { jsonBody, jsonResponse, problemResponses } from '../openapi';
import { problems } from '../problem';
import { createRouter } from '../router';
import { PeriodSchema } from './invoices';

const RunBody = z
  .strictObject({
    period: PeriodSchema,
    companyId: z.string().min(1).max(100).optional().openapi({ description: 'One reseller company; every reseller company when left out' }),
  })
  .openapi('InvoiceRunInput');

const RunState = z
  .object({
    companyId: z.string().openapi({ description: 'The reseller company the run invoices' }),
    workflowId: z.string().openapi({ description: 'invoice-run:<company>:<period>' }),
    state: z.enum(['not_started', 'running', 'completed', 'failed']).openapi({ description: 'running: still fetching (retried while the billing system is down)' }),
    invoice: z.string().nullable().openapi({ description: 'completed: the invoice stored, or null when there was nothing to bill' }),
    error: z.string().nullable().openapi({ description: "failed: the billing system's refusal (e.g. the period has not ended)" }),
  })
  .openapi('InvoiceRun');

export function handlerInvoiceRunRoutes(deps: AppDeps) {
  const router = createRouter();
  for (const path of ['/invoice-runs', '/invoice-runs/*']) router.use(path, requireAuth(deps), requireHandler);
  const secured = { security: [{ bearer: [] }], tags: ['Handler'] };

  router.openapi(
    createRoute({
      ...secured,
      method: 'post',
      path: '/invoice-runs',
      summary: "Fetch a closed period's invoices from the billing system (M-3.1): one idempotent run per company and period",
      request: { body: jsonBody(RunBody) },
      responses: {
        202: jsonResponse(z.object({ runs: z.array(RunState).openapi({ description: 'One run per company, in company order' }) }).openapi('InvoiceRuns'), 'The runs, started or already under way'),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      c.set('audit', { action: 'invoice.run', detail: { period: body.period, companyId: body.companyId ?? null } });
      if (body.period > periodOf(new Date())) {
        throw problems.validation([{ field: 'body.period', code: 'invalid_value', rule: 'M-3.1', message: 'a future period has no invoice yet' }]);
      }
      const companies = await resellerCompanies(deps.sql, body.companyId);
      if (body.companyId && companies.length === 0) {
        throw problems.validation([{ field: 'body.companyId', code: 'reference_not_found', message: `no reseller company ${body.companyId}` }]);
      }
      const runs = [];
      for (const companyId of companies) {
        const input: InvoiceRunInput = { companyId, period: body.period };
        const workflowId = invoiceRunId(companyId, body.period);
        try {
          await deps.temporal.workflow.start('invoiceRunWorkflow', {
            workflowId,
            taskQueue: deps.config.taskQueue,
            args: [input],
            // a run under way is joined; a finished one is not repeated (its invoice is stored); a failed one (the period had not ended) may run again
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
        runs.push(await runState(deps, companyId, body.period));
      }
      return c.json({ runs }, 202);
    },
  );

  router.openapi(
    createRoute({
      ...secured,
      method: 'get',
      path: '/invoice-runs',
      summary: 'The invoice runs of a period, one per reseller company (M-3.1)',
      request: { query: z.object({ period: PeriodSchema }) },
      responses: {
        200: jsonResponse(z.object({ runs: z.array(RunState).openapi({ description: 'One run per reseller company, in company order' }) }).openapi('InvoiceRunStates'), 'Each company’s run'),
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { period } = c.req.valid('query');
      const runs = [];
      for (const companyId of await resellerCompanies(deps.sql)) runs.push(await runState(deps, companyId, period));
      return c.json({ runs }, 200);
    },
  );

  return router;
}

async function resellerCompanies(sql: Queryable, only?: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`SELECT id FROM companies WHERE kind = 'reseller' ${only ? sql`AND id = ${only}` : sql``} ORDER BY id`;
  return rows.map((r) => r.id);
}

async function runState(deps: AppDeps, companyId: string, period: string): Promise<z.infer<typeof RunState>> {
  const workflowId = invoiceRunId(companyId, period);
  const base = { companyId, workflowId, invoice: null, error: null };
  try {
    const handle = deps.temporal.workflow.getHandle(workflowId);
    const described = await handle.describe();
    const status = described.status.name;
    if (status === 'RUNNING') return { ...base, state: 'running' };
    if (status === 'COMPLETED') return { ...base, state: 'completed', invoice: ((await handle.result()) as ImportInvoiceResult).number };
    try {
      await handle.result();
    } catch (err) {
      return { ...base, state: 'failed', error: errorText(err) };
    }
    return { ...base, state: 'failed', error: status };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { ...base, state: 'not_started' };
    throw err;
  }
}

function errorText(err: unknown): string {
  let e: unknown = err;
  while (e && typeof e === 'object' && 'cause' in e && (e as { cause?: unknown }).cause) e = (e as { cause: unknown }).cause;
  return e instanceof Error ? e.message : String(e);
}
