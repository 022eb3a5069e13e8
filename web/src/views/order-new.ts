// A new order as a guided form (O-1…O-13, G-1, G-2): product and speed, requested date, contact, end
// user, installation address from the address register, then the order's dry-run validation
// (GET …/validation) puts EVERY problem next to its field before submit; the availability check with
// its colours (O-10), the technician's slots and booking (O-12), and submit. The draft is saved as the
// user goes (an order is New until submitted, O-20), so the check always runs on what the API holds.
import type { components } from '../../../client';
import { type Child, h, replaceChildren, uid } from '../dom';
import { fieldSentence, problemSentence } from '../form';
import { lang, t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api, canOrder, currentUser, SambandProblem } from '../session';
import { pageTitle, select } from '../ui';
import '../orders.css';

type Product = components['schemas']['Product'];
type Address = components['schemas']['Address'];
type Candidate = { lineId: string; addressLabel: string; colour: 'green' | 'yellow' | 'red'; yellowKind?: 'system_error' | 'unclear'; reason: string };
interface DraftLineView {
  lineNo: number;
  endUser: { kind: 'person'; name: string; birthDate?: string } | { kind: 'company'; name: string; orgNumber?: string } | null;
  address: { addressId?: string; label?: string; existingNumber?: string } | null;
  lookup: { number: string; endUser: { name: string }; address: { addressId: string; label: string }; confirmed: boolean } | null;
  availability: { outcome: 'answered' | 'timeout'; candidates: Candidate[]; selectedLineId: string | null } | null;
  booking: { slotId: string; date: string; window: string } | null;
}
export interface DraftOrder {
  number: string;
  phase: 'draft' | 'submitted' | 'cancelled';
  status: string;
  orderType: 'Standard' | 'Project';
  productCode: string | null;
  speedMbps: number | null;
  requestedDate: string | null;
  contact: { name?: string; phone?: string };
  references: { customerOrderRef?: string; projectReference?: string };
  lines: DraftLineView[];
  allowedActions: string[];
}
/** One problem as the validation and the problem+json answers name it (path without `body.`). */
interface Problem {
  field: string;
  rule?: string | null;
  message: string;
  code?: string;
}

