// Quotes (Q-1…Q-12): the reseller's list, a new quote with its first line (product, speed, addresses A
// and B from the address register), more lines, Estimate Price with the manual-pricing confirmation
// (Q-8), Incomplete answered with Customer Update (Q-9, Q-11), Customer Closed, cancelling, and ordering
// the Completed lines (Q-12); the handler's manual pricing on the same page (take, Incomplete, price,
// cancel). Every button comes from the quote's allowedActions.
import type { components } from '../../../client';
import { type Child, h, uid } from '../dom';
import { Form } from '../form';
import { lang, t } from '../i18n';
import type { Route } from '../main';
import { go } from '../nav';
import { api, canOrder, currentUser, isHandler } from '../session';
import { definitionList, link, pager, pageTitle, select, table, when } from '../ui';
import { actionBox, actionButton, caseBadge, kroner, oreOf, reword, statusTexts } from './workbench-kit';

type Quote = components['schemas']['Quote'];
type QuoteLine = components['schemas']['QuoteLine'];
type Product = components['schemas']['Product'];
type Address = components['schemas']['Address'];
type LineInput = components['schemas']['QuoteLineInput'];

const QUOTE_STATUSES = ['New', 'Received', 'In Process', 'Incomplete', 'Customer Update', 'Completed', 'Cancelled'] as const;
type QuoteStatus = (typeof QUOTE_STATUSES)[number];

const orAbsent = (v: string) => (v.trim() === '' ? undefined : v.trim());

// ---- list --------------------------------------------------------------------------------------

export async function quoteListView(route: Route): Promise<HTMLElement> {
  const status = (QUOTE_STATUSES as readonly string[]).includes(route.query.get('status') ?? '') ? (route.query.get('status') as QuoteStatus) : undefined;
  const offset = Number(route.query.get('offset') ?? 0) || 0;
  const [{ data }, texts] = await Promise.all([api.GET('/v1/quotes', { params: { query: { ...(status ? { status } : {}), offset, limit: 25 } } }), statusTexts()]);
  const page = data!;
  const filter = select(
    QUOTE_STATUSES.map((s) => [s, s]),
    status ?? '',
    t('allStatuses'),
  );
  filter.id = 'quote-status-filter';
  filter.addEventListener('change', () => go(filter.value ? `#/quotes?status=${encodeURIComponent(filter.value)}` : '#/quotes'));
  const user = currentUser();
  return h(
    'section',
    {},
    pageTitle(t('quotes'), canOrder(user) ? h('a', { class: 'button primary', href: '#/quotes/new' }, t('newQuote')) : null),
    h('div', { class: 'filters' }, h('label', { for: filter.id }, t('filterStatus')), filter),
    table(
      t('quotes'),
      [t('number'), t('status'), t('quoteReference'), t('products'), t('completedLines'), ...(isHandler(user) ? [t('company')] : []), t('updated')],
      page.items.map((q) => [
        link(`#/quotes/${encodeURIComponent(q.number)}`, q.number),
        caseBadge(texts, 'quote', q.status),
        h('span', { class: 'wrap' }, q.customerReference ?? '–'),
        h('span', { class: 'wrap' }, q.products.join(', ') || '–'),
        `${q.completedLines} / ${q.lineCount}`,
        ...(isHandler(user) ? [q.companyId] : []),
        when(q.updatedAt),
      ]),
    ),
    pager(page, (o) => go(`#/quotes?${new URLSearchParams({ ...(status ? { status } : {}), offset: String(o) })}`)),
  );
}

// ---- a line: product, speed, addresses ---------------------------------------------------------

