// The one way a workflow records an accepted action: an activity-log entry with the acting
// username (A-4, G-3), the new status and its search attribute, and a new version for the
// read model's guard.
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { ActivityEntry } from '../domain/case';
import type { Actor } from '../domain/identity';
import { CASE_STATUS } from './search-attributes';

export interface LoggedCase<S extends string> {
  status: S;
  activity: ActivityEntry[];
  updatedAt: string;
  updatedBy: string;
  version: number;
}

/** Returns whether the status changed. */
export function recordAction<S extends string>(state: LoggedCase<S>, actor: Actor, action: string, to: S, text?: string | null): boolean {
  const entry: ActivityEntry = { at: new Date().toISOString(), by: actor.username, action, fromStatus: state.status, toStatus: to };
  if (text) entry.text = text;
  state.activity.push(entry);
  const changed = to !== state.status;
  if (changed) {
    state.status = to;
    upsertSearchAttributes([{ key: CASE_STATUS, value: to }]);
  }
  state.updatedAt = entry.at;
  state.updatedBy = actor.username;
  state.version++;
  return changed;
}
