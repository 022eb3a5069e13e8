// The benchmark's reads at scale (issue 15, issue 16 "reads stay flat as the book grows"): the book
// grows to each scale (100,000 and 1,000,000 service requests, half as many orders and lines, a tenth
// as many quotes, tickets, switch and termination cases and portfolio products), and every list
// endpoint is timed on its first page by offset and on a keyset page deep in the list, beside case
// detail, text search and the order timeline. Called by bench/run.ts; bench/reads-only.ts runs it alone.
import type { Sql } from '../db/client';
import { fixtureNumbers, growBook } from './read-fixtures';

export type Http = <T = Record<string, unknown>>(path: string, token: string) => Promise<T>;
export type ReportRow = [what: string, value: string, target: string, met: boolean, why: string];
export interface Stats {
  n: number;
  p50: number;
  p99: number;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
export const stats = (ms: number[]): Stats => ({ n: ms.length, p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)) });

interface ListCase {
  name: string;
  path: string;
  who: 'customer' | 'handler';
  /** how deep the keyset page starts (items before it), reached once by offset (not timed) */
  deep: number;
}

/** Every list endpoint, with the filters a user applies most. */
function lists(cases: number): ListCase[] {
  const deep = (n: number) => Math.min(100_000, Math.max(50, Math.floor(n)));
  return [
    { name: 'service requests by status', path: '/v1/service-requests?status=Submitted', who: 'customer', deep: deep(cases / 20) },
    { name: 'service requests (all)', path: '/v1/service-requests?', who: 'customer', deep: deep(cases / 4) },
    { name: 'orders (lines included)', path: '/v1/orders?', who: 'customer', deep: deep(cases / 8) },
    { name: 'orders by line status, created by me', path: '/v1/orders?lineStatus=Registered&createdByMe=true', who: 'customer', deep: deep(cases / 120) },
    { name: 'order lines by status, by Agreed Date', path: '/v1/order-lines?status=Field%20Service&sort=-agreedDate', who: 'customer', deep: deep(cases / 80) },
    { name: 'order lines by created date', path: '/v1/order-lines?sort=createdAt', who: 'customer', deep: deep(cases / 8) },
    { name: 'quotes', path: '/v1/quotes?', who: 'customer', deep: deep(cases / 160) },
    { name: 'trouble tickets', path: '/v1/trouble-tickets?', who: 'customer', deep: deep(cases / 160) },
    { name: 'switch-ISP cases', path: '/v1/switch-isp?', who: 'customer', deep: deep(cases / 160) },
    { name: 'terminations', path: '/v1/terminations?', who: 'customer', deep: deep(cases / 160) },
    { name: 'portfolio', path: '/v1/portfolio?', who: 'customer', deep: deep(cases / 40) },
    { name: 'invoices', path: '/v1/invoices?', who: 'customer', deep: 0 },
    { name: 'handler inbox', path: '/v1/handler/inbox?', who: 'handler', deep: deep(cases / 4) },
    { name: 'handler inbox by queue', path: '/v1/handler/inbox?queue=billing', who: 'handler', deep: deep(cases / 16) },
    { name: 'handler inbox, mine', path: '/v1/handler/inbox?assignee=me', who: 'handler', deep: deep(cases / 16) },
    { name: 'handler SR queue (department)', path: '/v1/handler/queues/billing?', who: 'handler', deep: deep(cases / 40) },
    { name: 'handler order-line queue', path: '/v1/handler/order-lines?', who: 'handler', deep: deep(cases / 40) },
    { name: 'handler quote-line queue', path: '/v1/handler/quote-lines?', who: 'handler', deep: deep(cases / 160) },
    { name: 'handler trouble-ticket desk', path: '/v1/handler/trouble-tickets?', who: 'handler', deep: deep(cases / 80) },
    { name: 'handler switch-ISP queue', path: '/v1/handler/switch-isp?', who: 'handler', deep: deep(cases / 320) },
    { name: 'handler termination queue', path: '/v1/handler/terminations?', who: 'handler', deep: deep(cases / 320) },
  ];
}

const WHY = 'keyset pages by an index that holds the filter and the sort (migrations 022–024), the total counted up to 1,000 only; the tail is CPU contention on 2 shared cores';

/**
 * Grows the book from `have` to `cases` service requests and times every list. Returns the figures
 * and the report's rows (target ≤ 50 ms per list, ≤ 10 ms for case detail and the timeline).
 */
