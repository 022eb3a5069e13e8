// Trouble tickets (M-2) through the API against the real stack: access (M-2.1), test before raising
// (M-2.2), open tickets, operational messages and no duplicates (M-2.3), the status flow with the fault
// desk (M-2.5, M-2.6), appointments, service requests from a ticket (M-2.7, S-6), tenancy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../support/orders';
import { daysAhead } from '../support/portfolio';
import { eventually, type Stack, startStack } from '../support/stack';
import { createTicket, faultyProduct, productsWith, submittedTicket, ticketBody } from '../support/trouble-tickets';

let stack: Stack;
const t: Record<string, string> = {};
beforeAll(async () => {
  stack = await startStack();
  for (const u of ['ola.nordnett', 'kari.nordnett', 'ingrid.nordnett', 'per.nordnett', 'nils.fjordtel', 'hanne.handler', 'henrik.handler', 'olav.ops']) t[u] = await stack.login(u);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const ola = () => t['ola.nordnett']!;
const hanne = () => t['hanne.handler']!;
const get = async (number: string, token = ola()) => (await stack.api('GET', `/v1/trouble-tickets/${number}`, { token })).body;
const act = (number: string, path: string, json: unknown = {}, token = ola()) => stack.api('POST', `/v1/trouble-tickets/${number}/${path}`, { token, json });
const handlerAct = (number: string, path: string, json?: unknown, token = hanne()) =>
  stack.api('POST', `/v1/handler/trouble-tickets/${number}/${path}`, { token, ...(json !== undefined ? { json } : {}) });

describe('M-2.1: the fault module needs its training', () => {
  it('M-2.1: read access, a handler and ops cannot raise tickets; an ordering user without the fault training is refused naming M-2.1', async () => {
    const p = faultyProduct('nordnett');
    expect((await stack.api('POST', '/v1/trouble-tickets', { token: t['kari.nordnett'], json: ticketBody(p.number) })).status).toBe(403);
    expect((await stack.api('POST', '/v1/trouble-tickets', { token: hanne(), json: ticketBody(p.number) })).status).toBe(403);
    expect((await stack.api('POST', '/v1/trouble-tickets/precheck', { token: t['olav.ops'], json: { number: p.number } })).status).toBe(403);
    await stack.sql`UPDATE users SET training = '{ordering,full}' WHERE username = 'per.nordnett'`;
    const per = await stack.login('per.nordnett');
    const refused = await stack.api('POST', '/v1/trouble-tickets', { token: per, json: ticketBody(p.number) });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ rule: 'M-2.1' });
    expect((await stack.api('POST', '/v1/trouble-tickets/precheck', { token: per, json: { number: p.number } })).status).toBe(403);
    // the trained user of the same company may
    expect((await stack.api('POST', '/v1/trouble-tickets', { token: ola(), json: ticketBody(p.number) })).status).toBe(201);
  });
});

