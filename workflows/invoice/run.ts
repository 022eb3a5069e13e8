// M-3.1: one invoice run per company and period (`invoice-run:<company>:<period>`): fetch the
// invoice the billing system issued and store it. An outage or time-out of the billing system
// is retried until it answers (the activity is idempotent); a refusal (period not ended) is final.
import { proxyActivities } from '@temporalio/workflow';
import type { ImportInvoiceResult, InvoiceActivities } from '../../activities/invoices';
import { UPSTREAM_ACTIVITY_OPTIONS } from '../switch-isp/upstream';

// retried at least every 10 s: a month's run waits on nobody, so it should not sit out a minute's back-off
// once billing answers again (retry options are not part of the history: open runs replay unchanged)
const { importInvoice } = proxyActivities<InvoiceActivities>({ ...UPSTREAM_ACTIVITY_OPTIONS, retry: { ...UPSTREAM_ACTIVITY_OPTIONS.retry, maximumInterval: '10 seconds' } });

export interface InvoiceRunInput {
  companyId: string;
  period: string;
}

export function invoiceRunId(companyId: string, period: string): string {
  return `invoice-run:${companyId}:${period}`;
}

export async function invoiceRunWorkflow(input: InvoiceRunInput): Promise<ImportInvoiceResult> {
  return importInvoice({ companyId: input.companyId, period: input.period, runId: invoiceRunId(input.companyId, input.period) });
}
