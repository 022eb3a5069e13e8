// Records the history corpus (tests/histories/): drives one case of every workflow type into each
// state worth keeping through the public API of a throw-away stack (a Temporal dev server in memory,
// a fresh migrated and seeded database on the local PostgreSQL, the product's worker and API), then
// exports each workflow's history in Temporal's JSON format. Cases live for weeks (S-9, O-20, I-5,
// T-2, the 90-day price validity), so tests/integration/history-corpus.test.ts replays these files
// against the current workflow code: a deploy must not break the open ones.
//
//   npm run histories:record            (TEST_DATABASE_URL: the admin connection, as for the tests)
//   npm run histories:record -- --add   (only add histories the corpus lacks; the recorded ones stay)
//
// Open cases run with the production durations (their timers stay pending, as in a real open case);
// cases that end by a timer run on a second API whose durations are a second or two.
import '@hono/zod-openapi'; // first: zod gains .openapi() before any domain schema is built
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '../tests/support/history-json';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createSimulators } from '../adapters';
import { NRDB_EXAMPLES } from '../adapters/nrdb';
import { ADDRESS_EXAMPLES } from '../adapters';
import { createApp } from '../api/app';
import type { AppConfig } from '../api/context';
import { createTemporalClient } from '../api/temporal-client';
import { connect } from '../db/client';
import { migrate } from '../db/migrate';
import { seedPortfolioRows } from '../db/portfolio-seed';
import { seed } from '../db/seed';
import { RULE_DURATIONS, SESSION_IDLE_TIMEOUT_MS } from '../domain/durations';
import { nextPeriod, periodOf, periodStart, previousPeriod } from '../domain/invoice';
import { ADMIN_DATABASE_URL, databaseUrl, TEST_PASSWORD } from '../tests/support/env';
import { advanceTo, createOrder, draftBody, handlerStep, lineOf, ok, readyOrder, submittedOrder } from '../tests/support/orders';
import { LINES } from '../adapters/lines';
import { daysAhead, switchables } from '../tests/support/portfolio';
import { createSr, srAction, type Tokens } from '../tests/support/service-requests';
import { faultyProduct, ticketBody } from '../tests/support/trouble-tickets';
import type { ApiResponse, Stack } from '../tests/support/stack';
import { eventually } from '../tests/support/eventually';
import { bundleWorkflows, createWorker } from '../worker';
import { freePort, loadDevConfig, PROJECT_ROOT, startTemporalDevServer } from './temporal';

const CORPUS_DIR = join(PROJECT_ROOT, 'tests', 'histories');
const SHORT_MS = 1500;
const log = (message: string) => console.log(`[histories] ${message}`);
/** `--add`: record every scenario but only add files the corpus lacks (new workflow types or states), keeping the recorded ones. */
const ADD_ONLY = process.argv.includes('--add');

/** What is being recorded, for the error message when a scenario fails (the API changed, a workflow refuses). */
let section = 'setup';

/** One recorded history: tests/histories/<workflowType>/<state>.json */
interface Recorded {
  workflowId: string;
  workflowType: string;
  state: string;
  description: string;
  open: boolean;
}

