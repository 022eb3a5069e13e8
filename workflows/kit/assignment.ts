// who works on a case. Every case workflow answers the same `assign` Update (take, assign to a
// handler, release), under its lock like any other action, and sets CaseAssignee (A-6: ops find a
// handler's cases in the Temporal Web UI). A new Update handler: old histories replay unchanged.
import type { UpdateDefinition } from '@temporalio/common';
import { defineUpdate, upsertSearchAttributes } from '@temporalio/workflow';
import { type AssignmentFacts, decideAssignment } from '../../domain/handler-tools';
import type { Actor } from '../../domain/identity';
import { type Ack, ackOf } from './ack';
import { type Lock, setSerialUpdate } from './serial';
import { refuseIf } from '../refusals';
import { CASE_ASSIGNEE } from '../search-attributes';

export type AssignInput = AssignmentFacts;

export const assignUpdate: UpdateDefinition<Ack, [AssignInput]> = defineUpdate<Ack, [AssignInput]>('assign');

export interface Assignable {
  /** The case as it is now (number, status, and what the ack reports). */
  view: () => { caseId: string; number: string; status: string; version: number };
  assignee: () => string | null;
  setAssignee: (username: string | null) => void;
  /** Records the change in the case's activity log and bumps its version. */
  record: (actor: Actor, action: string, text: string) => void;
  publish: () => Promise<void>;
}

export function setAssignmentUpdate(lock: Lock, c: Assignable): void {
  setSerialUpdate(
    lock,
    assignUpdate,
    (cmd: AssignInput) => refuseIf(decideAssignment({ ...c.view(), assignee: c.assignee() }, cmd)),
    async (cmd: AssignInput) => {
      const to = cmd.mode === 'release' ? null : cmd.assignee;
      if (to !== c.assignee()) {
        c.setAssignee(to);
        upsertSearchAttributes([{ key: CASE_ASSIGNEE, value: to }]);
        c.record(cmd.actor, cmd.mode, to ? `assigned to ${to}` : 'released: back in the queue');
        await c.publish();
      }
      return ackOf(c.view());
    },
  );
}
