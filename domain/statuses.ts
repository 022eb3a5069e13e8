// G-3: the one place for the display label and the explanation of every status and letter, in
// bokmål and English, so resellers, handlers and e-mails show the same texts. Deck (slide 42):
// "Kundeservice ser akkurat de samme statuskodene som du ser." The bokmål explanations follow the
// deck (slides 43, 44, 81–84, 93), with the deck's "Telenor" written as "grossisten" (the
// wholesaler) and its typing errors corrected; statuses the deck does not explain (switch-ISP,
// termination, Expired) are this system's own wording (`source: null`).
import { TERMINAL_TT_STATUSES, TtStatus } from './trouble-ticket';
import type { CaseType } from './case';
import { LINE_STATUS_CODES, LINE_STATUSES, ORDER_STATUSES, TERMINAL_LINE_STATUSES } from './order';
import { DONE_LINE_STATUSES, QuoteLineStatus, QuoteStatus } from './quote';
import { SrStatus, TERMINAL_SR_STATUSES } from './service-request';
import { SwitchStatus, TERMINAL_SWITCH_STATUSES } from './switch-isp';
import { TERMINAL_TERMINATION_STATUSES, TerminationStatus } from './termination';

export type Locale = 'nb' | 'en';
type Text = Record<Locale, string>;

/** The status vocabularies: each case type's statuses, and quote lines, which are no case of their own. */
export const STATUS_SCOPES = ['order', 'order_line', 'quote', 'quote_line', 'service_request', 'switch_isp', 'termination', 'trouble_ticket'] as const;
export type StatusScope = (typeof STATUS_SCOPES)[number];

export interface StatusText {
  status: string;
  /** O-15: the letter shown with a delivery status (O, D, R, M, T, L, F, A), or null. */
  code: string | null;
  /** What a screen shows: the status with its letter, e.g. "Field Service (M)". */
  label: Text;
  explanation: Text;
  /** Nothing more happens to a case in this status (its attachments are kept as they are, G-4). */
  final: boolean;
  /** Where the bokmål text comes from: the deck's slide, or null for this system's own wording. */
  source: string | null;
}

type Entry = [status: string, nb: string, en: string, source: string | null];

const ORDER: Entry[] = [
  [
    'New',
    'Bestillingen er påbegynt, men ikke ferdig registrert. Du som har kunden må følge opp bestillingen. For å sende inn, klikk på Submit. Bestillingen blir automatisk kansellert etter 14 dager hvis den ikke sendes inn.',
    'The order has been started but not fully registered. You, who have the customer, must follow it up. Click Submit to send it. The order is cancelled automatically after 14 days if it is not submitted.',
    'slide 83',
  ],
  ['In Progress', 'Bestillingen er under behandling hos grossisten.', 'The order is being processed by the wholesaler.', 'slide 83'],
  [
    'Committed',
    'Bestillingen er sendt, men ikke registrert i grossistens støttesystemer. Grossisten følger opp bestillingen.',
    "The order has been sent but not yet registered in the wholesaler's support systems. The wholesaler follows it up.",
    'slide 83',
  ],
  ['Duplicate', 'Bestillingen er et duplikat av en annen bestilling.', 'The order is a duplicate of another order.', 'slide 83'],
  [
    'Registered',
    'Bestillingen er registrert i grossistens ordresystemer. Ordrebekreftelse kommer i form av en «Customer Order Id»-referanse, og avtalt leveringsdato står i feltet Agreed Date.',
    "The order is registered in the wholesaler's order systems. The confirmation is a Customer Order Id reference, and the agreed delivery date is shown in the Agreed Date field.",
    'slides 82–83',
  ],
  [
    'Rejected',
    'Bestillingen er avvist, enten automatisk eller av Kundeservice, fordi den ikke kan gjennomføres (for eksempel ADSL til en adresse i et område som ikke er bygget ut for det).',
    'The order has been rejected, automatically or by customer service, because it cannot be carried out (for example ADSL to an address in an area not built out for it).',
    'slide 81',
  ],
  [
    'Incomplete',
    'Noe mangler i bestillingen, og dette må du følge opp. Hva som mangler står i Comment-feltet. Når du har gjort endringen, setter du status til Customer Update.',
    'Something is missing from the order and you must follow it up. What is missing is described in the Comment field. When you have made the change, set the status to Customer Update.',
    'slides 81, 84',
  ],
  [
    'Cancelled',
    'Bestillingen er kansellert, av grossisten eller av dere. Årsaken står i Comment-feltet.',
    'The order has been cancelled, by the wholesaler or by you. The reason is in the Comment field.',
    'slide 83',
  ],
  [
    'In Process',
    'En eller flere ordrelinjer er i leveranse: Ordered (O), Design (D), Ready (R), Field Service (M), Test (T) eller Delivery (L). Status for hver linje ser du på ordrelinjen.',
    "One or more order lines are in delivery: Ordered (O), Design (D), Ready (R), Field Service (M), Test (T) or Delivery (L). Each line's status is shown on the line.",
    'slide 82',
  ],
  ['Closed', 'Ordren er utført, og kunden har fått leveransen.', 'The order has been carried out and the customer has received the delivery.', 'slide 84'],
];

