// Service requests end to end: API → workflow → read model → API (rules S-1…S-8).
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SR_CATALOGUE, SR_TRANSITIONS, SrAction, SrArea } from '../../domain/service-request';
import { srActionUpdates } from '../../workflows/service-request/messages';
import { createSr, historyLength, PATH_TO_STATUS, srAction, srInStatus, type Tokens, uniqueReference } from '../support/service-requests';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let tokens: Tokens;
beforeAll(async () => {
  stack = await startStack();
  tokens = { customer: await stack.login('ola.nordnett'), handler: await stack.login('hanne.handler') };
});
afterAll(async () => {
  await stack?.stop();
});

describe('S-7: every transition, allowed and refused, through the API', () => {
  const cases = Object.keys(PATH_TO_STATUS).flatMap((status) => SrAction.options.map((action) => ({ status, action })));
  it.each(cases)('S-7: $action on an SR in $status', async ({ status, action }) => {
    const sr = await srInStatus(stack, tokens, status);
    const allowed = SR_TRANSITIONS[action].from.includes(status as never);
    const eventsBefore = await historyLength(stack, sr.caseId);
    const res = await srAction(stack, tokens, sr.number, action);
    if (allowed) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const to = SR_TRANSITIONS[action].to;
      expect(res.body.status).toBe(to === 'unchanged' ? status : to);
      const read = await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: tokens.customer });
      expect(read.body.status).toBe(res.body.status); // read-your-writes
      expect(read.body.activity.at(-1)).toMatchObject({ action, fromStatus: status, toStatus: res.body.status });
    } else {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body).toMatchObject({ code: 'action_not_allowed', rule: 'S-7', currentStatus: status });
      expect(Array.isArray(res.body.allowedActions)).toBe(true);
      // a refused action leaves no trace in the workflow history
      expect(await historyLength(stack, sr.caseId)).toBe(eventsBefore);
    }
  });

  it('S-7: the workflow itself refuses a disallowed Update in its validator, leaving no event', async () => {
    const sr = await srInStatus(stack, tokens, 'Submitted');
    const handle = stack.client.workflow.getHandle(sr.caseId);
    const before = await historyLength(stack, sr.caseId);
    const actor = { username: 'ola.nordnett', role: 'reseller' as const, companyId: 'nordnett', accessType: 'ordering' as const };
    await expect(handle.executeUpdate(srActionUpdates.submit, { args: [{ actor }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(handle.executeUpdate(srActionUpdates.take, { args: [{ actor }] })).rejects.toSatisfy((e: Error) => /not allowed/.test(String((e.cause as Error).message)));
    expect(await historyLength(stack, sr.caseId)).toBe(before);
  });

  it('S-7: handler actions need their text; the refusal names the field', async () => {
    const sr = await srInStatus(stack, tokens, 'In Process');
    const res = await srAction(stack, tokens, sr.number, 'requestInfo', { text: '' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'body.text' });
  });

  it('S-7: Incomplete carries what is missing; the customer updates and submits again', async () => {
    const sr = await srInStatus(stack, tokens, 'Incomplete');
    const read = await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: tokens.customer });
    expect(read.body.missingInformation).toBe('Which entrance is the line at?');
    expect(read.body.allowedActions).toEqual(['update', 'submit', 'close', 'cancel']);
    expect((await srAction(stack, tokens, sr.number, 'update', { description: 'It is at entrance B, second floor' })).body.description).toBe('It is at entrance B, second floor');
    const submitted = await srAction(stack, tokens, sr.number, 'submit');
    expect(submitted.body).toMatchObject({ status: 'Submitted', missingInformation: null });
    const taken = await srAction(stack, tokens, sr.number, 'take');
    const done = await srAction(stack, tokens, sr.number, 'complete', { text: 'Installed on Tuesday' });
    expect(taken.body.handler).toBe('hanne.handler');
    expect(done.body).toMatchObject({ status: 'Completed', answer: { text: 'Installed on Tuesday', attachments: [] } });
    const closed = await srAction(stack, tokens, sr.number, 'close');
    expect(closed.body.status).toBe('Closed');
    // the whole activity log, with who did each step (A-4, G-3)
    const log = (await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: tokens.handler })).body.activity;
    expect(log.map((e: { action: string; by: string }) => `${e.action}:${e.by}`)).toEqual([
      'create:ola.nordnett',
      'submit:ola.nordnett',
      'take:hanne.handler',
      'requestInfo:hanne.handler',
      'update:ola.nordnett',
      'submit:ola.nordnett',
      'take:hanne.handler',
      'complete:hanne.handler',
      'close:ola.nordnett',
    ]);
  });

  it('S-7: cancelled by the wholesaler keeps the reason in Resolution', async () => {
    const sr = await srInStatus(stack, tokens, 'Submitted');
    const res = await srAction(stack, tokens, sr.number, 'cancelByOperator', { text: 'Sent twice' });
    expect(res.body).toMatchObject({ status: 'Cancelled', resolution: 'Sent twice' });
  });

  it('G-4: attachments are uploaded once and carried by the SR and the answer', async () => {
    const upload = await stack.api('POST', '/v1/attachments', {
      token: tokens.customer,
      json: { filename: 'kart.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 map').toString('base64') },
    });
    expect(upload.status).toBe(201);
    const sr = await createSr(stack, tokens.customer, { attachmentIds: [upload.body.id] });
    const read = await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: tokens.customer });
    expect(read.body.attachments).toEqual([{ id: upload.body.id, filename: 'kart.pdf', contentType: 'application/pdf', sizeBytes: 12 }]);
    const file = await stack.api('GET', `/v1/attachments/${upload.body.id}`, { token: tokens.handler });
    expect(file.status).toBe(200);
    expect(file.body).toBe('%PDF-1.4 map');
    const other = await stack.api('GET', `/v1/attachments/${upload.body.id}`, { token: await stack.login('nils.fjordtel') });
    expect(other.status).toBe(404);
    const foreign = await stack.api('POST', '/v1/service-requests', {
      token: await stack.login('nils.fjordtel'),
      json: { area: 'Other', subArea: 'Other', reference: uniqueReference(), description: 'Using a file of another company', attachmentIds: [upload.body.id] },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0]).toMatchObject({ field: 'body.attachmentIds.0', code: 'reference_not_found' });
  });
});

