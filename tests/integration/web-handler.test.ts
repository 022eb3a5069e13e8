// Quotes and the handler's workbench in a real browser (issue 17): a quote that needs manual pricing is
// confirmed by the reseller, priced by a handler through Incomplete and Customer Update
// and ordered; a handler takes an order line from the inbox and moves it through its delivery steps
// using only the steps the page offers (O-15, the API's allowedNextSteps). Errors are sentences next to
// their fields; every control is labelled; keyboard only works.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type Browser, useBrowserStack } from '../support/browser';
import { submittedOrder } from '../support/orders';
import { lowestContrast, unlabelledControls as unlabelled } from '../support/page-checks';
import { eventually, type Stack } from '../support/stack';

// the page's globals inside page.evaluate (the project's TypeScript has no DOM library)
declare const document: any;

let stack: Stack;
let browser: Browser;
useBrowserStack((s, b) => ((stack = s), (browser = b)));

const loggedIn = (username: string): Promise<Page> => browser.logIn(username);

/** The error sentence in the same field block as the labelled control. */
const errorNextTo = (page: Page, label: string) => page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.field-error');
/** The status of a quote's line 1 in the lines table (the quote's own badge is in the facts). */
const lineStatus = (page: Page) => page.locator('table').first().locator('tbody tr').first().locator('[data-status]');
const headerStatus = (page: Page) => page.locator('dl.facts [data-status]').first();