const orAbsent = (v: string) => (v.trim() === '' ? undefined : v.trim());
const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The validation's problems (O-2…O-13) as sentences in the user's language, each with its rule; never a code. */
export function orderProblemSentence(p: Problem, label: string | undefined): string {
  const rule = p.rule ? ` (${p.rule})` : '';
  const m = p.message;
  const say = (nb: string, en: string) => `${lang === 'nb' ? nb : en}${rule}.`;
  const f = p.field.replace(/^lines\.\d+\./, 'line.');
  const earliest = /earliest date is (\d{4}-\d{2}-\d{2})/.exec(m)?.[1];
  if (f === 'productCode') return /required/.test(m) ? say('Velg produktet', 'Choose the product') : say(`Produktet kan ikke bestilles her: ${m}`, `The product cannot be ordered here: ${m}`);
  if (f === 'speedMbps') return say('Velg en hastighet som produktet tilbyr', 'Choose a speed the product offers');
  if (f === 'requestedDate') {
    if (/required/.test(m)) return say('Oppgi ønsket leveringsdato', 'Give the requested delivery date');
    if (earliest) return say(`Datoen er innenfor produktets leveringstid: tidligste dato er ${earliest}`, `The date is within the product's lead time: the earliest date is ${earliest}`);
    if (/past/.test(m)) return say('Datoen har allerede vært', 'The date has passed');
    if (/one year/.test(m)) return say('Datoen kan være høyst ett år fram i tid', 'The date can be at most one year ahead');
  }
  if (f === 'contact.name')
    return /full name/.test(m) && !/required/.test(m)
      ? say('Skriv både fornavn og etternavn på kontaktpersonen', "Give the contact's first and last name")
      : say('Oppgi kontaktpersonens fulle navn', "Give the contact's full name");
  if (f === 'contact.phone') return say('Oppgi kontaktpersonens telefonnummer med bare siffer (8–15 siffer, ett nummer)', "Give the contact's phone number in digits only (8–15 digits, one number)");
  if (f === 'line.endUser' && p.rule === 'O-13')
    return say(
      'Sluttbrukeren har allerede en aksesslinje: bruk leverandørbytte (Switch-ISP) eller en endringsordre, ikke en ny bestilling',
      'The end user already has an access line: use a switch-ISP or a change order, not a new order',
    );
  if (f === 'line.endUser')
    return say('Oppgi sluttbrukeren: en person med fødselsdato eller et firma med organisasjonsnummer', 'Give the end user: a person with date of birth or a company with organisation number');
  if (f === 'line.endUser.name') return say('Oppgi sluttbrukerens fulle navn (fornavn og etternavn, eller firmanavnet)', "Give the end user's full name (first and last name, or the company name)");
  if (f === 'line.endUser.birthDate') {
    if (/18 years/.test(m)) return say('Sluttbrukeren må være minst 18 år', 'The end user must be at least 18 years old');
    return say('Oppgi sluttbrukerens fødselsdato', "Give the end user's date of birth");
  }
  if (f === 'line.endUser.orgNumber') return say('Oppgi et gyldig organisasjonsnummer: 9 siffer med kontrollsiffer', 'Give a valid organisation number: 9 digits with a check digit');
  if (f.startsWith('line.address')) {
    if (p.rule === 'O-19') return say('Samme installasjonsadresse som en annen linje: én linje per sluttbruker', 'The same installation address as another line: one line per end user');
    return say('Søk opp og velg installasjonsadressen i adresseregisteret', 'Search for the installation address in the address register and choose it');
  }
  if (f === 'line.availability') {
    if (/run the availability check/.test(m)) return say('Sjekk tilgjengeligheten for linjen før du sender inn', 'Check the availability for the line before you submit');
    if (/pick the one/.test(m)) return say('Kontrollen fant flere linjer: velg den på kundens adresse', "The check found several lines: pick the one at the customer's address");
    if (/^red/.test(m)) return say('Rødt svar: produktet kan ikke leveres på adressen', 'Red: the product cannot be delivered at the address');
  }
  if (f === 'line.lookup' && /confirm/.test(m))
    return say('Bekreft sluttbrukeren og adressen som oppslaget fant, eller slå opp på nytt', 'Confirm the end user and address the look-up found, or look up again');
  if (f === 'line.lookup') return say('Oppslag på linjenummer gjelder bare ADSL og delt operatøraksess', 'The look-up by line number is for ADSL and shared operator access only');
  if (f === 'references.projectReference' && /required/.test(m))
    return say('Oppgi prosjektreferansen: den binder prosjektets linjer sammen', "Give the Project Reference: it ties the project's lines together");
  if (f === 'lines' && p.rule === 'O-9') return say('En standardbestilling har én linje: velg Prosjekt for flere sluttbrukere', 'A Standard order has one line: choose Project for several end users');
  if (f === 'line.booking' && p.rule === 'O-9') return say('Ingen teknikerbestilling på en prosjektbestilling', 'No technician booking on a Project order');
  if (f === 'line.booking' && p.rule === 'O-12' && /book a technician/.test(m))
    return say('Bestill tekniker: velg en ledig tid nedenfor; bestillingen bekrefter leveringsdatoen', 'Book a technician: choose a free slot below; the booking confirms the delivery date');
  return fieldSentence({ field: `body.${p.field}`, code: (p.code ?? 'rule_violation') as never, message: m, rule: p.rule ?? undefined } as never, label);
}

/** Where each problem goes: the field registered for its path, else the nearest one above or below it. */
class ProblemPlaces {
  private readonly places: Array<{ path: string; label: string; error: HTMLElement; focus: HTMLElement }> = [];
  readonly summary = h('div', { class: 'form-error', role: 'alert', hidden: true });

  /** A labelled control with its error sentence under it (aria-describedby). */
  field(path: string, label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, help?: Child): HTMLElement {
    input.id ||= uid('o');
    const error = this.errorFor(path, label, input);
    const helpEl = help ? h('p', { class: 'help', id: `${input.id}-help` }, help) : null;
    input.setAttribute('aria-describedby', [helpEl ? `${input.id}-help` : '', error.id].filter(Boolean).join(' '));
    return h('div', { class: 'field' }, h('label', { for: input.id }, label), helpEl, input, error);
  }

  /** An error place for a part of the page that is no single input (the address, availability, booking). */
  errorFor(path: string, label: string, focus: HTMLElement): HTMLElement {
    const error = h('p', { class: 'field-error', id: uid('err'), hidden: true, 'data-field': path });
    this.places.push({ path, label, error, focus });
    return error;
  }

  clear(): void {
    this.summary.hidden = true;
    this.summary.textContent = '';
    for (const p of this.places) {
      p.error.hidden = true;
      p.error.textContent = '';
      p.focus.removeAttribute('aria-invalid');
    }
  }

