// Messages of the trouble-ticket workflow (M-2), defined once for the API and the workflow.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActivityEntry, AttachmentRef } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import type { RepairClock, TtAction, TtCategory, TtSeverity, TtStatus } from '../../domain/trouble-ticket';
import type { RuleDuration } from '../../domain/time';
import type { Ack } from '../kit/ack';

/** The portfolio product the ticket is raised against (M-1), with the place operational messages are matched on (M-4). */
export interface TtProduct {
  entryId: string;
  lineId: string;
  number: string;
  numberKind: 'phone' | 'circuit';
  productCode: string;
  productName: string;
  address: { id: string; label: string; municipality: string | null; postcode: string | null };
  endUserName: string;
}

/** The end user's contact for the technician, and when the premises can be accessed. */
export interface TtEndUserContact {
  name: string;
  phone: string;
  accessHours: string;
}

/** M-2.2: the line test made before the ticket was raised ('unavailable': the test system did not answer). */
export interface TtLineTest {
  testId: string | null;
  verdict: 'fault_found' | 'no_fault_found' | 'unavailable';
  faultLocation: string | null;
  detail: string;
  testedAt: string;
}

export interface TtAppointment {
  bookingId: string;
  slotId: string;
  date: string;
  window: string;
  area: string;
}

export interface TtStartInput {
  caseId: string;
  number: string;
  companyId: string;
  actor: Actor;
  product: TtProduct;
  symptom: string;
  category: TtCategory;
  severity: TtSeverity;
  endUserContact: TtEndUserContact;
  customerReference: string | null;
  attachments: AttachmentRef[];
  lineTest: TtLineTest;
  repairTargetHours: number;
  createdAt: string;
  /** From domain/durations.ts and the catalogue in production; tests pass milliseconds (M-2.4, M-2.5). */
  timing: { autoCloseAfter: RuleDuration; repairTargetMs: number; warnAtFraction: number };
}

export interface TtView {
  caseId: string;
  number: string;
  companyId: string;
  createdBy: string;
  product: TtProduct;
  symptom: string;
  category: TtCategory;
  severity: TtSeverity;
  endUserContact: TtEndUserContact;
  customerReference: string | null;
  attachments: AttachmentRef[];
  lineTest: TtLineTest;
  status: TtStatus;
  /** M-2.6: what the handler asked for when setting Incomplete. */
  missingInformation: string | null;
  /** M-2.6: the cause and resolution given with Resolved. */
  resolution: { cause: string; text: string; by: string; at: string } | null;
  /** M-2.5: the reason given with Cancelled. */
  cancellation: string | null;
  handler: string | null;
  appointment: TtAppointment | null;
  repairTargetHours: number;
  /** M-2.4: the repair clock (read it with clockReading: time used and time left). */
  clock: RepairClock;
  submittedAt: string | null;
  resolvedAt: string | null;
  /** M-2.5: how long a Resolved ticket waits for the user's confirmation or reopening (from the start input). */
  autoCloseAfter: RuleDuration;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
  activity: ActivityEntry[];
}

/** One payload shape for every ticket action; which fields an action needs is checked per action. */
export interface TtActionInput {
  actor: Actor;
  /** M-2.1: the acting user has had the fault-module training. */
  faultModule: boolean;
  /** update: the customer's changes (while New or Incomplete). */
  changes?: { symptom?: string; category?: TtCategory; severity?: TtSeverity; endUserContact?: TtEndUserContact; addAttachments?: AttachmentRef[] };
  /** requestInfo: what is missing; customerUpdate: the answer; resolve: the resolution; reopen: the reason; cancel: a comment. */
  text?: string;
  /** resolve: the cause of the fault. */
  cause?: string;
  /** bookAppointment: a free slot of the appointment system. */
  slotId?: string;
}

export const ttViewQuery = defineQuery<TtView>('view');

/** Caller-facing actions are Updates with validators: a refused action leaves no event in history. */
export const ttActionUpdates = {
  update: defineUpdate<Ack, [TtActionInput]>('update'),
  submit: defineUpdate<Ack, [TtActionInput]>('submit'),
  customerUpdate: defineUpdate<Ack, [TtActionInput]>('customerUpdate'),
  confirm: defineUpdate<Ack, [TtActionInput]>('confirm'),
  reopen: defineUpdate<Ack, [TtActionInput]>('reopen'),
  cancel: defineUpdate<Ack, [TtActionInput]>('cancel'),
  bookAppointment: defineUpdate<Ack, [TtActionInput]>('bookAppointment'),
  take: defineUpdate<Ack, [TtActionInput]>('take'),
  requestInfo: defineUpdate<Ack, [TtActionInput]>('requestInfo'),
  resolve: defineUpdate<Ack, [TtActionInput]>('resolve'),
} satisfies Record<TtAction, UpdateDefinition<Ack, [TtActionInput]>>;
