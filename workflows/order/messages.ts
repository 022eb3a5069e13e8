// Messages of the order (header) and order-line workflows, defined once for the API and the workflows.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActivityEntry, AttachmentRef } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import type { LineAction, LineStatus, OrderKind, OrderPhase, OrderStatus, OrderType } from '../../domain/order';
import type { BookingRef, Contact, DraftLine, EndUser, InstallationAddress, LookupResult, OrderDraft, OrderHeader, References } from '../../domain/order-validation';
import type { RuleDuration } from '../../domain/time';
import type { NotAllowedDetails } from '../../domain/refusal';
import type { Ack } from '../kit/ack';

export type { Ack } from '../kit/ack';

// ---- the order (header) workflow ------------------------------------------------------------

export interface OrderStartInput {
  caseId: string;
  number: string;
  companyId: string;
  actor: Actor;
  createdAt: string;
  draft: OrderDraft;
  /**
   * From domain/durations.ts in production; tests pass milliseconds (O-20). `historyLimit`: the
   * history length at which the workflow continues as new (default DEFAULT_CONTINUE_AS_NEW_AFTER_EVENTS; tests force it low).
   */
  timing: { autoCancelAfter: RuleDuration; historyLimit?: number };
  /** A continued run: the state the previous run handed over (continue-as-new). */
  resume?: OrderResume;
}

/** What an order workflow hands to its next run when it continues as new. */
export interface OrderResume {
  state: OrderView;
  seenLineVersions: Array<[number, number]>;
  runs: number;
}

export interface OrderCancellation {
  by: string;
  at: string;
  reason: string;
  feeOre: number;
}

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

/** Submit: the product's facts from the price list (the API validated the draft with them, G-1). O-19 is the workflow's. */
export interface OrderSubmitInput {
  actor: Actor;
  productName: string;
  productFamily: string;
}

export interface LineRef {
  actor: Actor;
  lineNo: number;
}

/** O-10: what the availability check asks Kapaks. */
export interface AvailabilityQuery {
  phoneNumber?: string;
  circuitNumber?: string;
  addressId?: string;
}

/** C-3: a submitted order's lines cancelled together, each with the charge the user accepted for its status. */
export interface OrderCancelInput {
  actor: Actor;
  reason?: string;
  fees?: Array<{ lineNo: number; feeOre: number; atStatus: LineStatus }>;
}

/** How one line took an action its order drove (whole-order cancel, Reopen). */
export interface LineOutcome {
  lineNo: number;
  ok: boolean;
  status: string;
  refusal?: NotAllowedDetails;
}
/** O-9: one handler step on many lines of a Project order, each line its own workflow's Update. */
export interface OrderBulkInput {
  actor: Actor;
  action: 'advance' | 'changeDates';
  /** advance: the delivery step every chosen line moves to (O-15), with the installation date for Field Service. */
  to?: LineStatus;
  installationDate?: string;
  /** changeDates: the new Agreed Date (C-5) and why. */
  agreedDate?: string;
  reason?: string;
  /** Default: every submitted line. */
  lineNos?: number[];
}
export interface OrderActionAck extends Ack {
  lines: LineOutcome[];
}

export const orderViewQuery = defineQuery<OrderView>('view');

