// The objects of each reseller company that the security matrix and the tenancy findings aim at,
// created through the API as a reseller would (an SR, quotes, orders, a switch, a termination, an
// attachment, a contact, a webhook), and the other company's secrets to look for in every answer.
import type { WebhookPolicy } from '../../notifications/address-policy';
import { randomUUID } from 'node:crypto';
import { seedPortfolioRows } from '../../db/portfolio-seed';
import { SEED_USERS } from '../../db/seed';
import { bookWhereExpected, daysAhead, draftBody, ok } from './orders';
import { eventually } from './eventually';
import { nextPeriod, periodOf, periodStart, previousPeriod } from '../../domain/invoice';
import { switchables } from './portfolio';
import type { Stack } from './stack';
import { faultyProduct, ticketBody } from './trouble-tickets';

export type CompanyId = 'nordnett' | 'fjordtel';

/** The kinds of object a route can name, in its path, its query or its body. */
export type ObjectKind =
  | 'sr'
  | 'srSubmitted'
  | 'quoteNew'
  | 'quoteCompleted'
  | 'orderDraft'
  | 'orderSubmitted'
  | 'orderLine'
  | 'switch'
  | 'termination'
  | 'tt'
  | 'ttSubmitted'
  | 'attachment'
  | 'contact'
  | 'webhook'
  | 'portfolio'
  | 'phone'
  | 'company'
  | 'search'
  | 'invoice';

export type CompanyObjects = Record<ObjectKind, string>;

export interface CompanyFixtures {
  companyId: CompanyId;
  objects: CompanyObjects;
  /** The draft order's register address and a free technician slot there (valid booking bodies). */
  draftAddressId: string;
  slotId: string;
  /** Strings only this company (and the wholesaler) may see. */
  secrets: Set<string>;
}

/** Objects that do not exist, of the right shape, so validation lets them through to the lookup. */
export const MISSING: CompanyObjects = {
  sr: 'SR-000007',
  srSubmitted: 'SR-000008',
  quoteNew: 'Q-000007',
  quoteCompleted: 'Q-000008',
  orderDraft: 'ORD-000007',
  orderSubmitted: 'ORD-000008',
  orderLine: 'ORD-000008:1',
  switch: 'SW-000007',
  termination: 'TRM-000007',
  tt: 'TT-000007',
  ttSubmitted: 'TT-000008',
  attachment: '00000000-0000-4000-8000-000000000007',
  contact: '00000000-0000-4000-8000-000000000008',
  webhook: '00000000-0000-4000-8000-000000000009',
  portfolio: '99999907',
  phone: '99999907',
  company: 'no-such-company',
  search: 'zz-no-such-text-7',
  invoice: 'INV-000000007',
};

const USERS = {
  nordnett: { ordering: 'ola.nordnett', full: 'ingrid.nordnett' },
  fjordtel: { ordering: 'nils.fjordtel', full: 'anne.fjordtel' },
} as const;

/** Personal data each company's fixtures carry; unique, so a hit in an answer is never chance. */
const END_USERS = {
  nordnett: { kind: 'person', name: 'Nordis Testesen', birthDate: '1961-01-11' },
  fjordtel: { kind: 'person', name: 'Fjordine Hemmelighet', birthDate: '1966-06-16' },
} as const;

const seed = seedPortfolioRows();

/** A current portfolio entry of the company by product, skipping the ones another fixture took. */
function portfolioNumber(companyId: CompanyId, productCode: string, skip: Set<string>): string {
  const row = seed.find((r) => r.companyId === companyId && r.productCode === productCode && !skip.has(r.number));
  if (!row) throw new Error(`no ${productCode} in the portfolio of ${companyId}`);
  skip.add(row.number);
  return row.number;
}

let switchIndex = 0;
/** Other operators' subscriptions with the owner's authorisation, one per caller (I-4). */
export function nextSwitchable() {
  const all = switchables('JARA-ADSL-DELT');
  const s = all[switchIndex % all.length]!;
  switchIndex++;
  return s;
}

