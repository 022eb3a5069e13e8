// M-3.1: the monthly invoice run, started by a Temporal schedule on the 1st of every month
// (api/invoice-schedule.ts): one child `invoice-run:<company>:<period>` per reseller company for
// the month that just ended. A company whose run a handler already started or finished is left to
// that run (same workflow ID), so nothing is fetched or stored twice.
import { ChildWorkflowFailure, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import { executeChild, ParentClosePolicy, proxyActivities } from '@temporalio/workflow';
import type { InvoiceActivities } from '../../activities/invoices';
import { periodOf, previousPeriod } from '../../domain/invoice';
import { invoiceRunId, type InvoiceRunInput, type invoiceRunWorkflow } from './run';

const { resellerCompanyIds } = proxyActivities<InvoiceActivities>({ startToCloseTimeout: '30 seconds' });

export interface InvoiceMonthResult {
  period: string;
  runs: Array<{ companyId: string; workflowId: string; outcome: 'stored' | 'nothing_to_bill' | 'already_run' | 'failed'; invoice: string | null }>;
}

export async function invoiceMonthWorkflow(input: { period?: string } = {}): Promise<InvoiceMonthResult> {
  // workflow time is the schedule's start time, deterministic on replay
  const period = input.period ?? previousPeriod(periodOf(new Date()));
  const companies = await resellerCompanyIds();
  const runs = await Promise.all(
    companies.map(async (companyId): Promise<InvoiceMonthResult['runs'][number]> => {
      const workflowId = invoiceRunId(companyId, period);
      const args: [InvoiceRunInput] = [{ companyId, period }];
      try {
        const result = await executeChild<typeof invoiceRunWorkflow>('invoiceRunWorkflow', {
          workflowId,
          args,
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
        return { companyId, workflowId, outcome: result.number ? 'stored' : 'nothing_to_bill', invoice: result.number };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { companyId, workflowId, outcome: 'already_run', invoice: null };
        // the billing system refused (the run failed): a handler may start it again (POST /v1/handler/invoice-runs)
        if (err instanceof ChildWorkflowFailure) return { companyId, workflowId, outcome: 'failed', invoice: null };
        throw err;
      }
    }),
  );
  return { period, runs };
}