  /** Every problem next to its field; the rest as sentences above the form. Returns how many were placed. */
  show(problems: Problem[], focusFirst: boolean): number {
    const unplaced: string[] = [];
    let first: HTMLElement | undefined;
    for (const pr of problems) {
      const place = this.places.find((x) => x.path === pr.field) ?? this.places.find((x) => x.path.startsWith(`${pr.field}.`)) ?? this.places.find((x) => pr.field.startsWith(`${x.path}.`));
      const sentence = orderProblemSentence(pr, place?.label);
      if (!place) {
        unplaced.push(sentence);
        continue;
      }
      place.error.hidden = false;
      if (!place.error.textContent?.includes(sentence)) place.error.textContent = place.error.textContent ? `${place.error.textContent} ${sentence}` : sentence;
      if (place.focus instanceof HTMLInputElement || place.focus instanceof HTMLSelectElement || place.focus instanceof HTMLTextAreaElement) place.focus.setAttribute('aria-invalid', 'true');
      first ??= place.focus;
    }
    if (unplaced.length) this.showSummary(unplaced.join(' '));
    if (focusFirst) first?.focus();
    return problems.length - unplaced.length;
  }

  /** A refusal of the API: its field problems next to their fields, else one sentence. */
  showError(err: unknown): void {
    if (err instanceof SambandProblem && err.errors.length > 0) {
      this.show(
        err.errors.map((e) => ({ field: e.field.replace(/^body\./, ''), rule: e.rule ?? null, message: e.message, code: e.code })),
        true,
      );
      return;
    }
    if (err instanceof SambandProblem) this.showSummary(problemSentence(err));
    else {
      console.error(err);
      this.showSummary(t('errorGeneric'));
    }
  }

  showSummary(text: string): void {
    this.summary.hidden = false;
    this.summary.textContent = text;
  }
}

export async function orderNewView(): Promise<HTMLElement> {
  return draftEditor(null);
}

export async function orderEditView(route: Route): Promise<HTMLElement> {
  const number = route.path[1]!;
  const { data } = await api.GET('/v1/orders/{number}', { params: { path: { number } } });
  const order = data as unknown as DraftOrder;
  if (order.phase !== 'draft') {
    go(`#/orders/${encodeURIComponent(number)}`);
    return h('p', {}, t('loading'));
  }
  return draftEditor(order);
}

