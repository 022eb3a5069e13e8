// The handler's tools in a real browser (issue 17): on an order line, giving the case to another handler
// (from GET /v1/handler/handlers, A-2), internal notes and customer comments with an attachment (G-3,
// G-4) and a new Agreed Date with its reason (C-5); re-routing a service request to another queue (S-4);
// one step on several lines of a Project order with each line's answer (O-9); and the pages for
// switch-ISP, termination and trouble-ticket cases opened from the inbox, offering only the steps the
// API allows (O-14, O-15, M-2.6). Errors are sentences next to their fields; every control is labelled.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seedPortfolioRows } from '../../db/portfolio-seed';
import { type Browser, useBrowserStack } from '../support/browser';
import { advanceTo, createOrder, daysAhead, draftBody, freshAddress, ok, submittedOrder } from '../support/orders';
import { lowestContrast, unlabelledControls as unlabelled } from '../support/page-checks';
import { switchables } from '../support/portfolio';
import { createSr, srAction } from '../support/service-requests';
import { eventually, type Stack } from '../support/stack';
import { faultyProduct, submittedTicket } from '../support/trouble-tickets';

let stack: Stack;
let browser: Browser;
let ola: string;
let hanne: string;
// the switch and termination stay before their execution date while the pages are looked at
useBrowserStack((s, b) => ((stack = s), (browser = b)), { timings: { switchIspExecution: { ms: 3_600_000 }, terminationExecution: { ms: 3_600_000 } } });
beforeAll(async () => {
  [ola, hanne] = (await Promise.all(['ola.nordnett', 'hanne.handler'].map((u) => stack.login(u)))) as [string, string];
});

