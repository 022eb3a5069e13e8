// Pieces every view uses: tables, pages, links (status badges: statuses.ts).
import { type Child, h } from './dom';
import { formatDateTime, t } from './i18n';

export const link = (href: string, ...children: Child[]) => h('a', { href }, ...children);

/** A table of rows, or the sentence `empty` (by default "no cases") when there are none. */
export function table(caption: string, headers: string[], rows: Child[][], empty: string = t('none')): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'sr-only' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((x) => h('th', { scope: 'col' }, x)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            r.map((c) => h('td', {}, c)),
          ),
        ),
      ),
    ),
  );
}

export const when = (iso: string | null | undefined) => (iso ? h('time', { datetime: iso }, formatDateTime(iso)) : '–');

export function definitionList(items: Array<[string, Child]>): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    items.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '–')]),
  );
}

export function pageTitle(text: string, ...actions: Child[]): HTMLElement {
  return h('div', { class: 'page-title' }, h('h1', { tabindex: '-1' }, text), actions.length ? h('div', { class: 'actions' }, ...actions) : null);
}

export function pager(p: { offset: number; limit: number; total: number }, go: (offset: number) => void): HTMLElement | null {
  if (p.total <= p.limit && p.offset === 0) return null;
  const to = Math.min(p.offset + p.limit, p.total);
  return h(
    'nav',
    { class: 'pager', 'aria-label': t('page', { from: p.offset + 1, to, total: p.total }) },
    h('button', { type: 'button', disabled: p.offset === 0, onclick: () => go(Math.max(0, p.offset - p.limit)) }, t('prev')),
    h('span', {}, t('page', { from: p.total === 0 ? 0 : p.offset + 1, to, total: p.total })),
    h('button', { type: 'button', disabled: to >= p.total, onclick: () => go(p.offset + p.limit) }, t('next')),
  );
}

export function select(options: Array<[string, string]>, value = '', placeholder?: string): HTMLSelectElement {
  const el = h(
    'select',
    {},
    placeholder !== undefined ? h('option', { value: '' }, placeholder) : null,
    options.map(([v, label]) => h('option', { value: v }, label)),
  ) as HTMLSelectElement;
  // without a placeholder the first option stays chosen unless a value is given (an empty value would choose nothing)
  if (value || placeholder !== undefined) el.value = value;
  return el;
}
