// Messages of PSTN/ISDN number handling (O-12), defined once for the API and the order workflow.
import { defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/identity';
import type { Ack } from '../kit/ack';

export interface ReserveNumberInput {
  actor: Actor;
  lineNo: number;
  /** From the price list (the API looked it up): only PSTN and ISDN lines get a number this way. */
  productFamily: string;
}

export const orderNumberUpdates = {
  /** O-12: reserve a phone number with the line's technician booking, until the draft's O-20 auto-cancel. */
  reserveNumber: defineUpdate<Ack, [ReserveNumberInput]>('reserveNumber'),
};
