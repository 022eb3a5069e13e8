// Race suite (issue: case engine soundness): identical and conflicting actions sent at once. Of ten
// identical actions exactly one wins and nine are refused (409), with one accepted audit row and one
// activity entry; of a conflicting pair one wins, and the final state is one a serial order reaches.
// RACE_CASES cases per race (default 100).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSr, srAction, type Tokens } from '../support/service-requests';
import { type ApiResponse, type Stack, startStack } from '../support/stack';

const CASES = Number(process.env.RACE_CASES ?? 100);
const RACE_TIMEOUT = 900_000;
const A = 'adr-0003';
const B = 'adr-0004';

let stack: Stack;
let tokens: Tokens;
let ola: string;

beforeAll(async () => {
  stack = await startStack();
  tokens = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
  ola = tokens.customer;
});
afterAll(async () => stack?.stop());

const statuses = (rs: ApiResponse[]) => rs.map((r) => r.status).sort((a, b) => a - b);
const tenAtOnce = (send: () => Promise<ApiResponse>) => Promise.all(Array.from({ length: 10 }, send));

/** Runs `race` for CASES cases, a few at a time (the machine has two cores). */
async function forCases(race: (i: number) => Promise<void>, parallel = 4) {
  for (let i = 0; i < CASES; i += parallel) {
    await Promise.all(Array.from({ length: Math.min(parallel, CASES - i) }, (_, k) => race(i + k)));
  }
}

async function acceptedAudits(caseId: string, action: string) {
  const [row] = await stack.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE case_id = ${caseId} AND action = ${action} AND outcome = 'accepted'`;
  return row!.n;
}

function expectOneWinner(rs: ApiResponse[]) {
  expect(statuses(rs)).toEqual([200, ...Array(9).fill(409)]);
  for (const r of rs.filter((x) => x.status === 409)) expect(r.body.code).toBe('action_not_allowed');
}

describe('ten identical actions at once: one wins, nine are refused', () => {
  it(
    `S-7: cancel of a New SR (${CASES} cases)`,
    async () => {
      await forCases(async () => {
        const sr = await createSr(stack, ola);
        const rs = await tenAtOnce(() => srAction(stack, tokens, sr.number, 'cancel'));
        expectOneWinner(rs);
        expect(await acceptedAudits(sr.caseId, 'service_request.cancel')).toBe(1);
        const read = await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: ola });
        expect(read.body.status).toBe('Cancelled');
        expect(read.body.activity.filter((e: { action: string }) => e.action === 'cancel')).toHaveLength(1);
      });
    },
    RACE_TIMEOUT,
  );

  it(
    `S-7: submit of a New SR, then take by the handler (${CASES} cases)`,
    async () => {
      await forCases(async () => {
        const sr = await createSr(stack, ola);
        expectOneWinner(await tenAtOnce(() => srAction(stack, tokens, sr.number, 'submit')));
        expectOneWinner(await tenAtOnce(() => srAction(stack, tokens, sr.number, 'take')));
        expect(await acceptedAudits(sr.caseId, 'service_request.submit')).toBe(1);
        expect(await acceptedAudits(sr.caseId, 'service_request.take')).toBe(1);
        const read = await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: ola });
        expect(read.body.status).toBe('In Process');
        expect(read.body.activity.map((e: { action: string }) => e.action)).toEqual(['create', 'submit', 'take']);
      });
    },
    RACE_TIMEOUT,
  );

  it(
    `Q-8 / Q-9: submit, then cancel of a quote (${CASES} cases)`,
    async () => {
      await forCases(async () => {
        const created = await stack.api('POST', '/v1/quotes', { token: ola, json: { lines: [{ productCode: 'SAMB-ETH', speedMbps: 10, addressAId: A, addressBId: B }] } });
        expect(created.status).toBe(201);
        const number = created.body.number as string;
        expectOneWinner(await tenAtOnce(() => stack.api('POST', `/v1/quotes/${number}/submit`, { token: ola })));
        expectOneWinner(await tenAtOnce(() => stack.api('POST', `/v1/quotes/${number}/lines/1/close`, { token: ola })));
        const read = await stack.api('GET', `/v1/quotes/${number}`, { token: ola });
        expect(read.body.lines[0].status).toBe('Customer Closed');
        expect(read.body.activity.filter((e: { action: string }) => e.action === 'submit')).toHaveLength(1);
        expect(await acceptedAudits(created.body.caseId, 'quote.submit')).toBe(1);
      });
    },
    RACE_TIMEOUT,
  );
});

describe('conflicting actions at once: one winner, a state a serial order reaches', () => {
  it(
    `S-7: the handler completes while the customer cancels (${CASES} cases)`,
    async () => {
      const wins = { complete: 0, cancel: 0 };
      await forCases(async () => {
        const sr = await createSr(stack, ola);
        for (const step of ['submit', 'take']) expect((await srAction(stack, tokens, sr.number, step)).status).toBe(200);
        const [complete, cancel] = await Promise.all([srAction(stack, tokens, sr.number, 'complete'), srAction(stack, tokens, sr.number, 'cancel')]);
        expect(statuses([complete, cancel])).toEqual([200, 409]);
        const winner = complete.status === 200 ? 'complete' : 'cancel';
        wins[winner]++;
        const read = await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: ola });
        // the serial order "winner first, loser refused" is the only one that leaves this state
        expect(read.body.status).toBe(winner === 'complete' ? 'Completed' : 'Cancelled');
        expect(read.body.activity.at(-1).action).toBe(winner);
      });
      console.log(`race complete vs cancel over ${CASES} SRs: complete won ${wins.complete}, cancel won ${wins.cancel}`);
    },
    RACE_TIMEOUT,
  );
});