export async function createCompanyFixtures(stack: Stack, companyId: CompanyId): Promise<CompanyFixtures> {
  const ordering = await stack.login(USERS[companyId].ordering);
  const full = await stack.login(USERS[companyId].full);
  const tag = `${companyId}-${randomUUID().slice(0, 8)}`;
  const secrets = new Set<string>();
  const taken = new Set<string>();

  const attachment = await ok(
    stack.api('POST', '/v1/attachments', {
      token: ordering,
      json: { filename: `siteplan-${tag}.txt`, contentType: 'text/plain', contentBase64: Buffer.from(`floor plan of ${tag}`).toString('base64') },
    }),
    201,
  );

  // orders: a draft (ADSL, availability checked, so look-up and submit are possible) and a submitted one
  const endUser = END_USERS[companyId];
  const draftRef = `REF-${tag}-draft`;
  const draftBodyJson = draftBody({ references: { customerOrderRef: draftRef }, contact: { name: `Kontakt ${tag}`, phone: companyId === 'nordnett' ? '40000001' : '40000002' } }, { endUser });
  const draft = await ok(stack.api('POST', '/v1/orders', { token: ordering, json: draftBodyJson }), 201);
  await ok(stack.api('POST', `/v1/orders/${draft.number}/lines/1/availability`, { token: ordering }));
  const draftAddressId = (draftBodyJson.lines as Array<{ address: { addressId: string } }>)[0]!.address.addressId;
  const submittedBody = draftBody({ references: { customerOrderRef: `REF-${tag}-submitted` } }, { endUser });
  const submitted = await ok(stack.api('POST', '/v1/orders', { token: ordering, json: submittedBody }), 201);
  await ok(stack.api('POST', `/v1/orders/${submitted.number}/lines/1/availability`, { token: ordering }));
  await bookWhereExpected(stack, ordering, submitted.number); // O-12
  await ok(stack.api('POST', `/v1/orders/${submitted.number}/submit`, { token: ordering }));
  const slots = await ok(stack.api('GET', `/v1/reference/appointment-slots?addressId=${draftAddressId}&from=${daysAhead(30)}&to=${daysAhead(44)}`, { token: ordering }));
  const slotId = (slots.items as Array<{ slotId: string }>)[0]?.slotId ?? `OSL-${daysAhead(30)}-0812`;

  // quotes: one New (lines still editable), one Completed (priced from the price list: Q-5, zone 1)
  const quoteLine = { productCode: 'SAMB-ETH', speedMbps: 34, addressAId: 'adr-0003', addressBId: 'adr-0004' };
  const quoteNew = await ok(stack.api('POST', '/v1/quotes', { token: ordering, json: { customerReference: `QREF-${tag}-new`, lines: [quoteLine] } }), 201);
  const quoteDone = await ok(stack.api('POST', '/v1/quotes', { token: ordering, json: { customerReference: `QREF-${tag}-done`, lines: [quoteLine] } }), 201);
  await ok(stack.api('POST', `/v1/quotes/${quoteDone.number}/submit`, { token: ordering, json: {} }));

  // service requests: one New, one Submitted (for the handler's steps)
  const srBody = (n: number) => ({
    area: 'Delivery',
    subArea: 'Broadband',
    reference: { kind: 'other', value: `SRREF-${tag}-${n}` },
    description: `The end user ${endUser.name} is not ready before March (${tag})`,
    attachmentIds: [attachment.id],
  });
  const sr = await ok(stack.api('POST', '/v1/service-requests', { token: ordering, json: srBody(1) }), 201);
  const srSubmitted = await ok(stack.api('POST', '/v1/service-requests', { token: ordering, json: srBody(2) }), 201);
  await ok(stack.api('POST', `/v1/service-requests/${srSubmitted.number}/submit`, { token: ordering, json: {} }));

  // a switch-ISP of another operator's subscription (I-4: the owner's authorisation)
  const sw = nextSwitchable();
  const theSwitch = await ok(
    stack.api('POST', '/v1/switch-isp', {
      token: ordering,
      json: { number: sw.phoneNumber, productCode: 'JARA-ADSL-DELT', requestedDate: daysAhead(20), authorisationReference: sw.auth.reference, customerReference: `SWREF-${tag}` },
    }),
    201,
  );

  // a termination of one of the company's own products
  const terminated = portfolioNumber(companyId, 'PSTN', taken);
  const earliest = await ok(stack.api('GET', `/v1/terminations/earliest-date?number=${terminated}`, { token: ordering }));
  const termination = await ok(
    stack.api('POST', '/v1/terminations', {
      token: ordering,
      json: { number: terminated, requestedDate: daysAhead(Math.max(60, earliest.noticeDays + 5)), reason: `Moving out (${tag})`, customerReference: `TRMREF-${tag}` },
    }),
    201,
  );

  // trouble tickets (M-2): one New, one Submitted (for the fault desk's steps), on products whose line test finds a fault
  const ttNew = await ok(
    stack.api('POST', '/v1/trouble-tickets', {
      token: ordering,
      json: ticketBody(faultyProduct(companyId).number, { customerReference: `TTREF-${tag}-new`, attachmentIds: [attachment.id] }),
    }),
    201,
  );
  const ttSubmitted = await ok(stack.api('POST', '/v1/trouble-tickets', { token: ordering, json: ticketBody(faultyProduct(companyId).number, { customerReference: `TTREF-${tag}-submitted` }) }), 201);
  await ok(stack.api('POST', `/v1/trouble-tickets/${ttSubmitted.number}/submit`, { token: ordering, json: {} }));

  const contact = await ok(
    stack.api('POST', '/v1/contacts', {
      token: full,
      json: { name: `Kontaktperson ${tag}`, email: `contact-${tag}@${companyId}.example`, kind: 'personal', notifyAllStatusChanges: true },
    }),
    201,
  );
  const webhook = await ok(
    stack.api('POST', '/v1/webhooks', {
      token: full,
      json: { url: `https://hooks.${companyId}.example/${tag}`, eventTypes: ['order.status_changed', 'service_request.status_changed'] },
    }),
    201,
  );

  // M-3: the company's invoice of this month, issued by the billing system once its clock is past the month
  const invoice = await companyInvoice(stack, companyId);

  const objects: CompanyObjects = {
    sr: sr.number,
    srSubmitted: srSubmitted.number,
    quoteNew: quoteNew.number,
    quoteCompleted: quoteDone.number,
    orderDraft: draft.number,
    orderSubmitted: submitted.number,
    orderLine: `${submitted.number}:1`,
    switch: theSwitch.number,
    termination: termination.number,
    tt: ttNew.number,
    ttSubmitted: ttSubmitted.number,
    attachment: attachment.id,
    contact: contact.id,
    webhook: webhook.id,
    portfolio: portfolioNumber(companyId, 'PSTN', taken),
    phone: portfolioNumber(companyId, 'JARA-ADSL-DELT', taken),
    company: companyId,
    search: draftRef,
    invoice,
  };

  // what the other company must never see: the cases, their references and people, the contact, the hook
  for (const v of [sr.number, srSubmitted.number, quoteNew.number, quoteDone.number, draft.number, submitted.number, theSwitch.number, termination.number, ttNew.number, ttSubmitted.number])
    secrets.add(v);
  for (const v of [`TTREF-${tag}-new`, `TTREF-${tag}-submitted`]) secrets.add(v);
  for (const v of [
    attachment.id,
    `siteplan-${tag}.txt`,
    contact.id,
    `Kontaktperson ${tag}`,
    `contact-${tag}@${companyId}.example`,
    webhook.id,
    webhook.secret as string,
    `https://hooks.${companyId}.example/${tag}`,
    draftRef,
    invoice,
    `REF-${tag}-submitted`,
    `QREF-${tag}-new`,
    `QREF-${tag}-done`,
    `SRREF-${tag}-1`,
    `SRREF-${tag}-2`,
    `SWREF-${tag}`,
    `TRMREF-${tag}`,
    `Kontakt ${tag}`,
    endUser.name,
    endUser.birthDate,
    tag,
  ])
    secrets.add(v);
  return { companyId, objects, draftAddressId, slotId, secrets };
}