export async function runReads(
  sql: Sql,
  get: Http,
  tokens: { customer: string; handler: string },
  o: { have: number; cases: number; samples: number; log?: (s: string) => void },
): Promise<{ figures: Record<string, unknown>; rows: ReportRow[] }> {
  const log = o.log ?? console.log;
  const t0 = performance.now();
  log(`bench: growing the book to ${o.cases} service requests (+ ${o.cases / 2} orders and lines, ${o.cases / 10} other cases)…`);
  await growBook(sql, o.have, o.cases);
  const [{ n: book } = { n: 0 }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases`;
  log(`bench: ${book} cases in the book (seeded in ${round((performance.now() - t0) / 1000, 1)} s); timing every list…`);
  // a request the API answers 503 (a statement past its time-out) is counted with its time and named in the row
  const failed = new Map<number[], number>();
  const time = async (fn: () => Promise<unknown>, into: number[]) => {
    const s = performance.now();
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof Error && / 503 /.test(err.message))) throw err;
      failed.set(into, (failed.get(into) ?? 0) + 1);
    }
    into.push(performance.now() - s);
  };
  const failures = (...series: number[][]) => {
    const n = series.reduce((t, ms) => t + (failed.get(ms) ?? 0), 0);
    return n > 0 ? `; ${n} of ${series.reduce((t, ms) => t + ms.length, 0)} requests answered 503 (statement time-out)` : '';
  };

  const figures: Record<string, unknown> = { cases: o.cases, rowsInBook: book };
  const rows: ReportRow[] = [];
  const label = `${o.cases.toLocaleString('en')} cases`;

  // case detail, search and the timeline (Nordnett's: even numbers)
  const pick = (upTo: number) => 2 * (1 + Math.floor(Math.random() * (upTo / 2 - 1)));
  const detail: number[] = [];
  const search: number[] = [];
  const orderSearch: number[] = [];
  const lineSearch: number[] = [];
  const timeline: number[] = [];
  for (let i = 0; i < o.samples; i++) {
    const n = pick(o.cases);
    const g = pick(o.cases / 2);
    await time(() => get(`/v1/service-requests/${fixtureNumbers.serviceRequest(n)}`, tokens.customer), detail);
    await time(() => get(`/v1/service-requests?q=case%20${n}&limit=25`, tokens.customer), search);
    await time(() => get(`/v1/orders?q=${fixtureNumbers.customerOrderId(g)}&limit=25`, tokens.customer), orderSearch);
    await time(() => get(`/v1/order-lines?q=${encodeURIComponent(fixtureNumbers.endUser(g))}&limit=25`, tokens.customer), lineSearch);
    await time(() => get(`/v1/orders/${fixtureNumbers.order(g)}/timeline`, tokens.customer), timeline);
  }
  const singles: Array<[string, number[], number]> = [
    ['case detail', detail, 10],
    ['service-request text search', search, 50],
    ['order search by Customer Order Id', orderSearch, 50],
    ['order-line search by end user', lineSearch, 50],
    ['order timeline (order and its lines)', timeline, 10],
  ];
  for (const [what, ms, target] of singles) {
    const s = stats(ms);
    figures[what] = s;
    const bad = failures(ms);
    if (bad) figures[`${what}: 503`] = failed.get(ms);
    rows.push([`${what} p99 at ${label}`, `${s.p99} ms`, `≤ ${target} ms`, s.p99 <= target && !bad, `${round(s.p99 / target, 1)}× the target (p50 ${s.p50} ms)${bad}: ${WHY}`]);
  }

  // every list: the first page by offset, and a keyset page deep in the list
  const eventsDeep = Math.floor(o.cases / 8);
  for (const l of [...lists(o.cases), { name: 'events feed', path: '/v1/events?', who: 'customer' as const, deep: eventsDeep }]) {
    const token = tokens[l.who];
    const feed = l.path.startsWith('/v1/events');
    const first: number[] = [];
    const deep: number[] = [];
    // a cursor deep in the list: reached once (not timed) by offset, or by walking the feed
    let cursor: string | null = null;
    if (feed) {
      const [row] = await sql<{ position: string }[]>`SELECT position FROM case_events WHERE company_id = 'nordnett' ORDER BY position LIMIT 1 OFFSET ${l.deep}`;
      if (row) {
        const { sealCursor } = await import('../api/kit/cursor');
        const { DEV_CASE_NUMBER_KEY } = await import('../domain/case');
        cursor = sealCursor(BigInt(row.position), 'nordnett', DEV_CASE_NUMBER_KEY);
      }
    } else if (l.deep > 0) {
      const page = await get<{ nextCursor: string | null }>(`${l.path}&limit=1&offset=${Math.min(l.deep, 100_000)}`, token);
      cursor = page.nextCursor;
    }
    for (let i = 0; i < o.samples; i++) {
      await time(() => get(`${l.path}&limit=25`, token), first);
      if (cursor) await time(() => get(`${l.path}&limit=25&after=${cursor}`, token), deep);
    }
    const f = stats(first);
    const d = deep.length > 0 ? stats(deep) : null;
    figures[l.name] = { firstPage: f, deepKeysetPage: d, deepAfter: cursor ? l.deep : null };
    const worst = Math.max(f.p99, d?.p99 ?? 0);
    rows.push([
      `${l.name}: p99 first page / keyset page ${cursor ? `after ${l.deep.toLocaleString('en')}` : '(list too short)'} at ${label}`,
      `${f.p99} / ${d ? `${d.p99}` : '–'} ms`,
      '≤ 50 ms',
      worst <= 50 && !failures(first, deep),
      `${round(worst / 50, 1)}× the target (p50 ${f.p50} / ${d?.p50 ?? '–'} ms)${failures(first, deep)}: ${WHY}`,
    ]);
  }
  return { figures, rows };
}
