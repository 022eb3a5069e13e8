// `npm start`: the whole system on one machine — Temporal dev server (or TEMPORAL_ADDRESS),
// PostgreSQL (DATABASE_URL or an embedded server), migrations, demo data (embedded only, or
// SEED_DEMO_DATA), worker, dispatcher and API, each with its own connection pool.
import '@hono/zod-openapi'; // first: zod gains .openapi() before any domain schema is built
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Connection } from '@temporalio/client';
import { createTemporalClient } from '../api/temporal-client';
import { NativeConnection } from '@temporalio/worker';
import { remoteAdapters } from '../adapters/remote';
import { startSimulatorService } from '../simulator/service';
import { createApp } from '../api/app';
import { startSweeper } from '../api/kit/workflow-starts';
import { ensureInvoiceSchedule } from '../api/invoice-schedule';
import { loadConfig } from '../config';
import { connect } from '../db/client';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../db/embedded';
import { prepareDatabase } from '../db/setup';
import { startDispatcher } from '../notifications/dispatcher';
import { type DevInbox, startDevInbox } from '../notifications/dev-inbox';
import { createTransport } from 'nodemailer';
import { bundleWorkflows, createWorker } from '../worker';
import { type DevServer, PROJECT_ROOT, startTemporalDevServer } from './temporal';
import { buildWeb } from './web-build';

const config = loadConfig();
const stops: (() => Promise<unknown>)[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping…');
    for (const stop of stops.reverse()) {
      await stop().catch((err) => console.error('while stopping:', err));
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  let temporal: DevServer | undefined;
  if (config.TEMPORAL_ADDRESS) {
    console.log(`Temporal: using ${config.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS)`);
  } else {
    temporal = await startTemporalDevServer({ persist: true });
    stops.push(() => temporal!.stop());
    console.log(`Temporal: dev server on ${temporal.address}, state in .data/temporal`);
  }
  const temporalAddress = config.TEMPORAL_ADDRESS ?? temporal!.address;

  let databaseUrl = config.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(PROJECT_ROOT, '.data', 'postgres'), port: config.EMBEDDED_PG_PORT });
    stops.push(() => embedded!.stop());
    databaseUrl = embedded.url;
    const { initdbMs, startMs } = embedded.timings;
    console.log(
      `PostgreSQL: embedded server on ${embedded.displayUrl}, data in .data/postgres (${embedded.initialised ? `created in ${initdbMs} ms, ` : ''}started in ${startMs} ms; set DATABASE_URL to use your own)`,
    );
  } else {
    console.log('PostgreSQL: DATABASE_URL');
  }
  await prepareDatabase(databaseUrl, {
    seedDemoData: config.seedDemoData,
    seedDemoDataSet: config.SEED_DEMO_DATA,
    seedPassword: config.SEED_PASSWORD,
    embedded: !!embedded,
  });
  // one pool per role, each with its session limits (db/client.ts)
  const limits = { statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS };
  const apiSql = connect(databaseUrl, { role: 'api', ...limits });
  const workerSql = connect(databaseUrl, { role: 'worker', ...limits });
  const dispatcherSql = connect(databaseUrl, { role: 'dispatcher', ...limits });
  stops.push(() => Promise.all([apiSql, workerSql, dispatcherSql].map((pool) => pool.end({ timeout: 5 }))));

  let inbox: DevInbox | undefined;
  if (!config.SMTP_URL) {
    inbox = await startDevInbox({ smtpPort: config.DEV_INBOX_SMTP_PORT, httpPort: config.DEV_INBOX_HTTP_PORT });
    stops.push(() => inbox!.stop());
  }
  const mailer = createTransport(config.SMTP_URL ?? `smtp://127.0.0.1:${config.DEV_INBOX_SMTP_PORT}`);
  const webhookPolicy = { allowHttp: config.WEBHOOKS_ALLOW_HTTP };
  const dispatcher = startDispatcher({ sql: dispatcherSql, mailer, from: config.MAIL_FROM, webhookPolicy });
  stops.push(() => dispatcher.stop());
  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`;

  // the operator systems' simulators as the one service every process calls (state in PostgreSQL), unless
  // SIMULATOR_URL names another (a shared simulator service, or a gateway to the real systems)
  let simulatorUrl = process.env.SIMULATOR_URL;
  if (!simulatorUrl) {
    const simulators = await startSimulatorService({ databaseUrl, port: Number(process.env.SIMULATOR_PORT ?? 3090) });
    stops.push(() => simulators.stop());
    simulatorUrl = simulators.url;
  }
  const adapters = remoteAdapters(simulatorUrl);
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await createWorker({
    connection: nativeConnection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowBundle: await bundleWorkflows(),
    deps: { sql: workerSql, adapters, publicBaseUrl, ...(config.FRONTEND_CASE_URL_TEMPLATE ? { caseUrlTemplate: config.FRONTEND_CASE_URL_TEMPLATE } : {}) },
    maxCachedWorkflows: config.WORKER_CACHED_WORKFLOWS,
  });
  const workerDone = worker.run();
  stops.push(async () => {
    // the worker also reacts to SIGINT itself; shut it down only if it has not begun to
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone;
    await nativeConnection.close();
  });

  const connection = await Connection.connect({ address: temporalAddress });
  stops.push(() => connection.close());
  const client = createTemporalClient(connection, config.namespace);
  const app = createApp({ sql: apiSql, temporal: client, adapters, config: { ...config, webhookPolicy, publicBaseUrl } });
  const sweeper = startSweeper(apiSql, client); // starts a crash left between a case's commit and its workflow start
  console.log(`invoice schedule (M-3.1, 1st of the month 06:00 Oslo): ${await ensureInvoiceSchedule(client, config.taskQueue)}`);
  stops.push(() => sweeper.stop());
  const web = await buildWeb(); // the browser app (web/) at /app/, bundled from its source at every start
  console.log(`Browser app: bundled in ${web.ms} ms`);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
  stops.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));

  const api = `http://${config.HOST}:${config.PORT}`;
  console.log(`
Samband is running (Ctrl-C stops everything)
  Browser app    ${api}/app/   (${api}/ redirects there)
  API            ${api}/v1
  API docs       ${api}/docs   (OpenAPI: ${api}/openapi.json)
  Health         ${api}/health
  Simulators     ${simulatorUrl}   (operator systems; faults: PUT /admin/faults/<system>)
  Dev inbox      ${inbox?.url ?? `(SMTP_URL: e-mail goes to ${config.SMTP_URL})`}
  Temporal UI    ${temporal?.uiUrl ?? '(external server: see its own Web UI)'}  namespace ${config.namespace}
  ${config.seedDemoData ? 'Seed users     e.g. ola.nordnett (ordering), hanne.handler (handler); password from SEED_PASSWORD' : 'Seed users     none (SEED_DEMO_DATA off)'}`);
  await workerDone;
} catch (err) {
  console.error('start failed:', err);
  await shutdown(1);
}
