// What every case type shares: its identity, its read-model row, attachments (G-4).
import { z } from 'zod';

export const CaseType = z.enum(['service_request', 'quote', 'order', 'order_line', 'switch_isp', 'termination']);
export type CaseType = z.infer<typeof CaseType>;

/** Workflow IDs say what they are: `service-request:SR-000123`, `order-line:ORD-000042:1`. */
export const CASE_ID_PREFIX: Record<CaseType, string> = {
  service_request: 'service-request', quote: 'quote', order: 'order', order_line: 'order-line',
  switch_isp: 'switch-isp', termination: 'termination',
};
/** Human case numbers; an order line's number is its order's number and line number (`ORD-000042:1`). */
export const CASE_NUMBER_PREFIX: Record<Exclude<CaseType, 'order_line'>, string> = {
  service_request: 'SR', quote: 'Q', order: 'ORD', switch_isp: 'SW', termination: 'TRM',
};

export function caseNumber(type: Exclude<CaseType, 'order_line'>, sequence: number): string {
  return `${CASE_NUMBER_PREFIX[type]}-${String(sequence).padStart(6, '0')}`;
}

export function caseId(type: CaseType, number: string): string {
  return `${CASE_ID_PREFIX[type]}:${number}`;
}

/** G-4: attachment metadata carried by a case; the bytes live in PostgreSQL. */
export const AttachmentRef = z.object({
  id: z.uuid(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;

/** One entry of a case's activity log, visible to reseller and handler alike (G-3). */
export interface ActivityEntry {
  at: string;
  by: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  text?: string;
}

/** The read-model row a workflow publishes after every change (lists and search never scan Temporal). */
export interface CaseProjection {
  caseId: string;
  caseType: CaseType;
  number: string;
  companyId: string;
  status: string;
  title: string;
  /** Key references for search, e.g. `{ reference: 'ORD-000001', area: 'Delivery' }`. */
  refs: Record<string, string>;
  /** S-2-style uniqueness key while the case is open; null once it no longer blocks a duplicate. */
  openKey: string | null;
  queue: string | null;
  /** G-3: the comment, missing information, answer or reason that goes with the current status (e-mails quote it). */
  statusText?: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  detail: unknown;
}