describe('M-2.2: test before raising', () => {
  it('M-2.2: the pre-check tests the line: a fault is found on one line, none on another, and a ticket on the healthy line is refused (422) with the test result', async () => {
    const faulty = faultyProduct('nordnett');
    const healthy = productsWith('nordnett', 'no_fault_found')[0]!;
    const pre = await ok(stack.api('POST', '/v1/trouble-tickets/precheck', { token: ola(), json: { number: faulty.number } }));
    expect(pre.product.number).toBe(faulty.number);
    expect(pre.lineTest.verdict).toBe('fault_found');
    expect(pre.mayRaise).toBe(true);
    const preOk = await ok(stack.api('POST', '/v1/trouble-tickets/precheck', { token: ola(), json: { number: healthy.number } }));
    expect(preOk.lineTest.verdict).toBe('no_fault_found');
    expect(preOk.mayRaise).toBe(false);
    expect(preOk.reason).toMatch(/no fault/);
    const refused = await stack.api('POST', '/v1/trouble-tickets', { token: ola(), json: ticketBody(healthy.number) });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'no_fault_found', rule: 'M-2.2', lineTest: { verdict: 'no_fault_found' } });
    // a fault appears on the line (the test system's state changes): now the ticket is accepted
    stack.sims.lineTest.setVerdict(healthy.number, 'fault_found');
    const tt = await createTicket(stack, ola(), healthy.number);
    expect(tt.lineTest).toMatchObject({ verdict: 'fault_found' });
  });

  it('M-2.2: raised by address (the one product there) with every field; the ticket records product, place, contact and the test', async () => {
    const p = faultyProduct('nordnett');
    const upload = await ok(
      stack.api('POST', '/v1/attachments', { token: ola(), json: { filename: 'photo.txt', contentType: 'text/plain', contentBase64: Buffer.from('modem lights').toString('base64') } }),
      201,
    );
    const tt = await ok(
      stack.api('POST', '/v1/trouble-tickets', {
        token: ola(),
        json: { ...ticketBody('x', { severity: 'Critical', category: 'Degraded service', customerReference: 'NN-4711', attachmentIds: [upload.id] }), number: undefined, addressId: p.addressId },
      }),
      201,
    );
    expect(tt).toMatchObject({
      status: 'New',
      severity: 'Critical',
      category: 'Degraded service',
      customerReference: 'NN-4711',
      product: { number: p.number, productCode: p.productCode, address: { id: p.addressId } },
      endUserContact: { name: 'Kari Sluttbruker', phone: '41234567', accessHours: 'Weekdays 08–16' },
      lineTest: { verdict: 'fault_found' },
      repairClock: { running: false, usedMs: 0 },
    });
    expect(tt.number).toMatch(/^TT-\d{9}$/);
    expect(tt.caseId).toBe(`trouble-ticket:${tt.number}`);
    expect(tt.attachments[0].id).toBe(upload.id);
    expect(tt.product.address.municipality).toBeTruthy();
  });

  it('M-2.2: when the line-test system is down the ticket may still be raised, recorded as unavailable; bad input is refused naming every field', async () => {
    stack.sims.lineTest.faults.set({ errorRate: 1 });
    try {
      const tt = await createTicket(stack, ola(), faultyProduct('nordnett').number);
      expect(tt.lineTest).toMatchObject({ verdict: 'unavailable', testId: null });
    } finally {
      stack.sims.lineTest.faults.reset();
    }
    const bad = await stack.api('POST', '/v1/trouble-tickets', {
      token: ola(),
      json: { number: '12', symptom: 'short', category: 'Broken', severity: 'Huge', endUserContact: { name: 'K', phone: 'x', accessHours: '' } },
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.errors as Array<{ field: string }>).map((e) => e.field);
    for (const f of ['body.symptom', 'body.category', 'body.severity', 'body.endUserContact.name', 'body.endUserContact.phone', 'body.endUserContact.accessHours']) expect(fields).toContain(f);
    const both = await stack.api('POST', '/v1/trouble-tickets', { token: ola(), json: { ...ticketBody('22604411'), addressId: 'adr-0001' } });
    expect(both.status).toBe(400);
  });

  it('M-2.2, A-1: another company’s product answers exactly like a number that does not exist', async () => {
    const foreign = faultyProduct('fjordtel');
    const other = await stack.api('POST', '/v1/trouble-tickets', { token: ola(), json: ticketBody(foreign.number) });
    const missing = await stack.api('POST', '/v1/trouble-tickets', { token: ola(), json: ticketBody('99999907') });
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.body).split(foreign.number).join('N')).toBe(JSON.stringify(missing.body).split('99999907').join('N'));
    const pre = await stack.api('POST', '/v1/trouble-tickets/precheck', { token: ola(), json: { number: foreign.number } });
    expect(pre.status).toBe(400);
    expect(pre.body.errors[0]).toMatchObject({ field: 'body.number', rule: 'M-2.2' });
  });
});

