// Trouble tickets for resellers (M-2): the list; raising one after the precheck (M-2.2 the line test,
// M-2.3 the open tickets and operational messages for the product); one ticket with its repair clock
// (M-2.4: time used and left), Customer Update when Incomplete, and confirm or reopen when Resolved (M-2.5).
import type { components } from '../../../client';
import { type Child, h, replaceChildren } from '../dom';
import { Form, problemSentence } from '../form';
import { t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api, canOrder, currentUser, SambandProblem } from '../session';
import { apiStatusBadge, loadStatusTexts } from '../statuses';
import { definitionList, link, pager, pageTitle, select, table, when } from '../ui';
import '../orders.css';

type Precheck = components['schemas']['TroubleTicketPrecheck'];
type Message = components['schemas']['TroubleTicketOperationalMessage'];
const CATEGORIES = ['No service', 'Degraded service', 'Intermittent fault', 'Noise or crosstalk', 'Equipment', 'Other'] as const;
const SEVERITIES = ['Critical', 'Major', 'Minor'] as const;

export async function ttListView(route: Route): Promise<HTMLElement> {
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const [{ data }] = await Promise.all([api.GET('/v1/trouble-tickets', { params: { query: { offset, limit: 25 } } }), loadStatusTexts()]);
  const page = data!;
  return h(
    'section',
    {},
    pageTitle(t('troubleTickets'), canOrder(currentUser()) ? h('a', { class: 'button primary', href: '#/trouble-tickets/new' }, t('ttNew')) : null),
    table(
      t('troubleTickets'),
      [t('number'), t('status'), t('title'), t('ttSeverity'), t('ttEscalation'), t('updated')],
      page.items.map((x) => [
        link(`#/trouble-tickets/${encodeURIComponent(x.number)}`, x.number),
        apiStatusBadge('trouble_ticket', x.status),
        h('span', { class: 'wrap' }, x.title),
        x.severity,
        x.escalation ? escalationText(x.escalation) : '–',
        when(x.updatedAt),
      ]),
    ),
    pager(page, (o) => go(`#/trouble-tickets?offset=${o}`)),
  );
}

const escalationText = (e: string) => (e === 'breached' ? t('ttBreached') : t('ttWarning'));

function messagesList(items: Message[]): Child {
  if (items.length === 0) return h('p', {}, t('ttNoMessages'));
  return h(
    'ul',
    { class: 'messages' },
    items.map((m) => h('li', {}, h('strong', {}, `${m.kind === 'fault' ? t('ttKnownFault') : t('ttPlannedWork')}: ${m.title}`), ' ', h('span', { class: 'wrap' }, m.body))),
  );
}

const LINE_TEST: Record<string, 'ttFaultFound' | 'ttNoFaultFound' | 'ttTestUnavailable'> = { fault_found: 'ttFaultFound', no_fault_found: 'ttNoFaultFound', unavailable: 'ttTestUnavailable' };

/** M-2.2 / M-2.3: the product is named by its number; the line is tested and what is open on it shown before the ticket is written. */
export async function ttNewView(): Promise<HTMLElement> {
  const number = h('input', { type: 'text', autocomplete: 'off', maxlength: 20 }) as HTMLInputElement;
  const step2 = h('div', { 'aria-live': 'polite' });
  const precheck = new Form(
    async () => {
      replaceChildren(step2);
      const { data } = await api.POST('/v1/trouble-tickets/precheck', { body: { number: number.value.trim() } });
      replaceChildren(step2, precheckResult(data!, number.value.trim()));
      step2.querySelector<HTMLElement>('h2')?.focus();
    },
    { label: t('ttPrecheck') },
  );
  precheck.add(
    h('p', { class: 'help' }, t('ttPrecheckHelp')),
    precheck.field('body.number', t('ttProductNumber'), number),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('ttPrecheck'))),
  );
  return h('section', {}, pageTitle(t('ttNew')), precheck.el, step2);
}

