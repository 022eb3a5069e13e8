// Messages of the switch-ISP workflow (I-1…I-7), defined once for the API and the workflow.
import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActivityEntry } from '../../domain/case';
import type { Actor } from '../../domain/identity';
import type { PortfolioEndUser } from '../../domain/portfolio';
import type { SwitchAction, SwitchStatus } from '../../domain/switch-isp';
import type { IsoDate, RuleDuration } from '../../domain/time';
import type { Ack } from '../kit/ack';

/** The subscription taken over, as found by the I-3 check (the losing operator's portfolio entry). */
export interface SwitchSubscription {
  portfolioEntryId: string;
  lineId: string;
  number: string;
  numberKind: 'phone' | 'circuit';
  productCode: string;
  productName: string;
  /** shared or full (I-2: it cannot change in a switch). */
  accessType: 'shared' | 'full';
  speedMbps: number | null;
  address: { id: string; label: string };
  /** The operator the end user leaves (I-3). */
  losingOperator: string;
}

/** I-6: the technician visit, when the switch needs one, with the work ordered beyond the interface (AEG). */
export interface SwitchTechnician {
  slotId: string;
  aegServices: string[];
  /** Set once the appointment system has confirmed the booking (O-12); with the AEG work it confirmed (orders only). */
  booking: { bookingId: string; date: IsoDate; window: string; aegServices?: string[] } | null;
}

export interface SwitchStartInput {
  caseId: string;
  number: string;
  companyId: string;
  /** The new operator's name as the portfolio records the holder. */
  companyName: string;
  actor: Actor;
  subscription: SwitchSubscription;
  newProductCode: string;
  newProductName: string;
  /** The end user from the switch date (may differ from the owner who authorised it, I-4). */
  endUser: PortfolioEndUser;
  /** I-4: the NRDB authorisation recorded on the order. */
  authorisation: { reference: string; authorisedBy: string };
  requestedDate: IsoDate;
  /** I-5: how many calendar days ahead the requested date must lie (16, 21 for SHDSL). */
  leadDays: number;
  /** I-6: null when the delivery systems switch without a technician. */
  technician: SwitchTechnician | null;
  customerReference: string | null;
  createdAt: string;
  /** From domain/durations.ts (00:00 Oslo on the requested date); tests pass milliseconds. */
  timing: { executeAt: RuleDuration };
}

export interface SwitchView {
  /** the handler working on the case (absent on cases older than the handler's tools). */
  assignee?: string | null;
  caseId: string;
  number: string;
  companyId: string;
  companyName: string;
  createdBy: string;
  subscription: SwitchSubscription;
  newProductCode: string;
  newProductName: string;
  endUser: PortfolioEndUser;
  authorisation: { reference: string; authorisedBy: string };
  requestedDate: IsoDate;
  leadDays: number;
  technicianRequired: boolean;
  technician: SwitchTechnician | null;
  customerReference: string | null;
  status: SwitchStatus;
  /** The order system's id of the executed switch. */
  switchId: string | null;
  /** The new company's portfolio entry once the switch is carried out. */
  portfolioEntryId: string | null;
  executedAt: string | null;
  /** Why it was cancelled or rejected. */
  resolution: string | null;
  /** I-7: the service request a cancellation came from. */
  cancelledViaServiceRequest: string | null;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
  activity: ActivityEntry[];
}

export interface SwitchActionInput {
  actor: Actor;
  /** changeDate: the new requested date (I-5 counted from the day of the change). */
  requestedDate?: IsoDate;
  /** changeDate with a technician: the slot on the new date (I-6). */
  slotId?: string;
  /** cancelByOperator: the service request asking for it (I-7) and the reason. */
  serviceRequest?: string;
  text?: string;
}

export const switchViewQuery = defineQuery<SwitchView>('view');

/** Each Update answers a small acknowledgement; the caller reads the case from the read model. */
export const switchActionUpdates = {
  changeDate: defineUpdate<Ack, [SwitchActionInput]>('changeDate'),
  cancelByOperator: defineUpdate<Ack, [SwitchActionInput]>('cancelByOperator'),
} satisfies Record<SwitchAction, UpdateDefinition<Ack, [SwitchActionInput]>>;
