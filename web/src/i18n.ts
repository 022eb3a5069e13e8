// Bokmål by default (the deck's language), English switchable. Status names and letters stay as the
// deck writes them (Submitted, Field Service (M), …); their explanations are the deck's (slides 83, 84, 93).
export type Lang = 'nb' | 'en';

const LANG_KEY = 'samband.lang';
export let lang: Lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'nb';
export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(LANG_KEY, next);
  document.documentElement.lang = next;
}

const T = {
  appName: ['Samband', 'Samband'],
  skip: ['Hopp til innholdet', 'Skip to content'],
  switchLang: ['English', 'Norsk'],
  switchLangLabel: ['Switch to English', 'Bytt til norsk (bokmål)'],
  login: ['Logg inn', 'Log in'],
  logout: ['Logg ut', 'Log out'],
  username: ['Brukernavn', 'Username'],
  password: ['Passord', 'Password'],
  wrongPassword: ['Feil brukernavn eller passord.', 'Wrong username or password.'],
  loggedOutIdle: ['Du ble logget ut fordi du ikke har vært aktiv på 30 minutter (A-5).', 'You were logged out after 30 minutes without activity (A-5).'],
  idleWarning: ['Du blir logget ut om {minutes} minutter fordi du ikke har vært aktiv.', 'You will be logged out in {minutes} minutes because you have not been active.'],
  stayLoggedIn: ['Fortsett å være innlogget', 'Stay logged in'],
  nav: ['Hovedmeny', 'Main menu'],
  home: ['Hjem', 'Home'],
  serviceRequests: ['Henvendelser (Service Requests)', 'Service requests'],
  orders: ['Bestillinger (Orders)', 'Orders'],
  queues: ['Køer', 'Queues'],
  loading: ['Henter …', 'Loading …'],
  welcome: ['Velkommen, {name}', 'Welcome, {name}'],
  readOnlyNote: ['Du har lesetilgang: du kan se saker, men ikke opprette eller endre dem (A-3).', 'You have read access: you can see cases but not create or change them (A-3).'],
  needsMyAction: ['Venter på deg', 'Needs your action'],
  needsMyActionNone: ['Ingen saker venter på deg nå.', 'Nothing needs your action now.'],
  srIncompleteHome: ['Henvendelser med status Incomplete: legg inn det som mangler og send inn på nytt', 'Service requests Incomplete: add what is missing and submit again'],
  srCompletedHome: ['Henvendelser med status Completed: les svaret og lukk saken', 'Service requests Completed: read the answer and close'],
  ordersIncompleteHome: ['Bestillinger med status Incomplete', 'Orders Incomplete'],
  ordersNewHome: ['Bestillinger som ikke er sendt inn (New)', 'Orders not yet submitted (New)'],
  operationalMessagesMissing: ['Driftsmeldinger vises her når API-et har dem.', 'Operational messages appear here once the API has them.'],
  handlerHome: ['Køene dine', 'Your queues'],
  newServiceRequest: ['Ny henvendelse', 'New service request'],
  number: ['Nummer', 'Number'],
  status: ['Status', 'Status'],
  area: ['Område (Area)', 'Area'],
  subArea: ['Underområde', 'Sub-area'],
  referenceKind: ['Referansetype', 'Reference kind'],
  referenceValue: ['Referanse', 'Reference'],
  description: ['Beskrivelse (Description)', 'Description'],
  descriptionHelp: ['Beskriv hva saken gjelder, så detaljert som mulig.', 'Describe the matter in as much detail as you can.'],
  title: ['Tittel', 'Title'],
  updated: ['Endret', 'Changed'],
  created: ['Opprettet', 'Created'],
  allStatuses: ['Alle statuser', 'All statuses'],
  filterStatus: ['Vis status', 'Show status'],
  none: ['Ingen saker.', 'No cases.'],
  create: ['Opprett', 'Create'],
  cancel: ['Avbryt', 'Cancel'],
  choose: ['Velg …', 'Choose …'],
  formHasErrors: ['Skjemaet har feil: se meldingene ved feltene.', 'The form has errors: see the messages next to the fields.'],
  submit: ['Send inn (Submit)', 'Submit'],
  close: ['Lukk saken (Closed)', 'Close (Closed)'],
  cancelSr: ['Kanseller henvendelsen', 'Cancel the request'],
  customerUpdate: ['Send inn på nytt (Customer Update)', 'Submit again (Customer Update)'],
  customerUpdateHelp: ['Legg inn det som mangler i beskrivelsen og send inn på nytt.', 'Add what is missing to the description and submit again.'],
  missingInformation: ['Dette mangler', 'What is missing'],
  answer: ['Svar', 'Answer'],
  resolution: ['Årsak (Resolution)', 'Resolution'],
  handler: ['Saksbehandler', 'Handler'],
  department: ['Avdeling', 'Department'],
  activity: ['Aktiviteter', 'Activities'],
  by: ['Av', 'By'],
  take: ['Ta saken (In Process)', 'Take (In Process)'],
  requestInfo: ['Be om informasjon (Incomplete)', 'Request information (Incomplete)'],
  requestInfoText: ['Hva mangler?', 'What is missing?'],
  complete: ['Svar og fullfør (Completed)', 'Answer and complete (Completed)'],
  completeText: ['Svaret til forhandleren', 'Answer to the reseller'],
  cancelByOperator: ['Kanseller med årsak', 'Cancel with a reason'],
  cancelReason: ['Årsak', 'Reason'],
  done: ['Lagret.', 'Saved.'],
  back: ['Tilbake', 'Back'],
  order: ['Bestilling', 'Order'],
  orderType: ['Ordretype', 'Order type'],
  product: ['Produkt', 'Product'],
  requestedDate: ['Ønsket dato (Requested Date)', 'Requested Date'],
  agreedDate: ['Avtalt dato (Agreed Date)', 'Agreed Date'],
  contact: ['Kontaktperson', 'Contact'],
  customerOrderRef: ['Kundens ordrereferanse', 'Customer order ref.'],
  lines: ['Ordrelinjer (Order Lines)', 'Order lines'],
  line: ['Linje', 'Line'],
  address: ['Adresse', 'Address'],
  endUser: ['Sluttbruker', 'End user'],
  customerOrderId: ['Customer Order Id', 'Customer Order Id'],
  comment: ['Kommentar (Comment)', 'Comment'],
  statusDescription: ['Status Description', 'Status Description'],
  queue: ['Kø', 'Queue'],
  lineCustomerUpdate: ['Rett linje {n} og sett Customer Update', 'Fix line {n} and set Customer Update'],
  lineCustomerUpdateHelp: [
    'Grossisten har satt linjen til Incomplete: hva som mangler står i Comment-feltet. Rett det, og linjen går tilbake til grossisten (O-17).',
    'The wholesaler set the line Incomplete: the Comment says what is missing. Fix it and the line goes back to the wholesaler (O-17).',
  ],
  contactName: ['Kontaktperson, fullt navn', 'Contact, full name'],
  contactPhone: ['Kontaktpersonens telefon (bare siffer)', "Contact's phone (digits only)"],
  yourComment: ['Din kommentar', 'Your comment'],
  sendCustomerUpdate: ['Send (Customer Update)', 'Send (Customer Update)'],
  waiting: ['venter', 'waiting'],
  company: ['Firma', 'Company'],
  notFound: ['Finner ikke siden.', 'Page not found.'],
  errorGeneric: ['Noe gikk galt. Prøv igjen om litt.', 'Something went wrong. Try again shortly.'],
  page: ['Viser {from}–{to} av {total}', 'Showing {from}–{to} of {total}'],
  prev: ['Forrige side', 'Previous page'],
  next: ['Neste side', 'Next page'],
} satisfies Record<string, [string, string]>;

