// The handler's pages for the cases the inbox holds besides order lines and quotes (A-2): a switch-ISP
// or termination order (O-14, O-15: In Progress, Incomplete, Rejected, the delivery steps the API offers
// in allowedNextSteps, and for a termination Cancelled (A)), a trouble ticket (M-2.6: take, ask for
// information, resolve with cause and resolution), a service request's handler tools (S-4 re-routing,
// notes, assignment), and a Project order's bulk step (O-9). Each page offers only what the API's
// allowedActions allow, and each has the case's notes and assignment (handler-tools.ts).
import { h } from '../dom';
import { Form } from '../form';
import { areaLabel, t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api } from '../session';
import { definitionList, link, pageTitle, select } from '../ui';
import { caseTools, rerouteBox } from './handler-tools';
import { actionBox, actionButton, activityTable, caseBadge, statusLabel, statusTexts, stepForms, textAction } from './workbench-kit';

type Activity = Array<{ at: string; by: string; fromStatus: string | null; toStatus: string; text?: string }>;
interface PortfolioOrder {
  number: string;
  companyId: string;
  status: string;
  customerOrderId?: string | null;
  agreedDate?: string | null;
  installationDate?: string | null;
  requestedDate?: string | null;
  statusDescription?: string | null;
  comment?: string | null;
  assignee?: string | null;
  allowedActions: string[];
  allowedNextSteps?: string[];
  activity: Activity;
}

const here = (kind: string, number: string) => () => go(`#/handler/${kind}/${encodeURIComponent(number)}`);

/** `#/handler/switch/<SW-…>` and `#/handler/termination/<TRM-…>`: a switch-ISP or termination order. */
function portfolioOrderView(kind: 'switch' | 'termination') {
  return async (route: Route): Promise<HTMLElement> => {
    const number = route.path[2] ?? '';
    const p = { params: { path: { number } } };
    const scope = kind === 'switch' ? 'switch_isp' : 'termination';
    const [order, texts] = await Promise.all([
      (kind === 'switch' ? api.GET('/v1/switch-isp/{number}', p) : api.GET('/v1/terminations/{number}', p)).then(({ data }) => data as unknown as PortfolioOrder),
      statusTexts(),
    ]);
    const done = here(kind, number);
    const allowed = new Set(order.allowedActions);
    const base = kind === 'switch' ? ('/v1/handler/switch-isp/{number}' as const) : ('/v1/handler/terminations/{number}' as const);
    const steps = stepForms(
      texts,
      scope,
      order.allowedNextSteps ?? [],
      (to, installationDate) => api.POST(`${base}/advance`, { ...p, body: { to, ...(installationDate ? { installationDate } : {}) } }),
      done,
    );
    const text = (action: string, title: string, label: string, field: 'comment' | 'statusDescription', run: (v: string) => Promise<unknown>) =>
      textAction(allowed, action, title, label, field, run, done);
    const title = kind === 'switch' ? t('caseTypeLabel_switch_isp') : t('caseTypeLabel_termination');
    return h(
      'section',
      {},
      pageTitle(`${title} ${order.number}`, caseBadge(texts, scope, order.status)),
      definitionList([
        [t('status'), caseBadge(texts, scope, order.status)],
        [t('company'), order.companyId],
        [t('customerOrderId'), order.customerOrderId ?? '–'],
        [t('requestedDate'), order.requestedDate ?? '–'],
        [t('agreedDate'), order.agreedDate ?? '–'],
        [t('installationDate'), order.installationDate ?? '–'],
        [t('statusDescription'), h('span', { class: 'wrap' }, order.statusDescription ?? '–')],
        [t('comment'), h('span', { class: 'wrap' }, order.comment ?? '–')],
      ]),
      h('h2', {}, t('lineSteps')),
      h('p', { class: 'help' }, t('portfolioStepsHelp')),
      steps.length ? h('div', { class: 'steps' }, ...steps) : h('p', {}, t('noNextStepCase')),
      h(
        'div',
        { class: 'actions-panel action-grid' },
        allowed.has('inProgress') ? actionButton(t('lineInProgress'), () => api.POST(`${base}/in-progress`, { ...p, body: {} }), done, 'primary') : null,
        text('incomplete', t('lineIncomplete'), t('requestInfoText'), 'comment', (comment) => api.POST(`${base}/incomplete`, { ...p, body: { comment } })),
        text('reject', t('lineReject'), t('lineRejectText'), 'statusDescription', (statusDescription) => api.POST(`${base}/reject`, { ...p, body: { statusDescription } })),
        // a termination is cancelled by the wholesaler with the reason; a switch only from the customer's SR (I-7)
        kind === 'termination'
          ? text('cancelByOperator', t('caseCancelByOperator'), t('cancelReason'), 'comment', (comment) => api.POST('/v1/handler/terminations/{number}/cancel', { ...p, body: { comment } }))
          : null,
      ),
      await caseTools(order.number, order.assignee ?? null, order.allowedActions.length > 0, done),
      h('h2', {}, t('activity')),
      activityTable(order.activity),
      h('p', {}, link('#/handler', `← ${t('inbox')}`)),
    );
  };
}

