// One test file's system: its own database (copied from the run's template), its own task
// queue on the run's Temporal dev server, the product's worker and API — no mocks.
import { randomBytes, randomInt } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createSimulators, type Simulators } from '../../adapters';
import { createApp } from '../../api/app';
import type { AppConfig } from '../../api/context';
import { connect, type Sql } from '../../db/client';
import { RULE_DURATIONS, SESSION_IDLE_TIMEOUT_MS } from '../../domain/durations';
import { loadDevConfig } from '../../scripts/temporal';
import { createWorker } from '../../worker';
import { ADMIN_DATABASE_URL, databaseUrl, TEST_PASSWORD } from './env';

export interface ApiResponse<T = any> { status: number; body: T; headers: Headers }

export interface Stack {
  sql: Sql;
  client: Client;
  sims: Simulators;
  config: AppConfig;
  databaseName: string;
  api<T = any>(method: string, path: string, options?: { token?: string; json?: unknown; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  login(username: string): Promise<string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  timings?: Partial<AppConfig['timings']>;
  /** A database that is already migrated and seeded (e.g. embedded PGlite) instead of a copy of the template. */
  database?: { url: string; max: number };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const databaseName = options.database ? 'external' : `samband_t_${randomBytes(5).toString('hex')}`;
  if (!options.database) {
    const admin = connect(ADMIN_DATABASE_URL, { max: 1 });
    await admin.unsafe(`CREATE DATABASE ${databaseName} TEMPLATE ${inject('templateDatabase')}`);
    await admin.end();
  }
  const sql = connect(options.database?.url ?? databaseUrl(databaseName), { max: options.database?.max ?? 5 });
  // every test file shares one Temporal namespace: start every case-number sequence at a
  // random block so workflow IDs (service-request:SR-…, order:ORD-…) never collide between files
  const sequences = await sql<{ name: string }[]>`SELECT sequencename AS name FROM pg_sequences WHERE sequencename LIKE '%_number_seq'`;
  for (const { name } of sequences) await sql.unsafe(`ALTER SEQUENCE ${name} RESTART WITH ${randomInt(1_000_000, 900_000_000)}`);

  const sims = createSimulators({});
  const dev = loadDevConfig();
  const config: AppConfig = {
    namespace: dev.server.namespace,
    taskQueue: `test-${databaseName}`,
    sessionIdleMs: SESSION_IDLE_TIMEOUT_MS,
    timings: { ...RULE_DURATIONS, ...options.timings },
  };
  const address = inject('temporalAddress');
  const nativeConnection = await NativeConnection.connect({ address });
  const worker: Worker = await createWorker({
    connection: nativeConnection, namespace: config.namespace, taskQueue: config.taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') }, deps: { sql, adapters: sims },
  });
  const workerDone = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: config.namespace });
  const app = createApp({ sql, temporal: client, adapters: sims, config });

  const api: Stack['api'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    if (opts.json !== undefined) headers['Content-Type'] = 'application/json';
    const res = await app.request(path, { method, headers, ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : {}) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: body as never, headers: res.headers };
  };

  return {
    sql, client, sims, config, databaseName, api,
    async login(username) {
      const res = await api('POST', '/v1/auth/login', { json: { username, password: TEST_PASSWORD } });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    async stop() {
      worker.shutdown();
      await workerDone;
      await nativeConnection.close();
      await connection.close();
      await sql.end({ timeout: 5 });
      if (options.database) return;
      const drop = connect(ADMIN_DATABASE_URL, { max: 1 });
      await drop.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/** Polls until `check` returns a value (for timers and background projection). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
