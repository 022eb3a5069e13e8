// Messages of the order (header) and order-line workflows, defined once for the API and the workflows.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActivityEntry, AttachmentRef } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import type { LineAction, LineStatus, OrderKind, OrderPhase, OrderStatus, OrderType } from '../../domain/order';
import type {
  AvailabilityResult, BookingRef, Contact, DraftLine, EndUser, InstallationAddress, LookupResult, OrderDraft, OrderHeader, References,
} from '../../domain/order-validation';
import type { RuleDuration } from '../../domain/time';

// ---- the order (header) workflow ------------------------------------------------------------

export interface OrderStartInput {
  caseId: string;
  number: string;
  companyId: string;
  actor: Actor;
  createdAt: string;
  draft: OrderDraft;
  /** From domain/durations.ts in production; tests pass milliseconds (O-20). */
  timing: { autoCancelAfter: RuleDuration };
}

export interface OrderCancellation { by: string; at: string; reason: string; feeOre: number }

export interface OrderView extends OrderDraft {
  caseId: string;
  number: string;
  companyId: string;
  createdBy: string;
  phase: OrderPhase;
  /** O-14 / O-16: New while a draft, Cancelled when cancelled before submit, else the lines' summary. */
  status: OrderStatus;
  /** How many times the order was submitted (a Reopen and Submit makes it 2, …). */
  revision: number;
  /** Lines that have their own workflow (submitted at least once). */
  startedLines: number[];
  submittedAt: string | null;
  /** O-20: when a never-submitted draft is cancelled automatically. */
  autoCancelAt: string | null;
  cancellation: OrderCancellation | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
  activity: ActivityEntry[];
}

/** Fields of a line the user fills in. */
export interface LineInput {
  endUser?: EndUser | null;
  address?: InstallationAddress | null;
  addressB?: InstallationAddress | null;
  attachments?: AttachmentRef[];
}

export interface OrderUpdateInput {
  actor: Actor;
  header?: Partial<Pick<OrderHeader, 'orderType' | 'productCode' | 'speedMbps' | 'equipment' | 'requestedDate'>> & { contact?: Contact; references?: References };
  addLines?: LineInput[];
  updateLines?: Array<LineInput & { lineNo: number }>;
  removeLines?: number[];
}

export interface SubmitLineFacts {
  lineNo: number;
  /** O-19: the open line of another order this one duplicates. */
  duplicateOf: string | null;
  /** O-11: the availability check timed out: manual handling by customer service. */
  manualHandling: boolean;
  duplicateKey: string;
}

export interface OrderSubmitInput { actor: Actor; productName: string; productFamily: string; lines: SubmitLineFacts[] }

export interface LineRef { actor: Actor; lineNo: number }

export const orderViewQuery = defineQuery<OrderView>('view');

/** Caller-facing actions are Updates with validators: a refused action leaves no event in history. */
export const orderUpdates = {
  update: defineUpdate<OrderView, [OrderUpdateInput]>('update'),
  recordLookup: defineUpdate<OrderView, [LineRef & { lookup: LookupResult }]>('recordLookup'),
  confirmLookup: defineUpdate<OrderView, [LineRef]>('confirmLookup'),
  recordAvailability: defineUpdate<OrderView, [LineRef & { result: AvailabilityResult }]>('recordAvailability'),
  selectAvailability: defineUpdate<OrderView, [LineRef & { lineId: string }]>('selectAvailability'),
  book: defineUpdate<OrderView, [LineRef & { slot: Omit<BookingRef, 'bookingId'> }]>('book'),
  reschedule: defineUpdate<OrderView, [LineRef & { slot: Omit<BookingRef, 'bookingId'> }]>('reschedule'),
  cancelBooking: defineUpdate<OrderView, [LineRef]>('cancelBooking'),
  submit: defineUpdate<OrderView, [OrderSubmitInput]>('submit'),
  cancel: defineUpdate<OrderView, [{ actor: Actor; reason?: string }]>('cancel'),
  reopen: defineUpdate<OrderView, [{ actor: Actor }]>('reopen'),
};