describe('M-2.3: open tickets, operational messages, no duplicates', () => {
  it('M-2.3: the pre-check and the ticket show the operational messages in force for the product and its area, not others', async () => {
    const p = faultyProduct('nordnett');
    const address = await stack.sims.addresses.get(p.addressId);
    await stack.sql`INSERT INTO operational_messages (kind, title, body, product_codes, municipalities, starts_at, ends_at, published_by)
      VALUES ('fault', 'Cable cut in the area', 'Repair under way', ${[p.productCode]}, ${[address!.municipality]}, now() - interval '1 hour', now() + interval '1 day', 'hanne.handler'),
             ('planned_work', 'Exchange upgrade elsewhere', 'Night work', '{}', '{Nowhere}', now() - interval '1 hour', now() + interval '1 day', 'hanne.handler'),
             ('fault', 'Expired fault', 'Over', ${[p.productCode]}, '{}', now() - interval '2 day', now() - interval '1 day', 'hanne.handler')`;
    const pre = await ok(stack.api('POST', '/v1/trouble-tickets/precheck', { token: ola(), json: { number: p.number } }));
    expect(pre.operationalMessages.map((m: { title: string }) => m.title)).toEqual(['Cable cut in the area']);
    const tt = await createTicket(stack, ola(), p.number);
    expect((await get(tt.number)).operationalMessages.map((m: { title: string }) => m.title)).toEqual(['Cable cut in the area']);
  });

  it('M-2.3: a second ticket for the same product while one is open answers 409 naming it; the pre-check shows it; once closed a new one may be raised', async () => {
    const p = faultyProduct('nordnett');
    const first = await createTicket(stack, ola(), p.number);
    const second = await stack.api('POST', '/v1/trouble-tickets', { token: t['ingrid.nordnett'], json: ticketBody(p.number) });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'duplicate_trouble_ticket', rule: 'M-2.3', existing: first.number });
    const pre = await ok(stack.api('POST', '/v1/trouble-tickets/precheck', { token: ola(), json: { number: p.number } }));
    expect(pre.duplicateOf).toBe(first.number);
    expect(pre.openTickets.map((o: { number: string }) => o.number)).toEqual([first.number]);
    expect(pre.mayRaise).toBe(false);
    await ok(act(first.number, 'cancel', { comment: 'Reported by mistake' }));
    await createTicket(stack, ola(), p.number);
  });

  it('M-2.3: ten identical tickets raised at once: exactly one is created, nine answer 409 naming it (held by the read model)', async () => {
    const p = faultyProduct('nordnett');
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => stack.api('POST', '/v1/trouble-tickets', { token: i % 2 ? ola() : t['ingrid.nordnett'], json: ticketBody(p.number) })));
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused).toHaveLength(9);
    for (const r of refused) expect(r.body.existing).toBe(created[0]!.body.number);
    const [row] = await stack.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases WHERE case_type = 'trouble_ticket' AND refs ->> 'productNumber' = ${p.number}`;
    expect(row?.n).toBe(1);
  });
});

describe('M-2.5, M-2.6: the status flow with the fault desk', () => {
  it('M-2.5, M-2.6: New → Submitted → In Process → Incomplete → Customer Update → In Process → Resolved → Closed, each change audited, on the feed and e-mailed per the rules', async () => {
    const tt = await createTicket(stack, ola(), faultyProduct('nordnett').number);
    expect(tt.allowedActions).toEqual(expect.arrayContaining(['update', 'submit', 'cancel']));
    await ok(act(tt.number, 'update', { severity: 'Critical', symptom: 'No service at all, also no sync on the modem' }));
    expect((await ok(act(tt.number, 'submit'))).status).toBe('Submitted');
    // the fault desk's queue
    const queue = await ok(stack.api('GET', '/v1/handler/trouble-tickets', { token: hanne() }));
    expect(queue.items.map((i: { number: string }) => i.number)).toContain(tt.number);
    expect((await stack.api('GET', '/v1/handler/trouble-tickets', { token: ola() })).status).toBe(403);
    const taken = await ok(handlerAct(tt.number, 'take'));
    expect(taken).toMatchObject({ status: 'In Process', handler: 'hanne.handler', repairClock: { running: true } });
    // M-2.6: ask for information needs the text; the clock pauses
    expect((await handlerAct(tt.number, 'request-info', { text: '' })).status).toBe(400);
    const incomplete = await ok(handlerAct(tt.number, 'request-info', { text: 'Is the modem powered on? Which lights are on?' }));
    expect(incomplete).toMatchObject({ status: 'Incomplete', missingInformation: 'Is the modem powered on? Which lights are on?', repairClock: { running: false } });
    // M-4.1: the company's Home lists the ticket as waiting for the customer, and not once answered
    const waiting = async () => (await ok(stack.api('GET', '/v1/home', { token: t['kari.nordnett'] }))).actions.ticketsWaitingForCustomer.map((i: { number: string }) => i.number);
    expect(await waiting()).toContain(tt.number);
    const cu = await ok(act(tt.number, 'customer-update', { text: 'Powered on, only the power light is on' }));
    expect(cu).toMatchObject({ status: 'Customer Update', missingInformation: null, repairClock: { running: true } });
    expect(await waiting()).not.toContain(tt.number);
    await ok(handlerAct(tt.number, 'take'));
    // M-2.6: resolve needs a cause and a resolution text
    const bad = await handlerAct(tt.number, 'resolve', { cause: '', resolution: '' });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['body.cause', 'body.resolution']);
    const resolved = await ok(handlerAct(tt.number, 'resolve', { cause: 'Cable cut in the access network', resolution: 'Cable spliced, line tested OK' }));
    expect(resolved).toMatchObject({
      status: 'Resolved',
      resolution: { cause: 'Cable cut in the access network', text: 'Cable spliced, line tested OK', by: 'hanne.handler' },
      repairClock: { running: false },
    });
    expect(resolved.autoCloseAt).toBeTruthy();
    const closed = await ok(act(tt.number, 'confirm', { comment: 'Works again' }));
    expect(closed.status).toBe('Closed');
    expect(closed.allowedActions).toEqual([]);

    const view = await get(tt.number);
    expect(view.activity.map((a: { action: string }) => a.action)).toEqual(['create', 'update', 'submit', 'take', 'requestInfo', 'customerUpdate', 'take', 'resolve', 'confirm']);
    // the event feed: every status change, in order
    const events = await stack.sql<{ status: string; event_type: string }[]>`SELECT status, event_type FROM case_events WHERE case_id = ${tt.caseId} ORDER BY seq`;
    expect(events.map((e) => e.status)).toEqual(['Submitted', 'In Process', 'Incomplete', 'Customer Update', 'In Process', 'Resolved', 'Closed']);
    expect(events.every((e) => e.event_type === 'trouble_ticket.status_changed')).toBe(true);
    const feed = await ok(stack.api('GET', '/v1/events', { token: ola() }));
    expect(JSON.stringify(feed)).toContain(tt.number);
    // e-mails: Incomplete and Resolved to every contact; the confirmation by the user only to those who opted in
    const mails = await stack.sql<{ recipient: string; subject: string; idempotency_key: string }[]>`SELECT recipient, subject, idempotency_key FROM email_outbox WHERE case_id = ${tt.caseId}`;
    const to = (status: string) =>
      mails
        .filter((m) => m.subject.includes(status))
        .map((m) => m.recipient)
        .sort();
    expect(to('Incomplete')).toEqual(['kundeservice@nordnett.example', 'ola@nordnett.example']);
    expect(to('Resolved')).toEqual(['kundeservice@nordnett.example', 'ola@nordnett.example']);
    expect(to('Closed')).toEqual(['ola@nordnett.example']);
    // each action audited with the acting username
    const audit = await ok(stack.api('GET', `/v1/cases/${tt.number}/audit`, { token: ola() }));
    const actions = audit.items.map((a: { username: string; action: string }) => `${a.username} ${a.action}`);
    for (const a of [
      'ola.nordnett trouble_ticket.create',
      'ola.nordnett trouble_ticket.submit',
      'hanne.handler trouble_ticket.take',
      'hanne.handler trouble_ticket.resolve',
      'ola.nordnett trouble_ticket.confirm',
    ])
      expect(actions).toContain(a);
  });

  it('M-2.5: the user reopens a Resolved ticket with a reason (the clock resumes); without a reason it is refused; a wrong action answers 409 with what is allowed', async () => {
    const tt = await submittedTicket(stack, ola(), faultyProduct('nordnett').number);
    const early = await act(tt.number, 'confirm');
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ rule: 'M-2.5', currentStatus: 'Submitted', allowedActions: expect.arrayContaining(['cancel', 'bookAppointment']) });
    await ok(handlerAct(tt.number, 'take'));
    await ok(handlerAct(tt.number, 'resolve', { cause: 'Port hung', resolution: 'Port reset' }));
    expect((await act(tt.number, 'reopen', {})).status).toBe(400);
    const reopened = await ok(act(tt.number, 'reopen', { reason: 'Still no sync after the reset' }));
    expect(reopened).toMatchObject({ status: 'In Process', handler: 'hanne.handler', repairClock: { running: true }, resolvedAt: null });
    expect(reopened.activity.at(-1)).toMatchObject({ action: 'reopen', text: 'Still no sync after the reset', fromStatus: 'Resolved', toStatus: 'In Process' });
    // a customer cannot cancel once resolved, a handler cannot confirm
    await ok(handlerAct(tt.number, 'resolve', { cause: 'Faulty line card', resolution: 'Line card replaced' }));
    expect((await act(tt.number, 'cancel')).status).toBe(409);
    expect((await act(tt.number, 'confirm', {}, hanne())).status).toBe(403);
  });

  it('M-2.5: two confirmations at once: one wins, the other answers 409', async () => {
    const tt = await submittedTicket(stack, ola(), faultyProduct('nordnett').number);
    await ok(handlerAct(tt.number, 'take'));
    await ok(handlerAct(tt.number, 'resolve', { cause: 'Port hung', resolution: 'Port reset' }));
    const answers = await Promise.all([act(tt.number, 'confirm'), act(tt.number, 'reopen', { reason: 'Not fixed' }), act(tt.number, 'confirm')]);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(2);
  });
});

describe('M-2.6: handlers racing', () => {
  it('M-2.6: two handlers take the same ticket at once: one takes it, the other answers 409 and the ticket names the winner', async () => {
    const tt = await submittedTicket(stack, ola(), faultyProduct('nordnett').number);
    const answers = await Promise.all([handlerAct(tt.number, 'take', undefined, hanne()), handlerAct(tt.number, 'take', undefined, t['henrik.handler']!)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.status === 200)!.body.handler;
    expect((await get(tt.number)).handler).toBe(winner);
    expect((await get(tt.number)).activity.filter((a: { action: string }) => a.action === 'take')).toHaveLength(1);
  });
});

describe('X-3 and M-2.7: appointment and service requests from a ticket', () => {
  it('M-2.6, X-3: a repair appointment is booked at the product address and moved', async () => {
    const p = faultyProduct('nordnett');
    const tt = await submittedTicket(stack, ola(), p.number);
    const slots = await ok(stack.api('GET', `/v1/reference/appointment-slots?addressId=${p.addressId}&from=${daysAhead(3)}&to=${daysAhead(20)}`, { token: ola() }));
    const [first, second] = slots.items as Array<{ slotId: string; date: string }>;
    const booked = await ok(act(tt.number, 'appointment', { slotId: first!.slotId }));
    expect(booked.appointment).toMatchObject({ slotId: first!.slotId, date: first!.date });
    const moved = await ok(act(tt.number, 'appointment', { slotId: second!.slotId }, hanne()));
    expect(moved.appointment).toMatchObject({ slotId: second!.slotId, bookingId: booked.appointment.bookingId });
    // only a free slot at the product address (tests/integration/modules-hostile.test.ts: another area)
    const refused = await act(tt.number, 'appointment', { slotId: 'NOWHERE-2020-01-01-0812' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'body.slotId', rule: 'X-3' })]);
  });

  it('M-2.7, S-6: a service request raised from a ticket carries its reference, is linked and listed on the ticket; another company’s ticket is not found', async () => {
    const tt = await submittedTicket(stack, ola(), faultyProduct('nordnett').number);
    const sr = await ok(
      stack.api('POST', '/v1/service-requests', {
        token: ola(),
        json: { area: 'SLA compensation claim', subArea: 'Fault repair SLA', reference: { kind: 'trouble_ticket', value: tt.number }, description: 'The repair took three days, please compensate' },
      }),
      201,
    );
    expect(sr.reference).toMatchObject({ kind: 'trouble_ticket', value: tt.number, caseId: tt.caseId });
    const view = await get(tt.number);
    expect(view.serviceRequests).toEqual([expect.objectContaining({ number: sr.number, status: 'New' })]);
    const nils = t['nils.fjordtel']!;
    const foreign = await stack.api('POST', '/v1/service-requests', {
      token: nils,
      json: { area: 'Other', subArea: 'Other', reference: { kind: 'trouble_ticket', value: tt.number }, description: 'Looking at somebody else’s ticket' },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0]).toMatchObject({ field: 'body.reference.value', code: 'reference_not_found' });
  });
});

describe('A-1, A-6: tenancy', () => {
  it('A-1: another company’s ticket answers 404 like a missing one, on reads and actions; ops get 403; lists are scoped', async () => {
    const tt = await createTicket(stack, ola(), faultyProduct('nordnett').number);
    const nils = t['nils.fjordtel']!;
    const other = await stack.api('GET', `/v1/trouble-tickets/${tt.number}`, { token: nils });
    const missing = await stack.api('GET', '/v1/trouble-tickets/TT-000000007', { token: nils });
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body).split(tt.number).join('N')).toBe(JSON.stringify(missing.body).split('TT-000000007').join('N'));
    expect((await stack.api('POST', `/v1/trouble-tickets/${tt.number}/cancel`, { token: nils, json: {} })).status).toBe(404);
    expect((await stack.api('POST', `/v1/trouble-tickets/${tt.number}/submit`, { token: nils, json: {} })).status).toBe(404);
    expect((await stack.api('GET', `/v1/trouble-tickets/${tt.number}`, { token: t['olav.ops'] })).status).toBe(403);
    const list = await ok(stack.api('GET', '/v1/trouble-tickets?companyId=nordnett', { token: nils }));
    expect(list.items.every((i: { companyId: string }) => i.companyId === 'fjordtel')).toBe(true);
    const mine = await ok(stack.api('GET', `/v1/trouble-tickets?q=${tt.number.toLowerCase()}`, { token: ola() }));
    expect(mine.items.map((i: { number: string }) => i.number)).toEqual([tt.number]);
    // the workflow runs and holds the same state as the read model
    await eventually(async () => (await stack.client.workflow.getHandle(tt.caseId).describe()).status.name === 'RUNNING', 10_000, 'ticket workflow running');
  });
});