/** `#/handler/ticket/<TT-…>`: a trouble ticket at the fault desk (M-2.6). */
async function ticketView(route: Route): Promise<HTMLElement> {
  const number = route.path[2] ?? '';
  const p = { params: { path: { number } } };
  const [{ data }, texts] = await Promise.all([api.GET('/v1/trouble-tickets/{number}', p), statusTexts()]);
  const tt = data!;
  const done = here('ticket', number);
  const allowed = new Set<string>(tt.allowedActions);
  const cause = h('input', { type: 'text', maxlength: 500, autocomplete: 'off' }) as HTMLInputElement;
  const resolution = h('textarea', { rows: 3, maxlength: 4000 }) as HTMLTextAreaElement;
  const resolve = new Form(
    async () => {
      await api.POST('/v1/handler/trouble-tickets/{number}/resolve', {
        ...p,
        body: { cause: (cause.value.trim() || undefined) as string, resolution: (resolution.value.trim() || undefined) as string },
      });
      done();
    },
    { label: t('ttResolve') },
  );
  return h(
    'section',
    {},
    pageTitle(`${t('caseTypeLabel_trouble_ticket')} ${tt.number}`, caseBadge(texts, 'trouble_ticket', tt.status)),
    definitionList([
      [t('status'), caseBadge(texts, 'trouble_ticket', tt.status)],
      [t('company'), tt.companyId],
      [t('product'), `${tt.product.productCode} · ${tt.product.productNumber}`],
      [t('ttSymptom'), h('span', { class: 'wrap' }, tt.symptom)],
      [t('ttCategorySeverity'), `${tt.category} · ${tt.severity}`],
      [t('missingInformation'), h('span', { class: 'wrap' }, tt.missingInformation ?? '–')],
      [t('resolution'), tt.resolution ? h('span', { class: 'wrap' }, `${tt.resolution.cause}: ${tt.resolution.text}`) : '–'],
      [t('handler'), tt.handler ?? '–'],
    ]),
    h(
      'div',
      { class: 'actions-panel action-grid' },
      allowed.has('take') ? actionButton(t('ttTake'), () => api.POST('/v1/handler/trouble-tickets/{number}/take', p), done, 'primary') : null,
      textAction(allowed, 'requestInfo', t('ttRequestInfo'), t('requestInfoText'), 'text', (text) => api.POST('/v1/handler/trouble-tickets/{number}/request-info', { ...p, body: { text } }), done),
      allowed.has('resolve')
        ? actionBox(
            t('ttResolve'),
            resolve,
            resolve.field('body.cause', t('ttCause'), cause),
            resolve.field('body.resolution', t('ttWhatWasDone'), resolution),
            h('button', { type: 'submit' }, t('ttResolve')),
          )
        : null,
    ),
    // a ticket is the handler's who took it (M-2.6): no assignment of its own, only the notes
    await caseTools(tt.number, tt.handler, false, done),
    h('h2', {}, t('activity')),
    activityTable(tt.activity),
    h('p', {}, link('#/handler', `← ${t('inbox')}`)),
  );
}

/** `#/handler/case/<SR-…>`: a service request's handler tools — re-route (S-4), assignment, notes; its own page has the answer. */
async function srToolsView(route: Route): Promise<HTMLElement> {
  const number = route.path[2] ?? '';
  const [{ data }, texts] = await Promise.all([api.GET('/v1/service-requests/{number}', { params: { path: { number } } }), statusTexts()]);
  const sr = data!;
  const done = here('case', number);
  const open = ['New', 'Submitted', 'In Process', 'Incomplete'].includes(sr.status);
  return h(
    'section',
    {},
    pageTitle(`${t('caseTypeLabel_service_request')} ${sr.number}`, caseBadge(texts, 'service_request', sr.status)),
    definitionList([
      [t('status'), caseBadge(texts, 'service_request', sr.status)],
      [t('company'), sr.companyId],
      [t('area'), `${areaLabel(sr.area)} / ${sr.subArea}`],
      [t('queue'), sr.department],
      [t('serviceRequests'), link(`#/sr/${encodeURIComponent(sr.number)}`, t('srOpenAnswer'))],
    ]),
    await caseTools(sr.number, sr.handler ?? null, open, done, open ? await rerouteBox(sr, done) : null),
    h('p', {}, link('#/handler', `← ${t('inbox')}`)),
  );
}

