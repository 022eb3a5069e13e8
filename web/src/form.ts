// Forms whose every error is a sentence next to its field: the API's problem+json names each failing
// field by path (body.reference.value); a Form knows which input stands for which path.
import { SambandProblem } from '../../client';
import { type Child, h, uid } from './dom';
import { lang, t } from './i18n';

export type FieldProblem = SambandProblem['errors'][number];

interface FieldEntry {
  path: string;
  label: string;
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  error: HTMLElement;
}

export class Form {
  readonly el: HTMLFormElement;
  private readonly fields: FieldEntry[] = [];
  private readonly summary: HTMLElement;
  private busy = false;

  /** `sentence`: how a field problem is worded, when the form's fields have sentences of their own (the order's, O-2…O-13). */
  constructor(
    onSubmit: (form: Form) => Promise<void>,
    private readonly attrs: { label: string; sentence?: (e: FieldProblem, label: string | undefined) => string },
  ) {
    this.summary = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.el = h('form', { 'aria-label': attrs.label, novalidate: true }) as HTMLFormElement;
    this.el.append(this.summary);
    this.el.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.busy) return;
      this.busy = true;
      this.clear();
      this.el.setAttribute('aria-busy', 'true');
      onSubmit(this)
        .catch((err: unknown) => this.show(err))
        .finally(() => {
          this.busy = false;
          this.el.removeAttribute('aria-busy');
        });
    });
  }

  /** A labelled input for one field path of the request body; its error appears right under it. */
  field(path: string, label: string, input: FieldEntry['input'], help?: string): HTMLElement {
    const id = input.id || uid('f');
    input.id = id;
    const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const helpEl = help ? h('p', { class: 'help', id: `${id}-help` }, help) : null;
    input.setAttribute('aria-describedby', [helpEl ? `${id}-help` : '', `${id}-error`].filter(Boolean).join(' '));
    input.name = path;
    this.fields.push({ path, label, input, error });
    return h('div', { class: 'field' }, h('label', { for: id }, label), helpEl, input, error);
  }

  add(...children: Child[]): this {
    for (const child of children) if (child instanceof Node) this.el.append(child);
    return this;
  }

  clear(): void {
    this.summary.hidden = true;
    this.summary.textContent = '';
    for (const f of this.fields) {
      f.error.hidden = true;
      f.error.textContent = '';
      f.input.removeAttribute('aria-invalid');
    }
  }

  /** Puts each field problem next to its field; what belongs to no field is a sentence above the form. */
  show(err: unknown): void {
    if (!(err instanceof SambandProblem)) {
      this.showSummary(t('errorGeneric'));
      console.error(err);
      return;
    }
    const unplaced: string[] = [];
    let first: FieldEntry | undefined;
    for (const e of err.errors) {
      // the deepest field the form has for this path (body.reference → the reference's value input)
      const f = this.fields.find((x) => x.path === e.field) ?? (e.field === 'body' ? undefined : this.fields.find((x) => x.path.startsWith(`${e.field}.`) || e.field.startsWith(`${x.path}.`)));
      const sentence = (this.attrs.sentence ?? fieldSentence)(e, f?.label);
      if (!f) {
        unplaced.push(sentence);
        continue;
      }
      f.error.hidden = false;
      if (!f.error.textContent?.includes(sentence)) f.error.textContent = f.error.textContent ? `${f.error.textContent} ${sentence}` : sentence;
      f.input.setAttribute('aria-invalid', 'true');
      first ??= f;
    }
    if (err.errors.length === 0) unplaced.push(problemSentence(err));
    if (unplaced.length > 0) this.showSummary(unplaced.join(' '));
    else if (first) this.showSummary(t('formHasErrors'));
    first?.input.focus();
  }

  /** A sentence above the form (a refusal that belongs to no field). */
  showSummary(text: string): void {
    this.summary.hidden = false;
    this.summary.textContent = text;
  }
}

const sentence = (s: string) => {
  const trimmed = s.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** Bokmål sentences for the fields and codes our forms show; else the API's own words. */
const NB_FIELD: Record<string, string> = {
  'body.description': 'Beskriv saken nærmere: minst 10 tegn (S-5).',
  'body.subArea': 'Velg et underområde som hører til området (S-5).',
  'body.area': 'Velg et område.',
  'body.text': 'Skriv en tekst.',
  'body.contact.name': 'Oppgi kontaktpersonens fulle navn (O-7).',
  'body.contact.phone': 'Telefonnummeret skrives med bare siffer, ett nummer per felt (O-7).',
};

export function fieldSentence(e: FieldProblem, label: string | undefined): string {
  if (e.field === 'body') {
    // the body as a whole: nothing filled in (O-17's "give the fixes"), or not readable
    if (lang === 'nb' && /give the fixes/.test(e.message)) return 'Legg inn det du har rettet, eller skriv en kommentar (O-17).';
    return sentence(e.message);
  }
  const name = label ?? e.field.replace(/^body\./, '');
  if (lang === 'en') return e.code === 'missing_property' ? `${name} is required.` : sentence(`${name}: ${e.message}`);
  if (e.code === 'missing_property') return `${name} må fylles ut.`;
  if (e.field === 'body.reference.value' && /phone number is 8 digits/.test(e.message)) return 'Et telefonnummer har 8 siffer, uten mellomrom eller landkode (S-5).';
  if (e.code === 'reference_not_found') return `${name}: finnes ikke i firmaet ditt${e.rule ? ` (${e.rule})` : ''}.`;
  if (e.code === 'invalid_format') return `${name} har feil format.`;
  if (e.code === 'too_many_records') return `${name} har for mange elementer.`;
  return NB_FIELD[e.field] ?? sentence(`${name}: ${e.message}`);
}

/** A refusal that names no field (409, 403, 422 …) as one sentence, never a raw code. */
export function problemSentence(p: SambandProblem): string {
  if (lang === 'nb') {
    if (p.code === 'duplicate_service_request')
      return `Det finnes allerede en åpen henvendelse om samme sak${p.problem.existing ? ` (${String(p.problem.existing)})` : ''}: følg den opp i stedet (S-2).`;
    if (p.code === 'action_not_allowed') return 'Saken har endret status, så dette er ikke lenger mulig. Last siden på nytt.';
    if (p.status === 403) return `Du har ikke tilgang til dette${p.rule ? ` (${p.rule})` : ''}.`;
    if (p.status === 401) return 'Du er ikke innlogget lenger. Logg inn på nytt.';
    if (p.status === 503) return 'Tjenesten svarer ikke akkurat nå. Prøv igjen om litt.';
    if (p.status === 404) return 'Finner ikke saken (eller den tilhører et annet firma).';
    if (p.status === 429) return 'For mange mislykkede forsøk på å logge inn herfra. Vent litt og prøv igjen.';
  }
  return sentence(p.problem.detail ?? p.problem.title);
}
