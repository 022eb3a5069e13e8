// Home through the API (M-4): operational messages in their windows (planned ahead, in force,
// expired, withdrawn), release notes and training material, published by handlers (audited), and
// what needs the signed-in user's action in the company's cases (M-4.1). Tenancy (A-1, A-6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// the stack (and with it the API's zod extension) first: domain schemas made before it lack .openapi()
import { eventually, type Stack, startStack } from '../support/stack';
import { createOrder, ok, submittedOrder, lineOf, handlerStep } from '../support/orders';
import { srInStatus } from '../support/service-requests';

let stack: Stack;
let ola: string;
let kari: string;
let nils: string;
let hanne: string;
let olav: string;
const AUTO_CANCEL_MS = 2 * 24 * 3600 * 1000; // O-20 shortened to 2 days: every draft is within the 3-day warning

beforeAll(async () => {
  stack = await startStack({ timings: { orderAutoCancel: { ms: AUTO_CANCEL_MS } } });
  [ola, kari, nils, hanne, olav] = (await Promise.all(['ola.nordnett', 'kari.nordnett', 'nils.fjordtel', 'hanne.handler', 'olav.ops'].map((u) => stack.login(u)))) as [
    string,
    string,
    string,
    string,
    string,
  ];
});
afterAll(async () => {
  await stack?.stop();
});

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const home = async (token: string) => ok(stack.api('GET', '/v1/home', { token }));
const publish = (json: Record<string, unknown>, token = hanne) => stack.api('POST', '/v1/handler/operational-messages', { token, json });
const ids = (items: Array<{ id: string }>) => items.map((m) => m.id);

