// The Temporal worker: every workflow and activity of the product on one task queue.
// `tsx worker.ts` runs it alone (with TEMPORAL_ADDRESS and DATABASE_URL); `npm start` runs it in-process.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));
const DOMAIN_DIR = fileURLToPath(new URL('./domain', import.meta.url));

/**
 * Modules evaluated once per worker thread and shared by every workflow in it, instead of once per
 * workflow (the reusable V8 context re-runs every other module for each new or replayed workflow:
 * zod alone was a fifth of the worker's CPU per order, issue 16; stack notes: sdk-typescript#2227).
 * Only stateless code may be listed: zod, and domain/ (pure rules and constants: no Temporal, no I/O,
 * no module state — eslint.config.js holds it to that), nothing that keeps per-workflow state.
 */
export const PRELOADED_MODULES = [
  'zod',
  ...readdirSync(DOMAIN_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(DOMAIN_DIR, f)),
];

/** Bundling takes seconds: do it once per process (or test run) and reuse the bundle. */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger, preloadModules: PRELOADED_MODULES });
}

/**
 * Cases live for days or weeks with an action now and then, so keeping every open case in the
 * worker's cache (the SDK's default sizes it by heap: thousands, ~0.5–1 MB each) buys little:
 * a case not in the cache is replayed from its history (tens of events) when it is next touched.
 * The cache keeps the recently active ones and bounds the worker's memory (benchmark: RSS per open case).
 */
export const DEFAULT_CACHED_WORKFLOWS = 500;

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  workflowBundle: WorkflowBundle | { codePath: string };
  deps: ActivityDeps;
  /** Workflows kept in the worker's cache (default DEFAULT_CACHED_WORKFLOWS) */
  maxCachedWorkflows?: number;
}

export function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_CACHED_WORKFLOWS,
    activities: createActivities(options.deps),
  });
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { loadConfig } = await import('./config');
  const { connect } = await import('./db/client');
  const { createAdapters } = await import('./adapters');
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    console.error('worker.ts alone needs DATABASE_URL and TEMPORAL_ADDRESS; `npm start` runs everything with embedded defaults');
    process.exit(2);
  }
  // the activities' own pool, with the session limits of config (PG_STATEMENT_TIMEOUT_MS, …)
  const sql = connect(config.DATABASE_URL, {
    role: 'worker',
    statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // WORKFLOW_BUNDLE_PATH: a bundle built earlier (the resilience tests restart workers often)
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  const worker = await createWorker({
    connection,
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    workflowBundle: bundlePath ? { codePath: bundlePath } : await bundleWorkflows(),
    deps: {
      sql,
      adapters: createAdapters(),
      ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}),
      ...(config.FRONTEND_CASE_URL_TEMPLATE ? { caseUrlTemplate: config.FRONTEND_CASE_URL_TEMPLATE } : {}),
    },
    maxCachedWorkflows: config.WORKER_CACHED_WORKFLOWS,
  });
  console.log(`worker: polling task queue ${config.taskQueue} in namespace ${config.namespace}`);
  await worker.run();
  await sql.end();
  await connection.close();
}