/** Caller-facing actions are Updates with validators: a refused action leaves no event in history. */
export const orderUpdates = {
  update: defineUpdate<Ack, [OrderUpdateInput]>('update'),
  recordLookup: defineUpdate<Ack, [LineRef & { lookup: LookupResult }]>('recordLookup'),
  confirmLookup: defineUpdate<Ack, [LineRef]>('confirmLookup'),
  /** O-10 / O-11: the workflow asks Kapaks (three attempts on time-outs, then manual handling) and records the answer. */
  checkAvailability: defineUpdate<Ack, [LineRef & { productCode: string; query: AvailabilityQuery }]>('checkAvailability'),
  selectAvailability: defineUpdate<Ack, [LineRef & { lineId: string }]>('selectAvailability'),
  book: defineUpdate<Ack, [LineRef & { slot: Omit<BookingRef, 'bookingId'> }]>('book'),
  reschedule: defineUpdate<Ack, [LineRef & { slot: Omit<BookingRef, 'bookingId'> }]>('reschedule'),
  cancelBooking: defineUpdate<Ack, [LineRef]>('cancelBooking'),
  submit: defineUpdate<Ack, [OrderSubmitInput]>('submit'),
  /** While New: the draft (and the reopened lines) for free; once submitted: every cancellable line with its accepted charge (C-3). */
  cancel: defineUpdate<OrderActionAck, [OrderCancelInput]>('cancel'),
  /** C-1: every submitted line back to New, or none (a line that reached Field Service refuses it). */
  reopen: defineUpdate<OrderActionAck, [{ actor: Actor }]>('reopen'),
  /** O-9: a handler's step on many lines of a Project order; each line answers for itself. */
  bulk: defineUpdate<OrderActionAck, [OrderBulkInput]>('bulk'),
};

/** A line workflow tells its order about every change, so the header summary follows (O-16). */
export interface LineChanged {
  lineNo: number;
  status: LineStatus;
  version: number;
  booking: BookingRef | null;
  revision: number;
  by: string;
  /** O-17: a Customer Update may change the line's end user and address; the order's view follows (absent in older reports) */
  endUser?: EndUser | null;
  address?: InstallationAddress | null;
}
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

export interface LineCancellation {
  by: string;
  at: string;
  atStatus: LineStatus;
  feeOre: number;
  reason: string;
  /** O-15: the wholesaler cancelled (Cancelled (A)); false or absent: the reseller's own cancellation. */
  byWholesaler?: boolean;
}

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
  /** O-11: the availability check timed out: the line waits for a handler before it is registered. */
  manualHandling: boolean;
  /** O-11: the handler who completed the manual handling (then the line is registered). */
  manualHandlingDoneBy?: string | null;
  duplicateKey: string;
  cancellation: LineCancellation | null;
  revision: number;
  /** C-1: the status the line had when its order's Reopen put it back to New (for undoReopen). */
  reopenedFrom?: LineStatus | null;
  /** the handler working on the line (absent on lines older than the handler's tools). */
  assignee?: string | null;
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
  inProgress: defineUpdate<Ack, [LineActionInput]>('inProgress'),
  incomplete: defineUpdate<Ack, [LineActionInput]>('incomplete'),
  reject: defineUpdate<Ack, [LineActionInput]>('reject'),
  cancelByOperator: defineUpdate<Ack, [LineActionInput]>('cancelByOperator'),
  advance: defineUpdate<Ack, [LineActionInput]>('advance'),
  customerUpdate: defineUpdate<Ack, [LineActionInput]>('customerUpdate'),
  cancel: defineUpdate<Ack, [LineActionInput]>('cancel'),
  reschedule: defineUpdate<Ack, [LineActionInput]>('reschedule'),
  cancelBooking: defineUpdate<Ack, [LineActionInput]>('cancelBooking'),
  completeManualHandling: defineUpdate<Ack, [LineActionInput]>('completeManualHandling'),
} satisfies Record<LineAction, UpdateDefinition<Ack, [LineActionInput]>>;

/**
 * From the order (through an activity, so the order learns each line's answer): Reopen (C-1) puts
 * the line back to New unless it reached Field Service; `undoReopen` puts it back where it was when
 * another line of the order refused the Reopen (the order is reopened whole or not at all).
 */
export const lineOrderUpdates = {
  reopen: defineUpdate<Ack, [{ actor: Actor }]>('reopen'),
  undoReopen: defineUpdate<Ack, [{ actor: Actor }]>('undoReopen'),
};

/** From the order: Submit again sends the changed line. */
export const lineResubmitSignal = defineSignal<[{ actor: Actor; spec: LineSpec; revision: number; duplicateOf: string | null; manualHandling: boolean; duplicateKey: string }]>('resubmit');
/** From the order: the whole reopened order was cancelled (no fee while New, C-3). */
export const lineCancelReopenedSignal = defineSignal<[{ actor: Actor; reason: string }]>('cancelReopened');
