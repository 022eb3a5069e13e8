// Switch-ISP and termination are orders (issue 13; deck slides 62–72): registered in the order system at
// submit (Committed → Registered with Customer Order Id and Agreed Date, or Rejected with the reason at
// once), then the order line's statuses with the handler's O-15 steps, Incomplete / Customer Update,
// Cancelled (A), the O-18 e-mails; SHDSL is switched (21 days, slide 65); the technician booking carries
// the AEG work to the appointment system (I-6). The execution timers are long here (the orders wait for
// their date); switch-isp-execution.test.ts and termination.test.ts run them to the end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPortfolioRows } from '../../db/portfolio-seed';
import { daysAhead, switchables } from '../support/portfolio';
import { historyLength } from '../support/service-requests';
import { eventually, type Stack, startStack } from '../support/stack';

const fjordtelPstn = seedPortfolioRows().filter((r) => r.companyId === 'fjordtel' && r.productCode === 'PSTN');
const fjordtelPstnForDates = fjordtelPstn[3]!;

let stack: Stack;
let ola: string;
let nils: string;
let hanne: string;
beforeAll(async () => {
  stack = await startStack({ timings: { switchIspExecution: { ms: 3_600_000 }, terminationExecution: { ms: 3_600_000 } } });
  [ola, nils, hanne] = await Promise.all([stack.login('ola.nordnett'), stack.login('nils.fjordtel'), stack.login('hanne.handler')]);
});
afterAll(async () => {
  await stack?.stop();
});

const register = (token: string, json: Record<string, unknown>) => stack.api('POST', '/v1/switch-isp', { token, json });
const terminate = (token: string, json: Record<string, unknown>) => stack.api('POST', '/v1/terminations', { token, json });

/** A free technician slot on exactly this date at the address, if the date is a working day. */
async function slotOn(addressId: string, date: string): Promise<{ slotId: string; date: string } | undefined> {
  const res = await stack.api('GET', `/v1/reference/appointment-slots?addressId=${addressId}&from=${date}&to=${date}`, { token: ola });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items[0];
}
async function slotFrom(addressId: string, min: number): Promise<{ slotId: string; date: string }> {
  const res = await stack.api('GET', `/v1/reference/appointment-slots?addressId=${addressId}&from=${daysAhead(min)}&to=${daysAhead(min + 14)}`, { token: ola });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items[0];
}

/** The e-mails written for a case (O-18), by status. */
async function mails(caseId: string) {
  return stack.sql<{ recipient: string; subject: string; text: string }[]>`SELECT recipient, subject, text FROM email_outbox WHERE case_id = ${caseId} ORDER BY id`;
}
async function contactsOf(companyId: string) {
  return (await stack.sql<{ email: string }[]>`SELECT email FROM contacts WHERE company_id = ${companyId} ORDER BY email`).map((r) => r.email);
}

