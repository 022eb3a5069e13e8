// The typed client (client/, generated from /openapi.json) as an ordering frontend uses it: typed paths
// and bodies through the real API, and every problem+json refusal as a SambandProblem with field paths.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSambandClient, SambandProblem } from '../../client';
import { uniqueReference } from '../support/service-requests';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

const clientFor = (token?: string) => createSambandClient({ baseUrl: 'http://samband.test', token, fetch: stack.fetch });

it('logs in, creates a service request and reads it back with typed paths and answers', async () => {
  const login = await clientFor()
    .POST('/v1/auth/login', { body: { username: 'ola.nordnett', password: 'not-the-password' } })
    .catch((e: unknown) => e);
  // a wrong password: a typed refusal, not a crash
  expect(login).toBeInstanceOf(SambandProblem);
  expect((login as SambandProblem).status).toBe(401);

  const client = clientFor(await stack.login('ola.nordnett'));
  const created = await client.POST('/v1/service-requests', { body: { area: 'Other', subArea: 'Other', reference: uniqueReference(), description: 'The end user is not ready before March' } });
  expect(created.response.status).toBe(201);
  const number = created.data!.number;
  const read = await client.GET('/v1/service-requests/{number}', { params: { path: { number } } });
  expect(read.data).toMatchObject({ number, status: 'New', area: 'Other' });
});

it('surfaces a refusal as a SambandProblem naming each failing field, and another company’s case as not found', async () => {
  const client = clientFor(await stack.login('ola.nordnett'));
  const invalid = await client.POST('/v1/service-requests', { body: { area: 'Other', subArea: 'Other', reference: { kind: 'other', value: '' }, description: '' } }).catch((e: unknown) => e);
  expect(invalid).toBeInstanceOf(SambandProblem);
  const problem = invalid as SambandProblem;
  expect(problem.status).toBe(400);
  expect(problem.code).toBe('validation_failed');
  expect(problem.messagesFor('body.description').length).toBeGreaterThan(0);
  expect(problem.messagesFor('body.reference.value').length).toBeGreaterThan(0);

  const other = clientFor(await stack.login('nils.fjordtel'));
  const theirs = await other.POST('/v1/service-requests', { body: { area: 'Other', subArea: 'Other', reference: uniqueReference(), description: 'Fjordtel’s own matter' } });
  const foreign = await client.GET('/v1/service-requests/{number}', { params: { path: { number: theirs.data!.number } } }).catch((e: unknown) => e);
  expect(foreign).toBeInstanceOf(SambandProblem);
  expect((foreign as SambandProblem).status).toBe(404);
});
