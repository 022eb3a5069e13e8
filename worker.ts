// The Temporal worker: every workflow and activity of the product on one task queue.
// `tsx worker.ts` runs it alone (with TEMPORAL_ADDRESS and DATABASE_URL); `npm start` runs it in-process.
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/** Bundling takes seconds: do it once per process (or test run) and reuse the bundle. */
export async function bundleWorkflows(): Promise<WorkflowBundle> {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
}

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  workflowBundle: WorkflowBundle | { codePath: string };
  deps: ActivityDeps;
}

export function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: createActivities(options.deps),
  });
}

const quietLogger = {
  log: () => {}, trace: () => {}, debug: () => {}, info: () => {},
  warn: (message: string) => console.warn(message), error: (message: string) => console.error(message),
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { loadConfig } = await import('./config');
  const { connect } = await import('./db/client');
  const { createSimulators } = await import('./adapters');
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    console.error('worker.ts alone needs DATABASE_URL and TEMPORAL_ADDRESS; `npm start` runs everything with embedded defaults');
    process.exit(2);
  }
  const sql = connect(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  // WORKFLOW_BUNDLE_PATH: a bundle built earlier (the resilience tests restart workers often)
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  const worker = await createWorker({
    connection, namespace: config.namespace, taskQueue: config.taskQueue,
    workflowBundle: bundlePath ? { codePath: bundlePath } : await bundleWorkflows(), deps: { sql, adapters: createSimulators() },
  });
  console.log(`worker: polling task queue ${config.taskQueue} in namespace ${config.namespace}`);
  await worker.run();
  await sql.end();
  await connection.close();
}
