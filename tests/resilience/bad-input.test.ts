// Bad input: property-based requests over every route (fast-check), and raw bytes no JSON encoder
// would produce (broken JSON, wrong content types, oversized bodies, odd file names, extreme dates).
// No 5xx, no partial writes, every refusal a problem+json naming the fields.
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, JSON_BODY_LIMIT_BYTES } from '../../api/app';
import { UPLOAD_BODY_LIMIT_BYTES } from '../../api/attachments';
import { recordFigure } from '../support/figures';
import { createSr } from '../support/service-requests';
import { fillPath, type RouteInfo, routeTable } from '../support/routes';
import { type Stack, startStack } from '../support/stack';
import { TEST_PASSWORD } from '../support/env';

const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 10_000);
let stack: Stack;
let routes: RouteInfo[];
let allRoutes: RouteInfo[];
let token: string;
let handlerToken: string;
let number: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('ingrid.nordnett');
  handlerToken = await stack.login('hanne.handler');
  number = (await createSr(stack, token)).number;
  allRoutes = await routeTable(stack);
  // state-changing routes only: reads with random queries are covered by the same run below
  routes = allRoutes.filter((r) => !r.public);
});
afterAll(async () => {
  await stack?.stop();
});

const text = fc.oneof(fc.string(), fc.constantFrom('', ' ', 'SR-000001', '22604411', '2026-02-30', '-1', '1e309', '<script>', "'; DROP TABLE cases; --", '\u0000', 'Ø'.repeat(300)));
const body = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    fc.constantFrom(
      'area',
      'subArea',
      'reference',
      'description',
      'attachmentIds',
      'text',
      'comment',
      'name',
      'email',
      'kind',
      'url',
      'eventTypes',
      'productCode',
      'lines',
      'filename',
      'contentType',
      'contentBase64',
    ),
    fc.jsonValue(),
  ),
);

