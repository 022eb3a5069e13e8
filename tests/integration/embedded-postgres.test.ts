// The default path of `npm start` stays alive: embedded PGlite behind its socket, with the same
// migrations, seed, `postgres` client, worker and API as the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../db/client';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { seed } from '../../db/seed';
import { freePort } from '../../scripts/temporal';
import { TEST_PASSWORD } from '../support/env';
import { type Stack, startStack } from '../support/stack';

let pg: EmbeddedPostgres;
let stack: Stack;
beforeAll(async () => {
  pg = await startEmbeddedPostgres({ port: await freePort() }); // in memory
  const setup = connect(pg.url, { max: 1 });
  expect(await migrate(setup)).toContain('001_backbone.sql');
  expect(await migrate(setup)).toEqual([]); // forward-only: nothing twice
  await seed(setup, TEST_PASSWORD);
  await seed(setup, TEST_PASSWORD); // idempotent
  await setup.end();
  stack = await startStack({ database: { url: pg.url, max: 1 } });
});
afterAll(async () => {
  await stack?.stop();
  await pg?.stop();
});

describe('embedded PostgreSQL (PGlite)', () => {
  it('a service request lives end to end on the embedded database', async () => {
    const token = await stack.login('ola.nordnett');
    const created = await stack.api('POST', '/v1/service-requests', {
      token,
      json: { area: 'Delivery', subArea: 'Broadband', reference: { kind: 'phone_number', value: '22604411' }, description: 'The end user is not ready before March' },
      headers: { 'Idempotency-Key': 'pglite-1' },
    });
    expect(created.status).toBe(201);
    const submitted = await stack.api('POST', `/v1/service-requests/${created.body.number}/submit`, { token });
    expect(submitted.body.status).toBe('Submitted');
    const list = await stack.api('GET', '/v1/service-requests?status=Submitted', { token });
    expect(list.body.items.map((i: { number: string }) => i.number)).toEqual([created.body.number]);
    const health = await stack.api('GET', '/health');
    expect(health.body.postgres.ok).toBe(true);
  });
});
