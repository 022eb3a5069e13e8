// Service requests (S-1…S-9): list, create with area and sub-area, submit, answer Incomplete and submit
// again (the deck's Customer Update), close; the handler's take, request information, complete.
import type { components } from '../../../client';
import { h } from '../dom';
import { Form } from '../form';
import { areaHelp as areaHelpText, areaLabel, departmentLabel, referenceKindLabel, t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api, canOrder, currentUser, isHandler } from '../session';
import { definitionList, link, pager, pageTitle, select, table, when } from '../ui';
import { srAttachments } from './attachments';
import { apiStatusBadge, loadStatusTexts } from '../statuses';

type Sr = components['schemas']['ServiceRequestDetail'];
const SR_STATUSES = ['New', 'Submitted', 'In Process', 'Incomplete', 'Completed', 'Closed', 'Cancelled'] as const;
type SrStatus = (typeof SR_STATUSES)[number];

export async function srListView(route: Route): Promise<HTMLElement> {
  const status = (SR_STATUSES as readonly string[]).includes(route.query.get('status') ?? '') ? (route.query.get('status') as SrStatus) : undefined;
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  // G-3: the status texts are the API's (GET /v1/reference/statuses), as on every other screen
  const [{ data }] = await Promise.all([api.GET('/v1/service-requests', { params: { query: { ...(status ? { status } : {}), offset, limit: 25 } } }), loadStatusTexts()]);
  const page = data!;
  const filter = select(
    SR_STATUSES.map((s) => [s, s]),
    status ?? '',
    t('allStatuses'),
  );
  filter.id = 'sr-status-filter';
  filter.addEventListener('change', () => go(filter.value ? `#/sr?status=${encodeURIComponent(filter.value)}` : '#/sr'));
  const user = currentUser();
  return h(
    'section',
    {},
    pageTitle(t('serviceRequests'), canOrder(user) ? h('a', { class: 'button primary', href: '#/sr/new' }, t('newServiceRequest')) : null),
    h('div', { class: 'filters' }, h('label', { for: filter.id }, t('filterStatus')), filter),
    srTable(page.items, isHandler(user)),
    pager(page, (o) => go(`#/sr?${new URLSearchParams({ ...(status ? { status } : {}), offset: String(o) })}`)),
  );
}

export function srTable(items: components['schemas']['ServiceRequestSummary'][], showCompany = false): HTMLElement {
  return table(
    t('serviceRequests'),
    [t('number'), t('status'), t('area'), t('referenceValue'), t('title'), ...(showCompany ? [t('company')] : []), t('updated')],
    items.map((sr) => [
      link(`#/sr/${encodeURIComponent(sr.number)}`, sr.number),
      apiStatusBadge('service_request', sr.status),
      `${areaLabel(sr.area)} · ${sr.subArea}`,
      h('span', { class: 'wrap' }, `${referenceKindLabel(sr.referenceKind)}: ${sr.reference}`),
      h('span', { class: 'wrap' }, sr.title),
      ...(showCompany ? [sr.companyId] : []),
      when(sr.updatedAt),
    ]),
  );
}

const orAbsent = (v: string) => (v === '' ? undefined : v);

/** A new service request; `?area=&subArea=&kind=&value=` fill it in (S-6: from an invoice or a trouble ticket). */
export async function srNewView(route: Route): Promise<HTMLElement> {
  const { data: catalogue } = await api.GET('/v1/service-requests/catalogue');
  const areas = catalogue!.areas;
  const area = select(
    areas.map((a) => [a.area, areaLabel(a.area)]),
    '',
    t('choose'),
  );
  const subArea = select([], '', t('choose'));
  const areaHelp = h('p', { class: 'help' });
  area.addEventListener('change', () => {
    const chosen = areas.find((a) => a.area === area.value);
    subArea.replaceChildren(h('option', { value: '' }, t('choose')), ...(chosen?.subAreas ?? []).map((s) => h('option', { value: s.subArea }, s.subArea)));
    areaHelp.textContent = chosen ? areaHelpText(chosen.area, chosen.description) : '';
  });
  const kind = select(
    catalogue!.referenceKinds.map((k) => [k, referenceKindLabel(k)]),
    '',
    t('choose'),
  );
  const value = h('input', { type: 'text', autocomplete: 'off', maxlength: 100 }) as HTMLInputElement;
  const description = h('textarea', { rows: 6, maxlength: 4000 }) as HTMLTextAreaElement;
  const q = route.query;
  if (q.get('area')) {
    area.value = q.get('area')!;
    area.dispatchEvent(new Event('change'));
    subArea.value = q.get('subArea') ?? '';
  }
  if (q.get('kind')) kind.value = q.get('kind')!;
  value.value = q.get('value') ?? '';
  const idempotencyKey = crypto.randomUUID(); // a resend of this form creates one request
  const form = new Form(
    async () => {
      const { data } = await api.POST('/v1/service-requests', {
        headers: { 'Idempotency-Key': idempotencyKey },
        // what the user left empty is left out: the API names every missing field at once (G-1)
        body: {
          area: orAbsent(area.value),
          subArea: orAbsent(subArea.value),
          reference: { kind: orAbsent(kind.value), value: orAbsent(value.value.trim()) },
          description: orAbsent(description.value),
        } as never,
      });
      go(`#/sr/${encodeURIComponent(data!.number)}`);
    },
    { label: t('newServiceRequest') },
  );
  form.add(
    form.field('body.area', t('area'), area),
    areaHelp,
    form.field('body.subArea', t('subArea'), subArea),
    h('div', { class: 'row' }, form.field('body.reference.kind', t('referenceKind'), kind), form.field('body.reference.value', t('referenceValue'), value)),
    form.field('body.description', t('description'), description, t('descriptionHelp')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('create')), h('a', { class: 'button', href: '#/sr' }, t('cancel'))),
  );
  return h('section', {}, pageTitle(t('newServiceRequest')), form.el);
}

