// The handler's workbench (A-2, S-4, O-14, O-15): one inbox over every case waiting for the wholesaler
// (GET /v1/handler/inbox), filtered by queue, case type, status, product, age and assignee, with the count
// per queue; taking and releasing a case; an order line's page with only the next steps the API offers
// (allowedNextSteps) and the other manual steps its allowedActions allow. Service requests and quotes
// open on their own pages, which show the handler's buttons there.
import type { components } from '../../../client';
import { h } from '../dom';
import { Form } from '../form';
import { departmentLabel, t, type Key } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api, currentUser } from '../session';
import { definitionList, link, pager, pageTitle, select, table, when } from '../ui';
import { caseTools, assignment, lineDatesBox } from './handler-tools';
import { actionButton, activityTable, caseBadge, scopeOf, statusTexts, stepForms, textAction } from './workbench-kit';

type InboxItem = components['schemas']['InboxItem'];

/** The SR department queues with the number waiting (S-4), as on the handler's home page. */
export async function queueList(current?: string): Promise<HTMLElement> {
  const { data } = await api.GET('/v1/handler/queues');
  return h(
    'ul',
    { class: 'queues' },
    data!.queues.map((q) =>
      h(
        'li',
        {},
        h('a', { href: `#/handler?queue=${encodeURIComponent(q.department)}`, 'aria-current': q.department === current ? 'page' : null }, departmentLabel(q.department)),
        ' ',
        h('span', { class: 'count' }, `${q.waiting} ${t('waiting')}`),
      ),
    ),
  );
}

const CASE_TYPES = ['service_request', 'quote', 'order_line', 'switch_isp', 'termination', 'trouble_ticket'] as const;
const caseTypeLabel = (type: string) => ((CASE_TYPES as readonly string[]).includes(type) ? t(`caseTypeLabel_${type}` as Key) : type);
const queueLabel = (queue: string) => (queue === 'order-handling' ? t('queueOrderHandling') : departmentLabel(queue));

/** Where a case of the inbox opens: the pages the app has for its type. */
function caseHref(item: Pick<InboxItem, 'caseType' | 'number'>): string | null {
  const n = encodeURIComponent(item.number);
  if (item.caseType === 'service_request') return `#/sr/${n}`;
  if (item.caseType === 'quote') return `#/quotes/${n}`;
  if (item.caseType === 'order_line') return `#/handler/line/${n}`;
  if (item.caseType === 'switch_isp') return `#/handler/switch/${n}`;
  if (item.caseType === 'termination') return `#/handler/termination/${n}`;
  if (item.caseType === 'trouble_ticket') return `#/handler/ticket/${n}`;
  return null;
}

const FILTERS = ['q', 'queue', 'caseType', 'status', 'productCode', 'minAgeDays', 'maxAgeDays', 'assignee'] as const;

/** `#/handler` (and the older `#/handler/<department>`): the inbox. */
export async function queueView(route: Route): Promise<HTMLElement> {
  const q = new URLSearchParams(route.query);
  if (route.path[1] && !q.get('queue')) q.set('queue', route.path[1]);
  const offset = Number(q.get('offset') ?? 0) || 0;
  const query: Record<string, string | number> = { offset, limit: 50 };
  for (const f of FILTERS) {
    const v = q.get(f);
    if (v) query[f] = f === 'minAgeDays' || f === 'maxAgeDays' ? Number(v) : v;
  }
  const [{ data }, texts, products] = await Promise.all([
    api.GET('/v1/handler/inbox', { params: { query: query as never } }),
    statusTexts(),
    api.GET('/v1/reference/products').then((r) => r.data?.items ?? []),
  ]);
  const page = data!;
  const me = currentUser()?.username;
  const href = (params: Record<string, string>) => {
    const next = new URLSearchParams(params);
    return next.toString() ? `#/handler?${next}` : '#/handler';
  };
  const current = Object.fromEntries(FILTERS.map((f) => [f, q.get(f) ?? '']).filter(([, v]) => v !== '')) as Record<string, string>;
  const { queue: _queue, ...withoutQueue } = current;

  const side = h(
    'nav',
    { class: 'side', 'aria-label': t('queues') },
    h('h2', {}, t('queues')),
    h(
      'ul',
      { class: 'queues' },
      h(
        'li',
        {},
        h('a', { href: href(withoutQueue), 'aria-current': !current.queue ? 'page' : null }, t('allQueues')),
        ' ',
        h('span', { class: 'count' }, `${page.queues.reduce((n, x) => n + x.waiting, 0)}`),
      ),
      page.queues.map((x) =>
        h(
          'li',
          {},
          h('a', { href: href({ ...withoutQueue, queue: x.queue }), 'aria-current': x.queue === current.queue ? 'page' : null }, queueLabel(x.queue)),
          ' ',
          h('span', { class: 'count' }, `${x.waiting} ${t('waiting')}`),
        ),
      ),
    ),
  );

  return h(
    'section',
    { class: 'with-side' },
    side,
    h(
      'div',
      {},
      pageTitle(current.queue ? `${t('inbox')}: ${queueLabel(current.queue)}` : t('inbox')),
      h('p', { class: 'help' }, t('inboxHelp')),
      filterForm(current, page.queues, products, texts),
      h('p', { role: 'status' }, t('total', { n: page.total })),
      table(
        t('inbox'),
        [t('number'), t('status'), t('queue'), t('title'), `${t('company')} · ${t('product')}`, t('ageDays'), t('assignee')],
        page.items.map((item) => {
          const target = caseHref(item);
          return [
            h(
              'span',
              { class: 'nowrap' },
              target ? link(target, item.number) : item.number,
              h('br'),
              h('span', { class: 'help' }, caseTypeLabel(item.caseType)),
              // S-4: an SR's handler tools (re-routing, notes, assignment) are on a page of their own
              item.caseType === 'service_request'
                ? [h('br'), h('a', { href: `#/handler/case/${encodeURIComponent(item.number)}`, 'aria-label': `${item.number}: ${t('caseHandling')}` }, t('caseHandling'))]
                : null,
            ),
            caseBadge(texts, scopeOf(item.caseType), item.status),
            queueLabel(item.queue),
            h('span', { class: 'wrap' }, item.title, item.statusText ? h('span', { class: 'help' }, h('br'), item.statusText) : null),
            h('span', { class: 'wrap' }, item.companyId, h('br'), item.productCode ?? '–'),
            String(item.ageDays),
            h(
              'span',
              {},
              item.assignee ? (item.assignee === me ? t('me') : item.assignee) : '–',
              ' ',
              assignment(item.number, item.assignee, me, () => go(location.hash || '#/handler')),
            ),
          ];
        }),
      ),
      pager(page, (o) => go(href({ ...current, offset: String(o) }))),
    ),
  );
}

