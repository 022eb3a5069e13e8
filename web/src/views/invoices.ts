// Invoices for resellers (M-3): the list, newest period first; one invoice with its lines and disputes,
// the PDF and the CSV specification (M-3.3), and "service request from invoice" (S-6, M-3.4).
import { h } from '../dom';
import { t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api, canOrder, currentUser } from '../session';
import { apiStatusBadge, loadStatusTexts } from '../statuses';
import { definitionList, link, pager, pageTitle, table } from '../ui';
import { kroner } from './order-actions';
import { saveBlob } from './attachments';

export async function invoiceListView(route: Route): Promise<HTMLElement> {
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const { data } = await api.GET('/v1/invoices', { params: { query: { offset, limit: 25 } } });
  const page = data!;
  return h(
    'section',
    {},
    pageTitle(t('invoices')),
    table(
      t('invoices'),
      [t('number'), t('invoicePeriod'), t('invoiceDue'), t('invoiceTotal'), t('status')],
      page.items.map((x) => [link(`#/invoices/${encodeURIComponent(x.number)}`, x.number), x.period, x.dueDate, kroner(x.totalOre), x.status]),
    ),
    pager(page, (o) => go(`#/invoices?offset=${o}`)),
  );
}

/** The PDF and the CSV (M-3.3) are fetched with the bearer token (a plain link would carry none) and saved. */
function download(number: string, kind: 'pdf' | 'csv', label: string): HTMLElement {
  const path = { params: { path: { number } }, parseAs: 'blob' as const };
  const fetchIt = () => (kind === 'pdf' ? api.GET('/v1/invoices/{number}/pdf', path) : api.GET('/v1/invoices/{number}/specification.csv', path));
  return h(
    'button',
    {
      type: 'button',
      'data-download': kind,
      onclick: () =>
        void fetchIt().then(({ data }) => {
          if (data instanceof Blob) saveBlob(data, `${number}.${kind}`);
        }),
    },
    label,
  );
}

export async function invoiceDetailView(route: Route): Promise<HTMLElement> {
  const number = route.path[1]!;
  const [{ data }] = await Promise.all([api.GET('/v1/invoices/{number}', { params: { path: { number } } }), loadStatusTexts()]);
  const x = data!;
  const tpl = x.serviceRequestTemplate;
  return h(
    'section',
    {},
    pageTitle(`${t('invoice')} ${x.number}`),
    definitionList([
      [t('invoicePeriod'), x.period],
      [t('invoiceIssued'), x.issueDate],
      [t('invoiceDue'), x.dueDate],
      [t('invoiceNet'), kroner(x.netOre)],
      [t('invoiceVat', { pct: x.vatRatePct }), kroner(x.vatOre)],
      [t('invoiceTotal'), kroner(x.totalOre)],
      [t('invoiceCredited'), kroner(x.creditedOre)],
      [t('status'), x.status],
    ]),
    h(
      'div',
      { class: 'buttons' },
      download(x.number, 'pdf', t('invoicePdf')),
      download(x.number, 'csv', t('invoiceCsv')),
      canOrder(currentUser())
        ? h(
            'a',
            { class: 'button', href: `#/sr/new?${new URLSearchParams({ area: tpl.area, subArea: tpl.subArea, kind: tpl.reference.kind, value: tpl.reference.value })}` },
            t('invoiceServiceRequest'),
          )
        : null,
    ),
    h('h2', {}, t('invoiceLines')),
    table(
      t('invoiceLines'),
      [t('line'), t('invoiceDescription'), t('invoiceFromTo'), t('invoiceAmount')],
      x.lines.map((l) => [String(l.lineNo), h('span', { class: 'wrap' }, l.description), `${l.fromDate} – ${l.toDate}`, kroner(l.amountOre)]),
    ),
    h('h2', {}, t('invoiceDisputes')),
    table(
      t('invoiceDisputes'),
      [t('serviceRequests'), t('status'), t('invoiceOutcome')],
      x.disputes.map((d) => [
        link(`#/sr/${encodeURIComponent(d.serviceRequest)}`, d.serviceRequest),
        apiStatusBadge('service_request', d.serviceRequestStatus),
        d.outcome
          ? h('span', { class: 'wrap' }, `${d.outcome.outcome === 'credit_note' ? t('invoiceCreditNote', { amount: kroner(d.outcome.creditOre ?? 0) }) : t('invoiceRejected')} ${d.outcome.note}`)
          : '–',
      ]),
    ),
    h('p', {}, link('#/invoices', `← ${t('back')}`)),
  );
}
