// Switch-ISP (I-1…I-7): look the end user's broadband up by phone number (I-3: only what a switch
// needs), then choose the product (I-2: same access type), the date (I-5: from the earliest date the
// look-up gives), the owner's authorisation (I-4, NRDB) and, where I-6 asks for one, a technician's
// slot on that date; submit registers it in the order system at once.
import type { components } from '../../../client';
import { type Child, h, replaceChildren } from '../dom';
import { Form, problemSentence } from '../form';
import { t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api, canOrder, currentUser, SambandProblem } from '../session';
import { apiStatusBadge, loadStatusTexts, type StatusScope } from '../statuses';
import { definitionList, link, pager, pageTitle, select, table, when } from '../ui';
import { inBokmal } from '../portfolio-messages';
import { portfolioOrderActions } from './portfolio-order-actions';
import { addressPicker, type FieldMaker } from './order-new';
import '../orders.css';

type Candidate = components['schemas']['SwitchCandidate'];
type AddressCandidate = components['schemas']['SwitchAddressCandidate'];

export async function switchListView(route: Route): Promise<HTMLElement> {
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const [{ data }] = await Promise.all([api.GET('/v1/switch-isp', { params: { query: { offset, limit: 25 } } }), loadStatusTexts()]);
  const page = data!;
  return h(
    'section',
    {},
    pageTitle(t('switchIsp'), canOrder(currentUser()) ? h('a', { class: 'button primary', href: '#/switch-isp/new' }, t('switchNew')) : null),
    table(
      t('switchIsp'),
      [t('number'), t('status'), t('title'), t('requestedDate'), t('updated')],
      page.items.map((x) => [
        link(`#/switch-isp/${encodeURIComponent(x.number)}`, x.number),
        apiStatusBadge('switch_isp', x.status),
        h('span', { class: 'wrap' }, x.title),
        x.requestedDate,
        when(x.updatedAt),
      ]),
    ),
    pager(page, (o) => go(`#/switch-isp?offset=${o}`)),
  );
}

export async function switchNewView(): Promise<HTMLElement> {
  const phone = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: 8 }) as HTMLInputElement;
  const step2 = h('div', { class: 'step', 'aria-live': 'polite' });
  const show = (c: Candidate | AddressCandidate) => {
    replaceChildren(step2, registerForm(c));
    step2.querySelector<HTMLElement>('h2')?.focus();
  };
  const lookup = new Form(
    async () => {
      replaceChildren(step2);
      const { data } = await api.GET('/v1/switch-isp/lookup', { params: { query: { phoneNumber: phone.value.trim() } } });
      const c = ((data?.items ?? []) as Candidate[])[0];
      if (!c) lookup.showSummary(t('switchNothingFound'));
      else show(c);
    },
    { label: t('switchByPhone') },
  );
  lookup.add(
    h('h2', {}, t('switchByPhone')),
    h('p', { class: 'help' }, t('switchLookupHelp')),
    lookup.field('query.phoneNumber', t('switchPhone'), phone),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('switchLookup'))),
  );
  // I-3, full access: found by the installation address from the register; the losing operator is all it shows
  const found = h('div', {});
  const byAddress: Form = new Form(
    async () => {
      replaceChildren(step2);
      replaceChildren(found);
      const chosen = address.chosen();
      if (!chosen) {
        byAddress.showSummary(t('orderNoAddress'));
        return;
      }
      const { data } = await api.GET('/v1/switch-isp/lookup', { params: { query: { addressId: chosen.addressId } } });
      const items = (data?.items ?? []) as AddressCandidate[];
      if (items.length === 0) {
        byAddress.showSummary(t('switchNothingFound'));
        return;
      }
      replaceChildren(
        found,
        h('p', {}, t('switchFullAtAddress', { address: chosen.label })),
        h(
          'ul',
          { class: 'slot-list' },
          items.map((c) => h('li', {}, h('button', { type: 'button', onclick: () => show(c) }, t('switchPickSubscription', { operator: c.losingOperator })))),
        ),
      );
      found.querySelector<HTMLButtonElement>('button')?.focus();
    },
    { label: t('switchByAddress') },
  );
  const field: FieldMaker = (path, label, input, help) => byAddress.field(path, label, input, help);
  const address = addressPicker(field, 'query.addressId', null);
  byAddress.add(
    h('h2', {}, t('switchByAddress')),
    h('p', { class: 'help' }, t('switchByAddressHelp')),
    address.el,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('switchLookUpAddress'))),
    found,
  );
  return h('section', {}, pageTitle(t('switchNew')), lookup.el, byAddress.el, step2);
}