function filterForm(current: Record<string, string>, queues: Array<{ queue: string }>, products: Array<{ code: string; name: string }>, texts: Map<string, { status: string }>): HTMLElement {
  const queue = select(
    queues.map((x) => [x.queue, queueLabel(x.queue)]),
    current.queue ?? '',
    t('allQueues'),
  );
  if (current.queue && !queues.some((x) => x.queue === current.queue)) queue.append(h('option', { value: current.queue }, queueLabel(current.queue)));
  queue.value = current.queue ?? '';
  const caseType = select(
    CASE_TYPES.map((c) => [c, caseTypeLabel(c)]),
    current.caseType ?? '',
    t('allCaseTypes'),
  );
  const statuses = [...new Set([...texts.values()].map((s) => s.status))].sort();
  const status = select(
    statuses.map((s) => [s, s]),
    current.status ?? '',
    t('allStatuses'),
  );
  const product = select(
    products.map((p) => [p.code, `${p.name} (${p.code})`]),
    current.productCode ?? '',
    t('allProducts'),
  );
  const minAge = h('input', { type: 'number', min: 0, max: 3650, inputmode: 'numeric', value: current.minAgeDays ?? '' }) as HTMLInputElement;
  const maxAge = h('input', { type: 'number', min: 0, max: 3650, inputmode: 'numeric', value: current.maxAgeDays ?? '' }) as HTMLInputElement;
  const assignee = select(
    [
      ['me', t('me')],
      ['none', t('nobody')],
    ],
    current.assignee ?? '',
    t('anyone'),
  );
  const text = h('input', { type: 'search', autocomplete: 'off', maxlength: 100, value: current.q ?? '' }) as HTMLInputElement;
  const form = new Form(
    async () => {
      const values: Record<string, string> = {
        q: text.value.trim(),
        queue: queue.value,
        caseType: caseType.value,
        status: status.value,
        productCode: product.value,
        minAgeDays: minAge.value,
        maxAgeDays: maxAge.value,
        assignee: assignee.value,
      };
      const params = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''));
      go(params.toString() ? `#/handler?${params}` : '#/handler');
    },
    { label: t('filterStatus') },
  );
  form.el.classList.add('inbox-filters');
  form.add(
    form.field('query.q', t('inboxSearch'), text),
    form.field('query.queue', t('queue'), queue),
    form.field('query.caseType', t('caseType'), caseType),
    form.field('query.status', t('status'), status),
    form.field('query.productCode', t('product'), product),
    form.field('query.minAgeDays', t('minAge'), minAge),
    form.field('query.maxAgeDays', t('maxAge'), maxAge),
    form.field('query.assignee', t('assignee'), assignee),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('applyFilters')), h('a', { class: 'button', href: '#/handler' }, t('clearFilters'))),
  );
  return form.el;
}

