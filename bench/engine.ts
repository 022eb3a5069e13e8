// The engine figures of issue 16, measured on one profile (bench/profiles.ts): the ceiling (no-op
// workflow completions/s), the order path through the API under load from a separate process
// (bench/load.ts, autocannon) with one and with two worker processes, R_thru, the submit p99 against
// the bare start-RPC p99, an action on cases no worker has cached, and worker memory per cached case
// read from a worker process of its own.
import { spawn } from 'node:child_process';
import protoPackage from '@temporalio/proto';
import { caseId } from '../domain/case';
import { orderLineNumber } from '../domain/order';
import { DEFAULT_CACHED_WORKFLOWS } from '../worker';
import type { LoadResult, LoadSpec } from './load';
import { closedLoop, cpuByPart, cpuSpent, round, runCount, sleep, type Stats, stats, timed } from './measure';
import { PROJECT_ROOT } from '../scripts/temporal';
import { type Profile, rssOf } from './profiles';

export interface EngineOptions {
  quick: boolean;
  seconds: number;
  customerToken: string;
  handlerToken: string;
  requestedDate: string;
  log: (message: string) => void;
}

/** Runs the load generator as a process of its own and returns what it measured. */
export async function runLoadProcess(spec: LoadSpec): Promise<LoadResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', JSON.stringify(spec)], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const line = out.split('\n').find((l) => l.startsWith('BENCH-LOAD '));
  if (code !== 0 || !line) throw new Error(`bench/load.ts failed (${code}):\n${out.slice(-3000)}`);
  return JSON.parse(line.slice('BENCH-LOAD '.length)) as LoadResult;
}

