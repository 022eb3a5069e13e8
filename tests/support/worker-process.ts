// The product's worker (worker.ts) or API (server.ts) as a child process that a resilience test can
// SIGKILL and restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { inject } from 'vitest';
import { freePort, PROJECT_ROOT } from '../../scripts/temporal';
import type { Stack } from './stack';

export interface ChildService {
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  kills: number;
}
export interface ApiProcess extends ChildService {
  url: string;
}

/** A tsx entry point as a child process, ready once its output contains `ready` (also used for the cluster run: tests/support/cluster.ts). */
export function childService(script: string, ready: string, env: () => Promise<NodeJS.ProcessEnv>): ChildService {
  let child: ChildProcess | undefined;
  const state = {
    kills: 0,
    async start() {
      const proc = spawn(process.execPath, ['--import', 'tsx', script], { cwd: PROJECT_ROOT, env: { ...process.env, ...(await env()) }, stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 60_000);
        proc.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes(ready)) {
            clearTimeout(timer);
            resolve();
          }
        });
        proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
        proc.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`${script} exited (${code}):\n${output}`));
        });
      });
    },
    async kill() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return; // already exited (by a signal too)
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      state.kills++;
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return; // already exited (by a signal too)
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      // a worker draining activities that retry against a stopped service would hold the file's teardown
      const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return state;
}

const stackEnv = (stack: Stack, temporalAddress: string): NodeJS.ProcessEnv => ({
  DATABASE_URL: stack.databaseUrl,
  TEMPORAL_ADDRESS: temporalAddress,
  TEMPORAL_NAMESPACE: stack.config.namespace,
  TEMPORAL_TASK_QUEUE: stack.config.taskQueue,
});

/** `env`: more settings, e.g. SIMULATOR_URL so that every process calls one simulator service (its state outlives a kill). */
export function workerProcess(stack: Stack, temporalAddress = inject('temporalAddress'), env: NodeJS.ProcessEnv = {}): ChildService {
  return childService('worker.ts', 'worker: polling', async () => ({ ...stackEnv(stack, temporalAddress), WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'), ...env }));
}

/** The API alone on a port of its own (the same port across restarts, so clients keep their URL). */
export async function apiProcess(stack: Stack, temporalAddress = inject('temporalAddress'), env: NodeJS.ProcessEnv = {}): Promise<ApiProcess> {
  const port = await freePort();
  const service = childService('server.ts', 'api: listening', async () => ({ ...stackEnv(stack, temporalAddress), HOST: '127.0.0.1', PORT: String(port), ...env }));
  return Object.assign(service, { url: `http://127.0.0.1:${port}` });
}