async function draftEditor(order: DraftOrder | null): Promise<HTMLElement> {
  const user = currentUser();
  const editable = canOrder(user) && (order === null || order.allowedActions.includes('update'));
  const [{ data: catalogue }, validation] = await Promise.all([
    api.GET('/v1/reference/products'),
    order ? api.GET('/v1/orders/{number}/validation', { params: { path: { number: order.number } } }).then((r) => r.data) : Promise.resolve(undefined),
  ]);
  const products = (catalogue?.items ?? []).filter((p) => !p.quoteOnly);
  const places = new ProblemPlaces();
  const project = order?.orderType === 'Project';

  // -- the header ----------------------------------------------------------------------------
  const product = select(
    products.map((p) => [p.code, p.name]),
    order?.productCode ?? '',
    t('choose'),
  );
  const speed = select([], '', t('choose'));
  const dateHelp = h('span', {});
  const requestedDate = h('input', { type: 'date', value: order?.requestedDate ?? '', min: today() }) as HTMLInputElement;
  const productOf = (code: string): Product | undefined => products.find((p) => p.code === code);
  const fillSpeeds = (keep: number | null) => {
    const p = productOf(product.value);
    speed.replaceChildren(h('option', { value: '' }, p && !p.needsSpeed ? t('orderNoSpeed') : t('choose')), ...(p?.speedsMbps ?? []).map((s) => h('option', { value: String(s) }, `${s} Mbit/s`)));
    speed.disabled = !p?.needsSpeed;
    speed.value = keep !== null && p?.speedsMbps?.includes(keep) ? String(keep) : '';
    dateHelp.textContent = p ? t('orderEarliestDate', { date: addDays(today(), p.leadTimeDays), days: p.leadTimeDays }) : t('orderChooseProductFirst');
  };
  fillSpeeds(order?.speedMbps ?? null);
  product.addEventListener('change', () => fillSpeeds(Number(speed.value) || null));
  // O-9: Standard (one line) or Project (the same product to many end users, a Project Reference ties them)
  const orderType = select(
    [
      ['Standard', t('orderTypeStandard')],
      ['Project', t('orderTypeProject')],
    ],
    order?.orderType ?? 'Standard',
  );
  const projectRef = h('input', { type: 'text', maxlength: 50, value: order?.references.projectReference ?? '' }) as HTMLInputElement;
  const projectRefField = places.field('references.projectReference', t('orderProjectRef'), projectRef, t('orderProjectRefHelp'));
  const showType = () => (projectRefField.hidden = orderType.value !== 'Project' && !projectRef.value);
  orderType.addEventListener('change', showType);
  showType();

  const contactName = h('input', { type: 'text', autocomplete: 'name', maxlength: 200, value: order?.contact.name ?? '' }) as HTMLInputElement;
  const contactPhone = h('input', { type: 'tel', inputmode: 'numeric', autocomplete: 'tel', maxlength: 40, value: order?.contact.phone ?? '' }) as HTMLInputElement;
  const orderRef = h('input', { type: 'text', maxlength: 50, value: order?.references.customerOrderRef ?? '' }) as HTMLInputElement;

  // -- save (create or change the draft), then the dry-run validation ---------------------------
  const saveButton = h('button', { type: 'submit', class: 'primary' }, order ? t('orderSaveCheck') : t('orderCreateCheck')) as HTMLButtonElement;
  const form = h('form', { 'aria-label': t('orderNew'), novalidate: true, class: 'order-form' }) as HTMLFormElement;
  const idempotencyKey = crypto.randomUUID();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (saveButton.disabled) return;
    saveButton.disabled = true;
    places.clear();
    void save()
      .catch((err: unknown) => places.showError(err))
      .finally(() => (saveButton.disabled = false));
  });
  const header = () => ({
    orderType: orderType.value === 'Project' ? ('Project' as const) : ('Standard' as const),
    ...(product.value ? { productCode: product.value } : {}),
    speedMbps: speed.value ? Number(speed.value) : null,
    ...(requestedDate.value ? { requestedDate: requestedDate.value } : {}),
    contact: { ...(orAbsent(contactName.value) ? { name: contactName.value.trim() } : {}), ...(orAbsent(contactPhone.value) ? { phone: contactPhone.value.trim() } : {}) },
    references: {
      ...(orAbsent(orderRef.value) ? { customerOrderRef: orderRef.value.trim() } : {}),
      ...(orAbsent(projectRef.value) ? { projectReference: projectRef.value.trim() } : {}),
    },
  });
  // what the user changed and did not save yet is saved before any step that reads the draft
  let dirty = false;
  form.addEventListener('input', () => (dirty = true));
  form.addEventListener('change', () => (dirty = true));
  const again = () => go(`#/orders/${encodeURIComponent(order!.number)}/edit`);
  async function persist(number: string): Promise<void> {
    await api.PATCH('/v1/orders/{number}', { params: { path: { number } }, body: header() });
    for (const l of lines) await api.PUT('/v1/orders/{number}/lines/{lineNo}', { params: { path: { number, lineNo: l.lineNo } }, body: l.body() });
    dirty = false;
  }
  const saveIfChanged = async () => {
    if (order && dirty) await persist(order.number);
  };
  async function save(): Promise<void> {
    if (!order) {
      const { data } = await api.POST('/v1/orders', { headers: { 'Idempotency-Key': idempotencyKey }, body: { ...header(), lines: lines.map((l) => l.body()) } });
      go(`#/orders/${encodeURIComponent(data!.number)}/edit`);
      return;
    }
    await persist(order.number);
    again();
  }
  const lineCtx: LineContext = { order, places, editable, project, saveFirst: saveIfChanged, again };
  const lines = (order?.lines.length ? order.lines : [null]).map((l, i) => lineEditor(lineCtx, i, l));

  // O-9: a Project order takes more lines (up to 50); each is saved as it is added
  const addLine =
    order && project && editable
      ? h(
          'button',
          {
            type: 'button',
            onclick: (e: Event) => {
              const button = e.currentTarget as HTMLButtonElement;
              button.disabled = true;
              places.clear();
              saveIfChanged()
                .then(() => api.POST('/v1/orders/{number}/lines', { params: { path: { number: order.number } }, body: {} }))
                .then(again)
                .catch((err: unknown) => places.showError(err))
                .finally(() => (button.disabled = false));
            },
          },
          t('orderAddLine'),
        )
      : null;

  form.append(
    places.summary,
    h('h2', {}, t('orderProductStep')),
    h(
      'div',
      { class: 'row' },
      places.field('orderType', t('orderType'), orderType, t('orderTypeHelp')),
      places.field('productCode', t('product'), product),
      places.field('speedMbps', t('orderSpeed'), speed),
      places.field('requestedDate', t('requestedDate'), requestedDate, dateHelp),
    ),
    h('div', { class: 'row' }, projectRefField),
    ...lines.map((l) => l.el),
    addLine,
    h('h2', {}, t('orderContactStep')),
    h(
      'div',
      { class: 'row' },
      places.field('contact.name', t('contactName'), contactName),
      places.field('contact.phone', t('contactPhone'), contactPhone),
      places.field('references.customerOrderRef', t('customerOrderRef'), orderRef),
    ),
    editable ? h('div', { class: 'buttons' }, saveButton) : null,
  );
  if (!editable) for (const el of form.querySelectorAll<HTMLInputElement>('input, select, button')) el.disabled = true;

  // -- after the first save: availability, booking (Standard only, O-9), validation, submit ------
  const parts: Child[] = [pageTitle(order ? t('orderDraftTitle', { number: order.number }) : t('orderNew')), h('p', { class: 'help' }, t('orderGuideHelp')), form];
  if (order) {
    for (const [i, line] of order.lines.entries()) {
      parts.push(availabilitySection(order, line, i, places, editable, saveIfChanged));
      if (!project) parts.push(await bookingSection(order, line, i, places, editable, saveIfChanged));
    }
    const problems: Problem[] = validation?.problems ?? [];
    parts.push(submitSection(order, problems, places, editable, saveIfChanged));
    places.show(problems, false);
    for (const w of validation?.warnings ?? []) places.showSummary(orderProblemSentence(w, undefined));
  }
  return h('section', { class: 'order-editor' }, ...parts);
}