/** The error sentence in the same field block as the labelled control. */
const errorNextTo = (page: Page, label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.field-error');
const headerStatus = (page: Page) => page.locator('dl.facts [data-status]').first();
/** Waits for the page's status; when it does not come, says what the page shows (a refusal, an error). */
async function statusIs(page: Page, status: string): Promise<void> {
  await expect
    .poll(async () => {
      const shown = await headerStatus(page)
        .getAttribute('data-status', { timeout: 1_000 })
        .catch(() => null);
      return shown === status
        ? shown
        : `${shown}: ${(await page.locator('main .form-error:not([hidden])').allTextContents()).join(' | ') || (await page.locator('main').textContent())?.slice(0, 200)}`;
    })
    .toBe(status);
}
const get = async (path: string, token = hanne) => ok(stack.api('GET', path, { token }));
const registeredLine = (number: string) =>
  eventually(
    async () => {
      const [order, lineNo] = number.split(':');
      const line = (await stack.api('GET', `/v1/orders/${order}/lines/${lineNo}`, { token: hanne })).body;
      return line.status === 'Registered' ? line : undefined;
    },
    20_000,
    `${number} registered`,
  );

const handlerPage = () => browser.logIn('hanne.handler');

async function checkPage(page: Page, name: string): Promise<void> {
  expect(await unlabelled(page), `${name}: unlabelled controls`).toEqual([]);
  const lowest = await lowestContrast(page);
  expect(lowest.ratio, `${name}: lowest contrast "${lowest.text}"`).toBeGreaterThanOrEqual(4.5);
  await browser.screenshot(page, name);
}

/** Opens a case from the inbox, found by its number and type. */
async function fromInbox(page: Page, number: string, caseType: string): Promise<void> {
  await page.getByRole('link', { name: 'Køer' }).click();
  await page.getByRole('heading', { level: 1, name: 'Innboks' }).waitFor();
  await page.getByLabel('Søk (nummer, tittel, referanse)').fill(number);
  await page.getByLabel('Sakstype').selectOption(caseType);
  await page.getByRole('button', { name: 'Vis', exact: true }).click();
  await page.locator('tbody tr', { has: page.getByRole('link', { name: number, exact: true }) }).waitFor();
}

it('A-2, G-3, G-4, C-5, S-4: on an order line a handler gives the case to another handler, writes a note with an attachment and a comment, and moves the Agreed Date; an SR is re-routed to another queue', async () => {
  // the API's list of whom a case can be given to: handlers only, and only for handlers
  expect((await get('/v1/handler/handlers')).items.map((u: { username: string }) => u.username)).toEqual(['hanne.handler', 'henrik.handler']);
  expect((await stack.api('GET', '/v1/handler/handlers', { token: ola })).status).toBe(403);

  const order = await submittedOrder(stack, ola);
  const n = `${order.number}:1`;
  const before = await registeredLine(n);
  const page = await handlerPage();
  await fromInbox(page, n, 'order_line');
  await page.getByRole('link', { name: n, exact: true }).click();
  await page
    .getByRole('heading', { level: 1, name: `Ordrelinje ${n}` })
    .waitFor()
    .catch(async (err: unknown) => {
      throw new Error(`${String(err)}\nthe page: ${await page.locator('main').textContent()}`);
    });

  // A-2: give it to Henrik, picked from the handlers the API lists
  const who = page.getByLabel('Saksbehandler som skal ha saken');
  expect(await who.locator('option').allTextContents()).toEqual(['Velg …', 'Hanne Kundeservice (Kundeservice)', 'Henrik Salgsstøtte (Salgsstøtte)']);
  await page.getByRole('button', { name: 'Gi saken til en annen' }).click();
  await expect.poll(() => errorNextTo(page, 'Saksbehandler som skal ha saken').textContent()).toBe('Saksbehandler som skal ha saken må fylles ut.');
  await who.selectOption('henrik.handler');
  await page.getByRole('button', { name: 'Gi saken til en annen' }).click();
  await page.getByText('Hos henrik.handler').waitFor();
  expect((await get(`/v1/orders/${order.number}/lines/1`)).assignee).toBe('henrik.handler');

  // G-3, G-4: an internal note with an attachment; an empty text is a sentence next to the field
  await page.getByRole('button', { name: 'Legg til notat eller kommentar' }).click();
  await expect.poll(() => errorNextTo(page, 'Tekst').textContent()).toBe('Tekst må fylles ut.');
  await page.getByLabel('Tekst', { exact: true }).fill('Sjekket kapasiteten i sentralen: ledig port 14.');
  await page.getByLabel('Vedlegg', { exact: true }).setInputFiles({ name: 'sentral-port.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 port 14') });
  await page.getByRole('button', { name: 'Legg til notat eller kommentar' }).click();
  await page.locator('table', { hasText: 'Vedlegg: sentral-port.pdf' }).waitFor();
  // a comment the customer sees
  await page.getByLabel('Hvem ser det').selectOption('customer');
  await page.getByLabel('Tekst', { exact: true }).fill('Vi har funnet en ledig port og går videre med leveransen.');
  await page.getByRole('button', { name: 'Legg til notat eller kommentar' }).click();
  await page.getByRole('cell', { name: 'Kommentar til kunden' }).waitFor();
  const notes = (await get(`/v1/handler/cases/${n}/notes`)).items as Array<{ visibility: string; author: string; attachments: Array<{ filename: string }> }>;
  expect(notes.map((x) => [x.visibility, x.author, x.attachments.map((a) => a.filename)])).toEqual([
    ['internal', 'hanne.handler', ['sentral-port.pdf']],
    ['customer', 'hanne.handler', []],
  ]);
  // the internal note's file is not the company's to see (G-4)
  expect((await get(`/v1/cases/${n}/attachments`, ola)).items).toEqual([]);

  // C-5: a new Agreed Date needs the reason the company is told
  const newDate = daysAhead(45);
  expect(before.agreedDate).not.toBe(newDate);
  await page.getByLabel('Avtalt dato (Agreed Date)').fill(newDate);
  await page.getByRole('button', { name: 'Endre dato' }).click();
  await expect.poll(() => errorNextTo(page, 'Begrunnelse').textContent()).toBe('Begrunnelse må fylles ut.');
  await page.getByLabel('Begrunnelse').fill('Graving i gata: entreprenøren trenger to uker til.');
  await page.getByRole('button', { name: 'Endre dato' }).click();
  await expect.poll(async () => (await get(`/v1/orders/${order.number}/lines/1`)).agreedDate).toBe(newDate);
  await page.locator('dl.facts', { hasText: newDate }).waitFor();
  await checkPage(page, 'handler-line-tools');

  // S-4: a service request goes to another department's queue, with the reason
  const sr = await createSr(stack, ola);
  await ok(srAction(stack, { customer: ola, handler: hanne }, sr.number, 'submit'));
  await fromInbox(page, sr.number, 'service_request');
  await page.getByRole('link', { name: `${sr.number}: Saksbehandling` }).click();
  await page.getByRole('heading', { level: 1, name: `Henvendelse ${sr.number}` }).waitFor();
  await page.getByLabel('Nytt område / underområde').selectOption('Invoice\nWrong invoice');
  await page.getByRole('button', { name: 'Send til en annen kø' }).click();
  await expect.poll(() => errorNextTo(page, 'Hvorfor').textContent()).toBe('Hvorfor må fylles ut.');
  await page.getByLabel('Hvorfor').fill('Gjelder fakturaen, ikke leveransen.');
  await page.getByRole('button', { name: 'Send til en annen kø' }).click();
  await expect.poll(async () => (await get(`/v1/service-requests/${sr.number}`)).area).toBe('Invoice');
  await page.getByText('Nå: Faktura (Invoice) / Wrong invoice.').waitFor();
  await checkPage(page, 'handler-sr-reroute');
  await page.close();
}, 240_000);

