// Messages of the service-request workflow, defined once for the API and the workflow.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActivityEntry, AttachmentRef } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import type { Department, ReferenceKind, SrAction, SrArea, SrStatus } from '../../domain/service-request';
import type { RuleDuration } from '../../domain/time';
import type { UserChange } from '../../domain/user-admin';
import type { Ack } from '../kit/ack';

export interface SrReference {
  kind: ReferenceKind;
  value: string;
  caseId?: string;
}

export interface SrStartInput {
  caseId: string;
  number: string;
  companyId: string;
  actor: Actor;
  area: SrArea;
  subArea: string;
  department: Department;
  reference: SrReference;
  description: string;
  attachments: AttachmentRef[];
  createdAt: string;
  /** From domain/durations.ts in production; tests pass milliseconds (S-9). */
  timing: { autoCloseAfter: RuleDuration };
}

export interface SrView {
  caseId: string;
  number: string;
  companyId: string;
  createdBy: string;
  area: SrArea;
  subArea: string;
  department: Department;
  reference: SrReference;
  description: string;
  attachments: AttachmentRef[];
  status: SrStatus;
  /** S-7: what the handler asked for when setting Incomplete. */
  missingInformation: string | null;
  /** S-7: the answer given with Completed. */
  answer: { text: string; attachments: AttachmentRef[] } | null;
  /** S-7: the reason given with Cancelled. */
  resolution: string | null;
  handler: string | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
  activity: ActivityEntry[];
}

/** One payload shape for every SR action; which fields an action needs is checked per action. */
export interface SrActionInput {
  actor: Actor;
  /** update: the customer's changes (only while New or Incomplete). */
  changes?: { subArea?: string; description?: string; addAttachments?: AttachmentRef[] };
  /** requestInfo: what is missing; complete: the answer; cancelByOperator: the reason; close/cancel: optional comment. */
  text?: string;
  /** complete: an optional attachment with the answer. */
  attachments?: AttachmentRef[];
  /** complete of a Brukeradministrasjon SR (S-4): the user change the handler applies with the answer. */
  userChange?: UserChange;
}

export const srViewQuery = defineQuery<SrView>('view');

/** Caller-facing actions are Updates with validators: a refused action leaves no event in history (S-7). */
export const srActionUpdates = {
  update: defineUpdate<Ack, [SrActionInput]>('update'),
  submit: defineUpdate<Ack, [SrActionInput]>('submit'),
  close: defineUpdate<Ack, [SrActionInput]>('close'),
  cancel: defineUpdate<Ack, [SrActionInput]>('cancel'),
  take: defineUpdate<Ack, [SrActionInput]>('take'),
  requestInfo: defineUpdate<Ack, [SrActionInput]>('requestInfo'),
  complete: defineUpdate<Ack, [SrActionInput]>('complete'),
  cancelByOperator: defineUpdate<Ack, [SrActionInput]>('cancelByOperator'),
} satisfies Record<SrAction, UpdateDefinition<Ack, [SrActionInput]>>;
