// Home: what needs the user now, from what the API has (SRs Incomplete or Completed, orders Incomplete
// or not submitted; a handler's queues). Operational messages (M-4) come once the API serves them.
import { h } from '../dom';
import { t } from '../i18n';
import { api, canOrder, currentUser, isHandler } from '../session';
import { link, pageTitle } from '../ui';
import { queueList } from './handler';

export async function homeView(): Promise<HTMLElement> {
  const user = currentUser()!;
  if (isHandler(user)) return h('section', {}, pageTitle(t('welcome', { name: user.fullName })), h('h2', {}, t('handlerHome')), await queueList());
  const [srIncomplete, srCompleted, ordersIncomplete, ordersNew] = await Promise.all([
    api.GET('/v1/service-requests', { params: { query: { status: 'Incomplete', limit: 1 } } }),
    api.GET('/v1/service-requests', { params: { query: { status: 'Completed', limit: 1 } } }),
    api.GET('/v1/orders', { params: { query: { status: 'Incomplete', limit: 1 } } }),
    api.GET('/v1/orders', { params: { query: { status: 'New', limit: 1 } } }),
  ]);
  const items = [
    { n: srIncomplete.data!.total, text: t('srIncompleteHome'), href: '#/sr?status=Incomplete' },
    { n: srCompleted.data!.total, text: t('srCompletedHome'), href: '#/sr?status=Completed' },
    { n: ordersIncomplete.data!.total, text: t('ordersIncompleteHome'), href: '#/orders?status=Incomplete' },
    { n: ordersNew.data!.total, text: t('ordersNewHome'), href: '#/orders?status=New' },
  ].filter((i) => i.n > 0);
  return h(
    'section',
    {},
    pageTitle(t('welcome', { name: user.fullName })),
    canOrder(user) ? null : h('p', { class: 'notice' }, t('readOnlyNote')),
    h('h2', {}, t('needsMyAction')),
    items.length
      ? h(
          'ul',
          { class: 'cards' },
          items.map((i) => h('li', {}, link(i.href, h('strong', { class: 'count' }, String(i.n)), ' ', i.text))),
        )
      : h('p', {}, t('needsMyActionNone')),
    h('p', { class: 'help' }, t('operationalMessagesMissing')),
  );
}