export type Key = keyof typeof T;

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text = T[key][lang === 'nb' ? 0 : 1];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

// ---- statuses: the deck's names and letters, its explanations on hover -------------------------------

const SR_STATUS: Record<string, [string, string]> = {
  New: ['Henvendelsen er ny og saken er ikke sendt inn til behandling.', 'The request is new and has not been sent for handling.'],
  Submitted: ['Din henvendelse er mottatt for behandling.', 'Your request has been received for handling.'],
  'In Process': ['Henvendelsen er til behandling hos grossisten.', 'The wholesaler is handling the request.'],
  Incomplete: ['Informasjon mangler i henvendelsen. Når du har oppdatert henvendelsen, sender du den inn på nytt.', 'Information is missing from the request. Update it and submit it again.'],
  Completed: ['Henvendelsen er ferdig behandlet, og du kan lese svaret.', 'The request has been handled and you can read the answer.'],
  Closed: ['Henvendelsen er lukket. Den lukkes automatisk etter 14 dager med status New eller Completed.', 'The request is closed. It closes by itself after 14 days in New or Completed.'],
  Cancelled: ['Henvendelsen er kansellert av deg eller av grossisten.', 'The request was cancelled by you or by the wholesaler.'],
};

const ORDER_STATUS: Record<string, [string, string]> = {
  New: [
    'Bestillingen er påbegynt, men ikke ferdig registrert. Den kanselleres automatisk etter 14 dager hvis den ikke sendes inn.',
    'The order is started but not complete. It is cancelled after 14 days unless submitted.',
  ],
  'In Progress': ['Bestillingen er under behandling hos grossisten.', 'The wholesaler is handling the order.'],
  Committed: ['Bestillingen er sendt, men ikke registrert i grossistens støttesystemer.', "The order is sent but not yet registered in the wholesaler's systems."],
  Duplicate: ['Bestillingen er et duplikat av en annen bestilling.', 'The order duplicates another order.'],
  Registered: ['Bestillingen er registrert i ordresystemet. Ordrebekreftelsen er Customer Order Id.', 'The order is registered in the order system; the confirmation is the Customer Order Id.'],
  Rejected: ['Bestillingen er avvist og kan ikke gjennomføres.', 'The order was rejected and cannot be carried out.'],
  Incomplete: [
    'Noe mangler i bestillingen. Hva som mangler står i Comment-feltet; rett det og sett status Customer Update.',
    'Something is missing; the Comment says what. Fix it and set Customer Update.',
  ],
  'Customer Update': ['Du har oppdatert bestillingen etter Incomplete.', 'You updated the order after Incomplete.'],
  Cancelled: ['Bestillingen er kansellert. Årsaken står i Comment-feltet.', 'The order is cancelled; the Comment says why.'],
  'In Process': ['En eller flere ordrelinjer er i leveranse (O, D, R, M, T, L).', 'One or more lines are in delivery (O, D, R, M, T, L).'],
  Ordered: ['Ordren er aktiv, og behandlingen er påbegynt.', 'The order is active and handling has begun.'],
  Design: ['Ordren er sendt til leveranse. Tekniske spesifikasjoner blir gjort.', 'Sent to delivery; technical specifications are being made.'],
  Ready: ['Ordren ligger klar for sending til entreprenør.', 'Ready to be sent to the contractor.'],
  'Field Service': ['Installasjonsdato er satt.', 'The installation date is set.'],
  Test: ['Linjen holder på å bli testet for bruk.', 'The line is being tested.'],
  Delivery: ['Ordren er under produksjon.', 'The order is in production.'],
  Finished: ['Ordren er gjennomført og produktet er levert.', 'The order is carried out and the product delivered.'],
  Closed: ['Ordren er utført, og kunden har fått leveransen.', 'The order is done and the customer has the delivery.'],
};

