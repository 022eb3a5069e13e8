// A stuck case never holds a request: every Temporal call a request makes shares one deadline, and
// past it the API answers 503 problem+json with Retry-After. Here no worker polls the stack's task
// queue, so the workflow never takes the Update; the case is left as it was, whole.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSr } from '../support/service-requests';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false, requestDeadlineMs: 1500, replay: false });
});
afterAll(async () => stack?.stop());

it('an action on a case whose workflow does not answer gets 503 with Retry-After within the deadline, and changes nothing', async () => {
  const token = await stack.login('ola.nordnett');
  const sr = await createSr(stack, token); // creation needs no worker: the read model and the start are written
  const started = Date.now();
  const res = await stack.api('POST', `/v1/service-requests/${sr.number}/submit`, { token });
  const tookMs = Date.now() - started;
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.code).toBe('deadline_exceeded');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(tookMs).toBeLessThan(5000);
  const read = await stack.api('GET', `/v1/service-requests/${sr.number}`, { token });
  expect(read.body.status).toBe('New');
  // the API keeps answering meanwhile
  expect((await stack.api('GET', '/health')).status).toBe(200);
});