describe('S-4: routing to department queues', () => {
  it('S-4: one SR per area lands in the right queue and in no other', async () => {
    const full = await stack.login('ingrid.nordnett');
    const created: { number: string; department: string }[] = [];
    // an escalation needs a submitted Delivery SR about the same reference first
    const ref = uniqueReference();
    const delivery = await createSr(stack, full, { area: 'Delivery', subArea: 'Broadband', reference: ref });
    await stack.api('POST', `/v1/service-requests/${delivery.number}/submit`, { token: full });
    created.push({ number: delivery.number, department: 'customer-service-broadband' });
    for (const area of SrArea.options.filter((a) => a !== 'Delivery')) {
      const [subArea, department] = Object.entries(SR_CATALOGUE[area].subAreas)[0]!;
      const sr = await createSr(stack, full, { area, subArea, reference: area === 'Escalation' ? ref : uniqueReference() });
      await stack.api('POST', `/v1/service-requests/${sr.number}/submit`, { token: full });
      created.push({ number: sr.number, department });
    }
    const queues = await stack.api('GET', '/v1/handler/queues', { token: tokens.handler });
    for (const { number, department } of created) {
      const inQueue = await stack.api('GET', `/v1/handler/queues/${department}?limit=100`, { token: tokens.handler });
      expect(inQueue.body.items.map((i: { number: string }) => i.number)).toContain(number);
      for (const other of queues.body.queues.filter((q: { department: string }) => q.department !== department)) {
        const there = await stack.api('GET', `/v1/handler/queues/${other.department}?limit=100`, { token: tokens.handler });
        expect(there.body.items.map((i: { number: string }) => i.number)).not.toContain(number);
      }
    }
  });

  it('S-4: New SRs wait for the customer, not in a handler queue; In Process stays in the queue', async () => {
    const sr = await createSr(stack, tokens.customer, { area: 'Invoice', subArea: 'Wrong invoice' });
    const queue = async () => (await stack.api('GET', '/v1/handler/queues/billing?limit=100', { token: tokens.handler })).body.items.map((i: { number: string }) => i.number);
    expect(await queue()).not.toContain(sr.number);
    await srAction(stack, tokens, sr.number, 'submit');
    await srAction(stack, tokens, sr.number, 'take');
    expect(await queue()).toContain(sr.number);
  });

  it('S-3, S-5: the catalogue lists every area with what it is for (S-3 uses), its sub-areas and departments', async () => {
    const res = await stack.api('GET', '/v1/service-requests/catalogue', { token: tokens.customer });
    expect(res.body.areas.map((a: { area: string }) => a.area)).toEqual(SrArea.options);
    expect(res.body.areas.find((a: { area: string }) => a.area === 'Delivery').subAreas).toContainEqual({ subArea: 'Capacity', department: 'customer-service-capacity' });
    expect(res.body.areas.find((a: { area: string }) => a.area === 'Delivery').description).toMatch(/new delivery date/);
  });
});

