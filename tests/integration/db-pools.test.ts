// One pool per role (db/client.ts): each session carries its application_name and the server-side
// limits, so a runaway query is cancelled and a transaction left idle is ended with its locks.
import { afterAll, describe, expect, it } from 'vitest';
import { connect, POOL_TIMEOUTS, type PoolRole, type Sql } from '../../db/client';
import { loadConfig } from '../../config';
import { ADMIN_DATABASE_URL } from '../support/env';

const pools: Sql[] = [];
const pool = (...args: Parameters<typeof connect>) => {
  const sql = connect(...args);
  pools.push(sql);
  return sql;
};
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
});

describe('connection pools per role', () => {
  it("every role's session has its application_name, statement_timeout and idle_in_transaction_session_timeout", async () => {
    const expected: Record<PoolRole, [string, string, string]> = {
      api: ['samband-api', '15s', '30s'],
      worker: ['samband-worker', '15s', '30s'],
      dispatcher: ['samband-dispatcher', '15s', '30s'],
      maintenance: ['samband-maintenance', '0', '30s'], // migrations may run long
    };
    for (const [role, [app, statement, idle]] of Object.entries(expected)) {
      const sql = pool(ADMIN_DATABASE_URL, { role: role as PoolRole, max: 1 });
      const [row] = await sql<{ app: string; statement: string; idle: string }[]>`
        SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS statement,
               current_setting('idle_in_transaction_session_timeout') AS idle`;
      expect(row, role).toEqual({ app, statement, idle });
    }
    expect(POOL_TIMEOUTS).toEqual({ statementTimeoutMs: 15_000, idleInTransactionTimeoutMs: 30_000 });
  });

  it('the limits come from the environment through config (PG_STATEMENT_TIMEOUT_MS, PG_IDLE_IN_TRANSACTION_TIMEOUT_MS)', async () => {
    const config = loadConfig({ PG_STATEMENT_TIMEOUT_MS: '2500', PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: '4000' });
    const sql = pool(ADMIN_DATABASE_URL, { role: 'worker', max: 1, statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS });
    const [row] = await sql<{ statement: string; idle: string }[]>`SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle`;
    expect(row).toEqual({ statement: '2500ms', idle: '4s' });
    expect(loadConfig({}).PG_STATEMENT_TIMEOUT_MS).toBe(15_000);
  });

  it('a query running past statement_timeout is cancelled; the pool goes on', async () => {
    const sql = pool(ADMIN_DATABASE_URL, { role: 'api', max: 1, statementTimeoutMs: 300 });
    const started = Date.now();
    await expect(sql`SELECT pg_sleep(5)`).rejects.toMatchObject({ code: '57014' }); // query_canceled
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it('a session idle in a transaction past the limit is ended and its locks released; the pool goes on', async () => {
    const sql = pool(ADMIN_DATABASE_URL, { role: 'dispatcher', max: 1, idleInTransactionTimeoutMs: 500 });
    const observer = pool(ADMIN_DATABASE_URL, { max: 1 });
    let pid = 0;
    const held = sql.begin(async (tx) => {
      pid = (await tx<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid;
      await tx`SELECT pg_advisory_xact_lock(424242)`;
      await new Promise((r) => setTimeout(r, 2000)); // the caller forgot about its transaction
      await tx`SELECT 1`;
    });
    const started = Date.now();
    // the server ends the session (FATAL 25P03) and closes it: the client sees the connection go
    await expect(held).rejects.toMatchObject({ code: expect.stringMatching(/^(25P03|CONNECTION_CLOSED)$/) });
    expect(Date.now() - started).toBeLessThan(1800); // ended while the caller still slept
    const [gone] = await observer<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ${pid}`;
    expect(gone!.n).toBe(0);
    const [lock] = await observer<{ ok: boolean }[]>`SELECT pg_try_advisory_lock(424242) AS ok`;
    expect(lock!.ok).toBe(true);
    await observer`SELECT pg_advisory_unlock(424242)`;
    expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });
});
