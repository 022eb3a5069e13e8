// The cluster profile's Temporal: the real Temporal Server (go.temporal.io/server, the 1.29.1 the CLI's
// dev server embeds) on PostgreSQL for persistence and visibility, each service (frontend, history,
// matching, worker) a process of its own, and the standalone Web UI server. Configuration:
// temporal-cluster/ (beside temporal-dev.yml). Binaries are found in the Go bin folder or built once
// with `go install` (about two minutes each when the CLI was built before).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import { loadDevConfig, PROJECT_ROOT } from './temporal';

const run = promisify(execFile);
type Log = (message: string) => void;

/** The server version the pinned CLI embeds (temporal-dev.yml), so both profiles run the same engine. */
export const SERVER_MODULE = 'go.temporal.io/server';
export const SERVER_VERSION = 'v1.29.1';
/** The newest UI server that builds with this machine's Go (later ones need a newer toolchain). */
export const UI_MODULE = 'github.com/temporalio/ui-server/v2/cmd/server';
export const UI_VERSION = 'v2.45.0';
export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

export interface ClusterBinaries {
  server: string;
  sqlTool: string;
  ui: string;
  /** schema/postgresql/v12 of the server module: versioned folders the schema tool applies */
  schemaDir: string;
}

async function goEnv(name: string): Promise<string> {
  const { stdout } = await run('go', ['env', name]);
  return stdout.trim();
}

