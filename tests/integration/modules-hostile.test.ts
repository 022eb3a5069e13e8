// A hostile reseller against the modules of issue 14 through the API: trouble tickets (M-2), invoice
// disputes (M-3.4) and Home's messages (M-4.2). Another company's product by address, a technician
// slot outside the product's area, raw bytes and unpaired surrogates in bodies, identical actions at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import addressData from '../../adapters/data/addresses.json' with { type: 'json' };
import type { Address } from '../../adapters/address-register';
import { technicianArea } from '../../adapters/appointments';
import { ok } from '../support/orders';
import { daysAhead } from '../support/portfolio';
import { srAction } from '../support/service-requests';
import { type Stack, startStack } from '../support/stack';
import { companyInvoice } from '../support/tenancy-fixtures';
import { createTicket, faultyProduct, submittedTicket, ticketBody } from '../support/trouble-tickets';

let stack: Stack;
let ola: string;
let nils: string;
let hanne: string;
let henrik: string;
beforeAll(async () => {
  stack = await startStack();
  [ola, nils, hanne, henrik] = (await Promise.all(['ola.nordnett', 'nils.fjordtel', 'hanne.handler', 'henrik.handler'].map((u) => stack.login(u)))) as [string, string, string, string];
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const act = (number: string, path: string, json: unknown = {}, token = ola) => stack.api('POST', `/v1/trouble-tickets/${number}/${path}`, { token, json });
const handlerAct = (number: string, path: string, json?: unknown, token = hanne) =>
  stack.api('POST', `/v1/handler/trouble-tickets/${number}/${path}`, { token, ...(json !== undefined ? { json } : {}) });
const fields = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((e) => e.field);

describe('M-2.2, A-1: another company’s product by address', () => {
  it('M-2.2, A-1: raising or pre-checking at the address of another company’s product answers exactly like an address with no product', async () => {
    const foreign = faultyProduct('fjordtel').addressId;
    const empty = 'adr-0069'; // a register address no portfolio holds (a free address of the order tests)
    const [[row]] = await Promise.all([stack.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM portfolio_products WHERE address_id = ${empty}`]);
    expect(row!.n).toBe(0);
    for (const path of ['/v1/trouble-tickets', '/v1/trouble-tickets/precheck']) {
      const body = (addressId: string) => (path.endsWith('precheck') ? { addressId } : { ...ticketBody('x'), number: undefined, addressId });
      const other = await stack.api('POST', path, { token: ola, json: body(foreign) });
      const missing = await stack.api('POST', path, { token: ola, json: body(empty) });
      expect(other.status, path).toBe(400);
      expect(other.body.errors[0]).toMatchObject({ field: 'body.addressId', code: 'reference_not_found', rule: 'M-2.2' });
      expect(JSON.stringify(other.body).split(foreign).join('A')).toBe(JSON.stringify(missing.body).split(empty).join('A'));
    }
  });
});

describe('M-2.6, X-3: the repair appointment is at the product', () => {
  it('M-2.6, X-3: a free slot of another technician area is refused naming body.slotId; a slot at the product address is booked', async () => {
    const p = faultyProduct('nordnett');
    const tt = await submittedTicket(stack, ola, p.number);
    const here = (await stack.sims.addresses.get(p.addressId))!;
    const elsewhere = (addressData as Address[]).find((a) => !a.postBox && technicianArea(a) !== technicianArea(here))!;
    const slots = async (addressId: string) =>
      (await ok(stack.api('GET', `/v1/reference/appointment-slots?addressId=${addressId}&from=${daysAhead(3)}&to=${daysAhead(20)}`, { token: ola }))).items as Array<{ slotId: string }>;
    const [away] = await slots(elsewhere.id);
    const refused = await act(tt.number, 'appointment', { slotId: away!.slotId });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'body.slotId', rule: 'X-3' })]);
    expect((await ok(stack.api('GET', `/v1/trouble-tickets/${tt.number}`, { token: ola }))).appointment).toBeNull();
    const [near] = await slots(p.addressId);
    expect((await ok(act(tt.number, 'appointment', { slotId: near!.slotId }))).appointment).toMatchObject({ slotId: near!.slotId });
    // the handler cannot move it out of the area either
    expect((await act(tt.number, 'appointment', { slotId: away!.slotId }, hanne)).status).toBe(400);
  });
});

describe('identical actions at once', () => {
  it('M-2.6: two resolves of one ticket at once (the same handler twice, and another handler): one resolves, the others answer 409; one resolve recorded', async () => {
    const tt = await submittedTicket(stack, ola, faultyProduct('nordnett').number);
    await ok(handlerAct(tt.number, 'take'));
    const resolve = { cause: 'Port hung', resolution: 'Port reset' };
    const answers = await Promise.all([handlerAct(tt.number, 'resolve', resolve), handlerAct(tt.number, 'resolve', resolve), handlerAct(tt.number, 'resolve', resolve, henrik)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const view = await ok(stack.api('GET', `/v1/trouble-tickets/${tt.number}`, { token: ola }));
    expect(view.status).toBe('Resolved');
    expect(view.activity.filter((a: { action: string }) => a.action === 'resolve')).toHaveLength(1);
    const events = await stack.sql<{ status: string }[]>`SELECT status FROM case_events WHERE case_id = ${tt.caseId} AND status = 'Resolved'`;
    expect(events).toHaveLength(1);
  });

  it('M-2.5: two cancels and two submits at once: one each wins, the rest answer 409', async () => {
    const a = await createTicket(stack, ola, faultyProduct('nordnett').number);
    const submits = await Promise.all([act(a.number, 'submit'), act(a.number, 'submit')]);
    expect(submits.map((r) => r.status).sort()).toEqual([200, 409]);
    const cancels = await Promise.all([act(a.number, 'cancel', { comment: 'Gone' }), act(a.number, 'cancel', { comment: 'Gone' })]);
    expect(cancels.map((r) => r.status).sort()).toEqual([200, 409]);
    const view = await ok(stack.api('GET', `/v1/trouble-tickets/${a.number}`, { token: ola }));
    expect(view.activity.map((x: { action: string }) => x.action)).toEqual(['create', 'submit', 'cancel']);
  });
});

describe('raw bytes and unpaired surrogates', () => {
  const raw = (path: string, bytes: Uint8Array, token = ola) =>
    stack.fetch(`http://api${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: bytes });
  const concat = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p)] : p)));

  it('M-2, A-1: an unpaired surrogate (which jsonb cannot hold) is refused naming the field, on raising, updating and answering a ticket; the ticket works on', async () => {
    const p = faultyProduct('nordnett');
    const lone = 'No sync \ud800 since the storm';
    const create = await stack.api('POST', '/v1/trouble-tickets', { token: ola, json: ticketBody(p.number, { symptom: lone }) });
    expect(create.status).toBe(400);
    expect(fields(create.body)).toEqual(['body.symptom']);
    const tt = await createTicket(stack, ola, p.number);
    for (const [path, json] of [
      ['update', { symptom: lone }],
      ['update', { endUserContact: { name: 'Kari \udc00', phone: '41234567', accessHours: 'Always' } }],
      ['submit', { comment: lone }],
    ] as const) {
      const res = await act(tt.number, path, json);
      expect(res.status, `${path} ${JSON.stringify(json)}`).toBe(400);
      expect(res.body.errors[0].field).toMatch(/^body\./);
    }
    // a pair is a character like any other
    expect((await ok(act(tt.number, 'update', { symptom: 'No sync since the storm 🌩️ (pair)' }))).symptom).toContain('🌩️');
    await ok(act(tt.number, 'submit'));
    await ok(handlerAct(tt.number, 'take'));
    expect((await handlerAct(tt.number, 'request-info', { text: 'Which \ud83d lights?' })).status).toBe(400);
    await ok(handlerAct(tt.number, 'request-info', { text: 'Which lights?' }));
    expect((await act(tt.number, 'customer-update', { text: 'Only \udfff power' })).status).toBe(400);
    expect((await ok(act(tt.number, 'customer-update', { text: 'Only power' }))).status).toBe('Customer Update');
    // a service request about it and a handler's message alike
    const sr = await stack.api('POST', '/v1/service-requests', {
      token: ola,
      json: { area: 'Other', subArea: 'Other', reference: { kind: 'trouble_ticket', value: tt.number }, description: `Compensation ${'\ud800'} please` },
    });
    expect(fields(sr.body)).toEqual(['body.description']);
    const message = await stack.api('POST', '/v1/handler/operational-messages', { token: hanne, json: { kind: 'fault', title: 'Brudd \udbff', body: 'x' } });
    expect(message.status).toBe(400);
    expect(fields(message.body)).toEqual(['body.title']);
  });

  it('M-2: bytes that are no UTF-8 are read as replacement characters, broken JSON is a 400 naming body: never a 5xx, and the ticket works on', async () => {
    const tt = await createTicket(stack, ola, faultyProduct('nordnett').number);
    const bad = await raw(`/v1/trouble-tickets/${tt.number}/update`, concat('{"symptom":"No sync ', [0xff, 0xfe, 0xc3], ' since the storm"}'));
    expect(bad.status).toBe(200);
    expect(((await bad.json()) as { symptom: string }).symptom).toBe('No sync \ufffd\ufffd\ufffd since the storm');
    for (const bytes of [concat('{"symptom":"x'), concat([0xef, 0xbb, 0xbf], '{"text":1}'), concat('{"reason":', [0x80], '}')]) {
      for (const path of ['update', 'reopen', 'customer-update']) {
        const res = await raw(`/v1/trouble-tickets/${tt.number}/${path}`, bytes);
        expect(res.status, `${path} ${Buffer.from(bytes).toString('hex')}`).toBeLessThan(500);
        expect(res.status).not.toBe(200);
      }
    }
    expect((await raw('/v1/trouble-tickets/precheck', concat('{"number":"', [0xff], '"}'))).status).toBe(400);
    expect((await ok(act(tt.number, 'submit'))).status).toBe('Submitted');
  });
});

describe('M-3.4: dispute outcomes against the invoice they belong to', () => {
  it('M-3.4, A-1: an outcome naming another company’s request is refused; a rejected outcome is recorded once under identical requests, and the invoice is issued again once the request is done', async () => {
    const [mine, theirs] = await Promise.all([companyInvoice(stack, 'nordnett'), companyInvoice(stack, 'fjordtel')]);
    const dispute = async (token: string, invoice: string) =>
      ok(
        stack.api('POST', '/v1/service-requests', {
          token,
          json: { area: 'Invoice', subArea: 'Wrong invoice', reference: { kind: 'invoice', value: invoice }, description: 'The rent is billed twice' },
        }),
        201,
      );
    const own = await dispute(ola, mine);
    const foreign = await dispute(nils, theirs);
    for (const [number, customer] of [
      [own.number, ola],
      [foreign.number, nils],
    ] as const) {
      await ok(srAction(stack, { customer, handler: hanne }, number, 'submit'));
      await ok(srAction(stack, { customer, handler: hanne }, number, 'take'));
    }
    const outcome = (serviceRequest: string) =>
      stack.api('POST', `/v1/handler/invoices/${mine}/outcome`, { token: hanne, json: { serviceRequest, outcome: 'rejected', note: 'The rent is billed once' } });
    const wrong = await outcome(foreign.number);
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'body.serviceRequest', code: 'reference_not_found', rule: 'M-3.4' })]);
    const both = await Promise.all([outcome(own.number), outcome(own.number)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await stack.sql`SELECT 1 FROM invoice_outcomes WHERE invoice_number = ${mine}`).length).toBe(1);
    expect((await ok(stack.api('GET', `/v1/invoices/${mine}`, { token: ola }))).status).toBe('disputed');
    await ok(srAction(stack, { customer: ola, handler: hanne }, own.number, 'complete', { text: 'Checked: billed once' }));
    const after = await ok(stack.api('GET', `/v1/invoices/${mine}`, { token: ola }));
    expect(after).toMatchObject({ status: 'issued', creditedOre: 0, disputes: [expect.objectContaining({ serviceRequest: own.number, outcome: expect.objectContaining({ outcome: 'rejected' }) })] });
    // the other company's invoice still shows its own dispute only, undecided
    const theirsView = await ok(stack.api('GET', `/v1/invoices/${theirs}`, { token: nils }));
    expect(theirsView.disputes).toEqual([expect.objectContaining({ serviceRequest: foreign.number, outcome: null })]);
  }, 90_000);
});