describe('M-4.2: operational messages in their windows', () => {
  it('M-4.2: a handler publishes now, planned ahead and with an end; Home and the message list show only those in force', async () => {
    const now = await ok(
      publish({
        kind: 'fault',
        title: 'Brudd i Bergen',
        body: 'Fiberbrudd ved Danmarksplass',
        productCodes: ['JARA-ADSL-DELT'],
        municipalities: ['Bergen'],
        postcodes: ['5008'],
        endsAt: inMinutes(120),
      }),
      201,
    );
    expect(now).toMatchObject({ state: 'in_force', publishedBy: 'hanne.handler', productCodes: ['JARA-ADSL-DELT'], withdrawnAt: null });
    const planned = await ok(publish({ kind: 'planned_work', title: 'Planlagt arbeid Oslo', body: 'Oppgradering av sentral', startsAt: inMinutes(60), endsAt: inMinutes(180) }), 201);
    expect(planned.state).toBe('planned');
    const expired = await ok(publish({ kind: 'planned_work', title: 'Ferdig arbeid', body: 'Gjort i går', startsAt: inMinutes(-120), endsAt: inMinutes(-60) }), 201);
    expect(expired.state).toBe('expired');

    const h = await home(kari); // read access suffices
    expect(ids(h.operationalMessages)).toContain(now.id);
    expect(ids(h.operationalMessages)).not.toContain(planned.id);
    expect(ids(h.operationalMessages)).not.toContain(expired.id);
    expect(h.operationalMessages.find((m: { id: string }) => m.id === now.id)).toMatchObject({ kind: 'fault', municipalities: ['Bergen'], postcodes: ['5008'], endsAt: now.endsAt });
    // filtered by product and place: a message covering another product or place is left out
    expect(ids((await ok(stack.api('GET', '/v1/operational-messages?productCode=JARA-ADSL-DELT&postcode=5008', { token: ola }))).items)).toContain(now.id);
    expect(ids((await ok(stack.api('GET', '/v1/operational-messages?productCode=PSTN', { token: ola }))).items)).not.toContain(now.id);
    expect(ids((await ok(stack.api('GET', '/v1/operational-messages?municipality=Oslo', { token: ola }))).items)).not.toContain(now.id);
    // the handler's list shows every state
    const all = (await ok(stack.api('GET', '/v1/handler/operational-messages', { token: hanne }))).items as Array<{ id: string; state: string }>;
    expect(Object.fromEntries(all.map((m) => [m.id, m.state]))).toMatchObject({ [now.id]: 'in_force', [planned.id]: 'planned', [expired.id]: 'expired' });
    expect(ids((await ok(stack.api('GET', '/v1/handler/operational-messages?state=planned', { token: hanne }))).items)).toEqual([planned.id]);

    // the planned work starts now: changed, it is shown
    const started = await ok(stack.api('PATCH', `/v1/handler/operational-messages/${planned.id}`, { token: hanne, json: { startsAt: inMinutes(-1), title: 'Planlagt arbeid Oslo (startet)' } }));
    expect(started).toMatchObject({ state: 'in_force', title: 'Planlagt arbeid Oslo (startet)' });
    expect(ids((await home(ola)).operationalMessages)).toContain(planned.id);
  });

  it('M-4.2: a message expires at the end of its window without anyone acting', async () => {
    const short = await ok(publish({ kind: 'fault', title: 'Kort brudd', body: 'Ustabil linje', endsAt: new Date(Date.now() + 1500).toISOString() }), 201);
    expect(ids((await home(ola)).operationalMessages)).toContain(short.id);
    await eventually(async () => !ids((await home(ola)).operationalMessages).includes(short.id), 10_000, 'the message expired');
    const listed = (await ok(stack.api('GET', '/v1/handler/operational-messages?state=expired', { token: hanne }))).items;
    expect(ids(listed)).toContain(short.id);
  });

  it('M-4.2, A-4: a withdrawn message is no longer shown and cannot change; every publication, change and withdrawal is audited', async () => {
    const m = await ok(publish({ kind: 'fault', title: 'Trekkes', body: 'Feil melding' }), 201);
    const withdrawn = await ok(stack.api('DELETE', `/v1/handler/operational-messages/${m.id}`, { token: hanne }));
    expect(withdrawn).toMatchObject({ state: 'withdrawn', withdrawnAt: expect.any(String) });
    expect(ids((await home(ola)).operationalMessages)).not.toContain(m.id);
    const again = await stack.api('DELETE', `/v1/handler/operational-messages/${m.id}`, { token: hanne });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'withdrawn', rule: 'M-4.2' });
    expect((await stack.api('PATCH', `/v1/handler/operational-messages/${m.id}`, { token: hanne, json: { title: 'Ny' } })).status).toBe(409);
    expect((await stack.api('PATCH', '/v1/handler/operational-messages/00000000-0000-4000-8000-000000000001', { token: hanne, json: { title: 'Ny' } })).status).toBe(404);
    const audit = await stack.sql<{ action: string; username: string }[]>`
      SELECT action, username FROM audit_log WHERE action LIKE 'operational_message.%' AND outcome = 'accepted' AND detail ->> 'id' = ${m.id} ORDER BY id`;
    expect(audit).toEqual([
      { action: 'operational_message.publish', username: 'hanne.handler' },
      { action: 'operational_message.withdraw', username: 'hanne.handler' },
    ]);
    expect((await stack.sql`SELECT 1 FROM audit_log WHERE action = 'operational_message.change' AND outcome = 'accepted'`).length).toBeGreaterThan(0);
  });

  it('M-4.2: bad input names every field: a window ending before it starts, unknown products, bad postcodes', async () => {
    const res = await publish({ kind: 'fault', title: 'x', body: 'y', productCodes: ['NO-SUCH'], startsAt: inMinutes(60), endsAt: inMinutes(30) });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.endsAt', 'body.productCodes.0']);
    const shape = await publish({ kind: 'rumour', title: '', body: 'y', postcodes: ['12'], startsAt: 'tomorrow' });
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.kind', 'body.postcodes.0', 'body.startsAt', 'body.title']);
  });

  it('M-4.2, A-2, A-6: only handlers publish; ops see no Home or messages', async () => {
    for (const token of [ola, kari]) {
      expect((await publish({ kind: 'fault', title: 'x', body: 'y' }, token)).status).toBe(403);
      expect((await stack.api('POST', '/v1/handler/release-notes', { token, json: { kind: 'training', title: 'x', body: 'y' } })).status).toBe(403);
    }
    for (const path of ['/v1/home', '/v1/operational-messages', '/v1/release-notes']) expect((await stack.api('GET', path, { token: olav })).status).toBe(403);
    expect((await stack.api('GET', '/v1/home')).status).toBe(401);
  });
});

