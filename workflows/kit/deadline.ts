// The "updatable timer" (stack notes: `condition(() => changed, remaining)` in a loop): a case waits for a
// date its caller may move (a switch's or a termination's requested date, I-5, T-2). Every move starts the
// wait again from the new deadline; when the deadline passes, the case claims it under its lock, so an
// Update being handled finishes first and one arriving later is judged on the claimed state (refused).
import { condition } from '@temporalio/workflow';
import type { Lock } from './serial';

export interface MovableDeadline {
  /** When the case is due now (computed from its current state). */
  dueAt: () => Date;
  /** A counter the case raises on every move of the deadline (a date change). */
  revision: () => number;
  /** Whether the case still waits (e.g. status Registered); false ends the wait unclaimed. */
  waiting: () => boolean;
  /** The case's lock (workflows/kit/serial.ts). */
  lock: Lock;
}

/**
 * Waits until the deadline passes with the case still waiting, then runs `claim` under the case's lock
 * (the state change that makes later Updates refuse, e.g. to In Progress) and answers true. Answers false
 * when the case stopped waiting first (cancelled, withdrawn, rejected).
 */
export async function awaitMovableDeadline(d: MovableDeadline, claim: () => Promise<void>): Promise<boolean> {
  while (d.waiting()) {
    const seen = d.revision();
    const at = d.dueAt().getTime();
    const moved = await condition(() => d.revision() !== seen || !d.waiting(), Math.max(1, at - Date.now()));
    if (moved) continue;
    // an Update under way (a reschedule, say) finishes first; then the deadline is judged again
    const claimed = await d.lock(async () => {
      if (d.revision() !== seen || !d.waiting()) return false;
      await claim();
      return true;
    });
    if (claimed) return true;
  }
  return false;
}
