// The bench's load generator, a process of its own (issue 16: never the process that serves the API):
// autocannon drives the order path through the HTTP API, each connection a closed loop of orders
//   create → availability → slots → technician booking (O-12) → submit
// chained by autocannon's request sequence (setupRequest builds each step from the previous answer).
// One order counts once: the orders/s figure is the count of submits answered 200, whatever the
// number of workflows a submission starts.
//
//   tsx bench/load.ts '<json LoadSpec>'   → prints one line `BENCH-LOAD <json LoadResult>`
import autocannon from 'autocannon';
import { round, type Stats, stats } from './measure';

export interface LoadSpec {
  /** base URL of one API process, or several (connections are shared out among them) */
  urls: string[];
  token: string;
  connections: number;
  seconds: number;
  requestedDate: string;
  /** makes the orders' references unique per run */
  tag: string;
}

export const STEPS = ['create', 'availability', 'slots', 'booking', 'submit'] as const;
type Step = (typeof STEPS)[number];

export interface LoadResult {
  connections: number;
  seconds: number;
  /** submits answered 200 */
  orders: number;
  /** submits answered 200 per second, in the steady state (after each connection's first order) */
  ordersPerSecond: number;
  /** one order from its create request to its submit's answer */
  orderMs: Stats;
  stepMs: Record<Step, Stats>;
  /** answers other than the expected ones, per step (status → count) */
  refused: Partial<Record<Step, Record<string, number>>>;
  /** submits without a booking: no free slot was offered */
  unbooked: number;
  requests: number;
  errors: number;
  timeouts: number;
}

/** Addresses with no line in their building (Kapaks: one green "NEW-…" answer for ADSL, zones 1–2), as in tests/support/orders.ts. */
const FREE = ['adr-0069', 'adr-0074', 'adr-0080', 'adr-0083', 'adr-0099', 'adr-0101', 'adr-0170', 'adr-0171', 'adr-0172', 'adr-0176', 'adr-0181'];

interface Ctx {
  t: number;
  orderStart: number;
  number?: string;
  slotId?: string;
  /** the booking step went straight to the submit (no slot offered) */
  submitInstead?: boolean;
}