/** `#/handler/order/<ORD-…>`: a Project order's lines, with one step on the chosen lines (O-9); each line answers for itself. */
async function orderBulkView(route: Route): Promise<HTMLElement> {
  const number = route.path[2] ?? '';
  const [{ data }, texts] = await Promise.all([api.GET('/v1/orders/{number}', { params: { path: { number } } }), statusTexts()]);
  const order = data!;
  const lines = order.lines.filter((l) => l.delivery);
  const boxes = lines.map((l) => {
    const box = h('input', { type: 'checkbox', value: String(l.lineNo), checked: true }) as HTMLInputElement;
    return {
      lineNo: l.lineNo,
      box,
      row: h(
        'li',
        {},
        h('label', {}, box, `${t('line')} ${l.lineNo} `, caseBadge(texts, 'order_line', l.status), ' ', link(`#/handler/line/${encodeURIComponent(`${number}:${l.lineNo}`)}`, t('bulkOpenLine'))),
      ),
    };
  });
  const STEPS = ['Ordered', 'Design', 'Ready', 'Field Service', 'Test', 'Delivery', 'Finished', 'Closed'] as const;
  const action = select([
    ['advance', t('bulkAdvance')],
    ['changeDates', t('bulkChangeDates')],
  ]);
  const to = select(
    STEPS.map((s) => [s, statusLabel(texts, 'order_line', s)]),
    '',
    t('choose'),
  );
  const installationDate = h('input', { type: 'date' }) as HTMLInputElement;
  const agreedDate = h('input', { type: 'date' }) as HTMLInputElement;
  const reason = h('textarea', { rows: 2, maxlength: 2000 }) as HTMLTextAreaElement;
  const outcome = h('div', { role: 'status', class: 'bulk-outcome' });
  const form = new Form(
    async (f) => {
      const chosen = boxes.filter((b) => b.box.checked).map((b) => b.lineNo);
      if (chosen.length === 0) return f.showSummary(t('chooseAtLeastOne'));
      const opt = (input: HTMLInputElement | HTMLTextAreaElement) => input.value.trim() || undefined;
      const { data: answer } = await api.POST('/v1/handler/orders/{number}/bulk', {
        params: { path: { number } },
        headers: { 'Idempotency-Key': crypto.randomUUID() },
        body: {
          action: action.value as 'advance' | 'changeDates',
          lineNos: chosen,
          ...(action.value === 'advance' ? { to: (to.value || undefined) as (typeof STEPS)[number], installationDate: opt(installationDate) } : { agreedDate: opt(agreedDate) }),
          reason: opt(reason),
        },
      });
      outcome.replaceChildren(
        h('h3', {}, t('bulkOutcome')),
        h(
          'ul',
          { class: 'bulk-lines' },
          (answer?.lines ?? []).map((o) =>
            h(
              'li',
              { 'data-line': o.lineNo, 'data-ok': String(o.ok) },
              `${t('line')} ${o.lineNo}: `,
              o.ok ? t('bulkLineDone', { status: statusLabel(texts, 'order_line', o.status) }) : t('bulkLineRefused', { why: o.problem?.detail ?? o.problem?.code ?? '', rule: o.problem?.rule ?? '' }),
            ),
          ),
        ),
        h('p', {}, h('button', { type: 'button', onclick: () => go(`#/handler/order/${encodeURIComponent(number)}?t=${Date.now()}`) }, t('bulkReload'))),
      );
    },
    { label: t('bulkTitle') },
  );
  form.add(
    h(
      'fieldset',
      {},
      h('legend', {}, t('bulkLines')),
      h(
        'ul',
        { class: 'checks' },
        boxes.map((b) => b.row),
      ),
    ),
    form.field('body.action', t('bulkAction'), action),
    form.field('body.to', t('bulkStep'), to),
    form.field('body.installationDate', t('installationDate'), installationDate, t('installationDateHelp')),
    form.field('body.agreedDate', t('agreedDate'), agreedDate),
    form.field('body.reason', t('dateReason'), reason, t('bulkReasonHelp')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('bulkRun'))),
  );
  return h(
    'section',
    {},
    pageTitle(`${t('order')} ${order.number}`, caseBadge(texts, 'order', order.status)),
    definitionList([
      [t('orderType'), order.orderType],
      [t('company'), String((order as { companyId?: string }).companyId ?? '–')],
    ]),
    order.orderType === 'Project' && lines.length > 0 ? [h('h2', {}, t('bulkTitle')), h('p', { class: 'help' }, t('bulkHelp')), form.el, outcome] : h('p', {}, t('bulkProjectOnly')),
    h('p', {}, link('#/handler', `← ${t('inbox')}`)),
  );
}

/** The handler's case pages by the second part of `#/handler/<kind>/<number>`. */
export const HANDLER_CASE_VIEWS: Record<string, (route: Route) => Promise<HTMLElement>> = {
  switch: portfolioOrderView('switch'),
  termination: portfolioOrderView('termination'),
  ticket: ticketView,
  case: srToolsView,
  order: orderBulkView,
};
