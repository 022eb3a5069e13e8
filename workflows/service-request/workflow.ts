// One service request = one workflow (rules S-1…S-9). It holds the SR's state, accepts only
// the transitions of S-7, publishes every change to the read model and closes itself after
// 14 calendar days in New or Completed (S-9).
import { allHandlersFinished, condition, patched, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { type Actor, SYSTEM_ACTOR } from '../../domain/identity';
import { AUTO_CLOSE_SR_STATUSES, decideSrAction, nextSrStatus, type SrAction, TERMINAL_SR_STATUSES } from '../../domain/service-request';
import { deadlineAfter } from '../../domain/time';
import { refuseIf } from '../refusals';
import { ackOf } from '../kit/ack';
import { caseLock, setSerialUpdate } from '../kit/serial';
import { type SrActionInput, srActionUpdates, type SrStartInput, type SrView, srViewQuery } from './messages';
import { newServiceRequest, toProjection } from './projection';
import { projectCase } from '../publish';
import { recordAction } from '../activity-log';
import { CASE_ASSIGNEE } from '../search-attributes';
import { setAssignmentUpdate } from '../kit/assignment';
import { applyRequestedUserChange, setSrRerouteUpdate } from './handler-tools';

export async function serviceRequestWorkflow(input: SrStartInput): Promise<SrView> {
  const state: SrView = newServiceRequest(input);
  let statusChangedAt = new Date();
  let statusChanges = 0;

  const record = (actor: Actor, action: string, to: SrView['status'], text?: string) => {
    if (recordAction(state, actor, action, to, text)) {
      statusChangedAt = new Date();
      statusChanges++;
    }
  };

  // Every handler runs validate → apply → publish, one at a time under the case's lock (a second
  // identical action is judged on the state the first left); the caller gets a small acknowledgement
  // after the publish, so a read right after the action sees it (read-your-writes).
  const lock = caseLock();
  for (const action of Object.keys(srActionUpdates) as SrAction[]) {
    setSerialUpdate(
      lock,
      srActionUpdates[action],
      (cmd: SrActionInput) => refuseIf(decideSrAction(state, action, cmd)),
      async (cmd: SrActionInput) => {
        // S-4 Brukeradministrasjon: the completion carries the user change, applied (once) before the SR is
        // Completed. Only inputs with `userChange` reach this branch, and none did before it existed.
        if (action === 'complete' && cmd.userChange && patched('sr-user-admin-change')) await applyRequestedUserChange(state, cmd.userChange, cmd.actor.username);
        apply(action, cmd);
        await publish();
        return ackOf(state);
      },
    );
  }
  setHandler(srViewQuery, () => state);
  // A-2 / S-4: the handler's tools (new Update handlers; old histories replay unchanged)
  setAssignmentUpdate(lock, {
    view: () => state,
    assignee: () => state.handler,
    setAssignee: (u) => {
      state.handler = u;
    },
    record: (actor, action, text) => record(actor, action, state.status, text),
    publish,
  });
  setSrRerouteUpdate(lock, state, record, publish);

  function apply(action: SrAction, cmd: SrActionInput): void {
    const to = nextSrStatus(state.status, action);
    switch (action) {
      case 'update': {
        const c = cmd.changes ?? {};
        if (c.subArea !== undefined) state.subArea = c.subArea; // same area, so the department stays (S-4)
        if (c.description !== undefined) state.description = c.description;
        if (c.addAttachments) state.attachments.push(...c.addAttachments);
        break;
      }
      case 'submit':
        state.missingInformation = null;
        break;
      case 'take':
        state.handler = cmd.actor.username;
        // ops find a handler's SRs in the Temporal Web UI (CaseAssignee). A new command: SRs taken
        // before this change replay without it (README "Changing workflow code").
        if (patched('sr-case-assignee')) upsertSearchAttributes([{ key: CASE_ASSIGNEE, value: cmd.actor.username }]);
        break;
      case 'requestInfo':
        state.missingInformation = cmd.text ?? null;
        break;
      case 'complete':
        state.answer = { text: cmd.text ?? '', attachments: cmd.attachments ?? [] };
        break;
      case 'cancel':
      case 'cancelByOperator':
        state.resolution = cmd.text ?? (action === 'cancel' ? 'Cancelled by the customer' : null);
        break;
      case 'close':
        break;
    }
    record(cmd.actor, action, to, cmd.text);
  }

  async function publish(): Promise<void> {
    await projectCase(toProjection(state));
  }

  await publish();

  // S-9: 14 calendar days in New or Completed closes the SR; any status change restarts the clock.
  while (!TERMINAL_SR_STATUSES.includes(state.status)) {
    const seen = statusChanges;
    if (AUTO_CLOSE_SR_STATUSES.includes(state.status)) {
      const remainingMs = deadlineAfter(statusChangedAt, input.timing.autoCloseAfter).getTime() - Date.now();
      const changed = await condition(() => statusChanges !== seen, Math.max(1, remainingMs));
      if (!changed) {
        record(SYSTEM_ACTOR, 'autoClose', 'Closed', `Closed automatically after ${describe(input.timing.autoCloseAfter)} in status ${state.status} (S-9)`);
        await publish();
      }
    } else {
      await condition(() => statusChanges !== seen);
    }
  }
  await condition(allHandlersFinished);
  return state;
}

function describe(d: SrStartInput['timing']['autoCloseAfter']): string {
  return 'calendarDays' in d ? `${d.calendarDays} calendar days` : `${d.ms} ms`;
}
