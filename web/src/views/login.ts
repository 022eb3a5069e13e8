import { h } from '../dom';
import { Form } from '../form';
import { t } from '../i18n';
import { login, SambandProblem } from '../session';

export function loginView(notice: string | null): HTMLElement {
  const username = h('input', { type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' }) as HTMLInputElement;
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true }) as HTMLInputElement;
  const form = new Form(
    async () => {
      try {
        await login(username.value.trim(), password.value);
      } catch (err) {
        // a wrong password is a sentence, not the API's 401 (which says the same for an unknown user)
        if (err instanceof SambandProblem && err.status === 401) form.showSummary(t('wrongPassword'));
        else throw err;
      }
    },
    { label: t('login') },
  );
  form.add(form.field('body.username', t('username'), username), form.field('body.password', t('password'), password), h('button', { type: 'submit', class: 'primary' }, t('login')));
  return h('section', { class: 'login' }, h('h1', { tabindex: '-1' }, `${t('appName')} – ${t('login')}`), notice ? h('p', { class: 'notice', role: 'status' }, notice) : null, form.el);
}
