// Attachments on a service request (G-4): the files the case carries with who uploaded them, upload
// (POST /v1/attachments, then the request's update adds it, while New or Incomplete) and delete
// (the uploader's side, while the case is not final; the name stays with who deleted it).
import { h, replaceChildren } from '../dom';
import { Form, problemSentence } from '../form';
import { t } from '../i18n';
import { go } from '../nav';
import { api, SambandProblem } from '../session';
import { table, when } from '../ui';
import '../orders.css';

/** At most 5 MiB (the API's limit), checked here first so the sentence comes at once. */
export const MAX_BYTES = 5 * 1024 * 1024;

export function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

export async function srAttachments(number: string, canAdd: boolean): Promise<HTMLElement> {
  const box = h('section', { class: 'attachments', 'aria-labelledby': 'att-h' });
  const again = () => go(`#/sr/${encodeURIComponent(number)}`);
  const { data } = await api.GET('/v1/cases/{number}/attachments', { params: { path: { number } } });
  const items = data?.items ?? [];
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const rows = items.map((a) => [
    a.href ? h('a', { href: '#', class: 'wrap', onclick: (e: Event) => (e.preventDefault(), void download(a.id, a.filename)) }, a.filename) : h('span', { class: 'wrap deleted' }, a.filename),
    size(a.sizeBytes),
    a.uploadedBy,
    when(a.uploadedAt),
    a.deletedAt
      ? t('attachmentDeleted', { by: a.deletedBy ?? '' })
      : a.mayDelete
        ? h(
            'button',
            {
              type: 'button',
              'aria-label': t('attachmentDeleteOne', { name: a.filename }),
              onclick: () =>
                void api
                  .DELETE('/v1/cases/{number}/attachments/{id}', { params: { path: { number, id: a.id } } })
                  .then(again)
                  .catch((err: unknown) => {
                    error.hidden = false;
                    error.textContent = err instanceof SambandProblem ? problemSentence(err) : t('errorGeneric');
                  }),
            },
            t('attachmentDelete'),
          )
        : '',
  ]);
  const parts: HTMLElement[] = [h('h2', { id: 'att-h' }, t('attachments')), table(t('attachments'), [t('attachmentFile'), t('attachmentSize'), t('by'), t('created'), ''], rows), error];
  if (canAdd) {
    const file = h('input', { type: 'file', accept: '.pdf,.png,.jpg,.jpeg,.txt,.csv,.doc,.docx,.xls,.xlsx' }) as HTMLInputElement;
    const form = new Form(
      async (f) => {
        const chosen = file.files?.[0];
        if (!chosen) return f.showSummary(t('attachmentChoose'));
        if (chosen.size > MAX_BYTES) return f.showSummary(t('attachmentTooLarge'));
        const { data: stored } = await api.POST('/v1/attachments', {
          body: { filename: chosen.name, contentType: chosen.type || 'application/octet-stream', contentBase64: await base64Of(chosen) },
        });
        await api.POST('/v1/service-requests/{number}/update', { params: { path: { number } }, body: { attachmentIds: [stored!.id] } });
        again();
      },
      { label: t('attachmentUpload') },
    );
    form.add(form.field('body.contentBase64', t('attachmentFile'), file, t('srAttachmentHelp')), h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('attachmentUpload'))));
    parts.push(form.el);
  }
  replaceChildren(box, ...parts);
  return box;
}

/** Downloads with the bearer token (a plain link would carry none). */
async function download(id: string, filename: string): Promise<void> {
  const { data } = await api.GET('/v1/attachments/{id}', { params: { path: { id } }, parseAs: 'blob' });
  if (data instanceof Blob) saveBlob(data, filename);
}

/** Hands a file the API sent to the browser as a download. */
export function saveBlob(data: Blob, filename: string): void {
  const url = URL.createObjectURL(data);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
