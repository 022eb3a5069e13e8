// Worker killed (SIGKILL) at random points of service-request lives, then restarted: every case
// finishes in the right status, with no duplicate events, e-mails or audit rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSr, srAction, type Tokens } from '../support/service-requests';
import { type Stack, startStack } from '../support/stack';
import { type ChildService, workerProcess } from '../support/worker-process';
import { recordFigure } from '../support/figures';

let stack: Stack;
let worker: ChildService;
let tokens: Tokens;

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
  worker = workerProcess(stack);
  await worker.start();
  tokens = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
});

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
          const res = await srAction(stack, tokens, sr.number, action);
          expect(res.status, `${action} on ${sr.number}: ${JSON.stringify(res.body)}`).toBe(200);
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
      expect(audit!.n).toBe(1 + LIFE.length);
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
