// The handler's tools on an order line (C-5, O-15, O-19): move its Agreed Date or installation date
// (a "new delivery date" SR carried out, with the reason e-mailed to the company), release a line wrongly
// held as a Duplicate (it is then registered like any Committed line) or hold one as a Duplicate.
// New Update handlers, registered by the line workflow: old histories replay unchanged.
import { defineUpdate, proxyActivities } from '@temporalio/workflow';
import type { UserAdminActivities } from '../../activities/user-admin';
import { decideDuplicate, decideLineDates } from '../../domain/handler-tools';
import type { Actor } from '../../domain/identity';
import type { LineStatus } from '../../domain/order';
import { osloDate } from '../../domain/time';
import { type Ack, ackOf } from '../kit/ack';
import { type Lock, setSerialUpdate } from '../kit/serial';
import { refuseIf } from '../refusals';
import type { LineView } from './messages';

export interface LineDatesInput {
  actor: Actor;
  agreedDate?: string;
  installationDate?: string;
  reason: string;
}
export interface LineDuplicateInput {
  actor: Actor;
  reason: string;
  /** markDuplicate: the line this one duplicates. */
  duplicateOf?: string;
}

export const lineHandlerUpdates = {
  changeDates: defineUpdate<Ack, [LineDatesInput]>('changeDates'),
  releaseDuplicate: defineUpdate<Ack, [LineDuplicateInput]>('releaseDuplicate'),
  markDuplicate: defineUpdate<Ack, [LineDuplicateInput]>('markDuplicate'),
};

const mail = proxyActivities<UserAdminActivities>({ startToCloseTimeout: '15 seconds', retry: { initialInterval: '500 ms', maximumInterval: '10 seconds' } });

/** `record` is the line workflow's own (activity log, status, version, and the main loop's wake-up). */
export function setLineHandlerUpdates(lock: Lock, state: LineView, record: (actor: Actor, action: string, to: LineStatus, text?: string) => void, publish: () => Promise<void>): void {
  setSerialUpdate(
    lock,
    lineHandlerUpdates.changeDates,
    (cmd: LineDatesInput) => refuseIf(decideLineDates(state, cmd, osloDate(new Date()))),
    async (cmd: LineDatesInput) => {
      const agreed = cmd.agreedDate !== undefined ? { from: state.agreedDate, to: cmd.agreedDate } : null;
      const installation = cmd.installationDate !== undefined ? { from: state.installationDate, to: cmd.installationDate } : null;
      if (agreed) state.agreedDate = agreed.to;
      if (installation) state.installationDate = installation.to;
      const what = [agreed ? `Agreed Date ${agreed.from ?? '–'} → ${agreed.to}` : null, installation ? `installation date ${installation.from ?? '–'} → ${installation.to}` : null]
        .filter(Boolean)
        .join(', ');
      record(cmd.actor, 'changeDates', state.status, `${what}: ${cmd.reason}`);
      await publish();
      await mail.notifyLineDates({
        caseId: state.caseId,
        number: state.number,
        companyId: state.companyId,
        version: state.version,
        agreedDate: agreed,
        installationDate: installation,
        reason: cmd.reason,
      });
      return ackOf(state);
    },
  );
  setSerialUpdate(
    lock,
    lineHandlerUpdates.releaseDuplicate,
    (cmd: LineDuplicateInput) => refuseIf(decideDuplicate(state, 'releaseDuplicate', cmd)),
    async (cmd: LineDuplicateInput) => {
      const was = state.duplicateOf;
      state.duplicateOf = null;
      state.statusDescription = null;
      // never registered: Committed, and the workflow's main loop registers it (O-14); held after its
      // registration: back to Registered
      record(cmd.actor, 'releaseDuplicate', state.customerOrderId ? 'Registered' : 'Committed', `not a duplicate of ${was ?? 'another line'}: ${cmd.reason}`);
      await publish();
      return ackOf(state);
    },
  );
  setSerialUpdate(
    lock,
    lineHandlerUpdates.markDuplicate,
    (cmd: LineDuplicateInput) => refuseIf(decideDuplicate(state, 'markDuplicate', cmd)),
    async (cmd: LineDuplicateInput) => {
      state.duplicateOf = cmd.duplicateOf ?? null;
      state.statusDescription = `Duplicate of ${cmd.duplicateOf} (O-19): ${cmd.reason}`;
      record(cmd.actor, 'markDuplicate', 'Duplicate', state.statusDescription);
      await publish();
      return ackOf(state);
    },
  );
}
