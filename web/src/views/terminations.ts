// Terminations (T-1…T-3): of one portfolio product or the whole subscription, on a date from today
// (T-2); the product's run-out (T-3: how long the subscription lasts after termination) is shown
// before the user submits, from GET /v1/terminations/earliest-date. Registered at once (Customer Order Id).
import { h } from '../dom';
import { Form } from '../form';
import { t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api, canOrder, currentUser, SambandProblem } from '../session';
import { apiStatusBadge, loadStatusTexts } from '../statuses';
import { definitionList, link, pager, pageTitle, select, table, when } from '../ui';
import { portfolioOrderActions } from './portfolio-order-actions';
import { portfolioCaseActivity } from './switch-isp';
import { inBokmal } from '../portfolio-messages';

export async function terminationListView(route: Route): Promise<HTMLElement> {
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const [{ data }] = await Promise.all([api.GET('/v1/terminations', { params: { query: { offset, limit: 25 } } }), loadStatusTexts()]);
  const page = data!;
  return h(
    'section',
    {},
    pageTitle(t('terminations'), canOrder(currentUser()) ? h('a', { class: 'button primary', href: '#/terminations/new' }, t('terminationNew')) : null),
    table(
      t('terminations'),
      [t('number'), t('status'), t('title'), t('requestedDate'), t('updated')],
      page.items.map((x) => [
        link(`#/terminations/${encodeURIComponent(x.number)}`, x.number),
        apiStatusBadge('termination', x.status),
        h('span', { class: 'wrap' }, x.title),
        x.requestedDate,
        when(x.updatedAt),
      ]),
    ),
    pager(page, (o) => go(`#/terminations?offset=${o}`)),
  );
}

export async function terminationNewView(route: Route): Promise<HTMLElement> {
  const number = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: 20, value: route.query.get('number') ?? '' }) as HTMLInputElement;
  const scope = select(
    [
      ['product', t('terminationScopeProduct')],
      ['subscription', t('terminationScopeSubscription')],
    ],
    'product',
  );
  const date = h('input', { type: 'date' }) as HTMLInputElement;
  const reason = h('textarea', { rows: 3, maxlength: 2000 }) as HTMLTextAreaElement;
  const reference = h('input', { type: 'text', maxlength: 100 }) as HTMLInputElement;
  const facts = h('p', { class: 'help', role: 'status', 'aria-live': 'polite' });
  const idempotencyKey = crypto.randomUUID();
  // T-2 / T-3: the earliest date and how long the subscription lasts, for the number given
  const lookUp = async () => {
    const n = number.value.trim();
    if (!n) return;
    try {
      const { data } = await api.GET('/v1/terminations/earliest-date', { params: { query: { number: n } } });
      if (!data) return;
      date.min = data.earliestDate;
      if (!date.value) date.value = data.earliestDate;
      facts.textContent = t('terminationFacts', { earliest: data.earliestDate, days: data.noticeDays, until: data.lastsUntil, product: data.productCode });
    } catch (err) {
      facts.textContent = err instanceof SambandProblem && err.status === 404 ? t('terminationNotInPortfolio', { number: n }) : '';
    }
  };
  number.addEventListener('change', () => void lookUp());
  const form = new Form(
    async () => {
      const { data } = await api
        .POST('/v1/terminations', {
          headers: { 'Idempotency-Key': idempotencyKey },
          body: {
            number: number.value.trim(),
            requestedDate: date.value,
            scope: scope.value as 'product' | 'subscription',
            ...(reason.value.trim() ? { reason: reason.value.trim() } : {}),
            ...(reference.value.trim() ? { customerReference: reference.value.trim() } : {}),
          },
        })
        .catch((err: unknown) => {
          throw inBokmal(err);
        });
      go(`#/terminations/${encodeURIComponent(data!.number)}`);
    },
    { label: t('terminationNew') },
  );
  form.add(
    h('p', { class: 'help' }, t('terminationHelp')),
    h('div', { class: 'row' }, form.field('body.number', t('portfolioNumber'), number), form.field('body.scope', t('terminationScope'), scope)),
    form.field('body.requestedDate', t('terminationDate'), date),
    facts,
    form.field('body.reason', t('terminationReason'), reason),
    form.field('body.customerReference', t('customerOrderRef'), reference),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('terminationSubmit')), h('a', { class: 'button', href: '#/terminations' }, t('cancel'))),
  );
  await lookUp();
  return h('section', {}, pageTitle(t('terminationNew')), form.el);
}

export async function terminationDetailView(route: Route): Promise<HTMLElement> {
  const number = route.path[1]!;
  const [{ data }] = await Promise.all([api.GET('/v1/terminations/{number}', { params: { path: { number } } }), loadStatusTexts()]);
  const x = data!;
  const again = () => go(`#/terminations/${encodeURIComponent(number)}`);
  const actions: HTMLElement[] = [];
  if (x.allowedActions.includes('withdraw')) {
    const form = new Form(
      async () => {
        await api.POST('/v1/terminations/{number}/withdraw', { params: { path: { number } }, body: {} });
        again();
      },
      { label: t('terminationWithdraw') },
    );
    form.add(h('button', { type: 'submit' }, t('terminationWithdraw')));
    form.el.classList.add('inline');
    actions.push(form.el);
  }
  return h(
    'section',
    {},
    pageTitle(`${t('termination')} ${x.number}`, apiStatusBadge('termination', x.status)),
    definitionList([
      [t('status'), apiStatusBadge('termination', x.status)],
      [t('portfolioNumber'), x.terminatedNumber],
      [t('terminationScope'), x.scope === 'product' ? t('terminationScopeProduct') : t('terminationScopeSubscription')],
      [t('address'), h('span', { class: 'wrap' }, x.address.label)],
      [t('endUser'), h('span', { class: 'wrap' }, x.endUserName)],
      [t('terminationDate'), x.requestedDate],
      [t('agreedDate'), x.agreedDate ?? '–'],
      [t('customerOrderId'), x.customerOrderId ?? '–'],
      [t('terminationLastsUntil'), x.lastsUntil ?? '–'],
      [t('statusDescription'), h('span', { class: 'wrap' }, [x.statusDescription, x.comment].filter(Boolean).join(' — ') || '–')],
    ]),
    h('h2', {}, t('terminationProducts')),
    table(
      t('terminationProducts'),
      [t('portfolioNumber'), t('product'), t('terminationRunOut'), t('terminationLastsUntil')],
      x.products.map((p) => [p.number, p.productName, t('days', { n: p.runOutDays ?? p.noticeDays }), p.lastsUntil ?? '–']),
    ),
    actions.length ? h('div', { class: 'actions-panel' }, ...actions) : null,
    portfolioOrderActions('terminations', { number: x.number, requestedDate: x.requestedDate, allowedActions: x.allowedActions }),
    portfolioCaseActivity(x.activity, 'termination'),
    h('p', {}, link('#/terminations', `← ${t('back')}`)),
  );
}
