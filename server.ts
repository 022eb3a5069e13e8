// The HTTP API alone: `tsx server.ts` with DATABASE_URL and TEMPORAL_ADDRESS (a cluster runs any
// number of these beside any number of `worker.ts`; `npm start` runs everything in one process).
// It is stateless: sessions, idempotency keys and owed workflow starts live in PostgreSQL.
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Connection } from '@temporalio/client';
import { createSimulators } from './adapters';
import { createApp } from './api/app';
import { startSweeper } from './api/kit/workflow-starts';
import { createTemporalClient } from './api/temporal-client';
import { loadConfig } from './config';
import { connect } from './db/client';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    console.error('server.ts alone needs DATABASE_URL and TEMPORAL_ADDRESS; `npm start` runs everything with embedded defaults');
    process.exit(2);
  }
  const sql = connect(config.DATABASE_URL, {
    role: 'api',
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = createTemporalClient(connection, config.namespace);
  const app = createApp({
    sql,
    temporal: client,
    adapters: createSimulators(),
    config: { ...config, webhookPolicy: { allowHttp: config.WEBHOOKS_ALLOW_HTTP }, ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}) },
  });
  const sweeper = startSweeper(sql, client);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    console.log(`api: listening on http://${config.HOST}:${info.port}`);
  });
  const stop = async () => {
    await new Promise((resolve) => server.close(() => resolve(undefined)));
    await sweeper.stop();
    await connection.close();
    await sql.end({ timeout: 5 });
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
