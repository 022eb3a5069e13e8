// Notifications end to end (O-18, Q-13, S-7): status changes → outbox in the same transaction →
// a real SMTP server and a real webhook receiver in this process; exactly once, in order.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

beforeAll(async () => {
  smtpPort = await freePort();
  inbox = await startDevInbox({ smtpPort });
  stack = await startStack({ dispatcher: { smtpPort, maxWebhookAttempts: 3 } });
  tokens = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
});
afterAll(async () => {
  await stack?.stop();
  await inbox?.stop();
});

const mailsFor = (number: string) => inbox.messages.filter((m) => m.subject?.includes(number));
const recipients = (number: string, status: string) =>
  mailsFor(number).filter((m) => m.subject?.endsWith(`: ${status}`)).map((m) => [m.to].flat().map((a) => a!.text).join()).sort();

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
    expect(incomplete.text).toContain(`/v1/service-requests/${sr.number}`); // link to the case
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
    expect(mail.text).toContain(`/v1/quotes/${number}`);
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
    expect(mail.text).toContain(`/v1/orders/${order.number}`);
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

describe('delivery guarantees', () => {
  it('SMTP down for a while: every message arrives once after it returns; the API keeps working', async () => {
    await inbox.stop();
    const sr = await createSr(stack, tokens.customer);
    for (const a of ['submit', 'take', 'requestInfo']) expect((await srAction(stack, tokens, sr.number, a)).status).toBe(200);
    await eventually(async () => {
      const [row] = await stack.sql`SELECT count(*)::int AS n FROM email_outbox WHERE case_id = ${sr.caseId} AND status = 'pending' AND attempts > 0 AND last_error IS NOT NULL`;
      return row!.n === 4; // Submitted, In Process (opted in) + Incomplete × 2
    }, 10_000, 'failed attempts while SMTP is down');
    const before = inbox.messages.length;
    inbox = await startDevInbox({ smtpPort });
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
    expect((await deliveries())[0]).toMatchObject({ caseId: parked.caseId, sequence: 1, attempts: 3 });
    const [waiting] = await stack.sql`SELECT status, attempts FROM webhook_deliveries WHERE case_id = ${parked.caseId} AND seq = 2`;
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 }); // in order: never sent before seq 1

    alwaysFail = false;
    const replay = await stack.api('POST', `/v1/webhooks/${sub.body.id}/replay`, { token: full });
    expect(replay.body).toEqual({ replayed: 1 });
    await eventually(async () => received.filter((r) => r.body.reference === parked.number).length === 2, 20_000, 'replay');
    expect(received.filter((r) => r.body.reference === parked.number).map((r) => r.body.sequence)).toEqual([1, 2]);
  });

  it('GET /v1/events pages through the company\'s events with a cursor, and shows no other company\'s', async () => {
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
  });
});