/** The register's search from one text: "Karl Johans gate 22", "0159", "Kirkegata 15, 0153" or a town. */
async function searchAddresses(text: string): Promise<Address[]> {
  const s = text.trim();
  if (!s) return [];
  const postcode = s.match(/\b(\d{4})\b/)?.[1];
  const rest = s
    .replace(/\b\d{4}\b/, '')
    .replace(/[,\s]+$/, '')
    .trim();
  const m = rest.match(/^(.*?\D)\s*(\d{1,4})\s*[A-Za-z]?$/);
  const street = (m ? m[1]! : rest).replace(/[,\s]+$/, '').trim();
  const houseNumber = m ? Number(m[2]) : undefined;
  const query = { ...(street ? { street } : {}), ...(houseNumber !== undefined ? { houseNumber } : {}), ...(postcode ? { postcode } : {}), limit: 20 };
  const { data } = await api.GET('/v1/reference/addresses', { params: { query } });
  if ((data?.items.length ?? 0) > 0 || !street || houseNumber !== undefined) return data?.items ?? [];
  // a single word that is no street: a town
  const byTown = await api.GET('/v1/reference/addresses', { params: { query: { town: street, limit: 20 } } });
  return byTown.data?.items ?? [];
}

/** An address picked from the register: a search box, then a list of the hits labelled for the field. */
function addressPicker(form: Form, path: string, label: string, current?: { id: string; label: string } | null): { el: HTMLElement; value: () => string | undefined; show: (on: boolean) => void } {
  const chosen = select(current ? [[current.id, current.label]] : [], current?.id ?? '', t('chooseAddressFirst'));
  const box = h('input', { type: 'search', autocomplete: 'off', maxlength: 100 }) as HTMLInputElement;
  box.id = uid('addr-q');
  const status = h('p', { class: 'help', role: 'status' });
  const run = async () => {
    status.textContent = t('loading');
    try {
      const hits = await searchAddresses(box.value);
      chosen.replaceChildren(h('option', { value: '' }, hits.length ? t('choose') : t('chooseAddressFirst')), ...hits.map((a) => h('option', { value: a.id }, a.label)));
      // the register answers best hit first: it is chosen, the others are a click away
      if (hits.length > 0) chosen.value = hits[0]!.id;
      status.textContent = hits.length ? t('searchHits', { n: hits.length }) : t('searchNoHits');
    } catch (err) {
      form.show(err);
      status.textContent = '';
    }
  };
  // Enter in the search box searches (it does not send the whole form)
  box.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') {
      e.preventDefault();
      void run();
    }
  });
  const el = h(
    'div',
    { class: 'address-pick' },
    h(
      'div',
      { class: 'address-search' },
      h('div', { class: 'field' }, h('label', { for: box.id }, t('addressSearch', { which: label })), box),
      h('button', { type: 'button', onclick: () => void run() }, t('search')),
    ),
    status,
    form.field(path, label, chosen),
  );
  return { el, value: () => orAbsent(chosen.value), show: (on) => (el.hidden = !on) };
}

/** A file the user picked, uploaded once (G-4: POST /v1/attachments), however often the form is sent. */
function attachmentInput(): { input: HTMLInputElement; ids: () => Promise<string[] | undefined> } {
  const input = h('input', { type: 'file', accept: 'application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg' }) as HTMLInputElement;
  let uploaded: { file: File; id: string } | null = null;
  return {
    input,
    ids: async () => {
      const file = input.files?.[0];
      if (!file) return undefined;
      if (uploaded?.file !== file) {
        const bytes = new Uint8Array(await file.arrayBuffer());
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        const { data } = await api.POST('/v1/attachments', { body: { filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: btoa(binary) } });
        uploaded = { file, id: data!.id };
      }
      return [uploaded.id];
    },
  };
}

