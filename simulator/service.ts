// The operator systems' simulators as one service (issue 16): every API and worker process calls the
// same bookings, registrations and reservations over HTTP (adapters/remote.ts), and they survive a
// restart: after each call the system's state is written to PostgreSQL before the answer goes out (a
// booking the caller saw confirmed is never forgotten). Faults (latency, errors, time-outs, lost replies)
// are the simulators' own, settable at runtime through /admin/faults. Listens on loopback by default:
// it is a test double of the wholesaler's internal systems, not a public API.
//
//   tsx simulator/service.ts   (SIMULATOR_DATABASE_URL, SIMULATOR_PORT default 3090)
import { deserialize, serialize } from 'node:v8';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { z } from 'zod';
import { createSimulators, type FaultInjector, type Simulators } from '../adapters';
import { pgBillingSource } from '../db/billing-source';
import { decode, encode, toWireError } from '../adapters/wire';
import { connect, type Sql } from '../db/client';

/** Fields that hold a simulator's configuration rather than its state: not restored over a new start's settings. */
const CONFIG_FIELDS = new Set(['capacityPerSlot', 'backgroundLoad']);
type State = Record<string, unknown>;

/** A simulator's state: its own Maps, Sets and counters (its dependencies, fault injector and clock are not state). */
async function stateOf(simulator: object): Promise<State> {
  const out: State = {};
  for (const [key, value] of Object.entries(simulator)) {
    if (CONFIG_FIELDS.has(key)) continue;
    if (value instanceof Map || value instanceof Set || typeof value === 'number') out[key] = await freeze(value);
  }
  return out;
}

const SKIP = Symbol('pending');

/**
 * A serialisable copy: a settled promise (an idempotency store's remembered answer) becomes
 * `{ $resolved: value }`; an entry whose answer is still pending or failed is left out (its own call
 * writes the state again when it ends; a failed attempt is forgotten by the simulator anyway).
 */
async function freeze(value: unknown): Promise<unknown> {
  if (value instanceof Promise) {
    const settled = await Promise.race([
      value.then(
        (v: unknown) => ({ v }),
        () => SKIP,
      ),
      new Promise((r) => setTimeout(() => r(SKIP), 0)),
    ]);
    return settled === SKIP ? SKIP : { $resolved: await freeze((settled as { v: unknown }).v) };
  }
  if (value instanceof Map) {
    const out = new Map();
    for (const [k, v] of value) {
      const frozen = await freeze(v);
      if (frozen !== SKIP) out.set(k, frozen);
    }
    return out;
  }
  if (value instanceof Set) return new Set(value);
  if (Array.isArray(value)) return Promise.all(value.map(freeze));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const frozen = await freeze(v);
      if (frozen === SKIP) return SKIP;
      out[k] = frozen;
    }
    return out;
  }
  return value;
}

function thaw(value: unknown): unknown {
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, thaw(v)]));
  if (Array.isArray(value)) return value.map(thaw);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Set)) {
    if (Object.keys(value).length === 1 && '$resolved' in value) return Promise.resolve(thaw((value as { $resolved: unknown }).$resolved));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, thaw(v)]));
  }
  return value;
}

function restore(simulator: object, state: State): void {
  const target = simulator as Record<string, unknown>;
  for (const [key, raw] of Object.entries(state)) {
    const value = thaw(raw);
    const current = target[key];
    if (current instanceof Map && value instanceof Map) {
      current.clear();
      value.forEach((v, k) => current.set(k, v));
    } else if (current instanceof Set && value instanceof Set) {
      current.clear();
      value.forEach((v) => current.add(v));
    } else if (typeof current === 'number' && typeof value === 'number') {
      target[key] = value;
    }
  }
}

const FaultBody = z.strictObject({
  latencyMs: z.tuple([z.number().min(0), z.number().min(0)]).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  timeoutRate: z.number().min(0).max(1).optional(),
  timeoutMs: z.number().min(0).optional(),
  lostReplyRate: z.number().min(0).max(1).optional(),
});
const CallBody = z.strictObject({ args: z.array(z.unknown()).max(10) });

export interface SimulatorService {
  url: string;
  sims: Simulators;
  stop(): Promise<void>;
}