export async function srDetailView(route: Route): Promise<HTMLElement> {
  const number = route.path[1]!;
  const [{ data }] = await Promise.all([api.GET('/v1/service-requests/{number}', { params: { path: { number } } }), loadStatusTexts()]);
  const sr = data!;
  return h(
    'section',
    {},
    pageTitle(`${sr.number}`, apiStatusBadge('service_request', sr.status)),
    definitionList([
      [t('status'), apiStatusBadge('service_request', sr.status)],
      [t('area'), `${areaLabel(sr.area)} · ${sr.subArea}`],
      [t('department'), departmentLabel(sr.department)],
      [t('referenceValue'), h('span', { class: 'wrap' }, `${referenceKindLabel(sr.reference.kind)}: ${sr.reference.value}`)],
      ...(isHandler(currentUser()) ? ([[t('company'), sr.companyId]] as Array<[string, string]>) : []),
      [t('description'), h('p', { class: 'text' }, sr.description)],
      ...(sr.missingInformation ? ([[t('missingInformation'), h('p', { class: 'text attention' }, sr.missingInformation)]] as Array<[string, HTMLElement]>) : []),
      ...(sr.answer ? ([[t('answer'), h('p', { class: 'text' }, sr.answer.text)]] as Array<[string, HTMLElement]>) : []),
      ...(sr.resolution ? ([[t('resolution'), h('p', { class: 'text' }, sr.resolution)]] as Array<[string, HTMLElement]>) : []),
      [t('handler'), sr.handler ?? '–'],
      [t('created'), when(sr.createdAt)],
      [t('updated'), when(sr.updatedAt)],
    ]),
    actions(sr),
    await srAttachments(sr.number, sr.allowedActions.includes('update')),
    h('h2', {}, t('activity')),
    table(
      t('activity'),
      [t('updated'), t('by'), t('status'), t('comment')],
      [...sr.activity].reverse().map((a) => [when(a.at), a.by, a.fromStatus ? `${a.fromStatus} → ${a.toStatus}` : a.toStatus, h('span', { class: 'wrap' }, a.text ?? '')]),
    ),
    h('p', {}, link('#/sr', `← ${t('back')}`)),
  );
}

/** Only what the API says this user may do now (allowedActions, S-7): a read-only user gets no buttons. */
function actions(sr: Sr): HTMLElement | null {
  const allowed = new Set(sr.allowedActions);
  const path = { params: { path: { number: sr.number } } };
  const again = () => go(`#/sr/${encodeURIComponent(sr.number)}`);
  const parts: HTMLElement[] = [];
  const button = (label: string, run: () => Promise<unknown>, cls = '') => {
    const form = new Form(
      async () => {
        await run();
        again();
      },
      { label },
    );
    form.add(h('button', { type: 'submit', class: cls }, label));
    form.el.classList.add('inline');
    return form.el;
  };
  const textForm = (label: string, fieldLabel: string, path2: string, run: (text: string) => Promise<unknown>, initial = '', help?: string) => {
    const text = h('textarea', { rows: 4, maxlength: 4000, value: initial }) as HTMLTextAreaElement;
    const form = new Form(
      async () => {
        await run(text.value);
        again();
      },
      { label },
    );
    form.add(form.field(path2, fieldLabel, text, help), h('button', { type: 'submit', class: 'primary' }, label));
    return h('div', { class: 'action-box' }, form.el);
  };

  if (sr.status === 'Incomplete' && allowed.has('update') && allowed.has('submit')) {
    // the deck (slide 93): add what is missing, then Submit again
    parts.push(
      textForm(
        t('customerUpdate'),
        t('description'),
        'body.description',
        async (text) => {
          await api.POST('/v1/service-requests/{number}/update', { ...path, body: { description: text } });
          await api.POST('/v1/service-requests/{number}/submit', path);
        },
        sr.description,
        t('customerUpdateHelp'),
      ),
    );
  } else if (allowed.has('submit')) parts.push(button(t('submit'), () => api.POST('/v1/service-requests/{number}/submit', path), 'primary'));
  if (allowed.has('take')) parts.push(button(t('take'), () => api.POST('/v1/handler/service-requests/{number}/take', path), 'primary'));
  if (allowed.has('requestInfo'))
    parts.push(textForm(t('requestInfo'), t('requestInfoText'), 'body.text', (text) => api.POST('/v1/handler/service-requests/{number}/request-info', { ...path, body: { text } })));
  if (allowed.has('complete')) parts.push(textForm(t('complete'), t('completeText'), 'body.text', (text) => api.POST('/v1/handler/service-requests/{number}/complete', { ...path, body: { text } })));
  if (allowed.has('cancelByOperator'))
    parts.push(textForm(t('cancelByOperator'), t('cancelReason'), 'body.text', (text) => api.POST('/v1/handler/service-requests/{number}/cancel', { ...path, body: { text } })));
  if (allowed.has('close')) parts.push(button(t('close'), () => api.POST('/v1/service-requests/{number}/close', path)));
  if (allowed.has('cancel')) parts.push(button(t('cancelSr'), () => api.POST('/v1/service-requests/{number}/cancel', { ...path, body: {} })));
  return parts.length ? h('div', { class: 'actions-panel' }, ...parts) : null;
}
