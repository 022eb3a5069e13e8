// A resent order action gets its first attempt's outcome (issue 16's cluster run found the gap): a client
// whose API process died after the Update was applied resends it, with the same Idempotency-Key, to
// another API. The route's precheck on the read model would refuse it (the order is no longer New) before
// the key was looked at; a resend now goes to the action runner, which joins the first attempt's Update.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lineOf, ok, readyOrder, submittedOrder } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('ola.nordnett');
});
afterAll(async () => stack?.stop());

it('a submit resent after its API died (the key held, no answer recorded) answers 200 with the submitted order, not 409', async () => {
  const order = await readyOrder(stack, token);
  const key = `submit-${order.number}`;
  const first = await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token, headers: { 'Idempotency-Key': key } }));
  expect(first.phase).toBe('submitted');
  // the API that sent the Update died before it recorded the answer: the key is held, under way
  const held = await stack.sql`UPDATE idempotency_keys SET status_code = NULL, response = NULL WHERE key = ${`${key} @${order.caseId}`} RETURNING key`;
  expect(held).toHaveLength(1);
  const resent = await stack.api('POST', `/v1/orders/${order.number}/submit`, { token, headers: { 'Idempotency-Key': key } });
  expect(resent.status, JSON.stringify(resent.body)).toBe(200);
  expect(resent.body.phase).toBe('submitted');
  // once answered, a resend is a replay
  const again = await stack.api('POST', `/v1/orders/${order.number}/submit`, { token, headers: { 'Idempotency-Key': key } });
  expect(again.status).toBe(200);
  expect(again.headers.get('idempotency-replayed')).toBe('true');
  // a new request (another key) is judged on the order as it is
  const other = await stack.api('POST', `/v1/orders/${order.number}/submit`, { token, headers: { 'Idempotency-Key': `${key}-2` } });
  expect(other.status).toBe(409);
  expect(other.body.code).toBe('action_not_allowed');
});

it('C-3: a whole-order cancel resent after its API died answers 200 with the cancelled order: the key is held for the request as sent, not for the charges computed from the lines', async () => {
  const order = await submittedOrder(stack, token);
  // the charge depends on the line's status: take it once the order system has registered the line
  await eventually(async () => ((await lineOf(stack, token, order.number)).body.status === 'Registered' ? true : undefined), 30_000, 'registered');
  const charge = await ok(stack.api('GET', `/v1/orders/${order.number}/cancellation`, { token }));
  const key = `cancel-${order.number}`;
  const body = { acceptedFeeOre: charge.totalOre, reason: 'Sluttkunden angret' };
  const first = await ok(stack.api('POST', `/v1/orders/${order.number}/cancel`, { token, json: body, headers: { 'Idempotency-Key': key } }));
  expect(first.lines.every((l: { status: string }) => l.status === 'Cancelled')).toBe(true);
  await stack.sql`UPDATE idempotency_keys SET status_code = NULL, response = NULL WHERE key = ${`${key} @${order.caseId}`}`;
  // every line is Cancelled now: a precheck would refuse (no line can be cancelled), the charges would differ
  const resent = await stack.api('POST', `/v1/orders/${order.number}/cancel`, { token, json: body, headers: { 'Idempotency-Key': key } });
  expect(resent.status, JSON.stringify(resent.body)).toBe(200);
  expect(resent.body.lines.every((l: { status: string }) => l.status === 'Cancelled')).toBe(true);
  const again = await stack.api('POST', `/v1/orders/${order.number}/cancel`, { token, json: body, headers: { 'Idempotency-Key': key } });
  expect(again.status).toBe(200);
  expect(again.headers.get('idempotency-replayed')).toBe('true');
  // the same key for another request is still refused
  const changed = await stack.api('POST', `/v1/orders/${order.number}/cancel`, { token, json: { ...body, reason: 'Noe annet' }, headers: { 'Idempotency-Key': key } });
  expect(changed.status).toBe(422);
});