it("O-9: on a Project order's page a handler moves the chosen lines one step and sees each line's answer: applied, or refused with the sentence", async () => {
  const body = draftBody({ orderType: 'Project', speedMbps: 8, references: { projectReference: 'PRJ-WEB', customerOrderRef: `PRJ-WEB-${Date.now()}` } });
  const lines = [0, 1, 2].map((i) => ({ endUser: { kind: 'person', name: `Prosjekt Nettleser ${i}-${Date.now()}`, birthDate: '1980-01-01' }, address: { addressId: freshAddress() } }));
  const order = await createOrder(stack, ola, { ...body, lines });
  for (const no of [1, 2, 3]) await ok(stack.api('POST', `/v1/orders/${order.number}/lines/${no}/availability`, { token: ola }));
  await ok(stack.api('POST', `/v1/orders/${order.number}/submit`, { token: ola }));
  for (const no of [1, 2, 3]) await registeredLine(`${order.number}:${no}`);
  // line 3 goes ahead alone, so the step is refused there
  await advanceTo(stack, hanne, `${order.number}:3`, 'Design');

  const page = await handlerPage();
  await page.goto(`${browser.baseUrl}/app/#/handler/line/${encodeURIComponent(`${order.number}:1`)}`);
  await page.getByRole('link', { name: 'Flere linjer samtidig' }).click();
  await page.getByRole('heading', { level: 1, name: `Bestilling ${order.number}` }).waitFor();
  const box = (no: number) => page.getByRole('checkbox', { name: new RegExp(`^Linje ${no} `) });
  for (const no of [1, 2, 3]) expect(await box(no).isChecked()).toBe(true);

  // nothing chosen: a sentence above the form, nothing sent
  for (const no of [1, 2, 3]) await box(no).uncheck();
  await page.getByRole('button', { name: 'Utfør på valgte linjer' }).click();
  await expect.poll(() => page.locator('form .form-error').first().textContent()).toBe('Kryss av for minst én linje.');
  for (const no of [1, 2, 3]) await box(no).check();
  await page.getByLabel('Steg', { exact: true }).selectOption('Ordered');
  await page.getByRole('button', { name: 'Utfør på valgte linjer' }).click();
  const answer = (no: number) => page.locator(`.bulk-lines li[data-line="${no}"]`);
  await answer(1).waitFor();
  expect(await answer(1).getAttribute('data-ok')).toBe('true');
  expect(await answer(1).textContent()).toMatch(/^Linje 1: utført, nå Ordered/);
  expect(await answer(2).getAttribute('data-ok')).toBe('true');
  expect(await answer(3).getAttribute('data-ok')).toBe('false');
  expect(await answer(3).textContent()).toMatch(/^Linje 3: avvist: .+ \(O-15\)$/);
  await checkPage(page, 'handler-project-bulk');
  const status = async (no: number) => (await get(`/v1/orders/${order.number}/lines/${no}`)).status;
  expect([await status(1), await status(2), await status(3)]).toEqual(['Ordered', 'Ordered', 'Design']);

  // a new Agreed Date for line 2 only
  await page.getByRole('button', { name: 'Vis linjene på nytt' }).click();
  await box(1).waitFor();
  await box(1).uncheck();
  await box(3).uncheck();
  await page.getByLabel('Handling', { exact: true }).selectOption('changeDates');
  await page.getByLabel('Avtalt dato (Agreed Date)', { exact: true }).fill(daysAhead(60));
  await page.getByLabel('Begrunnelse', { exact: true }).fill('Prosjektet er flyttet.');
  await page.getByRole('button', { name: 'Utfør på valgte linjer' }).click();
  await answer(2).waitFor();
  expect(await page.locator('.bulk-lines li').count()).toBe(1);
  expect(await answer(2).getAttribute('data-ok')).toBe('true');
  expect((await get(`/v1/orders/${order.number}/lines/2`)).agreedDate).toBe(daysAhead(60));
  expect((await get(`/v1/orders/${order.number}/lines/1`)).agreedDate).not.toBe(daysAhead(60));
  await page.close();
}, 240_000);

