// Status follow-up for resellers (issue 15; O-14…O-17, S-6, G-3, G-4, deck slides 79–87): the order
// and order-line lists, timelines, the service requests on an order or quote, the status texts,
// attachments listed and deleted on their case, and e-mail links into the frontend. Through the API
// against the real stack, with refusals for other companies, read-only users, handlers and ops.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceTo, daysAhead, draftBody, lineOf, ok, readyOrder } from '../support/orders';
import { eventually, type Stack, startStack } from '../support/stack';

let stack: Stack;
const tok: Record<string, string> = {};
beforeAll(async () => {
  stack = await startStack();
  for (const [k, u] of Object.entries({ ola: 'ola.nordnett', ingrid: 'ingrid.nordnett', kari: 'kari.nordnett', nils: 'nils.fjordtel', handler: 'hanne.handler', ops: 'olav.ops' }))
    tok[k] = await stack.login(u);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const get = (path: string, token = tok.ola) => stack.api('GET', path, { token });
const registered = (number: string) =>
  eventually(
    async () => {
      const line = (await lineOf(stack, tok.ola!, number)).body;
      return line.status === 'Registered' ? line : undefined;
    },
    20_000,
    `${number}:1 registered`,
  );
const upload = (token: string, name = `plan-${randomUUID().slice(0, 6)}.txt`) =>
  ok(stack.api('POST', '/v1/attachments', { token, json: { filename: name, contentType: 'text/plain', contentBase64: Buffer.from(`plan ${name}`).toString('base64') } }), 201);

describe('O-14, O-15: the order list and the order-line list carry what a user scans for', () => {
  const tag = randomUUID().slice(0, 8);
  let delivering: { number: string; customerOrderId: string; agreedDate: string; endUser: string; ref: string };
  let draft: { number: string; endUser: string; ref: string };
  let ingridsOrder: string;

  beforeAll(async () => {
    const ref = `FU-${tag}-A`;
    const endUser = `Folke Oppfølging ${tag}`;
    const order = await readyOrder(stack, tok.ola!, { references: { customerOrderRef: ref }, requestedDate: daysAhead(22) }, { endUser: { kind: 'person', name: endUser, birthDate: '1970-07-07' } });
    await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: tok.ola }));
    const line = await registered(order.number);
    await advanceTo(stack, tok.handler!, `${order.number}:1`, 'Field Service');
    delivering = { number: order.number, customerOrderId: line.customerOrderId, agreedDate: line.agreedDate, endUser, ref };
    const draftRef = `FU-${tag}-D`;
    const draftUser = `Dagny Utkast ${tag}`;
    const d = await ok(
      stack.api('POST', '/v1/orders', {
        token: tok.ola,
        json: draftBody({ references: { customerOrderRef: draftRef }, requestedDate: daysAhead(40) }, { endUser: { kind: 'person', name: draftUser, birthDate: '1971-01-01' } }),
      }),
      201,
    );
    draft = { number: d.number, endUser: draftUser, ref: draftRef };
    ingridsOrder = (await ok(stack.api('POST', '/v1/orders', { token: tok.ingrid, json: draftBody({ references: { customerOrderRef: `FU-${tag}-I` } }) }), 201)).number;
  }, 120_000);

  it("O-14, O-15: each order's lines show status, letter, Customer Order Id, Agreed Date, requested and installation date, product, end user and address", async () => {
    const page = await ok(get(`/v1/orders?q=${encodeURIComponent(delivering.ref)}`));
    expect(page.total).toBe(1);
    const item = page.items[0];
    // O-12: the technician booking made before submit sets the date the order asks for
    const detail = await ok(get(`/v1/orders/${delivering.number}`));
    expect(item).toMatchObject({
      number: delivering.number,
      status: 'In Process',
      customerOrderRef: delivering.ref,
      requestedDate: detail.requestedDate,
      createdBy: 'ola.nordnett',
      productCode: 'JARA-ADSL-DELT',
    });
    expect(item.lines).toEqual([
      expect.objectContaining({
        lineNo: 1,
        number: `${delivering.number}:1`,
        status: 'Field Service',
        statusCode: 'M',
        customerOrderId: delivering.customerOrderId,
        agreedDate: delivering.agreedDate,
        requestedDate: detail.requestedDate, // O-12: the booking date
        installationDate: daysAhead(25),
        productCode: 'JARA-ADSL-DELT',
        endUser: delivering.endUser,
      }),
    ]);
    expect(item.lines[0].address).toEqual(expect.any(String));
    expect(JSON.stringify(item)).not.toContain('1970-07-07'); // never a date of birth in a list
    // a draft's lines come from the draft
    const d = (await ok(get(`/v1/orders?q=${encodeURIComponent(draft.ref)}`))).items[0];
    expect(d.lines[0]).toMatchObject({ lineNo: 1, number: null, status: 'New', statusCode: null, customerOrderId: null, endUser: draft.endUser });
  });

  it('O-14: search by Customer Order Id, Customer Order Ref, order and line number, end user and address finds the order', async () => {
    const address = (await ok(get(`/v1/orders?q=${encodeURIComponent(delivering.ref)}`))).items[0].lines[0].address as string;
    for (const q of [delivering.customerOrderId, delivering.ref.toLowerCase(), delivering.number, `${delivering.number}:1`, delivering.endUser.toUpperCase()]) {
      const numbers = (await ok(get(`/v1/orders?q=${encodeURIComponent(q)}`))).items.map((o: { number: string }) => o.number);
      expect(numbers, q).toContain(delivering.number);
    }
    const byAddress = (await ok(get(`/v1/orders?q=${encodeURIComponent(address)}&limit=100`))).items.map((o: { number: string }) => o.number);
    expect(byAddress).toContain(delivering.number);
    // a draft is found by its end user (its lines are no rows of their own yet)
    expect((await ok(get(`/v1/orders?q=${encodeURIComponent(draft.endUser)}`))).items.map((o: { number: string }) => o.number)).toEqual([draft.number]);
    // another company's search finds nothing of Nordnett's
    expect((await ok(get(`/v1/orders?q=${encodeURIComponent(delivering.customerOrderId)}`, tok.nils))).total).toBe(0);
    expect((await ok(get(`/v1/order-lines?q=${encodeURIComponent(delivering.endUser)}`, tok.nils))).total).toBe(0);
  });

  it('O-15: filters by line status, product, date ranges and "created by me"; sorting', async () => {
    const numbers = async (query: string, token = tok.ola) => (await ok(get(`/v1/orders?${query}&limit=100`, token))).items.map((o: { number: string }) => o.number) as string[];
    expect(await numbers('lineStatus=Field%20Service')).toContain(delivering.number);
    expect(await numbers('lineStatus=Field%20Service')).not.toContain(draft.number);
    expect(await numbers('lineStatus=Design')).not.toContain(delivering.number);
    expect(await numbers('status=In%20Process')).toContain(delivering.number);
    expect(await numbers('productCode=JARA-ADSL-DELT')).toContain(delivering.number);
    expect(await numbers('productCode=SAMB-ETH')).not.toContain(delivering.number);
    expect(await numbers(`agreedFrom=${delivering.agreedDate}&agreedTo=${delivering.agreedDate}`)).toContain(delivering.number);
    expect(await numbers(`agreedFrom=${daysAhead(300)}`)).not.toContain(delivering.number);
    expect(await numbers(`installationFrom=${daysAhead(25)}&installationTo=${daysAhead(25)}`)).toContain(delivering.number);
    expect(await numbers(`requestedFrom=${daysAhead(39)}&requestedTo=${daysAhead(41)}`)).toContain(draft.number);
    expect(await numbers(`requestedFrom=${daysAhead(39)}&requestedTo=${daysAhead(41)}`)).not.toContain(delivering.number);
    expect(await numbers(`createdFrom=${daysAhead(0)}`)).toContain(draft.number);
    expect(await numbers(`createdTo=${daysAhead(-1)}`)).not.toContain(draft.number);
    const mine = await numbers('createdByMe=true');
    expect(mine).toContain(draft.number);
    expect(mine).not.toContain(ingridsOrder);
    expect(await numbers('createdByMe=true', tok.ingrid)).toContain(ingridsOrder);
    // sorting by requested date, both ways, dates not set last
    const asc = (await ok(get('/v1/orders?sort=requestedDate&limit=100'))).items.map((o: { requestedDate: string | null }) => o.requestedDate).filter(Boolean);
    expect(asc).toEqual([...asc].sort());
    const desc = (await ok(get('/v1/orders?sort=-requestedDate&limit=100'))).items.map((o: { requestedDate: string | null }) => o.requestedDate).filter(Boolean);
    expect(desc).toEqual([...desc].sort().reverse());
  });

  it('O-15: the order-line list: one row per submitted line, filtered, sorted, searched; bad input names the field', async () => {
    const page = await ok(get(`/v1/order-lines?status=Field%20Service&q=${encodeURIComponent(delivering.endUser)}`));
    expect(page.items).toEqual([
      expect.objectContaining({
        number: `${delivering.number}:1`,
        orderNumber: delivering.number,
        status: 'Field Service',
        statusCode: 'M',
        customerOrderId: delivering.customerOrderId,
        agreedDate: delivering.agreedDate,
        installationDate: daysAhead(25),
        customerOrderRef: delivering.ref,
        endUser: delivering.endUser,
        createdBy: 'ola.nordnett',
      }),
    ]);
    expect((await ok(get(`/v1/order-lines?q=${delivering.customerOrderId}`))).items.map((l: { number: string }) => l.number)).toEqual([`${delivering.number}:1`]);
    // the line's own text holds the order's number (whole or in part) and the Customer Order Ref
    for (const q of [delivering.number, delivering.ref.toLowerCase(), delivering.number.slice(4)]) {
      expect(
        (await ok(get(`/v1/order-lines?q=${encodeURIComponent(q)}`))).items.map((l: { number: string }) => l.number),
        q,
      ).toContain(`${delivering.number}:1`);
    }
    expect((await ok(get(`/v1/order-lines?status=Design&q=${encodeURIComponent(delivering.endUser)}`))).total).toBe(0);
    const agreed = (await ok(get('/v1/order-lines?sort=-agreedDate&limit=100'))).items.map((l: { agreedDate: string | null }) => l.agreedDate);
    const set = agreed.filter(Boolean);
    expect(set).toEqual([...set].sort().reverse());
    expect(agreed.slice(set.length).every((a: string | null) => a === null)).toBe(true); // not yet agreed: last
    const bad = await get('/v1/order-lines?sort=colour&agreedFrom=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.agreedFrom', 'query.sort']);
  });

  it('A-1, A-2, A-6: resellers see their own lines only, handlers every company (or one), ops nothing', async () => {
    const nils = await ok(get(`/v1/order-lines?limit=100`, tok.nils));
    expect(nils.items.every((l: { companyId: string }) => l.companyId === 'fjordtel')).toBe(true);
    // a reseller's companyId is ignored: the tenancy wins
    expect((await ok(get(`/v1/order-lines?companyId=nordnett&q=${delivering.customerOrderId}`, tok.nils))).total).toBe(0);
    expect((await ok(get(`/v1/order-lines?companyId=nordnett&q=${delivering.customerOrderId}`, tok.handler))).total).toBe(1);
    expect((await ok(get(`/v1/orders?companyId=fjordtel&q=${delivering.customerOrderId}`, tok.handler))).total).toBe(0);
    for (const path of ['/v1/order-lines', '/v1/orders']) expect((await get(path, tok.ops)).status).toBe(403);
  });

  it("O-14…O-17, A-4: the order's timeline lists every status change of the order and its lines with who and when", async () => {
    const tl = await ok(get(`/v1/orders/${delivering.number}/timeline`));
    const steps = (which: string) =>
      tl.items.filter((e: { case: string }) => (which === 'line' ? e.case.endsWith(':1') : !e.case.includes(':'))).map((e: { toStatus: string; by: string }) => `${e.toStatus} ${e.by}`);
    expect(steps('order')).toEqual(['New ola.nordnett', 'Committed ola.nordnett']);
    expect(steps('line')).toEqual(['Committed ola.nordnett', 'Registered system', 'Ordered hanne.handler', 'Design hanne.handler', 'Ready hanne.handler', 'Field Service hanne.handler']);
    expect(tl.items.every((e: { statusChanged: boolean; at: string }) => e.statusChanged && !Number.isNaN(Date.parse(e.at)))).toBe(true);
    expect(tl.items.map((e: { at: string }) => e.at)).toEqual([...tl.items.map((e: { at: string }) => e.at)].sort());
    const all = await ok(get(`/v1/orders/${delivering.number}/timeline?include=all`));
    expect(all.items.length).toBeGreaterThan(tl.items.length);
    expect(all.items[0]).toMatchObject({ action: 'create', toStatus: 'New', by: 'ola.nordnett', lineNo: null });
    // any case type: the line alone, through /v1/cases
    const line = await ok(get(`/v1/cases/${delivering.number}:1/timeline`));
    expect(line.items.map((e: { toStatus: string }) => e.toStatus)).toEqual(['Committed', 'Registered', 'Ordered', 'Design', 'Ready', 'Field Service']);
    expect(line.items[0].lineNo).toBe(1);
    // another company's order: exactly as a missing one; ops 403
    const foreign = await get(`/v1/orders/${delivering.number}/timeline`, tok.nils);
    const missing = await get('/v1/orders/ORD-000000001/timeline', tok.nils);
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body).split(delivering.number).join('X')).toBe(JSON.stringify(missing.body).split('ORD-000000001').join('X'));
    expect((await get(`/v1/cases/${delivering.number}:1/timeline`, tok.nils)).status).toBe(404);
    expect((await get(`/v1/cases/${delivering.number}/timeline`, tok.ops)).status).toBe(403);
    expect((await get(`/v1/orders/${delivering.number}/timeline`, tok.ops)).status).toBe(403);
    expect((await get(`/v1/orders/${delivering.number}/timeline`, tok.handler)).status).toBe(200);
  });

  it("S-6: the order's view lists the service requests that refer to it (and a quote's view likewise)", async () => {
    const sr = await ok(
      stack.api('POST', '/v1/service-requests', {
        token: tok.ola,
        json: { area: 'Delivery', subArea: 'Broadband', reference: { kind: 'order', value: delivering.number }, description: 'The end user is not ready before March' },
      }),
      201,
    );
    const view = await ok(get(`/v1/orders/${delivering.number}`));
    expect(view.serviceRequests).toEqual([expect.objectContaining({ number: sr.number, status: 'New', area: 'Delivery', reference: delivering.number })]);
    expect((await ok(get(`/v1/orders/${delivering.number}/service-requests`))).items.map((s: { number: string }) => s.number)).toEqual([sr.number]);
    expect((await ok(get(`/v1/orders/${draft.number}`))).serviceRequests).toEqual([]);
    expect((await get(`/v1/orders/${delivering.number}/service-requests`, tok.nils)).status).toBe(404);

    const quote = await ok(
      stack.api('POST', '/v1/quotes', {
        token: tok.ola,
        json: { customerReference: `FU-${tag}-Q`, lines: [{ productCode: 'SAMB-ETH', speedMbps: 34, addressAId: 'adr-0003', addressBId: 'adr-0004' }] },
      }),
      201,
    );
    const qsr = await ok(
      stack.api('POST', '/v1/service-requests', {
        token: tok.ola,
        json: { area: 'Quotes', subArea: 'More information', reference: { kind: 'quote', value: quote.number }, description: 'Can the price be confirmed by Friday?' },
      }),
      201,
    );
    expect((await ok(get(`/v1/quotes/${quote.number}`))).serviceRequests.map((s: { number: string }) => s.number)).toEqual([qsr.number]);
  });
});