describe('O-14: a switch is registered in the order system at submit', () => {
  // Deck (slide 82): "Hvis bestillingen er korrekt og fullstendig, kommer det en ordrebekreftelse fra Telenors
  // støttesystemer. Denne legges på bestillingen i form av et ordrenummer. Din bestilling får da status Registered.
  // … Du vil også se avtalt leveringsdato i feltet Agreed Date." — a switch (slides 62–67) is such an order.
  it('O-14 / I-4: Registered with Customer Order Id and Agreed Date in the answer to submit', async () => {
    const s = switchables('JARA-ADSL-DELT')[6]!;
    const res = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(18), authorisationReference: s.auth.reference });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ model: 'order', status: 'Registered', agreedDate: daysAhead(18), requestedDate: daysAhead(18) });
    expect(res.body.customerOrderId).toMatch(/^1-[0-9A-Z]{6}$/);
    expect(res.body.activity.map((a: { action: string; toStatus: string }) => `${a.action}:${a.toStatus}`)).toEqual(['submit:Committed', 'register:Registered']);
    const [row] = await stack.sql<{ refs: Record<string, string> }[]>`SELECT refs FROM cases WHERE number = ${res.body.number}`;
    expect(row!.refs).toMatchObject({ customerOrderId: res.body.customerOrderId, agreedDate: daysAhead(18), model: 'order' });
  });

  it('O-14 / I-3: the order system checks the losing operator at submit: Rejected at once with the reason, e-mailed (O-18), in the follow-up queue', async () => {
    // the line moved to another operator outside Samband: the order system knows it, the portfolio not yet
    const s = switchables('JARA-ADSL-DELT')[7]!;
    stack.sims.orders.moveLineElsewhere(s.phoneNumber, 'Lyse Fiber AS');
    const res = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // not on the switch day 30 days from now: in the answer to submit
    expect(res.body).toMatchObject({ status: 'Rejected', customerOrderId: null });
    expect(res.body.statusDescription).toContain('losing operator mismatch');
    expect(res.body.allowedActions).toEqual([]);
    // O-18: Rejected goes to every contact of the company
    const sent = await eventually(async () => {
      const m = await mails(res.body.caseId);
      return m.length > 0 ? m : undefined;
    });
    expect(sent.map((m) => m.recipient).sort()).toEqual(await contactsOf('nordnett'));
    expect(sent[0]!.subject).toContain('Rejected');
    expect(sent[0]!.text).toContain('losing operator mismatch');
    // the handler sees it to follow it up with the reseller
    const queue = await stack.api('GET', '/v1/handler/switch-isp', { token: hanne });
    expect(queue.status, JSON.stringify(queue.body)).toBe(200);
    expect(queue.body.items).toContainEqual(expect.objectContaining({ number: res.body.number, status: 'Rejected', queue: 'order-follow-up', statusText: expect.stringContaining('mismatch') }));
    // the line is free for a corrected switch: a rejected order holds nothing
    const again = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference });
    expect(again.status).toBe(201);
    expect(again.body.status).toBe('Rejected');
  });
});

describe('A-2 / O-14: a switch the order system rejected is followed up by customer service', () => {
  // Deck (slide 81): "Rejected – Bestillingen er enten avvist automatisk eller av Jara Kundeservice. Årsaken er at
  // bestillingen ikke kan gjennomføres." and "Når bestillingen er behandlet manuelt vil årsaken til statusen være
  // beskrevet i Status Description-feltet og eventuelt i Comment-feltet."
  it('A-2 / O-14: the handler records the follow-up: the switch leaves the order-follow-up queue, stays Rejected with the Comment, audited; once, by a handler only', async () => {
    const s = switchables('JARA-ADSL-DELT')[11]!;
    stack.sims.orders.moveLineElsewhere(s.phoneNumber, 'Altibox AS');
    const res = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'Rejected', followUp: 'due' });
    const n = res.body.number as string;
    const inQueue = async () =>
      ((await stack.api('GET', '/v1/handler/switch-isp?limit=100', { token: hanne })).body.items as { number: string; queue: string; allowedActions: string[] }[]).find((i) => i.number === n);
    expect(await inQueue()).toMatchObject({ queue: 'order-follow-up', allowedActions: ['followUp'] });
    // the reseller cannot close it out of the wholesaler's queue; a follow-up says what was agreed
    expect((await stack.api('POST', `/v1/handler/switch-isp/${n}/follow-up`, { token: ola, json: { comment: 'x' } })).status).toBe(403);
    expect((await stack.api('POST', `/v1/handler/switch-isp/${n}/follow-up`, { token: hanne, json: {} })).status).toBe(400);
    // two handlers at once: one follow-up is recorded
    const comment = 'Called Nordnett: the end user moved to Altibox; a new switch names Altibox as losing operator';
    const both = await Promise.all([1, 2].map(() => stack.api('POST', `/v1/handler/switch-isp/${n}/follow-up`, { token: hanne, json: { comment } })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const done = both.find((r) => r.status === 200)!.body;
    expect(done).toMatchObject({ status: 'Rejected', followUp: 'done', comment, allowedActions: [] });
    expect(done.statusDescription).toContain('losing operator mismatch');
    expect(both.find((r) => r.status === 409)!.body).toMatchObject({ rule: 'A-2' });
    expect(await inQueue()).toBeUndefined();
    // the reseller reads the Comment on its switch; the activity log names the handler
    const mine = await stack.api('GET', `/v1/switch-isp/${n}`, { token: ola });
    expect(mine.body).toMatchObject({ status: 'Rejected', comment });
    expect(mine.body.activity.at(-1)).toMatchObject({ action: 'followUp', by: 'hanne.handler', fromStatus: 'Rejected', toStatus: 'Rejected', text: comment });
    const audit = await eventually(async () => {
      const rows = await stack.sql<{ username: string; outcome: string }[]>`SELECT username, outcome FROM audit_log WHERE case_id = ${res.body.caseId} AND action = 'switch_isp.followUp' ORDER BY id`;
      return rows.length >= 2 ? rows : undefined;
    });
    expect(audit.map((r) => `${r.username}:${r.outcome}`)).toContain('hanne.handler:accepted');
    // its workflow has ended: nothing more is waiting on the case
    await eventually(async () => ((await stack.client.workflow.getHandle(res.body.caseId).describe()).status.name === 'COMPLETED' ? true : undefined));
  });
});

