// The handler's queues (S-4): every department with the number waiting, one queue's SRs oldest first.
import { h } from '../dom';
import { departmentLabel, t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api } from '../session';
import { pager, pageTitle } from '../ui';
import { srTable } from './service-requests';

export async function queueList(current?: string): Promise<HTMLElement> {
  const { data } = await api.GET('/v1/handler/queues');
  return h(
    'ul',
    { class: 'queues' },
    data!.queues.map((q) =>
      h(
        'li',
        {},
        h('a', { href: `#/handler/${q.department}`, 'aria-current': q.department === current ? 'page' : null }, departmentLabel(q.department)),
        ' ',
        h('span', { class: 'count' }, `${q.waiting} ${t('waiting')}`),
      ),
    ),
  );
}

export async function queueView(route: Route): Promise<HTMLElement> {
  const department = route.path[1];
  const list = await queueList(department);
  if (!department) return h('section', {}, pageTitle(t('queues')), list);
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const { data } = await api.GET('/v1/handler/queues/{department}', { params: { path: { department: department as never }, query: { offset, limit: 50 } } });
  return h(
    'section',
    { class: 'with-side' },
    h('nav', { class: 'side', 'aria-label': t('queues') }, list),
    h(
      'div',
      {},
      pageTitle(`${t('queue')}: ${departmentLabel(department)}`),
      srTable(data!.items, true),
      pager(data!, (o) => go(`#/handler/${department}?offset=${o}`)),
    ),
  );
}
