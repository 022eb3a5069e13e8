// One test file's system: its own database (copied from the run's template), its own task
// queue on the run's Temporal dev server, the product's worker and API — no mocks.
import { randomBytes, randomInt } from 'node:crypto';
import { type Client, Connection } from '@temporalio/client';
import { createTemporalClient } from '../../api/temporal-client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
// the API first: it extends zod with .openapi() before any domain schema is made (adapters load domain modules)
import { createApp } from '../../api/app';
import { type Adapters, createSimulators, type Simulators } from '../../adapters';
import type { AppConfig } from '../../api/context';
import { connect, type Sql } from '../../db/client';
import { RULE_DURATIONS, SESSION_IDLE_TIMEOUT_MS } from '../../domain/durations';
import { loadDevConfig } from '../../scripts/temporal';
import { createWorker } from '../../worker';
import { type DispatcherOptions, startDispatcher } from '../../notifications/dispatcher';
import type { WebhookPolicy } from '../../notifications/address-policy';
import { createTransport } from 'nodemailer';
import { ADMIN_DATABASE_URL, databaseUrl, TEST_PASSWORD, TEST_PASSWORD_HASHING } from './env';
import { replayTaskQueue } from './replay';
import { startSweeper } from '../../api/kit/workflow-starts';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Stack {
  sql: Sql;
  databaseUrl: string;
  client: Client;
  sims: Simulators;
  config: AppConfig;
  databaseName: string;
  api<T = any>(method: string, path: string, options?: { token?: string; json?: unknown; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  login(username: string): Promise<string>;
  /** The API as a fetch function (no socket): for clients that take one, such as the typed client (client/). */
  fetch: typeof globalThis.fetch;
  stop(): Promise<void>;
}

export interface StackOptions {
  timings?: Partial<AppConfig['timings']>;
  /** A database that is already migrated and seeded (e.g. the embedded server) instead of a copy of the template. */
  database?: { url: string; max?: number };
  /** Run no worker in this process (a test runs `worker.ts` as a child process it can kill). */
  inProcessWorker?: boolean;
  /** Another Temporal server than the run's shared one (e.g. one the test restarts). */
  temporalAddress?: string;
  /** Run the outbox dispatcher against this SMTP port (fast polling and back-off for tests). */
  dispatcher?: Omit<DispatcherOptions, 'sql' | 'mailer'> & { smtpPort: number };
  /** Webhook URLs the API and the dispatcher accept (a test allows its own loopback receivers). */
  webhookPolicy?: WebhookPolicy;
  /** Replay every workflow of this stack when it stops (determinism check; default on). */
  replay?: boolean;
  /** How long a request may wait on Temporal (default the product's). */
  requestDeadlineMs?: number;
  /** The history length at which an order workflow continues as new (tests force it low). */
  orderHistoryLimit?: number;
  /** The history length at which a quote workflow continues as new (tests force it low). */
  quoteHistoryLimit?: number;
  /** The operator systems the worker and the API call (default: the stack's own in-process simulators, `sims`). */
  adapters?: Adapters;
  /** Links in e-mails: the frontend's case URL template (FRONTEND_CASE_URL_TEMPLATE, issue 15). */
  caseUrlTemplate?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const databaseName = options.database ? 'external' : `samband_t_${randomBytes(5).toString('hex')}`;
  if (!options.database) {
    const admin = connect(ADMIN_DATABASE_URL, { max: 1 });
    await admin.unsafe(`CREATE DATABASE ${databaseName} TEMPLATE ${inject('templateDatabase')}`);
    await admin.end();
  }
  const url = options.database?.url ?? databaseUrl(databaseName);
  // one pool per role as in `npm start` (db/client.ts: application_name and session limits), small
  const sql = connect(url, { role: 'api', max: options.database?.max ?? 5 });
  const workerSql = connect(url, { role: 'worker', max: 3 });
  const dispatcherSql = connect(url, { role: 'dispatcher', max: 2 });
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
    passwordHashing: TEST_PASSWORD_HASHING,
    ...(options.webhookPolicy ? { webhookPolicy: options.webhookPolicy } : {}),
    ...(options.requestDeadlineMs ? { requestDeadlineMs: options.requestDeadlineMs } : {}),
    ...(options.orderHistoryLimit ? { orderHistoryLimit: options.orderHistoryLimit } : {}),
    ...(options.quoteHistoryLimit ? { quoteHistoryLimit: options.quoteHistoryLimit } : {}),
  };
  const address = options.temporalAddress ?? inject('temporalAddress');
  let worker: Worker | undefined;
  let workerDone: Promise<void> = Promise.resolve();
  let nativeConnection: NativeConnection | undefined;
  if (options.inProcessWorker !== false) {
    nativeConnection = await NativeConnection.connect({ address });
    worker = await createWorker({
      connection: nativeConnection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      deps: { sql: workerSql, adapters: options.adapters ?? sims, ...(options.caseUrlTemplate ? { caseUrlTemplate: options.caseUrlTemplate } : {}) },
    });
    workerDone = worker.run();
  }
  const connection = await Connection.connect({ address });
  const client = createTemporalClient(connection, config.namespace);
  const app = createApp({ sql, temporal: client, adapters: options.adapters ?? sims, config });
  const sweeper = startSweeper(sql, client);
  const dispatcher = options.dispatcher
    ? startDispatcher({
        pollMs: 100,
        backoffMs: 200,
        maxBackoffMs: 1000,
        webhookPolicy: options.webhookPolicy,
        ...options.dispatcher,
        sql: dispatcherSql,
        mailer: createTransport({ host: '127.0.0.1', port: options.dispatcher.smtpPort, secure: false, ignoreTLS: true }),
      })
    : undefined;

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
    sql,
    client,
    sims,
    config,
    databaseName,
    api,
    databaseUrl: url,
    fetch: async (input, init) => app.request(input instanceof URL ? input.href : input, init),
    async login(username) {
      // every test of a file logs in from one address: a test that tries wrong passwords makes the next
      // logins wait (A-5's throttle, 429 with Retry-After), which is the throttle working, not a failure
      for (let attempt = 1; ; attempt++) {
        const res = await api('POST', '/v1/auth/login', { json: { username, password: TEST_PASSWORD } });
        if (res.status === 200) return res.body.token as string;
        if (res.status !== 429 || attempt >= 6) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
        await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
      }
    },
    async stop() {
      await dispatcher?.stop();
      await sweeper.stop();
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await workerDone;
      await nativeConnection?.close();
      const replay = options.replay === false ? undefined : await replayTaskQueue(client, config.taskQueue, inject('workflowBundlePath'));
      await connection.close();
      await Promise.all([sql, workerSql, dispatcherSql].map((pool) => pool.end({ timeout: 5 })));
      if (!options.database) {
        const drop = connect(ADMIN_DATABASE_URL, { max: 1 });
        await drop.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
        await drop.end();
      }
      if (replay && replay.failures.length > 0) {
        throw new Error(`${replay.failures.length} of ${replay.replayed} workflows do not replay (nondeterminism):\n${replay.failures.join('\n')}`);
      }
    },
  };
}

export { eventually } from './eventually';
