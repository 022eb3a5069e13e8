// `npm run bench`: brings up the stack on this machine (Temporal dev server with the SQLite
// pragmas of temporal-dev.yml, PostgreSQL, worker, HTTP API), runs every phase in one run and
// writes bench/results/<date>.json and .md. Absolute numbers on shared 2-core machines are noise:
// the figures that count are the ratios measured side by side here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Connection } from '@temporalio/client';
import { createTemporalClient } from '../api/temporal-client';
import protoPackage from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import { createSimulators } from '../adapters';
import { createApp } from '../api/app';
import type { AppConfig } from '../api/context';
import { connect } from '../db/client';
import { migrate } from '../db/migrate';
import { seed } from '../db/seed';
import { runReads } from './reads';
import { RULE_DURATIONS, SESSION_IDLE_TIMEOUT_MS } from '../domain/durations';
import { addCalendarDays, osloDate } from '../domain/time';
import { compileTemplates, renderStatusChange } from '../notifications/render';
import { freePort, loadDevConfig, PROJECT_ROOT, startTemporalDevServer } from '../scripts/temporal';
import { bundleWorkflows, createWorker } from '../worker';

const QUICK = process.env.BENCH_QUICK === '1';
const SECONDS = QUICK ? 5 : 15;
const OPEN_CASES = QUICK ? [200, 1000] : [1000, 10_000];
const READ_SCALES = QUICK ? [20_000] : [100_000, 1_000_000];
const PASSWORD = 'bench-password-1';

// ---- measuring helpers -----------------------------------------------------------------------

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const stats = (ms: number[]) => ({ n: ms.length, p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)) });

async function timed<T>(fn: () => Promise<T>, into: number[]): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  into.push(performance.now() - t0);
  return result;
}

/** Closed loop: `concurrency` clients repeat `op` for `seconds`; returns ops/s and latencies. */
async function closedLoop(concurrency: number, seconds: number, op: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  let i = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) await timed(() => op(i++), latencies);
    }),
  );
  return { perSecond: latencies.length / ((performance.now() - t0) / 1000), latencies };
}

/** `concurrency` clients share `total` operations. */
async function runCount(concurrency: number, total: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
}

/** Open loop at a fixed arrival rate, so latency is measured at a known share of the maximum. */
async function openLoop(ratePerSecond: number, seconds: number, op: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  const inflight: Promise<void>[] = [];
  const interval = 1000 / ratePerSecond;
  const t0 = performance.now();
  for (let i = 0; performance.now() - t0 < seconds * 1000; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(timed(() => op(i), latencies).then(() => undefined));
  }
  await Promise.all(inflight);
  return { perSecond: latencies.length / ((performance.now() - t0) / 1000), latencies };
}

// ---- the stack -----------------------------------------------------------------------------

