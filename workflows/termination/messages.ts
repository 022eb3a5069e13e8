// Messages of the termination workflow (T-1…T-3), defined once for the API and the workflow.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActivityEntry } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import type { TerminationAction, TerminationScope, TerminationStatus } from '../../domain/termination';
import type { IsoDate, RuleDuration } from '../../domain/time';
import type { Ack } from '../kit/ack';

/** One product the termination ends (its portfolio entry). */
export interface TerminatedProduct {
  entryId: string;
  lineId: string;
  number: string;
  productCode: string;
  productName: string;
  /** T-3: how long the subscription lasts after termination is requested. */
  noticeDays: number;
}

export interface TerminationStartInput {
  caseId: string;
  number: string;
  companyId: string;
  actor: Actor;
  /** The number the user terminated (T-2); with scope 'subscription' the other products at the address follow it. */
  terminatedNumber: string;
  scope: TerminationScope;
  endUserName: string;
  address: { id: string; label: string };
  products: TerminatedProduct[];
  /** T-3: the longest notice of the products, in calendar days. */
  noticeDays: number;
  requestedDate: IsoDate;
  reason: string | null;
  customerReference: string | null;
  createdAt: string;
  /** From domain/durations.ts (00:00 Oslo on the requested date); tests pass milliseconds. */
  timing: { executeAt: RuleDuration };
}

export interface TerminationView {
  /** the handler working on the case (absent on cases older than the handler's tools). */
  assignee?: string | null;
  caseId: string;
  number: string;
  companyId: string;
  createdBy: string;
  terminatedNumber: string;
  scope: TerminationScope;
  endUserName: string;
  address: { id: string; label: string };
  products: TerminatedProduct[];
  noticeDays: number;
  requestedDate: IsoDate;
  reason: string | null;
  customerReference: string | null;
  status: TerminationStatus;
  /** The order system's disconnection ids once carried out. */
  disconnectionIds: string[];
  executedAt: string | null;
  resolution: string | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
  activity: ActivityEntry[];
}

export interface TerminationActionInput {
  actor: Actor;
  /** changeDate: the new termination date (T-3 counted from the day of the change). */
  requestedDate?: IsoDate;
  /** withdraw: an optional comment. */
  text?: string;
}

export const terminationViewQuery = defineQuery<TerminationView>('view');

/** Each Update answers a small acknowledgement; the caller reads the case from the read model. */
export const terminationActionUpdates = {
  changeDate: defineUpdate<Ack, [TerminationActionInput]>('changeDate'),
  withdraw: defineUpdate<Ack, [TerminationActionInput]>('withdraw'),
} satisfies Record<TerminationAction, UpdateDefinition<Ack, [TerminationActionInput]>>;
