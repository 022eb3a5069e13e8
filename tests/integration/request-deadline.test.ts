// A stuck case never holds a request: every Temporal call a request makes shares one deadline, and
// past it the API answers 503 problem+json with Retry-After. Here no worker polls the stack's task
// queue, so the workflow never takes the Update; the case is left as it was, whole.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSr } from '../support/service-requests';
import { type Stack, startStack } from '../support/stack';
import { eventually } from '../support/eventually';
import { workerProcess } from '../support/worker-process';

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

it('a client that got 503 resends the action with its Idempotency-Key and gets the outcome of the one Update, never a second action nor a 409 from its own first attempt', async () => {
  const token = await stack.login('ola.nordnett');
  const sr = await createSr(stack, token);
  const key = `submit-${sr.number}`;
  const first = await stack.api('POST', `/v1/service-requests/${sr.number}/submit`, { token, headers: { 'Idempotency-Key': key } });
  expect(first.status).toBe(503);
  // the worker comes back: the Update the first request left behind is delivered and applied once
  const worker = workerProcess(stack);
  await worker.start();
  try {
    // whether the engine kept the first Update until the worker came or dropped it unapplied, the resend
    // with the same key ends with the request applied once
    const again = await eventually(async () => {
      const res = await stack.api('POST', `/v1/service-requests/${sr.number}/submit`, { token, headers: { 'Idempotency-Key': key } });
      expect([200, 503]).toContain(res.status);
      return res.status === 200 && res;
    }, 30_000);
    expect(again.body.status).toBe('Submitted');
    const third = await stack.api('POST', `/v1/service-requests/${sr.number}/submit`, { token, headers: { 'Idempotency-Key': key } });
    expect(third.status).toBe(200);
    expect(third.headers.get('idempotency-replayed')).toBe('true');
    // without the key the same resend is judged afresh: the case is Submitted already
    const unkeyed = await stack.api('POST', `/v1/service-requests/${sr.number}/submit`, { token });
    expect(unkeyed.status).toBe(409);
    // the same key for another action is a client error, not a silent replay
    const reused = await stack.api('POST', `/v1/service-requests/${sr.number}/cancel`, { token, headers: { 'Idempotency-Key': key }, json: { comment: 'no longer needed' } });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    const history = await stack.client.workflow.getHandle(`service-request:${sr.number}`).fetchHistory();
    const accepted = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(accepted).toHaveLength(1);
  } finally {
    await worker.stop();
  }
});
