// The cluster profile under test (issue 16), started from the profile's own pieces: the Temporal Server
// on PostgreSQL from scripts/cluster.ts (each service a process, fresh databases, ports moved apart from
// any cluster already on the machine) and the product's entry points as processes of their own —
// simulator/service.ts, worker.ts and server.ts, any number of each — as `npm run start:cluster` runs them.
import { randomBytes, randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { deserialize } from 'node:v8';
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { connect, type Sql } from '../../db/client';
import {
  type ClusterBinaries,
  clusterPorts,
  type ClusterPorts,
  prepareTemporalDatabases,
  resolveClusterBinaries,
  startTemporalCluster,
  type TemporalCluster,
  temporalDatabaseOf,
} from '../../scripts/cluster';
import { freePort, loadDevConfig } from '../../scripts/temporal';
import { ADMIN_DATABASE_URL, databaseUrl } from './env';
import { type ReplayOutcome, replayTaskQueue } from './replay';
import { type ApiProcess, type ChildService, childService } from './worker-process';

export interface ClusterRun {
  databaseUrl: string;
  /** the product's database (its read model, and the simulator service's state in `simulator_state`) */
  sql: Sql;
  temporal: TemporalCluster;
  ports: ClusterPorts;
  simulators: ApiProcess;
  workers: ChildService[];
  apis: ApiProcess[];
  /** Stops every process, replays every workflow the run made (determinism) and drops the databases. */
  stop(): Promise<ReplayOutcome | undefined>;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Ports of a cluster of our own: the profile's, moved by an offset where none is taken. */
async function freeClusterPorts(): Promise<ClusterPorts> {
  for (let i = 0; i < 50; i++) {
    const ports = clusterPorts(randomInt(1, 400) * 50);
    const all = [ports.frontend, ports.frontendHttp, ports.history, ports.matching, ports.worker, ports.ui, ...Object.values(ports.membership)];
    if ((await Promise.all(all.map(portFree))).every(Boolean)) return ports;
  }
  throw new Error('no free ports for a Temporal cluster');
}

/** SIGTERM, and SIGKILL when the process has not exited within 15 s (a stop must never hang a test's teardown). */
async function stopWithin(p: ChildService): Promise<void> {
  const stopped = p.stop().then(() => true);
  if (!(await Promise.race([stopped, new Promise<false>((r) => setTimeout(() => r(false), 15_000))]))) await p.kill();
}

export async function startClusterRun(options: { apis?: number; workers?: number; log?: (message: string) => void } = {}): Promise<ClusterRun> {
  const log = options.log ?? (() => {});
  const stops: (() => Promise<unknown>)[] = [];
  const name = `samband_c_${randomBytes(5).toString('hex')}`;
  const admin = connect(ADMIN_DATABASE_URL, { max: 1 });
  const temporalDb = { ...temporalDatabaseOf(ADMIN_DATABASE_URL), database: `${name}_temporal`, visibilityDatabase: `${name}_visibility` };
  stops.push(async () => {
    for (const db of [name, temporalDb.database, temporalDb.visibilityDatabase]) await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  });
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => console.error('cluster run: while stopping:', err));
    stops.length = 0;
  };
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
    const url = databaseUrl(name);
    const sql = connect(url, { role: 'maintenance', max: 3 });
    stops.push(() => sql.end({ timeout: 5 }));

    const bin: ClusterBinaries = await resolveClusterBinaries(log);
    await prepareTemporalDatabases(bin, temporalDb, log);
    const ports = await freeClusterPorts();
    const temporal = await startTemporalCluster(bin, temporalDb, log, { ports });
    stops.push(() => temporal.stop());

    const simulatorPort = await freePort();
    const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
    const simulators = Object.assign(
      childService('simulator/service.ts', 'simulators: listening', async () => ({ SIMULATOR_DATABASE_URL: url, SIMULATOR_PORT: String(simulatorPort) })),
      { url: simulatorUrl },
    );
    stops.push(() => stopWithin(simulators));
    await simulators.start();

    // what start-cluster.ts gives every product process
    const shared: NodeJS.ProcessEnv = {
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      SIMULATOR_URL: simulatorUrl,
    };
    const workers = Array.from({ length: options.workers ?? 2 }, () => childService('worker.ts', 'worker: polling', async () => shared));
    const apis: ApiProcess[] = [];
    for (let i = 0; i < (options.apis ?? 2); i++) {
      const port = await freePort();
      apis.push(
        Object.assign(
          childService('server.ts', 'api: listening', async () => ({ ...shared, HOST: '127.0.0.1', PORT: String(port) })),
          { url: `http://127.0.0.1:${port}` },
        ),
      );
    }
    for (const p of [...workers, ...apis]) stops.push(() => stopWithin(p));
    await Promise.all([...workers, ...apis].map((p) => p.start()));

    return {
      databaseUrl: url,
      sql,
      temporal,
      ports,
      simulators,
      workers,
      apis,
      async stop() {
        // the product's processes first (as the profile stops), then replay what the run made, then the rest
        for (const p of [...apis, ...workers]) await stopWithin(p);
        let replay: ReplayOutcome | undefined;
        const connection = await Connection.connect({ address: temporal.address });
        try {
          replay = await replayTaskQueue(new Client({ connection, namespace: temporal.namespace }), loadDevConfig().taskQueue, inject('workflowBundlePath'));
        } finally {
          await connection.close();
          await stopAll();
        }
        return replay;
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A system's state as the simulator service wrote it to PostgreSQL (its Maps and counters; a settled answer is `{ $resolved }`). */
export async function simulatorState(sql: Sql, system: string): Promise<Record<string, unknown>> {
  const [row] = await sql<{ state: Buffer }[]>`SELECT state FROM simulator_state WHERE system = ${system}`;
  return row ? (deserialize(row.state) as Record<string, unknown>) : {};
}
