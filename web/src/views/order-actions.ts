// The order view's actions and follow-up (C-1, C-3, O-14…O-17, A-4): continue a draft, Reopen,
// Cancel Line Item with the charge shown BEFORE the user confirms it (GET …/cancellation, C-3), and
// the timeline of the order and its lines. Only what the API allows (allowedActions) is offered.
import { h, replaceChildren } from '../dom';
import { problemSentence } from '../form';
import { t } from '../i18n';
import { go } from '../nav';
import { api, canOrder, currentUser, SambandProblem } from '../session';
import { apiStatusBadge } from '../statuses';
import { table, when } from '../ui';
import '../orders.css';

interface OrderLike {
  number: string;
  phase: string;
  allowedActions: string[];
  lines: Array<{ lineNo: number; status: string; booking?: { date: string; window: string } | null; delivery: { allowedActions: string[] } | null }>;
}

/** Norwegian kroner from øre, as a price is written here (kr 1 234,50). */
export const kroner = (ore: number) => new Intl.NumberFormat('nb-NO', { style: 'currency', currency: 'NOK' }).format(ore / 100);

const sentenceOf = (err: unknown) => (err instanceof SambandProblem ? problemSentence(err) : t('errorGeneric'));

export async function orderExtras(order: OrderLike): Promise<HTMLElement[]> {
  const again = () => go(`#/orders/${encodeURIComponent(order.number)}`);
  const out: HTMLElement[] = [];
  const mayAct = canOrder(currentUser());
  const panel: HTMLElement[] = [];
  if (mayAct && order.phase === 'draft' && order.allowedActions.includes('update')) {
    panel.push(h('a', { class: 'button primary', href: `#/orders/${encodeURIComponent(order.number)}/edit` }, t('orderContinue')));
  }
  if (mayAct && order.allowedActions.includes('reopen')) {
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const button = h('button', { type: 'button' }, t('orderReopen')) as HTMLButtonElement;
    button.addEventListener('click', () => {
      button.disabled = true;
      api
        .POST('/v1/orders/{number}/reopen', { params: { path: { number: order.number } } })
        .then(() => go(`#/orders/${encodeURIComponent(order.number)}/edit`))
        .catch((err: unknown) => {
          error.hidden = false;
          error.textContent = sentenceOf(err);
          button.disabled = false;
        });
    });
    panel.push(h('div', { class: 'action-box' }, h('p', { class: 'help' }, t('orderReopenHelp')), button, error));
  }
  for (const line of order.lines) {
    if (mayAct && line.delivery?.allowedActions.includes('cancel')) panel.push(cancelLineBox(order.number, line.lineNo, again));
  }
  if (panel.length) out.push(h('div', { class: 'order-actions' }, ...panel));

  const booked = order.lines.filter((l) => l.booking);
  if (booked.length) {
    out.push(
      h('h2', {}, t('orderBooking')),
      table(
        t('orderBooking'),
        [t('line'), t('orderBookedWhen')],
        booked.map((l) => [String(l.lineNo), `${l.booking!.date} ${l.booking!.window}`]),
      ),
    );
  }

  const { data: timeline } = await api.GET('/v1/orders/{number}/timeline', { params: { path: { number: order.number }, query: { include: 'status' } } });
  out.push(
    h('h2', {}, t('orderTimeline')),
    table(
      t('orderTimeline'),
      [t('updated'), t('by'), t('line'), t('status'), t('comment')],
      [...(timeline?.items ?? [])]
        .reverse()
        .map((e) => [
          when(e.at),
          e.by,
          e.lineNo === null ? t('orderWhole') : String(e.lineNo),
          h(
            'span',
            {},
            e.fromStatus ? [apiStatusBadge(e.lineNo === null ? 'order' : 'order_line', e.fromStatus), ' → '] : null,
            apiStatusBadge(e.lineNo === null ? 'order' : 'order_line', e.toStatus),
          ),
          h('span', { class: 'wrap' }, e.text ?? ''),
        ]),
    ),
  );
  return out;
}

/** C-3: the charge first (GET …/cancellation), then a confirmation that accepts exactly that amount. */
function cancelLineBox(number: string, lineNo: number, done: () => void): HTMLElement {
  const box = h('div', { class: 'action-box cancel-line' });
  const start = h('button', { type: 'button' }, t('orderCancelLine', { n: lineNo })) as HTMLButtonElement;
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const path = { params: { path: { number, lineNo } } };
  const fail = (err: unknown) => {
    error.hidden = false;
    error.textContent = sentenceOf(err);
  };
  async function preview(): Promise<void> {
    error.hidden = true;
    const { data } = await api.GET('/v1/orders/{number}/lines/{lineNo}/cancellation', path);
    const line = data?.lines[0];
    if (!line || !line.cancellable) {
      error.hidden = false;
      error.textContent = t('orderCancelNotPossible', { n: lineNo });
      return;
    }
    const fee = line.feeOre ?? 0;
    const reason = h('textarea', { rows: 2, maxlength: 1000, id: `cancel-reason-${lineNo}` }) as HTMLTextAreaElement;
    const confirm = h('button', { type: 'button', class: 'primary danger' }, t('orderCancelConfirm', { amount: kroner(fee) })) as HTMLButtonElement;
    const back = h('button', { type: 'button' }, t('orderCancelKeep'));
    const charge = h(
      'p',
      { class: 'charge', role: 'status', 'data-fee-ore': fee },
      fee > 0 ? t('orderCancelCharge', { n: lineNo, amount: kroner(fee), status: line.status }) : t('orderCancelFree', { n: lineNo }),
    );
    confirm.addEventListener('click', () => {
      confirm.disabled = true;
      api
        .POST('/v1/orders/{number}/lines/{lineNo}/cancel', { ...path, body: { acceptedFeeOre: fee, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) } })
        .then(done)
        .catch((err: unknown) => {
          // C-3: the line moved on and the charge changed: show the new one, ask again
          if (err instanceof SambandProblem && err.code === 'cancellation_fee_changed') {
            void preview().then(() => {
              error.hidden = false;
              error.textContent = t('orderCancelFeeChanged');
            });
            return;
          }
          fail(err);
          confirm.disabled = false;
        });
    });
    back.addEventListener('click', () => {
      replaceChildren(box, start, error);
      start.focus();
    });
    replaceChildren(
      box,
      h('h3', {}, t('orderCancelLine', { n: lineNo })),
      charge,
      h('div', { class: 'field' }, h('label', { for: reason.id }, t('orderCancelReason')), reason),
      h('div', { class: 'buttons' }, confirm, back),
      error,
    );
    confirm.focus();
  }
  start.addEventListener('click', () => {
    start.disabled = true;
    preview()
      .catch(fail)
      .finally(() => (start.disabled = false));
  });
  replaceChildren(box, start, error);
  return box;
}
