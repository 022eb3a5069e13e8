// The handler's workbench through the API (issue 15): one inbox over every waiting case (A-2), who works
// on what, notes and comments (G-3), handler attachments (G-4, deck slide 93: the answer "som vedlegg"),
// the contact details of whoever placed a case (A-4), SR re-routing (S-4), an order line's dates (C-5,
// O-15) and duplicates (O-19), and bulk steps on a Project order (O-9). Refused for resellers and ops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPortfolioRows } from '../../db/portfolio-seed';
import { addCalendarDays, osloDate } from '../../domain/time';
import { advanceTo, bookWhereExpected, createOrder, daysAhead, draftBody, freshAddress, lineOf, ok, submittedOrder } from '../support/orders';
import { switchables } from '../support/portfolio';
import { createSr, srAction } from '../support/service-requests';
import { eventually } from '../support/eventually';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let ola: string; // Nordnett, ordering
let kari: string; // Nordnett, read
let nils: string; // Fjordtel, ordering
let hanne: string;
let henrik: string;
let ops: string;

beforeAll(async () => {
  stack = await startStack({ timings: { switchIspExecution: { ms: 3_600_000 }, terminationExecution: { ms: 3_600_000 } } });
  [ola, kari, nils, hanne, henrik, ops] = (await Promise.all(['ola.nordnett', 'kari.nordnett', 'nils.fjordtel', 'hanne.handler', 'henrik.handler', 'olav.ops'].map((u) => stack.login(u)))) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const inbox = (query = '', token = hanne) => stack.api('GET', `/v1/handler/inbox${query ? `?${query}` : ''}`, { token });
const post = (path: string, json: unknown = undefined, token = hanne) => stack.api('POST', path, { token, ...(json !== undefined ? { json } : {}) });
const submittedSr = async (token = ola, body: Record<string, unknown> = {}) => {
  const sr = await createSr(stack, token, body);
  await ok(srAction(stack, { customer: token, handler: hanne }, sr.number, 'submit'));
  return sr;
};
const registered = (number: string) =>
  eventually(
    async () => {
      const [order, lineNo] = number.split(':');
      const line = (await lineOf(stack, hanne, order!, Number(lineNo))).body;
      return line.status === 'Registered' ? line : undefined;
    },
    20_000,
    `${number} Registered`,
  );

describe('A-2: the handler inbox', () => {
  it('A-2: one inbox over service requests, order lines, switches and terminations, oldest first, with counts per queue and filters', async () => {
    const sr = await submittedSr();
    const order = await submittedOrder(stack, ola);
    const line = `${order.number}:1`;
    const s = switchables('JARA-ADSL-DELT')[0]!;
    const sw = await ok(post('/v1/switch-isp', { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference }, ola), 201);
    const pstn = seedPortfolioRows().find((r) => r.companyId === 'nordnett' && r.productCode === 'PSTN')!;
    const trm = await ok(post('/v1/terminations', { number: pstn.number, requestedDate: daysAhead(45) }, ola), 201);
    const theirs = await submittedSr(nils);

    const all = await ok(inbox('limit=100'));
    const numbers = all.items.map((i: { number: string }) => i.number);
    for (const n of [sr.number, line, sw.number, trm.number, theirs.number]) expect(numbers, n).toContain(n);
    // oldest first
    const created = all.items.map((i: { createdAt: string }) => i.createdAt);
    expect(created).toEqual([...created].sort());
    const item = all.items.find((i: { number: string }) => i.number === line);
    expect(item).toMatchObject({ caseType: 'order_line', queue: 'order-handling', productCode: 'JARA-ADSL-DELT', assignee: null, manualHandling: false, companyId: 'nordnett' });
    expect(all.items.find((i: { number: string }) => i.number === sr.number)).toMatchObject({ caseType: 'service_request', queue: 'customer-service', status: 'Submitted' });
    expect(all.queues).toEqual(expect.arrayContaining([expect.objectContaining({ queue: 'order-handling' }), expect.objectContaining({ queue: 'customer-service' })]));
    expect(all.queues.reduce((n: number, q: { waiting: number }) => n + q.waiting, 0)).toBe(all.total);

    // filters: queue (counts stay per queue), case type, company, text, product, age
    const lines = await ok(inbox('queue=order-handling&caseType=order_line'));
    expect(lines.items.every((i: { caseType: string }) => i.caseType === 'order_line')).toBe(true);
    expect(lines.queues.length).toBeGreaterThan(0);
    expect((await ok(inbox('companyId=fjordtel'))).items.map((i: { number: string }) => i.number)).toEqual([theirs.number]);
    expect((await ok(inbox(`q=${encodeURIComponent(sr.number.toLowerCase())}`))).items.map((i: { number: string }) => i.number)).toEqual([sr.number]);
    expect((await ok(inbox('productCode=JARA-ADSL-DELT'))).items.map((i: { number: string }) => i.number)).toEqual(expect.arrayContaining([line, sw.number]));
    expect((await ok(inbox('minAgeDays=1'))).total).toBe(0);
    expect((await ok(inbox('maxAgeDays=1'))).total).toBe(all.total);
    expect((await ok(inbox('status=Submitted&caseType=service_request'))).total).toBe(2);
    expect((await ok(inbox('limit=2&offset=1'))).items).toEqual(all.items.slice(1, 3));
    // bad input names the field
    const bad = await inbox('limit=1000');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query.limit');
  });

  it('A-2: resellers and ops are refused the inbox and every handler tool', async () => {
    for (const token of [ola, kari, ops]) {
      expect((await inbox('', token)).status).toBe(403);
      expect((await post('/v1/handler/cases/SR-000001/take', undefined, token)).status).toBe(403);
      expect((await stack.api('GET', '/v1/handler/cases/SR-000001/notes', { token })).status).toBe(403);
    }
    expect((await stack.api('GET', '/v1/handler/inbox')).status).toBe(401);
  });
});

describe('A-2: take, assign, release', () => {
  it('A-2: a handler takes a case, another cannot take it from them, it can be assigned and released; the inbox filters by assignee', async () => {
    const sr = await submittedSr();
    const taken = await ok(post(`/v1/handler/cases/${sr.number}/take`));
    expect(taken).toMatchObject({ number: sr.number, assignee: 'hanne.handler', status: 'Submitted' });
    expect((await ok(inbox('assignee=me'))).items.map((i: { number: string }) => i.number)).toContain(sr.number);
    expect((await ok(inbox('assignee=none'))).items.map((i: { number: string }) => i.number)).not.toContain(sr.number);
    const refused = await post(`/v1/handler/cases/${sr.number}/take`, undefined, henrik);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ rule: 'A-2' });
    expect(refused.body.detail).toMatch(/held by hanne.handler/);
    expect((await ok(post(`/v1/handler/cases/${sr.number}/assign`, { assignee: 'henrik.handler' }))).assignee).toBe('henrik.handler');
    expect((await ok(inbox('assignee=henrik.handler'))).items.map((i: { number: string }) => i.number)).toContain(sr.number);
    // the SR's own handler field follows (S-7's take sets it the same way)
    expect((await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: ola })).body.handler).toBe('henrik.handler');
    const invalid = await post(`/v1/handler/cases/${sr.number}/assign`, { assignee: 'ola.nordnett' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0]).toMatchObject({ field: 'body.assignee', rule: 'A-2' });
    expect((await ok(post(`/v1/handler/cases/${sr.number}/release`, undefined, henrik))).assignee).toBeNull();
    expect((await post(`/v1/handler/cases/${sr.number}/release`)).status).toBe(409);
    const log = (await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: hanne })).body.activity.map((a: { action: string; by: string }) => `${a.action}:${a.by}`);
    expect(log).toEqual(expect.arrayContaining(['take:hanne.handler', 'assign:hanne.handler', 'release:henrik.handler']));
    expect((await post('/v1/handler/cases/SR-000000001/take')).status).toBe(404);
  });

  it('A-2: handlers list the active handlers a case can be given to; a closed handler is neither listed nor assignable; resellers and ops are refused', async () => {
    await stack.sql`INSERT INTO users (username, full_name, email, password_hash, role, department, disabled)
      VALUES ('hugo.handler', 'Hugo Sluttet', 'hugo@grossist.example', 'closed', 'handler', 'customer-service', true) ON CONFLICT (username) DO NOTHING`;
    const listed = await ok(stack.api('GET', '/v1/handler/handlers', { token: henrik }));
    expect(listed.items).toEqual([
      { username: 'hanne.handler', fullName: 'Hanne Kundeservice', department: 'customer-service' },
      { username: 'henrik.handler', fullName: 'Henrik Salgsstøtte', department: 'sales-support' },
    ]);
    const sr = await submittedSr();
    const closed = await post(`/v1/handler/cases/${sr.number}/assign`, { assignee: 'hugo.handler' });
    expect(closed.status).toBe(400);
    expect(closed.body.errors[0]).toMatchObject({ field: 'body.assignee', rule: 'A-2' });
    for (const token of [ola, kari, nils, ops]) expect((await stack.api('GET', '/v1/handler/handlers', { token })).status).toBe(403);
    expect((await stack.api('GET', '/v1/handler/handlers')).status).toBe(401);
  });

  it('A-2: of two handlers taking the same order line at once exactly one wins', async () => {
    const order = await submittedOrder(stack, ola);
    const line = `${order.number}:1`;
    const answers = await Promise.all([post(`/v1/handler/cases/${line}/take`), post(`/v1/handler/cases/${line}/take`, undefined, henrik)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.status === 200)!.body.assignee;
    expect((await lineOf(stack, hanne, order.number)).body.assignee).toBe(winner);
    // an order header is no handler's unit (its lines are): a workflow without the Update answers 409, not 500
    const header = await post(`/v1/handler/cases/${order.number}/take`);
    expect(header.status).toBe(409);
    expect(header.body.code).toBe('action_not_supported');
    expect((await ok(inbox(`assignee=${winner}&caseType=order_line`))).items.map((i: { number: string }) => i.number)).toContain(line);
  });
});

