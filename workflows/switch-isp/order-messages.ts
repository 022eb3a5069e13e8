// Messages of the switch-ISP and termination *orders* (switchIspOrderWorkflow, terminationOrderWorkflow):
// the cases registered in the order system at submit that then follow the order line's statuses
// (domain/portfolio-order.ts). Defined once for the API and the workflows. The first workflow types
// (switchIspWorkflow, terminationWorkflow) keep their messages for the cases that are still open.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/identity';
import type { LineStatus } from '../../domain/order';
import type { FollowUp, PortfolioOrderAction, PortfolioOrderKind } from '../../domain/portfolio-order';
import type { IsoDate } from '../../domain/time';
import type { Ack } from '../kit/ack';
import type { TerminatedProduct, TerminationView } from '../termination/messages';
import type { SwitchStartInput, SwitchSubscription, SwitchView } from './messages';

/** What an order adds to the first model's case: the order line's status and the order system's answer. */
export interface PortfolioOrderFields {
  /** the handler working on the order (inbox take/assign/release) */
  assignee?: string | null;
  /** Tells an order from a case of the first workflow types (the API routes actions by it). */
  model: 'order';
  kind: PortfolioOrderKind;
  status: LineStatus;
  /** O-14: from the order system at submit. */
  customerOrderId: string | null;
  agreedDate: IsoDate | null;
  /** O-14: why Rejected (the order system's reason or the handler's), or the handler's status text. */
  statusDescription: string | null;
  /** O-17: what is missing (Incomplete) or the handler's note. */
  comment: string | null;
  /** O-15 / O-18: the installation date set with Field Service (M). */
  installationDate: IsoDate | null;
  /** A-2, O-14: a rejection by the order system waits for the handler's follow-up ('due' → 'done'). */
  followUp?: FollowUp;
}

/** SHDSL has no access type (slide 65: switched too). */
export type SwitchOrderSubscription = Omit<SwitchSubscription, 'accessType'> & { accessType: 'shared' | 'full' | null };

/** The start input of a switch order: the first model's, with SHDSL's null access type. */
export type SwitchOrderStartInput = Omit<SwitchStartInput, 'subscription'> & { subscription: SwitchOrderSubscription };

export type SwitchOrderView = Omit<SwitchView, 'status' | 'subscription'> & PortfolioOrderFields & { kind: 'switch_isp'; subscription: SwitchOrderSubscription };

/** T-3: each product's run-out (the catalogue's) and the date its subscription lasts until. */
export type TerminatedOrderProduct = TerminatedProduct & { runOutDays: number; lastsUntil: IsoDate };

export type TerminationOrderView = Omit<TerminationView, 'status' | 'products'> &
  PortfolioOrderFields & { kind: 'termination'; products: TerminatedOrderProduct[]; runOutDays: number; lastsUntil: IsoDate };

export type PortfolioOrderView = SwitchOrderView | TerminationOrderView;

/** Whether a switch or termination case is an order (the new types) or a case of the first model. */
export function isPortfolioOrder(view: object): boolean {
  return 'model' in view && view.model === 'order';
}

export interface PortfolioOrderActionInput {
  actor: Actor;
  /** changeDate / customerUpdate: the new requested date (I-5 from today for a switch, T-2 for a termination). */
  requestedDate?: IsoDate;
  /** changeDate of a switch with a technician: the slot on the new date (I-6). */
  slotId?: string;
  /** cancelByOperator of a switch: the service request asking for it (I-7). */
  serviceRequest?: string;
  /** cancelByOperator / withdraw: the reason. */
  text?: string;
  comment?: string;
  statusDescription?: string;
  /** advance: the next O-15 step. */
  step?: LineStatus;
  installationDate?: IsoDate;
}

export const portfolioOrderViewQuery = defineQuery<PortfolioOrderView>('view');

/** Each Update answers a small acknowledgement; the caller reads the case from the read model. */
export const portfolioOrderUpdates = {
  changeDate: defineUpdate<Ack, [PortfolioOrderActionInput]>('changeDate'),
  cancelByOperator: defineUpdate<Ack, [PortfolioOrderActionInput]>('cancelByOperator'),
  withdraw: defineUpdate<Ack, [PortfolioOrderActionInput]>('withdraw'),
  followUp: defineUpdate<Ack, [PortfolioOrderActionInput]>('followUp'),
  inProgress: defineUpdate<Ack, [PortfolioOrderActionInput]>('inProgress'),
  incomplete: defineUpdate<Ack, [PortfolioOrderActionInput]>('incomplete'),
  reject: defineUpdate<Ack, [PortfolioOrderActionInput]>('reject'),
  advance: defineUpdate<Ack, [PortfolioOrderActionInput]>('advance'),
  customerUpdate: defineUpdate<Ack, [PortfolioOrderActionInput]>('customerUpdate'),
} satisfies Record<PortfolioOrderAction, UpdateDefinition<Ack, [PortfolioOrderActionInput]>>;