/**
 * M-3.1: one company's invoice, from the run of the month three months back. An invoice run's workflow ID
 * is company + period and every test file of a run shares one Temporal namespace: a month another file
 * runs (invoices.test.ts this month and last, web-reseller.test.ts two back) would answer with that
 * file's run, whose invoice is in that file's database.
 */
export async function companyInvoice(stack: Stack, companyId: CompanyId): Promise<string> {
  const period = previousPeriod(previousPeriod(previousPeriod(periodOf(new Date()))));
  stack.sims.billing.setClock(() => new Date(`${periodStart(nextPeriod(period))}T12:00:00Z`));
  const handler = await stack.login('hanne.handler');
  await ok(stack.api('POST', '/v1/handler/invoice-runs', { token: handler, json: { period, companyId } }), 202);
  return eventually(
    async () => {
      const runs = (await ok(stack.api('GET', `/v1/handler/invoice-runs?period=${period}`, { token: handler }))).runs as Array<{ companyId: string; invoice: string | null }>;
      return runs.find((r) => r.companyId === companyId)?.invoice ?? undefined;
    },
    30_000,
    `${companyId}'s invoice`,
  );
}

/**
 * New own drafts (an order with its availability checked, a quote, an SR) in place of the ones an
 * earlier role of the matrix acted on (cancelled, submitted), so each role meets them in New.
 */