/** The fields of one quote line in a form; `prefix` is the line's path in the request (body.lines.0. or body.). */
function lineEditor(form: Form, products: Product[], prefix: string, legend: string, current?: QuoteLine): { el: HTMLElement; value: () => Promise<LineInput> } {
  const product = select(
    products.map((p) => [p.code, p.name]),
    current?.productCode ?? '',
    t('choose'),
  );
  const speed = select([], '', t('choose'));
  const a = addressPicker(form, `${prefix}addressAId`, t('addressA'), current?.addressA);
  const b = addressPicker(form, `${prefix}addressBId`, t('addressB'), current?.addressB);
  const oneEnded = h('p', { class: 'help', hidden: true }, t('oneEnded'));
  // Q-4: no address in the register: the site is described in an attachment instead (Q-7: always for Telelosji)
  const flag = h('input', { type: 'checkbox', checked: current?.attachmentFlag ?? false }) as HTMLInputElement;
  const file = attachmentInput();
  const show = () => {
    const p = products.find((x) => x.code === product.value);
    const twoEnded = !p || p.twoEnded;
    a.show(!flag.checked);
    b.show(twoEnded && !flag.checked);
    oneEnded.hidden = twoEnded || flag.checked;
  };
  const fit = () => {
    const p = products.find((x) => x.code === product.value);
    speed.replaceChildren(h('option', { value: '' }, p && !p.needsSpeed ? t('noSpeed') : t('choose')), ...(p?.speedsMbps ?? []).map((s) => h('option', { value: String(s) }, `${s} Mbit/s`)));
    speed.disabled = !!p && !p.needsSpeed;
    if (p?.family === 'colocation') flag.checked = true;
    show();
  };
  product.addEventListener('change', fit);
  flag.addEventListener('change', show);
  fit();
  if (current?.speedMbps != null) speed.value = String(current.speedMbps);
  const el = h(
    'fieldset',
    { class: 'line-editor' },
    h('legend', {}, legend),
    h('div', { class: 'row' }, form.field(`${prefix}productCode`, t('product'), product), form.field(`${prefix}speedMbps`, t('speed'), speed)),
    h('div', { class: 'checkbox-field' }, form.field(`${prefix}attachmentFlag`, t('attachmentFlag'), flag, t('attachmentFlagHelp'))),
    a.el,
    b.el,
    oneEnded,
    form.field(
      `${prefix}attachmentIds`,
      t('attachment'),
      file.input,
      current?.attachments.length ? t('attachmentKept', { names: current.attachments.map((x) => x.filename).join(', ') }) : t('attachmentHelp'),
    ),
  );
  return {
    el,
    value: async () => {
      const p = products.find((x) => x.code === product.value);
      const ids = await file.ids();
      return {
        productCode: product.value, // empty: the API names the field (Q-2)
        ...(speed.value ? { speedMbps: Number(speed.value) } : {}),
        ...(a.value() && !flag.checked ? { addressAId: a.value() } : {}),
        ...(b.value() && !flag.checked && (!p || p.twoEnded) ? { addressBId: b.value() } : {}),
        attachmentFlag: flag.checked,
        ...(ids ? { attachmentIds: ids } : {}),
      } as LineInput;
    },
  };
}

async function quoteProducts(): Promise<Product[]> {
  const { data } = await api.GET('/v1/reference/products');
  return (data?.items ?? []).filter((p) => p.quoteOnly); // Q-1: quotes are for capacity products and co-location
}

// ---- new quote ---------------------------------------------------------------------------------

export async function quoteNewView(): Promise<HTMLElement> {
  const products = await quoteProducts();
  const reference = h('input', { type: 'text', autocomplete: 'off', maxlength: 60 }) as HTMLInputElement;
  const description = h('textarea', { rows: 3, maxlength: 2000 }) as HTMLTextAreaElement;
  const idempotencyKey = crypto.randomUUID(); // a resend of this form creates one quote
  const form = new Form(
    async () => {
      const { data } = await api.POST('/v1/quotes', {
        headers: { 'Idempotency-Key': idempotencyKey },
        body: { customerReference: orAbsent(reference.value), description: orAbsent(description.value), lines: [await line.value()] } as never,
      });
      go(`#/quotes/${encodeURIComponent(data!.number)}`);
    },
    { label: t('newQuote') },
  );
  const line = lineEditor(form, products, 'body.lines.0.', t('quoteLineN', { n: 1 }));
  form.add(
    h('div', { class: 'row' }, form.field('body.customerReference', t('quoteReference'), reference)),
    form.field('body.description', t('quoteDescription'), description),
    line.el,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, t('create')), h('a', { class: 'button', href: '#/quotes' }, t('cancel'))),
  );
  return h('section', {}, pageTitle(t('newQuote')), form.el);
}

// ---- one quote ---------------------------------------------------------------------------------

