// The two profiles the bench measures side by side (issue 16), each with the product as separate
// processes — the API (server.ts), the workers (worker.ts) and the operator systems' simulator service
// (simulator/service.ts) — so that the load generator (bench/load.ts) and the bench itself never share
// a process with what they measure:
//   dev      the Temporal CLI's dev server (SQLite, the pragmas of temporal-dev.yml), as `npm start`
//   cluster  the real Temporal Server 1.29.1 on PostgreSQL, each service a process (scripts/cluster.ts),
//            as `npm run start:cluster` (two API processes by default)
// Every profile gets a fresh product database (and, for the cluster, fresh Temporal databases).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Client, Connection } from '@temporalio/client';
import { createTemporalClient } from '../api/temporal-client';
import { connect, type Sql } from '../db/client';
import { migrate } from '../db/migrate';
import { seed } from '../db/seed';
import { clusterPorts, prepareTemporalDatabases, resolveClusterBinaries, SERVER_VERSION, startTemporalCluster, temporalDatabaseOf } from '../scripts/cluster';
import { freePort, loadDevConfig, PROJECT_ROOT, startTemporalDevServer } from '../scripts/temporal';

export type ProfileName = 'dev' | 'cluster';
export const PROFILE_NAMES: readonly ProfileName[] = ['dev', 'cluster'];

export interface ChildService {
  name: string;
  /** the Node process itself (its RSS is read from /proc) */
  pid(): number | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A product entry point (tsx) as a child process, started when it prints `ready`. */
export function childService(name: string, script: string, ready: string, env: NodeJS.ProcessEnv): ChildService {
  let child: ChildProcess | undefined;
  let stopping = false;
  const killOnExit = () => child?.kill('SIGKILL');
  return {
    name,
    pid: () => child?.pid,
    async start() {
      stopping = false;
      const proc = spawn(process.execPath, ['--import', 'tsx', script], { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      process.once('exit', killOnExit);
      let output = '';
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-6000));
      proc.stdout?.on('data', keep);
      proc.stderr?.on('data', keep);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not start within 2 minutes:\n${output}`)), 120_000);
        const onData = () => {
          if (output.includes(ready)) {
            clearTimeout(timer);
            proc.stdout?.off('data', onData);
            resolve();
          }
        };
        proc.stdout?.on('data', onData);
        proc.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (${code}):\n${output}`));
        });
      });
      proc.once('exit', (code, signal) => {
        if (child === proc && !stopping) console.error(`bench: ${name} exited (${code ?? signal}) during the run:\n${output}`);
      });
    },
    async stop() {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      stopping = true;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
    },
  };
}

/** Resident set size of a process, from /proc (Linux), in bytes. */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}

export interface Profile {
  name: ProfileName;
  /** what runs, for the report */
  layout: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  sql: Sql;
  client: Client;
  apiUrls: string[];
  /** the worker count the profile runs by default (npm start: 1, start:cluster: 2) */
  defaultWorkers: number;
  /** Runs exactly `count` worker processes (fresh ones when `fresh`: empty caches), each with `env` added. */
  setWorkers(count: number, options?: { fresh?: boolean; env?: NodeJS.ProcessEnv }): Promise<ChildService[]>;
  stop(): Promise<void>;
}

export interface ProfileOptions {
  adminUrl: string;
  workflowBundlePath: string;
  password: string;
  dataDir: string;
  log: (message: string) => void;
}

/** The cluster's ports moved by this much (frontend 17333, …), so the bench runs beside a `start:cluster`. */
const CLUSTER_PORT_SHIFT = 10_000;

async function startClusterTemporal(options: ProfileOptions, stops: (() => Promise<unknown>)[]): Promise<string> {
  const { log } = options;
  const bin = await resolveClusterBinaries(log);
  const db = { ...temporalDatabaseOf(options.adminUrl), database: 'samband_bench_temporal', visibilityDatabase: 'samband_bench_temporal_visibility' };
  const admin = connect(options.adminUrl, { max: 1 });
  for (const name of [db.database, db.visibilityDatabase]) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  await prepareTemporalDatabases(bin, db, log);
  // the profile's own start (services supervised and started again when one exits), its ports moved
  const cluster = await startTemporalCluster(bin, db, log, { ports: clusterPorts(CLUSTER_PORT_SHIFT) });
  stops.push(() => cluster.stop());
  return cluster.address;
}