describe('G-3, G-4, A-4: notes, comments, attachments, who placed the case', () => {
  it('G-3: internal notes stay with the handlers; a comment for the customer is shown to its company only, and e-mailed to the person who placed the case', async () => {
    const sr = await submittedSr();
    await ok(post(`/v1/handler/cases/${sr.number}/notes`, { visibility: 'internal', text: 'Checked with the field team: nothing booked yet' }), 201);
    const comment = await ok(post(`/v1/handler/cases/${sr.number}/notes`, { visibility: 'customer', text: 'We are looking into the delivery date' }), 201);
    expect(comment).toMatchObject({ visibility: 'customer', author: 'hanne.handler', caseNumber: sr.number });
    const handlerView = await ok(stack.api('GET', `/v1/handler/cases/${sr.number}/notes`, { token: hanne }));
    expect(handlerView.items.map((n: { visibility: string }) => n.visibility)).toEqual(['internal', 'customer']);
    const customerView = await ok(stack.api('GET', `/v1/cases/${sr.number}/comments`, { token: kari }));
    expect(customerView.items.map((n: { text: string }) => n.text)).toEqual(['We are looking into the delivery date']);
    // A-1: another company's case answers like a missing one; A-6: ops read none
    const foreign = await stack.api('GET', `/v1/cases/${sr.number}/comments`, { token: nils });
    const missing = await stack.api('GET', `/v1/cases/SR-000000001/comments`, { token: nils });
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body).split(sr.number).join('X')).toBe(JSON.stringify(missing.body).split('SR-000000001').join('X'));
    expect((await stack.api('GET', `/v1/cases/${sr.number}/comments`, { token: ops })).status).toBe(403);
    const [mail] = await stack.sql<{ recipient: string; text: string }[]>`SELECT recipient, text FROM email_outbox WHERE idempotency_key = ${`note:${comment.id}`}`;
    expect(mail!.text).toContain('We are looking into the delivery date');
    const [olaUser] = await stack.sql<{ email: string }[]>`SELECT email FROM users WHERE username = 'ola.nordnett'`;
    expect(mail!.recipient).toBe(olaUser!.email);
    const empty = await post(`/v1/handler/cases/${sr.number}/notes`, { visibility: 'customer', text: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].field).toBe('body.text');
  });

  it('G-4: a handler uploads an attachment for the case\'s company and answers the SR with it (deck slide 93: "som vedlegg"); another company\'s attachment is refused', async () => {
    const sr = await submittedSr();
    await ok(srAction(stack, { customer: ola, handler: hanne }, sr.number, 'take'));
    const att = await ok(
      post(`/v1/handler/cases/${sr.number}/attachments`, { filename: 'svar.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF answer').toString('base64') }),
      201,
    );
    const theirs = await ok(post('/v1/attachments', { filename: 'x.txt', contentType: 'text/plain', contentBase64: 'aGVp' }, nils), 201);
    const refused = await post(`/v1/handler/service-requests/${sr.number}/complete`, { text: 'See the attached answer', attachmentIds: [theirs.id] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'body.attachmentIds.0', rule: 'G-4' });
    const done = await ok(post(`/v1/handler/service-requests/${sr.number}/complete`, { text: 'See the attached answer', attachmentIds: [att.id] }));
    expect(done.answer.attachments).toEqual([att]);
    // the customer downloads it
    const file = await stack.api('GET', `/v1/attachments/${att.id}`, { token: kari });
    expect(file.status).toBe(200);
  });

  it("G-4: a handler's note attachments are listed on the case: a customer comment's for the company, an internal note's for the wholesaler's staff only", async () => {
    const sr = await submittedSr();
    const upload = (filename: string) => ok(post(`/v1/handler/cases/${sr.number}/attachments`, { filename, contentType: 'text/plain', contentBase64: Buffer.from(filename).toString('base64') }), 201);
    const answer = await upload('svar.txt');
    const internal = await upload('intern.txt');
    await ok(post(`/v1/handler/cases/${sr.number}/notes`, { visibility: 'customer', text: 'Svar som vedlegg', attachmentIds: [answer.id] }), 201);
    await ok(post(`/v1/handler/cases/${sr.number}/notes`, { visibility: 'internal', text: 'Vår vurdering', attachmentIds: [internal.id] }), 201);
    const ids = async (token: string) => (await ok(stack.api('GET', `/v1/cases/${sr.number}/attachments`, { token }))).items.map((a: { id: string }) => a.id).sort();
    expect(await ids(ola)).toEqual([answer.id]);
    expect(await ids(kari)).toEqual([answer.id]);
    expect(await ids(hanne)).toEqual([answer.id, internal.id].sort());
    // another company's user does not even find the case
    expect((await stack.api('GET', `/v1/cases/${sr.number}/attachments`, { token: nils })).status).toBe(404);
  });

  it('A-4: the handler looks up who placed the case (usernames are personal)', async () => {
    const order = await submittedOrder(stack, ola);
    const who = await ok(stack.api('GET', `/v1/handler/cases/${order.number}:1/placed-by`, { token: hanne }));
    expect(who).toMatchObject({ username: 'ola.nordnett', companyId: 'nordnett', companyName: 'Nordnett AS', accessType: 'ordering', closed: false });
    expect(who.email).toMatch(/@/);
    expect((await stack.api('GET', `/v1/handler/cases/${order.number}:1/placed-by`, { token: ola })).status).toBe(403);
  });
});