// ---- an order line --------------------------------------------------------------------------------

interface LineDetail {
  number: string;
  orderNumber: string;
  companyId: string;
  status: string;
  statusCode: string | null;
  statusDescription: string | null;
  comment: string | null;
  customerOrderId: string | null;
  agreedDate: string | null;
  installationDate: string | null;
  requestedDate: string;
  productName: string;
  speedMbps: number | null;
  manualHandling: boolean;
  assignee?: string | null;
  allowedActions: string[];
  allowedNextSteps: string[];
  updatedAt: string;
  activity: Array<{ at: string; by: string; action: string; fromStatus: string | null; toStatus: string; text?: string }>;
}

export async function orderLineView(route: Route): Promise<HTMLElement> {
  const lineNumber = route.path[2] ?? '';
  const [orderNumber = '', lineNo = '0'] = lineNumber.split(':');
  const [{ data }, texts] = await Promise.all([api.GET('/v1/orders/{number}/lines/{lineNo}', { params: { path: { number: orderNumber, lineNo: Number(lineNo) } } }), statusTexts()]);
  const line = data as unknown as LineDetail;
  const done = () => go(`#/handler/line/${encodeURIComponent(line.number)}`);
  const path = { params: { path: { number: line.number } } };
  const allowed = new Set(line.allowedActions);
  // a line nobody can act on any more (Closed, Rejected, Cancelled) is nobody's work to take
  const lineOpen = line.allowedActions.length > 0;
  const tools = await caseTools(line.number, line.assignee ?? null, lineOpen, done);

  const steps = stepForms(
    texts,
    'order_line',
    line.allowedNextSteps,
    (to, installationDate) => api.POST('/v1/handler/order-lines/{number}/advance', { ...path, body: { to, ...(installationDate ? { installationDate } : {}) } }),
    done,
  );
  const text = (action: string, title: string, fieldLabel: string, field: 'comment' | 'statusDescription', run: (value: string) => Promise<unknown>) =>
    textAction(allowed, action, title, fieldLabel, field, run, done);

  return h(
    'section',
    {},
    pageTitle(`${t('orderLine1')} ${line.number}`, caseBadge(texts, 'order_line', line.status, line.statusCode)),
    definitionList([
      [t('status'), caseBadge(texts, 'order_line', line.status, line.statusCode)],
      [t('order'), h('span', {}, link(`#/orders/${encodeURIComponent(line.orderNumber)}`, line.orderNumber), ' · ', link(`#/handler/order/${encodeURIComponent(line.orderNumber)}`, t('bulkOpen')))],
      [t('company'), line.companyId],
      [t('product'), `${line.productName}${line.speedMbps !== null ? ` ${line.speedMbps} Mbit/s` : ''}`],
      [t('customerOrderId'), line.customerOrderId ?? '–'],
      [t('requestedDate'), line.requestedDate],
      [t('agreedDate'), line.agreedDate ?? '–'],
      [t('installationDate'), line.installationDate ?? '–'],
      [t('statusDescription'), h('span', { class: 'wrap' }, line.statusDescription ?? '–')],
      [t('comment'), h('span', { class: 'wrap' }, line.comment ?? '–')],
      [t('updated'), when(line.updatedAt)],
    ]),
    h('h2', {}, t('lineSteps')),
    h('p', { class: 'help' }, t('lineStepsHelp')),
    steps.length ? h('div', { class: 'steps' }, ...steps) : h('p', {}, t('noNextStep')),
    h(
      'div',
      { class: 'actions-panel action-grid' },
      allowed.has('inProgress') ? actionButton(t('lineInProgress'), () => api.POST('/v1/handler/order-lines/{number}/in-progress', { ...path, body: {} }), done, 'primary') : null,
      text('completeManualHandling', t('lineManualHandling'), t('lineManualHandlingText'), 'comment', (comment) =>
        api.POST('/v1/handler/order-lines/{number}/complete-manual-handling', { ...path, body: { comment } }),
      ),
      text('incomplete', t('lineIncomplete'), t('requestInfoText'), 'comment', (comment) => api.POST('/v1/handler/order-lines/{number}/incomplete', { ...path, body: { comment } })),
      text('reject', t('lineReject'), t('lineRejectText'), 'statusDescription', (statusDescription) => api.POST('/v1/handler/order-lines/{number}/reject', { ...path, body: { statusDescription } })),
      text('cancelByOperator', t('lineCancelByOperator'), t('cancelReason'), 'comment', (comment) => api.POST('/v1/handler/order-lines/{number}/cancel', { ...path, body: { comment } })),
    ),
    lineOpen ? h('div', { class: 'action-grid' }, lineDatesBox(line, done)) : null,
    tools,
    h('h2', {}, t('activity')),
    activityTable(line.activity),
    h('p', {}, link('#/handler', `← ${t('inbox')}`)),
  );
}
