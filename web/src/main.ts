// Samband in the browser (issue 17): a client of the public API only, through the typed client
// (client/). Hash routes, so the API serves one page at /app/.
import './app.css';
import { h, replaceChildren } from './dom';
import { lang, setLang, t } from './i18n';
import { currentUser, idle, isHandler, logout, onSessionChange } from './session';
import { problemSentence } from './form';
import { SambandProblem } from '../../client';
import { loginView } from './views/login';
import { homeView } from './views/home';
import { srListView, srNewView, srDetailView } from './views/service-requests';
import { orderListView, orderDetailView } from './views/orders';
import { orderLineView, queueView } from './views/handler';
import { HANDLER_CASE_VIEWS } from './views/handler-cases';
import { quoteDetailView, quoteListView, quoteNewView } from './views/quotes';
import { orderEditView, orderNewView } from './views/order-new';
import { portfolioDetailView, portfolioListView } from './views/portfolio';
import { switchDetailView, switchListView, switchNewView } from './views/switch-isp';
import { terminationDetailView, terminationListView, terminationNewView } from './views/terminations';
import { contactsView } from './views/contacts';
import { ttDetailView, ttListView, ttNewView } from './views/trouble-tickets';
import { invoiceDetailView, invoiceListView } from './views/invoices';

export interface Route {
  path: string[];
  query: URLSearchParams;
}

type View = (route: Route) => Promise<HTMLElement>;

function routeOf(): Route {
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  return { path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

function pick(route: Route): View | undefined {
  const [a, b] = route.path;
  if (a === undefined || a === 'home') return homeView;
  // `service-requests` is the path e-mail links use (FRONTEND_CASE_URL_TEMPLATE's default)
  if ((a === 'sr' || a === 'service-requests') && b === undefined) return srListView;
  if (a === 'sr' && b === 'new') return srNewView;
  if (a === 'sr' || a === 'service-requests') return srDetailView;
  if (a === 'orders' && b === undefined) return orderListView;
  if (a === 'orders' && b === 'new') return orderNewView;
  if (a === 'orders' && route.path[2] === 'edit') return orderEditView;
  if (a === 'orders') return orderDetailView;
  if (a === 'quotes' && b === undefined) return quoteListView;
  if (a === 'quotes' && b === 'new') return quoteNewView;
  if (a === 'quotes') return quoteDetailView;
  if (a === 'handler' && b === 'line') return orderLineView;
  if (a === 'handler' && b && HANDLER_CASE_VIEWS[b]) return HANDLER_CASE_VIEWS[b];
  if (a === 'handler') return queueView;
  if (a === 'portfolio') return b === undefined ? portfolioListView : portfolioDetailView;
  if (a === 'switch-isp') return b === undefined ? switchListView : b === 'new' ? switchNewView : switchDetailView;
  if (a === 'terminations') return b === undefined ? terminationListView : b === 'new' ? terminationNewView : terminationDetailView;
  if (a === 'contacts') return contactsView;
  if (a === 'trouble-tickets') return b === undefined ? ttListView : b === 'new' ? ttNewView : ttDetailView;
  if (a === 'invoices') return b === undefined ? invoiceListView : invoiceDetailView;
  return undefined;
}

const root = document.getElementById('app')!;
let notice: string | null = null;
let rendering = 0;

async function render(): Promise<void> {
  const user = currentUser();
  document.documentElement.lang = lang;
  if (!user) {
    replaceChildren(root, header(), h('main', { id: 'main' }, loginView(notice)));
    notice = null;
    return;
  }
  const route = routeOf();
  const view = pick(route);
  const main = h('main', { id: 'main' }, h('p', { class: 'loading' }, t('loading')));
  replaceChildren(root, header(), main);
  const mine = ++rendering;
  let content: HTMLElement;
  try {
    content = view ? await view(route) : h('p', {}, t('notFound'));
  } catch (err) {
    content = h('p', { class: 'form-error', role: 'alert' }, err instanceof SambandProblem ? problemSentence(err) : t('errorGeneric'));
    if (!(err instanceof SambandProblem)) console.error(err);
  }
  if (mine !== rendering || !currentUser()) return;
  replaceChildren(main, content);
  main.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
}

function header(): HTMLElement {
  const user = currentUser();
  const here = '#/' + routeOf().path.join('/');
  const navLink = (href: string, label: string) => h('a', { href, 'aria-current': here === href || (href !== '#/home' && here.startsWith(href)) ? 'page' : null }, label);
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: '#/home' }, t('appName')),
    user
      ? h(
          'nav',
          { 'aria-label': t('nav') },
          navLink('#/home', t('home')),
          isHandler(user) ? navLink('#/handler', t('queues')) : null,
          navLink('#/sr', t('serviceRequests')),
          navLink('#/orders', t('orders')),
          navLink('#/quotes', t('quotes')),
          isHandler(user)
            ? null
            : [
                navLink('#/portfolio', t('portfolio')),
                navLink('#/switch-isp', t('switchIsp')),
                navLink('#/terminations', t('terminations')),
                navLink('#/trouble-tickets', t('troubleTickets')),
                navLink('#/invoices', t('invoices')),
                navLink('#/contacts', t('contacts')),
              ],
        )
      : null,
    h(
      'div',
      { class: 'who' },
      h(
        'button',
        { type: 'button', class: 'link', lang: lang === 'nb' ? 'en' : 'nb', 'aria-label': t('switchLangLabel'), onclick: () => (setLang(lang === 'nb' ? 'en' : 'nb'), void render()) },
        t('switchLang'),
      ),
      user ? h('span', { class: 'user' }, `${user.fullName}${user.companyId ? ` · ${user.companyId}` : ''}`) : null,
      user ? h('button', { type: 'button', onclick: () => void logout() }, t('logout')) : null,
    ),
    h('div', { class: 'idle-warning', role: 'alertdialog', 'aria-live': 'assertive', hidden: true, id: 'idle-warning' }),
  );
}

idle.onWarn = (minutes) => {
  const box = document.getElementById('idle-warning');
  if (!box) return;
  replaceChildren(box, h('p', {}, t('idleWarning', { minutes })), h('button', { type: 'button', onclick: () => idle.activity() }, t('stayLoggedIn')));
  box.hidden = false;
  box.querySelector('button')?.focus();
};
idle.onActive = () => {
  const box = document.getElementById('idle-warning');
  if (box) box.hidden = true;
};

onSessionChange((reason) => {
  if (reason === 'expired') notice = t('loggedOutIdle');
  if (reason === 'login') {
    if (!location.hash || location.hash === '#/login') location.hash = '#/home';
  }
  void render();
});

window.addEventListener('hashchange', () => void render());
void render();