const LINE_ONLY: Entry[] = [
  [
    'Customer Update',
    'Du har gjort de nødvendige oppdateringene etter Incomplete og satt status til Customer Update; grossisten behandler linjen videre.',
    'You have made the updates needed after Incomplete and set the status to Customer Update; the wholesaler continues with the line.',
    'slide 84',
  ],
  ['Ordered', 'Ordren er aktiv, og behandlingen er påbegynt.', 'The order is active and processing has started.', 'slide 84'],
  ['Design', 'Ordren er sendt til Leveranse. Tekniske spesifikasjoner blir gjort.', 'The order has been sent to Delivery. Technical specifications are being made.', 'slide 84'],
  ['Ready', 'Ordren ligger klar for sending til entreprenør.', 'The order is ready to be sent to the contractor.', 'slide 84'],
  ['Field Service', 'Installasjonsdato er satt.', 'The installation date is set.', 'slide 84'],
  ['Test', 'Ordren (linjen) holder på å bli testet for bruk.', 'The order (the line) is being tested for use.', 'slide 84'],
  [
    'Delivery',
    'Ordren er under produksjon (lysbildet kaller det også «levert, men ikke ajourført»).',
    'The order is in production (the deck also calls it "delivered but not yet updated").',
    'slide 84',
  ],
  ['Finished', 'Ordren er gjennomført, og produktet er levert.', 'The order has been carried out and the product delivered.', 'slide 84'],
];

const LINE_CANCELLED: Entry = [
  'Cancelled',
  'Linjen er kansellert: med bokstaven A av grossisten, ellers av dere. Årsaken står i Comment-feltet.',
  'The line has been cancelled: with the letter A by the wholesaler, otherwise by you. The reason is in the Comment field.',
  'slides 83–84',
];

const QUOTE: Entry[] = [
  [
    'New',
    'Quoten er opprettet og kan inneholde Quote Line Items, men det er ikke gjort prisforespørsel på noen av dem.',
    'The quote has been created and may hold line items, but no price has been requested for any of them.',
    'slide 43',
  ],
  [
    'Received',
    'Quoten har én eller flere linjer med prisforespørsel som er mottatt for manuell behandling.',
    'The quote has one or more lines whose price request has been received for manual handling.',
    'slide 43',
  ],
  ['In Process', 'Grossisten har startet prisberegningen på én eller flere linjer.', 'The wholesaler has started pricing one or more lines.', 'slide 43'],
  [
    'Incomplete',
    'Én eller flere linjer er mangelfulle og må oppdateres av deg. Gå inn på linjen, gjør endringene og sett status til Customer Update.',
    'One or more lines are incomplete and must be updated by you. Open the line, make the changes and set the status to Customer Update.',
    'slide 43',
  ],
  ['Customer Update', 'Én eller flere linjer er oppdatert av deg.', 'One or more lines have been updated by you.', 'slide 43'],
  ['Completed', 'Alle linjene er ferdig behandlet, så nå kan du bestille.', 'Every line has been handled, so you can now order.', 'slide 43'],
  ['Cancelled', 'Alle linjene er kansellert, av grossisten eller av deg.', 'Every line has been cancelled, by the wholesaler or by you.', 'slide 43'],
];

