// M-3.1: the Temporal schedule that runs the month's invoice import on the 1st of every month at
// 06:00 Oslo (workflows/invoice/month.ts). Created once; an existing schedule is left as it is.
import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { BUSINESS_TIME_ZONE } from '../domain/time';

export const INVOICE_SCHEDULE_ID = 'invoice-month';

export async function ensureInvoiceSchedule(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: INVOICE_SCHEDULE_ID,
      spec: { calendars: [{ dayOfMonth: 1, hour: 6, minute: 0 }], timezone: BUSINESS_TIME_ZONE },
      // a month whose run is still retrying (billing down) is not started twice
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      action: { type: 'startWorkflow', workflowType: 'invoiceMonthWorkflow', workflowId: INVOICE_SCHEDULE_ID, taskQueue, args: [{}] },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
