// Pieces the quote screens and the handler's workbench share: status badges with the API's own labels
// and explanations (GET /v1/reference/statuses, G-3: handlers and resellers see the same texts), money
// in kroner, and small action forms whose errors are sentences next to their fields.
import { type components, SambandProblem } from '../../../client';
import { type Child, h } from '../dom';
import { Form } from '../form';
import { lang, t } from '../i18n';
import { table, when } from '../ui';
import { api } from '../session';
import './workbench.css';

type StatusText = components['schemas']['StatusText'];
export type StatusScope = StatusText['scope'];

let texts: Promise<Map<string, StatusText>> | null = null;
const key = (scope: string, status: string) => `${scope}\n${status}`;

/** Every status text, asked for once per page load (the API lets the browser cache it for an hour). */
export function statusTexts(): Promise<Map<string, StatusText>> {
  texts ??= api.GET('/v1/reference/statuses').then(
    ({ data }) => new Map((data?.items ?? []).map((s) => [key(s.scope, s.status), s])),
    (err: unknown) => {
      texts = null; // asked again next time
      throw err;
    },
  );
  return texts;
}

const SCOPES: readonly string[] = ['order', 'order_line', 'quote', 'quote_line', 'service_request', 'switch_isp', 'termination', 'trouble_ticket'];
export const scopeOf = (caseType: string): StatusScope | null => (SCOPES.includes(caseType) ? (caseType as StatusScope) : null);

/** A status as the API labels it (with its letter), its explanation on hover and for screen readers; `letter` overrides the label's. */
export function caseBadge(all: Map<string, StatusText>, scope: StatusScope | null, status: string, letter?: string | null): HTMLElement {
  const text = scope ? all.get(key(scope, status)) : undefined;
  const explanation = text?.explanation[lang];
  // the case's own letter where the caller knows it (O-15: Cancelled has A only when the wholesaler cancelled)
  const label = letter !== undefined ? (letter ? `${status} (${letter})` : status) : (text?.label[lang] ?? status);
  return h(
    'span',
    { class: `status status-${status.toLowerCase().replace(/\s+/g, '-')}`, title: explanation, 'data-status': status },
    label,
    explanation ? h('span', { class: 'sr-only' }, `: ${explanation}`) : null,
  );
}

/** The label of a status (e.g. "Field Service (M)") in the user's language. */
export const statusLabel = (all: Map<string, StatusText>, scope: StatusScope, status: string) => all.get(key(scope, status))?.label[lang] ?? status;

const nok = () => new Intl.NumberFormat(lang === 'nb' ? 'nb-NO' : 'en-GB', { style: 'currency', currency: 'NOK' });
export const kroner = (ore: number) => nok().format(ore / 100);

/**
 * An amount in kroner as typed (4120, 4 120,50, 4120.50) in whole øre; undefined when empty. What is not
 * an amount is passed on as typed, so the API names the field and the form words it (reword).
 */
export function oreOf(text: string): number | string | undefined {
  const s = text.replace(/[\s\u00a0]/g, '').replace(/^kr\.?/i, '');
  if (s === '') return undefined;
  const normal = /^\d+(,\d{1,2})?$/.test(s) ? s.replace(',', '.') : s;
  return /^\d+(\.\d{1,2})?$/.test(normal) ? Math.round(Number(normal) * 100) : text.trim();
}

/**
 * A problem whose messages for these fields are replaced by this screen's own sentences (the API still
 * decides what is wrong; a missing field keeps its "… må fylles ut").
 */
export function reword(err: unknown, sentences: Record<string, string>): unknown {
  if (!(err instanceof SambandProblem) || !err.errors.some((e) => sentences[e.field])) return err;
  return new SambandProblem({
    ...err.problem,
    errors: err.errors.map((e) => (sentences[e.field] && e.code !== 'missing_property' ? { ...e, message: sentences[e.field]! } : e)),
  });
}

/** One button that runs an action; a refusal is a sentence next to it. */
export function actionButton(label: string, run: () => Promise<unknown>, after: () => void, cls = ''): HTMLElement {
  const form = new Form(
    async () => {
      await run();
      after();
    },
    { label },
  );
  form.add(h('button', { type: 'submit', class: cls }, label));
  form.el.classList.add('inline');
  return form.el;
}

/** A boxed form with a heading: fields, then its button. */
export function actionBox(title: string, form: Form, ...fields: Child[]): HTMLElement {
  form.add(...fields);
  return h('div', { class: 'action-box' }, h('h3', {}, title), form.el);
}

type StepName = 'Ordered' | 'Design' | 'Ready' | 'Field Service' | 'Test' | 'Delivery' | 'Finished' | 'Closed';

/**
 * O-15: one form per delivery step the API offers now (allowedNextSteps), nothing else; Field Service (M)
 * carries the installation date. `run` sends the step.
 */
export function stepForms(
  all: Map<string, StatusText>,
  scope: StatusScope,
  steps: readonly string[],
  run: (to: StepName, installationDate: string | undefined) => Promise<unknown>,
  done: () => void,
): HTMLElement[] {
  return steps.map((step) => {
    const label = t('advanceTo', { step: statusLabel(all, scope, step) });
    const date = step === 'Field Service' ? (h('input', { type: 'date' }) as HTMLInputElement) : null;
    const form = new Form(
      async () => {
        try {
          await run(step as StepName, date?.value || undefined);
        } catch (err) {
          throw reword(err, { 'body.installationDate': t('installationDateSentence') });
        }
        done();
      },
      { label },
    );
    if (date) form.add(form.field('body.installationDate', t('installationDate'), date, t('installationDateHelp')));
    form.add(h('button', { type: 'submit', class: 'primary', 'data-step': step }, label));
    return h('div', { class: 'action-box' }, form.el);
  });
}

/**
 * A boxed action with one text (a comment, a Status Description, a reason), offered only when the API
 * allows `action`; an empty text is left out, so the API names the field as missing ("… må fylles ut").
 */
export function textAction(
  allowed: ReadonlySet<string>,
  action: string,
  title: string,
  fieldLabel: string,
  field: string,
  run: (value: string) => Promise<unknown>,
  done: () => void,
): HTMLElement | null {
  if (!allowed.has(action)) return null;
  const input = h('textarea', { rows: 3, maxlength: 2000 }) as HTMLTextAreaElement;
  const form = new Form(
    async () => {
      await run((input.value.trim() || undefined) as string);
      done();
    },
    { label: title },
  );
  return actionBox(title, form, form.field(`body.${field}`, fieldLabel, input), h('button', { type: 'submit' }, title));
}

type ActivityEntry = { at: string; by: string; fromStatus: string | null; toStatus: string; text?: string | undefined };

/** G-3: a case's activity log, newest first. */
export function activityTable(activity: readonly ActivityEntry[]): HTMLElement {
  return table(
    t('activity'),
    [t('updated'), t('by'), t('status'), t('comment')],
    [...activity].reverse().map((a) => [when(a.at), a.by, a.fromStatus && a.fromStatus !== a.toStatus ? `${a.fromStatus} → ${a.toStatus}` : a.toStatus, h('span', { class: 'wrap' }, a.text ?? '')]),
  );
}
