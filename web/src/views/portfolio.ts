// The company's portfolio (M-1): its delivered products, searchable, and one product with the cases
// that concern it and what the user may start from it (terminate, T-1; a service request).
import { h } from '../dom';
import { t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api } from '../session';
import { apiStatusBadge, loadStatusTexts, type StatusScope } from '../statuses';
import { definitionList, link, pager, pageTitle, table, when } from '../ui';
import '../orders.css';

/** Where a related case opens in the app, by its case type. */
export function caseHref(caseType: string, number: string): string | null {
  const n = encodeURIComponent(number);
  if (caseType === 'order') return `#/orders/${n}`;
  if (caseType === 'order_line') return `#/orders/${encodeURIComponent(number.split(':')[0] ?? number)}`;
  if (caseType === 'service_request') return `#/sr/${n}`;
  if (caseType === 'termination') return `#/terminations/${n}`;
  if (caseType === 'switch_isp') return `#/switch-isp/${n}`;
  return null;
}

const SCOPES: readonly string[] = ['order', 'order_line', 'quote', 'quote_line', 'service_request', 'switch_isp', 'termination', 'trouble_ticket'];

export async function portfolioListView(route: Route): Promise<HTMLElement> {
  const q = route.query.get('q') ?? '';
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const { data } = await api.GET('/v1/portfolio', { params: { query: { ...(q ? { q } : {}), offset, limit: 25, status: 'active' } } });
  const page = data!;
  const search = h('input', { type: 'search', id: 'portfolio-q', value: q, maxlength: 100 }) as HTMLInputElement;
  const form = h('form', { role: 'search', class: 'filters' }, h('label', { for: search.id }, t('portfolioSearch')), search, h('button', { type: 'submit' }, t('search')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go(search.value.trim() ? `#/portfolio?q=${encodeURIComponent(search.value.trim())}` : '#/portfolio');
  });
  return h(
    'section',
    {},
    pageTitle(t('portfolio')),
    form,
    table(
      t('portfolio'),
      [t('portfolioNumber'), t('product'), t('address'), t('endUser'), t('portfolioSince')],
      page.items.map((e) => [
        link(`#/portfolio/${encodeURIComponent(e.number)}`, e.number),
        `${e.productName}${e.speedMbps ? ` ${e.speedMbps} Mbit/s` : ''}`,
        h('span', { class: 'wrap address' }, e.address.label),
        h('span', { class: 'wrap' }, e.endUser.name),
        e.startDate,
      ]),
    ),
    pager(page, (o) => go(`#/portfolio?${new URLSearchParams({ ...(q ? { q } : {}), offset: String(o) })}`)),
  );
}

export async function portfolioDetailView(route: Route): Promise<HTMLElement> {
  const number = route.path[1]!;
  const [{ data }] = await Promise.all([api.GET('/v1/portfolio/{number}', { params: { path: { number } } }), loadStatusTexts()]);
  const p = data!;
  const e = p.entry;
  const actions = [
    p.actions.includes('terminate') ? h('a', { class: 'button primary', href: `#/terminations/new?number=${encodeURIComponent(e.number)}` }, t('terminate')) : null,
    p.actions.includes('serviceRequest') ? h('a', { class: 'button', href: '#/sr/new' }, t('newServiceRequest')) : null,
  ];
  return h(
    'section',
    {},
    pageTitle(`${e.productName} ${e.number}`, ...actions),
    definitionList([
      [t('portfolioNumber'), e.number],
      [t('product'), `${e.productName} (${e.productCode})${e.speedMbps ? `, ${e.speedMbps} Mbit/s` : ''}`],
      [t('portfolioAccessType'), e.accessType ?? '–'],
      [t('address'), h('span', { class: 'wrap' }, e.address.label)],
      [t('endUser'), h('span', { class: 'wrap' }, e.endUser.kind === 'company' ? `${e.endUser.name} (${e.endUser.orgNumber ?? ''})` : e.endUser.name)],
      [t('portfolioSince'), e.startDate],
      [t('portfolioEnded'), e.endDate ?? '–'],
      [t('terminationRunOut'), p.noticeDays === null ? '–' : t('days', { n: p.noticeDays })],
    ]),
    h('h2', {}, t('portfolioCases')),
    table(
      t('portfolioCases'),
      [t('number'), t('status'), t('title'), t('updated')],
      p.cases.map((c) => {
        const href = caseHref(c.caseType, c.number);
        return [
          href ? link(href, c.number) : c.number,
          SCOPES.includes(c.caseType) ? apiStatusBadge(c.caseType as StatusScope, c.status) : c.status,
          h('span', { class: 'wrap' }, c.title),
          when(c.updatedAt),
        ];
      }),
    ),
    h('p', {}, link('#/portfolio', `← ${t('back')}`)),
  );
}