describe('S-4: re-routing a service request', () => {
  it("S-4: a handler sends an open SR to another area's department; the holder lets go; closed SRs and the same area are refused", async () => {
    const sr = await submittedSr();
    await ok(post(`/v1/handler/cases/${sr.number}/take`));
    const moved = await ok(post(`/v1/handler/service-requests/${sr.number}/reroute`, { area: 'Invoice', subArea: 'Wrong invoice', reason: 'It is about the invoice, not the delivery' }));
    expect(moved).toMatchObject({ area: 'Invoice', subArea: 'Wrong invoice', department: 'billing', handler: null, status: 'Submitted' });
    expect(moved.activity.at(-1)).toMatchObject({ action: 'reroute', by: 'hanne.handler' });
    expect((await ok(inbox('queue=billing'))).items.map((i: { number: string }) => i.number)).toContain(sr.number);
    const same = await post(`/v1/handler/service-requests/${sr.number}/reroute`, { area: 'Invoice', subArea: 'Wrong invoice', reason: 'again' });
    expect(same.status).toBe(400);
    expect(same.body.errors[0]).toMatchObject({ field: 'body.subArea', rule: 'S-4' });
    const wrong = await post(`/v1/handler/service-requests/${sr.number}/reroute`, { area: 'Invoice', subArea: 'Broadband', reason: 'x' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0]).toMatchObject({ field: 'body.subArea', rule: 'S-5' });
    await ok(srAction(stack, { customer: ola, handler: hanne }, sr.number, 'close'));
    const closed = await post(`/v1/handler/service-requests/${sr.number}/reroute`, { area: 'Other', subArea: 'Other', reason: 'x' });
    expect(closed.status).toBe(409);
    expect((await post(`/v1/handler/service-requests/${sr.number}/reroute`, { area: 'Other', subArea: 'Other', reason: 'x' }, ola)).status).toBe(403);
  });
});

