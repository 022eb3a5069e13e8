// Status names, letters and the deck's explanations as the API serves them (GET /v1/reference/statuses,
// G-3, O-14, O-15): loaded once, so a status reads the same on every screen and in every e-mail.
import type { components } from '../../client';
import { h } from './dom';
import { lang } from './i18n';
import { api } from './session';

type StatusText = components['schemas']['StatusText'];
export type StatusScope = StatusText['scope'];

let texts: Map<string, StatusText> | null = null;
let loading: Promise<void> | null = null;

/** Loads the status texts once per page (the API lets the browser cache them for an hour). */
export function loadStatusTexts(): Promise<void> {
  loading ??= api
    .GET('/v1/reference/statuses')
    .then(({ data }) => {
      texts = new Map((data?.items ?? []).map((s) => [`${s.scope}:${s.status}`, s]));
    })
    .catch(() => {
      loading = null; // tried again on the next screen
    });
  return loading;
}

/** A status with its letter (the line's own, e.g. A only when the wholesaler cancelled), explained on hover and to screen readers. */
export function apiStatusBadge(scope: StatusScope, status: string, letter?: string | null): HTMLElement {
  const text = texts?.get(`${scope}:${status}`);
  const explanation = text?.explanation[lang];
  const code = letter === undefined ? text?.code : letter;
  return h(
    'span',
    { class: `status status-${status.toLowerCase().replace(/\s+/g, '-')}`, title: explanation, 'data-status': status, 'data-letter': code ?? null },
    code ? `${status} (${code})` : status,
    explanation ? h('span', { class: 'sr-only' }, `: ${explanation}`) : null,
  );
}