/** A line workflow tells its order about every change, so the header summary follows (O-16). */
export interface LineChanged { lineNo: number; status: LineStatus; version: number; booking: BookingRef | null; revision: number; by: string }
export const lineChangedSignal = defineSignal<[LineChanged]>('lineChanged');

// ---- the order-line workflow ----------------------------------------------------------------

export interface LineSpec {
  kind: OrderKind;
  orderType: OrderType;
  productCode: string;
  productName: string;
  productFamily: string;
  speedMbps: number | null;
  equipment: string | null;
  requestedDate: string;
  contact: Contact;
  references: References;
  line: DraftLine;
}

export interface LineStartInput {
  caseId: string;
  number: string;
  orderNumber: string;
  orderCaseId: string;
  lineNo: number;
  companyId: string;
  actor: Actor;
  createdAt: string;
  spec: LineSpec;
  revision: number;
  duplicateOf: string | null;
  manualHandling: boolean;
  duplicateKey: string;
}

export interface LineCancellation { by: string; at: string; atStatus: LineStatus; feeOre: number; reason: string }

export interface LineView extends LineSpec {
  caseId: string;
  number: string;
  orderNumber: string;
  orderCaseId: string;
  lineNo: number;
  companyId: string;
  createdBy: string;
  status: LineStatus;
  /** O-17: the reason for a status when handled manually. */
  statusDescription: string | null;
  comment: string | null;
  /** O-14: the order system's confirmation and the Agreed Date. */
  customerOrderId: string | null;
  agreedDate: string | null;
  /** O-15: set with Field Service (M). */
  installationDate: string | null;
  duplicateOf: string | null;
  manualHandling: boolean;
  duplicateKey: string;
  cancellation: LineCancellation | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
  activity: ActivityEntry[];
}

export interface LineActionInput {
  actor: Actor;
  /** incomplete: what is missing; cancelByOperator: the reason; others: an optional comment. */
  comment?: string;
  /** reject (required) and others: the Status Description (O-17). */
  statusDescription?: string;
  /** advance: the next delivery step (O-15). */
  step?: LineStatus;
  /** advance to Field Service (M): the installation date. */
  installationDate?: string;
  /** customerUpdate: the user's fixes (O-17). */
  changes?: { endUser?: EndUser; address?: InstallationAddress; contact?: Contact; references?: References; equipment?: string; requestedDate?: string };
  /** cancel: the fee the user saw and accepted, for the status it was computed in (C-3). */
  fee?: { feeOre: number; atStatus: LineStatus };
  /** reschedule: the new slot. */
  slot?: Omit<BookingRef, 'bookingId'>;
}

export const lineViewQuery = defineQuery<LineView>('view');

export const lineUpdates = {
  inProgress: defineUpdate<LineView, [LineActionInput]>('inProgress'),
  incomplete: defineUpdate<LineView, [LineActionInput]>('incomplete'),
  reject: defineUpdate<LineView, [LineActionInput]>('reject'),
  cancelByOperator: defineUpdate<LineView, [LineActionInput]>('cancelByOperator'),
  advance: defineUpdate<LineView, [LineActionInput]>('advance'),
  customerUpdate: defineUpdate<LineView, [LineActionInput]>('customerUpdate'),
  cancel: defineUpdate<LineView, [LineActionInput]>('cancel'),
  reschedule: defineUpdate<LineView, [LineActionInput]>('reschedule'),
  cancelBooking: defineUpdate<LineView, [LineActionInput]>('cancelBooking'),
} satisfies Record<LineAction, UpdateDefinition<LineView, [LineActionInput]>>;

/** From the order: Reopen (C-1) puts the line back to New; Submit again sends the changed line. */
export const lineReopenSignal = defineSignal<[{ actor: Actor }]>('reopen');
export const lineResubmitSignal = defineSignal<[{ actor: Actor; spec: LineSpec; revision: number; duplicateOf: string | null; manualHandling: boolean; duplicateKey: string }]>('resubmit');
/** From the order: the whole reopened order was cancelled (no fee while New, C-3). */
export const lineCancelReopenedSignal = defineSignal<[{ actor: Actor; reason: string }]>('cancelReopened');