describe('M-4.1: training material and release notes', () => {
  it('M-4.1: Home shows the newest release notes and training material, not planned or withdrawn ones', async () => {
    const note = (json: Record<string, unknown>) => ok(stack.api('POST', '/v1/handler/release-notes', { token: hanne, json }), 201);
    const older = await note({ kind: 'release_note', title: 'Release 4.1', body: 'Fakturaer i portalen', publishedAt: inMinutes(-60) });
    const newer = await note({ kind: 'release_note', title: 'Release 4.2', body: 'Driftsmeldinger på Home' });
    const training = await note({ kind: 'training', title: 'Feilmeldingsmodulen', body: 'Kurs for nye brukere', link: 'https://opplaering.example/feil' });
    const future = await note({ kind: 'release_note', title: 'Release 5.0', body: 'Kommer', publishedAt: inMinutes(600) });
    const gone = await note({ kind: 'training', title: 'Utgått kurs', body: 'x' });
    await ok(stack.api('DELETE', `/v1/handler/release-notes/${gone.id}`, { token: hanne }));

    const h = await home(ola);
    expect(ids(h.releaseNotes)).toEqual([newer.id, older.id]);
    expect(ids(h.training)).toEqual([training.id]);
    expect(h.training[0]).toMatchObject({ kind: 'training', link: 'https://opplaering.example/feil', publishedBy: 'hanne.handler' });
    expect(ids((await ok(stack.api('GET', '/v1/release-notes?kind=release_note', { token: nils }))).items)).toEqual([newer.id, older.id]);
    // the handler changes a note; publishing the planned one now shows it first
    await ok(stack.api('PATCH', `/v1/handler/release-notes/${future.id}`, { token: hanne, json: { publishedAt: new Date().toISOString() } }));
    expect(ids((await home(ola)).releaseNotes)[0]).toBe(future.id);
    const http = await stack.api('POST', '/v1/handler/release-notes', { token: hanne, json: { kind: 'training', title: 'x', body: 'y', link: 'http://plain.example' } });
    expect(http.status).toBe(400);
    expect(http.body.errors[0]).toMatchObject({ field: 'body.link' });
  });
});

