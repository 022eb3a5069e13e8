// The Temporal dev server and PostgreSQL restarted under the running system: open cases and their
// timers continue; activities retry and the read model catches up; the API answers 503, never 500.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../db/client';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { seed } from '../../db/seed';
import { type DevServer, freePort, startTemporalDevServer } from '../../scripts/temporal';
import { TEST_PASSWORD } from '../support/env';
import { recordFigure } from '../support/figures';
import { createSr, srAction, type Tokens } from '../support/service-requests';
import { eventually, startStack } from '../support/stack';

const dirs: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'samband-'));
  dirs.push(d);
  return d;
};
const summary = { temporalRestarts: 0, postgresRestarts: 0 };

describe('Temporal dev server restart (file persistence)', () => {
  it('open cases and their timers continue after the server is stopped and started again', async () => {
    const dbFile = join(tempDir(), 'temporal.sqlite');
    const port = await freePort();
    let server: DevServer = await startTemporalDevServer({ persist: true, dbFile, port, headless: true, log: () => {} });
    cleanups.push(() => server.stop());
    const stack = await startStack({ temporalAddress: server.address, timings: { serviceRequestAutoClose: { ms: 8000 } } });
    cleanups.push(() => stack.stop());
    const tokens: Tokens = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
    const waiting = await createSr(stack, tokens.customer); // New: its 8 s auto-close timer runs (S-9)
    const open = await createSr(stack, tokens.customer);
    await srAction(stack, tokens, open.number, 'submit');

    await server.stop();
    const health = await stack.api('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', temporal: { ok: false }, postgres: { ok: true } });
    server = await startTemporalDevServer({ persist: true, dbFile, port, headless: true, log: () => {} });
    summary.temporalRestarts++;
    recordFigure('temporal restarts survived', 1);

    await eventually(async () => (await stack.api('GET', '/health')).status === 200, 30_000, 'Temporal back');
    const taken = await eventually(
      async () => {
        const res = await srAction(stack, tokens, open.number, 'take');
        return res.status === 200 ? res : undefined;
      },
      60_000,
      'an Update after the restart',
    );
    expect(taken.body.status).toBe('In Process');
    await eventually(async () => (await stack.api('GET', `/v1/service-requests/${waiting.number}`, { token: tokens.customer })).body.status === 'Closed', 60_000, 'the timer after the restart');
  }, 240_000);
});

describe('PostgreSQL restarted under load', () => {
  it('while it is down the API answers 503; afterwards activities have retried and the read model has caught up', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    // the embedded server of `npm start` (a real PostgreSQL, file-backed), stopped under load
    let pg: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, port });
    cleanups.push(() => pg.stop());
    const setup = connect(pg.url, { role: 'maintenance' });
    await migrate(setup);
    await seed(setup, TEST_PASSWORD);
    await setup.end();
    const stack = await startStack({ database: { url: pg.url }, timings: { serviceRequestAutoClose: { ms: 1500 } } });
    cleanups.push(() => stack.stop());
    const tokens: Tokens = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
    const srs = await Promise.all([1, 2, 3].map(() => createSr(stack, tokens.customer))); // each auto-closes in 1.5 s (S-9)

    await pg.stop(); // the auto-close projections now fail and are retried by Temporal
    for (const path of ['/v1/service-requests', `/v1/service-requests/${srs[0]!.number}`]) {
      const res = await stack.api('GET', path, { token: tokens.customer });
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    const action = await stack.api('POST', `/v1/service-requests/${srs[0]!.number}/submit`, { token: tokens.customer });
    expect(action.status).toBe(503);
    await new Promise((r) => setTimeout(r, 3000));
    pg = await startEmbeddedPostgres({ dataDir, port });
    summary.postgresRestarts++;
    recordFigure('postgres restarts survived', 1);

    for (const sr of srs) {
      await eventually(
        async () => {
          const res = await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: tokens.customer });
          return res.status === 200 && res.body.status === 'Closed';
        },
        60_000,
        `read model of ${sr.number} catching up`,
      );
    }
    console.log(`restarts survived: temporal ${summary.temporalRestarts}, postgres ${summary.postgresRestarts}`);
  }, 180_000);
});
