// Notifications end to end (O-18, Q-13, S-7): status changes → outbox in the same transaction →
// a real SMTP server and a real webhook receiver in this process; exactly once, in order.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { Resolver } from '../../notifications/address-policy';
import { type DevInbox, startDevInbox } from '../../notifications/dev-inbox';
import { startDispatcher } from '../../notifications/dispatcher';
import { createTransport } from 'nodemailer';
import { freePort } from '../../scripts/temporal';
import { createSr, srAction, type Tokens } from '../support/service-requests';
import { type ApiResponse, eventually, type Stack, startStack } from '../support/stack';
import { handlerStep, readyOrder } from '../support/orders';

let smtpPort: number;
let inbox: DevInbox;
let stack: Stack;
let tokens: Tokens;

// Webhooks may reach only the loopback receivers this file starts (by IP literal and port), and
// names resolve from this table: no test resolves a real name or connects beyond 127.0.0.1.
const receiverPorts = new Set<number>();
const names = new Map<string, string[]>();
const resolve: Resolver = async (name) => {
  const found = names.get(name);
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
};
/** The SMTP server answers 451 to the messages this picks. */
let refuseMail: (mail: ParsedMail) => boolean = () => false;
const startInbox = () => startDevInbox({ smtpPort, refuse: (m) => refuseMail(m) });

beforeAll(async () => {
  smtpPort = await freePort();
  inbox = await startInbox();
  stack = await startStack({
    dispatcher: { smtpPort, maxWebhookAttempts: 3, webhookTimeoutMs: 10_000, log: () => {} },
    webhookPolicy: { allowHttp: true, allowLoopbackForTests: (u) => u.hostname === '127.0.0.1' && receiverPorts.has(Number(u.port)), resolve },
  });
  tokens = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
});
afterAll(async () => {
  await stack?.stop();
  await inbox?.stop();
});

const mailsFor = (number: string) => inbox.messages.filter((m) => m.subject?.includes(number));
const recipients = (number: string, status: string) =>
  mailsFor(number)
    .filter((m) => m.subject?.endsWith(`: ${status}`))
    .map((m) =>
      [m.to]
        .flat()
        .map((a) => a!.text)
        .join(),
    )
    .sort();

