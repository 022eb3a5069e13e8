// A switch's or a termination's own actions before it is carried out, as the API allows them
// (allowedActions): move the date (I-5 / I-6 for a switch, T-2 for a termination) and answer an
// Incomplete case with Customer Update (O-17: what was missing, optionally a new date).
import { h } from '../dom';
import { Form, problemSentence } from '../form';
import { t } from '../i18n';
import { go } from '../nav';
import { api, canOrder, currentUser, SambandProblem } from '../session';
import { select } from '../ui';

export interface PortfolioOrderLike {
  number: string;
  requestedDate: string;
  allowedActions: string[];
  /** I-6: a switch that brings a technician books a slot on the new date, at this address. */
  technicianAt?: string | null;
}

type Kind = 'switch-isp' | 'terminations';

/** The date change and the Customer Update the user may take now; none for a read-only user. */
export function portfolioOrderActions(kind: Kind, x: PortfolioOrderLike): HTMLElement | null {
  if (!canOrder(currentUser())) return null;
  const again = () => go(`#/${kind}/${encodeURIComponent(x.number)}`);
  const boxes: HTMLElement[] = [];
  if (x.allowedActions.includes('changeDate')) boxes.push(changeDateForm(kind, x, again));
  if (x.allowedActions.includes('customerUpdate')) boxes.push(customerUpdateForm(kind, x, again));
  return boxes.length ? h('div', { class: 'actions-panel' }, ...boxes) : null;
}

/** I-6: the free slots on one date at the address, as options; the help says what was found. */
function slotPicker(addressId: string | null | undefined, date: HTMLInputElement): { select: HTMLSelectElement; help: HTMLElement } {
  const slot = select([], '', t('choose'));
  const help = h('span', {});
  const load = async () => {
    slot.replaceChildren(h('option', { value: '' }, t('choose')));
    if (!addressId || !date.value) return;
    try {
      const { data } = await api.GET('/v1/reference/appointment-slots', { params: { query: { addressId, from: date.value, to: date.value } } });
      const items = data?.items ?? [];
      for (const s of items) slot.append(h('option', { value: s.slotId }, `${s.date} ${s.window}`));
      help.textContent = items.length ? t('switchSlotsOn', { date: date.value }) : t('switchNoSlotsOn', { date: date.value });
    } catch (err) {
      help.textContent = err instanceof SambandProblem ? problemSentence(err) : t('errorGeneric');
    }
  };
  date.addEventListener('change', () => void load());
  return { select: slot, help };
}

function changeDateForm(kind: Kind, x: PortfolioOrderLike, done: () => void): HTMLElement {
  const date = h('input', { type: 'date', value: x.requestedDate }) as HTMLInputElement;
  const slots = kind === 'switch-isp' && x.technicianAt ? slotPicker(x.technicianAt, date) : null;
  const form = new Form(
    async () => {
      const path = { params: { path: { number: x.number } } };
      if (kind === 'switch-isp')
        await api.POST('/v1/switch-isp/{number}/change-date', { ...path, body: { requestedDate: date.value, ...(slots?.select.value ? { slotId: slots.select.value } : {}) } });
      else await api.POST('/v1/terminations/{number}/change-date', { ...path, body: { requestedDate: date.value } });
      done();
    },
    { label: t('pocChangeDate') },
  );
  form.add(
    h('h2', {}, t('pocChangeDate')),
    h('p', { class: 'help' }, kind === 'switch-isp' ? t('pocChangeDateSwitchHelp') : t('pocChangeDateTerminationHelp')),
    h('div', { class: 'row' }, form.field('body.requestedDate', t('pocNewDate'), date), slots ? form.field('body.slotId', t('switchSlot'), slots.select) : null),
    slots ? slots.help : null,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('pocChangeDateSubmit'))),
  );
  return form.el;
}

function customerUpdateForm(kind: Kind, x: PortfolioOrderLike, done: () => void): HTMLElement {
  const comment = h('textarea', { rows: 3, maxlength: 2000 }) as HTMLTextAreaElement;
  const date = h('input', { type: 'date' }) as HTMLInputElement;
  const slots = kind === 'switch-isp' && x.technicianAt ? slotPicker(x.technicianAt, date) : null;
  const form = new Form(
    async () => {
      const body = {
        comment: comment.value.trim(),
        ...(date.value ? { requestedDate: date.value } : {}),
        ...(slots?.select.value ? { slotId: slots.select.value } : {}),
      };
      const path = { params: { path: { number: x.number } } };
      if (kind === 'switch-isp') await api.POST('/v1/switch-isp/{number}/customer-update', { ...path, body });
      else await api.POST('/v1/terminations/{number}/customer-update', { ...path, body });
      done();
    },
    { label: t('pocCustomerUpdate') },
  );
  form.add(
    h('h2', {}, t('pocCustomerUpdate')),
    h('p', { class: 'help' }, t('pocCustomerUpdateHelp')),
    form.field('body.comment', t('yourComment'), comment),
    h('div', { class: 'row' }, form.field('body.requestedDate', t('pocNewDateOptional'), date), slots ? form.field('body.slotId', t('switchSlot'), slots.select) : null),
    slots ? slots.help : null,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('sendCustomerUpdate'))),
  );
  return form.el;
}
