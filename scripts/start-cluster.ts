// `npm run start:cluster`: Samband as a wholesaler runs it — the real Temporal Server on PostgreSQL
// (each service a process, the standalone Web UI), and the product as stateless processes: API_PROCESSES
// APIs (default 2) and WORKER_PROCESSES workers (default 2), one e-mail/webhook dispatcher. PostgreSQL:
// DATABASE_URL, else an embedded server of its own (.data/cluster/postgres, port 5498) that hosts the
// product's and Temporal's databases side by side. A process that dies is started again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../db/embedded';
import { prepareDatabase } from '../db/setup';
import { type DevInbox, startDevInbox } from '../notifications/dev-inbox';
import { bundleWorkflows } from '../worker';
import { type ClusterProcess, prepareTemporalDatabases, resolveClusterBinaries, startTemporalCluster, supervised, type TemporalCluster, temporalDatabaseOf } from './cluster';
import { PROJECT_ROOT } from './temporal';

const config = loadConfig();
const apiCount = Number(process.env.API_PROCESSES ?? 2);
const workerCount = Number(process.env.WORKER_PROCESSES ?? 2);
const stops: (() => Promise<unknown>)[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping…');
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('while stopping:', err));
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

/** A product process (tsx entry) kept running: started again a second after it dies. */
function productProcess(name: string, script: string, env: NodeJS.ProcessEnv): ClusterProcess {
  const handle = supervised(name, process.execPath, ['--import', 'tsx', script], env, (message) => {
    console.log(message);
    if (!stopping) setTimeout(() => void (stopping ? undefined : handle.restart()), 1000);
  });
  stops.push(() => handle.stop());
  return handle;
}

try {
  let databaseUrl = config.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(PROJECT_ROOT, '.data', 'cluster', 'postgres'), port: Number(process.env.CLUSTER_PG_PORT ?? 5498) });
    stops.push(() => embedded!.stop());
    databaseUrl = embedded.url;
    console.log(`PostgreSQL: embedded server on ${embedded.displayUrl} (.data/cluster/postgres)`);
  }
  const bin = await resolveClusterBinaries();
  const temporalDb = temporalDatabaseOf(databaseUrl);
  await prepareTemporalDatabases(bin, temporalDb);
  const cluster: TemporalCluster = await startTemporalCluster(bin, temporalDb);
  stops.push(() => cluster.stop());
  console.log(`Temporal: server ${cluster.address} (history, matching, frontend, worker services), Web UI ${cluster.uiUrl}`);

  await prepareDatabase(databaseUrl, { seedDemoData: config.seedDemoData, seedDemoDataSet: config.SEED_DEMO_DATA, seedPassword: config.SEED_PASSWORD, embedded: !!embedded });
  let inbox: DevInbox | undefined;
  if (!config.SMTP_URL) {
    inbox = await startDevInbox({ smtpPort: config.DEV_INBOX_SMTP_PORT, httpPort: config.DEV_INBOX_HTTP_PORT });
    stops.push(() => inbox!.stop());
  }
  // one bundle for every worker (bundling takes seconds of CPU each)
  const bundlePath = join(PROJECT_ROOT, '.data', 'cluster', 'workflow-bundle.js');
  writeFileSync(bundlePath, (await bundleWorkflows()).code);
  const shared: NodeJS.ProcessEnv = { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: cluster.address, TEMPORAL_NAMESPACE: cluster.namespace, WORKFLOW_BUNDLE_PATH: bundlePath };
  for (let i = 1; i <= workerCount; i++) productProcess(`worker ${i}`, 'worker.ts', shared);
  productProcess('dispatcher', 'notifications/dispatcher.ts', shared);
  const apis: string[] = [];
  for (let i = 0; i < apiCount; i++) {
    const port = config.PORT + i;
    productProcess(`api ${i + 1}`, 'server.ts', { ...shared, PORT: String(port), PUBLIC_BASE_URL: config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}` });
    apis.push(`http://${config.HOST}:${port}`);
  }
  console.log(`
Samband (cluster profile) is running (Ctrl-C stops everything)
  APIs           ${apis.join('  ')}   (any of them; put a load balancer in front)
  Workers        ${workerCount} (WORKER_PROCESSES), APIs ${apiCount} (API_PROCESSES), 1 dispatcher
  Temporal       ${cluster.address}, namespace ${cluster.namespace}, Web UI ${cluster.uiUrl}
  Dev inbox      ${inbox?.url ?? `(SMTP_URL: e-mail goes to ${config.SMTP_URL})`}`);
} catch (err) {
  console.error('start:cluster failed:', err);
  await shutdown(1);
}
