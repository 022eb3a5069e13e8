// Messages of the quote workflow, defined once for the API, the orders engineer and the workflow.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActivityEntry, AttachmentRef } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import type { QuoteLineAction, QuoteLineStatus, QuoteProduct, QuoteStatus } from '../../domain/quote';
import type { RuleDuration } from '../../domain/time';
import type { Ack } from '../kit/ack';

export type { AttachmentRef } from '../../domain/case';
export type { QuoteLineStatus, QuoteStatus } from '../../domain/quote';

/** An address chosen from the register, snapshotted on the line. */
export interface QuoteAddress {
  id: string;
  label: string;
  zone: number;
}

export interface QuotePrice {
  monthlyRentOre: number;
  establishmentOre: number;
}

/** why a line needs manual pricing, and whether the user asked the wholesaler to price it. */
export interface ManualPricing {
  rule: string;
  reason: string;
  confirmed: boolean;
  /** the monthly rent the price list already gives, shown at once where it exists (øre). */
  indicativeMonthlyRentOre: number | null;
}

export interface QuoteLine {
  lineNo: number;
  status: QuoteLineStatus;
  productCode: string;
  speedMbps: number | null;
  addressA: QuoteAddress | null;
  addressB: QuoteAddress | null;
  attachmentFlag: boolean;
  attachments: AttachmentRef[];
  /** G-3: the shared description: what is missing, why it was cancelled, why it needs manual pricing. */
  comment: string | null;
  price: QuotePrice | null;
  /** YYYY-MM-DD, Oslo: the last day the price may be ordered. */
  priceValidUntil: string | null;
  /** the order number once the line was ordered. */
  orderedAs: string | null;
  /** Q-12 saga: reserved for `orderedAs` while the order is being made; confirmed or released by the saga. */
  orderPending?: boolean;
  // beyond the orders contract
  productName: string;
  product: QuoteProduct;
  priceSource: 'price-list' | 'manual' | null;
  distanceMeters: number | null;
  distanceBand: string | null;
  manualPricing: ManualPricing | null;
  /** The instant the price expires (the timer's deadline). */
  priceExpiresAt: string | null;
  handler: string | null;
  updatedAt: string;
}

export interface QuoteActivityEntry extends ActivityEntry {
  lineNo?: number;
}

export interface QuoteView {
  number: string;
  caseId: string;
  companyId: string;
  createdBy: string;
  customerReference: string | null;
  description: string | null;
  /** follows the lines (domain/quote.ts quoteHeaderStatus). */
  status: QuoteStatus;
  /** how many lines are Completed. */
  completedLines: number;
  /** The user cancelled the whole quote: no lines may be added. */
  cancelled: boolean;
  lines: QuoteLine[];
  nextLineNo: number;
  /** the handler working on the quote (absent on quotes older than the handler's tools). */
  assignee?: string | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
  activity: QuoteActivityEntry[];
}

/** What the API sends for a new or changed line: already checked against the register and price list. */
export interface QuoteLineInput {
  productCode: string;
  product: QuoteProduct;
  speedMbps: number | null;
  addressA: QuoteAddress | null;
  addressB: QuoteAddress | null;
  attachmentFlag: boolean;
  attachments: AttachmentRef[];
}

export interface QuoteStartInput {
  caseId: string;
  number: string;
  companyId: string;
  actor: Actor;
  customerReference: string | null;
  description: string | null;
  lines: QuoteLineInput[];
  createdAt: string;
  /** From domain/durations.ts in production; tests pass milliseconds. */
  timing: { priceValidity: RuleDuration };
  /** The state of the run this one continues (continue-as-new). */
  resume?: QuoteView;
  /** History length after which the case continues as new (tests pass a low one). */
  continueAsNewAfterEvents?: number;
}

export interface AddLineInput {
  actor: Actor;
  line: QuoteLineInput;
}
export interface SubmitInput {
  actor: Actor;
  /** the lines needing manual pricing that the user asks the wholesaler to price. */
  confirmManualPricing: number[];
}
export interface CancelQuoteInput {
  actor: Actor;
  comment?: string;
}
/** `pending` reserves the line for the order being made (the order-from-quote saga confirms or releases it). */
export interface MarkOrderedInput {
  actor: Actor;
  lineNo: number;
  orderNumber: string;
  pending?: boolean;
}

/** One payload for every line action; which fields an action needs is checked per action. */
export interface QuoteLineActionInput {
  actor: Actor;
  lineNo: number;
  /** change: the whole line after the change. */
  line?: QuoteLineInput;
  /** setIncomplete: what is missing; cancelByHandler: the reason; others: optional. */
  comment?: string;
  /** complete: the handler's price. */
  price?: QuotePrice;
}

/** Failure type of a submit whose price look-up could not be done now (the API answers 503). */
export const PRICING_UNAVAILABLE = 'PricingUnavailable';

export const quoteViewQuery = defineQuery<QuoteView>('view');

const lineAction = (name: QuoteLineAction) => defineUpdate<Ack, [QuoteLineActionInput]>(name);

/** Caller-facing actions are Updates with validators: a refused action leaves no event in history. */
export const quoteUpdates = {
  addLine: defineUpdate<Ack, [AddLineInput]>('addLine'),
  submit: defineUpdate<Ack, [SubmitInput]>('submit'),
  cancelQuote: defineUpdate<Ack, [CancelQuoteInput]>('cancelQuote'),
  /** the orders workflow records that a Completed line became an order. */
  markOrdered: defineUpdate<Ack, [MarkOrderedInput]>('markOrdered'),
  /** Q-12 saga: the order exists; the reservation becomes final. */
  confirmOrdered: defineUpdate<Ack, [MarkOrderedInput]>('confirmOrdered'),
  /** Q-12 saga: the order could not be made; the line is orderable again. */
  releaseOrdered: defineUpdate<Ack, [MarkOrderedInput]>('releaseOrdered'),
  change: lineAction('change'),
  remove: lineAction('remove'),
  cancel: lineAction('cancel'),
  customerUpdate: lineAction('customerUpdate'),
  customerClose: lineAction('customerClose'),
  take: lineAction('take'),
  setIncomplete: lineAction('setIncomplete'),
  complete: lineAction('complete'),
  cancelByHandler: lineAction('cancelByHandler'),
};

export const QUOTE_LINE_ACTIONS: readonly QuoteLineAction[] = ['change', 'remove', 'cancel', 'customerUpdate', 'customerClose', 'take', 'setIncomplete', 'complete', 'cancelByHandler'];