export async function startProfile(name: ProfileName, options: ProfileOptions): Promise<Profile> {
  const dev = loadDevConfig();
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error('bench: while stopping:', err));
    stops.length = 0;
  };
  try {
    let temporalAddress: string;
    if (name === 'dev') {
      const dataDir = join(options.dataDir, 'dev');
      mkdirSync(dataDir, { recursive: true });
      const server = await startTemporalDevServer({ persist: true, dbFile: join(dataDir, 'temporal.sqlite'), port: await freePort(), headless: true, log: () => {} });
      stops.push(() => server.stop());
      temporalAddress = server.address;
    } else {
      temporalAddress = await startClusterTemporal(options, stops);
    }

    const dbName = `samband_bench_${name}_${process.pid}`;
    const admin = connect(options.adminUrl, { max: 1 });
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    stops.push(async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    });
    const dbUrl = new URL(options.adminUrl);
    dbUrl.pathname = `/${dbName}`;
    const databaseUrl = dbUrl.toString();
    const sql = connect(databaseUrl, { max: 4 }); // the bench's own queries; PostgreSQL's 100 connections are shared with Temporal's
    stops.push(() => sql.end({ timeout: 5 }));
    await migrate(sql);
    await seed(sql, options.password);

    const connection = await Connection.connect({ address: temporalAddress });
    stops.push(() => connection.close());
    const client = createTemporalClient(connection, dev.server.namespace);

    const simulatorPort = await freePort();
    const simulators = childService(`${name} simulators`, 'simulator/service.ts', 'simulators: listening', { SIMULATOR_DATABASE_URL: databaseUrl, SIMULATOR_PORT: String(simulatorPort) });
    await simulators.start();
    stops.push(() => simulators.stop());
    const shared: NodeJS.ProcessEnv = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: dev.server.namespace,
      TEMPORAL_TASK_QUEUE: dev.taskQueue,
      SIMULATOR_URL: `http://127.0.0.1:${simulatorPort}`,
      SEED_DEMO_DATA: 'false',
    };

    const apiCount = name === 'dev' ? 1 : 2;
    const apiUrls: string[] = [];
    for (let i = 1; i <= apiCount; i++) {
      const port = await freePort();
      const api = childService(`${name} api ${i}`, 'server.ts', 'api: listening', { ...shared, HOST: '127.0.0.1', PORT: String(port) });
      await api.start();
      stops.push(() => api.stop());
      apiUrls.push(`http://127.0.0.1:${port}`);
    }

    let workers: ChildService[] = [];
    let started = 0;
    stops.push(() => Promise.all(workers.map((w) => w.stop())));
    const setWorkers: Profile['setWorkers'] = async (count, opts = {}) => {
      if (opts.fresh) {
        await Promise.all(workers.map((w) => w.stop()));
        workers = [];
      }
      while (workers.length > count) await workers.pop()!.stop();
      while (workers.length < count) {
        const worker = childService(`${name} worker ${++started}`, 'worker.ts', 'worker: polling', { ...shared, WORKFLOW_BUNDLE_PATH: options.workflowBundlePath, ...opts.env });
        await worker.start();
        workers.push(worker);
      }
      return workers;
    };
    const defaultWorkers = name === 'dev' ? 1 : 2;
    await setWorkers(1);
    const layout =
      name === 'dev'
        ? `Temporal CLI dev server (SQLite file, temporal-dev.yml pragmas); ${apiCount} API process, 1–2 worker processes, simulator service process; product PostgreSQL`
        : `Temporal Server ${SERVER_VERSION} on PostgreSQL (persistence + visibility), history/matching/frontend/worker services as processes; ${apiCount} API processes, 1–2 worker processes, simulator service process`;
    return { name, layout, temporalAddress, namespace: dev.server.namespace, taskQueue: dev.taskQueue, sql, client, apiUrls, defaultWorkers, setWorkers, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
