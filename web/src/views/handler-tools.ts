// The handler's tools on any case page (A-2, C-5, G-3, G-4, S-4): who holds the case (take, release,
// give it to another handler from GET /v1/handler/handlers), internal notes and comments the customer
// sees, with an attachment; an order line's date changes; a service request's re-routing to another
// department's queue. Every change goes through the API's own routes, and every refusal is a sentence
// next to its field.
import type { components } from '../../../client';
import { type Child, h } from '../dom';
import { Form } from '../form';
import { areaLabel, departmentLabel, t } from '../i18n';
import { api, currentUser } from '../session';
import { select, table, when } from '../ui';
import { base64Of, MAX_BYTES } from './attachments';
import { actionBox, actionButton } from './workbench-kit';

type Handler = components['schemas']['HandlerUser'];

let handlers: Promise<Handler[]> | null = null;
/** The active handlers, asked for once per page load. */
function handlerList(): Promise<Handler[]> {
  handlers ??= api.GET('/v1/handler/handlers').then(
    ({ data }) => data?.items ?? [],
    (err: unknown) => {
      handlers = null;
      throw err;
    },
  );
  return handlers;
}

/** take a free case, or let go of one's own; another handler's case shows who holds it. */
export function assignment(number: string, assignee: string | null, me: string | undefined, done: () => void): Child {
  const p = { params: { path: { number } } };
  if (!assignee) return actionButton(t('assignToMe'), () => api.POST('/v1/handler/cases/{number}/take', p), done);
  if (assignee === me) return actionButton(t('releaseCase'), () => api.POST('/v1/handler/cases/{number}/release', p), done);
  return t('heldBy', { name: assignee });
}

/** give the case to a handler (also one another handler holds). */
async function assignBox(number: string, assignee: string | null, done: () => void): Promise<HTMLElement> {
  const who = select(
    (await handlerList()).filter((u) => u.username !== assignee).map((u) => [u.username, `${u.fullName} (${u.department ? departmentLabel(u.department) : u.username})`]),
    '',
    t('choose'),
  );
  const form = new Form(
    async () => {
      await api.POST('/v1/handler/cases/{number}/assign', { params: { path: { number } }, body: { assignee: (who.value || undefined) as string } });
      done();
    },
    { label: t('assignTo') },
  );
  return actionBox(t('assignTo'), form, form.field('body.assignee', t('assignToHandler'), who), h('button', { type: 'submit' }, t('assignTo')));
}

/** G-3, G-4: the case's notes and comments, oldest first, and a form for a new one with an attachment. */
async function notesBox(number: string, done: () => void): Promise<HTMLElement> {
  const { data } = await api.GET('/v1/handler/cases/{number}/notes', { params: { path: { number } } });
  const notes = data?.items ?? [];
  // an internal note unless the handler chooses the customer (G-3)
  const visibility = select(
    [
      ['internal', t('noteInternal')],
      ['customer', t('noteCustomer')],
    ],
    'internal',
  );
  const text = h('textarea', { rows: 3, maxlength: 4000 }) as HTMLTextAreaElement;
  const file = h('input', { type: 'file' }) as HTMLInputElement;
  const form = new Form(
    async (f) => {
      const chosen = file.files?.[0];
      if (chosen && chosen.size > MAX_BYTES) return f.showSummary(t('attachmentTooLarge'));
      // the file is stored for the case's company first; the note then refers to it
      const stored = chosen
        ? (
            await api.POST('/v1/handler/cases/{number}/attachments', {
              params: { path: { number } },
              body: { filename: chosen.name, contentType: chosen.type || 'application/octet-stream', contentBase64: await base64Of(chosen) },
            })
          ).data
        : undefined;
      await api.POST('/v1/handler/cases/{number}/notes', {
        params: { path: { number } },
        body: { visibility: visibility.value as 'internal' | 'customer', text: (text.value.trim() || undefined) as string, attachmentIds: stored ? [stored.id] : [] },
      });
      done();
    },
    { label: t('noteAdd') },
  );
  form.add(
    form.field('body.visibility', t('noteVisibility'), visibility, t('noteVisibilityHelp')),
    form.field('body.text', t('noteText'), text),
    form.field('body.contentBase64', t('attachment'), file, t('attachmentHelp')),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('noteAdd'))),
  );
  return h(
    'div',
    {},
    h('h3', {}, t('notes')),
    table(
      t('notes'),
      [t('created'), t('by'), t('noteVisibility'), t('noteText')],
      notes.map((n) => [
        when(n.createdAt),
        n.author,
        n.visibility === 'internal' ? t('noteInternal') : t('noteCustomer'),
        h('span', { class: 'wrap' }, n.text, n.attachments.length ? [h('br'), `${t('attachments')}: ${n.attachments.map((a) => a.filename).join(', ')}`] : null),
      ]),
      t('notesNone'),
    ),
    h('div', { class: 'action-box' }, h('h3', {}, t('noteAdd')), form.el),
  );
}