async function main(): Promise<void> {
  const started = Date.now();
  Runtime.install({ logger: new DefaultLogger('WARN') }); // no worker state chatter
  const databaseName = `samband_histories_${process.pid}`;
  const admin = connect(ADMIN_DATABASE_URL, { max: 1 });
  log('starting a Temporal dev server, bundling the workflows, preparing a database…');
  const [server, bundle] = await Promise.all([
    startTemporalDevServer({ persist: false, headless: true, port: await freePort(), log: () => {} }),
    bundleWorkflows(),
    (async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      await admin.unsafe(`CREATE DATABASE ${databaseName}`);
    })(),
  ]);
  const sql = connect(databaseUrl(databaseName), { max: 5 });
  const staging = `${CORPUS_DIR}.recording-${process.pid}`;
  let nativeConnection: NativeConnection | undefined;
  let connection: Connection | undefined;
  let stopWorker: (() => Promise<void>) | undefined;
  try {
    await migrate(sql);
    await seed(sql, TEST_PASSWORD);
    const dev = loadDevConfig();
    const taskQueue = 'histories';
    nativeConnection = await NativeConnection.connect({ address: server.address });
    const sims = createSimulators({});
    const worker = await createWorker({ connection: nativeConnection, namespace: dev.server.namespace, taskQueue, workflowBundle: bundle, deps: { sql, adapters: sims } });
    const running = worker.run();
    stopWorker = async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    };
    connection = await Connection.connect({ address: server.address });
    const client = createTemporalClient(connection, dev.server.namespace);

    // two APIs on the same worker and database: production durations, and short ones for the cases that end by a timer
    const stackWith = (timings: Partial<AppConfig['timings']>): Stack => {
      const config: AppConfig = { namespace: dev.server.namespace, taskQueue, sessionIdleMs: SESSION_IDLE_TIMEOUT_MS, timings: { ...RULE_DURATIONS, ...timings } };
      const app = createApp({ sql, temporal: client, adapters: sims, config });
      const api = async <T>(method: string, path: string, opts: { token?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> => {
        const headers: Record<string, string> = { ...opts.headers };
        if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
        if (opts.json !== undefined) headers['Content-Type'] = 'application/json';
        const res = await app.request(path, { method, headers, ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : {}) });
        const text = await res.text();
        return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
      };
      return {
        sql,
        client,
        sims,
        config,
        databaseName,
        databaseUrl: databaseUrl(databaseName),
        api,
        fetch: async (input, init) => app.request(input instanceof URL ? input.href : input, init),
        async login(username) {
          const res = await api<{ token: string }>('POST', '/v1/auth/login', { json: { username, password: TEST_PASSWORD } });
          if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
          return res.body.token;
        },
        async stop() {},
      };
    };
    const prod = stackWith({});
    const short = stackWith({
      serviceRequestAutoClose: { ms: SHORT_MS },
      orderAutoCancel: { ms: SHORT_MS },
      quotePriceValidity: { ms: SHORT_MS },
      switchIspExecution: { ms: SHORT_MS },
      terminationExecution: { ms: SHORT_MS },
      troubleTicketAutoClose: { ms: SHORT_MS },
      troubleTicketRepairHour: { ms: 50 },
    });

    const recorded = await record(prod, short);
    log(`${recorded.length} cases driven in ${Math.round((Date.now() - started) / 1000)} s; exporting their histories…`);

    // write into a fresh folder and swap it in only when everything succeeded
    section = 'the export of the histories';
    rmSync(staging, { recursive: true, force: true });
    for (const r of recorded) {
      const handle = client.workflow.getHandle(r.workflowId);
      await settled(client, r.workflowId);
      const description = await handle.describe();
      if (description.type !== r.workflowType) throw new Error(`${r.workflowId} is a ${description.type}, expected ${r.workflowType}`);
      const status = description.status.name;
      if (r.open !== (status === 'RUNNING')) throw new Error(`${r.workflowType}/${r.state} (${r.workflowId}) is ${status}, expected ${r.open ? 'RUNNING' : 'closed'}`);
      const history = await handle.fetchHistory();
      mkdirSync(join(staging, r.workflowType), { recursive: true });
      writeFileSync(join(staging, r.workflowType, `${r.state}.json`), `${historyToJSON(history)}\n`);
    }
    const manifest = {
      about: 'Recorded histories replayed by tests/integration/history-corpus.test.ts; re-record with `npm run histories:record` (scripts/record-histories.ts).',
      recordedAt: new Date().toISOString(),
      histories: [...recorded]
        .sort((a, b) => `${a.workflowType}/${a.state}`.localeCompare(`${b.workflowType}/${b.state}`))
        .map((r) => ({ file: `${r.workflowType}/${r.state}.json`, workflowId: r.workflowId, workflowType: r.workflowType, open: r.open, description: r.description })),
    };
    writeFileSync(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // what we wrote must read back and replay with the code that recorded it
    const written = recorded.map((r) => ({
      workflowId: r.workflowId,
      history: historyFromJSON(JSON.parse(readFileSync(join(staging, r.workflowType, `${r.state}.json`), 'utf8'))),
    }));
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, written)) {
      if (result.error) throw new Error(`${result.workflowId} does not replay with the code that recorded it: ${result.error.message}`);
    }
    if (ADD_ONLY) {
      // keep every recorded file (they prove that earlier code's cases still replay); add the new ones
      const kept = JSON.parse(readFileSync(join(CORPUS_DIR, 'manifest.json'), 'utf8')) as typeof manifest;
      const known = new Set(kept.histories.map((h) => h.file));
      const added = manifest.histories.filter((h) => !known.has(h.file) && !existsSync(join(CORPUS_DIR, h.file)));
      for (const h of added) {
        mkdirSync(join(CORPUS_DIR, h.workflowType), { recursive: true });
        copyFileSync(join(staging, h.file), join(CORPUS_DIR, h.file));
      }
      kept.histories = [...kept.histories, ...added].sort((a, b) => a.file.localeCompare(b.file));
      writeFileSync(join(CORPUS_DIR, 'manifest.json'), `${JSON.stringify(kept, null, 2)}\n`);
      log(`--add: ${added.length} new histories added (${added.map((h) => h.file).join(', ') || 'none'}); existing files kept`);
      return;
    }
    rmSync(CORPUS_DIR, { recursive: true, force: true });
    renameSync(staging, CORPUS_DIR);
    const types = readdirSync(CORPUS_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    log(`wrote ${recorded.length} histories (${recorded.filter((r) => r.open).length} open) of ${types.length} workflow types to tests/histories in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    await stopWorker?.();
    await nativeConnection?.close();
    await connection?.close();
    await sql.end({ timeout: 5 });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  }
}

/** Waits until the workflow has nothing in flight (no activity, no workflow task) and its history stops growing. */
async function settled(client: Stack['client'], workflowId: string): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  let previous = -1;
  for (let attempt = 0; attempt < 300; attempt++) {
    const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
    const length = history.events?.length ?? 0;
    const idle = (description.raw.pendingActivities?.length ?? 0) === 0 && !description.raw.pendingWorkflowTask;
    if (idle && length === previous) return;
    previous = idle ? length : -1;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`history of ${workflowId} did not settle`);
}

async function record(prod: Stack, short: Stack): Promise<Recorded[]> {
  const out: Recorded[] = [];
  const add = (workflowType: string, state: string, workflowId: string, open: boolean, description: string) => {
    out.push({ workflowType, state, workflowId, open, description });
  };
  const tokens: Tokens = { customer: await prod.login('ola.nordnett'), handler: await prod.login('hanne.handler') };
  const { customer: ola, handler } = tokens;
  const closedStatus = (stack: Stack, workflowId: string) =>
    eventually(
      async () => {
        const d = await stack.client.workflow.getHandle(workflowId).describe();
        return d.status.name !== 'RUNNING' ? d.status.name : undefined;
      },
      30_000,
      `${workflowId} to close`,
    );

  // ---- service requests (S-7, S-9)
  section = 'service requests (S-7, S-9)';
  const srSteps = async (stack: Stack, state: string, open: boolean, description: string, actions: string[], body: Record<string, unknown> = {}) => {
    const sr = await createSr(stack, ola, body);
    for (const action of actions) {
      const res = await srAction(stack, tokens, sr.number, action);
      if (res.status !== 200) throw new Error(`SR ${action} on ${sr.number}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    add('serviceRequestWorkflow', state, sr.caseId, open, description);
    return sr;
  };
  await Promise.all([
    srSteps(prod, 'new-waiting-auto-close', true, 'New (started, never sent): the S-9 14-day auto-close timer is pending', []),
    srSteps(prod, 'submitted', true, 'Submitted, waiting for the wholesaler (no timer)', ['submit']),
    srSteps(prod, 'incomplete', true, 'Submitted → In Process → Incomplete: waiting for the customer', ['submit', 'take', 'requestInfo']),
    srSteps(prod, 'incomplete-loop-resubmitted', true, 'Incomplete loop: Incomplete → updated → Submitted again → In Process', ['submit', 'take', 'requestInfo', 'update', 'submit', 'take']),
    srSteps(prod, 'completed-waiting-auto-close', true, 'Completed: the S-9 auto-close timer is pending', ['submit', 'take', 'complete']),
    srSteps(short, 'cancelled', false, 'Cancelled by the customer (terminal)', ['submit', 'cancel']),
    (async () => {
      const sr = await srSteps(short, 'auto-closed', false, 'New, closed automatically by the S-9 timer (short duration)', []);
      await closedStatus(short, sr.caseId);
    })(),
  ]);

  // ---- quotes (Q-1…Q-12)
  section = 'quotes (Q-1…Q-12)';
  const [A, B] = ADDRESS_EXAMPLES.zone1Pair;
  const createQuote = async (stack: Stack, lines: Array<Record<string, unknown>>) =>
    ok<{ number: string; caseId: string }>(stack.api('POST', '/v1/quotes', { token: ola, json: { customerReference: 'Corpus', lines } }), 201);
  const eth = { productCode: 'SAMB-ETH', speedMbps: 10, addressAId: A, addressBId: B };
  await Promise.all([
    (async () => {
      const q = await createQuote(prod, [eth]);
      add('quoteWorkflow', 'draft', q.caseId, true, 'New quote with one line, not submitted');
    })(),
    (async () => {
      const q = await createQuote(prod, [eth, { ...eth, speedMbps: 34 }]);
      await ok(prod.api('POST', `/v1/quotes/${q.number}/submit`, { token: ola, json: {} }));
      add('quoteWorkflow', 'priced-waiting-expiry', q.caseId, true, 'Submitted and priced automatically (Completed lines): the 90-day price validity timer is pending');
    })(),
    (async () => {
      const q = await createQuote(prod, [{ productCode: 'MORK-FIBER', addressAId: A, addressBId: B }, eth]);
      await ok(prod.api('POST', `/v1/quotes/${q.number}/submit`, { token: ola, json: { confirmManualPricing: [1] } }));
      await ok(prod.api('POST', `/v1/handler/quotes/${q.number}/lines/1/take`, { token: handler }));
      add('quoteWorkflow', 'manual-pricing-in-process', q.caseId, true, 'Submitted: line 1 in manual pricing (In Process with a handler, Q-8), line 2 priced and waiting on expiry');
    })(),
    (async () => {
      const q = await createQuote(short, [eth]);
      await ok(short.api('POST', `/v1/quotes/${q.number}/submit`, { token: ola, json: {} }));
      add('quoteWorkflow', 'expired', q.caseId, false, 'Priced, then Expired by the price validity timer (short duration); every line final, workflow completed');
      await closedStatus(short, q.caseId);
    })(),
    (async () => {
      // the order-from-quote saga never waits on a person or a timer: its completed history is the representative one
      const q = await createQuote(prod, [eth, { ...eth, speedMbps: 2 }]);
      await ok(prod.api('POST', `/v1/quotes/${q.number}/submit`, { token: ola, json: {} }));
      await ok(prod.api('POST', '/v1/orders/from-quote', { token: ola, json: { quoteNumber: q.number } }), 201);
      const saga = await eventually(
        async () => {
          for await (const wf of prod.client.workflow.list({ query: `WorkflowType = 'orderFromQuoteWorkflow' AND WorkflowId STARTS_WITH 'order-from-quote:${q.number}:'` })) return wf.workflowId;
          return undefined;
        },
        30_000,
        `the order-from-quote saga of ${q.number}`,
      );
      add('orderFromQuoteWorkflow', 'completed', saga, false, 'Order All Line Items on a priced quote: both lines reserved, two orders made, reservations confirmed');
      await closedStatus(prod, saga);
    })(),
    (async () => {
      // Q-12 (issue 13): Order All Line Items puts every Completed line of one product and speed into ONE order
      const q = await createQuote(prod, [eth, { ...eth, addressBId: ADDRESS_EXAMPLES.zone1Pair[0], addressAId: 'adr-0005' }]);
      await ok(prod.api('POST', `/v1/quotes/${q.number}/submit`, { token: ola, json: {} }));
      await ok(prod.api('POST', '/v1/orders/from-quote', { token: ola, json: { quoteNumber: q.number } }), 201);
      const saga = await eventually(
        async () => {
          for await (const wf of prod.client.workflow.list({ query: `WorkflowType = 'orderFromQuoteWorkflow' AND WorkflowId STARTS_WITH 'order-from-quote:${q.number}:'` })) return wf.workflowId;
          return undefined;
        },
        30_000,
        `the order-from-quote saga of ${q.number}`,
      );
      add('orderFromQuoteWorkflow', 'completed-one-order', saga, false, 'Order All Line Items (Q-12): both lines reserved for one Project order, the order made once, reservations confirmed');
      await closedStatus(prod, saga);
    })(),
    (async () => {
      // Q-10 (issue 13): one line priced, one awaiting manual-pricing confirmation: the header is not New
      const q = await createQuote(prod, [eth, { ...eth, speedMbps: 34, addressBId: 'adr-0006' }]);
      await ok(prod.api('POST', `/v1/quotes/${q.number}/submit`, { token: ola, json: {} }));
      add('quoteWorkflow', 'priced-beside-unconfirmed-manual', q.caseId, true, 'Submitted: line 1 priced (Completed), line 2 New awaiting manual-pricing confirmation (Q-8); header Completed (Q-10)');
    })(),
  ]);

  // ---- orders and order lines (O-1…O-20, C-1…C-6)
  section = 'orders and order lines (O-1…O-20, C-1…C-6)';
  const lineStatus = (stack: Stack, number: string, status: string) =>
    eventually(
      async () => {
        const line = (await lineOf(stack, ola, number)).body as { status: string };
        return line.status === status ? line : undefined;
      },
      30_000,
      `${number}:1 ${status}`,
    );
  const lineId = (number: string) => `order-line:${number}:1`;
  // sequential: the order helpers hand out fresh addresses from a shared counter and O-19 compares open orders
  {
    const o = await readyOrder(prod, ola);
    add('orderWorkflow', 'draft-waiting-auto-cancel', o.caseId, true, 'New draft, availability checked, never submitted: the O-20 14-day auto-cancel timer is pending');
  }
  {
    const o = await readyOrder(short, ola);
    add('orderWorkflow', 'auto-cancelled', o.caseId, false, 'New draft cancelled by the O-20 timer (short duration)');
    await closedStatus(short, o.caseId);
  }
  {
    const o = (await submittedOrder(prod, ola)) as { number: string; caseId: string };
    await lineStatus(prod, o.number, 'Registered');
    add('orderWorkflow', 'submitted', o.caseId, true, 'Submitted; its line registered in the order system');
    add('orderLineWorkflow', 'registered', lineId(o.number), true, 'Registered (Customer Order Id, agreed date), waiting for the handler');
  }
  {
    const o = (await submittedOrder(prod, ola)) as { number: string; caseId: string };
    await lineStatus(prod, o.number, 'Registered');
    await ok(prod.api('POST', `/v1/orders/${o.number}/reopen`, { token: ola }));
    await lineStatus(prod, o.number, 'New');
    await ok(prod.api('PATCH', `/v1/orders/${o.number}`, { token: ola, json: { requestedDate: daysAhead(30), contact: { name: 'Per Olsen', phone: '45678901' } } }));
    await ok(prod.api('POST', `/v1/orders/${o.number}/submit`, { token: ola }));
    await lineStatus(prod, o.number, 'Registered');
    add('orderWorkflow', 'reopened-resubmitted', o.caseId, true, 'Submitted, Reopened (C-1), changed and submitted again (revision 2)');
    add('orderLineWorkflow', 'reopened-registered-again', lineId(o.number), true, 'Registered, put back to New by Reopen, registered again (key …#r2)');
  }
  {
    const o = (await submittedOrder(prod, ola)) as { number: string; caseId: string };
    await lineStatus(prod, o.number, 'Registered');
    await ok(prod.api('POST', `/v1/orders/${o.number}/reopen`, { token: ola }));
    await lineStatus(prod, o.number, 'New');
    add('orderWorkflow', 'reopened-draft', o.caseId, true, 'Submitted, then Reopened (C-1): a draft again, waiting for the changes');
  }
  {
    const o = (await submittedOrder(prod, ola)) as { number: string; caseId: string };
    await lineStatus(prod, o.number, 'Registered');
    await advanceTo(prod, handler, `${o.number}:1`, 'Field Service');
    add('orderLineWorkflow', 'field-service', lineId(o.number), true, 'Delivery steps O → D → R → M (Field Service, installation date set)');
  }
  {
    const o = (await submittedOrder(prod, ola)) as { number: string; caseId: string };
    await lineStatus(prod, o.number, 'Registered');
    const n = `${o.number}:1`;
    await ok(handlerStep(prod, handler, n, 'incomplete', { comment: 'The contact phone does not answer' }));
    await ok(prod.api('POST', `/v1/orders/${o.number}/lines/1/customer-update`, { token: ola, json: { contact: { name: 'Kari Nordmann', phone: '98765432' }, comment: 'New mobile number' } }));
    add('orderLineWorkflow', 'incomplete-customer-update', lineId(o.number), true, 'Incomplete (O-17) → Customer Update by the customer, waiting for the handler');
  }
  {
    // O-11 (issue 13): the availability check timed out: the line waits for a handler before registration
    const o = await ok<{ number: string; caseId: string }>(prod.api('POST', '/v1/orders', { token: ola, json: draftBody() }), 201);
    prod.sims.kapaks.faults.set({ timeoutRate: 1, timeoutMs: 50 });
    try {
      await ok(prod.api('POST', `/v1/orders/${o.number}/lines/1/availability`, { token: ola }));
    } finally {
      prod.sims.kapaks.faults.reset();
    }
    await ok(prod.api('POST', `/v1/orders/${o.number}/submit`, { token: ola }));
    await lineStatus(prod, o.number, 'Committed');
    add('orderLineWorkflow', 'awaiting-manual-handling', lineId(o.number), true, "O-11: Committed after repeated Kapaks time-outs, waiting in the handlers' queue before registration");
    const o2 = await ok<{ number: string; caseId: string }>(prod.api('POST', '/v1/orders', { token: ola, json: draftBody() }), 201);
    prod.sims.kapaks.faults.set({ timeoutRate: 1, timeoutMs: 50 });
    try {
      await ok(prod.api('POST', `/v1/orders/${o2.number}/lines/1/availability`, { token: ola }));
    } finally {
      prod.sims.kapaks.faults.reset();
    }
    await ok(prod.api('POST', `/v1/orders/${o2.number}/submit`, { token: ola }));
    await lineStatus(prod, o2.number, 'Committed');
    await ok(handlerStep(prod, handler, `${o2.number}:1`, 'complete-manual-handling', { comment: 'Kapaks checked by hand: green' }));
    await lineStatus(prod, o2.number, 'Registered');
    add('orderLineWorkflow', 'manual-handling-registered', lineId(o2.number), true, 'O-11: manual handling completed by a handler, then registered');
  }
  {
    // O-16 (issue 13): a Project order with one line Rejected beside a Registered one: the header is Rejected
    const o = await ok<{ number: string; caseId: string }>(
      prod.api('POST', '/v1/orders', { token: ola, json: draftBody({ orderType: 'Project', references: { projectReference: 'PRJ-Corpus' } }) }),
      201,
    );
    await ok(
      prod.api('POST', `/v1/orders/${o.number}/lines`, { token: ola, json: { endUser: { kind: 'company', name: 'Nordlys Regnskap AS', orgNumber: '914778271' }, address: { addressId: 'adr-0194' } } }),
    );
    for (const n of [1, 2]) await ok(prod.api('POST', `/v1/orders/${o.number}/lines/${n}/availability`, { token: ola }));
    await ok(prod.api('POST', `/v1/orders/${o.number}/submit`, { token: ola }));
    await lineStatus(prod, o.number, 'Registered');
    await eventually(
      async () => ((await prod.api<{ status: string }>('GET', `/v1/orders/${o.number}/lines/2`, { token: ola })).body.status === 'Registered' ? true : undefined),
      30_000,
      `${o.number}:2 Registered`,
    );
    await ok(handlerStep(prod, handler, `${o.number}:2`, 'reject', { statusDescription: 'No capacity at the exchange' }));
    await eventually(async () => ((await prod.api<{ status: string }>('GET', `/v1/orders/${o.number}`, { token: ola })).body.status === 'Rejected' ? true : undefined), 30_000, `${o.number} Rejected`);
    add('orderWorkflow', 'line-rejected-beside-registered', o.caseId, true, 'O-16: Project order, line 2 Rejected beside a Registered line 1: the header is Rejected');
  }
  {
    const o = (await submittedOrder(prod, ola)) as { number: string; caseId: string };
    await lineStatus(prod, o.number, 'Registered');
    await advanceTo(prod, handler, `${o.number}:1`, 'Closed');
    await closedStatus(prod, o.caseId);
    add('orderWorkflow', 'closed', o.caseId, false, 'Every line Closed: the order workflow completed');
    add('orderLineWorkflow', 'closed', lineId(o.number), false, 'The whole delivery life to Closed (into the portfolio at F)');
  }

  // ---- switch-ISP orders (I-1…I-7, O-14, O-15). New cases start switchIspOrderWorkflow; the recorded
  // switchIspWorkflow histories stay in the corpus (open cases of the first type must still replay).
  section = 'switch-ISP orders (I-1…I-7, O-14, O-15)';
  const register = (stack: Stack, json: Record<string, unknown>) => ok<{ number: string; caseId: string; status: string }>(stack.api('POST', '/v1/switch-isp', { token: ola, json }), 201);
  const viewStatus = (stack: Stack, path: string, status: string) =>
    eventually(
      async () => {
        const r = await stack.api<{ status: string }>('GET', path, { token: ola });
        return r.body.status === status ? r.body : undefined;
      },
      30_000,
      `${path} to reach ${status}`,
    );
  const swStep = (stack: Stack, number: string, path: string, json: Record<string, unknown>) => ok(stack.api('POST', `/v1/handler/switch-isp/${number}/${path}`, { token: handler, json }));
  const full = switchables('JARA-ADSL-FULL');
  const delt = switchables('JARA-ADSL-DELT');
  const opa = switchables('OPA-DELT');
  if (full.length < 2 || delt.length < 6 || opa.length < 1) throw new Error('the simulators offer too few switchable lines');
  {
    const s = full[0]!;
    const sw = await register(prod, { number: s.phoneNumber, productCode: 'JARA-ADSL-FULL', requestedDate: daysAhead(20), authorisationReference: s.auth.reference });
    await viewStatus(prod, `/v1/switch-isp/${sw.number}`, 'Registered');
    add('switchIspOrderWorkflow', 'registered', sw.caseId, true, 'Registered in the order system at submit (Customer Order Id, Agreed Date): waiting on the agreed date');
  }
  {
    const s = full[1]!;
    const sw = await register(prod, { number: s.phoneNumber, productCode: 'JARA-ADSL-FULL', requestedDate: daysAhead(20), authorisationReference: s.auth.reference });
    await viewStatus(prod, `/v1/switch-isp/${sw.number}`, 'Registered');
    await ok(prod.api('POST', `/v1/switch-isp/${sw.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(25) } }));
    add('switchIspOrderWorkflow', 'date-agreed-by-order-system', sw.caseId, true, 'Registered, date changed (I-5) and agreed by the order system: the timer was moved');
  }
  {
    const s = delt[0]!;
    prod.sims.orders.moveLineElsewhere(s.phoneNumber, 'Lyse Fiber AS');
    const sw = await register(prod, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: s.auth.reference });
    await viewStatus(prod, `/v1/switch-isp/${sw.number}`, 'Rejected');
    add('switchIspOrderWorkflow', 'rejected-awaiting-follow-up', sw.caseId, true, 'Rejected by the order system at submit (losing operator mismatch, I-3): waiting for the handler’s follow-up (A-2)');
  }
  {
    const s = delt[5]!;
    prod.sims.orders.moveLineElsewhere(s.phoneNumber, 'Lyse Fiber AS');
    const sw = await register(prod, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: s.auth.reference });
    await viewStatus(prod, `/v1/switch-isp/${sw.number}`, 'Rejected');
    await swStep(prod, sw.number, 'follow-up', { comment: 'Called the reseller: the end user has moved to Lyse' });
    await closedStatus(prod, sw.caseId);
    add('switchIspOrderWorkflow', 'rejected-followed-up', sw.caseId, false, 'Rejected by the order system at submit, then followed up by the handler (A-2)');
  }
  {
    const s = delt[1]!;
    const sw = await register(prod, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: s.auth.reference });
    await viewStatus(prod, `/v1/switch-isp/${sw.number}`, 'Registered');
    await swStep(prod, sw.number, 'in-progress', {});
    await swStep(prod, sw.number, 'incomplete', { comment: 'Confirm the end user' });
    add('switchIspOrderWorkflow', 'incomplete', sw.caseId, true, 'In Progress, then Incomplete (O-17): waiting for the customer');
  }
  {
    const s = delt[2]!;
    const sw = await register(prod, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: s.auth.reference });
    await viewStatus(prod, `/v1/switch-isp/${sw.number}`, 'Registered');
    await swStep(prod, sw.number, 'incomplete', { comment: 'Confirm the end user' });
    await ok(prod.api('POST', `/v1/switch-isp/${sw.number}/customer-update`, { token: ola, json: { comment: 'Confirmed', requestedDate: daysAhead(24) } }));
    for (const to of ['Ordered', 'Design', 'Ready']) await swStep(prod, sw.number, 'advance', { to });
    await swStep(prod, sw.number, 'advance', { to: 'Field Service', installationDate: daysAhead(24) });
    add('switchIspOrderWorkflow', 'field-service', sw.caseId, true, 'Customer Update with a new date, then O → D → R → M (installation date): waiting on the agreed date');
  }
  {
    const s = opa[0]!;
    const slots = await ok<{ items: Array<{ slotId: string; date: string }> }>(
      prod.api('GET', `/v1/reference/appointment-slots?addressId=${s.line.addressId}&from=${daysAhead(17)}&to=${daysAhead(31)}`, { token: ola }),
    );
    const slot = slots.items[0]!;
    const sw = await register(prod, {
      number: s.phoneNumber,
      productCode: 'OPA-DELT',
      requestedDate: slot.date,
      authorisationReference: s.auth.reference,
      technician: { slotId: slot.slotId, aegServices: ['extra-socket'] },
    });
    await viewStatus(prod, `/v1/switch-isp/${sw.number}`, 'Registered');
    add('switchIspOrderWorkflow', 'technician-booked', sw.caseId, true, 'Registered with the technician booked with AEG work (I-6): waiting on the agreed date');
  }
  {
    const s = delt[3]!;
    const sw = await register(prod, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference });
    await viewStatus(prod, `/v1/switch-isp/${sw.number}`, 'Registered');
    const sr = await ok<{ number: string }>(
      prod.api('POST', '/v1/service-requests', {
        token: ola,
        json: { area: 'Delivery', subArea: 'Broadband', reference: { kind: 'other', value: sw.number }, description: 'Please cancel this switch' },
      }),
      201,
    );
    await ok(prod.api('POST', `/v1/service-requests/${sr.number}/submit`, { token: ola }));
    await ok(prod.api('POST', `/v1/handler/switch-isp/${sw.number}/cancel`, { token: handler, json: { serviceRequest: sr.number, reason: 'The end user stays' } }));
    await closedStatus(prod, sw.caseId);
    add('switchIspOrderWorkflow', 'cancelled', sw.caseId, false, 'Cancelled (A) by the wholesaler from a service request (I-7)');
  }
  {
    const ex = NRDB_EXAMPLES.valid;
    const sw = await register(short, { number: ex.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(16), authorisationReference: ex.reference });
    await viewStatus(short, `/v1/switch-isp/${sw.number}`, 'Finished');
    add('switchIspOrderWorkflow', 'finished', sw.caseId, true, 'Carried out on its date (short duration): the portfolio moved, Finished (F), waiting for the handler to close');
  }
  {
    const s = delt[4]!;
    const sw = await register(short, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(16), authorisationReference: s.auth.reference });
    await viewStatus(short, `/v1/switch-isp/${sw.number}`, 'Finished');
    await swStep(short, sw.number, 'advance', { to: 'Closed' });
    await closedStatus(short, sw.caseId);
    add('switchIspOrderWorkflow', 'closed', sw.caseId, false, 'Finished on its date, then Closed by the handler');
  }

  // ---- trouble tickets (M-2)
  section = 'trouble tickets (M-2)';
  {
    const ticket = async (stack: Stack, submit: boolean) => {
      const tt = await ok<{ number: string; caseId: string }>(stack.api('POST', '/v1/trouble-tickets', { token: ola, json: ticketBody(faultyProduct('nordnett').number) }), 201);
      if (submit) await ok(stack.api('POST', `/v1/trouble-tickets/${tt.number}/submit`, { token: ola, json: {} }));
      return tt;
    };
    const desk = (stack: Stack, number: string, path: string, json?: unknown) =>
      ok(stack.api('POST', `/v1/handler/trouble-tickets/${number}/${path}`, { token: handler, ...(json !== undefined ? { json } : {}) }));
    const resolve = { cause: 'Cable cut in the access network', resolution: 'Cable spliced, line tested OK' };
    const a = await ticket(prod, false);
    add('troubleTicketWorkflow', 'new', a.caseId, true, 'New (line tested, not submitted): no timer');
    const b = await ticket(prod, true);
    add('troubleTicketWorkflow', 'submitted-clock-running', b.caseId, true, 'Submitted: the repair clock runs, the escalation-warning timer is pending (M-2.4)');
    const c = await ticket(prod, true);
    await desk(prod, c.number, 'take');
    await desk(prod, c.number, 'request-info', { text: 'Which lights are on on the modem?' });
    add('troubleTicketWorkflow', 'incomplete-clock-paused', c.caseId, true, 'In Process → Incomplete: the repair clock paused, no timer (M-2.4)');
    const d = await ticket(prod, true);
    await desk(prod, d.number, 'take');
    await desk(prod, d.number, 'request-info', { text: 'Which lights are on on the modem?' });
    await ok(prod.api('POST', `/v1/trouble-tickets/${d.number}/customer-update`, { token: ola, json: { text: 'Only the power light' } }));
    await desk(prod, d.number, 'take');
    await desk(prod, d.number, 'resolve', resolve);
    add('troubleTicketWorkflow', 'resolved-waiting-auto-close', d.caseId, true, 'Incomplete loop, then Resolved: the auto-close timer is pending (M-2.5)');
    const e = await ticket(prod, true);
    await desk(prod, e.number, 'take');
    await desk(prod, e.number, 'resolve', resolve);
    await ok(prod.api('POST', `/v1/trouble-tickets/${e.number}/reopen`, { token: ola, json: { reason: 'Still no dial tone' } }));
    add('troubleTicketWorkflow', 'reopened', e.caseId, true, 'Resolved, reopened with a reason: In Process, the clock resumed (M-2.5)');
    const f = await ticket(short, true);
    await desk(short, f.number, 'take');
    await eventually(
      async () => ((await short.api('GET', `/v1/trouble-tickets/${f.number}`, { token: ola })).body as { repairClock: { escalation: string | null } }).repairClock.escalation === 'breached',
      30_000,
      `${f.number} to miss its repair target`,
    );
    add('troubleTicketWorkflow', 'escalated-breached', f.caseId, true, 'In Process after the warning and the breach escalations (short repair hour): waiting on the fault desk (M-2.4)');
    const g = await ticket(short, true);
    await desk(short, g.number, 'take');
    await desk(short, g.number, 'resolve', resolve);
    await closedStatus(short, g.caseId);
    add('troubleTicketWorkflow', 'auto-closed', g.caseId, false, 'Resolved, closed automatically after the period (short duration, M-2.5)');
  }

  // ---- termination orders (T-1…T-3, O-14, O-15)
  section = 'termination orders (T-1…T-3, O-14, O-15)';
  const pstn = seedPortfolioRows().filter((r) => r.companyId === 'nordnett' && r.productCode === 'PSTN' && r.addressId !== 'adr-0247');
  if (pstn.length < 6) throw new Error('the seed portfolio has fewer than six Nordnett PSTN products');
  const terminate = (stack: Stack, number: string, date: string) =>
    ok<{ number: string; caseId: string }>(stack.api('POST', '/v1/terminations', { token: ola, json: { number, requestedDate: date, reason: 'End user moves abroad' } }), 201);
  {
    const t = await terminate(prod, pstn[0]!.number, daysAhead(45));
    await viewStatus(prod, `/v1/terminations/${t.number}`, 'Registered');
    add('terminationOrderWorkflow', 'registered', t.caseId, true, 'Registered in the order system at submit (Customer Order Id): waiting on the agreed date');
  }
  {
    const t = await terminate(prod, pstn[1]!.number, daysAhead(45));
    await viewStatus(prod, `/v1/terminations/${t.number}`, 'Registered');
    await ok(prod.api('POST', `/v1/terminations/${t.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(50) } }));
    add('terminationOrderWorkflow', 'date-agreed-by-order-system', t.caseId, true, 'Registered, date changed (T-2) and agreed by the order system: the timer was moved');
  }
  {
    const t = await terminate(prod, pstn[2]!.number, daysAhead(45));
    await viewStatus(prod, `/v1/terminations/${t.number}`, 'Registered');
    await ok(prod.api('POST', `/v1/handler/terminations/${t.number}/incomplete`, { token: handler, json: { comment: 'Which number?' } }));
    add('terminationOrderWorkflow', 'incomplete', t.caseId, true, 'Incomplete (O-17): waiting for the customer');
  }
  {
    const t = await terminate(prod, pstn[3]!.number, daysAhead(45));
    await viewStatus(prod, `/v1/terminations/${t.number}`, 'Registered');
    await ok(prod.api('POST', `/v1/terminations/${t.number}/withdraw`, { token: ola, json: { comment: 'The end user stays' } }));
    await closedStatus(prod, t.caseId);
    add('terminationOrderWorkflow', 'withdrawn', t.caseId, false, 'Withdrawn by the customer before the date (Cancelled)');
  }
  {
    const t = await terminate(short, pstn[4]!.number, daysAhead(45));
    await viewStatus(short, `/v1/terminations/${t.number}`, 'Finished');
    add('terminationOrderWorkflow', 'finished', t.caseId, true, 'Carried out on its date (short duration): the portfolio entry ended, Finished (F)');
  }
  {
    const t = await terminate(short, pstn[5]!.number, daysAhead(45));
    await viewStatus(short, `/v1/terminations/${t.number}`, 'Finished');
    await ok(short.api('POST', `/v1/handler/terminations/${t.number}/advance`, { token: handler, json: { to: 'Closed' } }));
    await closedStatus(short, t.caseId);
    add('terminationOrderWorkflow', 'closed', t.caseId, false, 'Finished on its date, then Closed by the handler');
  }

  // ---- PSTN/ISDN numbers (O-12) and product swaps (C-6, slide 64)
  section = 'numbers (O-12) and product swaps (C-6)';
  const bookedPstn = async (stack: Stack) => {
    const o = await createOrder(stack, ola, draftBody({ productCode: 'PSTN', speedMbps: null }));
    await ok(stack.api('POST', `/v1/orders/${o.number}/lines/1/availability`, { token: ola }));
    const slots = await ok<{ items: Array<{ slotId: string }> }>(stack.api('GET', `/v1/orders/${o.number}/lines/1/slots`, { token: ola }));
    await ok(stack.api('POST', `/v1/orders/${o.number}/lines/1/booking`, { token: ola, json: { slotId: slots.items[0]!.slotId } }));
    await ok(stack.api('POST', `/v1/orders/${o.number}/lines/1/number-reservation`, { token: ola }));
    return o;
  };
  {
    const o = await bookedPstn(prod);
    add('orderWorkflow', 'draft-number-reserved', o.caseId, true, 'PSTN draft with a technician booking and a number reserved with it (O-12): the O-20 auto-cancel timer is pending');
  }
  {
    const o = await bookedPstn(prod);
    await ok(prod.api('POST', `/v1/orders/${o.number}/submit`, { token: ola }));
    await lineStatus(prod, o.number, 'Registered');
    await advanceTo(prod, handler, `${o.number}:1`, 'Finished');
    add(
      'orderLineWorkflow',
      'pstn-number-assigned-finished',
      lineId(o.number),
      true,
      'PSTN line: the reserved number held at submit, assigned at Finished (F) and entered in the portfolio (O-12, M-1)',
    );
  }
  {
    const swappable = seedPortfolioRows().find(
      (r) =>
        r.companyId === 'nordnett' &&
        r.productCode === 'JARA-ADSL-DELT' &&
        r.endUser.kind === 'person' &&
        r.endUser.birthDate < '2000-01-01' &&
        r.endUser.birthDate > '1920-01-01' &&
        r.endUser.name.trim().split(/\s+/).length >= 2 &&
        LINES.filter((l) => l.accessType && JSON.stringify(l.endUser) === JSON.stringify(r.endUser)).length === 1,
    );
    if (!swappable) throw new Error('the seed portfolio has no Nordnett Jara ADSL product to swap');
    const o = await ok<{ number: string; caseId: string }>(
      prod.api('POST', `/v1/portfolio/${swappable.number}/modify`, {
        token: ola,
        json: { change: 'product', productCode: 'OPA-DELT', requestedDate: daysAhead(20), contact: { name: 'Kari Nordmann', phone: '91234567' } },
      }),
      201,
    );
    await ok(prod.api('POST', `/v1/orders/${o.number}/submit`, { token: ola }));
    await lineStatus(prod, o.number, 'Registered');
    add('orderLineWorkflow', 'product-swap-registered', lineId(o.number), true, 'A product swap (C-6, slide 64: Jara ADSL → operator access) registered, waiting for the handler');
  }

  // ---- the handler's tools (issue 15): the new Update handlers in open cases
  section = "the handler's tools (A-2, C-5, S-4)";
  {
    const sr = await createSr(prod, ola);
    for (const action of ['submit', 'take']) await ok(srAction(prod, tokens, sr.number, action));
    await ok(prod.api('POST', `/v1/handler/service-requests/${sr.number}/reroute`, { token: handler, json: { area: 'Invoice', subArea: 'Wrong invoice', reason: 'It is about the invoice' } }));
    await ok(prod.api('POST', `/v1/handler/cases/${sr.number}/take`, { token: handler }));
    add('serviceRequestWorkflow', 'rerouted-assigned', sr.caseId, true, 'In Process, re-routed to billing (S-4, its holder let go), then taken again (A-2 assign Update)');
  }
  {
    const o = (await submittedOrder(prod, ola)) as { number: string; caseId: string };
    await lineStatus(prod, o.number, 'Registered');
    await ok(prod.api('POST', `/v1/handler/cases/${o.number}:1/take`, { token: handler }));
    await ok(prod.api('POST', `/v1/handler/order-lines/${o.number}:1/dates`, { token: handler, json: { agreedDate: daysAhead(40), reason: 'A new delivery date SR' } }));
    add('orderLineWorkflow', 'assigned-date-changed', lineId(o.number), true, 'Registered, taken by a handler (A-2), Agreed Date moved (C-5) with its e-mail activity');
  }

  // ---- invoice runs (M-3.1, X-7)
  section = 'invoice runs (M-3.1, X-7)';
  {
    const period = periodOf(new Date());
    const run = (companyId: string) => ok(prod.api('POST', '/v1/handler/invoice-runs', { token: handler, json: { period, companyId } }), 202);
    // the month has not ended for the billing system: refused, the run fails
    await run('fjordtel');
    const refused = `invoice-run:fjordtel:${period}`;
    if ((await closedStatus(prod, refused)) !== 'FAILED') throw new Error(`${refused} did not fail`);
    add('invoiceRunWorkflow', 'refused-period-open', refused, false, 'The billing system refused a month that has not ended: the run failed');
    prod.sims.billing.setClock(() => new Date(`${periodStart(nextPeriod(period))}T12:00:00Z`));
    await run('nordnett');
    const stored = `invoice-run:nordnett:${period}`;
    if ((await closedStatus(prod, stored)) !== 'COMPLETED') throw new Error(`${stored} did not complete`);
    add('invoiceRunWorkflow', 'completed', stored, false, "The month's invoice fetched from the billing system and stored");
    // the schedule's monthly workflow (M-3.1): a child run per company for the month before
    const monthId = `invoice-month-histories-${previousPeriod(period)}`;
    await prod.client.workflow.execute('invoiceMonthWorkflow', { workflowId: monthId, taskQueue: prod.config.taskQueue, args: [{ period: previousPeriod(period) }] });
    add('invoiceMonthWorkflow', 'completed', monthId, false, "The schedule's monthly run: one child invoice run per reseller company");
  }
  return out;
}

try {
  await main();
  process.exit(0);
} catch (error) {
  console.error(`[histories] failed while recording ${section}; tests/histories/ is unchanged`);
  console.error(error);
  process.exit(1);
}