async function api(base: string, method: string, path: string, token: string, json?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

export interface ThroughputPoint {
  connections: number;
  ordersPerSecond: number;
  submitMs: Stats;
  orderMs: Stats;
  /** each request of the order path (where an order's time goes) */
  stepMs: LoadResult['stepMs'];
  refused: LoadResult['refused'];
  /** CPU ms each part of the stack spent per order in this step (bench/measure.ts cpuByPart; the load generator is "load") */
  cpuMsPerOrder?: Record<string, number>;
}

export interface EngineResult {
  layout: string;
  apiProcesses: number;
  defaultWorkers: number;
  ceiling: Record<'oneWorker' | 'twoWorkers', { workflowsPerSecond: number; concurrency: number; cpuMsPerWorkflow: Record<string, number> }>;
  startRpcMs: Stats;
  fullPath: {
    oneWorker: ThroughputPoint[];
    twoWorkers: ThroughputPoint[];
    maxOrdersPerSecond: { oneWorker: number; twoWorkers: number };
    lineStatuses: Record<string, number>;
    engineWork: Record<string, number>;
  };
  /** R_thru per worker count: the best orders/s ÷ the no-op ceiling with the same workers on the same server */
  rThru: { oneWorker: number; twoWorkers: number; profileDefault: number };
  /** the submit p99 at the step nearest half the maximum throughput (one worker), ÷ the bare start-RPC p99 */
  rLat: { value: number; submitP99Ms: number; atConnections: number; atOrdersPerSecond: number; startRpcP99Ms: number };
  uncached: { cases: number; cachedTakeMs: Stats; uncachedTakeMs: Stats; how: string };
  memory: { cacheSize: number; baselineCases: number; baselineRssMb: number; points: { cachedCases: number; rssMb: number; perCaseKb: number }[]; how: string };
}

const point = (r: LoadResult): ThroughputPoint => ({
  connections: r.connections,
  ordersPerSecond: r.ordersPerSecond,
  submitMs: r.stepMs.submit,
  orderMs: r.orderMs,
  stepMs: r.stepMs,
  refused: r.refused,
});

export async function measureEngine(p: Profile, o: EngineOptions): Promise<EngineResult> {
  const { log, seconds } = o;
  const tag = `${p.name}-${process.pid}`;
  let loadRun = 0;
  const load = (connections: number, secs = seconds) =>
    runLoadProcess({ urls: p.apiUrls, token: o.customerToken, connections, seconds: secs, requestedDate: o.requestedDate, tag: `${tag}-${loadRun++}` });
  let noop = 0;
  const ceilingConcurrency = 16;
  const ceiling = async () => {
    const cpu0 = cpuByPart();
    const r = await closedLoop(ceilingConcurrency, seconds, async () => {
      await p.client.workflow.execute('noopWorkflow', { taskQueue: p.taskQueue, workflowId: `bench-noop-${tag}-${noop++}` });
    });
    return { workflowsPerSecond: round(r.perSecond), concurrency: ceilingConcurrency, cpuMsPerWorkflow: cpuSpent(cpu0, cpuByPart(), r.latencies.length) };
  };

  // warm-up (not recorded): the worker loads its bundle, the API its modules, the server its caches
  log(`bench[${p.name}]: warm-up…`);
  await closedLoop(4, 2, async () => {
    await p.client.workflow.execute('noopWorkflow', { taskQueue: p.taskQueue, workflowId: `bench-noop-${tag}-${noop++}` });
  });
  await load(2, 3);

  log(`bench[${p.name}]: ceiling with one worker process (no-op workflow start → result)…`);
  await p.setWorkers(1);
  const ceilingOne = await ceiling();
  const startRpc: number[] = [];
  await closedLoop(4, Math.max(3, seconds / 3), async () => {
    await timed(() => p.client.workflow.start('noopWorkflow', { taskQueue: p.taskQueue, workflowId: `bench-noop-${tag}-${noop++}` }), startRpc);
  });

  log(`bench[${p.name}]: order path over HTTP (autocannon in its own process), one worker, stepped connections…`);
  const oneWorker: ThroughputPoint[] = [];
  for (const connections of o.quick ? [1, 4, 16] : [1, 2, 4, 8, 16]) {
    const cpu0 = cpuByPart();
    const r = await load(connections);
    oneWorker.push({ ...point(r), cpuMsPerOrder: cpuSpent(cpu0, cpuByPart(), r.orders) });
    log(
      `bench[${p.name}]:   ${connections} connections: ${r.ordersPerSecond} orders/s, submit p99 ${r.stepMs.submit.p99} ms${Object.keys(r.refused).length ? `, refused ${JSON.stringify(r.refused)}` : ''}`,
    );
  }
  const maxOne = Math.max(...oneWorker.map((s) => s.ordersPerSecond));
  const best = oneWorker.find((s) => s.ordersPerSecond === maxOne)!;

  log(`bench[${p.name}]: two worker processes: ceiling and order path…`);
  await p.setWorkers(2);
  const ceilingTwo = await ceiling();
  const twoWorkers: ThroughputPoint[] = [];
  for (const connections of [best.connections, Math.min(32, best.connections * 2)]) {
    const r = await load(connections);
    twoWorkers.push(point(r));
    log(`bench[${p.name}]:   ${connections} connections: ${r.ordersPerSecond} orders/s`);
  }
  const maxTwo = Math.max(...twoWorkers.map((s) => s.ordersPerSecond));
  const engineWork = await engineWorkPerOrder(p);
  // what the submitted lines became: O-19 holds a line as a Duplicate (no registration) when another open
  // order has the same address, product and speed — the load rotates through few free addresses
  const lineStatuses = Object.fromEntries(
    (await p.sql<{ status: string; n: string }[]>`SELECT status, count(*) AS n FROM cases WHERE case_type = 'order_line' GROUP BY status ORDER BY 2 DESC`).map((r) => [r.status, Number(r.n)]),
  );

  // the submit at about half load: the step whose throughput is nearest half the maximum,
  // on the rising side of the curve (past the maximum, throughput falls again under overload)
  const rising = oneWorker.filter((s) => s.connections <= best.connections && s.submitMs.n > 0);
  const half = rising.length > 0 ? rising.reduce((a, b) => (Math.abs(b.ordersPerSecond - maxOne / 2) < Math.abs(a.ordersPerSecond - maxOne / 2) ? b : a)) : best;
  const startRpcMs = stats(startRpc);

  log(`bench[${p.name}]: an action on cases no worker has cached…`);
  const base = p.apiUrls[0]!;
  const cases = o.quick ? 30 : 100;
  const numbers: string[] = [];
  await runCount(4, 2 * cases, async (i) => {
    const sr = await api(base, 'POST', '/v1/service-requests', o.customerToken, {
      area: 'Other',
      subArea: 'Other',
      reference: { kind: 'other', value: `BENCH-C-${tag}-${i}` },
      description: 'Benchmark: an action before and after the workers restart',
    });
    await api(base, 'POST', `/v1/service-requests/${sr.number as string}/submit`, o.customerToken);
    numbers.push(sr.number as string);
  });
  const cachedTake: number[] = [];
  for (const n of numbers.slice(0, cases)) await timed(() => api(base, 'POST', `/v1/handler/service-requests/${n}/take`, o.handlerToken), cachedTake);
  // fresh worker processes: every cache empty, the other cases are replayed from their histories when touched
  await p.setWorkers(p.defaultWorkers, { fresh: true });
  await sleep(2000);
  const uncachedTake: number[] = [];
  for (const n of numbers.slice(cases)) await timed(() => api(base, 'POST', `/v1/handler/service-requests/${n}/take`, o.handlerToken), uncachedTake);

  log(`bench[${p.name}]: worker memory per cached case (RSS of a worker process of its own)…`);
  const openCases = o.quick ? [200, 1000] : [500, 1000];
  const cacheSize = openCases.at(-1)! + 500;
  // one fresh worker that caches every case opened below; the RSS is its own, read from /proc
  const [worker] = await p.setWorkers(1, { fresh: true, env: { WORKER_CACHED_WORKFLOWS: String(cacheSize) } });
  const pid = worker!.pid()!;
  let opened = 0;
  const open = async (target: number) => {
    const from = opened;
    await runCount(16, target - from, async (k) => {
      const i = from + k;
      await p.client.workflow.start('serviceRequestWorkflow', {
        taskQueue: p.taskQueue,
        workflowId: `bench-open-${tag}-${i}`,
        args: [
          {
            caseId: `bench-open-${tag}-${i}`,
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
    // every first workflow task done (the case is in the cache), then the RSS settles
    await waitForCompletedTasks(p, tag, target);
    await sleep(o.quick ? 2000 : 5000);
    return rssOf(pid);
  };
  const baselineCases = 100;
  const baseline = await open(baselineCases);
  const points: EngineResult['memory']['points'] = [];
  for (const target of openCases) {
    const rss = await open(target);
    points.push({ cachedCases: target, rssMb: round(rss / 2 ** 20), perCaseKb: round((rss - baseline) / (target - baselineCases) / 1024) });
  }
  await p.setWorkers(p.defaultWorkers, { fresh: true });

  const rThru = { oneWorker: round(maxOne / ceilingOne.workflowsPerSecond), twoWorkers: round(maxTwo / ceilingTwo.workflowsPerSecond) };
  return {
    layout: p.layout,
    apiProcesses: p.apiUrls.length,
    defaultWorkers: p.defaultWorkers,
    ceiling: { oneWorker: ceilingOne, twoWorkers: ceilingTwo },
    startRpcMs,
    fullPath: { oneWorker, twoWorkers, maxOrdersPerSecond: { oneWorker: maxOne, twoWorkers: maxTwo }, lineStatuses, engineWork },
    rThru: { ...rThru, profileDefault: p.defaultWorkers === 1 ? rThru.oneWorker : rThru.twoWorkers },
    rLat: { value: round(half.submitMs.p99 / startRpcMs.p99), submitP99Ms: half.submitMs.p99, atConnections: half.connections, atOrdersPerSecond: half.ordersPerSecond, startRpcP99Ms: startRpcMs.p99 },
    uncached: {
      cases,
      cachedTakeMs: stats(cachedTake),
      uncachedTakeMs: stats(uncachedTake),
      how: `handler "take" on ${cases} submitted service requests while cached, then on ${cases} others after every worker process was replaced by a fresh one (empty caches: each case is replayed from its history)`,
    },
    memory: {
      cacheSize,
      baselineCases,
      baselineRssMb: round(baseline / 2 ** 20),
      points,
      how: `RSS (/proc) of one worker process of its own, cache sized to ${cacheSize} (the product default is ${DEFAULT_CACHED_WORKFLOWS}), after opening N service-request cases that each wait on their timers, minus its RSS with ${baselineCases} cases open`,
    },
  };
}

const { EventType } = protoPackage.temporal.api.enums.v1;
const COUNTED: Record<string, number[]> = {
  workflowTasks: [EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED],
  updates: [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED],
  localActivityBatches: [EventType.EVENT_TYPE_MARKER_RECORDED],
  activities: [EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED],
  childStarts: [EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED],
  signals: [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED],
  events: [],
};
/**
 * The engine's work for one order of the load (the last one submitted, its order and line workflows),
 * counted from their histories: a no-op workflow is one start and one workflow task.
 */
async function engineWorkPerOrder(p: Profile): Promise<Record<string, number>> {
  const [row] = await p.sql<{ number: string }[]>`SELECT number FROM cases WHERE case_type = 'order' AND status <> 'New' ORDER BY updated_at DESC LIMIT 1`;
  if (!row) return {};
  await sleep(2000); // its line's registration done
  const counts: Record<string, number> = Object.fromEntries(Object.keys(COUNTED).map((k) => [k, 0]));
  for (const workflowId of [caseId('order', row.number), caseId('order_line', orderLineNumber(row.number, 1))]) {
    const events = (await p.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    counts.events! += events.length;
    for (const e of events) for (const [k, types] of Object.entries(COUNTED)) if (types.includes(e.eventType ?? 0)) counts[k]!++;
  }
  return counts;
}

/** Waits until every opened case has run its first workflow task and projected its row (it then waits on its timer, cached by the worker). */
async function waitForCompletedTasks(p: Profile, tag: string, count: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const [row] = await p.sql<{ n: string }[]>`SELECT count(*) AS n FROM cases WHERE case_id LIKE ${`bench-open-${tag}-%`}`;
    if (Number(row?.n ?? 0) >= count) return;
    await sleep(500);
  }
  throw new Error(`the worker did not run the first task of ${count} opened cases within 5 minutes`);
}