describe('S-2 and S-4 rules', () => {
  it('S-2: a second open SR with the same area, sub-area and reference is refused (409) and points at the open one', async () => {
    const reference = uniqueReference();
    const first = await createSr(stack, tokens.customer, { area: 'Delivery', subArea: 'Telephony', reference });
    const second = await stack.api('POST', '/v1/service-requests', {
      token: await stack.login('ingrid.nordnett'),
      json: { area: 'Delivery', subArea: 'Telephony', reference, description: 'Asking again about the same line' },
    });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'duplicate_service_request', rule: 'S-2', existing: first.number });
    // another area about the same reference is a different matter
    expect((await createSr(stack, tokens.customer, { area: 'Invoice', subArea: 'Wrong invoice', reference })).number).not.toBe(first.number);
    // another company may use the same reference
    expect((await createSr(stack, await stack.login('nils.fjordtel'), { area: 'Delivery', subArea: 'Telephony', reference })).number).toBeTruthy();
    // once the first is closed, a new one may be sent
    await srAction(stack, tokens, first.number, 'close');
    expect((await createSr(stack, tokens.customer, { area: 'Delivery', subArea: 'Telephony', reference })).status).toBe('New');
  });

  it('S-2: concurrent duplicates: exactly one is created', async () => {
    const reference = uniqueReference();
    const json = { area: 'Support', subArea: 'Change wish', reference, description: 'Please add a CSV export of orders' };
    const results = await Promise.all([1, 2, 3].map(() => stack.api('POST', '/v1/service-requests', { token: tokens.customer, json })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('S-2: before sending, the user sees open SRs about the same reference', async () => {
    const reference = uniqueReference();
    const first = await createSr(stack, tokens.customer, { area: 'Quotes', subArea: 'More information', reference });
    const check = await stack.api('GET', `/v1/service-requests/reference-check?kind=other&value=${encodeURIComponent(reference.value)}&area=Quotes`, { token: tokens.customer });
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ referencedCase: null, duplicateOf: first.number });
    expect(check.body.openRequests.map((r: { number: string }) => r.number)).toEqual([first.number]);
  });

  it('S-4: an escalation needs a submitted Delivery SR about the same reference', async () => {
    const reference = uniqueReference();
    const escalate = () =>
      stack.api('POST', '/v1/service-requests', {
        token: tokens.customer,
        json: { area: 'Escalation', subArea: 'Delivery delay', reference, description: 'Still no delivery after three weeks' },
      });
    const refused = await escalate();
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'escalation_without_delivery_request', rule: 'S-4' });
    const delivery = await createSr(stack, tokens.customer, { area: 'Delivery', subArea: 'Broadband', reference });
    expect((await escalate()).status).toBe(422); // still New: not raised with customer service yet
    await srAction(stack, tokens, delivery.number, 'submit');
    const accepted = await escalate();
    expect(accepted.status).toBe(201);
    expect(accepted.body.department).toBe('service-manager');
  });

  it('S-4: user administration only from a full-access user', async () => {
    const json = { area: 'User administration', subArea: 'New user', reference: uniqueReference(), description: 'New user for our new colleague Eva' };
    const refused = await stack.api('POST', '/v1/service-requests', { token: tokens.customer, json });
    expect(refused.status).toBe(403);
    expect(refused.body.rule).toBe('S-4');
    const accepted = await stack.api('POST', '/v1/service-requests', { token: await stack.login('ingrid.nordnett'), json });
    expect(accepted.status).toBe(201);
    expect(accepted.body.department).toBe('user-admin-desk');
  });

  it('S-6: a reference to an order or quote must be a case of the company', async () => {
    const res = await stack.api('POST', '/v1/service-requests', {
      token: tokens.customer,
      json: { area: 'Delivery', subArea: 'Broadband', reference: { kind: 'order', value: 'ORD-999999' }, description: 'Where is this order?' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'body.reference.value', code: 'reference_not_found', rule: 'S-6' });
  });
});

describe('list and search', () => {
  it('S-1: the company lists and searches its SRs by status, area, reference, text and date', async () => {
    const token = await stack.login('anne.fjordtel');
    const reference = uniqueReference();
    const a = await createSr(stack, token, { area: 'Invoice', subArea: 'Missing attachment', reference, description: 'Invoice 7781 lacks the specification' });
    const b = await createSr(stack, token, { area: 'Support', subArea: 'Portal problem', description: 'Login page shows a blank screen' });
    await stack.api('POST', `/v1/service-requests/${b.number}/submit`, { token });
    const q = async (query: string) => (await stack.api('GET', `/v1/service-requests?${query}`, { token })).body;
    expect((await q('area=Invoice')).items.map((i: { number: string }) => i.number)).toContain(a.number);
    expect((await q('area=Invoice')).items.map((i: { number: string }) => i.number)).not.toContain(b.number);
    expect((await q('status=Submitted')).items.map((i: { number: string }) => i.number)).toEqual([b.number]);
    expect((await q(`reference=${encodeURIComponent(reference.value.toLowerCase())}`)).items.map((i: { number: string }) => i.number)).toEqual([a.number]);
    expect((await q('q=BLANK%20screen')).items.map((i: { number: string }) => i.number)).toEqual([b.number]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await q(`createdFrom=${today}&createdTo=${today}`)).total).toBeGreaterThanOrEqual(2);
    expect((await q('createdTo=2020-01-01')).total).toBe(0);
    const page = await q('limit=1');
    expect(page).toMatchObject({ limit: 1, offset: 0 });
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(2);
    const bad = await stack.api('GET', '/v1/service-requests?status=Pending&limit=1000', { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.limit', 'query.status']);
  });
});