describe('G-3: one endpoint with the label and explanation of every status and letter, bokmål and English', () => {
  it('G-3, O-15: every order-line status with its letter and the deck\'s explanation ("Kundeservice ser akkurat de samme statuskodene")', async () => {
    const all = await ok(get('/v1/reference/statuses'));
    const scopes = new Set(all.items.map((s: { scope: string }) => s.scope));
    expect([...scopes].sort()).toEqual(['order', 'order_line', 'quote', 'quote_line', 'service_request', 'switch_isp', 'termination', 'trouble_ticket']);
    const fs = all.items.find((s: { scope: string; status: string }) => s.scope === 'order_line' && s.status === 'Field Service');
    expect(fs).toEqual({
      scope: 'order_line',
      status: 'Field Service',
      code: 'M',
      label: { nb: 'Field Service (M)', en: 'Field Service (M)' },
      explanation: { nb: 'Installasjonsdato er satt.', en: 'The installation date is set.' },
      final: false,
      source: 'slide 84',
    });
    const lines = (await ok(get('/v1/reference/statuses?scope=order_line'))).items;
    expect(lines.filter((s: { code: string | null }) => s.code).map((s: { code: string }) => s.code)).toEqual(['O', 'D', 'R', 'M', 'T', 'L', 'F', 'A']);
    expect(lines.every((s: { explanation: { nb: string; en: string } }) => s.explanation.nb.length > 10 && s.explanation.en.length > 10)).toBe(true);
    // handlers and resellers get the same texts (G-3)
    expect((await ok(get('/v1/reference/statuses', tok.handler))).items).toEqual(all.items);
    expect((await get('/v1/reference/statuses?scope=colour')).status).toBe(400);
    expect((await get('/v1/reference/statuses', '')).status).toBe(401);
  });
});