describe('C-5, O-15, O-19: an order line dates and duplicates', () => {
  it('C-5: a handler moves the Agreed Date with a reason: the line shows it, its log says who and why, the company is e-mailed; past dates and late statuses are refused', async () => {
    const order = await submittedOrder(stack, ola);
    const line = `${order.number}:1`;
    const before = await registered(line);
    const newDate = daysAhead(40);
    const changed = await ok(post(`/v1/handler/order-lines/${line}/dates`, { agreedDate: newDate, reason: 'The end user asked for a later date (SR)' }));
    expect(changed.agreedDate).toBe(newDate);
    expect(changed.activity.at(-1)).toMatchObject({ action: 'changeDates', by: 'hanne.handler' });
    expect(changed.activity.at(-1).text).toContain(`Agreed Date ${before.agreedDate} → ${newDate}`);
    expect((await lineOf(stack, ola, order.number)).body.agreedDate).toBe(newDate);
    const mails = await eventually(async () => {
      const rows = await stack.sql<{ text: string }[]>`SELECT text FROM email_outbox WHERE case_id = ${changed.caseId} AND idempotency_key LIKE '%:dates:%'`;
      return rows.length > 0 ? rows : undefined;
    });
    expect(mails[0]!.text).toContain('The end user asked for a later date');
    const [audit] = await stack.sql`SELECT username, outcome FROM audit_log WHERE case_id = ${changed.caseId} AND action = 'order_line.changeDates'`;
    expect(audit).toMatchObject({ username: 'hanne.handler', outcome: 'accepted' });

    const past = await post(`/v1/handler/order-lines/${line}/dates`, { agreedDate: addCalendarDays(osloDate(new Date()), -1), reason: 'x' });
    expect(past.status).toBe(400);
    expect(past.body.errors[0]).toMatchObject({ field: 'body.agreedDate', rule: 'C-5' });
    const early = await post(`/v1/handler/order-lines/${line}/dates`, { installationDate: daysAhead(41), reason: 'x' });
    expect(early.status).toBe(409);
    expect(early.body.rule).toBe('O-15');
    await advanceTo(stack, hanne, line, 'Field Service');
    const moved = await ok(post(`/v1/handler/order-lines/${line}/dates`, { installationDate: daysAhead(42), reason: 'Technician ill' }));
    expect(moved.installationDate).toBe(daysAhead(42));
    await advanceTo(stack, hanne, line, 'Test');
    const late = await post(`/v1/handler/order-lines/${line}/dates`, { agreedDate: daysAhead(50), reason: 'x' });
    expect(late.status).toBe(409);
    expect(late.body.rule).toBe('C-5');
    expect((await post(`/v1/handler/order-lines/${line}/dates`, { agreedDate: daysAhead(50), reason: 'x' }, ola)).status).toBe(403);
  });

  it('O-19: a line wrongly held as Duplicate is released and registered; a handler holds another as a Duplicate, and releases it back to Registered', async () => {
    const body = draftBody();
    const first = await createOrder(stack, ola, body);
    await ok(stack.api('POST', `/v1/orders/${first.number}/lines/1/availability`, { token: ola }));
    await bookWhereExpected(stack, ola, first.number);
    await ok(stack.api('POST', `/v1/orders/${first.number}/submit`, { token: ola }));
    const second = await createOrder(stack, ola, { ...body, references: { customerOrderRef: 'OTHER-19' } });
    await ok(stack.api('POST', `/v1/orders/${second.number}/lines/1/availability`, { token: ola }));
    await bookWhereExpected(stack, ola, second.number);
    expect((await ok(stack.api('POST', `/v1/orders/${second.number}/submit`, { token: ola }))).status).toBe('Duplicate');
    const dup = `${second.number}:1`;
    // a Duplicate waits in the inbox for a handler's decision
    expect((await ok(inbox('status=Duplicate'))).items.map((i: { number: string }) => i.number)).toContain(dup);
    expect((await post(`/v1/handler/order-lines/${first.number}:1/release-duplicate`, { reason: 'x' })).status).toBe(409);
    const released = await ok(post(`/v1/handler/order-lines/${dup}/release-duplicate`, { reason: 'Two flats at the same address: not a duplicate' }));
    expect(released).toMatchObject({ status: 'Committed', duplicateOf: null });
    const reg = await registered(dup);
    expect(reg.customerOrderId).toBeTruthy();

    const held = await ok(post(`/v1/handler/order-lines/${dup}/mark-duplicate`, { duplicateOf: `${first.number}:1`, reason: 'Same end user after all' }));
    expect(held).toMatchObject({ status: 'Duplicate', duplicateOf: `${first.number}:1` });
    const foreign = await submittedOrder(stack, nils);
    const bad = await post(`/v1/handler/order-lines/${dup}/release-duplicate`, {});
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('body.reason');
    const other = await post(`/v1/handler/order-lines/${first.number}:1/mark-duplicate`, { duplicateOf: `${foreign.number}:1`, reason: 'x' });
    expect(other.status).toBe(400);
    expect(other.body.errors[0]).toMatchObject({ field: 'body.duplicateOf', rule: 'O-19' });
    expect((await ok(post(`/v1/handler/order-lines/${dup}/release-duplicate`, { reason: 'Checked again' }))).status).toBe('Registered');
  });
});