export async function startSimulatorService(options: { databaseUrl: string; port?: number; host?: string; env?: Record<string, string | undefined> }): Promise<SimulatorService> {
  const sql: Sql = connect(options.databaseUrl, { max: 4 });
  await sql`CREATE TABLE IF NOT EXISTS simulator_state (system text PRIMARY KEY, state bytea NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`;
  const sims = createSimulators(options.env ?? process.env);
  // the billing simulator bills from the month's provisioning records in the same database (M-3.1)
  sims.billing.useSource(pgBillingSource(sql));
  const systems = sims as unknown as Record<string, object & { faults?: FaultInjector }>;
  for (const row of await sql<{ system: string; state: Buffer }[]>`SELECT system, state FROM simulator_state`) {
    if (systems[row.system]) restore(systems[row.system]!, deserialize(row.state) as State);
  }
  // one write at a time per system, each of the state as it is then: a later write never loses to an earlier one
  const writes = new Map<string, Promise<void>>();
  const written = new Map<string, Buffer>();
  const persist = (system: string): Promise<void> => {
    const next = (writes.get(system) ?? Promise.resolve()).then(async () => {
      const bytes = serialize(await stateOf(systems[system]!));
      if (written.get(system)?.equals(bytes)) return;
      await sql`INSERT INTO simulator_state (system, state) VALUES (${system}, ${bytes}) ON CONFLICT (system) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`;
      written.set(system, bytes);
    });
    writes.set(
      system,
      next.catch(() => {}),
    );
    return next;
  };

  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok', systems: Object.keys(systems) }));
  app.get('/admin/faults', (c) => c.json(Object.fromEntries(Object.entries(systems).map(([name, s]) => [name, s.faults?.current]))));
  app.put('/admin/faults/:system', async (c) => {
    const system = systems[c.req.param('system')];
    if (!system?.faults) return c.json({ error: 'no such system' }, 404);
    const body = FaultBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ error: body.error.issues }, 400);
    try {
      system.faults.set(Object.fromEntries(Object.entries(body.data).filter(([, v]) => v !== undefined)));
    } catch (err) {
      return c.json({ error: err instanceof Error ? err.message : String(err) }, 400);
    }
    return c.json(system.faults.current);
  });
  app.post('/admin/faults/:system/reset', (c) => {
    const system = systems[c.req.param('system')];
    if (!system?.faults) return c.json({ error: 'no such system' }, 404);
    system.faults.reset();
    return c.json(system.faults.current);
  });
  app.post('/systems/:system/:operation', async (c) => {
    const name = c.req.param('system');
    const operation = c.req.param('operation');
    const system = systems[name];
    const method = system ? (system as Record<string, unknown>)[operation] : undefined;
    if (!system || typeof method !== 'function' || operation === 'constructor' || !Object.hasOwn(Object.getPrototypeOf(system) as object, operation)) {
      return c.body(encode({ error: { kind: 'rejected', system: name, operation, reason: 'no such operation' } }), 404, { 'Content-Type': 'application/json' });
    }
    let args: unknown[];
    try {
      args = CallBody.parse(decode<unknown>(await c.req.text())).args;
    } catch {
      return c.body(encode({ error: { kind: 'rejected', system: name, operation, reason: 'the body must be {"args": [...]}' } }), 400, { 'Content-Type': 'application/json' });
    }
    try {
      const result: unknown = await (method as (...a: unknown[]) => unknown).apply(system, args);
      await persist(name);
      return c.body(encode({ result }), 200, { 'Content-Type': 'application/json' });
    } catch (err) {
      await persist(name); // a lost reply took effect: keep it
      const wire = toWireError(err, name, operation);
      if (!wire) throw err;
      const status = wire.kind === 'rejected' ? 422 : wire.kind === 'timeout' ? 504 : 503;
      return c.body(encode({ error: wire }), status, { 'Content-Type': 'application/json' });
    }
  });

  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    sims,
    async stop() {
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      await Promise.all([...writes.values()]);
      await sql.end({ timeout: 5 });
    },
  };
}

if (process.argv[1] && (await import('node:url')).fileURLToPath(import.meta.url) === process.argv[1]) {
  const databaseUrl = process.env.SIMULATOR_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error('the simulator service needs SIMULATOR_DATABASE_URL (or DATABASE_URL) for its state');
    process.exit(2);
  }
  const service = await startSimulatorService({ databaseUrl, port: Number(process.env.SIMULATOR_PORT ?? 3090), host: process.env.SIMULATOR_HOST ?? '127.0.0.1' });
  console.log(`simulators: listening on ${service.url}`);
  const stop = async () => {
    await service.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