it('Q-8, Q-9, Q-11, Q-12: a quote that needs manual pricing is confirmed, priced by a handler through Incomplete and Customer Update, and ordered — all in the browser', async () => {
  const reseller = await loggedIn('ola.nordnett');
  await reseller.getByRole('link', { name: 'Forespørsler (Quotes)' }).click();
  await reseller.getByRole('heading', { level: 1, name: 'Forespørsler (Quotes)' }).waitFor();
  await reseller.getByRole('link', { name: 'Ny forespørsel' }).click();
  await reseller.getByRole('heading', { level: 1, name: 'Ny forespørsel' }).waitFor();
  const reference = `WEB-Q-${Date.now() % 1_000_000}`;
  await reseller.getByLabel('Din referanse').fill(reference);
  await reseller.getByLabel('Produkt', { exact: true }).selectOption('SAMB-ETH');
  await reseller.getByLabel('Hastighet (Mbit/s)').selectOption('34');

  // no addresses yet: the API's refusal is a sentence next to each address field (G-1, Q-2)
  await reseller.getByRole('button', { name: 'Opprett' }).click();
  await expect.poll(() => errorNextTo(reseller, 'Adresse A').textContent()).toBe('Adresse A må fylles ut.');
  await expect.poll(() => errorNextTo(reseller, 'Adresse B').textContent()).toBe('Adresse B må fylles ut.');
  expect(await reseller.getByLabel('Adresse A', { exact: true }).getAttribute('aria-invalid')).toBe('true');
  await browser.screenshot(reseller, 'quote-new'); // (a full-page screenshot right before a click can swallow the click)

  // addresses from the register: Enter in the search box searches (keyboard), one hit is chosen at once
  await reseller.getByLabel('Søk etter Adresse A').fill('Karl Johans gate 22');
  await reseller.getByLabel('Søk etter Adresse A').press('Enter');
  await expect.poll(() => reseller.getByLabel('Adresse A', { exact: true }).inputValue()).toBe('adr-0003');
  await reseller.getByLabel('Søk etter Adresse B').fill('Trondheimsveien 235');
  await reseller.getByLabel('Søk etter Adresse B').press('Enter');
  await expect.poll(() => reseller.getByLabel('Adresse B', { exact: true }).inputValue()).toBe('adr-0006');
  expect(await unlabelled(reseller)).toEqual([]);
  await reseller.getByRole('button', { name: 'Opprett' }).click();
  await reseller.getByRole('heading', { level: 1, name: /^Forespørsel Q-\d+/ }).waitFor();
  const quoteNumber = (await reseller.getByRole('heading', { level: 1 }).textContent())!.replace('Forespørsel', '').trim();
  await expect.poll(() => headerStatus(reseller).getAttribute('data-status')).toBe('New');

  // Estimate Price: zone 2 at 34 Mbit/s cannot be priced from the list; the user confirms
  await reseller.getByRole('button', { name: 'Beregn pris (Estimate Price)' }).click();
  const confirm = reseller.getByRole('region', { name: 'Disse linjene må prises manuelt' });
  await confirm.waitFor();
  const box = confirm.getByLabel(/Send linje 1 til manuell prising: prislisten gjelder ikke for avstanden eller sonene her \(Q-5; .*zone 1/);
  expect(await box.isChecked()).toBe(true);
  await browser.screenshot(reseller, 'quote-manual-pricing-confirmation');
  await box.uncheck();
  await confirm.getByRole('button', { name: 'Bekreft manuell prising' }).click();
  await expect.poll(() => confirm.locator('.form-error').textContent()).toBe('Kryss av for minst én linje.');
  await box.check();
  await confirm.getByRole('button', { name: 'Bekreft manuell prising' }).click();
  await expect.poll(() => lineStatus(reseller).getAttribute('data-status')).toBe('Received');
  expect(await reseller.getByRole('region', { name: 'Disse linjene må prises manuelt' }).count()).toBe(0);

  // the handler finds it in sales support's queue of the inbox
  const handler = await loggedIn('hanne.handler');
  await handler.getByRole('link', { name: 'Køer' }).click();
  await handler.getByRole('heading', { level: 1, name: 'Innboks' }).waitFor();
  await handler.getByLabel('Kø', { exact: true }).selectOption('sales-support');
  await handler.getByLabel('Sakstype').selectOption('quote');
  await handler.getByRole('button', { name: 'Vis', exact: true }).click();
  await handler.getByRole('heading', { level: 1, name: 'Innboks: Salgsstøtte' }).waitFor();
  expect(await unlabelled(handler)).toEqual([]);
  await browser.screenshot(handler, 'handler-inbox');
  await handler.getByRole('link', { name: quoteNumber }).click();
  await handler.getByRole('heading', { level: 1, name: `Forespørsel ${quoteNumber}` }).waitFor();
  await handler.getByRole('button', { name: 'Ta linje 1 til prising (In Process)' }).click();
  await expect.poll(() => lineStatus(handler).getAttribute('data-status')).toBe('In Process');

  // Incomplete needs the text: left empty, the sentence is next to the field
  await handler.getByRole('button', { name: 'Be om informasjon om linje 1 (Incomplete)' }).click();
  await expect.poll(() => errorNextTo(handler, 'Hva mangler?').textContent()).toBe('Hva mangler? må fylles ut.');
  await handler.getByLabel('Hva mangler?').fill('Hvilken etasje er utstyrsrommet på adresse B?');
  await handler.getByRole('button', { name: 'Be om informasjon om linje 1 (Incomplete)' }).click();
  await expect.poll(() => lineStatus(handler).getAttribute('data-status')).toBe('Incomplete');

  // the reseller reads what is missing and answers with Customer Update
  await reseller.reload();
  await expect.poll(() => lineStatus(reseller).getAttribute('data-status')).toBe('Incomplete');
  await reseller.locator('.attention', { hasText: 'Hvilken etasje er utstyrsrommet på adresse B?' }).waitFor();
  await browser.screenshot(reseller, 'quote-incomplete');
  // the fix: address B moves to the building next door (the line's current values are filled in), and a comment
  const fix = reseller.getByRole('form', { name: 'Rett linje 1 og send den tilbake (Customer Update)' });
  expect(await fix.getByLabel('Adresse B', { exact: true }).inputValue()).toBe('adr-0006');
  expect(await fix.getByLabel('Hastighet (Mbit/s)').inputValue()).toBe('34');
  await fix.getByLabel('Søk etter Adresse B').fill('Kirkegata 15, 0153');
  await fix.getByLabel('Søk etter Adresse B').press('Enter');
  await expect.poll(() => fix.getByLabel('Adresse B', { exact: true }).inputValue()).toBe('adr-0004');
  await fix.getByLabel('Din kommentar').fill('Utstyrsrommet er i 2. etasje.');
  await fix.getByRole('button', { name: 'Send (Customer Update)' }).click();
  await expect.poll(() => lineStatus(reseller).getAttribute('data-status')).toBe('Customer Update');

  // the handler takes it again and prices it (kroner on the screen, whole øre in the API)
  await handler.reload();
  await handler.getByRole('button', { name: 'Ta linje 1 til prising (In Process)' }).click();
  await expect.poll(() => lineStatus(handler).getAttribute('data-status')).toBe('In Process');
  await handler.getByLabel('Månedspris (kr)').fill('fire tusen');
  await handler.getByRole('button', { name: 'Pris linje 1 (Completed)' }).click();
  await expect.poll(() => errorNextTo(handler, 'Månedspris (kr)').textContent()).toBe('Månedspris (kr): Skriv et beløp i kroner, for eksempel 4120 eller 4 120,50.');
  await expect.poll(() => errorNextTo(handler, 'Etableringspris (kr)').textContent()).toBe('Etableringspris (kr) må fylles ut.');
  await browser.screenshot(handler, 'quote-handler-pricing');
  await handler.getByLabel('Månedspris (kr)').fill('4 120,50');
  await handler.getByLabel('Etableringspris (kr)').fill('25000');
  await handler.getByRole('button', { name: 'Pris linje 1 (Completed)' }).click();
  await expect.poll(() => lineStatus(handler).getAttribute('data-status')).toBe('Completed');

  // the reseller sees the price and orders every Completed line: the new order opens
  await reseller.reload();
  await expect.poll(() => headerStatus(reseller).getAttribute('data-status')).toBe('Completed');
  await reseller.locator('table .money', { hasText: /4\s120,50/ }).waitFor();
  await browser.screenshot(reseller, 'quote-completed');
  for (const width of [1024, 1280]) {
    await reseller.setViewportSize({ width, height: 800 });
    expect(await reseller.evaluate(() => document.documentElement.scrollWidth), `quote page at ${width} px`).toBeLessThanOrEqual(width);
  }
  await reseller.getByRole('button', { name: 'Bestill alle linjene (Order All Line Items)' }).click();
  await reseller.getByRole('heading', { level: 1, name: /^Bestilling ORD-\d+/ }).waitFor();
  const orderNumber = (await reseller.getByRole('heading', { level: 1 }).textContent())!.replace('Bestilling', '').trim();
  await browser.screenshot(reseller, 'quote-ordered');
  await reseller.getByRole('link', { name: 'Forespørsler (Quotes)' }).click();
  const listed = reseller.locator('tbody tr', { has: reseller.getByRole('link', { name: quoteNumber }) });
  expect(await listed.locator('[data-status]').getAttribute('data-status')).toBe('Completed');
  await browser.screenshot(reseller, 'quotes-list');

  // what the API recorded: the price in øre, the line ordered as that order, who did each step
  const quote = (await stack.api('GET', `/v1/quotes/${quoteNumber}`, { token: await stack.login('ola.nordnett') })).body;
  expect(quote.customerReference).toBe(reference);
  expect(quote.lines[0]).toMatchObject({
    status: 'Completed',
    addressB: { id: 'adr-0004' },
    price: { monthlyRentOre: 412_050, establishmentOre: 2_500_000 },
    priceSource: 'manual',
    orderedAs: orderNumber,
  });
  expect(quote.activity.map((a: { action: string; by: string }) => `${a.action}:${a.by}`)).toEqual([
    'create:ola.nordnett',
    'submit:ola.nordnett',
    'submit:ola.nordnett',
    'take:hanne.handler',
    'setIncomplete:hanne.handler',
    'change:ola.nordnett',
    'customerUpdate:ola.nordnett',
    'take:hanne.handler',
    'complete:hanne.handler',
    'markOrdered:ola.nordnett',
    'confirmOrdered:ola.nordnett',
  ]);
  await reseller.close();
  await handler.close();
}, 180_000);

it('O-15, A-2: a handler takes an order line from the inbox and moves it through its steps using only the steps offered (allowedNextSteps); keyboard only works', async () => {
  const ola = await stack.login('ola.nordnett');
  const order = await submittedOrder(stack, ola);
  const n = `${order.number}:1`;
  const handlerToken = await stack.login('hanne.handler');
  const apiLine = async () => (await stack.api('GET', `/v1/orders/${order.number}/lines/1`, { token: handlerToken })).body as { status: string; allowedNextSteps: string[]; assignee?: string | null };
  await eventually(async () => (await apiLine()).status === 'Registered', 20_000, `${n} registered`);

  const page = await loggedIn('hanne.handler');
  await page.getByRole('link', { name: 'Køer' }).click();
  await page.getByLabel('Søk (nummer, tittel, referanse)').fill(order.number);
  await page.getByLabel('Sakstype').selectOption('order_line');
  await page.getByRole('button', { name: 'Vis', exact: true }).click();
  const row = page.locator('tbody tr', { has: page.getByRole('link', { name: n }) });
  await row.waitFor();
  // a laptop screen: the inbox never makes the page scroll sideways
  for (const width of [1024, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `at ${width} px`).toBeLessThanOrEqual(width);
  }
  expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('Registered');
  // the handler takes the case from the inbox; the row shows it is theirs
  await row.getByRole('button', { name: 'Tildel meg' }).click();
  await expect.poll(() => row.getByRole('button', { name: 'Slipp saken' }).count()).toBe(1);
  expect((await apiLine()).assignee).toBe('hanne.handler');
  await row.getByRole('link', { name: n }).click();
  await page.getByRole('heading', { level: 1, name: `Ordrelinje ${n}` }).waitFor();
  await browser.screenshot(page, 'handler-order-line');
  // let go of the line (nobody holds it), and take it again, on the line's page
  await page.getByRole('button', { name: 'Slipp saken' }).click();
  await expect.poll(async () => (await apiLine()).assignee ?? null).toBeNull();
  await page.getByRole('button', { name: 'Tildel meg' }).click();
  await expect.poll(async () => (await apiLine()).assignee).toBe('hanne.handler');
  await page.getByRole('button', { name: 'Slipp saken' }).waitFor();

  const offered = () => page.locator('button[data-step]').evaluateAll((els: any[]) => els.map((el) => el.getAttribute('data-step')));
  const seen: string[] = [];
  for (;;) {
    const line = await apiLine();
    // the page offers exactly what the API says may be done next, nothing else
    await expect.poll(offered).toEqual(line.allowedNextSteps);
    if (line.allowedNextSteps.length === 0) break;
    const [step] = line.allowedNextSteps as [string];
    if (step === 'Field Service') {
      // M needs the installation date: without it, the sentence is next to the date field
      await page.locator('button[data-step="Field Service"]').click();
      await expect.poll(() => errorNextTo(page, 'Installasjonsdato').textContent()).toBe('Installasjonsdato: velg datoen montøren kommer; den kreves med Field Service (M) (O-15).');
      await browser.screenshot(page, 'handler-order-line-field-service');
      await page.getByLabel('Installasjonsdato').fill('2027-03-01');
    }
    if (step === 'Design') {
      // keyboard only: Tab to the offered step and press Enter
      let focused = '';
      for (let i = 0; i < 80 && focused !== step; i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement?.getAttribute('data-step') ?? '');
      }
      expect(focused).toBe(step);
      await page.keyboard.press('Enter');
    } else {
      await page.locator(`button[data-step="${step}"]`).click();
    }
    await expect.poll(async () => (await apiLine()).status).toBe(step);
    await expect.poll(() => headerStatus(page).getAttribute('data-status')).toBe(step);
    seen.push(step);
  }
  expect(seen).toEqual(['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed']);
  await page.getByText('Linjen har ingen neste steg nå.').waitFor();
  expect(await unlabelled(page)).toEqual([]);
  const lowest = await lowestContrast(page);
  expect(lowest.ratio, `lowest contrast: "${lowest.text}"`).toBeGreaterThanOrEqual(4.5);
  // a closed line is nobody's work any more: no taking or releasing
  expect(await page.getByRole('button', { name: /Tildel meg|Slipp saken/ }).count()).toBe(0);
  await page.close();
}, 180_000);