const addressCell = (x: QuoteLine['addressA']) => h('span', { class: 'wrap address' }, x ? x.label : '–');
const priceCell = (l: QuoteLine) =>
  l.price
    ? h(
        'span',
        {},
        h('span', { class: 'money' }, t('perMonth', { amount: kroner(l.price.monthlyRentOre) })),
        h('br'),
        h('span', { class: 'money' }, t('establishmentShort', { amount: kroner(l.price.establishmentOre) })),
        l.priceValidUntil ? h('span', { class: 'help' }, h('br'), `${t('priceValidUntil')} ${l.priceValidUntil}`) : null,
      )
    : '–';

export async function quoteDetailView(route: Route): Promise<HTMLElement> {
  const number = route.path[1]!;
  const [{ data }, texts] = await Promise.all([api.GET('/v1/quotes/{number}', { params: { path: { number } } }), statusTexts()]);
  const quote = data!;
  const user = currentUser();
  // the catalogue only where this user may add or change a line
  const products = quote.allowedActions.includes('addLine') || quote.lines.some((l) => l.allowedActions.includes('change')) ? await quoteProducts() : null;
  return h(
    'section',
    {},
    pageTitle(`${t('quote')} ${quote.number}`, caseBadge(texts, 'quote', quote.status)),
    definitionList([
      [t('status'), caseBadge(texts, 'quote', quote.status)],
      [t('completedLines'), String(quote.completedLines)],
      [t('quoteReference'), h('span', { class: 'wrap' }, quote.customerReference ?? '–')],
      [t('quoteDescription'), quote.description ? h('p', { class: 'text' }, quote.description) : '–'],
      ...(isHandler(user) ? ([[t('company'), quote.companyId]] as Array<[string, Child]>) : []),
      [t('created'), when(quote.createdAt)],
      [t('updated'), when(quote.updatedAt)],
    ]),
    h('h2', {}, t('quoteLines')),
    table(
      t('quoteLines'),
      [t('line'), t('status'), t('product'), t('addressA'), t('addressB'), t('price'), t('comment')],
      quote.lines.map((l) => [
        String(l.lineNo),
        h(
          'span',
          {},
          caseBadge(texts, 'quote_line', l.status),
          l.orderedAs ? h('span', { class: 'help nowrap' }, h('br'), `${t('orderedAs')} `, link(`#/orders/${encodeURIComponent(l.orderedAs)}`, l.orderedAs)) : null,
        ),
        h(
          'span',
          { class: 'wrap' },
          `${l.productName}${l.speedMbps !== null ? ` ${l.speedMbps} Mbit/s` : ''}`,
          l.attachments.length ? h('span', { class: 'help' }, h('br'), `${t('attachment')}: ${l.attachments.map((x) => x.filename).join(', ')}`) : null,
        ),
        addressCell(l.addressA),
        addressCell(l.addressB),
        priceCell(l),
        h('span', { class: 'wrap' }, l.comment ?? '–'),
      ]),
    ),
    manualPricingConfirmation(quote),
    quoteActions(quote),
    lineActions(quote, products),
    quote.allowedActions.includes('addLine') && products ? addLineForm(quote, products) : null,
    h('h2', {}, t('activity')),
    table(
      t('activity'),
      [t('updated'), t('by'), t('line'), t('status'), t('comment')],
      [...quote.activity]
        .reverse()
        .map((a) => [
          when(a.at),
          a.by,
          a.lineNo !== undefined ? String(a.lineNo) : '–',
          a.fromStatus && a.fromStatus !== a.toStatus ? `${a.fromStatus} → ${a.toStatus}` : a.toStatus,
          h('span', { class: 'wrap' }, a.text ?? ''),
        ]),
    ),
    h('p', {}, link('#/quotes', `← ${t('back')}`)),
  );
}

const again = (quote: Quote) => () => go(`#/quotes/${encodeURIComponent(quote.number)}`);
const path = (quote: Quote) => ({ params: { path: { number: quote.number } } });
const linePath = (quote: Quote, lineNo: number) => ({ params: { path: { number: quote.number, lineNo } } });

