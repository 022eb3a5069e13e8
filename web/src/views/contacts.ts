// The company's contacts and their e-mail opt-in (O-18): who gets the status e-mails, and whether on
// every status change. Users with full access manage them; others see the list.
import type { components } from '../../../client';
import { h } from '../dom';
import { Form } from '../form';
import { t } from '../i18n';
import { go } from '../nav';
import { api, currentUser } from '../session';
import { pageTitle, select, table } from '../ui';
import '../orders.css';

type Contact = components['schemas']['Contact'];

const fullAccess = () => {
  const u = currentUser();
  return !!u && (u.role === 'superuser' || (u.role === 'reseller' && u.accessType === 'full'));
};

export async function contactsView(): Promise<HTMLElement> {
  const { data } = await api.GET('/v1/contacts');
  const items: Contact[] = data?.items ?? [];
  const manage = fullAccess();
  const again = () => go('#/contacts');
  return h(
    'section',
    {},
    pageTitle(t('contacts')),
    h('p', { class: 'help' }, t('contactsHelp')),
    manage ? null : h('p', { class: 'notice' }, t('contactsReadOnly')),
    table(
      t('contacts'),
      [t('contactsName'), t('contactsEmail'), t('contactsKind'), t('contactsOptIn'), ...(manage ? [t('contactsRemove')] : [])],
      items.map((c) => [
        h('span', { class: 'wrap' }, c.name),
        h('span', { class: 'wrap' }, c.email),
        c.kind === 'shared' ? t('contactsShared') : t('contactsPersonal'),
        manage ? optInToggle(c, again) : c.notifyAllStatusChanges ? t('yes') : t('no'),
        ...(manage ? [removeButton(c, again)] : []),
      ]),
    ),
    manage ? addForm(again) : null,
  );
}

/** O-18: the opt-in is a checkbox saved at once; its label names the contact for screen readers. */
function optInToggle(c: Contact, done: () => void): HTMLElement {
  const id = `optin-${c.id}`;
  const box = h('input', { type: 'checkbox', id, checked: c.notifyAllStatusChanges }) as HTMLInputElement;
  const form = new Form(
    async () => {
      await api.PATCH('/v1/contacts/{id}', { params: { path: { id: c.id } }, body: { notifyAllStatusChanges: box.checked } });
      done();
    },
    { label: `${t('contactsOptIn')}: ${c.name}` },
  );
  box.addEventListener('change', () => form.el.requestSubmit());
  form.add(h('div', { class: 'check' }, box, h('label', { for: id }, t('contactsOptInFor', { name: c.name }))));
  form.el.classList.add('inline');
  return form.el;
}

function removeButton(c: Contact, done: () => void): HTMLElement {
  const form = new Form(
    async () => {
      await api.DELETE('/v1/contacts/{id}', { params: { path: { id: c.id } } });
      done();
    },
    { label: t('contactsRemoveOne', { name: c.name }) },
  );
  form.add(h('button', { type: 'submit', 'aria-label': t('contactsRemoveOne', { name: c.name }) }, t('contactsRemove')));
  form.el.classList.add('inline');
  return form.el;
}

function addForm(done: () => void): HTMLElement {
  const name = h('input', { type: 'text', maxlength: 200, autocomplete: 'off' }) as HTMLInputElement;
  const email = h('input', { type: 'email', maxlength: 200, autocomplete: 'off' }) as HTMLInputElement;
  const kind = select(
    [
      ['personal', t('contactsPersonal')],
      ['shared', t('contactsShared')],
    ],
    'personal',
  );
  const locale = select(
    [
      ['nb', 'Norsk (bokmål)'],
      ['en', 'English'],
    ],
    'nb',
  );
  const optIn = h('input', { type: 'checkbox', id: 'new-contact-optin' }) as HTMLInputElement;
  const form = new Form(
    async () => {
      await api.POST('/v1/contacts', {
        body: { name: name.value.trim(), email: email.value.trim(), kind: kind.value as 'personal' | 'shared', notifyAllStatusChanges: optIn.checked, locale: locale.value as 'nb' | 'en' },
      });
      done();
    },
    { label: t('contactsAdd') },
  );
  form.add(
    h('div', { class: 'row' }, form.field('body.name', t('contactsName'), name), form.field('body.email', t('contactsEmail'), email)),
    h('div', { class: 'row' }, form.field('body.kind', t('contactsKind'), kind), form.field('body.locale', t('contactsLocale'), locale)),
    h('div', { class: 'check' }, optIn, h('label', { for: optIn.id }, t('contactsOptInNew'))),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('contactsAdd'))),
  );
  return h('div', { class: 'action-box' }, h('h2', {}, t('contactsAdd')), form.el);
}
