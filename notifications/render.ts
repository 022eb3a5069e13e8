// E-mail rendering: each template folder holds an MJML file and its plain-text part. MJML is
// compiled once (it is slow); each e-mail is a cheap fill of the compiled HTML (stack notes).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import mjml2html from 'mjml';
import { ACTION_REQUIRED } from '../domain/notifications';
import { STATUS_SCOPES, type StatusScope, statusText } from '../domain/statuses';

export type Locale = 'nb' | 'en';

export interface StatusChange {
  caseType: string;
  caseId: string;
  number: string;
  status: string;
  previousStatus: string | null;
  changedBy: string;
  changedAt: string;
  /** G-3: the comment, missing information, answer or reason that goes with the status. */
  statusText: string | null;
  refs: Record<string, string>;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface Template {
  html: string;
  text: string;
}
export type Templates = Record<'status-changed', Template>;

const TEMPLATE_DIR = join(import.meta.dirname, 'templates');

export async function compileTemplates(): Promise<Templates> {
  const dir = join(TEMPLATE_DIR, 'status-changed');
  const [source, text] = await Promise.all([readFile(join(dir, 'template.mjml'), 'utf8'), readFile(join(dir, 'text.txt'), 'utf8')]);
  const compiled = await mjml2html(source, { validationLevel: 'strict', filePath: dir });
  if (compiled.errors.length > 0) throw new Error(`MJML errors in status-changed: ${compiled.errors.map((e) => e.formattedMessage).join('; ')}`);
  return { 'status-changed': { html: compiled.html, text } };
}

const CASE_LABEL: Record<Locale, Record<string, string>> = {
  nb: { service_request: 'Henvendelse', quote: 'Tilbud', order: 'Bestilling', order_line: 'Ordrelinje', switch_isp: 'Leverandørbytte', termination: 'Oppsigelse', trouble_ticket: 'Feilmelding' },
  en: { service_request: 'Service request', quote: 'Quote', order: 'Order', order_line: 'Order line', switch_isp: 'Switch ISP', termination: 'Termination', trouble_ticket: 'Trouble ticket' },
};

const LABELS: Record<Locale, Record<string, string>> = {
  nb: {
    case: 'Sak',
    status: 'Status',
    changedBy: 'Endret av',
    open: 'Åpne saken',
    statusText: 'Kommentar',
    footer: 'Du får denne e-posten fordi adressen er registrert som kontakt for firmaet ditt i Samband.',
    customerOrderRef: 'Customer Order Ref',
    customerOrderId: 'Customer Order Id',
    projectReference: 'Project Reference',
    reference: 'Referanse',
    quote: 'Tilbud',
    installationDate: 'Installasjonsdato',
  },
  en: {
    case: 'Case',
    status: 'Status',
    changedBy: 'Changed by',
    open: 'Open the case',
    statusText: 'Comment',
    footer: 'You receive this e-mail because the address is registered as a contact of your company in Samband.',
    customerOrderRef: 'Customer Order Ref',
    customerOrderId: 'Customer Order Id',
    projectReference: 'Project Reference',
    reference: 'Reference',
    quote: 'Quote',
    installationDate: 'Installation date',
  },
};

/** References the company itself uses to recognise the case (O-8, O-14), and the installation date of Field Service (M) (O-18). */
const REFERENCE_KEYS = ['customerOrderRef', 'customerOrderId', 'projectReference', 'quote', 'reference', 'installationDate'] as const;

/** The frontend's path segment of each case type: `{type}` in FRONTEND_CASE_URL_TEMPLATE (an order line opens its order). */
const FRONTEND_TYPE: Record<string, string> = {
  service_request: 'service-requests',
  quote: 'quotes',
  order: 'orders',
  order_line: 'orders',
  switch_isp: 'switch-isp',
  termination: 'terminations',
  trouble_ticket: 'trouble-tickets',
};

/** Where links point when no frontend template is configured: the app path on the API's own host. */
/** The browser app's hash route of a case (web/src/main.ts): links open the case in the app. */
export const DEFAULT_CASE_PATH = '/app/#/{type}/{number}';

/**
 * The link to a case in the frontend (issue 15: never an API URL, which a browser cannot open with
 * its bearer token). `link` is a URL template with `{type}`, `{number}`, `{caseType}` and `{lineNo}`
 * (FRONTEND_CASE_URL_TEMPLATE), or a base URL that gets DEFAULT_CASE_PATH. An order line's
 * `{number}` is its order's number and `{lineNo}` its line.
 */
export function caseUrl(link: string, caseType: string, number: string): string {
  const template = link.includes('{number}') ? link : `${link.replace(/\/$/, '')}${DEFAULT_CASE_PATH}`;
  const [head, lineNo] = caseType === 'order_line' ? number.split(':') : [number, ''];
  const values: Record<string, string> = { type: FRONTEND_TYPE[caseType] ?? 'cases', number: head ?? number, caseType, lineNo: lineNo ?? '' };
  return template.replace(/\{(type|number|caseType|lineNo)\}/g, (_, key: string) => encodeURIComponent(values[key]!));
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
}

export function renderStatusChange(templates: Templates, change: StatusChange, locale: Locale, baseUrl: string): RenderedEmail {
  const l = LABELS[locale];
  const label = CASE_LABEL[locale][change.caseType] ?? change.caseType;
  const heading = locale === 'nb' ? `${label} ${change.number}: ${change.status}` : `${label} ${change.number}: ${change.status}`;
  const summary =
    locale === 'nb'
      ? `${label} ${change.number} har endret status fra ${change.previousStatus ?? '–'} til ${change.status}.`
      : `${label} ${change.number} changed status from ${change.previousStatus ?? '–'} to ${change.status}.`;
  const refs = REFERENCE_KEYS.filter((k) => change.refs[k]).map((k) => [l[k] ?? k, change.refs[k]!] as const);
  // G-3: the same explanation of the status as GET /v1/reference/statuses gives (domain/statuses.ts)
  const explanation = (STATUS_SCOPES as readonly string[]).includes(change.caseType) ? (statusText(change.caseType as StatusScope, change.status)?.explanation[locale] ?? '') : '';
  const action = ACTION_REQUIRED[change.status]?.[locale] ?? '';
  const summaryWithExplanation = explanation ? `${summary} ${explanation}` : summary;
  const url = caseUrl(baseUrl, change.caseType, change.number);
  const at = new Intl.DateTimeFormat(locale === 'nb' ? 'nb-NO' : 'en-GB', { timeZone: 'Europe/Oslo', dateStyle: 'short', timeStyle: 'short' }).format(new Date(change.changedAt));
  const text = {
    subject: `[Samband] ${heading}`,
    heading,
    summary: summaryWithExplanation,
    caseNumber: change.number,
    status: change.status,
    previousStatus: change.previousStatus ?? '–',
    changedBy: change.changedBy,
    changedAt: at,
    caseUrl: url,
    footer: l.footer!,
    labelCase: l.case!,
    labelStatus: l.status!,
    labelChangedBy: l.changedBy!,
    labelOpen: l.open!,
  };
  const t = templates['status-changed'];
  const html = fill(t.html, {
    ...Object.fromEntries(Object.entries(text).map(([k, v]) => [k, escapeHtml(v)])),
    referenceRows: refs.map(([k, v]) => `<tr><td style="padding:4px 12px 4px 0;color:#52606d">${escapeHtml(k)}</td><td style="padding:4px 0">${escapeHtml(v)}</td></tr>`).join(''),
    statusTextHtml: change.statusText ? `<strong>${escapeHtml(l.statusText!)}:</strong> ${escapeHtml(change.statusText)}` : '',
    actionHtml: action ? `<strong>${escapeHtml(action)}</strong>` : '',
  });
  const plain = fill(t.text, {
    ...text,
    referenceLines: refs.map(([k, v]) => `${k}: ${v}\n`).join(''),
    statusTextLine: change.statusText ? `\n${l.statusText}: ${change.statusText}\n` : '',
    actionLine: action ? `\n${action}\n` : '',
  });
  return { subject: text.subject, html, text: plain };
}
