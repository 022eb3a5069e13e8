// The browser app (issue 17) in a real browser (Debian's chromium through playwright-core) against the
// real stack: the API and the app served over an HTTP socket, the worker, Temporal, PostgreSQL.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type Browser, useBrowserStack } from '../support/browser';
import { TEST_PASSWORD } from '../support/env';
import { advanceTo, createOrder, draftBody, incompleteOrderLine, submittedOrder } from '../support/orders';
import { lowestContrast } from '../support/page-checks';
import { createSr } from '../support/service-requests';
import { eventually, type Stack } from '../support/stack';

// the page's globals inside page.evaluate (the project's TypeScript has no DOM library)
declare const document: any, window: any;

let stack: Stack;
let browser: Browser;
useBrowserStack((s, b) => ((stack = s), (browser = b)));

async function loggedIn(username: string): Promise<Page> {
  const page = await browser.logIn(username, '/'); // / redirects to /app/
  expect(new URL(page.url()).pathname).toBe('/app/');
  return page;
}

const phone = () => String(40_000_000 + Math.floor(Math.random() * 9_999_999));
const statusOf = (page: Page) => page.locator('dl.facts [data-status]').first();

/** The error sentence shown in the same field block as the labelled input. */
const errorNextTo = (page: Page, label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.field-error');

it('S-7, S-8: a service request goes round its loop in the browser: created and submitted, Incomplete, Customer Update, Completed, Closed', async () => {
  const reseller = await loggedIn('ola.nordnett');
  await browser.screenshot(reseller, 'home-reseller');
  await reseller.getByRole('link', { name: 'Henvendelser (Service Requests)' }).click();
  await reseller.getByRole('link', { name: 'Ny henvendelse' }).click();
  await reseller.getByLabel('Område (Area)').selectOption('Delivery');
  await reseller.getByLabel('Underområde').selectOption('Broadband');
  await reseller.getByLabel('Referansetype').selectOption('phone_number');
  const number = phone();
  await reseller.getByLabel('Referanse', { exact: true }).fill(number);
  await reseller.getByLabel('Beskrivelse (Description)').fill('Sluttbrukeren er ikke klar for levering før i mars; flytt leveransen.');
  await browser.screenshot(reseller, 'service-request-new');
  await reseller.getByRole('button', { name: 'Opprett' }).click();
  await reseller.getByRole('heading', { level: 1, name: /^SR-\d+/ }).waitFor();
  const srNumber = (await reseller.getByRole('heading', { level: 1 }).textContent())!.trim();
  await expect.poll(() => statusOf(reseller).getAttribute('data-status')).toBe('New');
  await reseller.getByRole('button', { name: 'Send inn (Submit)' }).click();
  await expect.poll(() => statusOf(reseller).getAttribute('data-status')).toBe('Submitted');

  // the handler finds it in the broadband queue (S-4), takes it and asks for what is missing
  const handler = await loggedIn('hanne.handler');
  await browser.screenshot(handler, 'home-handler');
  await handler.getByRole('link', { name: 'Køer' }).click();
  await handler.getByRole('link', { name: 'Kundeservice bredbånd' }).click();
  await handler.getByRole('link', { name: srNumber, exact: true }).click();
  await browser.screenshot(handler, 'handler-service-request');
  await handler.getByRole('button', { name: 'Ta saken (In Process)' }).click();
  await expect.poll(() => statusOf(handler).getAttribute('data-status')).toBe('In Process');
  await handler.getByLabel('Hva mangler?').fill('Oppgi kontaktperson og telefonnummer på leveringsadressen.');
  await handler.getByRole('button', { name: 'Be om informasjon (Incomplete)' }).click();
  await expect.poll(() => statusOf(handler).getAttribute('data-status')).toBe('Incomplete');

  // the reseller sees what is missing, adds it and submits again (the deck's slide 93)
  await reseller.reload();
  await expect.poll(() => statusOf(reseller).getAttribute('data-status')).toBe('Incomplete');
  await reseller.locator('dl.facts .attention', { hasText: 'Oppgi kontaktperson og telefonnummer på leveringsadressen.' }).waitFor();
  await browser.screenshot(reseller, 'service-request-incomplete');
  const description = reseller.getByLabel('Beskrivelse (Description)');
  await description.fill(`${await description.inputValue()}\nKontakt: Per Hansen, 91234567.`);
  await reseller.getByRole('button', { name: 'Send inn på nytt (Customer Update)' }).click();
  await expect.poll(() => statusOf(reseller).getAttribute('data-status')).toBe('Submitted');

  await handler.reload();
  await handler.getByRole('button', { name: 'Ta saken (In Process)' }).click();
  await expect.poll(() => statusOf(handler).getAttribute('data-status')).toBe('In Process');
  await handler.getByLabel('Svaret til forhandleren').fill('Leveransen er flyttet til 2. mars.');
  await handler.getByRole('button', { name: 'Svar og fullfør (Completed)' }).click();
  await expect.poll(() => statusOf(handler).getAttribute('data-status')).toBe('Completed');

  await reseller.reload();
  await reseller.locator('dl.facts', { hasText: 'Leveransen er flyttet til 2. mars.' }).waitFor();
  await browser.screenshot(reseller, 'service-request-completed');
  await reseller.getByRole('button', { name: 'Lukk saken (Closed)' }).click();
  await expect.poll(() => statusOf(reseller).getAttribute('data-status')).toBe('Closed');
  await browser.screenshot(reseller, 'service-request-closed');

  // the same loop as the API recorded it
  const read = await stack.api('GET', `/v1/service-requests/${srNumber}`, { token: await stack.login('ola.nordnett') });
  expect(read.body.activity.map((a: { toStatus: string }) => a.toStatus)).toEqual(['New', 'Submitted', 'In Process', 'Incomplete', 'Incomplete', 'Submitted', 'In Process', 'Completed', 'Closed']);
  await reseller.close();
  await handler.close();
});

it('A-3: a read-only user (kari.nordnett) sees the cases but no creating or acting buttons', async () => {
  const ola = await stack.login('ola.nordnett');
  const sr = await createSr(stack, ola);
  const page = await loggedIn('kari.nordnett');
  await page.getByText('Du har lesetilgang').waitFor();
  await page.getByRole('link', { name: 'Henvendelser (Service Requests)' }).click();
  await page.getByRole('link', { name: sr.number }).waitFor();
  expect(await page.getByRole('link', { name: 'Ny henvendelse' }).count()).toBe(0);
  await page.getByRole('link', { name: sr.number }).click();
  await page.getByRole('heading', { level: 1, name: sr.number }).waitFor();
  // the API allows kari nothing on it, so the page offers nothing
  expect(await page.locator('.actions-panel').count()).toBe(0);
  expect(await page.locator('main button').count()).toBe(0);
  await browser.screenshot(page, 'service-request-read-only');
  // typing the address of the form anyway: the API's refusal is a sentence, not a code
  await page.goto(`${browser.baseUrl}/app/#/sr/new`);
  await page.getByLabel('Område (Area)').selectOption('Other');
  await page.getByLabel('Underområde').selectOption('Other');
  await page.getByLabel('Referansetype').selectOption('other');
  await page.getByLabel('Referanse', { exact: true }).fill('Kari sin sak');
  await page.getByLabel('Beskrivelse (Description)').fill('Dette skal ikke gå, jeg har bare lesetilgang.');
  await page.getByRole('button', { name: 'Opprett' }).click();
  await expect.poll(() => page.locator('.form-error').textContent()).toBe('Du har ikke tilgang til dette (A-3).');
  await page.close();
});

it('G-1, S-5: every validation error is a sentence next to its field, never a raw code; every input has a label', async () => {
  const page = await loggedIn('ola.nordnett');
  await page.goto(`${browser.baseUrl}/app/#/sr/new`);
  await page.getByLabel('Område (Area)').selectOption('Delivery');
  await page.getByLabel('Referansetype').selectOption('phone_number');
  await page.getByLabel('Referanse', { exact: true }).fill('1234');
  await page.getByLabel('Beskrivelse (Description)').fill('kort');
  await page.getByRole('button', { name: 'Opprett' }).click();
  await expect.poll(() => errorNextTo(page, 'Referanse').textContent()).toBe('Et telefonnummer har 8 siffer, uten mellomrom eller landkode (S-5).');
  await expect.poll(() => errorNextTo(page, 'Beskrivelse (Description)').textContent()).toBe('Beskriv saken nærmere: minst 10 tegn (S-5).');
  await expect.poll(() => errorNextTo(page, 'Underområde').textContent()).toBe('Underområde må fylles ut.');
  expect(await page.getByLabel('Referanse', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  await errorNextTo(page, 'Område (Area)').waitFor({ state: 'hidden' });
  const text = await page.locator('main').innerText();
  for (const raw of ['validation_failed', 'invalid_value', 'missing_property', 'body.']) expect(text).not.toContain(raw);
  // accessible: every control has a label, and the first wrong field has the focus
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')].filter((el: any) => el.labels?.length === 0).length);
  expect(unlabelled).toBe(0);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
  await browser.screenshot(page, 'service-request-validation');

  // English on request: the same errors in English, next to the same fields
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByLabel('Area', { exact: true }).selectOption('Delivery');
  await page.getByLabel('Reference kind').selectOption('phone_number');
  await page.getByLabel('Reference', { exact: true }).fill('1234');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect.poll(() => errorNextTo(page, 'Reference').textContent()).toContain('a phone number is 8 digits');
  await page.getByRole('button', { name: 'Norsk' }).click();
  await page.close();
});

it('O-14, O-15: the order list and an order with its lines, statuses and letters; a long address does not break the layout', async () => {
  const ola = await stack.login('ola.nordnett');
  const handler = await stack.login('hanne.handler');
  const submitted = await submittedOrder(stack, ola);
  const lineNumber = `${submitted.number}:1`;
  await eventually(async () => (await stack.api('GET', `/v1/orders/${submitted.number}/lines/1`, { token: ola })).body.status === 'Registered', 20_000, 'line Registered');
  await advanceTo(stack, handler, lineNumber, 'Design');
  const longAddress = {
    street: 'Kong Haakon den sjuendes gate for fiskeværene langs Nordre Vestvågøy kommunes yttersidekyststripe',
    houseNumber: 117,
    houseLetter: 'B',
    postcode: '8360',
    town: 'Bøstad i Vestvågøy',
  };
  const draft = await createOrder(stack, ola, draftBody({}, { address: longAddress }));

  const page = await loggedIn('ola.nordnett');
  await page.getByRole('link', { name: 'Bestillinger (Orders)' }).click();
  await page.getByRole('link', { name: submitted.number }).waitFor();
  await browser.screenshot(page, 'orders-list');
  await page.getByRole('link', { name: submitted.number }).click();
  await page.getByRole('heading', { level: 1, name: `Bestilling ${submitted.number}` }).waitFor();
  const badge = page.locator('table [data-status]').first();
  await expect.poll(() => badge.textContent()).toMatch(/^Design \(D\)/);
  expect(await badge.getAttribute('title')).toBe('Ordren er sendt til Leveranse. Tekniske spesifikasjoner blir gjort.'); // the status endpoint's text (G-3)
  await browser.screenshot(page, 'order-view');

  await page.goto(`${browser.baseUrl}/app/#/orders/${draft.number}`);
  await page.getByText('Bøstad i Vestvågøy', { exact: false }).waitFor();
  for (const width of [1280, 1024]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  }
  await browser.screenshot(page, 'order-long-address');
  await page.close();
});

it('O-17: the handler sets an order line Incomplete; the reseller reads the Comment, fixes it and sets Customer Update in the browser', async () => {
  const ola = await stack.login('ola.nordnett');
  const handler = await stack.login('hanne.handler');
  const order = await incompleteOrderLine(stack, ola, handler, 'Kontaktpersonen svarer ikke på telefon: oppgi et annet nummer.');

  const page = await loggedIn('ola.nordnett');
  await page.goto(`${browser.baseUrl}/app/#/orders/${order.number}`);
  await expect.poll(() => page.locator('table [data-status]').first().getAttribute('data-status')).toBe('Incomplete');
  // the Comment on the line (the timeline below repeats it with who and when)
  await page.getByText('Kontaktpersonen svarer ikke på telefon: oppgi et annet nummer.').first().waitFor();
  // nothing filled in: the API's refusal is a sentence above the form
  await page.getByRole('button', { name: 'Send (Customer Update)' }).click();
  await expect.poll(() => page.locator('.actions-panel .form-error').textContent()).toBe('Legg inn det du har rettet, eller skriv en kommentar (O-17).');
  // the contact is given whole (O-7): a phone without the full name is refused next to the name
  await page.getByLabel('Kontaktperson, fullt navn').fill('');
  await page.getByLabel('Kontaktpersonens telefon (bare siffer)').fill('98765432');
  await page.getByRole('button', { name: 'Send (Customer Update)' }).click();
  await expect.poll(() => errorNextTo(page, 'Kontaktperson, fullt navn').textContent()).toBe('Oppgi kontaktpersonens fulle navn (O-7).');
  await page.getByLabel('Kontaktperson, fullt navn').fill('Per Hansen');
  await page.getByLabel('Din kommentar').fill('Nytt nummer til kontaktpersonen.');
  await browser.screenshot(page, 'order-line-incomplete');
  await page.getByRole('button', { name: 'Send (Customer Update)' }).click();
  await expect.poll(() => page.locator('table [data-status]').first().getAttribute('data-status')).toBe('Customer Update');
  expect(await page.getByRole('button', { name: 'Send (Customer Update)' }).count()).toBe(0);
  const line = await stack.api('GET', `/v1/orders/${order.number}/lines/1`, { token: ola });
  expect(line.body.status).toBe('Customer Update');
  await page.close();
});

it('A-5: a session the API ended (idle on the server) returns the user to the login page with the reason', async () => {
  const page = await loggedIn('ola.nordnett');
  // as if the session had been idle for 30 minutes on the server: its last request long ago
  await stack.sql`UPDATE sessions s SET last_seen_at = now() - interval '31 minutes' FROM users u WHERE u.id = s.user_id AND u.username = 'ola.nordnett' AND s.ended_at IS NULL`;
  await page.getByRole('link', { name: 'Henvendelser (Service Requests)' }).click();
  await page.getByText('Du ble logget ut fordi du ikke har vært aktiv på 30 minutter (A-5).').waitFor();
  await page.getByLabel('Brukernavn').waitFor();
  await page.close();
});

it('the API serves the app at /app/ (/ redirects there), only its own files, never cached stale', async () => {
  const root = await stack.fetch('http://samband.test/', { redirect: 'manual' });
  expect(root.status).toBe(302);
  expect(root.headers.get('location')).toBe('/app/');
  const index = await stack.fetch('http://samband.test/app/');
  expect(index.status).toBe(200);
  expect(index.headers.get('content-type')).toContain('text/html');
  expect(await index.text()).toContain('/app/app.js');
  const bundle = await stack.fetch('http://samband.test/app/app.js');
  expect(bundle.status).toBe(200);
  expect(bundle.headers.get('content-type')).toContain('javascript');
  expect(bundle.headers.get('cache-control')).toBe('no-cache');
  // nothing else of the folder or the disk can be named
  for (const path of ['/app/../package.json', '/app/%2e%2e/package.json', '/app/index.ts', '/app/src/main.ts', '/app/..%2f..%2fpackage.json', '/app/app.js.map']) {
    const res = await stack.fetch(`http://samband.test${path}`);
    expect(res.status, path).toBe(404);
    expect(res.headers.get('content-type'), path).toContain('application/problem+json');
  }
});

it('A-5: after 25 idle minutes a warning, after 30 the user is logged out', async () => {
  const page = await browser.newPage();
  await page.clock.install();
  await page.goto(`${browser.baseUrl}/app/`);
  await page.getByLabel('Brukernavn').fill('ola.nordnett');
  await page.getByLabel('Passord').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByRole('heading', { level: 1, name: /^Velkommen/ }).waitFor();
  await page.clock.fastForward('24:00');
  await page.getByRole('alertdialog').waitFor({ state: 'hidden' });
  await page.clock.fastForward('01:30');
  await expect.poll(() => page.getByRole('alertdialog').textContent()).toContain('Du blir logget ut om 5 minutter');
  await browser.screenshot(page, 'idle-warning');
  // staying logged in starts the 30 minutes again
  // (the warning's button has the focus; with the page's clock faked, a key press rather than a click)
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Fortsett å være innlogget');
  await page.keyboard.press('Enter');
  await page.getByRole('alertdialog').waitFor({ state: 'hidden' });
  await page.clock.fastForward('06:00');
  expect(await page.getByLabel('Brukernavn').count()).toBe(0);
  await page.clock.fastForward('19:30');
  await page.getByRole('alertdialog').waitFor();
  await page.clock.fastForward('05:00');
  await page.getByText('Du ble logget ut fordi du ikke har vært aktiv på 30 minutter (A-5).').waitFor();
  await page.getByLabel('Brukernavn').waitFor();
  await page.close();
});

it('accessible: a user logs in and moves around with the keyboard alone; text contrast is at least 4.5:1 (WCAG AA)', async () => {
  const page = await browser.newPage();
  await page.goto(`${browser.baseUrl}/app/`);
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? '');
  const tabTo = async (text: string) => {
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if ((await focused()) === text) return;
    }
    throw new Error(`no focusable element "${text}"`);
  };
  await page.getByLabel('Brukernavn').waitFor();
  await page.keyboard.press('Tab'); // the skip link comes first
  expect(await focused()).toBe('Hopp til innholdet');
  while ((await page.evaluate(() => document.activeElement?.id)) !== (await page.getByLabel('Brukernavn').getAttribute('id'))) await page.keyboard.press('Tab');
  await page.keyboard.type('ola.nordnett');
  await page.keyboard.press('Tab');
  await page.keyboard.type(TEST_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: /^Velkommen/ }).waitFor();
  await tabTo('Henvendelser (Service Requests)');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Henvendelser (Service Requests)' }).waitFor();
  // the new page's heading takes the focus, so a screen reader announces where the user is
  expect(await focused()).toBe('Henvendelser (Service Requests)');
  await tabTo('Ny henvendelse');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Ny henvendelse' }).waitFor();
  await tabTo('Opprett');
  await page.keyboard.press('Enter');
  await page.locator('.field-error:not([hidden])').first().waitFor();

  const lowest = await lowestContrast(page);
  expect(lowest.ratio, `lowest contrast: "${lowest.text}"`).toBeGreaterThanOrEqual(4.5);
  expect(lowest.ratio).toBeLessThan(21); // it measured coloured text, not only black on white
  await page.close();
});