/** Step 2: what the look-up found, and the registration with every check next to its field. */
function registerForm(c: Candidate | AddressCandidate): HTMLElement {
  // I-3: a shared-access subscription is named by its number, a full-access one by the look-up's reference
  const subject = 'number' in c ? { number: c.number } : { subscriptionRef: c.subscriptionRef };
  const product = select(
    c.targets.map((x) => [x.productCode, x.technicianRequired ? `${x.productName} — ${t('switchWithTechnician')}` : x.productName]),
    '',
    t('choose'),
  );
  const date = h('input', { type: 'date', min: c.earliestDate, value: c.earliestDate }) as HTMLInputElement;
  const auth = h('input', { type: 'text', autocomplete: 'off', maxlength: 30, placeholder: 'NRDB-2026-000101' }) as HTMLInputElement;
  const reference = h('input', { type: 'text', maxlength: 100 }) as HTMLInputElement;
  const slot = select([], '', t('choose'));
  const slotHelp = h('span', {});
  const idempotencyKey = crypto.randomUUID();
  const needsTechnician = () => c.targets.find((x) => x.productCode === product.value)?.technicianRequired === true;
  // I-6: a free slot on the requested date at the subscription's address
  const loadSlots = async () => {
    slot.replaceChildren(h('option', { value: '' }, t('choose')));
    if (!needsTechnician() || !date.value) {
      slotHelp.textContent = t('switchNoTechnician');
      slot.disabled = true;
      return;
    }
    slot.disabled = false;
    try {
      const { data } = await api.GET('/v1/reference/appointment-slots', { params: { query: { addressId: c.address.id, from: date.value, to: date.value } } });
      const items = data?.items ?? [];
      for (const s of items) slot.append(h('option', { value: s.slotId }, `${s.date} ${s.window}`));
      slotHelp.textContent = items.length ? t('switchSlotsOn', { date: date.value }) : t('switchNoSlotsOn', { date: date.value });
    } catch (err) {
      slotHelp.textContent = err instanceof SambandProblem ? problemSentence(err) : t('errorGeneric');
    }
  };
  product.addEventListener('change', () => void loadSlots());
  date.addEventListener('change', () => void loadSlots());
  void loadSlots();
  const form = new Form(
    async () => {
      const { data } = await api
        .POST('/v1/switch-isp', {
          headers: { 'Idempotency-Key': idempotencyKey },
          body: {
            ...subject,
            productCode: product.value,
            requestedDate: date.value,
            authorisationReference: auth.value.trim(),
            ...(needsTechnician() && slot.value ? { technician: { slotId: slot.value, aegServices: [] } } : {}),
            ...(reference.value.trim() ? { customerReference: reference.value.trim() } : {}),
          },
        })
        .catch((err: unknown) => {
          throw inBokmal(err);
        });
      go(`#/switch-isp/${encodeURIComponent(data!.number)}`);
    },
    { label: t('switchRegister') },
  );
  form.add(
    form.field('body.productCode', t('switchToProduct'), product, t('switchProductHelp')),
    h(
      'div',
      { class: 'row' },
      form.field('body.requestedDate', t('requestedDate'), date, t('switchEarliest', { date: c.earliestDate, days: c.leadDays })),
      form.field('body.technician', t('switchSlot'), slot, slotHelp),
    ),
    form.field('body.authorisationReference', t('switchAuthorisation'), auth, t('switchAuthorisationHelp')),
    form.field('body.customerReference', t('customerOrderRef'), reference),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('switchSubmit'))),
  );
  return h(
    'div',
    {},
    h('h2', { tabindex: '-1' }, t('switchFound')),
    definitionList([
      ...('number' in c
        ? ([
            [t('switchPhone'), c.number],
            [t('product'), `${c.productName}${c.speedMbps ? ` ${c.speedMbps} Mbit/s` : ''}`],
          ] as Array<[string, Child]>)
        : []),
      [t('portfolioAccessType'), c.accessType ?? '–'],
      [t('address'), h('span', { class: 'wrap' }, c.address.label)],
      [t('switchLosingOperator'), c.losingOperator],
      [t('switchEarliestDate'), c.earliestDate],
    ]),
    h('h2', {}, t('switchRegister')),
    form.el,
  );
}

export async function switchDetailView(route: Route): Promise<HTMLElement> {
  const number = route.path[1]!;
  const [{ data }] = await Promise.all([api.GET('/v1/switch-isp/{number}', { params: { path: { number } } }), loadStatusTexts()]);
  const x = data!;
  return h(
    'section',
    {},
    pageTitle(`${t('switchOne')} ${x.number}`, apiStatusBadge('switch_isp', x.status)),
    definitionList([
      [t('status'), apiStatusBadge('switch_isp', x.status)],
      [t('switchPhone'), x.subscription.number],
      [t('switchFrom'), `${x.subscription.productName} (${x.subscription.losingOperator})`],
      [t('switchToProduct'), x.newProductName],
      [t('address'), h('span', { class: 'wrap' }, x.subscription.address.label)],
      [t('endUser'), h('span', { class: 'wrap' }, x.endUser.name)],
      [t('requestedDate'), x.requestedDate],
      [t('agreedDate'), x.agreedDate ?? '–'],
      [t('customerOrderId'), x.customerOrderId ?? '–'],
      [t('switchAuthorisation'), x.authorisation.reference],
      [t('switchSlot'), x.technician?.booking ? `${x.technician.booking.date} ${x.technician.booking.window}` : x.technicianRequired ? (x.technician?.slotId ?? '–') : t('switchNoTechnician')],
      [t('statusDescription'), h('span', { class: 'wrap' }, [x.statusDescription, x.comment].filter(Boolean).join(' — ') || '–')],
    ]),
    portfolioOrderActions('switch-isp', { number: x.number, requestedDate: x.requestedDate, allowedActions: x.allowedActions, technicianAt: x.technicianRequired ? x.subscription.address.id : null }),
    h('p', { class: 'help' }, t('switchCancelHelp')),
    portfolioCaseActivity(x.activity, 'switch_isp'),
    h('p', {}, link('#/switch-isp', `← ${t('back')}`)),
  );
}

/** The activity log of a switch or termination, newest first. */
export function portfolioCaseActivity(activity: Array<{ at: string; by: string; fromStatus: string | null; toStatus: string; text?: string }>, scope: StatusScope): Child {
  return [
    h('h2', {}, t('activity')),
    table(
      t('activity'),
      [t('updated'), t('by'), t('status'), t('comment')],
      [...activity]
        .reverse()
        .map((a) => [
          when(a.at),
          a.by,
          h('span', {}, a.fromStatus ? [apiStatusBadge(scope, a.fromStatus), ' → '] : null, apiStatusBadge(scope, a.toStatus)),
          h('span', { class: 'wrap' }, a.text ?? ''),
        ]),
    ),
  ];
}