export async function refreshDrafts(stack: Stack, fixtures: CompanyFixtures): Promise<void> {
  const ordering = await stack.login(USERS[fixtures.companyId].ordering);
  const draft = await ok(stack.api('POST', '/v1/orders', { token: ordering, json: draftBody({}, { endUser: END_USERS[fixtures.companyId] }) }), 201);
  await ok(stack.api('POST', `/v1/orders/${draft.number}/lines/1/availability`, { token: ordering }));
  const quote = await ok(
    stack.api('POST', '/v1/quotes', {
      token: ordering,
      json: { customerReference: `QREF-${randomUUID().slice(0, 8)}`, lines: [{ productCode: 'SAMB-ETH', speedMbps: 34, addressAId: 'adr-0003', addressBId: 'adr-0004' }] },
    }),
    201,
  );
  const sr = await ok(
    stack.api('POST', '/v1/service-requests', {
      token: ordering,
      json: { area: 'Other', subArea: 'Other', reference: { kind: 'other', value: `SRREF-${randomUUID()}` }, description: 'Please check the delivery of this line' },
    }),
    201,
  );
  // a product the matrix has not raised a ticket on yet (M-2.3 refuses a second one)
  let tt = await stack.api('POST', '/v1/trouble-tickets', { token: ordering, json: ticketBody(faultyProduct(fixtures.companyId).number) });
  while (tt.status === 409) tt = await stack.api('POST', '/v1/trouble-tickets', { token: ordering, json: ticketBody(faultyProduct(fixtures.companyId).number) });
  if (tt.status !== 201) throw new Error(`a fresh trouble ticket: ${tt.status} ${JSON.stringify(tt.body)}`);
  Object.assign(fixtures.objects, { orderDraft: draft.number, quoteNew: quote.number, sr: sr.number, tt: (tt.body as { number: string }).number });
}

/**
 * The company's seeded portfolio and users as secrets: end users' names, birth dates and org numbers,
 * numbers and installation addresses — minus anything another holder also has (a common name or a
 * shared building is no leak).
 */
export function portfolioSecrets(companyId: CompanyId): Set<string> {
  const mine = seed.filter((r) => r.companyId === companyId);
  const others = seed.filter((r) => r.companyId !== companyId);
  const elsewhere = new Set<string>();
  for (const r of others) {
    elsewhere.add(r.endUser.name);
    elsewhere.add(r.number);
    elsewhere.add(r.addressLabel);
    if (r.endUser.kind === 'person') elsewhere.add(r.endUser.birthDate);
    else elsewhere.add(r.endUser.orgNumber);
  }
  const out = new Set<string>();
  const add = (s: string) => {
    if (!elsewhere.has(s)) out.add(s);
  };
  for (const r of mine) {
    add(r.endUser.name);
    add(r.number);
    add(r.addressLabel);
    add(r.endUser.kind === 'person' ? r.endUser.birthDate : r.endUser.orgNumber);
  }
  for (const u of SEED_USERS.filter((x) => x.companyId === companyId)) {
    out.add(u.username);
    out.add(u.email);
    if (u.phone) out.add(u.phone);
  }
  return out;
}

/** Every secret of `secrets` found in `text` that the request itself did not carry. */
export function secretsIn(text: string, secrets: Iterable<string>, sent: string): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    if (s.length < 4 || sent.includes(s)) continue;
    // numbers count only as whole numbers (an 8-digit phone number inside a longer digit run is chance)
    if (/^\d+$/.test(s)) {
      if (new RegExp(`(?<!\\d)${s}(?!\\d)`).test(text)) found.push(s);
    } else if (text.includes(s)) found.push(s);
  }
  return found;
}

/**
 * Webhook registration resolves the URL's host and accepts public addresses only; this sandbox has no
 * DNS. The matrix stacks resolve the fixtures' `*.example` hosts to a public address instead
 * (no dispatcher runs there, so nothing is ever sent to it).
 */
export const MATRIX_WEBHOOK_POLICY: WebhookPolicy = {
  resolve: async (name) => {
    if (!name.endsWith('.example')) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    // a public address (documentation ranges are refused like private ones); never connected to
    return [{ address: '185.15.59.224', family: 4 as const }];
  },
};