function precheckResult(p: Precheck, number: string): HTMLElement {
  const test = p.lineTest;
  const parts: Child[] = [
    h('h2', { tabindex: '-1' }, t('ttPrecheckResult')),
    definitionList([
      [t('product'), p.product ? `${p.product.productName} (${p.product.number})` : '–'],
      [t('address'), h('span', { class: 'wrap' }, p.product?.address.label ?? '–')],
      [t('endUser'), h('span', { class: 'wrap' }, p.product?.endUserName ?? '–')],
      [t('ttLineTest'), test ? h('span', { 'data-verdict': test.verdict }, `${t(LINE_TEST[test.verdict]!)} ${test.detail}`) : '–'],
    ]),
    h('h3', {}, t('ttOpenTickets')),
    p.openTickets.length
      ? h(
          'ul',
          {},
          p.openTickets.map((x) =>
            h('li', {}, link(`#/trouble-tickets/${encodeURIComponent(x.number)}`, x.number), ' ', apiStatusBadge('trouble_ticket', x.status), ' ', h('span', { class: 'wrap' }, x.title)),
          ),
        )
      : h('p', {}, t('ttNoOpenTickets')),
    h('h3', {}, t('ttMessages')),
    messagesList(p.operationalMessages),
  ];
  if (!p.mayRaise) {
    parts.push(h('p', { class: 'form-error', role: 'alert' }, p.duplicateOf ? t('ttDuplicate', { number: p.duplicateOf }) : (p.reason ?? t('ttMayNotRaise'))));
    return h('div', { class: 'step' }, ...parts);
  }
  const symptom = h('textarea', { rows: 4, maxlength: 4000 }) as HTMLTextAreaElement;
  const category = select(
    CATEGORIES.map((c) => [c, c]),
    '',
    t('choose'),
  );
  const severity = select(
    SEVERITIES.map((c) => [c, c]),
    '',
    t('choose'),
  );
  const contactName = h('input', { type: 'text', maxlength: 100 }) as HTMLInputElement;
  const contactPhone = h('input', { type: 'tel', inputmode: 'numeric', maxlength: 15 }) as HTMLInputElement;
  const access = h('input', { type: 'text', maxlength: 200 }) as HTMLInputElement;
  const idempotencyKey = crypto.randomUUID();
  const form = new Form(
    async () => {
      const created = await api.POST('/v1/trouble-tickets', {
        headers: { 'Idempotency-Key': idempotencyKey },
        body: {
          number,
          symptom: symptom.value,
          category: category.value,
          severity: severity.value,
          endUserContact: { name: contactName.value, phone: contactPhone.value.trim(), accessHours: access.value },
        } as never,
      });
      const ticket = created.data!;
      // M-2.5: raised New, then submitted to the fault desk (the repair clock starts)
      await api.POST('/v1/trouble-tickets/{number}/submit', { params: { path: { number: ticket.number } }, body: {} });
      go(`#/trouble-tickets/${encodeURIComponent(ticket.number)}`);
    },
    { label: t('ttRaise') },
  );
  form.add(
    form.field('body.symptom', t('ttSymptom'), symptom, t('ttSymptomHelp')),
    h('div', { class: 'row' }, form.field('body.category', t('ttCategory'), category), form.field('body.severity', t('ttSeverity'), severity, t('ttSeverityHelp'))),
    h('div', { class: 'row' }, form.field('body.endUserContact.name', t('ttContactName'), contactName), form.field('body.endUserContact.phone', t('ttContactPhone'), contactPhone)),
    form.field('body.endUserContact.accessHours', t('ttAccessHours'), access),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('ttRaise'))),
  );
  parts.push(h('h2', {}, t('ttRaise')), form.el);
  return h('div', { class: 'step' }, ...parts);
}

/** Hours and minutes of a duration (the repair clock, M-2.4); negative is "over by". */
function duration(ms: number): string {
  const abs = Math.abs(ms);
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  return t('ttDuration', { hours, minutes });
}