it('A-3: a read-only user sees quotes but no button to create, price or order; the same quote offers the ordering user Estimate Price; English is one click away', async () => {
  const ola = await stack.login('ola.nordnett');
  const created = await stack.api('POST', '/v1/quotes', {
    token: ola,
    json: { customerReference: 'LESETILGANG', lines: [{ productCode: 'SAMB-ETH', speedMbps: 10, addressAId: 'adr-0003', addressBId: 'adr-0004' }] },
  });
  expect(created.status).toBe(201);
  const number = created.body.number as string;

  const kari = await loggedIn('kari.nordnett');
  await kari.getByRole('link', { name: 'Forespørsler (Quotes)' }).click();
  await kari.getByRole('link', { name: number }).waitFor();
  expect(await kari.getByRole('link', { name: 'Ny forespørsel' }).count()).toBe(0);
  await kari.getByRole('link', { name: number }).click();
  await kari.getByRole('heading', { level: 1, name: `Forespørsel ${number}` }).waitFor();
  expect(await kari.locator('main button').count()).toBe(0);
  expect(await kari.locator('main form').count()).toBe(0);
  await browser.screenshot(kari, 'quote-read-only');

  const owner = await loggedIn('ola.nordnett');
  await owner.goto(`${browser.baseUrl}/app/#/quotes/${number}`);
  await owner.getByRole('button', { name: 'Beregn pris (Estimate Price)' }).waitFor();
  // the status explanation comes from the API's status texts (G-3), in the user's language
  expect(await headerStatus(owner).getAttribute('title')).toMatch(/prisforespørsel/);
  await owner.getByRole('button', { name: 'Switch to English' }).click();
  await owner.getByRole('button', { name: 'Estimate Price' }).waitFor();
  expect(await headerStatus(owner).getAttribute('title')).toMatch(/no price has been requested/);
  await owner.getByRole('button', { name: 'Estimate Price' }).click();
  // 10 Mbit/s is in the price list: priced at once, no confirmation needed
  await expect.poll(() => lineStatus(owner).getAttribute('data-status')).toBe('Completed');
  await owner.getByRole('button', { name: 'Order All Line Items' }).waitFor();
  const lowest = await lowestContrast(owner);
  expect(lowest.ratio, `lowest contrast: "${lowest.text}"`).toBeGreaterThanOrEqual(4.5);
  await owner.getByRole('button', { name: 'Bytt til norsk (bokmål)' }).click(); // the language is kept for the browser: back for the other tests
  await owner
    .getByRole('button', { name: 'Beregn pris (Estimate Price)' })
    .or(owner.getByRole('button', { name: 'Bestill alle linjene (Order All Line Items)' }))
    .first()
    .waitFor();
  await kari.close();
  await owner.close();
}, 120_000);