describe('I-5: SHDSL is switched, 21 days ahead', () => {
  // deck slide 65: "Ønsket dato (Requested Date) må settes til minst 16 dager frem i tid for å sikre at
  // byttet skjer til avtalt tid. 21 dager på Jara SHDSL."
  it('I-5: an SHDSL switch 20 days ahead is refused naming the earliest date; 21 days ahead is registered', async () => {
    const s = switchables('JARA-SHDSL')[0]!;
    const look = await stack.api('GET', `/v1/switch-isp/lookup?phoneNumber=${s.phoneNumber}`, { token: ola });
    expect(look.status, JSON.stringify(look.body)).toBe(200);
    expect(look.body.items[0]).toMatchObject({ productCode: 'JARA-SHDSL', accessType: null, leadDays: 21, earliestDate: daysAhead(21), losingOperator: s.line.operator });
    expect(look.body.items[0].targets).toEqual([{ productCode: 'JARA-SHDSL', productName: 'Jara SHDSL', technicianRequired: true }]);

    const day21 = await slotOn(s.line.addressId, daysAhead(21));
    // I-6: an SHDSL switch needs a technician on the date; on a weekend or holiday there is none to book
    expect(day21, `no technician works on ${daysAhead(21)}; run on a working day`).toBeDefined();
    const base = { number: s.phoneNumber, productCode: 'JARA-SHDSL', authorisationReference: s.auth.reference };
    const early = await register(ola, { ...base, requestedDate: daysAhead(20), technician: { slotId: day21!.slotId } });
    expect(early.status).toBe(400);
    expect(early.body.errors).toContainEqual(expect.objectContaining({ field: 'body.requestedDate', rule: 'I-5', message: expect.stringContaining(`earliest allowed date is ${daysAhead(21)}`) }));
    const ok = await register(ola, { ...base, requestedDate: daysAhead(21), technician: { slotId: day21!.slotId } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ status: 'Registered', leadDays: 21, agreedDate: daysAhead(21), subscription: { productCode: 'JARA-SHDSL', accessType: null } });
    // a date change keeps the 21 days
    const moved = await stack.api('POST', `/v1/switch-isp/${ok.body.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(20), slotId: day21!.slotId } });
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0]).toMatchObject({ field: 'body.requestedDate', rule: 'I-5' });
  });
});

describe('I-6: the technician booking carries the AEG work to the appointment system', () => {
  // Deck (slide 64): "Når montør bookes i ”Bytt ISP” bestillinger vil det være mulig å bestille Arbeid Etter
  // Grensesnitt (AEG) - tjenester (eksempler på AEG - tjenester er ekstra stikkontakt, modem o.l.)."
  it('I-6: operator access: the booking is made with the AEG work, which the appointment system holds', async () => {
    const s = switchables('OPA-DELT')[2]!;
    const slot = await slotFrom(s.line.addressId, 17);
    const res = await register(ola, {
      number: s.phoneNumber,
      productCode: 'OPA-DELT',
      requestedDate: slot.date,
      authorisationReference: s.auth.reference,
      technician: { slotId: slot.slotId, aegServices: ['modem-installation', 'extra-socket'] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('Registered');
    const booking = res.body.technician.booking;
    expect(booking).toMatchObject({ date: slot.date, aegServices: ['extra-socket', 'modem-installation'] });
    // sent, not only recorded: the appointment system's own booking has the work
    expect(stack.sims.appointments.booking(booking.bookingId)).toMatchObject({ status: 'booked', reference: res.body.number, aegServices: ['extra-socket', 'modem-installation'] });
  });
});

describe('O-15 / O-17 / O-18: the handler works a switch order like an order line', () => {
  it('O-15: queue, In Progress, Incomplete (e-mailed), Customer Update, the steps to Field Service (e-mailed with the installation date), Finished only by execution, Cancelled (A) from a service request (e-mailed)', async () => {
    const s = switchables('JARA-ADSL-DELT')[8]!;
    const sw = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(25), authorisationReference: s.auth.reference });
    expect(sw.status, JSON.stringify(sw.body)).toBe(201);
    const n = sw.body.number;
    const queue = await stack.api('GET', '/v1/handler/switch-isp', { token: hanne });
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({
        number: n,
        status: 'Registered',
        queue: 'order-handling',
        allowedActions: expect.arrayContaining(['inProgress', 'incomplete', 'reject', 'advance', 'cancelByOperator']),
      }),
    );
    // resellers do not reach the handler's queue or steps
    expect((await stack.api('GET', '/v1/handler/switch-isp', { token: ola })).status).toBe(403);
    expect((await stack.api('POST', `/v1/handler/switch-isp/${n}/in-progress`, { token: ola, json: {} })).status).toBe(403);

    const step = (path: string, json: Record<string, unknown>) => stack.api('POST', `/v1/handler/switch-isp/${n}/${path}`, { token: hanne, json });
    expect((await step('in-progress', {})).body.status).toBe('In Progress');
    const noComment = await step('incomplete', {});
    expect(noComment.status).toBe(400);
    const incomplete = await step('incomplete', { comment: 'The authorisation names a previous owner: confirm the end user' });
    expect(incomplete.status, JSON.stringify(incomplete.body)).toBe(200);
    expect(incomplete.body).toMatchObject({ status: 'Incomplete', comment: expect.stringContaining('previous owner') });
    const afterIncomplete = await eventually(async () => {
      const m = (await mails(sw.body.caseId)).filter((x) => x.subject.includes('Incomplete'));
      return m.length > 0 ? m : undefined;
    });
    expect(afterIncomplete.map((m) => m.recipient).sort()).toEqual(await contactsOf('nordnett'));

    // O-17: the reseller answers; a new date is checked by I-5 too
    const tooSoon = await stack.api('POST', `/v1/switch-isp/${n}/customer-update`, { token: ola, json: { comment: 'Confirmed with the end user', requestedDate: daysAhead(10) } });
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.body.errors[0]).toMatchObject({ field: 'body.requestedDate', rule: 'I-5' });
    const foreign = await stack.api('POST', `/v1/switch-isp/${n}/customer-update`, { token: nils, json: { comment: 'x' } });
    expect(foreign.status).toBe(404);
    const update = await stack.api('POST', `/v1/switch-isp/${n}/customer-update`, { token: ola, json: { comment: 'Confirmed with the end user', requestedDate: daysAhead(28) } });
    expect(update.status, JSON.stringify(update.body)).toBe(200);
    expect(update.body).toMatchObject({ status: 'Customer Update', requestedDate: daysAhead(28), agreedDate: daysAhead(28) });

    // the delivery steps, one at a time, forwards only
    expect((await step('advance', { to: 'Design' })).status).toBe(409);
    for (const to of ['Ordered', 'Design', 'Ready']) expect((await step('advance', { to })).body.status).toBe(to);
    const noDate = await step('advance', { to: 'Field Service' });
    expect(noDate.status).toBe(400);
    const m = await step('advance', { to: 'Field Service', installationDate: daysAhead(28) });
    expect(m.status, JSON.stringify(m.body)).toBe(200);
    expect(m.body).toMatchObject({ status: 'Field Service', installationDate: daysAhead(28) });
    // O-18: the Field Service (M) e-mail gives the installation date
    const fieldService = await eventually(async () => {
      const x = (await mails(sw.body.caseId)).filter((y) => y.subject.includes('Field Service'));
      return x.length > 0 ? x : undefined;
    });
    expect(fieldService[0]!.text).toContain(daysAhead(28));
    expect((await step('advance', { to: 'Test' })).body.status).toBe('Test');
    expect((await step('advance', { to: 'Delivery' })).body.status).toBe('Delivery');
    // I-5: Finished (F) is the execution on the agreed date, not a handler's step
    const finished = await step('advance', { to: 'Finished' });
    expect(finished.status).toBe(409);
    expect(finished.body).toMatchObject({ rule: 'O-15', currentStatus: 'Delivery' });

    // I-7: the reseller cannot cancel; a handler cancels from the reseller's service request: Cancelled (A), e-mailed
    expect((await stack.api('POST', `/v1/switch-isp/${n}/cancel`, { token: ola })).status).toBe(409);
    const sr = await stack.api('POST', '/v1/service-requests', {
      token: ola,
      json: { area: 'Delivery', subArea: 'Broadband', reference: { kind: 'other', value: n }, description: 'Please cancel this switch: the end user stays' },
    });
    expect((await stack.api('POST', `/v1/service-requests/${sr.body.number}/submit`, { token: ola })).status).toBe(200);
    const cancelled = await stack.api('POST', `/v1/handler/switch-isp/${n}/cancel`, { token: hanne, json: { serviceRequest: sr.body.number, reason: 'The end user stays (SR)' } });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'Cancelled', cancelledViaServiceRequest: sr.body.number, allowedActions: [] });
    const cancelMail = await eventually(async () => {
      const x = (await mails(sw.body.caseId)).filter((y) => y.subject.includes('Cancelled'));
      return x.length > 0 ? x : undefined;
    });
    expect(cancelMail.map((x) => x.recipient).sort()).toEqual(await contactsOf('nordnett'));
    // the case has ended: nothing more changes it, and a refused action leaves no event
    const events = await historyLength(stack, sw.body.caseId);
    expect((await step('in-progress', {})).status).toBe(409);
    expect(await historyLength(stack, sw.body.caseId)).toBe(events);
  });

  it('O-14: concurrent identical handler steps: exactly one wins', async () => {
    const s = switchables('JARA-ADSL-DELT')[9]!;
    const sw = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(25), authorisationReference: s.auth.reference });
    expect(sw.body.status).toBe('Registered');
    const answers = await Promise.all(Array.from({ length: 6 }, () => stack.api('POST', `/v1/handler/switch-isp/${sw.body.number}/advance`, { token: hanne, json: { to: 'Ordered' } })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
  });
});

describe('T-1 / T-2 / T-3: a termination is an order', () => {
  // Deck (slide 70): "OBS: Abonnementets varighet etter at det er sagt opp kan variere noe avhengig av det produktet
  // oppsigelsen gjelder." (T-3: the product's run-out, not a notice that refuses earlier dates)

  it('O-14 / T-2: confirmed by Customer Order Id at submit; T-3 the run-out shown; the customer withdraws it (no e-mail to all), the wholesaler cancels another (Cancelled (A), e-mailed)', async () => {
    // T-3, deck slide 70: "Abonnementets varighet etter at det er sagt opp kan variere noe avhengig av det
    // produktet oppsigelsen gjelder" — the run-out varies by product; it refuses no earlier date.
    const [a, b] = fjordtelPstn;
    const t1 = await terminate(nils, { number: a!.number, requestedDate: daysAhead(3), reason: 'End user moves' });
    expect(t1.status, JSON.stringify(t1.body)).toBe(201);
    expect(t1.body).toMatchObject({ model: 'order', status: 'Registered', agreedDate: daysAhead(3), runOutDays: 30, lastsUntil: daysAhead(30) });
    expect(t1.body.customerOrderId).toMatch(/^1-[0-9A-Z]{6}$/);
    expect(t1.body.allowedActions).toEqual(['changeDate', 'withdraw']);
    const queue = await stack.api('GET', '/v1/handler/terminations', { token: hanne });
    expect(queue.body.items).toContainEqual(expect.objectContaining({ number: t1.body.number, queue: 'order-handling', customerOrderId: t1.body.customerOrderId }));

    const withdrawn = await stack.api('POST', `/v1/terminations/${t1.body.number}/withdraw`, { token: nils, json: { comment: 'The end user stays' } });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body.status).toBe('Cancelled');
    // O-18: the reseller's own cancellation is not e-mailed to every contact (only to opted-in ones)
    const optedIn = (await stack.sql<{ email: string }[]>`SELECT email FROM contacts WHERE company_id = 'fjordtel' AND notify_all_status_changes`).map((r) => r.email);
    await new Promise((r) => setTimeout(r, 500));
    expect(
      (await mails(t1.body.caseId))
        .filter((m) => m.subject.includes('Cancelled'))
        .map((m) => m.recipient)
        .sort(),
    ).toEqual(optedIn.sort());

    const t2 = await terminate(nils, { number: b!.number, requestedDate: daysAhead(10) });
    expect(t2.body.status).toBe('Registered');
    const noReason = await stack.api('POST', `/v1/handler/terminations/${t2.body.number}/cancel`, { token: hanne, json: {} });
    expect(noReason.status).toBe(400);
    const byWholesaler = await stack.api('POST', `/v1/handler/terminations/${t2.body.number}/cancel`, { token: hanne, json: { comment: 'The number is in a porting process' } });
    expect(byWholesaler.status, JSON.stringify(byWholesaler.body)).toBe(200);
    expect(byWholesaler.body).toMatchObject({ status: 'Cancelled', statusDescription: 'The number is in a porting process' });
    const mailed = await eventually(async () => {
      const x = (await mails(t2.body.caseId)).filter((y) => y.subject.includes('Cancelled'));
      return x.length > 0 ? x : undefined;
    });
    expect(mailed.map((x) => x.recipient).sort()).toEqual(await contactsOf('fjordtel'));
  });

  it('O-17: a termination set Incomplete is answered with Customer Update; a reseller cannot take handler steps', async () => {
    const c = fjordtelPstn[2]!;
    const t = await terminate(nils, { number: c.number, requestedDate: daysAhead(12) });
    expect(t.body.status).toBe('Registered');
    const n = t.body.number;
    expect((await stack.api('POST', `/v1/handler/terminations/${n}/incomplete`, { token: nils, json: { comment: 'x' } })).status).toBe(403);
    const inc = await stack.api('POST', `/v1/handler/terminations/${n}/incomplete`, { token: hanne, json: { comment: 'Which of the two numbers at the address?' } });
    expect(inc.body.status).toBe('Incomplete');
    const slot = await stack.api('POST', `/v1/terminations/${n}/customer-update`, { token: nils, json: { comment: 'Only this one', slotId: 'OSLO-2030-01-02-0812' } });
    expect(slot.status).toBe(400);
    const upd = await stack.api('POST', `/v1/terminations/${n}/customer-update`, { token: nils, json: { comment: 'Only this one' } });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    expect(upd.body).toMatchObject({ status: 'Customer Update', comment: 'Only this one' });
  });
});

describe('I-5 / T-2: a date change of a registered order is agreed by the order system', () => {
  // Deck (slide 82): "Du vil også se avtalt leveringsdato i feltet Agreed Date." — the agreed date is the order
  // system's; slide 65: the switch happens "til avtalt tid" (on the agreed date).
  it('I-5 / T-2: the new date goes to the order system; the Agreed Date is its answer, for a switch and a termination', async () => {
    const s = switchables('JARA-ADSL-DELT')[12]!;
    const sw = await register(ola, { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: s.auth.reference });
    expect(sw.body).toMatchObject({ status: 'Registered', agreedDate: daysAhead(20) });
    const moved = await stack.api('POST', `/v1/switch-isp/${sw.body.number}/change-date`, { token: ola, json: { requestedDate: daysAhead(24) } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ status: 'Registered', requestedDate: daysAhead(24), agreedDate: daysAhead(24), customerOrderId: sw.body.customerOrderId });
    expect(stack.sims.orders.agreedDateOf(sw.body.customerOrderId)).toBe(daysAhead(24));

    const t = await terminate(nils, { number: fjordtelPstnForDates.number, requestedDate: daysAhead(10) });
    expect(t.body).toMatchObject({ status: 'Registered', agreedDate: daysAhead(10) });
    const later = await stack.api('POST', `/v1/terminations/${t.body.number}/change-date`, { token: nils, json: { requestedDate: daysAhead(14) } });
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect(later.body).toMatchObject({ requestedDate: daysAhead(14), agreedDate: daysAhead(14) });
    expect(stack.sims.orders.agreedDateOf(t.body.customerOrderId)).toBe(daysAhead(14));
  });
});

describe('Cases of the first types still run: the API routes their actions by the case', () => {
  // README "Changing workflow code": a switch or termination registered before they became orders keeps
  // its workflow type (switchIspWorkflow, terminationWorkflow) until it ends
  it('I-5 / I-7 / T-2: an open switchIspWorkflow case moves its date and is cancelled by its own rules; order steps are refused', async () => {
    const s = switchables('JARA-ADSL-FULL')[3]!;
    const [entry] = await stack.sql<{ id: string; address_id: string; address_label: string; speed_mbps: number | null; end_user: { kind: 'person'; name: string; birthDate: string } }[]>`
      SELECT id, address_id, address_label, speed_mbps, end_user FROM portfolio_products WHERE line_id = ${s.line.lineId} AND end_date IS NULL`;
    const number = 'SW-900000001';
    const caseId = `switch-isp:${number}`;
    const now = new Date().toISOString();
    await stack.client.workflow.start('switchIspWorkflow', {
      taskQueue: stack.config.taskQueue,
      workflowId: caseId,
      args: [
        {
          caseId,
          number,
          companyId: 'nordnett',
          companyName: 'Nordnett AS',
          actor: { username: 'ola.nordnett', role: 'reseller', companyId: 'nordnett', accessType: 'ordering' },
          subscription: {
            portfolioEntryId: entry!.id,
            lineId: s.line.lineId,
            number: s.phoneNumber,
            numberKind: 'phone',
            productCode: 'JARA-ADSL-FULL',
            productName: 'Jara ADSL Full aksess',
            accessType: 'full',
            speedMbps: entry!.speed_mbps,
            address: { id: entry!.address_id, label: entry!.address_label },
            losingOperator: s.line.operator,
          },
          newProductCode: 'JARA-ADSL-FULL',
          newProductName: 'Jara ADSL Full aksess',
          endUser: entry!.end_user,
          authorisation: { reference: s.auth.reference, authorisedBy: s.auth.authorisedBy },
          requestedDate: daysAhead(20),
          leadDays: 16,
          technician: null,
          customerReference: null,
          createdAt: now,
          timing: { executeAt: { ms: 3_600_000 } },
        },
      ],
    });
    const first = await eventually(async () => {
      const r = await stack.api('GET', `/v1/switch-isp/${number}`, { token: ola });
      return r.status === 200 ? r.body : undefined;
    });
    expect(first).toMatchObject({ status: 'Registered', allowedActions: ['changeDate'] });
    expect(first.model).toBeUndefined();
    const moved = await stack.api('POST', `/v1/switch-isp/${number}/change-date`, { token: ola, json: { requestedDate: daysAhead(22) } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ status: 'Registered', requestedDate: daysAhead(22) });
    const step = await stack.api('POST', `/v1/handler/switch-isp/${number}/in-progress`, { token: hanne, json: {} });
    expect(step.status).toBe(409);
    expect(step.body.detail).toContain('before switches and terminations became orders');
    const sr = await stack.api('POST', '/v1/service-requests', {
      token: ola,
      json: { area: 'Delivery', subArea: 'Broadband', reference: { kind: 'other', value: number }, description: 'Please cancel this switch' },
    });
    expect((await stack.api('POST', `/v1/service-requests/${sr.body.number}/submit`, { token: ola })).status).toBe(200);
    const cancelled = await stack.api('POST', `/v1/handler/switch-isp/${number}/cancel`, { token: hanne, json: { serviceRequest: sr.body.number, reason: 'The end user stays' } });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'Cancelled', cancelledViaServiceRequest: sr.body.number });
  });
});