function runOne(
  url: string,
  spec: LoadSpec,
  connections: number,
  seq: { next: number },
  into: Omit<LoadResult, 'connections' | 'seconds' | 'ordersPerSecond' | 'orderMs' | 'stepMs'> & { orderMs: number[]; stepMs: Record<Step, number[]>; doneAt: number[] },
) {
  const auth = { Authorization: `Bearer ${spec.token}` };
  // a JSON body says so; a request without one must not (the API refuses an empty JSON body)
  const json = { ...auth, 'Content-Type': 'application/json' };
  const refuse = (step: Step, status: number) => {
    const byStatus = (into.refused[step] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  };
  const took = (step: Step, c: Ctx) => into.stepMs[step].push(performance.now() - c.t);
  const path = (c: Ctx, rest: string) => `/v1/orders/${c.number}${rest}`;
  const submitted = (status: number, c: Ctx) => {
    took('submit', c);
    if (status === 200) {
      into.orders++;
      into.doneAt.push(performance.now());
      into.orderMs.push(performance.now() - c.orderStart);
    } else refuse('submit', status);
  };
  type Req = autocannon.Request;
  const skip = null as unknown as Req; // autocannon: a falsy request starts the sequence again (a new order)
  const requests: Req[] = [
    {
      method: 'POST',
      path: '/v1/orders',
      setupRequest: (req, context) => {
        const c = context as Ctx;
        const i = seq.next++;
        c.t = c.orderStart = performance.now();
        return {
          ...req,
          headers: json,
          body: JSON.stringify({
            orderType: 'Standard',
            productCode: 'JARA-ADSL-DELT',
            speedMbps: [2, 8, 16, 24][i % 4],
            requestedDate: spec.requestedDate,
            contact: { name: 'Kari Nordmann', phone: '91234567' },
            references: { customerOrderRef: `BENCH-${spec.tag}-${i}` },
            lines: [{ endUser: { kind: 'person', name: 'Siri Testesen', birthDate: '1985-05-05' }, address: { addressId: FREE[i % FREE.length] } }],
          }),
        };
      },
      onResponse: (status, body, context) => {
        const c = context as Ctx;
        took('create', c);
        if (status === 201) c.number = (JSON.parse(body) as { number: string }).number;
        else refuse('create', status);
      },
    },
    {
      method: 'POST',
      setupRequest: (req, context) => {
        const c = context as Ctx;
        if (!c.number) return skip;
        c.t = performance.now();
        return { ...req, path: path(c, '/lines/1/availability') };
      },
      onResponse: (status, _body, context) => {
        took('availability', context as Ctx);
        if (status !== 200) {
          refuse('availability', status);
          delete (context as Ctx).number;
        }
      },
    },
    {
      method: 'GET',
      setupRequest: (req, context) => {
        const c = context as Ctx;
        if (!c.number) return skip;
        c.t = performance.now();
        return { ...req, path: path(c, '/lines/1/slots') };
      },
      onResponse: (status, body, context) => {
        const c = context as Ctx;
        took('slots', c);
        if (status !== 200) return refuse('slots', status);
        // O-12: book where Kapaks allows it; connections pick among the first free slots so they rarely collide
        const items = (JSON.parse(body) as { items: Array<{ slotId: string }> }).items.slice(0, 2 * spec.connections);
        c.slotId = items.length > 0 ? items[Math.floor(Math.random() * items.length)]!.slotId : undefined;
      },
    },
    {
      method: 'POST',
      setupRequest: (req, context) => {
        const c = context as Ctx;
        if (!c.number) return skip;
        c.t = performance.now();
        if (c.slotId) return { ...req, path: path(c, '/lines/1/booking'), headers: json, body: JSON.stringify({ slotId: c.slotId }) };
        // no slot offered: O-12 asks for no booking, the order is submitted as it is
        c.submitInstead = true;
        into.unbooked++;
        return { ...req, path: path(c, '/submit'), body: '' };
      },
      onResponse: (status, _body, context) => {
        const c = context as Ctx;
        if (c.submitInstead) return submitted(status, c);
        took('booking', c);
        if (status !== 200) refuse('booking', status);
      },
    },
    {
      method: 'POST',
      setupRequest: (req, context) => {
        const c = context as Ctx;
        if (!c.number || c.submitInstead) return skip;
        c.t = performance.now();
        return { ...req, path: path(c, '/submit'), body: '' };
      },
      onResponse: (status, _body, context) => submitted(status, context as Ctx),
    },
  ];
  return autocannon({ url, connections, duration: spec.seconds, timeout: 60, headers: auth, requests });
}

/**
 * Orders/s in the steady state: no order completes during the first order time of a run, so from the
 * moment every connection has completed one (the `connections`-th completion) to the end.
 */
function steadyRate(doneAt: number[], connections: number, end: number, fallback: number): number {
  const sorted = [...doneAt].sort((a, b) => a - b);
  const from = sorted[connections - 1];
  const after = sorted.length - connections;
  return from === undefined || after < connections || end - from < 1000 ? fallback : after / ((end - from) / 1000);
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const into = {
    orders: 0,
    doneAt: [] as number[],
    orderMs: [] as number[],
    stepMs: Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Record<Step, number[]>,
    refused: {},
    unbooked: 0,
    requests: 0,
    errors: 0,
    timeouts: 0,
  };
  const seq = { next: 0 };
  // the connections shared out among the API processes (a load balancer's round robin)
  const share = spec.urls.map((_, k) => Math.floor(spec.connections / spec.urls.length) + (k < spec.connections % spec.urls.length ? 1 : 0)).filter((n) => n > 0);
  const t0 = performance.now();
  const runs = await Promise.all(share.map((n, k) => runOne(spec.urls[k]!, spec, n, seq, into)));
  const seconds = Math.max((performance.now() - t0) / 1000, ...runs.map((r) => r.duration));
  for (const r of runs) {
    into.requests += r.requests.total;
    into.errors += r.errors;
    into.timeouts += r.timeouts;
  }
  return {
    connections: spec.connections,
    seconds: round(seconds),
    orders: into.orders,
    ordersPerSecond: round(steadyRate(into.doneAt, spec.connections, t0 + seconds * 1000, into.orders / seconds)),
    orderMs: stats(into.orderMs),
    stepMs: Object.fromEntries(STEPS.map((s) => [s, stats(into.stepMs[s])])) as Record<Step, Stats>,
    refused: into.refused,
    unbooked: into.unbooked,
    requests: into.requests,
    errors: into.errors,
    timeouts: into.timeouts,
  };
}

if (process.argv[1] && (await import('node:url')).fileURLToPath(import.meta.url) === process.argv[1]) {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  console.log(`BENCH-LOAD ${JSON.stringify(await runLoad(spec))}`);
}
