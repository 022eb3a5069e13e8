// The reseller's ordering screens (issue 17) in a real browser (Debian's chromium through playwright-core)
// against the real stack: a new ADSL order as a guided form (every validation problem next to its field
// before submit, availability in colour, a technician booked) seen Registered; Cancel Line Item with the
// charge shown before confirming (C-3); a termination (T-2, T-3) and a switch-ISP (I-3…I-5) placed in the
// browser; contacts' e-mail opt-in (O-18); attachments on a service request (G-4). Every input labelled,
// no page wider than a laptop screen, screenshots of each main screen.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { NRDB_EXAMPLES } from '../../adapters/nrdb';
import { type Browser, useBrowserStack } from '../support/browser';
import { advanceTo, createOrder, daysAhead, draftBody, submittedOrder } from '../support/orders';
import { accessibleAndFits } from '../support/page-checks';
import { createSr } from '../support/service-requests';
import { eventually, type Stack } from '../support/stack';

// the page's globals inside page.evaluate (the project's TypeScript has no DOM library)
declare const document: any, window: any;

let stack: Stack;
let browser: Browser;
useBrowserStack((s, b) => ((stack = s), (browser = b)));

const loggedIn = (username: string): Promise<Page> => browser.logIn(username);

/** The error sentence in the same field block as the labelled input. */
const errorNextTo = (page: Page, label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.field-error');
/** The error sentence of a part of the form that is no single input (address, availability, booking). */
const errorOf = (page: Page, field: string) => page.locator(`.field-error[data-field="${field}"]`);

/** Reloads until the first line's status in the order view's table is the wanted one. */
async function lineStatusBecomes(page: Page, status: string): Promise<void> {
  await eventually(
    async () => {
      await page.reload();
      const badge = page.locator('table [data-status]').first();
      await badge.waitFor();
      return (await badge.getAttribute('data-status')) === status;
    },
    30_000,
    `line ${status}`,
  );
}

it('O-2…O-12, issue 17 test 1: a reseller places an ADSL order in the guided form — every problem next to its field first, availability green, a technician booked — and sees it Registered', async () => {
  const ola = await stack.login('ola.nordnett');
  const page = await loggedIn('ola.nordnett');
  await page.getByRole('link', { name: 'Bestillinger (Orders)' }).click();
  await page.getByRole('link', { name: 'Ny bestilling' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ny bestilling' }).waitFor();
  await accessibleAndFits(page);
  await browser.screenshot(page, 'order-new');

  // saved with nothing filled in: the dry-run validation names every problem, each next to its field
  await page.getByRole('button', { name: 'Lagre og kontroller' }).click();
  await page.getByRole('heading', { level: 1, name: /^Bestilling ORD-\d+ \(utkast\)$/ }).waitFor();
  const number = /ORD-\d+/.exec((await page.getByRole('heading', { level: 1 }).textContent())!)![0];
  await expect.poll(() => errorNextTo(page, 'Produkt').textContent()).toBe('Velg produktet (O-6).');
  expect(await errorNextTo(page, 'Ønsket dato (Requested Date)').textContent()).toBe('Oppgi ønsket leveringsdato (O-5).');
  expect(await errorNextTo(page, 'Kontaktperson, fullt navn').textContent()).toBe('Oppgi kontaktpersonens fulle navn (O-7).');
  expect(await errorNextTo(page, 'Kontaktpersonens telefon (bare siffer)').textContent()).toBe('Oppgi kontaktpersonens telefonnummer med bare siffer (8–15 siffer, ett nummer) (O-7).');
  expect(await errorNextTo(page, 'Sluttbrukeren er').textContent()).toBe('Oppgi sluttbrukeren: en person med fødselsdato eller et firma med organisasjonsnummer (O-2).');
  expect(await errorOf(page, 'lines.0.address').textContent()).toBe('Søk opp og velg installasjonsadressen i adresseregisteret (O-3).');
  // every problem the API found has its place: none is left over above the form, and no code is shown
  const validation = await stack.api('GET', `/v1/orders/${number}/validation`, { token: ola });
  const fields = new Set((validation.body.problems as Array<{ field: string }>).map((p) => p.field));
  expect(fields.size).toBeGreaterThanOrEqual(6);
  expect(await page.locator('.order-form > .form-error').isHidden()).toBe(true);
  expect(await page.locator('.field-error:visible').count()).toBe(fields.size);
  expect(await page.locator('[data-problems]').getAttribute('data-problems')).toBe(String(validation.body.problems.length));
  expect(await page.locator('main').textContent()).not.toMatch(/rule_violation|missing_property|invalid_value/);
  await browser.screenshot(page, 'order-new-errors');

  // filled in: product and speed, date, the address from the register, the end user, the contact
  await page.getByLabel('Produkt', { exact: true }).selectOption('JARA-ADSL-DELT');
  await page.getByLabel('Hastighet').selectOption('24');
  await page.getByLabel('Ønsket dato (Requested Date)').fill(daysAhead(20));
  await page.getByLabel('Gate').fill('Karl Johans gate');
  await page.getByLabel('Husnummer').fill('19');
  await page.getByLabel('Husnummer').press('Enter'); // Enter searches, it does not save the form
  await page.getByLabel('Karl Johans gate 19, 0154 OSLO').check();
  await page.getByText('Valgt adresse: Karl Johans gate 19, 0154 OSLO').waitFor();
  await page.getByLabel('Sluttbrukerens navn (fullt navn eller firmanavn)').fill('Signe Nettlesersen');
  await page.getByLabel('Fødselsdato').fill('1984-03-07');
  await page.getByLabel('Kontaktperson, fullt navn').fill('Kari Nordmann');
  await page.getByLabel('Kontaktpersonens telefon (bare siffer)').fill('91234567');
  await page.getByLabel('Kundens ordrereferanse').fill('NN-WEB-1');
  await page.getByRole('button', { name: 'Lagre endringene og kontroller' }).click();
  // what is left is the availability check (O-10), shown where it is done
  await expect.poll(() => errorOf(page, 'lines.0.availability').textContent()).toBe('Sjekk tilgjengeligheten for linjen før du sender inn (O-10).');
  expect(await errorNextTo(page, 'Produkt').isHidden()).toBe(true);
  await page.getByRole('button', { name: 'Sjekk tilgjengelighet' }).click();
  const green = page.locator('.avail[data-colour="green"]');
  await green.waitFor();
  expect(await green.textContent()).toMatch(/^Grønn:/);
  // O-12: Kapaks allows a booking and slots are free: the validation asks for one, next to the booking
  await expect.poll(() => errorOf(page, 'lines.0.booking').textContent()).toBe('Bestill tekniker: velg en ledig tid nedenfor; bestillingen bekrefter leveringsdatoen (O-12).');
  await browser.screenshot(page, 'order-new-availability');
  await page.getByRole('button', { name: 'Vis ledige tider' }).click();
  const slot = page.locator('[data-slot]').first();
  await slot.waitFor();
  await browser.screenshot(page, 'order-new-slots');
  await slot.click();
  await page.getByText(/^Tekniker bestilt \d{4}-\d{2}-\d{2} kl\. \d{2}-\d{2}\./).waitFor();
  await expect.poll(() => page.locator('[data-problems]').getAttribute('data-problems')).toBe('0');
  await page.getByText('Bestillingen er klar til innsending.').waitFor();
  await accessibleAndFits(page);
  await browser.screenshot(page, 'order-new-ready');

  await page.getByRole('button', { name: 'Send inn bestillingen (Submit)' }).click();
  await page.getByRole('heading', { level: 1, name: `Bestilling ${number}`, exact: true }).waitFor();
  await lineStatusBecomes(page, 'Registered');
  const badge = page.locator('table [data-status]').first();
  // the explanation on hover is the status endpoint's (G-3)
  const texts = await stack.api('GET', '/v1/reference/statuses?scope=order_line', { token: ola });
  const registered = (texts.body.items as Array<{ status: string; explanation: { nb: string } }>).find((s) => s.status === 'Registered')!;
  expect(await badge.getAttribute('title')).toBe(registered.explanation.nb);
  await page.getByRole('heading', { name: 'Tidslinje' }).waitFor();
  await accessibleAndFits(page);
  await browser.screenshot(page, 'order-registered');

  const order = await stack.api('GET', `/v1/orders/${number}`, { token: ola });
  expect(order.body).toMatchObject({ productCode: 'JARA-ADSL-DELT', speedMbps: 24, requestedDate: expect.any(String) });
  expect(order.body.lines[0]).toMatchObject({ status: 'Registered', booking: expect.objectContaining({ slotId: expect.any(String) }) });
  expect(order.body.lines[0].address.addressId).toBe('adr-0074');
  await page.close();
});

it('C-3: Cancel Line Item shows the charge before the user confirms it, and the cancellation records that charge', async () => {
  const ola = await stack.login('ola.nordnett');
  const handler = await stack.login('hanne.handler');
  const order = await submittedOrder(stack, ola);
  await eventually(async () => (await stack.api('GET', `/v1/orders/${order.number}/lines/1`, { token: ola })).body.status === 'Registered', 20_000, 'line Registered');
  await advanceTo(stack, handler, `${order.number}:1`, 'Design');
  const quote = await stack.api('GET', `/v1/orders/${order.number}/lines/1/cancellation`, { token: ola });
  const fee = quote.body.totalOre as number;
  expect(fee).toBeGreaterThan(0);

  const page = await loggedIn('ola.nordnett');
  await page.goto(`${browser.baseUrl}/app/#/orders/${order.number}`);
  await page.getByRole('heading', { level: 1, name: `Bestilling ${order.number}` }).waitFor();
  await page.getByRole('button', { name: 'Kanseller linje 1 (Cancel Line Item)' }).click();
  const charge = page.locator('.charge');
  await charge.waitFor();
  const kroner = new Intl.NumberFormat('nb-NO', { style: 'currency', currency: 'NOK' }).format(fee / 100);
  expect(await charge.textContent()).toBe(`Å kansellere linje 1 nå koster ${kroner} (linjen har status Design, C-3).`);
  expect(await charge.getAttribute('data-fee-ore')).toBe(String(fee));
  // shown, not yet done: the line is still Design
  expect((await stack.api('GET', `/v1/orders/${order.number}/lines/1`, { token: ola })).body.status).toBe('Design');
  await accessibleAndFits(page);
  await browser.screenshot(page, 'order-cancel-line-charge');
  await page.getByLabel('Årsak (valgfritt)').fill('Sluttbrukeren har flyttet.');
  await page.getByRole('button', { name: `Bekreft kansellering (${kroner})` }).click();
  await lineStatusBecomes(page, 'Cancelled');
  await browser.screenshot(page, 'order-line-cancelled');
  const line = await stack.api('GET', `/v1/orders/${order.number}/lines/1`, { token: ola });
  expect(line.body.status).toBe('Cancelled');
  expect(line.body.cancellation).toMatchObject({ feeOre: fee });
  await page.close();
});

it('T-1…T-3: a termination from the portfolio in the browser: the run-out shown first, a date in the past refused next to its field, then Registered', async () => {
  const ola = await stack.login('ola.nordnett');
  const products = await stack.api('GET', '/v1/portfolio?limit=5', { token: ola });
  const product = products.body.items[0] as { number: string; productCode: string; address: { label: string } };
  const earliest = await stack.api('GET', `/v1/terminations/earliest-date?number=${product.number}`, { token: ola });

  const page = await loggedIn('ola.nordnett');
  await page.getByRole('link', { name: 'Portefølje' }).click();
  await page.getByLabel('Søk i porteføljen (nummer, adresse, produkt, sluttbruker)').fill(product.number);
  await page.getByRole('button', { name: 'Søk', exact: true }).click();
  await page.getByRole('link', { name: product.number }).waitFor();
  await accessibleAndFits(page);
  await browser.screenshot(page, 'portfolio-list');
  await page.getByRole('link', { name: product.number }).click();
  await page.getByRole('heading', { level: 1, name: new RegExp(product.number) }).waitFor();
  await accessibleAndFits(page);
  await browser.screenshot(page, 'portfolio-product');
  await page.getByRole('link', { name: 'Si opp (Termination)' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ny oppsigelse' }).waitFor();
  // T-2 / T-3 before submitting: today at the earliest, and how long the subscription lasts
  await page.getByText(`tidligste dato er ${earliest.body.earliestDate} (T-2)`, { exact: false }).waitFor();
  await page.getByText(`varer abonnementet til ${earliest.body.lastsUntil} (T-3)`, { exact: false }).waitFor();
  expect(await page.getByLabel('Oppsigelsesdato').inputValue()).toBe(earliest.body.earliestDate);
  await page.getByLabel('Oppsigelsesdato').fill(daysAhead(-1));
  await page.getByRole('button', { name: 'Send inn oppsigelsen' }).click();
  await expect
    .poll(() => errorNextTo(page, 'Oppsigelsesdato').textContent())
    .toBe(`Oppsigelsesdato: datoen ${daysAhead(-1)} har vært: linjen kobles fra på datoen du gir, tidligst i dag (${daysAhead(0)}) (T-2).`);
  await accessibleAndFits(page);
  await browser.screenshot(page, 'termination-new');
  await page.getByLabel('Oppsigelsesdato').fill(daysAhead(30));
  await page.getByRole('button', { name: 'Send inn oppsigelsen' }).click();
  await page.getByRole('heading', { level: 1, name: /^Oppsigelse TRM-\d+/ }).waitFor();
  await eventually(
    async () => {
      await page.reload();
      await page.locator('dl.facts [data-status]').first().waitFor();
      return (await page.locator('dl.facts [data-status]').first().getAttribute('data-status')) === 'Registered';
    },
    20_000,
    'termination Registered',
  );
  await browser.screenshot(page, 'termination-registered');
  const trm = /TRM-\d+/.exec((await page.getByRole('heading', { level: 1 }).textContent())!)![0];
  const read = await stack.api('GET', `/v1/terminations/${trm}`, { token: ola });
  expect(read.body).toMatchObject({ terminatedNumber: product.number, requestedDate: daysAhead(30), status: 'Registered', customerOrderId: expect.any(String) });
  await page.close();
});

it('I-3…I-6: a switch-ISP placed in the browser: look-up by number, earliest date, a missing technician and a wrong authorisation refused next to their fields, then Registered', async () => {
  const valid = NRDB_EXAMPLES.valid;
  const page = await loggedIn('ola.nordnett');
  await page.getByRole('link', { name: 'Leverandørbytte (Switch-ISP)' }).click();
  await page.getByRole('link', { name: 'Nytt leverandørbytte' }).click();
  await page.getByLabel('Telefonnummer (8 siffer)').fill('2217190'); // 7 digits: refused next to the field
  await page.getByRole('button', { name: 'Slå opp' }).click();
  await expect.poll(() => errorNextTo(page, 'Telefonnummer (8 siffer)').textContent()).toMatch(/^Telefonnummer \(8 siffer\)/);
  await page.getByLabel('Telefonnummer (8 siffer)').fill(valid.phoneNumber);
  await page.getByRole('button', { name: 'Slå opp' }).click();
  await page.getByRole('heading', { name: 'Abonnementet som byttes' }).waitFor();
  await page.getByText('Telenor', { exact: true }).waitFor(); // the losing operator (I-3)
  expect(await page.getByLabel('Ønsket dato (Requested Date)').inputValue()).toBe(daysAhead(16)); // I-5
  // I-6: operator access needs a technician on the switch date: refused next to the slot field when none is chosen
  await page.getByLabel('Nytt produkt').selectOption('OPA-DELT');
  await page.getByLabel('Fullmaktsreferanse (NRDB)').fill(valid.reference);
  await page.getByRole('button', { name: 'Send inn byttet' }).click();
  await expect.poll(() => errorNextTo(page, 'Teknikertime (I-6)').textContent()).toBe('Teknikertime (I-6): byttet trenger tekniker: velg en ledig tid på ønsket dato (I-6).');
  await page.getByLabel('Nytt produkt').selectOption('JARA-ADSL-DELT');
  await page.getByText('Dette byttet trenger ingen tekniker.').waitFor();
  await page.getByLabel('Fullmaktsreferanse (NRDB)').fill(NRDB_EXAMPLES.unknown);
  await page.getByRole('button', { name: 'Send inn byttet' }).click();
  await expect.poll(() => errorNextTo(page, 'Fullmaktsreferanse (NRDB)').isVisible()).toBe(true);
  expect(await errorNextTo(page, 'Fullmaktsreferanse (NRDB)').textContent()).toBe(
    `Fullmaktsreferanse (NRDB): finnes ikke i fullmaktsregisteret (NRDB): be sluttbrukeren om referansen fra fullmaktsserveren (${NRDB_EXAMPLES.unknown}) (I-4).`,
  );
  await accessibleAndFits(page);
  await browser.screenshot(page, 'switch-isp-new');
  await page.getByLabel('Fullmaktsreferanse (NRDB)').fill(valid.reference);
  await page.getByRole('button', { name: 'Send inn byttet' }).click();
  await page.getByRole('heading', { level: 1, name: /^Leverandørbytte SW-\d+/ }).waitFor();
  await expect.poll(() => page.locator('dl.facts [data-status]').first().getAttribute('data-status')).toBe('Registered');
  await browser.screenshot(page, 'switch-isp-registered');
  const sw = /SW-\d+/.exec((await page.getByRole('heading', { level: 1 }).textContent())!)![0];
  const read = await stack.api('GET', `/v1/switch-isp/${sw}`, { token: await stack.login('ola.nordnett') });
  expect(read.body).toMatchObject({ newProductCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(16), authorisation: { reference: valid.reference } });
  await page.close();
});

it('O-18, G-4: contacts with the e-mail opt-in (full access), and attachments on a service request: upload, list, delete', async () => {
  const page = await loggedIn('ingrid.nordnett');
  await page.getByRole('link', { name: 'Kontakter' }).click();
  await page.getByRole('heading', { level: 1, name: 'Kontakter' }).waitFor();
  // an e-mail that is no e-mail: a sentence next to the field
  await page.getByLabel('Navn', { exact: true }).fill('Driftsvakt Nordnett');
  await page.getByLabel('E-post', { exact: true }).fill('ikke-en-adresse');
  await page.getByRole('button', { name: 'Legg til kontakt' }).click();
  await expect.poll(() => errorNextTo(page, 'E-post').textContent()).toMatch(/^E-post/);
  await page.getByLabel('E-post', { exact: true }).fill('driftsvakt@nordnett.example');
  await page.getByRole('button', { name: 'Legg til kontakt' }).click();
  const optIn = page.getByLabel('E-post ved alle statusendringer til Driftsvakt Nordnett');
  await optIn.waitFor();
  expect(await optIn.isChecked()).toBe(false);
  await optIn.check();
  await expect
    .poll(async () => {
      const contacts = await stack.api('GET', '/v1/contacts', { token: await stack.login('ingrid.nordnett') });
      return (contacts.body.items as Array<{ email: string; notifyAllStatusChanges: boolean }>).find((c) => c.email === 'driftsvakt@nordnett.example')?.notifyAllStatusChanges;
    })
    .toBe(true);
  await page.getByLabel('E-post ved alle statusendringer til Driftsvakt Nordnett').waitFor();
  expect(await page.getByLabel('E-post ved alle statusendringer til Driftsvakt Nordnett').isChecked()).toBe(true);
  await accessibleAndFits(page);
  await browser.screenshot(page, 'contacts');
  await page.close();

  const ola = await stack.login('ola.nordnett');
  const sr = await createSr(stack, ola);
  const p2 = await loggedIn('ola.nordnett');
  await p2.goto(`${browser.baseUrl}/app/#/sr/${sr.number}`);
  await p2.getByRole('heading', { name: 'Vedlegg' }).waitFor();
  await p2.getByLabel('Fil', { exact: true }).setInputFiles({ name: 'plantegning-kjeller.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 plantegning') });
  await p2.getByRole('button', { name: 'Last opp vedlegg' }).click();
  await p2.getByRole('link', { name: 'plantegning-kjeller.pdf' }).waitFor();
  const listed = await stack.api('GET', `/v1/cases/${sr.number}/attachments`, { token: ola });
  expect(listed.body.items).toEqual([expect.objectContaining({ filename: 'plantegning-kjeller.pdf', uploadedBy: 'ola.nordnett', mayDelete: true })]);
  await accessibleAndFits(p2);
  await browser.screenshot(p2, 'service-request-attachments');
  await p2.getByRole('button', { name: 'Slett plantegning-kjeller.pdf' }).click();
  await p2.getByText('Slettet av ola.nordnett').waitFor();
  const after = await stack.api('GET', `/v1/cases/${sr.number}/attachments`, { token: ola });
  expect(after.body.items[0]).toMatchObject({ filename: 'plantegning-kjeller.pdf', deletedBy: 'ola.nordnett', href: null });
  await p2.close();
});

it('accessible: the new-order form is used with the keyboard alone, and a long Norwegian address in the search fits a laptop screen', async () => {
  const page = await loggedIn('ola.nordnett');
  await page.goto(`${browser.baseUrl}/app/#/orders/new`);
  await page.getByRole('heading', { level: 1, name: 'Ny bestilling' }).waitFor();
  // Tab to the street field, type, Enter searches; arrow keys choose; Tab reaches the save button
  await page.getByLabel('Gate').focus();
  await page.keyboard.type('Dronningens gate');
  await page.keyboard.press('Tab');
  await page.keyboard.type('66');
  await page.keyboard.press('Enter');
  const first = page.locator('.address-results input[type="radio"]').first();
  await first.waitFor();
  expect(await page.evaluate(() => document.activeElement?.type)).toBe('radio');
  await page.keyboard.press('Space');
  await page.getByText(/^Valgt adresse: Dronningens gate 66/).waitFor();
  await page.setViewportSize({ width: 1024, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await browser.screenshot(page, 'order-new-address-search');
  let reached = false;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = (await page.evaluate(() => document.activeElement?.textContent)) === 'Lagre og kontroller';
  }
  expect(reached).toBe(true);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /^Bestilling ORD-\d+ \(utkast\)$/ }).waitFor();
  await page.getByText(/^Valgt adresse: Dronningens gate 66/).waitFor();
  await page.close();
});

it('A-3: a read-only user (kari.nordnett) sees orders, portfolio, switches and contacts but no ordering button on them', async () => {
  const ola = await stack.login('ola.nordnett');
  const order = await submittedOrder(stack, ola);
  await eventually(async () => (await stack.api('GET', `/v1/orders/${order.number}/lines/1`, { token: ola })).body.status === 'Registered', 20_000, 'line Registered');
  const page = await loggedIn('kari.nordnett');
  await page.getByRole('link', { name: 'Bestillinger (Orders)' }).click();
  await page.getByRole('link', { name: order.number }).waitFor();
  expect(await page.getByRole('link', { name: 'Ny bestilling' }).count()).toBe(0);
  await page.getByRole('link', { name: order.number }).click();
  await page.getByRole('heading', { name: 'Tidslinje' }).waitFor();
  expect(await page.locator('main button').count()).toBe(0); // no Reopen, no Cancel Line Item
  await page.getByRole('link', { name: 'Leverandørbytte (Switch-ISP)' }).click();
  await page.getByRole('heading', { level: 1, name: 'Leverandørbytte (Switch-ISP)' }).waitFor();
  expect(await page.getByRole('link', { name: 'Nytt leverandørbytte' }).count()).toBe(0);
  await browser.screenshot(page, 'switch-isp-list-read-only');
  await page.getByRole('link', { name: 'Oppsigelser' }).click();
  await page.getByRole('heading', { level: 1, name: 'Oppsigelser' }).waitFor();
  expect(await page.getByRole('link', { name: 'Ny oppsigelse' }).count()).toBe(0);
  await browser.screenshot(page, 'terminations-list-read-only');
  const products = await stack.api('GET', '/v1/portfolio?limit=1', { token: ola });
  await page.goto(`${browser.baseUrl}/app/#/portfolio/${products.body.items[0].number}`);
  await page.getByRole('heading', { name: 'Saker om produktet' }).waitFor();
  expect(await page.getByRole('link', { name: 'Si opp (Termination)' }).count()).toBe(0);
  await page.getByRole('link', { name: 'Kontakter' }).click();
  await page.getByText('Bare brukere med full tilgang kan endre kontaktene (A-3).').waitFor();
  expect(await page.locator('main button, main input').count()).toBe(0);
  await page.close();
});

it('C-1: a registered order is reopened in the browser, changed in the same guided form and submitted again (the change saved first)', async () => {
  const ola = await stack.login('ola.nordnett');
  const order = await submittedOrder(stack, ola);
  await eventually(async () => (await stack.api('GET', `/v1/orders/${order.number}/lines/1`, { token: ola })).body.status === 'Registered', 20_000, 'line Registered');
  const page = await loggedIn('ola.nordnett');
  await page.goto(`${browser.baseUrl}/app/#/orders/${order.number}`);
  await page.getByRole('button', { name: 'Gjenåpne bestillingen (Reopen)' }).click();
  await page.getByRole('heading', { level: 1, name: `Bestilling ${order.number} (utkast)` }).waitFor();
  expect((await stack.api('GET', `/v1/orders/${order.number}`, { token: ola })).body.lines[0].status).toBe('New');
  await page.getByLabel('Kundens ordrereferanse').fill('NN-ENDRET-2');
  await browser.screenshot(page, 'order-reopened');
  // submitted straight away: what the user changed is saved first, then submitted (a new registration)
  await page.getByRole('button', { name: 'Send inn bestillingen (Submit)' }).click();
  await page.getByRole('heading', { level: 1, name: `Bestilling ${order.number}`, exact: true }).waitFor();
  expect((await stack.api('GET', `/v1/orders/${order.number}`, { token: ola })).body.references.customerOrderRef).toBe('NN-ENDRET-2');
  await lineStatusBecomes(page, 'Registered');
  await page.close();
});

it('O-10: the availability answer in colour and words — red refused next to the check, yellow (unclear) explained, several lines at the address picked by the user', async () => {
  const ola = await stack.login('ola.nordnett');
  const red = await createOrder(stack, ola, draftBody({}, { address: { addressId: 'adr-0009' } }));
  const yellow = await createOrder(stack, ola, draftBody({ productCode: 'JARA-ADSL-FULL' }, { address: { addressId: 'adr-0006' } }));
  const several = await createOrder(stack, ola, draftBody({}, { address: { addressId: 'adr-0001' } }));
  const page = await loggedIn('ola.nordnett');
  const check = async (number: string) => {
    await page.goto(`${browser.baseUrl}/app/#/orders/${number}/edit`);
    await page.getByRole('heading', { level: 1, name: `Bestilling ${number} (utkast)` }).waitFor();
    await page.getByRole('button', { name: 'Sjekk tilgjengelighet' }).click();
    await page.locator('.avail').first().waitFor();
  };

  await check(red.number);
  expect(await page.locator('.avail').first().getAttribute('data-colour')).toBe('red');
  expect(await page.locator('.avail').first().textContent()).toMatch(/^Rød: /);
  await expect.poll(() => errorOf(page, 'lines.0.availability').textContent()).toBe('Rødt svar: produktet kan ikke leveres på adressen (O-10).');
  await accessibleAndFits(page);
  await browser.screenshot(page, 'order-availability-red');

  await check(yellow.number);
  const y = page.locator('.avail[data-colour="yellow"]').first();
  await y.waitFor();
  expect(await y.textContent()).toMatch(/^Gul: .*Uklart svar: bestill tekniker selv\.$/);
  await accessibleAndFits(page);
  await browser.screenshot(page, 'order-availability-yellow');

  await check(several.number);
  await expect.poll(() => errorOf(page, 'lines.0.availability').textContent()).toBe('Kontrollen fant flere linjer: velg den på kundens adresse (O-10).');
  const candidates = await page.locator('.avail').count();
  expect(candidates).toBeGreaterThan(1);
  await browser.screenshot(page, 'order-availability-several');
  await page
    .getByRole('button', { name: /^Velg linje LIN-/ })
    .first()
    .click();
  await page.getByText('— valgt').waitFor();
  expect(await errorOf(page, 'lines.0.availability').textContent()).not.toContain('velg den på kundens adresse');
  const read = await stack.api('GET', `/v1/orders/${several.number}`, { token: ola });
  expect(read.body.lines[0].availability.selectedLineId).toEqual(expect.any(String));
  await page.close();
});

it('G-1 in English: the guided form names every problem in English next to its field, the same places as in Bokmål', async () => {
  const page = await loggedIn('ola.nordnett');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  try {
    await page.goto(`${browser.baseUrl}/app/#/orders/new`);
    await page.getByRole('heading', { level: 1, name: 'New order' }).waitFor();
    await page.getByRole('button', { name: 'Save and check' }).click();
    await page.getByRole('heading', { level: 1, name: /^Order ORD-\d+ \(draft\)$/ }).waitFor();
    await expect.poll(() => errorNextTo(page, 'Product').textContent()).toBe('Choose the product (O-6).');
    expect(await errorNextTo(page, 'Requested Date').textContent()).toBe('Give the requested delivery date (O-5).');
    expect(await errorNextTo(page, 'Contact, full name').textContent()).toBe("Give the contact's full name (O-7).");
    expect(await errorOf(page, 'lines.0.address').textContent()).toBe('Search for the installation address in the address register and choose it (O-3).');
    await browser.screenshot(page, 'order-new-errors-en');
  } finally {
    await page.getByRole('button', { name: 'Bytt til norsk (bokmål)' }).click();
    await page.close();
  }
});