/** The server, its schema tool and the UI server: from the Go bin folder, else built once (both servers are named `server`, so each has a folder). */
export async function resolveClusterBinaries(log: Log = console.log): Promise<ClusterBinaries> {
  const gopath = await goEnv('GOPATH').catch(() => {
    throw new Error('the cluster profile builds the Temporal Server with Go: install Go (go.dev) first');
  });
  const serverDir = join(gopath, 'bin', 'temporal-server');
  const uiDir = join(gopath, 'bin', 'temporal-ui');
  const server = join(serverDir, 'server');
  const sqlTool = join(serverDir, 'sql');
  const ui = join(uiDir, 'server');
  const install = async (dir: string, targets: string[]) => {
    mkdirSync(dir, { recursive: true });
    log(`cluster: building ${targets.join(' ')} with go install (a few minutes once, cached in ${dir})…`);
    await run('go', ['install', ...targets], { env: { ...process.env, GOBIN: dir }, timeout: 30 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  };
  if (!existsSync(server) || !existsSync(sqlTool)) {
    await install(serverDir, [`${SERVER_MODULE}/cmd/server@${SERVER_VERSION}`, `${SERVER_MODULE}/cmd/tools/sql@${SERVER_VERSION}`]);
  }
  if (!existsSync(ui)) await install(uiDir, [`${UI_MODULE}@${UI_VERSION}`]);
  let schemaDir = join(await goEnv('GOMODCACHE'), `${SERVER_MODULE}@${SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!existsSync(schemaDir)) {
    const { stdout } = await run('go', ['mod', 'download', '-json', `${SERVER_MODULE}@${SERVER_VERSION}`], { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 });
    schemaDir = join((JSON.parse(stdout) as { Dir: string }).Dir, 'schema', 'postgresql', 'v12');
  }
  return { server, sqlTool, ui, schemaDir };
}

export interface TemporalDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  /** persistence and visibility databases (separate from the product's) */
  database: string;
  visibilityDatabase: string;
}

export function temporalDatabaseOf(productUrl: string): TemporalDatabase {
  const url = new URL(productUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
    database: process.env.SAMBAND_TEMPORAL_DB ?? 'samband_temporal',
    visibilityDatabase: process.env.SAMBAND_TEMPORAL_VISIBILITY_DB ?? 'samband_temporal_visibility',
  };
}

/** Creates both databases if missing and brings their schemas to the server's version (the schema tool's versioned folders; idempotent). */
export async function prepareTemporalDatabases(bin: ClusterBinaries, db: TemporalDatabase, log: Log = console.log): Promise<void> {
  const base = ['--plugin', 'postgres12', '--ep', db.host, '--port', String(db.port), '--user', db.user, '--password', db.password];
  for (const [name, folder] of [
    [db.database, 'temporal'],
    [db.visibilityDatabase, 'visibility'],
  ] as const) {
    const tool = (...args: string[]) => run(bin.sqlTool, [...base, '--db', name, ...args], { timeout: 5 * 60_000 });
    await tool('create-database').catch((err: { stderr?: string; message: string }) => {
      if (!/already exists/i.test(`${err.stderr ?? ''} ${err.message}`)) throw err;
    });
    // setup-schema -v 0.0 makes the version table on a new database; on an existing one it leaves the schema alone
    await tool('setup-schema', '-v', '0.0').catch((err: { stderr?: string; message: string }) => {
      if (!/already exists|schema_version/i.test(`${err.stderr ?? ''} ${err.message}`)) throw err;
    });
    await tool('update-schema', '-d', join(bin.schemaDir, folder, 'versioned'));
    log(`cluster: database ${name} ready (schema ${folder}, postgres12)`);
  }
}

export interface ClusterProcess {
  name: string;
  process: ChildProcess;
  stop(): Promise<void>;
  /** SIGKILL, then start again (the resilience tests restart the history service) */
  restart(): Promise<void>;
}

export interface TemporalCluster {
  address: string;
  uiUrl: string;
  namespace: string;
  services: Record<ClusterService, ClusterProcess>;
  ui: ClusterProcess;
  stop(): Promise<void>;
}

/** Every port the cluster listens on (temporal-cluster/samband.yaml reads them from SAMBAND_TEMPORAL_*_PORT). */
export interface ClusterPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** membership (ringpop) ports of frontend, history, matching, worker */
  membership: Record<ClusterService, number>;
  ui: number;
}

/**
 * The profile's ports (the yaml's defaults, or the SAMBAND_TEMPORAL_*_PORT variables), each moved by
 * `offset`: a second cluster (a test's, a benchmark's) runs beside one already on the machine.
 */
export function clusterPorts(offset = 0): ClusterPorts {
  const port = (name: string, fallback: number) => Number(process.env[`SAMBAND_TEMPORAL_${name}_PORT`] ?? fallback) + offset;
  return {
    frontend: port('FRONTEND', 7333),
    frontendHttp: port('FRONTEND_HTTP', 7343),
    history: port('HISTORY', 7334),
    matching: port('MATCHING', 7335),
    worker: port('WORKER', 7339),
    membership: {
      frontend: port('FRONTEND_MEMBERSHIP', 6933),
      history: port('HISTORY_MEMBERSHIP', 6934),
      matching: port('MATCHING_MEMBERSHIP', 6935),
      worker: port('WORKER_MEMBERSHIP', 6939),
    },
    ui: port('UI', 8333),
  };
}

function portEnv(ports: ClusterPorts): NodeJS.ProcessEnv {
  return {
    SAMBAND_TEMPORAL_FRONTEND_PORT: String(ports.frontend),
    SAMBAND_TEMPORAL_FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    SAMBAND_TEMPORAL_HISTORY_PORT: String(ports.history),
    SAMBAND_TEMPORAL_MATCHING_PORT: String(ports.matching),
    SAMBAND_TEMPORAL_WORKER_PORT: String(ports.worker),
    SAMBAND_TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(ports.membership.frontend),
    SAMBAND_TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(ports.membership.history),
    SAMBAND_TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(ports.membership.matching),
    SAMBAND_TEMPORAL_WORKER_MEMBERSHIP_PORT: String(ports.membership.worker),
  };
}

/** Every child this process started: killed when it exits without stopping them (a crash, a failed start). */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export function supervised(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, log: Log): ClusterProcess {
  const logDir = join(PROJECT_ROOT, '.data', 'cluster');
  mkdirSync(logDir, { recursive: true });
  const launch = () => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      if (!handle.stopping && signal !== 'SIGKILL') log(`cluster: ${name} exited (${code ?? signal}); last output:\n${tail}`);
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    return child;
  };
  const stopChild = async (child: ChildProcess, signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const handle = {
    name,
    stopping: false,
    process: launch(),
    async stop() {
      handle.stopping = true;
      await stopChild(handle.process, 'SIGTERM');
    },
    async restart() {
      await stopChild(handle.process, 'SIGKILL');
      handle.process = launch();
    },
  };
  return handle;
}

/** Starts the four services and the UI, then registers the namespace and Samband's search attributes (both idempotent). */
export async function startTemporalCluster(bin: ClusterBinaries, db: TemporalDatabase, log: Log = console.log, options: { ports?: ClusterPorts } = {}): Promise<TemporalCluster> {
  const dev = loadDevConfig();
  const ports = options.ports ?? clusterPorts();
  const env: NodeJS.ProcessEnv = {
    ...portEnv(ports),
    SAMBAND_TEMPORAL_DB_HOST: db.host,
    SAMBAND_TEMPORAL_DB_PORT: String(db.port),
    SAMBAND_TEMPORAL_DB_USER: db.user,
    SAMBAND_TEMPORAL_DB_PASSWORD: db.password,
    SAMBAND_TEMPORAL_DB: db.database,
    SAMBAND_TEMPORAL_VISIBILITY_DB: db.visibilityDatabase,
  };
  const services = {} as Record<ClusterService, ClusterProcess>;
  let stopping = false;
  for (const service of CLUSTER_SERVICES) {
    services[service] = supervised(
      `temporal ${service}`,
      bin.server,
      ['--root', PROJECT_ROOT, '--config', 'temporal-cluster', '--env', 'samband', '--allow-no-auth', 'start', '--service', service],
      env,
      (message) => {
        log(message);
        // a service that exits is started again: on a new database the four race to write the cluster
        // metadata, and a loser exits ("failed to initialize current cluster metadata"); a second start joins
        setTimeout(() => void (stopping ? undefined : services[service].restart()), 1000);
      },
    );
  }
  const address = `127.0.0.1:${ports.frontend}`;
  await registerNamespace(address, dev.server.namespace, dev.searchAttributes, log);
  const ui = supervised(
    'temporal ui',
    bin.ui,
    ['--root', PROJECT_ROOT, '--config', 'temporal-cluster/ui', '--env', 'samband', 'start'],
    { SAMBAND_TEMPORAL_UI_GRPC: address, SAMBAND_TEMPORAL_UI_PORT: String(ports.ui) },
    log,
  );
  return {
    address,
    uiUrl: `http://127.0.0.1:${ports.ui}`,
    namespace: dev.server.namespace,
    services,
    ui,
    async stop() {
      stopping = true;
      await ui.stop();
      // the frontend first, so no new work arrives; history last, so shards are released cleanly
      for (const service of ['frontend', 'worker', 'matching', 'history'] as const) await services[service].stop();
    },
  };
}

const { IndexedValueType } = proto.temporal.api.enums.v1;
const ATTRIBUTE_TYPES: Record<string, proto.temporal.api.enums.v1.IndexedValueType> = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Text: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Waits for the frontend, registers the namespace (30 days' retention of closed cases) and adds the missing search attributes. */
export async function registerNamespace(address: string, namespace: string, attributes: Record<string, string>, log: Log): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2000 });
      const known = await connection.workflowService.describeNamespace({ namespace }).catch(() => undefined);
      if (!known) {
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('30 days') });
        log(`cluster: namespace ${namespace} registered`);
      }
      const existing = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = Object.entries(attributes).filter(([name]) => !(name in (existing.customAttributes ?? {})));
      if (missing.length > 0) {
        await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, ATTRIBUTE_TYPES[type]!])) });
        log(`cluster: search attributes ${missing.map(([n]) => n).join(', ')} added`);
      }
      // a new namespace reaches every service's cache within seconds: wait until a workflow list answers
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the Temporal cluster did not become ready on ${address}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await connection?.close();
    }
  }
}

// `npm run cluster:install`: builds the binaries once (CI runs it before the resilience suite's cluster run)
if (process.argv[1] && (await import('node:url')).fileURLToPath(import.meta.url) === process.argv[1]) {
  const bin = await resolveClusterBinaries();
  console.log(`cluster: Temporal Server ${bin.server}, schema tool ${bin.sqlTool}, Web UI ${bin.ui}, schemas ${bin.schemaDir}`);
}