export async function ttDetailView(route: Route): Promise<HTMLElement> {
  const number = route.path[1]!;
  const [{ data }] = await Promise.all([api.GET('/v1/trouble-tickets/{number}', { params: { path: { number } } }), loadStatusTexts()]);
  const x = data!;
  const clock = x.repairClock;
  const again = () => go(`#/trouble-tickets/${encodeURIComponent(number)}`);
  const path = { params: { path: { number } } };
  const actions: HTMLElement[] = [];
  const mayAct = canOrder(currentUser());
  const textAction = (label: string, field: 'text' | 'reason', help: string, send: (text: string) => Promise<unknown>) => {
    const text = h('textarea', { rows: 3, maxlength: 4000 }) as HTMLTextAreaElement;
    const form = new Form(
      async () => {
        await send(text.value);
        again();
      },
      { label },
    );
    form.add(h('h2', {}, label), form.field(`body.${field}`, help, text), h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, label)));
    return form.el;
  };
  if (mayAct && x.allowedActions.includes('customerUpdate'))
    actions.push(textAction(t('ttCustomerUpdate'), 'text', t('ttAnswer'), (text) => api.POST('/v1/trouble-tickets/{number}/customer-update', { ...path, body: { text } })));
  if (mayAct && x.allowedActions.includes('confirm')) {
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const button = h('button', { type: 'button', class: 'primary' }, t('ttConfirm')) as HTMLButtonElement;
    button.addEventListener('click', () => {
      button.disabled = true;
      api
        .POST('/v1/trouble-tickets/{number}/confirm', { ...path, body: {} })
        .then(again)
        .catch((err: unknown) => {
          error.hidden = false;
          error.textContent = err instanceof SambandProblem ? problemSentence(err) : t('errorGeneric');
          button.disabled = false;
        });
    });
    actions.push(h('div', { class: 'action-box' }, h('p', { class: 'help' }, t('ttConfirmHelp', { date: x.autoCloseAt ? when(x.autoCloseAt).textContent! : '–' })), button, error));
  }
  if (mayAct && x.allowedActions.includes('reopen'))
    actions.push(textAction(t('ttReopen'), 'reason', t('ttReopenReason'), (reason) => api.POST('/v1/trouble-tickets/{number}/reopen', { ...path, body: { reason } })));
  return h(
    'section',
    {},
    pageTitle(`${t('troubleTicket')} ${x.number}`, apiStatusBadge('trouble_ticket', x.status)),
    definitionList([
      [t('status'), apiStatusBadge('trouble_ticket', x.status)],
      [t('product'), `${x.product.productName} (${x.product.number})`],
      [t('address'), h('span', { class: 'wrap' }, x.product.address.label)],
      [t('ttSymptom'), h('span', { class: 'wrap' }, x.symptom)],
      [t('ttCategory'), x.category],
      [t('ttSeverity'), x.severity],
      [t('ttLineTest'), `${t(LINE_TEST[x.lineTest.verdict]!)} ${x.lineTest.detail}`],
      [t('ttMissing'), h('span', { class: 'wrap' }, x.missingInformation ?? '–')],
      [t('ttResolution'), h('span', { class: 'wrap' }, x.resolution ? `${x.resolution.cause}: ${x.resolution.text}` : '–')],
    ]),
    h('h2', {}, t('ttRepairClock')),
    h(
      'p',
      { class: 'repair-clock', 'data-used-ms': clock.usedMs, 'data-left-ms': clock.leftMs },
      t('ttClock', { target: clock.targetHours, used: duration(clock.usedMs) }),
      ' ',
      clock.leftMs >= 0 ? t('ttClockLeft', { left: duration(clock.leftMs) }) : t('ttClockOver', { over: duration(clock.leftMs) }),
      ' ',
      clock.running ? t('ttClockRunning') : t('ttClockPaused'),
      clock.escalation ? ` ${escalationText(clock.escalation)}` : '',
    ),
    h('h2', {}, t('ttMessages')),
    messagesList(x.operationalMessages),
    actions.length ? h('div', { class: 'actions-panel' }, ...actions) : null,
    mayAct ? h('p', {}, h('a', { class: 'button', href: `#/sr/new?${new URLSearchParams({ kind: 'trouble_ticket', value: x.number })}` }, t('ttServiceRequest'))) : null,
    h('h2', {}, t('activity')),
    table(
      t('activity'),
      [t('updated'), t('by'), t('status'), t('comment')],
      [...x.activity]
        .reverse()
        .map((a) => [
          when(a.at),
          a.by,
          h('span', {}, a.fromStatus ? [apiStatusBadge('trouble_ticket', a.fromStatus), ' → '] : null, apiStatusBadge('trouble_ticket', a.toStatus)),
          h('span', { class: 'wrap' }, a.text ?? ''),
        ]),
    ),
    h('p', {}, link('#/trouble-tickets', `← ${t('back')}`)),
  );
}