/** Why a line is priced by hand: the rule in the user's language, then the API's particulars (zones, speed). */
function manualReason(rule: string, reason: string): string {
  const key = ({ 'Q-5': 'manualRuleQ5', 'Q-6': 'manualRuleQ6', 'Q-7': 'manualRuleQ7' } as const)[rule as 'Q-5' | 'Q-6' | 'Q-7'];
  return key && lang === 'nb' ? `${t(key)} (${rule}; ${reason})` : `${reason} (${rule})`;
}

/** Q-8: lines that need manual pricing go to the wholesaler only when the user confirms them. */
function manualPricingConfirmation(quote: Quote): HTMLElement | null {
  if (quote.awaitingConfirmation.length === 0 || !quote.allowedActions.includes('submit')) return null;
  const boxes = quote.awaitingConfirmation.map((w) => {
    const line = quote.lines.find((l) => l.lineNo === w.lineNo);
    const box = h('input', { type: 'checkbox', value: String(w.lineNo), checked: true }) as HTMLInputElement;
    box.id = uid('confirm');
    const indicative = line?.manualPricing?.indicativeMonthlyRentOre;
    return {
      box,
      el: h(
        'li',
        {},
        h('label', { for: box.id }, box, h('span', {}, t('manualPricingLine', { n: w.lineNo, reason: manualReason(w.rule, w.reason) }))),
        indicative !== null && indicative !== undefined ? h('p', { class: 'help' }, t('indicativeRent', { amount: kroner(indicative) })) : null,
      ),
    };
  });
  const form = new Form(
    async () => {
      const chosen = boxes.filter((b) => b.box.checked).map((b) => Number(b.box.value));
      if (chosen.length === 0) return form.showSummary(t('chooseAtLeastOne'));
      await api.POST('/v1/quotes/{number}/submit', { ...path(quote), body: { confirmManualPricing: chosen } });
      again(quote)();
    },
    { label: t('manualPricingTitle') },
  );
  form.add(
    h('p', { class: 'help' }, t('manualPricingHelp')),
    h(
      'ul',
      { class: 'checks' },
      boxes.map((b) => b.el),
    ),
    h('button', { type: 'submit', class: 'primary' }, t('confirmManualPricing')),
  );
  return h('div', { class: 'actions-panel', role: 'region', 'aria-label': t('manualPricingTitle') }, h('h2', {}, t('manualPricingTitle')), form.el);
}

/** The quote-level buttons: Estimate Price, Order All Line Items, cancel the quote. */
function quoteActions(quote: Quote): HTMLElement | null {
  const parts: HTMLElement[] = [];
  const allowed = new Set(quote.allowedActions);
  if (allowed.has('submit')) {
    parts.push(
      h(
        'div',
        {},
        actionButton(t('estimatePrice'), () => api.POST('/v1/quotes/{number}/submit', { ...path(quote), body: { confirmManualPricing: [] } }), again(quote), 'primary'),
        h('p', { class: 'help' }, t('estimateHelp')),
      ),
    );
  }
  const orderable = quote.lines.filter((l) => l.orderable);
  if (canOrder(currentUser()) && orderable.length > 0) {
    const all = quote.status === 'Completed';
    if (all) parts.push(h('div', {}, orderButton(quote, t('orderAllLines')), h('p', { class: 'help' }, t('orderAllHelp'))));
    // one line at a time where Order All would not take them all, or the user wants only some
    if (!all || orderable.length > 1) for (const l of orderable) parts.push(orderButton(quote, t('orderLine', { n: l.lineNo }), l.lineNo));
  }
  if (allowed.has('cancelQuote')) parts.push(actionButton(t('cancelQuote'), () => api.POST('/v1/quotes/{number}/cancel', { ...path(quote), body: {} }), again(quote)));
  return parts.length ? h('div', { class: 'actions-panel' }, ...parts) : null;
}

