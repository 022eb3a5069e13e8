// Orders (O-14…O-17): the list with header statuses, and one order with its lines' statuses and the
// deck's letters (O, D, R, M, T, L, F, A), Agreed Date, Customer Order Id, Comment and Status Description.
import type { components } from '../../../client';
import { h } from '../dom';
import { t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { fieldSentence, Form } from '../form';
import { addressPicker, endUserFields, type FieldMaker, orderProblemSentence } from './order-new';
import { api, canOrder, currentUser } from '../session';
import { apiStatusBadge, loadStatusTexts } from '../statuses';
import { orderExtras } from './order-actions';
import { definitionList, link, pager, pageTitle, select, table, when } from '../ui';

const ORDER_STATUSES = ['New', 'In Progress', 'Committed', 'Duplicate', 'Registered', 'Rejected', 'Incomplete', 'Cancelled', 'In Process', 'Closed'] as const;
type OrderStatus = (typeof ORDER_STATUSES)[number];

export async function orderListView(route: Route): Promise<HTMLElement> {
  const raw = route.query.get('status') ?? '';
  const status = (ORDER_STATUSES as readonly string[]).includes(raw) ? (raw as OrderStatus) : undefined;
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const [{ data }] = await Promise.all([api.GET('/v1/orders', { params: { query: { ...(status ? { status } : {}), offset, limit: 25 } } }), loadStatusTexts()]);
  const page = data!;
  const filter = select(
    ORDER_STATUSES.map((s) => [s, s]),
    status ?? '',
    t('allStatuses'),
  );
  filter.id = 'order-status-filter';
  filter.addEventListener('change', () => go(filter.value ? `#/orders?status=${encodeURIComponent(filter.value)}` : '#/orders'));
  return h(
    'section',
    {},
    pageTitle(t('orders'), canOrder(currentUser()) ? h('a', { class: 'button primary', href: '#/orders/new' }, t('orderNew')) : null),
    h('div', { class: 'filters' }, h('label', { for: filter.id }, t('filterStatus')), filter),
    table(
      t('orders'),
      [t('number'), t('status'), t('product'), t('title'), t('customerOrderRef'), t('updated')],
      page.items.map((o) => [
        link(`#/orders/${encodeURIComponent(o.number)}`, o.number),
        apiStatusBadge('order', o.status),
        o.productCode ?? '–',
        h('span', { class: 'wrap' }, o.title),
        h('span', { class: 'wrap' }, o.customerOrderRef ?? '–'),
        when(o.updatedAt),
      ]),
    ),
    pager(page, (o) => go(`#/orders?${new URLSearchParams({ ...(status ? { status } : {}), offset: String(o) })}`)),
  );
}

interface AddressLike {
  label?: string;
  street?: string;
  houseNumber?: number;
  houseLetter?: string;
  postcode?: string;
  town?: string;
  floor?: string;
  entrance?: string;
  flat?: string;
  insa?: string;
  cadastral?: { municipalityNo: string; gnr: number; bnr: number };
}

function addressText(a: AddressLike | null | undefined): string {
  if (!a) return '–';
  if (a.label) return a.label;
  if (a.street)
    return [`${a.street} ${a.houseNumber ?? ''}${a.houseLetter ?? ''}`.trim(), [a.floor, a.entrance, a.flat].filter(Boolean).join(' '), `${a.postcode ?? ''} ${a.town ?? ''}`.trim()]
      .filter(Boolean)
      .join(', ');
  if (a.cadastral) return `gnr. ${a.cadastral.gnr} bnr. ${a.cadastral.bnr} (${a.cadastral.municipalityNo})`;
  return a.insa ?? '–';
}

type EndUserLike = { kind: 'person'; name: string } | { kind: 'company'; name: string; orgNumber: string } | null | undefined;
const endUserText = (u: EndUserLike) => (!u ? '–' : u.kind === 'company' ? `${u.name} (${u.orgNumber})` : u.name);

export async function orderDetailView(route: Route): Promise<HTMLElement> {
  const number = route.path[1]!;
  const [{ data }] = await Promise.all([api.GET('/v1/orders/{number}', { params: { path: { number } } }), loadStatusTexts()]);
  const order = data! as components['schemas']['Order'] & {
    productCode?: string | null;
    requestedDate?: string | null;
    contact?: { name?: string; phone?: string };
    references?: { customerOrderRef?: string; customerInvoiceRef?: string; projectReference?: string };
    createdAt?: string;
    updatedAt?: string;
  };
  return h(
    'section',
    {},
    pageTitle(`${t('order')} ${order.number}`, apiStatusBadge('order', order.status)),
    definitionList([
      [t('status'), apiStatusBadge('order', order.status)],
      [t('orderType'), order.orderType],
      [t('product'), order.productCode ?? '–'],
      [t('requestedDate'), order.requestedDate ?? '–'],
      [t('contact'), h('span', { class: 'wrap' }, [order.contact?.name, order.contact?.phone].filter(Boolean).join(', ') || '–')],
      [t('customerOrderRef'), h('span', { class: 'wrap' }, order.references?.customerOrderRef ?? '–')],
      [t('updated'), when(order.updatedAt)],
    ]),
    h('h2', {}, t('lines')),
    table(
      t('lines'),
      [t('line'), t('status'), t('address'), t('endUser'), t('agreedDate'), t('customerOrderId'), t('comment')],
      order.lines.map((line) => {
        const l = line as typeof line & { address?: AddressLike | null; endUser?: EndUserLike };
        const d = line.delivery;
        return [
          String(line.lineNo),
          apiStatusBadge('order_line', line.status, d ? d.statusCode : undefined),
          h('span', { class: 'wrap address' }, addressText(l.address)),
          h('span', { class: 'wrap' }, endUserText(l.endUser)),
          d?.agreedDate ?? '–',
          d?.customerOrderId ?? '–',
          h('span', { class: 'wrap' }, [d?.statusDescription, d?.comment].filter(Boolean).join(' — ') || '–'),
        ];
      }),
    ),
    await orderExtras(order),
    order.lines
      .filter((line) => line.delivery?.allowedActions.includes('customerUpdate'))
      .map((line) => customerUpdateForm(order.number, line as typeof line & { endUser?: EndUserLike; address?: AddressLike & { addressId?: string } }, order.contact ?? {})),
    h('p', {}, link('#/orders', `← ${t('back')}`)),
  );
}

/** O-17: the wholesaler set the line Incomplete; the user fixes it and sets Customer Update (never a new order):
 * the contact, the end user (O-2) or the installation address from the register (O-3, Q-3). */
function customerUpdateForm(
  number: string,
  line: { lineNo: number; endUser?: EndUserLike; address?: (AddressLike & { addressId?: string }) | null },
  contact: { name?: string; phone?: string },
): HTMLElement {
  const lineNo = line.lineNo;
  // the contact is replaced whole (O-7: a full name with the phone), so the form starts from the current one
  const name = h('input', { type: 'text', autocomplete: 'off', maxlength: 200, value: contact.name ?? '' }) as HTMLInputElement;
  const phone = h('input', { type: 'tel', inputmode: 'numeric', autocomplete: 'off', maxlength: 40, value: contact.phone ?? '' }) as HTMLInputElement;
  const comment = h('textarea', { rows: 3, maxlength: 2000 }) as HTMLTextAreaElement;
  const form = new Form(
    async () => {
      const changed = name.value.trim() !== (contact.name ?? '') || phone.value.trim() !== (contact.phone ?? '');
      const fixed = { ...(name.value.trim() ? { name: name.value.trim() } : {}), ...(phone.value.trim() ? { phone: phone.value.trim() } : {}) };
      // the end user and the address go only when changed (the end user is given whole, O-2)
      const euNow = endUser.value();
      const euChanged = JSON.stringify(euNow) !== JSON.stringify(endUserStart);
      const chosen = address.chosen();
      const addressChanged = !!chosen && chosen.addressId !== (line.address?.addressId ?? null);
      await api.POST('/v1/orders/{number}/lines/{lineNo}/customer-update', {
        params: { path: { number, lineNo } },
        body: {
          ...(changed ? { contact: fixed } : {}),
          ...(euChanged && euNow ? { endUser: euNow } : {}),
          ...(addressChanged ? { address: { addressId: chosen.addressId } } : {}),
          ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
        },
      });
      go(`#/orders/${encodeURIComponent(number)}`);
    },
    {
      label: t('lineCustomerUpdate', { n: lineNo }),
      // the order's own sentences (O-2, O-3): the route names the fields as a line's
      sentence: (e, label) =>
        e.field === 'body'
          ? fieldSentence(e, label)
          : orderProblemSentence({ field: e.field.replace(/^body\./, '').replace(/^(endUser|address)/, 'lines.0.$1'), rule: e.rule ?? null, message: e.message, code: e.code }, label),
    },
  );
  const field: FieldMaker = (path, label, input, help) => form.field(path, label, input, help);
  const endUser = endUserFields(field, 'body.endUser', line.endUser ?? null);
  const endUserStart = endUser.value();
  const address = addressPicker(field, 'body.address', line.address?.addressId ? { addressId: line.address.addressId, label: addressText(line.address) } : null);
  form.add(
    h('p', { class: 'help' }, t('lineCustomerUpdateHelp')),
    h('div', { class: 'row' }, form.field('body.contact.name', t('contactName'), name), form.field('body.contact.phone', t('contactPhone'), phone)),
    h('h3', {}, t('cuEndUser')),
    h('p', { class: 'help' }, t('cuEndUserHelp')),
    endUser.el,
    h('h3', {}, t('cuAddress')),
    h('div', { class: 'address-search' }, address.el),
    form.field('body.comment', t('yourComment'), comment),
    h('button', { type: 'submit', class: 'primary' }, t('sendCustomerUpdate')),
  );
  return h('div', { class: 'actions-panel' }, h('h2', {}, t('lineCustomerUpdate', { n: lineNo })), form.el);
}