describe('M-4.1: what needs my action', () => {
  it("M-4.1: Incomplete order lines, quote lines and SRs, quotes ready to order, Completed SRs to close, drafts auto-cancel takes within 3 days, tickets waiting for the customer — the company's own only", async () => {
    const tokens = { customer: ola, handler: hanne };
    const srIncomplete = await srInStatus(stack, tokens, 'Incomplete');
    const srCompleted = await srInStatus(stack, tokens, 'Completed');
    const draft = await createOrder(stack, ola);
    const order = await submittedOrder(stack, ola);
    const lineNumber = `${order.number}:1`;
    await eventually(async () => ((await lineOf(stack, ola, order.number)).body.status === 'Registered' ? true : undefined), 20_000, 'registered');
    await ok(handlerStep(stack, hanne, lineNumber, 'incomplete', { comment: 'The flat number is missing' }));
    // a quote priced from the price list (Completed, ready to order) and one whose line the handler set Incomplete
    const line = { productCode: 'SAMB-ETH', speedMbps: 34, addressAId: 'adr-0003', addressBId: 'adr-0004' };
    const ready = await ok(stack.api('POST', '/v1/quotes', { token: ola, json: { customerReference: 'Home ready', lines: [line] } }), 201);
    await ok(stack.api('POST', `/v1/quotes/${ready.number}/submit`, { token: ola, json: {} }));
    const manual = await ok(stack.api('POST', '/v1/quotes', { token: ola, json: { customerReference: 'Home manual', lines: [{ ...line, addressBId: 'adr-0006' }] } }), 201);
    await ok(stack.api('POST', `/v1/quotes/${manual.number}/submit`, { token: ola, json: { confirmManualPricing: [1] } }));
    await ok(stack.api('POST', `/v1/handler/quotes/${manual.number}/lines/1/take`, { token: hanne }));
    await ok(stack.api('POST', `/v1/handler/quotes/${manual.number}/lines/1/incomplete`, { token: hanne, json: { comment: 'Which floor?' } }));
    // M-2's trouble tickets are built beside this module on the same read model: a ticket row waiting for the customer
    for (const [company, number] of [
      ['nordnett', 'TT-100000001'],
      ['fjordtel', 'TT-100000002'],
    ] as const)
      await stack.sql`
        INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, version, created_at, updated_at, updated_by, detail)
        VALUES (${`trouble-ticket:${number}`}, 'trouble_ticket', ${number}, ${company}, 'Incomplete', 'No sync on 22604411', '{}', 1, now(), now(), 'hanne.handler', '{}')`;

    const h = await eventually(
      async () => {
        const res = await home(kari);
        return res.actions.completedQuotes.length > 0 ? res : undefined;
      },
      15_000,
      'the quote priced',
    );
    const numbers = (items: Array<{ number: string }>) => items.map((i) => i.number);
    expect(numbers(h.actions.incompleteServiceRequests)).toEqual([srIncomplete.number]);
    expect(numbers(h.actions.completedServiceRequests)).toEqual([srCompleted.number]);
    expect(numbers(h.actions.incompleteOrderLines)).toEqual([lineNumber]);
    expect(h.actions.incompleteQuoteLines).toEqual([expect.objectContaining({ caseType: 'quote', number: manual.number, lineNo: 1, status: 'Incomplete' })]);
    expect(numbers(h.actions.completedQuotes)).toEqual([ready.number]);
    expect(h.actions.ticketsWaitingForCustomer).toEqual([expect.objectContaining({ caseType: 'trouble_ticket', number: 'TT-100000001', status: 'Incomplete' })]);
    const due = h.actions.expiringDrafts.find((d: { number: string }) => d.number === draft.number);
    expect(due).toMatchObject({ caseType: 'order', status: 'New' });
    expect(Math.abs(new Date(due.dueAt).getTime() - (Date.now() + AUTO_CANCEL_MS))).toBeLessThan(120_000);
    // a draft the auto-cancel takes in more than 3 days is not listed yet (its read-model due date as a
    // longer O-20 period would set it: this stack's period is 2 days for every draft)
    const later = await createOrder(stack, ola);
    await stack.sql`UPDATE cases SET detail = jsonb_set(detail, '{autoCancelAt}', to_jsonb(${inMinutes(73 * 60)}::text)) WHERE case_type = 'order' AND number = ${later.number}`;
    expect((await home(ola)).actions.expiringDrafts.map((d: { number: string }) => d.number)).not.toContain(later.number);
    await stack.sql`UPDATE cases SET detail = jsonb_set(detail, '{autoCancelAt}', to_jsonb(${inMinutes(71 * 60)}::text)) WHERE case_type = 'order' AND number = ${later.number}`;
    expect((await home(ola)).actions.expiringDrafts.map((d: { number: string }) => d.number)).toContain(later.number);
    expect(h.user).toMatchObject({ username: 'kari.nordnett', companyId: 'nordnett', accessType: 'read' });

    // the other company sees none of it (A-1); a handler's work is in the handler queues
    const other = await home(nils);
    const everything = JSON.stringify(other.actions);
    for (const n of [srIncomplete.number, srCompleted.number, draft.number, lineNumber, ready.number, manual.number, 'TT-100000001']) expect(everything).not.toContain(n);
    expect(numbers(other.actions.ticketsWaitingForCustomer)).toEqual(['TT-100000002']);
    expect(Object.values((await home(hanne)).actions).every((list) => (list as unknown[]).length === 0)).toBe(true);
  });
});