interface LineContext {
  order: DraftOrder | null;
  places: ProblemPlaces;
  editable: boolean;
  project: boolean;
  saveFirst: () => Promise<void>;
  again: () => void;
}

/** One order line's part of the form: the address from the register, the end user (O-2), and the
 * O-4 look-up by the existing line's number. On a Project order each line is a group of its own. */
function lineEditor(ctx: LineContext, index: number, line: DraftLineView | null): { lineNo: number; el: HTMLElement; body: () => components['schemas']['OrderLineInput'] } {
  const { order, places } = ctx;
  const at = `lines.${index}`;
  const field: FieldMaker = (path, label, input, help) => places.field(path, label, input, help);
  const endUser = endUserFields(field, `${at}.endUser`, line?.endUser ?? null);
  // -- the address (Q-3: from the register) ----------------------------------------------------
  const {
    el: addressSearch,
    chosen: chosenAddress,
    focus: street,
  } = addressPicker(field, `${at}.address`, line?.address?.addressId ? { addressId: line.address.addressId, label: line.address.label ?? line.address.addressId } : null);
  const addressError = places.errorFor(`${at}.address`, t('address'), street);

  const body = () => {
    // the address only when it changed: a booked line refuses an address change (O-12), and the same address is none
    const chosen = chosenAddress();
    const sameAddress = (chosen?.addressId ?? null) === (line?.address?.addressId ?? null) && !!line;
    return { endUser: endUser.value(), ...(sameAddress ? {} : { address: chosen ? { addressId: chosen.addressId } : null }) };
  };

  const content: Child[] = [
    order && line ? lookupSection(ctx, index, line) : null,
    h('h2', {}, t('orderAddressStep')),
    h('div', { class: 'address-search' }, addressSearch, addressError),
    h('h2', {}, t('orderEndUserStep')),
    endUser.el,
  ];
  const lineNo = line?.lineNo ?? index + 1;
  if (!ctx.project) return { lineNo, el: h('div', {}, ...content), body };
  const remove =
    order && line && ctx.editable && order.lines.length > 1
      ? h(
          'button',
          {
            type: 'button',
            onclick: () =>
              void api
                .DELETE('/v1/orders/{number}/lines/{lineNo}', { params: { path: { number: order.number, lineNo } } })
                .then(ctx.again)
                .catch((err: unknown) => places.showError(err)),
          },
          t('orderRemoveLine', { n: lineNo }),
        )
      : null;
  return { lineNo, el: h('fieldset', { class: 'order-line', 'data-line': lineNo }, h('legend', {}, t('orderLineN', { n: lineNo })), ...content, remove), body };
}

/** A labelled control for a field path, with its error place (ProblemPlaces.field or Form.field). */
export type FieldMaker = (path: string, label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, help?: string) => HTMLElement;
type EndUserValue = { kind: 'person'; name: string; birthDate: string } | { kind: 'company'; name: string; orgNumber: string } | null;

/** O-2: the end user, a person with date of birth or a company with organisation number; `at` is its field path. */
export function endUserFields(field: FieldMaker, at: string, eu: DraftLineView['endUser']): { el: HTMLElement; value: () => EndUserValue } {
  const kind = select(
    [
      ['person', t('orderPerson')],
      ['company', t('orderCompany')],
    ],
    eu?.kind ?? 'person',
  );
  const euName = h('input', { type: 'text', autocomplete: 'off', maxlength: 200, value: eu?.name ?? '' }) as HTMLInputElement;
  const birthDate = h('input', { type: 'date', max: today(), value: eu?.kind === 'person' ? (eu.birthDate ?? '') : '' }) as HTMLInputElement;
  const orgNumber = h('input', { type: 'text', inputmode: 'numeric', maxlength: 9, value: eu?.kind === 'company' ? (eu.orgNumber ?? '') : '' }) as HTMLInputElement;
  const birthField = field(`${at}.birthDate`, t('orderBirthDate'), birthDate);
  const orgField = field(`${at}.orgNumber`, t('orderOrgNumber'), orgNumber, t('orderOrgNumberHelp'));
  const showKind = () => {
    birthField.hidden = kind.value !== 'person';
    orgField.hidden = kind.value !== 'company';
  };
  kind.addEventListener('change', showKind);
  showKind();
  const value = (): EndUserValue => {
    const name = euName.value.trim();
    if (kind.value === 'company') return name || orgNumber.value.trim() ? { kind: 'company', name, orgNumber: orgNumber.value.trim() } : null;
    return name || birthDate.value ? { kind: 'person', name, birthDate: birthDate.value } : null;
  };
  return {
    el: h('div', {}, h('div', { class: 'row' }, field(at, t('orderEndUserKind'), kind), field(`${at}.name`, t('orderEndUserName'), euName)), h('div', { class: 'row' }, birthField, orgField)),
    value,
  };
}