export function statusExplanation(kind: 'sr' | 'order', status: string): string | undefined {
  const entry = (kind === 'sr' ? SR_STATUS : ORDER_STATUS)[status];
  return entry?.[lang === 'nb' ? 0 : 1];
}

const AREAS: Record<string, string> = {
  Delivery: 'Leveranse',
  Escalation: 'Eskalering',
  'User administration': 'Brukeradministrasjon',
  Support: 'Support',
  Invoice: 'Faktura',
  Quotes: 'Forespørsler',
  'SLA compensation claim': 'SLA-kompensasjon',
  Other: 'Annet',
};
const AREA_HELP: Record<string, string> = {
  Delivery: 'Leveranse av en bestilling: forsinkelser, ny leveringsdato, endringer, annullering som knappene ikke kan gjøre (S-3).',
  Escalation: 'Til Service Manager, bare etter at saken er tatt opp med kundeservice i en henvendelse om leveranse (S-4).',
  'User administration': 'Nye brukere, endret tilgang, stengt tilgang; bare fra firmaets autoriserte bestiller (full tilgang).',
  Support: 'Problemer med portalen eller API-et, ønsker om endringer.',
  Invoice: 'Til fakturering: feil faktura eller manglende vedlegg.',
  Quotes: 'Til salgsstøtte: mer informasjon om en forespørsel, eller purring på svar.',
  'SLA compensation claim': 'Til saksbehandler: SLA-brudd der kompensasjon er avtalt.',
  Other: 'Alt annet, til kundeservice.',
};
/** The area's description: the API's (English) or its Bokmål wording. */
export const areaHelp = (area: string, apiText: string) => (lang === 'nb' ? (AREA_HELP[area] ?? apiText) : apiText);