/** Q-12: Order Line Item / Order All Line Items; the new order (New) opens to be completed and submitted. */
function orderButton(quote: Quote, label: string, lineNo?: number): HTMLElement {
  const idempotencyKey = crypto.randomUUID();
  let made: string | undefined;
  return actionButton(
    label,
    async () => {
      const { data } = await api.POST('/v1/orders/from-quote', {
        headers: { 'Idempotency-Key': idempotencyKey },
        body: { quoteNumber: quote.number, ...(lineNo !== undefined ? { lineNo } : {}) },
      });
      made = data!.orders.length === 1 ? data!.orders[0]!.number : undefined;
    },
    () => (made ? go(`#/orders/${encodeURIComponent(made)}`) : again(quote)()),
    'primary',
  );
}

/** The line actions this user may take now: the reseller's answers and the handler's pricing. */
function lineActions(quote: Quote, products: Product[] | null): HTMLElement | null {
  const boxes: HTMLElement[] = [];
  const done = again(quote);
  for (const l of quote.lines) {
    const allowed = new Set(l.allowedActions);
    const p = linePath(quote, l.lineNo);
    if (allowed.has('customerUpdate')) {
      const comment = h('textarea', { rows: 3, maxlength: 2000 }) as HTMLTextAreaElement;
      const form = new Form(
        async () => {
          // Q-11 (slide 44): "gjør endringene og sett status til Customer Update" — the changed fields first
          if (editor) {
            const now = await editor.value();
            const changes = {
              ...(now.productCode !== l.productCode ? { productCode: now.productCode } : {}),
              ...(now.attachmentFlag !== l.attachmentFlag ? { attachmentFlag: now.attachmentFlag } : {}),
              ...(now.attachmentIds ? { attachmentIds: now.attachmentIds } : {}),
              ...((now.speedMbps ?? null) !== l.speedMbps ? { speedMbps: now.speedMbps ?? null } : {}),
              ...((now.addressAId ?? null) !== (l.addressA?.id ?? null) ? { addressAId: now.addressAId ?? null } : {}),
              ...((now.addressBId ?? null) !== (l.addressB?.id ?? null) ? { addressBId: now.addressBId ?? null } : {}),
            };
            if (Object.keys(changes).length > 0) await api.PATCH('/v1/quotes/{number}/lines/{lineNo}', { ...p, body: changes });
          }
          await api.POST('/v1/quotes/{number}/lines/{lineNo}/customer-update', { ...p, body: { ...(orAbsent(comment.value) ? { comment: comment.value.trim() } : {}) } });
          done();
        },
        { label: t('quoteCustomerUpdate', { n: l.lineNo }) },
      );
      const editor = allowed.has('change') && products ? lineEditor(form, products, 'body.', t('quoteLineN', { n: l.lineNo }), l) : null;
      boxes.push(
        actionBox(
          t('quoteCustomerUpdate', { n: l.lineNo }),
          form,
          h('p', { class: 'help' }, t('quoteCustomerUpdateHelp')),
          l.comment ? definitionList([[t('whatIsMissing'), h('p', { class: 'text attention' }, l.comment)]]) : null,
          editor?.el,
          form.field('body.comment', t('yourComment'), comment),
          h('button', { type: 'submit', class: 'primary' }, t('sendCustomerUpdate')),
        ),
      );
    }
    if (allowed.has('take')) boxes.push(actionButton(t('takeQuoteLine', { n: l.lineNo }), () => api.POST('/v1/handler/quotes/{number}/lines/{lineNo}/take', p), done, 'primary'));
    if (allowed.has('complete')) boxes.push(priceForm(quote, l, done));
    if (allowed.has('setIncomplete')) {
      boxes.push(
        textAction(t('quoteIncomplete', { n: l.lineNo }), t('requestInfoText'), (comment) => api.POST('/v1/handler/quotes/{number}/lines/{lineNo}/incomplete', { ...p, body: { comment } }), done),
      );
    }
    if (allowed.has('cancelByHandler')) {
      boxes.push(
        textAction(t('cancelQuoteLineHandler', { n: l.lineNo }), t('cancelReason'), (comment) => api.POST('/v1/handler/quotes/{number}/lines/{lineNo}/cancel', { ...p, body: { comment } }), done),
      );
    }
    if (allowed.has('customerClose')) boxes.push(actionButton(t('closeQuoteLine', { n: l.lineNo }), () => api.POST('/v1/quotes/{number}/lines/{lineNo}/close', { ...p, body: {} }), done));
    // with one line, cancelling the quote is the same thing
    if (allowed.has('cancel') && quote.lines.length > 1) {
      boxes.push(actionButton(t('cancelQuoteLine', { n: l.lineNo }), () => api.POST('/v1/quotes/{number}/lines/{lineNo}/cancel', { ...p, body: {} }), done));
    }
  }
  return boxes.length ? h('div', { class: 'actions-panel action-grid' }, ...boxes) : null;
}