/** The register search: street, house number, postcode; the user picks one of the hits. `at` is the address's field path. */
export function addressPicker(
  field: FieldMaker,
  at: string,
  initial: { addressId: string; label: string } | null,
): { el: HTMLElement; chosen: () => { addressId: string; label: string } | null; focus: HTMLElement } {
  let chosen = initial;
  const street = h('input', { type: 'text', autocomplete: 'off', maxlength: 100 }) as HTMLInputElement;
  const houseNumber = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: 5, class: 'short' }) as HTMLInputElement;
  const postcode = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: 4, class: 'short' }) as HTMLInputElement;
  const chosenText = h('p', { class: 'chosen-address wrap', 'aria-live': 'polite' });
  const results = h('div', { class: 'address-results' });
  const searchButton = h('button', { type: 'button' }, t('orderSearchAddress')) as HTMLButtonElement;
  const showChosen = () => {
    chosenText.textContent = chosen ? t('orderChosenAddress', { address: chosen.label }) : t('orderNoAddress');
  };
  showChosen();
  const search = async () => {
    const query: Record<string, string | number> = {};
    if (street.value.trim()) query.street = street.value.trim();
    if (/^\d+$/.test(houseNumber.value.trim())) query.houseNumber = Number(houseNumber.value.trim());
    if (/^\d{4}$/.test(postcode.value.trim())) query.postcode = postcode.value.trim();
    if (Object.keys(query).length === 0) {
      replaceChildren(results, h('p', { class: 'field-error' }, t('orderSearchEmpty')));
      return;
    }
    replaceChildren(results, h('p', { class: 'loading' }, t('loading')));
    try {
      const { data } = await api.GET('/v1/reference/addresses', { params: { query: { ...query, limit: 10 } } });
      const items: Address[] = data?.items ?? [];
      if (items.length === 0) {
        replaceChildren(results, h('p', {}, t('orderSearchNone')));
        return;
      }
      const name = uid('adr');
      replaceChildren(
        results,
        h(
          'fieldset',
          {},
          h('legend', {}, t('orderPickAddress', { n: items.length })),
          items.map((a) => {
            const id = uid('adr');
            const radio = h('input', { type: 'radio', name, id, value: a.id, checked: chosen?.addressId === a.id }) as HTMLInputElement;
            radio.addEventListener('change', () => {
              chosen = { addressId: a.id, label: a.label };
              showChosen();
            });
            return h('div', { class: 'radio' }, radio, h('label', { for: id, class: 'wrap' }, a.label));
          }),
        ),
      );
      results.querySelector<HTMLInputElement>('input')?.focus();
    } catch (err) {
      replaceChildren(results, h('p', { class: 'field-error' }, err instanceof SambandProblem ? problemSentence(err) : t('errorGeneric')));
    }
  };
  searchButton.addEventListener('click', () => void search());
  for (const input of [street, houseNumber, postcode]) {
    input.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Enter') {
        e.preventDefault();
        void search();
      }
    });
  }
  return {
    el: h(
      'div',
      {},
      h(
        'div',
        { class: 'row' },
        field(`${at}.street`, t('orderStreet'), street),
        field(`${at}.houseNumber`, t('orderHouseNumber'), houseNumber),
        field(`${at}.postcode`, t('orderPostcode'), postcode),
      ),
      searchButton,
      results,
      chosenText,
    ),
    chosen: () => chosen,
    focus: street,
  };
}

/** O-4: for ADSL and shared operator access, the end user and address looked up by the existing line's
 * number (fremføringsnummer); the user verifies what was found and confirms it into the line. */