const QUOTE_LINE: Entry[] = [
  ['New', 'Linjen er opprettet, men det er ikke gjort prisforespørsel.', 'The line has been created but no price has been requested.', 'slide 44'],
  ['Received', 'Linjen er mottatt for manuell behandling.', 'The line has been received for manual handling.', 'slide 44'],
  ['In Process', 'Linjen er under manuell behandling.', 'The line is being handled manually.', 'slide 44'],
  [
    'Incomplete',
    'Linjen er mangelfull og må oppdateres av deg. Gå inn på linjen, gjør endringene og sett status til Customer Update.',
    'The line is incomplete and must be updated by you. Open the line, make the changes and set the status to Customer Update.',
    'slide 44',
  ],
  ['Customer Update', 'Linjen er oppdatert av deg.', 'The line has been updated by you.', 'slide 44'],
  ['Completed', 'Linjen er ferdig behandlet og kan bestilles.', 'The line has been handled and can be ordered.', 'slide 44'],
  ['Customer Closed', 'Du har lukket linjen.', 'You have closed the line.', 'slide 44'],
  ['Cancelled', 'Linjen er kansellert av grossisten eller av deg.', 'The line has been cancelled by the wholesaler or by you.', 'slide 44'],
  ['Expired', 'Prisen var gyldig i 90 dager og har gått ut; linjen kan ikke lenger bestilles.', 'The price was valid for 90 days and has expired; the line can no longer be ordered.', null],
];

const SERVICE_REQUEST: Entry[] = [
  ['New', 'Henvendelsen er ny og ikke sendt inn til behandling.', 'The request is new and has not been sent for handling.', 'slide 93'],
  ['Submitted', 'Henvendelsen er mottatt for behandling.', 'The request has been received for handling.', 'slide 93'],
  ['In Process', 'Henvendelsen er til behandling hos grossisten.', 'The request is being handled by the wholesaler.', 'slide 93'],
  [
    'Incomplete',
    'Informasjon mangler i henvendelsen. Hva som mangler står i Description-feltet. Når du har oppdatert henvendelsen, sender du den inn på nytt med Submit.',
    'Information is missing from the request. What is missing is described in the Description field. When you have updated the request, send it again with Submit.',
    'slide 93',
  ],
  [
    'Completed',
    'Henvendelsen er ferdig behandlet; svaret står i Description-feltet, i aktivitetene eller som vedlegg. Velg Closed for å lukke saken.',
    'The request has been handled; the answer is in the Description field, the activities or an attachment. Choose Closed to close the case.',
    'slide 93',
  ],
  [
    'Closed',
    'Henvendelsen er lukket. Den lukkes automatisk etter 14 dager med status New eller Completed.',
    'The request is closed. It is closed automatically after 14 days in New or Completed.',
    'slide 93',
  ],
  [
    'Cancelled',
    'Henvendelsen er kansellert av deg eller av grossisten. Er den kansellert av grossisten, står årsaken i feltet Answers/Resolution.',
    'The request has been cancelled by you or by the wholesaler. If the wholesaler cancelled it, the reason is in the Answers/Resolution field.',
    'slide 93',
  ],
];

const SWITCH_ISP: Entry[] = [
  ['Registered', 'Leverandørbyttet er registrert og venter på ønsket dato.', 'The switch is registered and waits for the requested date.', null],
  ['In Progress', 'Leverandørbyttet utføres i grossistens ordresystem.', "The switch is being carried out in the wholesaler's order system.", null],
  ['Completed', 'Sluttbrukeren er flyttet til dere på byttedatoen.', 'The end user has been moved to you on the switch date.', null],
  ['Cancelled', 'Leverandørbyttet er kansellert (gjennom en henvendelse).', 'The switch has been cancelled (through a service request).', null],
  ['Rejected', 'Leverandørbyttet er avvist av ordresystemet; årsaken står i kommentaren.', 'The order system rejected the switch; the reason is in the comment.', null],
];

const TERMINATION: Entry[] = [
  ['Registered', 'Oppsigelsen er registrert og venter på ønsket dato.', 'The termination is registered and waits for the requested date.', null],
  ['In Progress', 'Oppsigelsen utføres i grossistens ordresystem.', "The termination is being carried out in the wholesaler's order system.", null],
  ['Completed', 'Abonnementet er avsluttet på datoen.', 'The subscription has ended on the date.', null],
  ['Withdrawn', 'Dere trakk oppsigelsen tilbake før datoen.', 'You withdrew the termination before its date.', null],
  ['Rejected', 'Oppsigelsen er avvist av ordresystemet; årsaken står i kommentaren.', 'The order system rejected the termination; the reason is in the comment.', null],
];

