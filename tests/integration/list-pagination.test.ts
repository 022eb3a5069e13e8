// Paging every list (issue 15, issue 16 "reads stay flat as the book grows"; api/kit/page.ts): keyset
// pages walk a list with no duplicates and no gaps while cases are added, a cursor is refused on
// `query.after` when another company sends it, when it was tampered with or when it belongs to
// another list or sort, and a total beyond the cap is flagged. The service requests are written
// straight into the read model (as the projection writes them) so a list can hold more than the cap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTAL_CAP } from '../../api/kit/page';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
const tok: Record<string, string> = {};
beforeAll(async () => {
  stack = await startStack();
  for (const [k, u] of Object.entries({ ola: 'ola.nordnett', nils: 'nils.fjordtel', handler: 'hanne.handler' })) tok[k] = await stack.login(u);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

interface Page<T = { number: string }> {
  items: T[];
  total: number;
  totalIsExact: boolean;
  offset: number;
  limit: number;
  nextCursor: string | null;
}
const get = async <T = { number: string }>(path: string, token = tok.ola): Promise<Page<T>> => {
  const res = await stack.api<Page<T>>('GET', path, { token });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

/** Service requests SR-7nnnnnn of a company, `minutesAgo` apart from now (their list is newest change first). */
async function insertSrs(from: number, to: number, o: { companyId?: string; status?: string; queue?: string | null; minutesAgo?: (g: number) => number } = {}) {
  const ago = o.minutesAgo ?? ((g: number) => g);
  const rows = Array.from({ length: to - from + 1 }, (_, i) => from + i).map((g) => ({ g, ago: ago(g) }));
  await stack.sql`
    INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, queue, version, created_at, updated_at, updated_by, detail)
    SELECT 'service-request:' || n, 'service_request', n, ${o.companyId ?? 'nordnett'}, ${o.status ?? 'Submitted'}, 'Paging case ' || r.g,
           jsonb_build_object('area', 'Other', 'subArea', 'Other', 'referenceKind', 'other', 'reference', 'PAGE-' || r.g), ${o.queue ?? null},
           1, now() - make_interval(mins => r.ago), now() - make_interval(mins => r.ago), 'ola.nordnett', jsonb_build_object('number', n)
    FROM jsonb_to_recordset(${stack.sql.json(rows as never)}::jsonb) AS r(g int, ago int), LATERAL (SELECT 'SR-7' || lpad(r.g::text, 6, '0') AS n) x`;
}

/** Every page of a list by its cursors (at most `max` pages), with a hook between pages. */
async function walk(path: string, token: string, between: (page: number) => Promise<void> = async () => {}, max = 200): Promise<string[]> {
  const seen: string[] = [];
  let page = await get(path, token);
  for (let i = 0; ; i++) {
    seen.push(...page.items.map((x) => x.number));
    if (!page.nextCursor || i >= max) break;
    await between(i);
    page = await get(`${path}&after=${page.nextCursor}`, token);
  }
  return seen;
}

describe('keyset pages', () => {
  beforeAll(async () => {
    // 1,100 submitted requests of Nordnett's, one a minute back from two hours ago
    await insertSrs(1, TOTAL_CAP + 100, { minutesAgo: (g) => 120 + g });
  });

  it('cover the list exactly once while cases are added before, inside and after the walk', async () => {
    const before = await walk('/v1/service-requests?status=Submitted&limit=100', tok.ola!);
    expect(new Set(before).size).toBe(before.length);
    let next = 5000;
    const during = await walk('/v1/service-requests?status=Submitted&limit=97', tok.ola!, async (i) => {
      // new ones (ahead of the walk), and old ones dated among the rows not yet reached
      await insertSrs(next, next + 2, { minutesAgo: () => 0 });
      await insertSrs(next + 3, next + 4, { minutesAgo: () => 120 + TOTAL_CAP + 50 - i });
      next += 5;
    });
    expect(new Set(during).size).toBe(during.length); // no duplicates
    const missing = before.filter((n) => !during.includes(n));
    expect(missing).toEqual([]); // no gaps: every case there before the walk is seen
    // the ones dated ahead of the walk never show, the ones dated behind it do
    const added = during.filter((n) => !before.includes(n));
    expect(added.length).toBeGreaterThan(0);
    const after = await get('/v1/service-requests?status=Submitted&limit=100');
    expect(after.items.slice(0, 3).every((x) => !during.includes(x.number))).toBe(true);
  });

  it('follow the same order as offset pages', async () => {
    const byOffset: string[] = [];
    for (let offset = 0; offset < 300; offset += 50) byOffset.push(...(await get(`/v1/service-requests?status=Submitted&limit=50&offset=${offset}`)).items.map((x) => x.number));
    const byCursor: string[] = [];
    let page = await get('/v1/service-requests?status=Submitted&limit=60');
    while (byCursor.length < 300) {
      byCursor.push(...page.items.map((x) => x.number));
      page = await get(`/v1/service-requests?status=Submitted&limit=60&after=${page.nextCursor}`);
    }
    expect(byCursor.slice(0, 300)).toEqual(byOffset);
  });

  it('walk the handler inbox (oldest first) and a department queue the same way', async () => {
    await insertSrs(9001, 9040, { queue: 'billing', minutesAgo: (g) => g });
    const inbox = await walk('/v1/handler/inbox?queue=billing&limit=7', tok.handler!);
    const offset = (await get('/v1/handler/inbox?queue=billing&limit=100', tok.handler)).items.map((x) => x.number);
    expect(inbox).toEqual(offset);
    const queue = await walk('/v1/handler/queues/billing?limit=9', tok.handler!);
    expect(new Set(queue)).toEqual(new Set(offset));
  });
});

describe('O-15: orders by a line status', () => {
  it("find an order by its lines' statuses as the lines' rows change (migration 023 keeps them on the order's row)", async () => {
    const n = 'ORD-7000001';
    const line = (lineNo: number, status: string) => ({
      orderNumber: n,
      lineNo,
      status,
      line: { endUser: { name: 'Paging Kunde' }, address: { label: 'Pagingveien 1' } },
      productName: 'Jara ADSL',
      createdBy: 'ola.nordnett',
    });
    const insertLine = (lineNo: number, status: string) => stack.sql`
      INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, version, created_at, updated_at, updated_by, detail)
      VALUES (${`order-line:${n}:${lineNo}`}, 'order_line', ${`${n}:${lineNo}`}, 'nordnett', ${status}, 'Paging line', ${stack.sql.json({ orderNumber: n })}, 1, now(), now(), 'ola.nordnett',
              ${stack.sql.json(line(lineNo, status) as never)})`;
    await insertLine(1, 'Registered'); // a line written before its order's row
    await stack.sql`
      INSERT INTO cases (case_id, case_type, number, company_id, status, title, refs, version, created_at, updated_at, updated_by, detail)
      VALUES (${`order:${n}`}, 'order', ${n}, 'nordnett', 'In Process', 'Paging order', '{}', 1, now(), now(), 'ola.nordnett',
              ${stack.sql.json({ number: n, phase: 'submitted', orderType: 'Standard', kind: 'new', createdBy: 'ola.nordnett', lines: [1, 2].map((no) => ({ lineNo: no, status: 'Registered', endUser: { name: 'Paging Kunde' } })) } as never)})`;
    await insertLine(2, 'Ordered');
    const numbers = async (status: string) => (await get(`/v1/orders?lineStatus=${status}&limit=100`)).items.map((o) => o.number);
    expect(await numbers('Registered')).toContain(n);
    expect(await numbers('Ordered')).toContain(n);
    await stack.sql`UPDATE cases SET status = 'Design' WHERE number = ${`${n}:1`}`;
    expect(await numbers('Registered')).not.toContain(n);
    expect(await numbers('Design')).toContain(n);
    expect((await get(`/v1/orders?lineStatus=Design&limit=100`, tok.nils)).items).toEqual([]); // not Fjordtel's
  });
});

describe('cursors', () => {
  it('are refused with 400 on query.after when another company sends them, when tampered with, or on another list or sort', async () => {
    const page = await get('/v1/service-requests?status=Submitted&limit=5');
    expect(page.nextCursor).toEqual(expect.any(String));
    const cursor = page.nextCursor!;
    const refused = async (path: string, token: string) => {
      const res = await stack.api('GET', path, { token });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.after']);
    };
    await refused(`/v1/service-requests?status=Submitted&limit=5&after=${cursor}`, tok.nils!); // Fjordtel
    await refused(`/v1/service-requests?limit=5&after=${cursor}&companyId=nordnett`, tok.handler!); // the wholesaler
    const bytes = Buffer.from(cursor, 'base64url');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x01;
    await refused(`/v1/service-requests?status=Submitted&limit=5&after=${bytes.toString('base64url')}`, tok.ola!);
    await refused(`/v1/quotes?limit=5&after=${cursor}`, tok.ola!); // another list
    const lines = await get('/v1/orders?sort=-updatedAt&limit=1');
    if (lines.nextCursor) await refused(`/v1/orders?sort=createdAt&limit=1&after=${lines.nextCursor}`, tok.ola!); // another sort
    // and with an offset beside it: the offset is named
    const both = await stack.api('GET', `/v1/service-requests?status=Submitted&limit=5&offset=5&after=${cursor}`, { token: tok.ola });
    expect(both.status).toBe(400);
    expect(both.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.offset']);
  });
});

describe('totals', () => {
  it(`are exact up to ${TOTAL_CAP} and flagged as a lower bound beyond`, async () => {
    const many = await get('/v1/service-requests?status=Submitted&limit=10');
    expect(many.totalIsExact).toBe(false);
    expect(many.total).toBe(TOTAL_CAP);
    const deep = await get('/v1/service-requests?status=Submitted&limit=10&offset=1500');
    expect(deep.totalIsExact).toBe(false);
    expect(deep.total).toBeGreaterThanOrEqual(1500 + deep.items.length);
    const few = await get('/v1/service-requests?reference=PAGE-7&limit=10');
    expect(few).toMatchObject({ total: 1, totalIsExact: true, nextCursor: null });
    // Fjordtel sees none of Nordnett's
    expect(await get('/v1/service-requests?status=Submitted&limit=10', tok.nils)).toMatchObject({ total: 0, totalIsExact: true, items: [], nextCursor: null });
    // the inbox counts per queue the same way
    const inbox = await stack.api('GET', '/v1/handler/inbox?limit=1', { token: tok.handler });
    expect(inbox.body.totalIsExact).toBe(true);
    expect(inbox.body.queues.every((q: { waitingIsExact: boolean }) => q.waitingIsExact)).toBe(true);
  });

  it('the OpenAPI document describes the paging fields', async () => {
    const doc = (await stack.api('GET', '/openapi.json')).body;
    const page = doc.components.schemas.ServiceRequestPage;
    expect(Object.keys(page.properties)).toEqual(expect.arrayContaining(['total', 'totalIsExact', 'offset', 'limit', 'nextCursor']));
    const params = doc.paths['/v1/orders'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['offset', 'limit', 'after']));
  });
});
