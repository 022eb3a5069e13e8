// The product's worker as a child process that a resilience test can SIGKILL and restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { inject } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/temporal';
import type { Stack } from './stack';

export interface WorkerProcess { kill(): Promise<void>; start(): Promise<void>; stop(): Promise<void>; kills: number }

export function workerProcess(stack: Stack, temporalAddress = inject('temporalAddress')): WorkerProcess {
  let child: ChildProcess | undefined;
  const state = {
    kills: 0,
    async start() {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env, DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: temporalAddress,
          TEMPORAL_NAMESPACE: stack.config.namespace, TEMPORAL_TASK_QUEUE: stack.config.taskQueue, WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('worker: polling')) {
            clearTimeout(timer);
            resolve();
          }
        };
        proc.stdout?.on('data', onData);
        proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
        proc.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`worker exited (${code}):\n${output}`));
        });
      });
    },
    async kill() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      state.kills++;
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
  return state;
}