// M-2.5: the deck names the fault module but not its statuses; these follow the service request's (slide 93)
const TROUBLE_TICKET: Entry[] = [
  ['New', 'Feilmeldingen er registrert, men ikke sendt inn.', 'The trouble ticket is registered but not submitted.', null],
  ['Submitted', 'Feilmeldingen er mottatt; reparasjonstiden løper.', 'The trouble ticket has been received; the repair clock runs.', null],
  ['In Process', 'Feilen rettes hos grossisten.', 'The wholesaler is repairing the fault.', null],
  [
    'Incomplete',
    'Grossisten trenger mer informasjon; reparasjonstiden står stille til du svarer med Customer Update.',
    'The wholesaler needs more information; the repair clock is paused until you answer with Customer Update.',
    null,
  ],
  ['Customer Update', 'Du har svart; feilmeldingen er tilbake hos grossisten.', 'You have answered; the ticket is back with the wholesaler.', null],
  [
    'Resolved',
    'Feilen er rettet; årsak og løsning står i saken. Bekreft, eller gjenåpne med en begrunnelse innen fristen.',
    'The fault is repaired; cause and resolution are on the ticket. Confirm, or reopen with a reason within the period.',
    null,
  ],
  ['Closed', 'Feilmeldingen er lukket (bekreftet av deg eller automatisk etter fristen).', 'The ticket is closed (confirmed by you or automatically after the period).', null],
  ['Cancelled', 'Feilmeldingen er kansellert.', 'The ticket has been cancelled.', null],
];

const FINAL: Record<StatusScope, readonly string[]> = {
  order: ['Closed', 'Rejected', 'Cancelled'],
  order_line: [...TERMINAL_LINE_STATUSES, 'Finished'],
  quote: ['Completed', 'Cancelled'],
  quote_line: DONE_LINE_STATUSES,
  service_request: TERMINAL_SR_STATUSES,
  switch_isp: TERMINAL_SWITCH_STATUSES,
  termination: TERMINAL_TERMINATION_STATUSES,
  trouble_ticket: TERMINAL_TT_STATUSES,
};

function build(scope: StatusScope, entries: Entry[], order: readonly string[], codes: Partial<Record<string, string>> = {}): StatusText[] {
  const byStatus = new Map(entries.map((e) => [e[0], e]));
  return order.map((status) => {
    const e = byStatus.get(status);
    if (!e) throw new Error(`no text for the ${scope} status ${status}`);
    const code = codes[status] ?? null;
    const label = code ? `${status} (${code})` : status;
    return { status, code, label: { nb: label, en: label }, explanation: { nb: e[1], en: e[2] }, final: FINAL[scope].includes(status), source: e[3] };
  });
}

/** Every status of every vocabulary, in the order the statuses are declared in domain/. */
export const STATUS_TEXTS: Record<StatusScope, StatusText[]> = {
  order: build('order', ORDER, ORDER_STATUSES),
  order_line: build('order_line', [...ORDER.filter((e) => e[0] !== 'Cancelled' && e[0] !== 'In Process'), ...LINE_ONLY, LINE_CANCELLED], LINE_STATUSES, LINE_STATUS_CODES),
  quote: build('quote', QUOTE, QuoteStatus.options),
  quote_line: build('quote_line', QUOTE_LINE, QuoteLineStatus.options),
  service_request: build('service_request', SERVICE_REQUEST, SrStatus.options),
  switch_isp: build('switch_isp', SWITCH_ISP, SwitchStatus.options),
  termination: build('termination', TERMINATION, TerminationStatus.options),
  trouble_ticket: build('trouble_ticket', TROUBLE_TICKET, TtStatus.options),
};

/** The text of one status of a case type (order lines and quote lines have their own vocabularies). */
export function statusText(scope: StatusScope, status: string): StatusText | undefined {
  return STATUS_TEXTS[scope].find((s) => s.status === status);
}

/** G-4: a case in a final status keeps its attachments as they are (none is deleted any more). */
export function isFinalStatus(caseType: CaseType, status: string): boolean {
  // a case type without a vocabulary here yet counts as open (its attachments may still be deleted)
  return (FINAL as Partial<Record<string, readonly string[]>>)[caseType]?.includes(status) ?? false;
}