function lookupSection(ctx: LineContext, index: number, line: DraftLineView): HTMLElement | null {
  const { order, places } = ctx;
  if (!order || !ctx.editable) return null;
  const path = { params: { path: { number: order.number, lineNo: line.lineNo } } };
  const number = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: 40, value: line.lookup?.number ?? '' }) as HTMLInputElement;
  const outcome = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const fail = (err: unknown) => {
    outcome.hidden = false;
    outcome.textContent = err instanceof SambandProblem ? problemSentence(err) : t('errorGeneric');
  };
  const lookUp = h('button', { type: 'button' }, t('orderLookUp')) as HTMLButtonElement;
  lookUp.addEventListener('click', () => {
    lookUp.disabled = true;
    ctx
      .saveFirst()
      .then(() => api.POST('/v1/orders/{number}/lines/{lineNo}/lookup', { ...path, body: { lineNumber: number.value.trim() } }))
      .then(ctx.again)
      .catch(fail)
      .finally(() => (lookUp.disabled = false));
  });
  number.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') {
      e.preventDefault();
      lookUp.click();
    }
  });
  const found = line.lookup;
  const result: Child = !found
    ? null
    : found.confirmed
      ? h('p', { class: 'ok' }, t('orderLookupConfirmed', { number: found.number }))
      : h(
          'div',
          { class: 'lookup-found', role: 'status' },
          h('p', { class: 'wrap' }, t('orderLookupFound', { number: found.number, name: found.endUser.name, address: found.address.label })),
          h('p', { class: 'help' }, t('orderLookupVerify')),
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              onclick: () => void api.POST('/v1/orders/{number}/lines/{lineNo}/lookup/confirm', path).then(ctx.again).catch(fail),
            },
            t('orderLookupConfirm'),
          ),
        );
  return h(
    'div',
    { class: 'lookup' },
    h('h2', {}, t('orderLookupStep')),
    h('div', { class: 'row' }, places.field(`lines.${index}.lookup`, t('orderLookupNumber'), number, t('orderLookupHelp')), h('div', { class: 'field' }, lookUp)),
    result,
    outcome,
  );
}

/** O-10: the availability check in Kapaks, its answer in colour with words (never colour alone). */
function availabilitySection(order: DraftOrder, line: DraftLineView, index: number, places: ProblemPlaces, editable: boolean, saveFirst: () => Promise<void>): HTMLElement {
  const headingId = uid('avail-h');
  const box = h('section', { class: 'step', 'aria-labelledby': headingId, 'data-line': line.lineNo });
  const check = h('button', { type: 'button' }, line.availability ? t('orderCheckAgain') : t('orderCheckAvailability')) as HTMLButtonElement;
  const error = places.errorFor(`lines.${index}.availability`, t('orderAvailability'), check);
  const outcome = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const path = { params: { path: { number: order.number, lineNo: line.lineNo } } };
  check.addEventListener('click', () => {
    check.disabled = true;
    places.clear();
    saveFirst()
      .catch((err: unknown) => {
        places.showError(err);
        throw err;
      })
      .then(() =>
        api
          // O-4 / O-10: a line taken over by its number is checked by that number, else by its register address
          .POST('/v1/orders/{number}/lines/{lineNo}/availability', { ...path, body: line.address?.existingNumber ? { phoneNumber: line.address.existingNumber } : {} })
          .then(() => go(`#/orders/${encodeURIComponent(order.number)}/edit`))
          .catch((err: unknown) => {
            outcome.hidden = false;
            outcome.textContent = err instanceof SambandProblem ? problemSentence(err) : t('errorGeneric');
          }),
      )
      .catch(() => undefined)
      .finally(() => (check.disabled = false));
  });
  const a = line.availability;
  const answer: Child[] = [];
  if (a?.outcome === 'timeout') answer.push(h('p', { class: 'avail avail-yellow' }, h('strong', {}, t('orderAvailYellow')), ' ', t('orderAvailTimeout')));
  else if (a) {
    const name = uid('cand');
    answer.push(
      h(
        'ul',
        { class: 'avail-list' },
        a.candidates.map((c) => {
          const selected = a.selectedLineId === c.lineId;
          const pick =
            editable && a.candidates.length > 1 && !selected
              ? h(
                  'button',
                  {
                    type: 'button',
                    name,
                    onclick: () =>
                      void api
                        .POST('/v1/orders/{number}/lines/{lineNo}/availability/select', { ...path, body: { lineId: c.lineId } })
                        .then(() => go(`#/orders/${encodeURIComponent(order.number)}/edit`))
                        .catch((err: unknown) => places.showError(err)),
                  },
                  t('orderPickLine', { line: c.lineId }),
                )
              : null;
          return h(
            'li',
            { class: `avail avail-${c.colour}`, 'data-colour': c.colour },
            h('strong', {}, c.colour === 'green' ? t('orderAvailGreen') : c.colour === 'yellow' ? t('orderAvailYellow') : t('orderAvailRed')),
            ' ',
            h('span', { class: 'wrap' }, `${c.addressLabel}: ${c.reason}`),
            c.colour === 'yellow' && c.yellowKind ? h('span', { class: 'help' }, ` ${c.yellowKind === 'unclear' ? t('orderAvailUnclear') : t('orderAvailSystemError')}`) : null,
            selected && a.candidates.length > 1 ? h('span', {}, ` — ${t('orderPicked')}`) : null,
            pick,
          );
        }),
      ),
    );
  }
  const title = order.orderType === 'Project' ? `${t('orderAvailability')} – ${t('orderLineN', { n: line.lineNo })}` : t('orderAvailability');
  replaceChildren(box, h('h2', { id: headingId }, title), h('p', { class: 'help' }, t('orderAvailabilityHelp')), answer, editable ? check : null, error, outcome);
  return box;
}