describe('G-4: attachments listed and deleted on the case they belong to', () => {
  const srWith = async (ids: string[]) =>
    ok(
      stack.api('POST', '/v1/service-requests', {
        token: tok.ola,
        json: { area: 'Other', subArea: 'Other', reference: { kind: 'other', value: `FU-${randomUUID().slice(0, 8)}` }, description: 'A floor plan of the building', attachmentIds: ids },
      }),
      201,
    );

  it("G-4: a case lists its attachments with uploader and whether the caller may delete them; an order lists its lines'", async () => {
    const a = await upload(tok.ola!);
    const sr = await srWith([a.id]);
    const list = await ok(get(`/v1/cases/${sr.number}/attachments`));
    expect(list.items).toEqual([
      expect.objectContaining({ id: a.id, filename: a.filename, sizeBytes: a.sizeBytes, uploadedBy: 'ola.nordnett', href: `/v1/attachments/${a.id}`, deletedAt: null, mayDelete: true }),
    ]);
    expect((await ok(get(`/v1/cases/${sr.number}/attachments`, tok.kari))).items[0].mayDelete).toBe(false); // read access
    expect((await ok(get(`/v1/cases/${sr.number}/attachments`, tok.handler))).items[0].mayDelete).toBe(false); // not the uploader's company

    const b = await upload(tok.ola!);
    const order = await ok(stack.api('POST', '/v1/orders', { token: tok.ola, json: draftBody({}, { attachmentIds: [b.id] }) }), 201);
    expect((await ok(get(`/v1/cases/${order.number}/attachments`))).items.map((x: { id: string }) => x.id)).toEqual([b.id]);
  });

  it("G-4, A-1, A-3, A-6: refused for another company (as a missing case), read access, the wholesaler's handlers and ops", async () => {
    const a = await upload(tok.ola!);
    const sr = await srWith([a.id]);
    const path = `/v1/cases/${sr.number}/attachments/${a.id}`;
    const foreign = await stack.api('DELETE', path, { token: tok.nils });
    const missing = await stack.api('DELETE', `/v1/cases/SR-000000001/attachments/${a.id}`, { token: tok.nils });
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body).split(sr.number).join('X')).toBe(JSON.stringify(missing.body).split('SR-000000001').join('X'));
    expect((await get(`/v1/cases/${sr.number}/attachments`, tok.nils)).status).toBe(404);
    const read = await stack.api('DELETE', path, { token: tok.kari });
    expect(read.status).toBe(403);
    expect(read.body.rule).toBe('A-3');
    const handler = await stack.api('DELETE', path, { token: tok.handler });
    expect(handler.status).toBe(403);
    expect(handler.body.rule).toBe('G-4');
    expect((await stack.api('DELETE', path, { token: tok.ops })).status).toBe(403);
    expect((await get(`/v1/cases/${sr.number}/attachments`, tok.ops)).status).toBe(403);
    // an attachment the case does not carry
    const other = await upload(tok.ola!);
    expect((await stack.api('DELETE', `/v1/cases/${sr.number}/attachments/${other.id}`, { token: tok.ola })).status).toBe(404);
    // nothing was deleted
    expect((await get(`/v1/attachments/${a.id}`)).status).toBe(200);
  });

  it("G-4, A-4: the uploader's company deletes it: the file is gone, the name stays with who and when, audited; twice at once: one wins", async () => {
    const a = await upload(tok.ola!);
    const sr = await srWith([a.id]);
    const path = `/v1/cases/${sr.number}/attachments/${a.id}`;
    const [first, second] = await Promise.all([stack.api('DELETE', path, { token: tok.ingrid }), stack.api('DELETE', path, { token: tok.ola })]);
    expect([first.status, second.status].sort()).toEqual([200, 404]);
    const winner = first.status === 200 ? first : second;
    expect(winner.body).toMatchObject({ id: a.id, href: null, mayDelete: false, deletedAt: expect.any(String) });
    expect((await get(`/v1/attachments/${a.id}`)).status).toBe(404);
    const [row] = await stack.sql<{ size: number; deleted_by: string }[]>`SELECT octet_length(data) AS size, deleted_by FROM attachments WHERE id = ${a.id}`;
    expect(row).toEqual({ size: 0, deleted_by: winner.body.deletedBy });
    expect((await ok(get(`/v1/cases/${sr.number}/attachments`))).items[0]).toMatchObject({ id: a.id, deletedBy: winner.body.deletedBy, href: null });
    const audit = (await ok(get(`/v1/cases/${sr.number}/audit`))).items.filter((e: { action: string }) => e.action === 'attachment.delete');
    expect(audit.map((e: { outcome: string }) => e.outcome).sort()).toEqual(['accepted', 'refused']);
    // a deleted attachment cannot be attached again
    const reuse = await stack.api('POST', '/v1/service-requests', {
      token: tok.ola,
      json: { area: 'Other', subArea: 'Other', reference: { kind: 'other', value: `FU-${randomUUID().slice(0, 8)}` }, description: 'The same floor plan once more', attachmentIds: [a.id] },
    });
    expect(reuse.status).toBe(400);
    expect(reuse.body.errors[0]).toMatchObject({ field: 'body.attachmentIds.0', rule: 'G-4' });
  });

  it('G-4: a final case keeps its attachments (409)', async () => {
    const a = await upload(tok.ola!);
    const sr = await srWith([a.id]);
    await ok(stack.api('POST', `/v1/service-requests/${sr.number}/cancel`, { token: tok.ola, json: { comment: 'Sent by mistake' } }));
    const res = await stack.api('DELETE', `/v1/cases/${sr.number}/attachments/${a.id}`, { token: tok.ola });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'case_final', rule: 'G-4', currentStatus: 'Cancelled' });
    expect((await ok(get(`/v1/cases/${sr.number}/attachments`))).items[0].mayDelete).toBe(false);
  });
});

