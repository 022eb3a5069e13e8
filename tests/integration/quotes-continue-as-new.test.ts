// A quote with many line changes continues as new before its history grows large: the state is
// handed to the next run once no Update is mid-way, and the quote goes on where it was.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from '../support/stack';

const LIMIT = 40;
let stack: Stack;
let ola: string;
beforeAll(async () => {
  stack = await startStack({ quoteHistoryLimit: LIMIT });
  ola = await stack.login('ola.nordnett');
});
afterAll(async () => stack?.stop());

it('Q-1…Q-12: a quote changed many times continues as new, keeps its lines and takes further actions', async () => {
  const eth = { productCode: 'SAMB-ETH', speedMbps: 10, addressAId: 'adr-0003', addressBId: 'adr-0004' };
  const created = await stack.api('POST', '/v1/quotes', { token: ola, json: { lines: [eth] } });
  expect(created.status).toBe(201);
  const number = created.body.number as string;
  for (let i = 0; i < 8; i++) {
    expect((await stack.api('PATCH', `/v1/quotes/${number}/lines/1`, { token: ola, json: { speedMbps: i % 2 === 0 ? 34 : 10 } })).status).toBe(200);
    expect((await stack.api('POST', `/v1/quotes/${number}/lines`, { token: ola, json: eth })).status).toBe(201);
  }
  const runs = await eventually(
    async () => {
      const found: Array<{ status: string; historyLength: number }> = [];
      for await (const w of stack.client.workflow.list({ query: `WorkflowId = '${created.body.caseId}'` })) found.push({ status: w.status.name, historyLength: w.historyLength });
      return found.length >= 2 ? found : undefined;
    },
    20_000,
    'a second run',
  );
  expect(runs.filter((r) => r.status === 'RUNNING')).toHaveLength(1);
  expect(runs.filter((r) => r.status === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(1);
  // the case goes on in the new run, with everything the old one had
  const submitted = await stack.api('POST', `/v1/quotes/${number}/submit`, { token: ola });
  expect(submitted.status).toBe(200);
  expect(submitted.body.lines).toHaveLength(9);
  expect(submitted.body.lines.every((l: { status: string }) => l.status === 'Completed')).toBe(true);
  expect(submitted.body.activity.filter((e: { action: string }) => e.action === 'addLine')).toHaveLength(8);
});