describe('e-mail on service-request status changes (S-7, O-18 opt-in)', () => {
  it('S-7: Incomplete, Completed and Cancelled by the wholesaler reach every contact once; other changes only the opted-in contact', async () => {
    const sr = await createSr(stack, tokens.customer);
    for (const a of ['submit', 'take', 'requestInfo']) expect((await srAction(stack, tokens, sr.number, a)).status).toBe(200);
    // Submitted and In Process to the opted-in contact, Incomplete to both
    await eventually(async () => mailsFor(sr.number).length === 4, 10_000, 'the first four e-mails');
    expect(recipients(sr.number, 'Submitted')).toEqual(['ola@nordnett.example']); // opted in (O-18)
    expect(recipients(sr.number, 'In Process')).toEqual(['ola@nordnett.example']);
    expect(recipients(sr.number, 'Incomplete')).toEqual(['kundeservice@nordnett.example', 'ola@nordnett.example']);
    const incomplete = mailsFor(sr.number).find((m) => m.subject?.endsWith(': Incomplete'))!;
    expect(incomplete.text).toContain('Which entrance is the line at?'); // what is missing
    expect(incomplete.text).toContain('Customer Update'); // what to do now
    expect(incomplete.text).toContain(`/app/#/service-requests/${sr.number}`); // link to the case in the browser app
    expect(incomplete.html).toContain(sr.number);

    for (const a of ['submit', 'take', 'complete']) await srAction(stack, tokens, sr.number, a);
    await eventually(async () => recipients(sr.number, 'Completed').length === 2, 10_000, 'Completed e-mails');

    const other = await createSr(stack, tokens.customer);
    await srAction(stack, tokens, other.number, 'submit');
    await srAction(stack, tokens, other.number, 'cancelByOperator', { text: 'Sent twice by mistake' });
    await eventually(async () => recipients(other.number, 'Cancelled').length === 2, 10_000, 'Cancelled e-mails');
    expect(mailsFor(other.number).find((m) => m.subject?.endsWith(': Cancelled'))!.text).toContain('Sent twice by mistake');

    const mine = await createSr(stack, tokens.customer);
    await srAction(stack, tokens, mine.number, 'cancel');
    await eventually(async () => recipients(mine.number, 'Cancelled').length === 1, 10_000, 'own cancel e-mail');
    expect(recipients(mine.number, 'Cancelled')).toEqual(['ola@nordnett.example']); // the customer's own cancel: opted-in only
    // exactly once: no message id twice
    const ids = inbox.messages.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('English for a contact that prefers it, and contacts are managed by full-access users only', async () => {
    const full = await stack.login('anne.fjordtel');
    const added = await stack.api('POST', '/v1/contacts', { token: full, json: { name: 'Fjordtel orders', email: 'orders@fjordtel.example', kind: 'shared', locale: 'en' } });
    expect(added.status).toBe(201);
    expect((await stack.api('POST', '/v1/contacts', { token: full, json: { name: 'Again', email: 'ORDERS@fjordtel.example', kind: 'shared' } })).status).toBe(409);
    const ordering = await stack.login('nils.fjordtel');
    const refused = await stack.api('POST', '/v1/contacts', { token: ordering, json: { name: 'Xavier Dahl', email: 'x@fjordtel.example', kind: 'personal' } });
    expect(refused.status).toBe(403);
    expect((await stack.api('GET', '/v1/contacts', { token: ordering })).body.items.map((c: { email: string }) => c.email)).toContain('orders@fjordtel.example');
    const bad = await stack.api('POST', '/v1/contacts', { token: full, json: { name: 'X', email: 'not-an-address', kind: 'team' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.email', 'body.kind', 'body.name']);

    const sr = await createSr(stack, ordering);
    await srAction(stack, { customer: ordering, handler: tokens.handler }, sr.number, 'submit');
    await srAction(stack, tokens, sr.number, 'take');
    await srAction(stack, tokens, sr.number, 'requestInfo');
    await eventually(async () => recipients(sr.number, 'Incomplete').length === 2, 10_000, 'Fjordtel e-mails');
    const english = mailsFor(sr.number).find((m) => m.subject?.endsWith(': Incomplete'))!;
    expect(english.subject).toBe(`[Samband] Service request ${sr.number}: Incomplete`);
    expect(english.text).toContain('Complete the registration');
  });
});

describe('e-mail on quote status changes (Q-13)', () => {
  it('Q-13: every quote status change reaches the registered addresses once, with the quote number and the comment', async () => {
    const handler = await stack.login('henrik.handler');
    const created = await stack.api('POST', '/v1/quotes', { token: tokens.customer, json: { lines: [{ productCode: 'SAMB-ETH', speedMbps: 34, addressAId: 'adr-0003', addressBId: 'adr-0006' }] } });
    expect(created.status).toBe(201);
    const number: string = created.body.number;
    expect((await stack.api('POST', `/v1/quotes/${number}/submit`, { token: tokens.customer, json: { confirmManualPricing: [1] } })).status).toBe(200);
    const step = (action: string, json?: unknown) => stack.api('POST', `/v1/handler/quotes/${number}/lines/1/${action}`, { token: handler, ...(json ? { json } : {}) });
    expect((await step('take')).status).toBe(200);
    expect((await step('incomplete', { comment: 'Which floor is the equipment room on?' })).status).toBe(200);
    await eventually(async () => mailsFor(number).length === 6, 10_000, 'quote e-mails');
    for (const status of ['Received', 'In Process', 'Incomplete']) expect(recipients(number, status)).toEqual(['kundeservice@nordnett.example', 'ola@nordnett.example']);
    const mail = mailsFor(number).find((m) => m.subject?.endsWith(': Incomplete'))!;
    expect(mail.subject).toBe(`[Samband] Tilbud ${number}: Incomplete`);
    expect(mail.text).toContain('Which floor is the equipment room on?');
    expect(mail.text).toContain(`/app/#/quotes/${number}`);
  });
});

describe('e-mail on order-line status changes (O-18)', () => {
  it('O-18: Incomplete, Rejected and Cancelled (A) go to every contact; other changes only to the opted-in contact', async () => {
    const order = await readyOrder(stack, tokens.customer);
    expect((await stack.api('POST', `/v1/orders/${order.number}/submit`, { token: tokens.customer })).status).toBe(200);
    const line = `${order.number}:1`;
    await eventually(async () => recipients(line, 'Registered').length === 1, 15_000, 'Registered e-mail');
    expect(recipients(line, 'Registered')).toEqual(['ola@nordnett.example']); // opted in (O-18)
    expect((await handlerStep(stack, tokens.handler, line, 'incomplete', { comment: 'The flat number is missing' })).status).toBe(200);
    await eventually(async () => recipients(line, 'Incomplete').length === 2, 10_000, 'Incomplete e-mails');
    expect(recipients(line, 'Incomplete')).toEqual(['kundeservice@nordnett.example', 'ola@nordnett.example']);
    const mail = mailsFor(line).find((m) => m.subject?.endsWith(': Incomplete'))!;
    expect(mail.subject).toBe(`[Samband] Ordrelinje ${line}: Incomplete`);
    expect(mail.text).toContain('The flat number is missing'); // what is missing
    expect(mail.text).toContain('Customer Update'); // what to do now (O-17)
    expect(mail.text).toContain(`/app/#/orders/${order.number}`);
    expect(mail.text).toMatch(/Customer Order Ref: NN-\d+/); // the company's own reference

    const rejected = await readyOrder(stack, tokens.customer);
    await stack.api('POST', `/v1/orders/${rejected.number}/submit`, { token: tokens.customer });
    const rline = `${rejected.number}:1`;
    await eventually(async () => recipients(rline, 'Registered').length === 1, 15_000, 'second order registered');
    expect((await handlerStep(stack, tokens.handler, rline, 'reject', { statusDescription: 'No coverage at this address' })).status).toBe(200);
    await eventually(async () => recipients(rline, 'Rejected').length === 2, 10_000, 'Rejected e-mails');
    expect(mailsFor(rline).find((m) => m.subject?.endsWith(': Rejected'))!.text).toContain('No coverage at this address');

    const cancelled = await readyOrder(stack, tokens.customer);
    await stack.api('POST', `/v1/orders/${cancelled.number}/submit`, { token: tokens.customer });
    const cline = `${cancelled.number}:1`;
    await eventually(async () => recipients(cline, 'Registered').length === 1, 15_000, 'third order registered');
    expect((await handlerStep(stack, tokens.handler, cline, 'cancel', { comment: 'The end user withdrew by phone' })).status).toBe(200);
    await eventually(async () => recipients(cline, 'Cancelled').length === 2, 10_000, 'Cancelled (A) e-mails');
  });
});

describe('O-18: whom the order-line e-mails go to', () => {
  // Deck (slide 85): "Ved statusene Rejected , Field Service(M), Incomplete, og Cancelled (A) vil det bli sendt en
  // e-post til deg … Forutsetningen for å motta e-post ved statusendringer er at du har lagt inn din e-postadresse i
  // kolonnen "Group" i Contacts-modulen. … Ønsker du utvidet varsling (på flere statuser) haker du av i kolonnen
  // "notification on status update"." Cancelled (A) is "kansellert av Telenor" (slide 84).
  it("O-18: Field Service (M) goes to every contact with the installation date; the reseller's own cancellation only to the opted-in contact", async () => {
    const order = await readyOrder(stack, tokens.customer);
    expect((await stack.api('POST', `/v1/orders/${order.number}/submit`, { token: tokens.customer })).status).toBe(200);
    const line = `${order.number}:1`;
    await eventually(async () => recipients(line, 'Registered').length === 1, 15_000, 'Registered e-mail');
    const installationDate = '2026-12-24';
    for (const to of ['Ordered', 'Design', 'Ready']) expect((await handlerStep(stack, tokens.handler, line, 'advance', { to })).status).toBe(200);
    expect((await handlerStep(stack, tokens.handler, line, 'advance', { to: 'Field Service', installationDate })).status).toBe(200);
    await eventually(async () => recipients(line, 'Field Service').length === 2, 10_000, 'Field Service e-mails');
    expect(recipients(line, 'Field Service')).toEqual(['kundeservice@nordnett.example', 'ola@nordnett.example']);
    const mail = mailsFor(line).find((m) => m.subject?.endsWith(': Field Service'))!;
    expect(mail.text).toContain(`Installasjonsdato: ${installationDate}`);
    expect(mail.html).toContain(installationDate);

    const own = await readyOrder(stack, tokens.customer);
    await stack.api('POST', `/v1/orders/${own.number}/submit`, { token: tokens.customer });
    const oline = `${own.number}:1`;
    await eventually(async () => recipients(oline, 'Registered').length === 1, 15_000, 'own order registered');
    const fee = (await stack.api('GET', `/v1/orders/${own.number}/lines/1/cancellation`, { token: tokens.customer })).body.totalOre as number;
    expect((await stack.api('POST', `/v1/orders/${own.number}/lines/1/cancel`, { token: tokens.customer, json: { acceptedFeeOre: fee } })).status).toBe(200);
    await eventually(async () => recipients(oline, 'Cancelled').length >= 1, 10_000, 'Cancelled e-mail to the opted-in contact');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(recipients(oline, 'Cancelled')).toEqual(['ola@nordnett.example']);
  });
});

describe('delivery guarantees', () => {
  it('SMTP down for a while: every message arrives once after it returns; the API keeps working', async () => {
    await inbox.stop();
    const sr = await createSr(stack, tokens.customer);
    for (const a of ['submit', 'take', 'requestInfo']) expect((await srAction(stack, tokens, sr.number, a)).status).toBe(200);
    await eventually(
      async () => {
        const [row] = await stack.sql`SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
                                           count(*) FILTER (WHERE attempts > 1 AND last_error IS NOT NULL)::int AS failing
                                    FROM email_outbox WHERE case_id = ${sr.caseId}`;
        // Submitted, In Process (opted in) + Incomplete × 2; the first mail per recipient is retried,
        // the later ones wait behind it (#8: in case order)
        return row!.pending === 4 && row!.failing === 2;
      },
      10_000,
      'failed attempts while SMTP is down',
    );
    const before = inbox.messages.length;
    inbox = await startInbox();
    await eventually(async () => mailsFor(sr.number).length === 4, 15_000, 'delivery after SMTP returns');
    expect(before).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsFor(sr.number)).toHaveLength(4);
  });

  it('worker killed between the status change and the sending: the outbox sends it later, exactly once, even with two senders', async () => {
    // a stack without a dispatcher is a system whose sender died after the status change committed
    const quiet = await startStack();
    const t = { customer: await quiet.login('ola.nordnett'), handler: await quiet.login('hanne.handler') };
    const sr = await createSr(quiet, t.customer);
    for (const a of ['submit', 'take', 'requestInfo']) await srAction(quiet, t, sr.number, a);
    const [pending] = await quiet.sql`SELECT count(*)::int AS n FROM email_outbox WHERE case_id = ${sr.caseId} AND status = 'pending'`;
    expect(pending!.n).toBe(4);
    expect(mailsFor(sr.number)).toHaveLength(0);
    const mailer = () => createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
    const senders = [1, 2].map(() => startDispatcher({ sql: quiet.sql, mailer: mailer(), pollMs: 50 }));
    await eventually(async () => mailsFor(sr.number).length >= 4, 15_000, 'restarted senders');
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailsFor(sr.number)).toHaveLength(4);
    await Promise.all(senders.map((s) => s.stop()));
    await quiet.stop();
  });
});

describe('events for machines', () => {
  let receiver: Server;
  let url: string;
  const received: { body: { id: string; type: string; reference: string; status: string; sequence: number; caseId: string }; headers: IncomingHttpHeaders; raw: string }[] = [];
  let failuresLeft = 0;
  let alwaysFail = false;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        if (alwaysFail || failuresLeft > 0) {
          failuresLeft--;
          res.writeHead(503).end();
          return;
        }
        received.push({ body: JSON.parse(raw), headers: req.headers, raw });
        res.writeHead(204).end();
      });
    });
    const port = await freePort();
    await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', () => r()));
    receiverPorts.add(port);
    url = `http://127.0.0.1:${port}/hooks/samband`;
  });
  afterAll(async () => {
    await new Promise((r) => receiver.close(() => r(undefined)));
  });

  it('webhooks: signed, retried after failures, in order per case, parked after repeated failure and replayed', async () => {
    const full = await stack.login('ingrid.nordnett');
    const sub = await stack.api('POST', '/v1/webhooks', { token: full, json: { url, eventTypes: ['service_request.status_changed'] } });
    expect(sub.status).toBe(201);
    const secret: string = sub.body.secret;
    expect((await stack.api('POST', '/v1/webhooks', { token: tokens.customer, json: { url, eventTypes: ['quote.status_changed'] } })).status).toBe(403);

    failuresLeft = 2; // the first two attempts fail: retried with back-off
    const sr = await createSr(stack, tokens.customer);
    for (const a of ['submit', 'take', 'complete', 'close']) await srAction(stack, tokens, sr.number, a);
    await eventually(async () => received.filter((r) => r.body.reference === sr.number).length === 4, 20_000, 'webhook deliveries');
    const mine = received.filter((r) => r.body.reference === sr.number);
    expect(mine.map((r) => r.body.status)).toEqual(['Submitted', 'In Process', 'Completed', 'Closed']);
    expect(mine.map((r) => r.body.sequence)).toEqual([1, 2, 3, 4]);
    for (const r of mine) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['samband-signature']))!;
      expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${r.raw}`).digest('hex'));
      expect(r.headers['samband-event-id']).toBe(r.body.id);
      expect(r.body).toMatchObject({ type: 'service_request.status_changed', caseId: sr.caseId });
    }

    // the receiver is down for good: parked after 3 attempts, and later events of the case wait behind it
    alwaysFail = true;
    const parked = await createSr(stack, tokens.customer);
    await srAction(stack, tokens, parked.number, 'submit');
    await srAction(stack, tokens, parked.number, 'close');
    const deliveries = async () => (await stack.api('GET', `/v1/webhooks/${sub.body.id}/deliveries?status=parked`, { token: full })).body.items;
    await eventually(async () => (await deliveries()).length === 1, 20_000, 'parking');
    expect((await deliveries())[0]).toMatchObject({ caseId: parked.caseId, sequence: 1, attempts: 3, lastError: 'http_5xx' }); // a category, not the status
    const [waiting] = await stack.sql`SELECT status, attempts FROM webhook_deliveries WHERE case_id = ${parked.caseId} AND seq = 2`;
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 }); // in order: never sent before seq 1

    alwaysFail = false;
    const replay = await stack.api('POST', `/v1/webhooks/${sub.body.id}/replay`, { token: full });
    expect(replay.body).toEqual({ replayed: 1 });
    await eventually(async () => received.filter((r) => r.body.reference === parked.number).length === 2, 20_000, 'replay');
    expect(received.filter((r) => r.body.reference === parked.number).map((r) => r.body.sequence)).toEqual([1, 2]);
  });

  it("GET /v1/events pages through the company's events with a cursor, and shows no other company's", async () => {
    const sr = await createSr(stack, tokens.customer);
    for (const a of ['submit', 'take', 'complete']) await srAction(stack, tokens, sr.number, a);
    const all: { reference: string; status: string; sequence: number }[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: ApiResponse<{ items: typeof all; nextCursor: string | null }> = await stack.api('GET', `/v1/events?limit=2${cursor ? `&after=${cursor}` : ''}`, { token: tokens.customer });
      expect(res.status).toBe(200);
      all.push(...res.body.items);
      if (res.body.items.length < 2) break;
      cursor = res.body.nextCursor;
    }
    expect(all.filter((e) => e.reference === sr.number).map((e) => `${e.sequence}:${e.status}`)).toEqual(['1:Submitted', '2:In Process', '3:Completed']);
    const fjordtel = await stack.api('GET', '/v1/events?limit=500', { token: await stack.login('nils.fjordtel') });
    expect(fjordtel.body.items.filter((e: { reference: string }) => e.reference === sr.number)).toEqual([]);
    expect((await stack.api('GET', '/v1/events?after=abc', { token: tokens.customer })).status).toBe(400);
    // the cursor is opaque (a global position would show the gaps other companies' events leave) and bound to the company
    expect(cursor).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(cursor).not.toMatch(/^\d+$/);
    const foreign = await stack.api('GET', `/v1/events?after=${cursor}`, { token: await stack.login('lise.fjordtel') });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].field).toBe('query.after');
  });
});

describe('outbound webhook requests (issue 12 #6, #7)', () => {
  let server: Server;
  let port: number;
  let closedPort: number;
  const hits: { path: string; body: { caseId: string; sequence: number } }[] = [];
  let holding = false;
  const held: ServerResponse[] = [];
  let full: string;
  let read: string;
  let fjordtel: Tokens;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        hits.push({ path: req.url!, body: JSON.parse(raw || '{}') });
        if (req.url === '/redirect') res.writeHead(302, { Location: `http://127.0.0.1:${port}/target` }).end();
        else if (req.url === '/hold' && holding)
          held.push(res); // a slow receiver: answers when released
        else res.writeHead(204).end();
      });
    });
    port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    closedPort = await freePort(); // nothing listens here
    receiverPorts.add(port).add(closedPort);
    full = await stack.login('anne.fjordtel');
    read = await stack.login('lise.fjordtel');
    fjordtel = { customer: await stack.login('nils.fjordtel'), handler: tokens.handler };
  });
  afterAll(async () => {
    for (const res of held) res.writeHead(204).end();
    await new Promise((r) => server.close(() => r(undefined)));
  });

  const subscribe = (url: string, token = full) => stack.api('POST', '/v1/webhooks', { token, json: { url, eventTypes: ['service_request.status_changed'] } });
  const end = (id: string) => stack.api('DELETE', `/v1/webhooks/${id}`, { token: full });
  type Delivery = { caseId: string; sequence: number; status: string; attempts: number; lastError: string | null };
  const deliveries = async (id: string): Promise<Delivery[]> => (await stack.api('GET', `/v1/webhooks/${id}/deliveries`, { token: read })).body.items; // a read-only user
  const sr = async (actions: string[]) => {
    const created = await createSr(stack, fjordtel.customer);
    for (const a of actions) expect((await srAction(stack, fjordtel, created.number, a)).status).toBe(200);
    return created;
  };
  const hitsAt = (path: string) => hits.filter((h) => h.path === path);

  it('registration refuses loopback, private, link-local, unique-local and metadata addresses in every spelling', async () => {
    const internal = [
      'http://127.0.0.1:7233/',
      'http://localhost:5499/',
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://[::1]:8233/',
      'http://0x7f000001/',
      'http://localhost./',
      'http://127.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://2130706433/',
      'http://[fd00::1]/',
      'http://10.0.0.1/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'https://169.254.169.254/',
      'http://192.168.1.1/',
      'http://172.16.0.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://[fe80::1]/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
      'http://nowhere.fjordtel.example/',
    ];
    for (const url of internal) {
      const res = await subscribe(url);
      expect(res.status, url).toBe(400);
      expect(res.headers.get('content-type'), url).toContain('application/problem+json');
      expect(
        res.body.errors.map((e: { field: string }) => e.field),
        url,
      ).toEqual(['body.url']);
    }
    names.set('hooks.fjordtel.example', ['10.20.30.40', '93.184.215.14']); // one internal address is enough to refuse
    expect((await subscribe('https://hooks.fjordtel.example/samband')).status).toBe(400);
    const [stored] = await stack.sql`SELECT count(*)::int AS n FROM webhook_subscriptions WHERE company_id = 'fjordtel'`;
    expect(stored!.n).toBe(0);

    // the production defaults: https only, and no loopback at all (not even this file's receivers)
    const { namespace, taskQueue, sessionIdleMs, timings } = stack.config;
    const production = createApp({ sql: stack.sql, temporal: stack.client, adapters: stack.sims, config: { namespace, taskQueue, sessionIdleMs, timings } });
    const post = async (url: string) => {
      const res = await production.request('/v1/webhooks', {
        method: 'POST',
        headers: { Authorization: `Bearer ${full}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ url, eventTypes: ['service_request.status_changed'] }),
      });
      return { status: res.status, body: (await res.json()) as { errors: { field: string; message: string }[] } };
    };
    const http = await post(`http://127.0.0.1:${port}/target`);
    expect(http.status).toBe(400);
    expect(http.body.errors).toMatchObject([{ field: 'body.url', message: 'must be an https URL' }]);
    const loopback = await post(`https://127.0.0.1:${port}/target`);
    expect(loopback.status).toBe(400);
    expect(loopback.body.errors).toMatchObject([{ field: 'body.url' }]);
  });

  it('a name that passed at registration but points inside at send time is refused before connecting (DNS rebinding)', async () => {
    names.set('rebind.fjordtel.example', ['93.184.215.14']);
    const sub = await subscribe(`http://rebind.fjordtel.example:${port}/rebind`);
    expect(sub.status).toBe(201);
    names.set('rebind.fjordtel.example', ['127.0.0.1']); // before any event exists: nothing is ever sent to the public address
    const created = await sr(['submit']);
    const refused = await eventually(async () => (await deliveries(sub.body.id)).find((d) => d.caseId === created.caseId && d.attempts >= 2), 15_000, 'refused attempts');
    expect(refused.lastError).toBe('address_refused');
    expect(hitsAt('/rebind')).toEqual([]);
    expect((await end(sub.body.id)).status).toBe(204);
  });

  it('a redirect is not followed, and delivery views show failure categories only', async () => {
    const redirect = await subscribe(`http://127.0.0.1:${port}/redirect`);
    const closed = await subscribe(`http://127.0.0.1:${closedPort}/`);
    expect([redirect.status, closed.status]).toEqual([201, 201]);
    const created = await sr(['submit']);
    const parked = async (id: string) => (await deliveries(id)).find((d) => d.caseId === created.caseId && d.status === 'parked');
    const [viaRedirect, viaClosed] = await eventually(
      async () => {
        const both = await Promise.all([parked(redirect.body.id), parked(closed.body.id)]);
        return both.every(Boolean) && (both as Delivery[]);
      },
      20_000,
      'both parked',
    );
    expect(viaRedirect).toMatchObject({ attempts: 3, lastError: 'redirect_refused' });
    expect(viaClosed).toMatchObject({ attempts: 3, lastError: 'connection_failed' });
    expect(hitsAt('/redirect').filter((h) => h.body.caseId === created.caseId)).toHaveLength(3);
    expect(hitsAt('/target')).toEqual([]); // never followed, not even to an allowed receiver
    const views = JSON.stringify([await deliveries(redirect.body.id), await deliveries(closed.body.id)]);
    for (const leak of ['fetch failed', 'ECONNREFUSED', 'HTTP', '302', String(closedPort)]) expect(views).not.toContain(leak);
    for (const id of [redirect.body.id, closed.body.id]) expect((await end(id)).status).toBe(204);
  });

  it('#7: deleting a subscription stops its queued deliveries, even with one in flight at a slow receiver', async () => {
    holding = true;
    const sub = await subscribe(`http://127.0.0.1:${port}/hold`);
    expect(sub.status).toBe(201);
    const created = await sr(['submit', 'take', 'complete', 'close']);
    await eventually(async () => hitsAt('/hold').length === 1, 10_000, 'the first delivery in flight');
    const [queued] = await stack.sql`SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = ${sub.body.id} AND status = 'pending'`;
    expect(queued!.n).toBe(4); // seq 1 in flight, 2–4 waiting behind it

    expect((await end(sub.body.id)).status).toBe(204);
    holding = false;
    for (const res of held.splice(0)) res.writeHead(204).end(); // the receiver answers the one in flight
    await new Promise((r) => setTimeout(r, 2000));
    expect(hitsAt('/hold').map((h) => h.body.sequence)).toEqual([1]);
    const after = (await deliveries(sub.body.id)).filter((d) => d.caseId === created.caseId);
    expect(after.map((d) => `${d.sequence}:${d.status}`)).toEqual(['1:delivered', '2:cancelled', '3:cancelled', '4:cancelled']);
    expect((await stack.api('POST', `/v1/webhooks/${sub.body.id}/replay`, { token: full })).status).toBe(409);
  });
});

describe('e-mail order per case and recipient (issue 12 #8)', () => {
  it('a mail waits while an earlier mail of its case to the same address is being retried; other recipients are not held up', async () => {
    const sr = await createSr(stack, tokens.customer);
    refuseMail = (m) => m.subject?.endsWith(`${sr.number}: Submitted`) ?? false; // SMTP refuses the first mail of the case
    for (const a of ['submit', 'take', 'requestInfo']) expect((await srAction(stack, tokens, sr.number, a)).status).toBe(200);
    const to = (m: ParsedMail) =>
      [m.to]
        .flat()
        .map((a) => a!.text)
        .join();
    const olas = () =>
      mailsFor(sr.number)
        .filter((m) => to(m) === 'ola@nordnett.example')
        .map((m) => m.subject!.replace(/^.*: /, ''));
    // the shared address's Incomplete has no earlier mail of the case: it goes at once
    await eventually(async () => recipients(sr.number, 'Incomplete').includes('kundeservice@nordnett.example'), 10_000, "the shared address's mail");
    await eventually(
      async () => {
        const [first] = await stack.sql`SELECT attempts FROM email_outbox WHERE case_id = ${sr.caseId} AND recipient = 'ola@nordnett.example' ORDER BY id LIMIT 1`;
        return first!.attempts >= 3;
      },
      10_000,
      'retries of the refused mail',
    );
    expect(olas()).toEqual([]); // In Process and Incomplete wait behind Submitted

    refuseMail = () => false;
    await eventually(async () => olas().length === 3, 15_000, 'the held mails after recovery');
    expect(olas()).toEqual(['Submitted', 'In Process', 'Incomplete']); // arrival order is case order
  });
});
