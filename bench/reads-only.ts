// `npx tsx bench/reads-only.ts`: the benchmark's read section alone (bench/reads.ts), for measuring
// lists without the throughput phases. Brings up the stack like bench/run.ts, makes one service
// request and one submitted order through the API (the templates the fixtures copy), then grows the
// book to each scale in BENCH_READ_SCALES (default 100000,1000000) and prints the report rows.
// BENCH_KEEP_DB=1 keeps the database (for EXPLAIN ANALYZE) and prints its name; BENCH_DB=<name>
// measures again on a kept one (migrated to the current schema, the book grown only where asked).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createSimulators } from '../adapters';
import { createApp } from '../api/app';
import type { AppConfig } from '../api/context';
import { createTemporalClient } from '../api/temporal-client';
import { connect } from '../db/client';
import { migrate } from '../db/migrate';
import { seed } from '../db/seed';
import { RULE_DURATIONS, SESSION_IDLE_TIMEOUT_MS } from '../domain/durations';
import { addCalendarDays, osloDate } from '../domain/time';
import { freePort, loadDevConfig, startTemporalDevServer } from '../scripts/temporal';
import { bundleWorkflows, createWorker } from '../worker';
import { runReads } from './reads';

const PASSWORD = 'bench-password-1';
const SCALES = (process.env.BENCH_READ_SCALES ?? '100000,1000000').split(',').map(Number);
const SAMPLES = Number(process.env.BENCH_READ_SAMPLES ?? 200);

const dataDir = mkdtempSync(join(tmpdir(), 'samband-reads-'));
const dev = loadDevConfig();
const temporal = await startTemporalDevServer({ persist: false, port: await freePort(), headless: true, log: () => {} });
const adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const reuse = process.env.BENCH_DB;
const dbName = reuse ?? `samband_reads_${process.pid}`;
const admin = connect(adminUrl, { max: 1 });
if (!reuse) await admin.unsafe(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const sql = connect(dbUrl.toString(), { max: 20 });
await migrate(sql);
if (!reuse) await seed(sql, PASSWORD);
const config: AppConfig = { namespace: dev.server.namespace, taskQueue: 'bench-reads', sessionIdleMs: SESSION_IDLE_TIMEOUT_MS, timings: { ...RULE_DURATIONS } };
const adapters = createSimulators({});
const nativeConnection = await NativeConnection.connect({ address: temporal.address });
const worker = await createWorker({ connection: nativeConnection, namespace: config.namespace, taskQueue: config.taskQueue, workflowBundle: await bundleWorkflows(), deps: { sql, adapters } });
const workerDone = worker.run();
const connection = await Connection.connect({ address: temporal.address });
const client = createTemporalClient(connection, config.namespace);
const port = await freePort();
const server = serve({ fetch: createApp({ sql, temporal: client, adapters, config }).fetch, port, hostname: '127.0.0.1' });
const base = `http://127.0.0.1:${port}`;

async function http<T>(method: string, path: string, token?: string, json?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}
const login = async (username: string) => (await http<{ token: string }>('POST', '/v1/auth/login', undefined, { username, password: PASSWORD })).token;
const customer = await login('ola.nordnett');
const handler = await login('hanne.handler');

// the templates: one service request, one submitted order (its line row)
if (!reuse) await makeTemplates();
async function makeTemplates() {
  await http('POST', '/v1/service-requests', customer, { area: 'Other', subArea: 'Other', reference: { kind: 'other', value: 'BENCH-T' }, description: 'Benchmark template' });
  const order = await http<{ number: string }>('POST', '/v1/orders', customer, {
    orderType: 'Standard',
    productCode: 'JARA-ADSL-DELT',
    speedMbps: 8,
    requestedDate: addCalendarDays(osloDate(new Date()), 20),
    contact: { name: 'Kari Nordmann', phone: '91234567' },
    references: { customerOrderRef: 'BENCH-T' },
    lines: [{ endUser: { kind: 'person', name: 'Siri Testesen', birthDate: '1985-05-05' }, address: { addressId: 'adr-0069' } }],
  });
  await http('POST', `/v1/orders/${order.number}/lines/1/availability`, customer);
  const slots = await http<{ items: Array<{ slotId: string }> }>('GET', `/v1/orders/${order.number}/lines/1/slots`, customer);
  for (const slot of slots.items.slice(0, 5)) {
    if (
      await http('POST', `/v1/orders/${order.number}/lines/1/booking`, customer, { slotId: slot.slotId }).then(
        () => true,
        () => false,
      )
    )
      break;
  }
  await http('POST', `/v1/orders/${order.number}/submit`, customer);
  for (let i = 0; i < 100; i++) {
    const [row] = await sql`SELECT 1 FROM cases WHERE case_type = 'order_line' LIMIT 1`;
    if (row) break;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const [{ n: had } = { n: 0 }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases WHERE number LIKE 'SR-9%'`;
let have = had;
const all: unknown[] = [];
for (const cases of SCALES) {
  const { figures, rows } = await runReads(sql, (path, token) => http('GET', path, token), { customer, handler }, { have, cases, samples: SAMPLES });
  have = cases;
  all.push(figures);
  console.log(
    ['| figure | measured | target | met | |', '| --- | --- | --- | --- | --- |', ...rows.map(([w, v, t, m, why]) => `| ${w} | ${v} | ${t} | ${m ? 'yes' : '**no**'} | ${m ? '' : why} |`)].join('\n'),
  );
}
console.log(JSON.stringify(all, null, 2));

server.close();
worker.shutdown();
await workerDone;
await sql.end();
if (process.env.BENCH_KEEP_DB === '1' || reuse) console.log(`kept database ${dbName}`);
else await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await admin.end();
await temporal.stop();
rmSync(dataDir, { recursive: true, force: true });
await Promise.allSettled([nativeConnection.close(), connection.close()]);