describe('bad input', () => {
  it(`${RUNS} generated requests over every route: no 5xx, no partial writes, refusals name the field`, async () => {
    const counts = async () => {
      const [row] = await stack.sql`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM attachments)::int AS attachments,
                                      (SELECT count(*) FROM contacts)::int AS contacts, (SELECT count(*) FROM webhook_subscriptions)::int AS subs`;
      return row!;
    };
    const before = await counts();
    let tried = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: routes.length - 1 }), body, fc.dictionary(fc.string({ maxLength: 12 }), text, { maxKeys: 4 }), text, fc.boolean(), async (i, json, query, param, asHandler) => {
        const route = routes[i]!;
        const path = fillPath(route.path, { number: param || number, id: param, department: param, lineNo: param });
        const qs = new URLSearchParams(Object.entries(query)).toString();
        const res = await stack.api(route.method, `${path}${qs ? `?${qs}` : ''}`, { token: asHandler ? handlerToken : token, ...(route.hasBody ? { json } : {}) });
        tried++;
        const where = `${route.method} ${path}?${qs} ${JSON.stringify(json).slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        if (res.status >= 500) throw new Error(where);
        if (res.status >= 400) {
          if (res.headers.get('content-type') !== 'application/problem+json') throw new Error(`not problem+json: ${where}`);
          if (res.status === 400 && !(res.body.errors?.length > 0 && res.body.errors.every((e: { field?: string }) => /^(body|query|path|header)\b/.test(e.field ?? '')))) {
            throw new Error(`400 without field paths: ${where}`);
          }
        } else if (route.method !== 'GET') {
          accepted++;
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.BAD_INPUT_SEED ?? Date.now() % 2 ** 31) },
    );
    const after = await counts();
    // nothing half-written: only accepted requests may have created anything
    if (accepted === 0) expect(after).toEqual(before);
    console.log(`bad input: ${tried} requests over ${routes.length} routes, ${accepted} accepted writes, 5xx = 0`);
    recordFigure('inputs tried', tried);
    recordFigure('5xx answers', 0);
  }, 600_000);
});

// ---- raw bytes ---------------------------------------------------------------------------------

const BROKEN_JSON = ['{"a":', 'not json', '[1,2', '{"a":1,}', '{"a":1}}', ''];
const WRONG_TYPES: { contentType: string | undefined; body: string }[] = [
  { contentType: 'text/plain', body: '{}' },
  { contentType: 'multipart/form-data; boundary=samband', body: '--samband\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--samband--\r\n' },
  { contentType: 'application/x-www-form-urlencoded', body: 'a=1&b=2' },
  { contentType: 'application/xml', body: '<a/>' },
  { contentType: undefined, body: '{}' },
];
const EXTREME_DATES = ['0000-01-01', '9999-12-31', '2026-02-30', '1899-12-31', '3000-01-01', '+02026-01-01', '2026-1-1'];
const FILE_NAMES = [
  'Plantegning – kjeller.pdf',
  'Kart 🗺️ over tomta.png',
  'line\r\nbreak.pdf',
  'Set-Cookie:\r\nx: y.pdf',
  'quote"d\'.pdf',
  'naïve Ærlig Østre Åsen.pdf',
  '中文文件名.pdf',
  'semi;colon, comma %41.pdf',
  'tab\there\u2028sep.pdf',
];
const FIELD_PATH = /^(body|query|path|header)\b/;

type Raw = { method: string; path: string; token?: string; contentType?: string; body?: Uint8Array };
type Answer = { status: number; contentType: string | null; body: { errors?: { field?: string }[] } & Record<string, unknown>; headers: Headers };

describe('bad input: raw bytes', () => {
  it('broken JSON, wrong content types, oversized bodies, odd file names and extreme dates: no 5xx, problems name the field', async () => {
    const app = createApp({ sql: stack.sql, temporal: stack.client, adapters: stack.sims, config: stack.config });
    const send = async (r: Raw): Promise<Answer> => {
      const headers: Record<string, string> = {};
      if (r.token) headers.Authorization = `Bearer ${r.token}`;
      if (r.contentType) headers['Content-Type'] = r.contentType;
      // a Uint8Array body gets no default Content-Type (a string would get text/plain)
      const res = await app.request(r.path, { method: r.method, headers, ...(r.body ? { body: r.body } : {}) });
      const text = await res.text();
      let body: Answer['body'] = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        // not JSON: the checks below say so
      }
      return { status: res.status, contentType: res.headers.get('content-type'), body, headers: res.headers };
    };
    const bytes = (s: string) => new TextEncoder().encode(s);
    // fresh sessions: the generated run above may have logged the others out
    const token = await stack.login('ingrid.nordnett');
    const handlerToken = await stack.login('hanne.handler');
    const tokenFor = (route: RouteInfo) => (route.public ? undefined : route.path.startsWith('/v1/handler/') ? handlerToken : token);

    let tried = 0;
    const failures: { kind: string; where: string }[] = [];
    const check = (kind: string, where: string, res: Answer, expected?: { status?: number[]; field?: string; caseScoped?: boolean }) => {
      tried++;
      const at = `${where} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      if (res.status >= 500) return failures.push({ kind: `${kind}: 5xx`, where: at });
      // a route that names a case loads it (tenancy) before anything reads the body: a case that is not
      // there (or not the caller's) answers 404 whatever the bytes
      if (expected?.caseScoped && res.status === 404) {
        if (res.contentType !== 'application/problem+json' || res.body.code !== 'not_found') return failures.push({ kind: `${kind}: 404 not a not_found problem`, where: at });
        return;
      }
      if (expected?.status && !expected.status.includes(res.status)) return failures.push({ kind: `${kind}: status not ${expected.status.join('/')}`, where: at });
      if (res.status < 400) return;
      if (res.contentType !== 'application/problem+json') return failures.push({ kind: `${kind}: not problem+json`, where: at });
      const errors = res.body.errors ?? [];
      if ([400, 413, 415].includes(res.status) && !(errors.length > 0 && errors.every((e) => FIELD_PATH.test(e.field ?? '')))) return failures.push({ kind: `${kind}: no field paths`, where: at });
      if (expected?.field && !errors.some((e) => e.field === expected.field)) return failures.push({ kind: `${kind}: ${expected.field} not named`, where: at });
    };

    const bodyRoutes = allRoutes.filter((r) => r.hasBody);
    for (const route of bodyRoutes) {
      const base = { method: route.method, path: route.examplePath, token: tokenFor(route) };
      const where = `${route.method} ${route.examplePath}`;
      const caseScoped = route.pathParams.length > 0;
      for (const text of BROKEN_JSON)
        check('broken JSON', `${where} ${JSON.stringify(text)}`, await send({ ...base, contentType: 'application/json', body: bytes(text) }), { status: [400], field: 'body', caseScoped });
      for (const { contentType, body } of WRONG_TYPES)
        check('wrong content type', `${where} ${contentType ?? '(none)'}`, await send({ ...base, ...(contentType ? { contentType } : {}), body: bytes(body) }), { status: [415], caseScoped });
      // no content type and no body: the body's schema decides (an all-optional body is accepted)
      check('missing content type', `${where} (no body)`, await send(base));
      const limit = route.path === '/v1/attachments' && route.method === 'POST' ? UPLOAD_BODY_LIMIT_BYTES : JSON_BODY_LIMIT_BYTES;
      const padding = 'a'.repeat(limit + 1 - '{"x":""}'.length);
      check('oversized body', `${where} ${limit + 1} bytes`, await send({ ...base, contentType: 'application/json', body: bytes(`{"x":"${padding}"}`) }), { status: [413], field: 'body' });
    }

    // extreme dates in every date query parameter and body field, as reseller and handler
    let dateInputs = 0;
    for (const route of allRoutes.filter((r) => !r.public)) {
      for (const input of route.dateInputs) {
        dateInputs++;
        for (const value of EXTREME_DATES) {
          for (const who of route.path.startsWith('/v1/handler/') ? [handlerToken] : [token, handlerToken]) {
            const where = `${route.method} ${route.examplePath} ${input.field}=${value}`;
            const res =
              input.in === 'query'
                ? await send({ method: route.method, path: `${route.examplePath}?${new URLSearchParams({ [input.field.slice('query.'.length)]: String(input.build(value)) })}`, token: who })
                : await send({ method: route.method, path: route.examplePath, token: who, contentType: 'application/json', body: bytes(JSON.stringify(input.build(value))) });
            check('extreme date', where, res, { status: [400], field: input.field, caseScoped: route.pathParams.length > 0 });
          }
        }
      }
    }
    expect(dateInputs, 'date inputs found in the OpenAPI document').toBeGreaterThanOrEqual(10);

    // G-4: any file name uploads and downloads again; the download names it exactly (RFC 6266 filename*)
    for (const filename of FILE_NAMES) {
      const upload = await send({
        method: 'POST',
        path: '/v1/attachments',
        token,
        contentType: 'application/json',
        body: bytes(JSON.stringify({ filename, contentType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' })),
      });
      check('file name upload', `upload ${JSON.stringify(filename)}`, upload, { status: [201, 400] });
      if (upload.status === 400) {
        if (!upload.body.errors?.some((e) => e.field === 'body.filename')) failures.push({ kind: 'file name upload: body.filename not named', where: JSON.stringify(filename) });
        continue;
      }
      if (upload.status !== 201) continue;
      const download = await send({ method: 'GET', path: `/v1/attachments/${upload.body.id as string}`, token });
      check('file name download', `download ${JSON.stringify(filename)}`, download, { status: [200] });
      if (download.status !== 200) continue;
      const disposition = download.headers.get('content-disposition') ?? '';
      const encoded = /filename\*=UTF-8''([^;\s]+)/.exec(disposition)?.[1];
      const fallback = /filename="([^"]*)"/.exec(disposition)?.[1];
      if (!encoded || decodeURIComponent(encoded) !== (upload.body.filename as string))
        failures.push({ kind: 'file name download: filename* does not give the name back', where: `${JSON.stringify(filename)} → ${disposition}` });
      if (fallback === undefined || !/^[\x20-\x7e]*$/.test(fallback) || /["\\]/.test(fallback))
        failures.push({ kind: 'file name download: fallback not plain ASCII', where: `${JSON.stringify(filename)} → ${disposition}` });
    }

    // over a real socket: a 50 MB login is refused before it is read, with or without Content-Length
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      for (const chunked of [false, true]) {
        const res = await postHuge(port, '/v1/auth/login', 50 * 1024 * 1024, chunked);
        check('oversized body over HTTP', `POST /v1/auth/login 50 MB ${chunked ? 'chunked' : 'with Content-Length'}`, res, { status: [413], field: 'body' });
      }
      const ok = await postHuge(port, '/v1/auth/login', 0, false, JSON.stringify({ username: 'ingrid.nordnett', password: TEST_PASSWORD }));
      expect(ok.status, 'a normal login over the socket still works').toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    // BAD_INPUT_DUMP=file: every failure, one a line (the assertion shows the first 20)
    if (process.env.BAD_INPUT_DUMP) writeFileSync(process.env.BAD_INPUT_DUMP, failures.map((f) => `${f.kind}\t${f.where}`).join('\n'));
    const byKind = new Map<string, number>();
    for (const f of failures) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
    console.log(
      `bad input (raw): ${tried} raw inputs over ${bodyRoutes.length} body routes and ${dateInputs} date inputs, ${failures.length} failed${failures.length ? `: ${[...byKind].map(([k, n]) => `${k} ×${n}`).join(', ')}` : ''}`,
    );
    expect(failures.slice(0, 20), `${failures.length} failures`).toEqual([]);
    recordFigure('raw inputs tried', tried);
  }, 600_000);
});

/** POSTs `size` bytes of JSON (or `text`) over a socket; stops writing once the server has answered. */
function postHuge(port: number, path: string, size: number, chunked: boolean, text?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const total = text !== undefined ? Buffer.byteLength(text) : size;
    let answered = false;
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'Content-Type': 'application/json', ...(chunked ? {} : { 'Content-Length': String(total) }) } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: Answer['body'] = {};
        try {
          body = JSON.parse(raw);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, body, headers: new Headers() });
        req.destroy();
      });
    });
    // the server may close the connection once it has refused the body
    req.on('error', (err) => (answered ? undefined : reject(err)));
    if (text !== undefined) {
      req.end(text);
      return;
    }
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (!answered && sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}