describe('O-18: links in e-mails open the case in the frontend, not the API', () => {
  it("O-18, G-3: a status-change e-mail links to the app path and explains the status in the contact's language", async () => {
    const email = `fu-${randomUUID().slice(0, 8)}@nordnett.example`;
    await ok(stack.api('POST', '/v1/contacts', { token: tok.ingrid, json: { name: 'Oppfølging', email, kind: 'personal', notifyAllStatusChanges: true } }), 201);
    const order = await readyOrder(stack, tok.ola!);
    await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: tok.ola }));
    const mails = await eventually(
      async () => {
        const rows = await stack.sql<{ subject: string; html: string; text: string }[]>`SELECT subject, html, text FROM email_outbox WHERE recipient = ${email} AND subject LIKE ${'%Registered%'}`;
        return rows.length > 0 ? rows : undefined;
      },
      20_000,
      'the Registered e-mail',
    );
    const mail = mails[0]!;
    expect(mail.html).toContain(`href="http://127.0.0.1:3000/app/#/orders/${order.number}"`);
    expect(mail.html).not.toContain('/v1/');
    expect(mail.text).toContain('Customer Order Id'); // the deck's explanation of Registered, in bokmål
    expect(mail.text).toContain('registrert i grossistens ordresystemer');
  });
});
