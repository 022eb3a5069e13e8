// The handler's tools on a service request beyond S-7's transitions: re-routing to another area or
// department (S-4), and carrying out a Brukeradministrasjon request's user change with its completion.
// New Update handlers (and a new branch only an input with `userChange` reaches): old histories replay unchanged.
import { defineUpdate, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { UserAdminActivities } from '../../activities/user-admin';
import { decideSrReroute, type RerouteFacts } from '../../domain/handler-tools';
import type { Actor } from '../../domain/identity';
import { routeServiceRequest, type SrStatus } from '../../domain/service-request';
import type { UserChange } from '../../domain/user-admin';
import { type Ack, ackOf } from '../kit/ack';
import { type Lock, setSerialUpdate } from '../kit/serial';
import { refusalAsRejection } from '../order/upstream';
import { refuseIf } from '../refusals';
import { CASE_ASSIGNEE } from '../search-attributes';
import type { SrView } from './messages';

export type SrRerouteInput = RerouteFacts;
export const srRerouteUpdate = defineUpdate<Ack, [SrRerouteInput]>('reroute');

/** S-4: the SR moves to the new area's department queue; whoever held it in the old one lets go. */
export function setSrRerouteUpdate(lock: Lock, state: SrView, record: (actor: Actor, action: string, to: SrStatus, text?: string) => void, publish: () => Promise<void>): void {
  setSerialUpdate(
    lock,
    srRerouteUpdate,
    (cmd: SrRerouteInput) => refuseIf(decideSrReroute(state, cmd)),
    async (cmd: SrRerouteInput) => {
      const from = `${state.area} / ${state.subArea} (${state.department})`;
      state.area = cmd.area;
      state.subArea = cmd.subArea;
      state.department = routeServiceRequest(cmd.area, cmd.subArea)!;
      if (state.handler) {
        state.handler = null;
        upsertSearchAttributes([{ key: CASE_ASSIGNEE, value: null }]);
      }
      record(cmd.actor, 'reroute', state.status, `${from} → ${state.area} / ${state.subArea} (${state.department}): ${cmd.reason ?? ''}`.trim());
      await publish();
      return ackOf(state);
    },
  );
}

const userAdmin = proxyActivities<UserAdminActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 ms', maximumInterval: '10 seconds', nonRetryableErrorTypes: ['UserChangeRefused'] },
});

/**
 * S-4 Brukeradministrasjon: the completion carries the user change; the activity applies it once
 * (keyed by the SR), before the SR is Completed. A change the rules refuse (A-3 training, a user of
 * another company) fails the Update with a business "no" (422) and the SR stays In Process.
 */
export async function applyRequestedUserChange(state: SrView, change: UserChange, by: string): Promise<void> {
  try {
    await userAdmin.applyUserChange({ companyId: state.companyId, change, by, requestCaseId: state.caseId, dedupeKey: `${state.caseId}:user-admin` });
  } catch (err) {
    throw refusalAsRejection(err, 'UserChangeRefused');
  }
}