/** The deck's area names with the Norwegian beside them in Bokmål. */
export const areaLabel = (area: string) => (lang === 'nb' && AREAS[area] ? `${AREAS[area]} (${area})` : area);

const REFERENCE_KINDS: Record<string, [string, string]> = {
  circuit_number: ['Sambandsnummer', 'Circuit number'],
  phone_number: ['Telefonnummer', 'Phone number'],
  order: ['Bestilling (ORD-…)', 'Order (ORD-…)'],
  quote: ['Forespørsel (Q-…)', 'Quote (Q-…)'],
  invoice: ['Faktura', 'Invoice'],
  trouble_ticket: ['Feilmelding', 'Trouble ticket'],
  other: ['Annet', 'Other'],
};
export const referenceKindLabel = (kind: string) => REFERENCE_KINDS[kind]?.[lang === 'nb' ? 0 : 1] ?? kind;

const DEPARTMENTS: Record<string, [string, string]> = {
  'customer-service': ['Kundeservice', 'Customer service'],
  'customer-service-broadband': ['Kundeservice bredbånd', 'Customer service, broadband'],
  'customer-service-operator-access': ['Kundeservice operatøraksess', 'Customer service, operator access'],
  'customer-service-telephony': ['Kundeservice telefoni', 'Customer service, telephony'],
  'customer-service-capacity': ['Kundeservice kapasitet', 'Customer service, capacity'],
  'customer-service-colocation': ['Kundeservice telelosji', 'Customer service, co-location'],
  'service-manager': ['Service Manager', 'Service manager'],
  'user-admin-desk': ['Brukeradministrasjon', 'User administration desk'],
  'portal-support': ['Portalsupport', 'Portal support'],
  billing: ['Fakturering', 'Billing'],
  'sales-support': ['Salgsstøtte', 'Sales support'],
  'case-officer': ['Saksbehandler SLA', 'Case officer'],
};
export const departmentLabel = (d: string) => DEPARTMENTS[d]?.[lang === 'nb' ? 0 : 1] ?? d;

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'nb' ? 'nb-NO' : 'en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Oslo' }).format(d);
}