it('O-14, O-15, M-2.6: switch-ISP, termination and trouble-ticket cases open from the inbox on pages that offer only the allowed steps', async () => {
  const page = await handlerPage();
  const offered = () => page.locator('button[data-step]').evaluateAll((els: Array<{ getAttribute(n: string): string | null }>) => els.map((el) => el.getAttribute('data-step')));

  // a termination: In Progress, an Incomplete without its text, one step, then Cancelled (A) with the reason
  const pstn = seedPortfolioRows().find((r) => r.companyId === 'nordnett' && r.productCode === 'PSTN')!;
  const trm = await ok(stack.api('POST', '/v1/terminations', { token: ola, json: { number: pstn.number, requestedDate: daysAhead(45) } }), 201);
  const apiTrm = () => get(`/v1/terminations/${trm.number}`);
  await eventually(async () => (await apiTrm()).status === 'Registered', 20_000, `${trm.number} registered`);
  await fromInbox(page, trm.number, 'termination');
  await page.getByRole('link', { name: trm.number, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Oppsigelse ${trm.number}` }).waitFor();
  await expect.poll(offered).toEqual((await apiTrm()).allowedNextSteps);
  expect((await apiTrm()).allowedNextSteps).toEqual(['Ordered']);
  await page.getByRole('button', { name: 'Ta linjen til behandling (In Progress)' }).click();
  await statusIs(page, 'In Progress');
  await page.getByRole('button', { name: 'Sett Incomplete (noe mangler)' }).click();
  await expect.poll(() => errorNextTo(page, 'Hva mangler?').textContent()).toBe('Hva mangler? må fylles ut.');
  await page.locator('button[data-step="Ordered"]').click();
  await statusIs(page, 'Ordered');
  await expect.poll(offered).toEqual((await apiTrm()).allowedNextSteps);
  await checkPage(page, 'handler-termination');
  await page.getByLabel('Årsak').fill('Kunden har trukket oppsigelsen per telefon.');
  await page.getByRole('button', { name: 'Kanseller (Cancelled (A))' }).click();
  await statusIs(page, 'Cancelled');
  expect(await offered()).toEqual([]);
  await page.getByText('Saken har ingen neste steg nå.').waitFor();

  // a switch: the same steps, but no cancel here (a switch is cancelled from the customer's SR, I-7)
  const s = switchables('JARA-ADSL-DELT')[0]!;
  const sw = await ok(
    stack.api('POST', '/v1/switch-isp', { token: ola, json: { number: s.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(30), authorisationReference: s.auth.reference } }),
    201,
  );
  const apiSw = () => get(`/v1/switch-isp/${sw.number}`);
  await eventually(async () => (await apiSw()).status === 'Registered', 20_000, `${sw.number} registered`);
  await fromInbox(page, sw.number, 'switch_isp');
  await page.getByRole('link', { name: sw.number, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Bytte av tilbyder ${sw.number}` }).waitFor();
  await expect.poll(offered).toEqual((await apiSw()).allowedNextSteps);
  expect(await page.getByRole('button', { name: 'Kanseller (Cancelled (A))' }).count()).toBe(0);
  await page.getByRole('button', { name: 'Avvis (Rejected)' }).click();
  await expect.poll(() => errorNextTo(page, 'Status Description: hvorfor kan den ikke leveres?').textContent()).toBe('Status Description: hvorfor kan den ikke leveres? må fylles ut.');
  await checkPage(page, 'handler-switch-isp');

  // a trouble ticket: take, ask for information, the customer answers, take again, resolve with cause and text
  const product = faultyProduct('nordnett');
  const tt = await submittedTicket(stack, ola, product.number);
  const apiTt = () => get(`/v1/trouble-tickets/${tt.number}`);
  await fromInbox(page, tt.number, 'trouble_ticket');
  await page.getByRole('link', { name: tt.number, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: `Feilmelding ${tt.number}` }).waitFor();
  expect(await page.getByRole('button', { name: 'Løs feilen (Resolved)' }).count()).toBe(0); // not before it is taken
  await page.getByRole('button', { name: 'Ta feilmeldingen (In Process)' }).click();
  await expect.poll(async () => (await apiTt()).status).toBe('In Process');
  await statusIs(page, 'In Process');
  await page.getByLabel('Hva mangler?').fill('Hvilke lamper lyser på modemet?');
  await page.getByRole('button', { name: 'Be om informasjon (Incomplete)' }).click();
  await statusIs(page, 'Incomplete');
  expect(await page.getByRole('button', { name: /Ta feilmeldingen|Løs feilen|Be om informasjon/ }).count()).toBe(0);
  await ok(stack.api('POST', `/v1/trouble-tickets/${tt.number}/customer-update`, { token: ola, json: { text: 'Bare strømlampen lyser.' } }));
  await page.reload();
  await page.getByRole('button', { name: 'Ta feilmeldingen (In Process)' }).click();
  await statusIs(page, 'In Process');
  await page.getByRole('button', { name: 'Løs feilen (Resolved)' }).click();
  await expect.poll(() => errorNextTo(page, 'Årsak til feilen').textContent()).toBe('Årsak til feilen må fylles ut.');
  await expect.poll(() => errorNextTo(page, 'Hva ble gjort').textContent()).toBe('Hva ble gjort må fylles ut.');
  await checkPage(page, 'handler-trouble-ticket');
  await page.getByLabel('Årsak til feilen').fill('Kabelbrudd i aksessnettet');
  await page.getByLabel('Hva ble gjort').fill('Kabelen er skjøtet og linjen testet OK.');
  await page.getByRole('button', { name: 'Løs feilen (Resolved)' }).click();
  await statusIs(page, 'Resolved');
  expect((await apiTt()).resolution).toMatchObject({ cause: 'Kabelbrudd i aksessnettet', text: 'Kabelen er skjøtet og linjen testet OK.', by: 'hanne.handler' });
  await page.close();
}, 240_000);
