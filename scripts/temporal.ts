// Finds or installs the Temporal CLI and runs its dev server as temporal-dev.yml says.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { parse } from 'yaml';
import { z } from 'zod';

const run = promisify(execFile);
export const PROJECT_ROOT = resolve(import.meta.dirname, '..');

const DevConfig = z.object({
  cli: z.object({ goModule: z.string(), version: z.string() }),
  server: z.object({
    ip: z.string(),
    port: z.number().int(),
    uiPort: z.number().int(),
    namespace: z.string(),
    dbFile: z.string(),
    logLevel: z.string(),
    sqlitePragmas: z.record(z.string(), z.string()),
  }),
  searchAttributes: z.record(z.string(), z.enum(['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'])),
  taskQueue: z.string(),
});
export type DevConfig = z.infer<typeof DevConfig>;

export function loadDevConfig(): DevConfig {
  return DevConfig.parse(parse(readFileSync(join(PROJECT_ROOT, 'temporal-dev.yml'), 'utf8')));
}

type Log = (message: string) => void;

async function works(path: string): Promise<boolean> {
  try {
    await run(path, ['--version'], { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

async function goBinDir(): Promise<string | undefined> {
  try {
    const { stdout } = await run('go', ['env', 'GOBIN', 'GOPATH']);
    const [gobin, gopath] = stdout.split('\n');
    return gobin?.trim() || (gopath?.trim() ? join(gopath.trim(), 'bin') : undefined);
  } catch {
    return undefined;
  }
}

/** TEMPORAL_CLI, then `temporal` on PATH, then the Go bin folder, else `go install` the pinned version. */
export async function resolveTemporalCli(log: Log = console.log): Promise<string> {
  const config = loadDevConfig();
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (await works(fromEnv)) return announce(log, fromEnv, 'TEMPORAL_CLI');
    throw new Error(`TEMPORAL_CLI=${fromEnv} does not run`);
  }
  if (await works('temporal')) return announce(log, 'temporal', 'PATH');
  const binDir = await goBinDir();
  if (binDir && existsSync(join(binDir, 'temporal')) && (await works(join(binDir, 'temporal')))) {
    return announce(log, join(binDir, 'temporal'), 'the Go bin folder');
  }
  if (!binDir) {
    throw new Error('Temporal CLI not found and Go is not installed: install Go, or set TEMPORAL_CLI, or TEMPORAL_ADDRESS to use a running server');
  }
  const target = `${config.cli.goModule}@${config.cli.version}`;
  log(`Temporal CLI: not found; building ${target} with go install (takes a few minutes once, cached after)…`);
  await run('go', ['install', target], { timeout: 30 * 60_000, maxBuffer: 64 * 1024 * 1024 });
  return announce(log, join(binDir, 'temporal'), `go install ${target}`);
}

function announce(log: Log, path: string, source: string): string {
  log(`Temporal CLI: ${path} (from ${source})`);
  return path;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  namespace: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** keep state in the SQLite file of temporal-dev.yml (npm start); tests run in memory */
  persist: boolean;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  dbFile?: string;
  log?: Log;
}

export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServer> {
  const config = loadDevConfig();
  const log = options.log ?? console.log;
  const cli = await resolveTemporalCli(log);
  const port = options.port ?? config.server.port;
  const uiPort = options.uiPort ?? config.server.uiPort;
  const args = ['server', 'start-dev', '--ip', config.server.ip, '--port', String(port), '--namespace', config.server.namespace, '--log-level', config.server.logLevel];
  for (const [key, type] of Object.entries(config.searchAttributes)) args.push('--search-attribute', `${key}=${type}`);
  if (options.headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (options.persist || options.dbFile) {
    const dbFile = resolve(PROJECT_ROOT, options.dbFile ?? config.server.dbFile);
    mkdirSync(dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
    for (const [pragma, value] of Object.entries(config.server.sqlitePragmas)) args.push('--sqlite-pragma', `${pragma}=${value}`);
  }
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // never leave a dev server behind when this process ends without stopping it (a crash, a failed run)
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const address = `${config.server.ip}:${port}`;
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Temporal dev server exited (${child.exitCode}):\n${output}`);
    if (await namespaceReady(address, config.server.namespace)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Temporal dev server did not become ready on ${address}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    address,
    uiUrl: options.headless ? null : `http://${config.server.ip}:${uiPort}`,
    namespace: config.server.namespace,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function namespaceReady(address: string, namespace: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}