/**
 * The handler's part of a case page: who holds it (take, release, give to another handler) while the
 * case is open (`open`), and its notes and comments.
 */
export async function caseTools(number: string, assignee: string | null, open: boolean, done: () => void, ...more: Child[]): Promise<HTMLElement> {
  const me = currentUser()?.username;
  return h(
    'section',
    { class: 'case-tools', 'aria-labelledby': 'tools-h' },
    h('h2', { id: 'tools-h' }, t('caseHandling')),
    h('p', {}, `${t('assignee')}: `, assignee ? (assignee === me ? t('me') : assignee) : '–', ' ', open ? assignment(number, assignee, me, done) : null),
    h('div', { class: 'action-grid' }, open ? await assignBox(number, assignee, done) : null, ...more),
    await notesBox(number, done),
  );
}

/** C-5 / O-15: move an order line's Agreed Date, or its installation date while in Field Service (M); the company is told why. */
export function lineDatesBox(line: { number: string; status: string; agreedDate: string | null; installationDate: string | null }, done: () => void): HTMLElement {
  const inFieldService = line.status === 'Field Service';
  const agreed = h('input', { type: 'date', value: line.agreedDate ?? '' }) as HTMLInputElement;
  const installation = h('input', { type: 'date', value: line.installationDate ?? '' }) as HTMLInputElement;
  const reason = h('textarea', { rows: 2, maxlength: 2000 }) as HTMLTextAreaElement;
  const form = new Form(
    async () => {
      const changed = (input: HTMLInputElement, was: string | null) => (input.value && input.value !== was ? input.value : undefined);
      await api.POST('/v1/handler/order-lines/{number}/dates', {
        params: { path: { number: line.number } },
        body: {
          agreedDate: changed(agreed, line.agreedDate),
          ...(inFieldService ? { installationDate: changed(installation, line.installationDate) } : {}),
          reason: (reason.value.trim() || undefined) as string,
        },
      });
      done();
    },
    { label: t('changeDates') },
  );
  return actionBox(
    t('changeDates'),
    form,
    form.field('body.agreedDate', t('agreedDate'), agreed),
    inFieldService ? form.field('body.installationDate', t('installationDate'), installation) : null,
    form.field('body.reason', t('dateReason'), reason, t('dateReasonHelp')),
    h('button', { type: 'submit' }, t('changeDates')),
  );
}

/** S-4: send an open service request to another area / sub-area, and so to that department's queue. */
export async function rerouteBox(sr: { number: string; area: string; subArea: string }, done: () => void): Promise<HTMLElement> {
  const { data } = await api.GET('/v1/service-requests/catalogue');
  const target = select(
    (data?.areas ?? []).flatMap((a) => a.subAreas.map((s): [string, string] => [`${a.area}\n${s.subArea}`, `${areaLabel(a.area)} / ${s.subArea} → ${departmentLabel(s.department)}`])),
    '',
    t('choose'),
  );
  const reason = h('textarea', { rows: 2, maxlength: 2000 }) as HTMLTextAreaElement;
  const form = new Form(
    async () => {
      const [area, subArea] = target.value ? target.value.split('\n') : [];
      await api.POST('/v1/handler/service-requests/{number}/reroute', {
        params: { path: { number: sr.number } },
        body: { area: area as never, subArea: subArea as string, reason: (reason.value.trim() || undefined) as string },
      });
      done();
    },
    { label: t('reroute') },
  );
  return actionBox(
    t('reroute'),
    form,
    h('p', { class: 'help' }, t('rerouteNow', { area: areaLabel(sr.area), subArea: sr.subArea })),
    form.field('body.subArea', t('rerouteTo'), target),
    form.field('body.reason', t('rerouteReason'), reason),
    h('button', { type: 'submit' }, t('reroute')),
  );
}