/** A text (required by the API) and its button. */
function textAction(title: string, fieldLabel: string, run: (text: string) => Promise<unknown>, done: () => void): HTMLElement {
  const text = h('textarea', { rows: 3, maxlength: 2000 }) as HTMLTextAreaElement;
  const form = new Form(
    async () => {
      await run((text.value.trim() || undefined) as string); // empty: the API names the field as missing
      done();
    },
    { label: title },
  );
  return actionBox(title, form, form.field('body.comment', fieldLabel, text), h('button', { type: 'submit' }, title));
}

/** Q-8 / Q-9: the handler's manual price in kroner (the API takes whole øre), with the answer's delivery date. */
function priceForm(quote: Quote, line: QuoteLine, done: () => void): HTMLElement {
  const monthly = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', maxlength: 20 }) as HTMLInputElement;
  const establishment = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', maxlength: 20 }) as HTMLInputElement;
  const delivery = h('input', { type: 'date' }) as HTMLInputElement;
  const comment = h('textarea', { rows: 2, maxlength: 2000 }) as HTMLTextAreaElement;
  const title = t('priceLine', { n: line.lineNo });
  const form = new Form(
    async () => {
      try {
        await api.POST('/v1/handler/quotes/{number}/lines/{lineNo}/complete', {
          ...linePath(quote, line.lineNo),
          body: {
            monthlyRentOre: oreOf(monthly.value),
            establishmentOre: oreOf(establishment.value),
            ...(delivery.value ? { deliveryDate: delivery.value } : {}),
            ...(orAbsent(comment.value) ? { comment: comment.value.trim() } : {}),
          } as never,
        });
      } catch (err) {
        throw reword(err, { 'body.monthlyRentOre': t('amountSentence'), 'body.establishmentOre': t('amountSentence') });
      }
      done();
    },
    { label: title },
  );
  const why = line.manualPricing ? h('p', { class: 'help' }, `${t('reasonForManual')}: ${manualReason(line.manualPricing.rule, line.manualPricing.reason)}`) : null;
  return actionBox(
    title,
    form,
    why,
    line.manualPricing?.indicativeMonthlyRentOre != null ? h('p', { class: 'help' }, t('indicativeRent', { amount: kroner(line.manualPricing.indicativeMonthlyRentOre) })) : null,
    h('div', { class: 'row' }, form.field('body.monthlyRentOre', t('monthlyRent'), monthly), form.field('body.establishmentOre', t('establishment'), establishment)),
    form.field('body.deliveryDate', t('deliveryDate'), delivery),
    form.field('body.comment', t('comment'), comment),
    h('button', { type: 'submit', class: 'primary' }, title),
  );
}

/** Another line on the quote (while lines may be added). */
function addLineForm(quote: Quote, products: Product[]): HTMLElement {
  const n = Math.max(0, ...quote.lines.map((l) => l.lineNo)) + 1;
  const form = new Form(
    async () => {
      await api.POST('/v1/quotes/{number}/lines', { ...path(quote), body: (await editor.value()) as never });
      again(quote)();
    },
    { label: t('addQuoteLine') },
  );
  const editor = lineEditor(form, products, 'body.', t('quoteLineN', { n }));
  form.add(editor.el, h('button', { type: 'submit' }, t('saveLine')));
  return h('div', {}, h('h2', {}, t('addQuoteLine')), form.el);
}