describe('O-9: bulk steps on a Project order', () => {
  it('O-9: a handler advances every line of a Project order and moves their Agreed Date in one request, each line answering for itself; a Standard order is refused', async () => {
    const speed = 8;
    const body = draftBody({ orderType: 'Project', speedMbps: speed, references: { projectReference: 'PRJ-15', customerOrderRef: `PRJ-${Date.now()}` } });
    const lines = [0, 1, 2].map((i) => ({ endUser: { kind: 'person', name: `Prosjekt Bruker ${i}-${Date.now()}`, birthDate: '1980-01-01' }, address: { addressId: freshAddress() } }));
    const order = await createOrder(stack, ola, { ...body, lines });
    for (const n of [1, 2, 3]) await ok(stack.api('POST', `/v1/orders/${order.number}/lines/${n}/availability`, { token: ola }));
    await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: ola }));
    for (const n of [1, 2, 3]) await registered(`${order.number}:${n}`);
    // line 3 goes ahead alone, so the bulk step refuses it and applies the others
    await advanceTo(stack, hanne, `${order.number}:3`, 'Design');
    const advanced = await ok(post(`/v1/handler/orders/${order.number}/bulk`, { action: 'advance', to: 'Ordered' }));
    expect(advanced.lines.map((l: { lineNo: number; ok: boolean; status: string }) => [l.lineNo, l.ok, l.status])).toEqual([
      [1, true, 'Ordered'],
      [2, true, 'Ordered'],
      [3, false, 'Design'],
    ]);
    expect(advanced.lines[2].problem).toMatchObject({ status: 409, rule: 'O-15' });
    const dated = await ok(post(`/v1/handler/orders/${order.number}/bulk`, { action: 'changeDates', agreedDate: daysAhead(60), reason: 'The project moved', lineNos: [1, 2] }));
    expect(dated.lines.every((l: { ok: boolean }) => l.ok)).toBe(true);
    expect((await lineOf(stack, ola, order.number, 2)).body.agreedDate).toBe(daysAhead(60));
    expect((await lineOf(stack, ola, order.number, 3)).body.agreedDate).not.toBe(daysAhead(60));
    // the order's workflow drove the lines: its timeline records the step with each line's answer
    const timeline = await ok(stack.api('GET', `/v1/orders/${order.number}/timeline?include=all`, { token: hanne }));
    expect(JSON.stringify(timeline.items)).toContain('bulk.advance');
    // the same request again with its Idempotency-Key: the first answer, nothing stepped twice
    const again = (key: string) =>
      stack.api('POST', `/v1/handler/orders/${order.number}/bulk`, { token: hanne, json: { action: 'advance', to: 'Design', lineNos: [1] }, headers: { 'Idempotency-Key': key } });
    const key = `bulk-${Date.now()}`;
    const first = await ok(again(key));
    const replay = await again(key);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.body.lines).toEqual(first.lines);
    expect((await lineOf(stack, ola, order.number, 1)).body.status).toBe('Design');
    const fieldService = await post(`/v1/handler/orders/${order.number}/bulk`, { action: 'advance', to: 'Field Service' });
    expect(fieldService.status).toBe(400);
    expect(fieldService.body.errors[0].field).toBe('body.installationDate');
    const missing = await post(`/v1/handler/orders/${order.number}/bulk`, { action: 'advance', to: 'Design', lineNos: [9] });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('body.lineNos');
    const noDate = await post(`/v1/handler/orders/${order.number}/bulk`, { action: 'changeDates', reason: 'x' });
    expect(noDate.status).toBe(400);
    expect(noDate.body.errors[0].field).toBe('body.agreedDate');
    const standard = await submittedOrder(stack, ola);
    const refused = await post(`/v1/handler/orders/${standard.number}/bulk`, { action: 'advance', to: 'Ordered' });
    expect(refused.status).toBe(409);
    expect(refused.body.rule).toBe('O-9');
    expect((await post(`/v1/handler/orders/${order.number}/bulk`, { action: 'advance', to: 'Design' }, ola)).status).toBe(403);
  });
});