const dataDir = mkdtempSync(join(tmpdir(), 'samband-bench-'));
const dev = loadDevConfig();
console.log('bench: starting Temporal dev server (file persistence, temporal-dev.yml pragmas), PostgreSQL, worker, API…');
const temporal = await startTemporalDevServer({ persist: true, dbFile: join(dataDir, 'temporal.sqlite'), port: await freePort(), headless: true, log: () => {} });
const adminUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `samband_bench_${process.pid}`;
const admin = connect(adminUrl, { max: 1 });
await admin.unsafe(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;
const sql = connect(dbUrl.toString(), { max: 20 });
await migrate(sql);
await seed(sql, PASSWORD);

const config: AppConfig = { namespace: dev.server.namespace, taskQueue: 'bench', sessionIdleMs: SESSION_IDLE_TIMEOUT_MS, timings: { ...RULE_DURATIONS } };
const adapters = createSimulators({});
const nativeConnection = await NativeConnection.connect({ address: temporal.address });
const worker = await createWorker({ connection: nativeConnection, namespace: config.namespace, taskQueue: config.taskQueue, workflowBundle: await bundleWorkflows(), deps: { sql, adapters } });
const workerDone = worker.run();
const connection = await Connection.connect({ address: temporal.address });
const client = createTemporalClient(connection, config.namespace);
const port = await freePort();
const server = serve({ fetch: createApp({ sql, temporal: client, adapters, config }).fetch, port, hostname: '127.0.0.1' });
const base = `http://127.0.0.1:${port}`;

async function http<T = Record<string, unknown>>(method: string, path: string, token?: string, json?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
async function must<T = Record<string, unknown>>(p: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const r = await p;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}
const login = async (username: string) => (await must<{ token: string }>(http('POST', '/v1/auth/login', undefined, { username, password: PASSWORD }), 'login')).token;
const customer = await login('ola.nordnett');
const handler = await login('hanne.handler');

const results: Record<string, unknown> = { date: new Date().toISOString(), quick: QUICK, machine: { cores: (await import('node:os')).cpus().length } };

// ---- ceiling: bare no-op workflows ---------------------------------------------------------

console.log('bench: ceiling (no-op workflow start → result)…');
const ceilingConcurrency = 16;
const ceiling = await closedLoop(ceilingConcurrency, SECONDS, async (i) => {
  await client.workflow.execute('noopWorkflow', { taskQueue: config.taskQueue, workflowId: `bench-noop-${process.pid}-${i}` });
});
const startRpc: number[] = [];
await closedLoop(4, Math.max(3, SECONDS / 3), async (i) => {
  await timed(() => client.workflow.start('noopWorkflow', { taskQueue: config.taskQueue, workflowId: `bench-start-${process.pid}-${i}` }), startRpc);
});
results.ceiling = { workflowsPerSecond: round(ceiling.perSecond), concurrency: ceilingConcurrency, startRpcMs: stats(startRpc) };

// ---- full path: order submissions through the HTTP API -------------------------------------

const FREE = ['adr-0069', 'adr-0074', 'adr-0080', 'adr-0083', 'adr-0099', 'adr-0101', 'adr-0170', 'adr-0171', 'adr-0172', 'adr-0176', 'adr-0181'];
const requestedDate = addCalendarDays(osloDate(new Date()), 20);
async function submitOrder(i: number): Promise<void> {
  const order = await must<{ number: string }>(
    http('POST', '/v1/orders', customer, {
      orderType: 'Standard',
      productCode: 'JARA-ADSL-DELT',
      speedMbps: [2, 8, 16, 24][i % 4],
      requestedDate,
      contact: { name: 'Kari Nordmann', phone: '91234567' },
      references: { customerOrderRef: `BENCH-${i}` },
      lines: [{ endUser: { kind: 'person', name: 'Siri Testesen', birthDate: '1985-05-05' }, address: { addressId: FREE[i % FREE.length] } }],
    }),
    'create order',
  );
  await must(http('POST', `/v1/orders/${order.number}/lines/1/availability`, customer), 'availability');
  await bookTechnician(order.number);
  await must(http('POST', `/v1/orders/${order.number}/submit`, customer), 'submit');
}
/** O-12: the user books a technician where Kapaks allows it (a full slot only means the next one). */
async function bookTechnician(orderNumber: string): Promise<void> {
  const slots = await must<{ items: Array<{ slotId: string }> }>(http('GET', `/v1/orders/${orderNumber}/lines/1/slots`, customer), 'slots');
  for (const slot of slots.items.slice(0, 5)) if ((await http('POST', `/v1/orders/${orderNumber}/lines/1/booking`, customer, { slotId: slot.slotId })).status === 200) return;
}
console.log('bench: full path (order create → availability → submit over HTTP), stepped load…');
const steps: { concurrency: number; ordersPerSecond: number; p99Ms: number }[] = [];
for (const concurrency of [1, 2, 4, 8, 16]) {
  const r = await closedLoop(concurrency, SECONDS, submitOrder);
  steps.push({ concurrency, ordersPerSecond: round(r.perSecond), p99Ms: round(percentile(r.latencies, 99)) });
}
const maxRate = Math.max(...steps.map((s) => s.ordersPerSecond));
const at50 = await openLoop(maxRate * 0.5, SECONDS, submitOrder);
const at80 = await openLoop(maxRate * 0.8, SECONDS, submitOrder);
// the API requests one submission makes: 3 (create, availability, submit); latency per request
results.fullPath = {
  steps,
  maxOrdersPerSecond: maxRate,
  at50: { ratePerSecond: round(maxRate * 0.5), orderMs: stats(at50.latencies) },
  at80: { ratePerSecond: round(maxRate * 0.8), orderMs: stats(at80.latencies) },
};
// single-request latency at 50 % load: measured on the submit call alone
const submitLatencies: number[] = [];
await openLoop(maxRate * 0.5, SECONDS, async (i) => {
  const order = await must<{ number: string }>(
    http('POST', '/v1/orders', customer, {
      orderType: 'Standard',
      productCode: 'JARA-ADSL-DELT',
      speedMbps: [2, 8, 16, 24][i % 4],
      requestedDate,
      contact: { name: 'Kari Nordmann', phone: '91234567' },
      references: { customerOrderRef: `BENCH-L-${i}` },
      lines: [{ endUser: { kind: 'person', name: 'Siri Testesen', birthDate: '1985-05-05' }, address: { addressId: FREE[i % FREE.length] } }],
    }),
    'create order',
  );
  await must(http('POST', `/v1/orders/${order.number}/lines/1/availability`, customer), 'availability');
  await bookTechnician(order.number);
  await timed(() => must(http('POST', `/v1/orders/${order.number}/submit`, customer), 'submit'), submitLatencies);
});
(results.fullPath as Record<string, unknown>).submitRequestAt50Ms = stats(submitLatencies);

// ---- interaction latency: Update round trips on open cases -------------------------------

console.log('bench: interaction latency (handler take, customer update)…');
const take: number[] = [];
const update: number[] = [];
for (let i = 0; i < (QUICK ? 30 : 100); i++) {
  const sr = await must<{ number: string }>(
    http('POST', '/v1/service-requests', customer, {
      area: 'Other',
      subArea: 'Other',
      reference: { kind: 'other', value: `BENCH-I-${i}` },
      description: 'Benchmark interaction on an open case',
    }),
    'create SR',
  );
  await timed(() => must(http('POST', `/v1/service-requests/${sr.number}/update`, customer, { description: 'Benchmark: updated description' }), 'update'), update);
  await must(http('POST', `/v1/service-requests/${sr.number}/submit`, customer), 'submit');
  await timed(() => must(http('POST', `/v1/handler/service-requests/${sr.number}/take`, handler), 'take'), take);
}
results.interaction = { handlerTakeMs: stats(take), customerUpdateMs: stats(update) };

// ---- size: history events per life, and for refused actions ---------------------------------

console.log('bench: history size…');
const lifeOrder = await must<{ number: string; caseId: string }>(
  http('POST', '/v1/orders', customer, {
    // another product than the load phases used, so O-19 does not mark it a duplicate
    orderType: 'Standard',
    productCode: 'JARA-ADSL-FULL',
    speedMbps: 24,
    requestedDate,
    contact: { name: 'Kari Nordmann', phone: '91234567' },
    references: { customerOrderRef: 'BENCH-LIFE' },
    lines: [{ endUser: { kind: 'person', name: 'Liv Livsløp', birthDate: '1979-01-01' }, address: { addressId: 'adr-0101' } }],
  }),
  'life order',
);
await must(http('POST', `/v1/orders/${lifeOrder.number}/lines/1/availability`, customer), 'availability');
await bookTechnician(lifeOrder.number);
await must(http('POST', `/v1/orders/${lifeOrder.number}/submit`, customer), 'submit');
const lineNumber = `${lifeOrder.number}:1`;
for (let i = 0; i < 100; i++) {
  const line = await must<{ status: string }>(http('GET', `/v1/orders/${lifeOrder.number}/lines/1`, customer), 'line');
  if (line.status !== 'Committed') break;
  await new Promise((r) => setTimeout(r, 100));
}
for (const to of ['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed']) {
  await must(http('POST', `/v1/handler/order-lines/${lineNumber}/advance`, handler, to === 'Field Service' ? { to, installationDate: addCalendarDays(requestedDate, 2) } : { to }), `advance ${to}`);
}
const lineWorkflowId = `order-line:${lineNumber}`;
const lineHistory = (await client.workflow.getHandle(lineWorkflowId).fetchHistory()).events ?? [];
const eventsPerLine = lineHistory.length;
// the profile behind the figure: which event types the life consists of
const EventType = protoPackage.temporal.api.enums.v1.EventType;
const eventProfile: Record<string, number> = {};
for (const e of lineHistory) {
  const name = String(EventType[e.eventType ?? 0] ?? e.eventType).replace('EVENT_TYPE_', '');
  eventProfile[name] = (eventProfile[name] ?? 0) + 1;
}
const refusedBefore = (await client.workflow.getHandle(lineWorkflowId).fetchHistory()).events?.length ?? 0;
const refused = await http('POST', `/v1/handler/order-lines/${lineNumber}/advance`, handler, { to: 'Design' });
const refusedAfter = (await client.workflow.getHandle(lineWorkflowId).fetchHistory()).events?.length ?? 0;
const srLife = await must<{ number: string; caseId: string }>(
  http('POST', '/v1/service-requests', customer, {
    area: 'Other',
    subArea: 'Other',
    reference: { kind: 'other', value: 'BENCH-LIFE' },
    description: 'Benchmark: one whole SR life',
  }),
  'SR',
);
for (const [path, token, body] of [
  ['submit', customer],
  ['take', handler],
  ['complete', handler, { text: 'Answered' }],
  ['close', customer],
] as const) {
  const prefix = token === handler ? '/v1/handler/service-requests' : '/v1/service-requests';
  await must(http('POST', `${prefix}/${srLife.number}/${path}`, token, body), path);
}
const eventsPerSr = (await client.workflow.getHandle(srLife.caseId).fetchHistory()).events?.length ?? 0;
results.size = {
  historyEventsPerOrderLineLife: eventsPerLine,
  orderLineEventProfile: eventProfile,
  historyEventsPerSrLife: eventsPerSr,
  historyEventsForRefusedAction: refusedAfter - refusedBefore,
  refusedStatus: refused.status,
};

// ---- reads at scale (bench/reads.ts) ---------------------------------------------------------

// the book grows to each scale in turn; every list endpoint is timed at each (issue 16: 100k and 1M)
const readRows: [string, string, string, boolean, string][] = [];
const readFigures: unknown[] = [];
{
  let have = 0;
  for (const cases of READ_SCALES) {
    const { figures, rows: r } = await runReads(sql, (path, token) => must(http('GET', path, token), path), { customer, handler }, { have, cases, samples: QUICK ? 50 : 200 });
    have = cases;
    readFigures.push(figures);
    readRows.push(...r);
  }
}
results.reads = readFigures;

// ---- memory: worker RSS per open case ------------------------------------------------------

console.log('bench: worker RSS per open case…');
const memory: { openCases: number; rssDeltaMb: number; perCaseKb: number }[] = [];
let opened = 0;
global.gc?.();
const rssBase = process.memoryUsage().rss;
for (const target of OPEN_CASES) {
  const from = opened;
  await runCount(16, target - from, async (k) => {
    const i = from + k;
    await client.workflow.start('serviceRequestWorkflow', {
      taskQueue: config.taskQueue,
      workflowId: `bench-open-${process.pid}-${i}`,
      args: [
        {
          caseId: `bench-open-${process.pid}-${i}`,
          number: `SR-B${i}`,
          companyId: 'nordnett',
          actor: { username: 'ola.nordnett', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' },
          area: 'Other',
          subArea: 'Other',
          department: 'customer-service',
          reference: { kind: 'other', value: `BENCH-OPEN-${i}` },
          description: 'Benchmark open case',
          attachments: [],
          createdAt: new Date().toISOString(),
          timing: { autoCloseAfter: { calendarDays: 14 } },
        },
      ],
    });
  });
  opened = target;
  // let the worker run every first workflow task, then measure
  await new Promise((r) => setTimeout(r, QUICK ? 3000 : 10_000));
  global.gc?.();
  const delta = process.memoryUsage().rss - rssBase;
  memory.push({ openCases: target, rssDeltaMb: round(delta / 2 ** 20), perCaseKb: round(delta / target / 1024) });
}
results.memory = { note: 'RSS of the whole bench process (worker, API, clients) minus its size before opening cases', points: memory };

// ---- e-mail rendering ----------------------------------------------------------------------

const templates = await compileTemplates();
const renders: number[] = [];
for (let i = 0; i < 2000; i++) {
  const t0 = performance.now();
  renderStatusChange(
    templates,
    {
      caseType: 'order_line',
      caseId: 'order-line:ORD-000001:1',
      number: 'ORD-000001:1',
      status: 'Incomplete',
      previousStatus: 'Registered',
      changedBy: 'hanne.handler',
      changedAt: new Date().toISOString(),
      statusText: `Missing floor number ${i}`,
      refs: { customerOrderRef: `NN-${i}` },
    },
    i % 2 ? 'nb' : 'en',
    base,
  );
  renders.push(performance.now() - t0);
}
results.emailRenderMs = stats(renders);

// ---- report --------------------------------------------------------------------------------

const fp = results.fullPath as { maxOrdersPerSecond: number; submitRequestAt50Ms: { p99: number } };
const ceil = results.ceiling as { workflowsPerSecond: number; startRpcMs: { p99: number } };
const size = results.size as { historyEventsPerOrderLineLife: number; historyEventsForRefusedAction: number };
// an order submission starts two workflows (order and line): count workflows per second as the engine sees them
const R_thru = round((fp.maxOrdersPerSecond * 2) / ceil.workflowsPerSecond);
const R_lat = round(fp.submitRequestAt50Ms.p99 / ceil.startRpcMs.p99);
/** Why a target is missed, from profiling these phases (shown only for missed rows). */
const WHY: Record<string, string> = {
  R_thru:
    'an order submission is 3 API calls, 2 workflows, ~10 workflow tasks (create, availability Update, submit Update, child start, registration activity, signals to the order) against 1 task for a no-op; the dev server (one SQLite connection) serialises them',
  p99: 'the bare start RPC alone has this p99 on the dev server here (see R_lat): SQLite with one connection on a shared 2-core machine; the API adds validation, a transaction and an Update round trip on top',
  history:
    'every accepted action is an Update (accepted + completed events) in a workflow task (3 events), and one local-activity marker (the read-model row and the report to the order together) — instead of 3 activity events and a task; the floor with one Update per action is about 6 events per step',
  rss: 'RSS of the whole bench process (API, load generator, worker) after opening the cases: the first thousand also pays for heap growth and the workflow cache filling (the worker caches workflows by count); per case it falls as cases are added',
  render: 'MJML is compiled once at start; this is a string fill',
};
const rows: [string, string, string, boolean, string][] = [
  ['R_thru = full-path workflows/s ÷ ceiling workflows/s', String(R_thru), '≥ 0.5', R_thru >= 0.5, `${round((R_thru / 0.5) * 100, 0)} % of target: ${WHY.R_thru}`],
  ['R_lat = API submit p99 ÷ bare start-RPC p99', String(R_lat), '(ratio)', true, ''],
  [
    'API submit p99 at 50 % load',
    `${fp.submitRequestAt50Ms.p99} ms`,
    '≤ 50 ms',
    fp.submitRequestAt50Ms.p99 <= 50,
    `${round(fp.submitRequestAt50Ms.p99 / 50, 1)}× the target; bare start RPC p99 ${ceil.startRpcMs.p99} ms: ${WHY.p99}`,
  ],
  ...readRows,
  [
    'history events per order-line life',
    String(size.historyEventsPerOrderLineLife),
    '≤ 40',
    size.historyEventsPerOrderLineLife <= 40,
    `${round(size.historyEventsPerOrderLineLife / 40, 1)}× the target over 12 steps: ${WHY.history}`,
  ],
  ['history events for a refused action', String(size.historyEventsForRefusedAction), '0', size.historyEventsForRefusedAction === 0, 'Update validators reject before anything is written'],
  ...memory.map((m): [string, string, string, boolean, string] => [
    `worker RSS per open case at ${m.openCases}`,
    `${round(m.perCaseKb / 1024, 3)} MB`,
    '≤ 0.5 MB',
    m.perCaseKb / 1024 <= 0.5,
    `${round(m.perCaseKb / 1024 / 0.5, 2)}× the target: ${WHY.rss}`,
  ]),
  ['e-mail render from compiled template p99', `${(results.emailRenderMs as { p99: number }).p99} ms`, '≤ 2 ms', (results.emailRenderMs as { p99: number }).p99 <= 2, WHY.render!],
];
results.ratios = { R_thru, R_lat };
results.targets = rows.map(([what, value, target, met, why]) => ({ what, value, target, met, ...(met ? {} : { why }) }));
const md = [
  `# Benchmark ${results.date as string}${QUICK ? ' (quick)' : ''}`,
  '',
  `Ceiling ${ceil.workflowsPerSecond} no-op workflows/s; full path max ${fp.maxOrdersPerSecond} orders/s (2 workflows each).`,
  '',
  '| figure | measured | target | met | by how much, and why |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(([what, value, target, met, why]) => `| ${what} | ${value} | ${target} | ${met ? 'yes' : '**no**'} | ${met ? '' : why} |`),
  '',
  '```json',
  JSON.stringify(results, null, 2),
  '```',
].join('\n');
const outDir = join(PROJECT_ROOT, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const stamp = (results.date as string).replace(/[:.]/g, '-');
writeFileSync(join(outDir, `${stamp}.json`), JSON.stringify(results, null, 2));
writeFileSync(join(outDir, `${stamp}.md`), md);
console.log(`\n${md.split('```')[0]}\nwritten: bench/results/${stamp}.{json,md}`);

// ---- teardown ------------------------------------------------------------------------------

server.close();
worker.shutdown();
await workerDone;
await sql.end();
await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await admin.end();
await temporal.stop();
rmSync(dataDir, { recursive: true, force: true });
await Promise.allSettled([nativeConnection.close(), connection.close()]);
