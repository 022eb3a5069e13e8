// Who is told what, when a case changes status (O-18, Q-13, S-7). The one place for these rules.
import type { CaseType } from './case';

/**
 * `company`: every contact of the company gets an e-mail; otherwise only contacts that opted into
 * "notification on every status update" (O-18) do. `null`: the change needs nobody's action.
 */
export type Audience = 'company' | 'opted_in';

/** The statuses whose change is e-mailed to all the company's contacts, per case type. */
export const EMAIL_ALL_CONTACTS_ON: Partial<Record<CaseType | 'switch_isp' | 'termination', readonly string[]>> = {
  // O-18: Rejected, Field Service (M), Incomplete and Cancelled (A)
  order_line: ['Rejected', 'Field Service', 'Incomplete', 'Cancelled'],
  // quote status changes go to the registered addresses
  quote: ['Received', 'In Process', 'Incomplete', 'Customer Update', 'Completed', 'Cancelled'],
  // S-7: what the user must read or act on: missing information, the answer, a cancellation by the wholesaler
  service_request: ['Incomplete', 'Completed', 'Cancelled'],
  // M-2.5: the ticket needs the customer (information missing; confirm or reopen the repair), or the wholesaler closed it
  trouble_ticket: ['Incomplete', 'Resolved', 'Closed', 'Cancelled'],
  // O-18: switch-ISP and termination orders follow the order line's statuses and are e-mailed like them
  switch_isp: ['Rejected', 'Field Service', 'Incomplete', 'Cancelled'],
  termination: ['Rejected', 'Field Service', 'Incomplete', 'Cancelled'],
};

/** Case types whose Cancelled is e-mailed only when the wholesaler cancelled (S-7, O-18 Cancelled (A), M-2.5). */
const CANCELLED_BY_WHOLESALER_ONLY: readonly string[] = ['service_request', 'order_line', 'switch_isp', 'termination', 'trouble_ticket'];

export function emailAudience(caseType: string, status: string, changedByHandler: boolean, changedByCustomer = false): Audience {
  const all = EMAIL_ALL_CONTACTS_ON[caseType as keyof typeof EMAIL_ALL_CONTACTS_ON];
  if (!all?.includes(status)) return 'opted_in';
  // S-7 / O-18 Cancelled (A): a cancellation the customer made itself needs no e-mail to the customer
  if (CANCELLED_BY_WHOLESALER_ONLY.includes(caseType) && status === 'Cancelled' && !changedByHandler) return 'opted_in';
  // M-2.5: a ticket the user confirmed needs no e-mail; one closed by the auto-close period does
  if (caseType === 'trouble_ticket' && status === 'Closed' && changedByCustomer) return 'opted_in';
  return 'company';
}

/** Statuses where the customer must act now; the e-mail says what to do (O-17, Q-9, S-7). */
export const ACTION_REQUIRED: Record<string, { nb: string; en: string }> = {
  Incomplete: {
    nb: 'Fullfør registreringen med det som mangler og sett status Customer Update (eller send inn på nytt for en henvendelse).',
    en: 'Complete the registration with what is missing and set Customer Update (or submit a service request again).',
  },
  Rejected: {
    nb: 'Bestillingen kan ikke utføres. Se statusbeskrivelsen; send en henvendelse hvis noe er uklart.',
    en: 'The order cannot be carried out. See the status description; send a service request if anything is unclear.',
  },
  'Field Service': {
    nb: 'Installasjonsdato er satt. Gi sluttbrukeren beskjed: kontaktpersonen må være tilgjengelig dagen før og til stede ved levering (C-4).',
    en: 'The installation date is set. Tell the end user: the contact person must be reachable the day before and present at delivery (C-4).',
  },
  Resolved: {
    nb: 'Feilen er rettet. Bekreft at den er borte, eller gjenåpne feilmeldingen med en begrunnelse før den lukkes automatisk.',
    en: 'The fault is repaired. Confirm that it is gone, or reopen the ticket with a reason before it closes automatically.',
  },
  Completed: {
    nb: 'Svaret er klart. Lukk saken når du er fornøyd.',
    en: 'The answer is ready. Close the case when you are satisfied.',
  },
};

/** Machine events: one type per case type, for subscriptions and the polling feed. */
export function eventType(caseType: string): string {
  return `${caseType}.status_changed`;
}

export const EVENT_TYPES = [
  'service_request.status_changed',
  'quote.status_changed',
  'order.status_changed',
  'order_line.status_changed',
  'switch_isp.status_changed',
  'termination.status_changed',
  'trouble_ticket.status_changed',
] as const;

/**
 * What a failed webhook attempt shows the company (issue 12 #6): coarse categories only. A raw
 * error message or an exact status would tell a reseller which of our internal ports answer; the
 * details go to the server log.
 */
export const WEBHOOK_FAILURES = ['address_refused', 'connection_failed', 'timeout', 'redirect_refused', 'http_4xx', 'http_5xx'] as const;
export type WebhookFailure = (typeof WEBHOOK_FAILURES)[number];

/** The category of a non-2xx answer: a redirect is a failure too (never followed). */
export function httpFailure(status: number): WebhookFailure | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return 'redirect_refused';
  if (status >= 400 && status < 500) return 'http_4xx';
  return 'http_5xx';
}