it('Q-4, Q-7: a Telelosji line has the attachment flag and the co-location form attached instead of addresses; without the file the sentence is next to the file field', async () => {
  const page = await loggedIn('ola.nordnett');
  await page.goto(`${browser.baseUrl}/app/#/quotes/new`);
  await page.getByRole('heading', { level: 1, name: 'Ny forespørsel' }).waitFor();
  await page.getByLabel('Produkt', { exact: true }).selectOption('TELELOSJI');
  // co-location: the flag is set and the address fields give way to the attachment
  expect(await page.getByLabel('Stedet beskrives i et vedlegg (Q-4)').isChecked()).toBe(true);
  expect(await page.getByLabel('Adresse A', { exact: true }).isVisible()).toBe(false);
  expect(await page.getByLabel('Hastighet (Mbit/s)').isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Opprett' }).click();
  await expect.poll(() => errorNextTo(page, 'Vedlegg').textContent()).toBe('Vedlegg må fylles ut.');
  await page.getByLabel('Vedlegg', { exact: true }).setInputFiles({ name: 'telelosji-skjema.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 telelosji-skjema') });
  await page.getByRole('button', { name: 'Opprett' }).click();
  await page.getByRole('heading', { level: 1, name: /^Forespørsel Q-\d+/ }).waitFor();
  await page.locator('table', { hasText: 'Vedlegg: telelosji-skjema.pdf' }).waitFor();
  await page.getByRole('button', { name: 'Beregn pris (Estimate Price)' }).click();
  // always priced by hand: the confirmation names the rule
  await page
    .getByRole('region', { name: 'Disse linjene må prises manuelt' })
    .getByLabel(/Send linje 1 til manuell prising: Telelosji prises alltid manuelt \(Q-7;/)
    .waitFor();
  const number = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Forespørsel', '').trim();
  const quote = (await stack.api('GET', `/v1/quotes/${number}`, { token: await stack.login('ola.nordnett') })).body;
  expect(quote.lines[0]).toMatchObject({ productCode: 'TELELOSJI', attachmentFlag: true, addressA: null, attachments: [{ filename: 'telelosji-skjema.pdf', contentType: 'application/pdf' }] });
  await page.close();
}, 90_000);