/** O-12: free technician slots at the line's address; booking one confirms the delivery date. */
async function bookingSection(order: DraftOrder, line: DraftLineView, index: number, places: ProblemPlaces, editable: boolean, saveFirst: () => Promise<void>): Promise<HTMLElement> {
  const box = h('section', { class: 'step', 'aria-labelledby': 'booking-h' });
  const path = { params: { path: { number: order.number, lineNo: line.lineNo } } };
  const again = () => go(`#/orders/${encodeURIComponent(order.number)}/edit`);
  const outcome = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const fail = (err: unknown) => {
    outcome.hidden = false;
    outcome.textContent = err instanceof SambandProblem ? problemSentence(err) : t('errorGeneric');
  };
  const show = h('button', { type: 'button' }, t('orderShowSlots')) as HTMLButtonElement;
  const error = places.errorFor(`lines.${index}.booking`, t('orderBooking'), show);
  const slots = h('div', { class: 'slots' });
  show.addEventListener('click', () => {
    show.disabled = true;
    saveFirst()
      .then(() => api.GET('/v1/orders/{number}/lines/{lineNo}/slots', { params: { path: path.params.path, query: {} } }))
      .then(({ data }) => {
        const items = data?.items ?? [];
        replaceChildren(
          slots,
          h('p', { class: 'help' }, t('orderSlotsFrom', { date: data?.earliestDate ?? '' })),
          items.length === 0
            ? h('p', {}, t('orderNoSlots'))
            : h(
                'ul',
                { class: 'slot-list' },
                items.slice(0, 20).map((s) =>
                  h(
                    'li',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        'data-slot': s.slotId,
                        onclick: (e: Event) => {
                          (e.currentTarget as HTMLButtonElement).disabled = true;
                          void api
                            .POST('/v1/orders/{number}/lines/{lineNo}/booking', { ...path, body: { slotId: s.slotId } })
                            .then(again)
                            .catch(fail);
                        },
                      },
                      t('orderBookSlot', { date: s.date, window: s.window }),
                    ),
                  ),
                ),
              ),
        );
        slots.querySelector<HTMLButtonElement>('button')?.focus();
      })
      .catch(fail)
      .finally(() => (show.disabled = false));
  });
  const booked = line.booking;
  replaceChildren(
    box,
    h('h2', { id: 'booking-h' }, t('orderBooking')),
    h('p', { class: 'help' }, t('orderBookingHelp')),
    booked
      ? h(
          'p',
          { class: 'booked' },
          t('orderBooked', { date: booked.date, window: booked.window }),
          ' ',
          editable ? h('button', { type: 'button', onclick: () => void api.DELETE('/v1/orders/{number}/lines/{lineNo}/booking', path).then(again).catch(fail) }, t('orderUnbook')) : null,
        )
      : editable
        ? show
        : h('p', {}, t('orderNotBooked')),
    slots,
    error,
    outcome,
  );
  return box;
}

/** Submit: the same check as the validation; on success the order view follows the lines. */
function submitSection(order: DraftOrder, problems: Problem[], places: ProblemPlaces, editable: boolean, saveFirst: () => Promise<void>): HTMLElement {
  const submit = h('button', { type: 'button', class: 'primary' }, t('orderSubmit')) as HTMLButtonElement;
  submit.addEventListener('click', () => {
    submit.disabled = true;
    places.clear();
    saveFirst()
      .then(() => api.POST('/v1/orders/{number}/submit', { params: { path: { number: order.number } } }))
      .then(() => go(`#/orders/${encodeURIComponent(order.number)}`))
      .catch((err: unknown) => {
        places.showError(err);
        submit.disabled = false;
      });
  });
  return h(
    'section',
    { class: 'step', 'aria-labelledby': 'submit-h' },
    h('h2', { id: 'submit-h' }, t('orderCheckAndSubmit')),
    h('p', { class: problems.length ? 'attention' : 'ok', role: 'status', 'data-problems': problems.length }, problems.length ? t('orderProblemsLeft', { n: problems.length }) : t('orderNoProblems')),
    editable ? submit : null,
  );
}
