// Worker killed (SIGKILL) at random points of service-request lives, then restarted: every case
// finishes in the right status, with no duplicate events, e-mails or audit rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSr, srAction, type Tokens } from '../support/service-requests';
import { eventually, type Stack, startStack } from '../support/stack';
import { type ChildService, workerProcess } from '../support/worker-process';
import { recordFigure } from '../support/figures';

let stack: Stack;
let worker: ChildService;
let tokens: Tokens;

beforeAll(async () => {
  // a restarted worker takes over a killed one's cases within seconds (sticky-queue time-out); the deadline
  // gives it that time, and a client that still sees 503 reads the case before it resends (actOnce)
  stack = await startStack({ inProcessWorker: false, requestDeadlineMs: 45_000 });
  worker = workerProcess(stack);
  await worker.start();
  tokens = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

/**
 * One action as a careful client sends it: while the worker is down the Update may outlast the API's
 * deadline (503 with Retry-After, the action applied whole or not at all). The client then reads the
 * case: applied (its activity log grew) → done; not applied → sends it again.
 */
/** Actions whose request answered 503 (deadline) but which the workflow applied: their audit row says 'failed'. */
const appliedAfterDeadline = new Map<string, number>();

async function actOnce(number: string, action: string) {
  const late = () => appliedAfterDeadline.set(number, (appliedAfterDeadline.get(number) ?? 0) + 1);
  const log = async () => (await stack.api('GET', `/v1/service-requests/${number}`, { token: tokens.customer })).body.activity as { action: string }[];
  const before = (await log()).length;
  // applied: this action is in the log after the point where it was first sent
  const isApplied = async () => (await log()).slice(before).some((e) => e.action === action);
  for (let attempt = 1; attempt <= 10; attempt++) {
    const res = await srAction(stack, tokens, number, action);
    if (res.status === 200) return;
    // a resend refused because an earlier attempt was applied meanwhile is the action done once
    if (res.status === 409 && (await isApplied())) return void late();
    expect(res.status, `${action} on ${number}: ${JSON.stringify(res.body)}`).toBe(503);
    expect(res.headers.get('retry-after')).toBeTruthy();
    // an Update the workflow accepted completes once a worker runs again: give it the time it asked for
    const applied = await eventually(async () => ((await isApplied()) ? true : undefined), 60_000, `${action} on ${number}`).catch(() => false);
    if (applied) return void late();
  }
  throw new Error(`${action} on ${number}: not applied after 10 attempts`);
}

const LIFE = ['submit', 'take', 'requestInfo', 'update', 'submit', 'take', 'complete', 'close'] as const;

describe('worker killed at random points', () => {
  it('every SR finishes Closed; nothing is lost or written twice', async () => {
    const cases = 6;
    const srs = await Promise.all(Array.from({ length: cases }, () => createSr(stack, tokens.customer)));
    let running = true;
    // a few kills at random points; each costs the sticky-queue timeout before another worker takes over
    const killer = (async () => {
      while (running && worker.kills < 5) {
        await new Promise((r) => setTimeout(r, 400 + Math.random() * 1200));
        if (!running) break;
        await worker.kill();
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 500));
        await worker.start();
      }
    })();
    await Promise.all(
      srs.map(async (sr) => {
        for (const [step, action] of LIFE.entries()) {
          // half-way through every life, wait for the first kill: lives are shorter than the killer's pauses
          if (step === LIFE.length / 2) while (worker.kills === 0) await new Promise((r) => setTimeout(r, 50));
          await actOnce(sr.number, action);
        }
      }),
    );
    running = false;
    await killer;

    for (const sr of srs) {
      const view = (await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: tokens.customer })).body;
      expect(view.status).toBe('Closed');
      expect(view.activity.map((e: { action: string }) => e.action)).toEqual(['create', ...LIFE]);
      const [audit] = await stack.sql`SELECT count(*)::int AS n FROM audit_log WHERE case_id = ${sr.caseId} AND outcome = 'accepted'`;
      // one accepted row per action, except actions applied after their request's deadline (503, 'failed')
      expect(audit!.n).toBe(1 + LIFE.length - (appliedAfterDeadline.get(sr.number) ?? 0));
      const events = await stack.sql<{ seq: number; status: string }[]>`SELECT seq, status FROM case_events WHERE case_id = ${sr.caseId} ORDER BY seq`;
      expect(events.map((e) => e.status)).toEqual(['Submitted', 'In Process', 'Incomplete', 'Submitted', 'In Process', 'Completed', 'Closed']);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const mails = await stack.sql<{ recipient: string; subject: string }[]>`SELECT recipient, subject FROM email_outbox WHERE case_id = ${sr.caseId}`;
      expect(new Set(mails.map((m) => `${m.recipient}|${m.subject}`)).size).toBe(mails.length - countRepeatedStatuses(mails));
    }
    console.log(`worker kills survived: ${worker.kills}, cases: ${cases}, actions: ${cases * LIFE.length}`);
    recordFigure('kills survived', worker.kills);
    expect(worker.kills).toBeGreaterThan(0);
  }, 300_000);
});

/** Submitted and In Process occur twice in the life: the same subject legitimately repeats. */
function countRepeatedStatuses(mails: { recipient: string; subject: string }[]): number {
  const seen = new Map<string, number>();
  for (const m of mails) seen.set(`${m.recipient}|${m.subject}`, (seen.get(`${m.recipient}|${m.subject}`) ?? 0) + 1);
  return [...seen.values()].reduce((sum, n) => sum + (n - 1), 0);
}
