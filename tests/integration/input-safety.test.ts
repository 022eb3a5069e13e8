// Security and bad input (issue 12): broken bodies are 400/413/415 problems, extreme dates and
// database refusals are no 500s, any file name downloads, the OpenAPI document is valid for
// generators, and case numbers reveal no volume.
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, JSON_BODY_LIMIT_BYTES } from '../../api/app';
import { databaseProblem } from '../../api/problem';
import { createSr } from '../support/service-requests';
import { type Stack, startStack } from '../support/stack';
import { TEST_PASSWORD } from '../support/env';

let stack: Stack;
let token: string;
let raw: (path: string, init: { method?: string; token?: string; contentType?: string; body?: string }) => Promise<{ status: number; contentType: string | null; body: any }>;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('ingrid.nordnett');
  const app = createApp({ sql: stack.sql, temporal: stack.client, adapters: stack.sims, config: stack.config });
  raw = async (path, { method = 'POST', token: t, contentType, body }) => {
    const headers: Record<string, string> = {};
    if (t) headers.Authorization = `Bearer ${t}`;
    if (contentType) headers['Content-Type'] = contentType;
    // bytes, not a string: a string body would get text/plain by default
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body: new TextEncoder().encode(body) } : {}) });
    const text = await res.text();
    return { status: res.status, contentType: res.headers.get('content-type'), body: text ? JSON.parse(text) : null };
  };
});
afterAll(async () => {
  await stack?.stop();
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, and every pattern is an ECMA-262 pattern without flags', async () => {
    const doc = (await stack.api('GET', '/openapi.json')).body;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const patterns: { at: string; pattern: string }[] = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${at}/${i}`));
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'pattern' && typeof v === 'string') patterns.push({ at, pattern: v });
          else walk(v, `${at}/${k}`);
        }
      }
    };
    walk(doc, '');
    expect(patterns.length).toBeGreaterThan(10);
    for (const { at, pattern } of patterns) {
      expect(() => new RegExp(pattern, 'u'), `${at}: ${pattern}`).not.toThrow();
      // a JavaScript regex literal's flags (`/i`) leaking into the document
      expect(pattern, at).not.toMatch(/(?<!\\)\/[dgimsuvy]+$/);
    }
  });

  it('keeps the NRDB reference case-insensitive without a flag', async () => {
    const doc = (await stack.api('GET', '/openapi.json')).body;
    const pattern = doc.components.schemas.CreateSwitchIsp.properties.authorisationReference.pattern as string;
    expect(new RegExp(pattern, 'u').test('nrdb-2026-000101')).toBe(true);
    expect(new RegExp(pattern, 'u').test('NRDB-2026-000101')).toBe(true);
  });
});

describe('raw request bodies (HTTPException → problem+json)', () => {
  it.each(['{"username":', 'not json', '[1,2', '{"username":"a",}', ''])('malformed JSON %j on login is a 400 naming body', async (body) => {
    const res = await raw('/v1/auth/login', { contentType: 'application/json', body });
    expect(res.status).toBe(400);
    expect(res.contentType).toBe('application/problem+json');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body', code: 'invalid_format' })]);
  });

  it.each([
    ['text/plain', '{}'],
    ['application/x-www-form-urlencoded', 'username=a'],
    ['multipart/form-data; boundary=b', '--b--\r\n'],
    [undefined, '{}'],
  ])('content type %s is a 415 naming body', async (contentType, body) => {
    const res = await raw('/v1/service-requests', { token, ...(contentType ? { contentType } : {}), body });
    expect(res.status).toBe(415);
    expect(res.contentType).toBe('application/problem+json');
    expect(res.body.code).toBe('unsupported_media_type');
    expect(res.body.errors[0].field).toBe('body');
  });

  it('a body over the limit is a 413 before anything reads it, even unauthenticated', async () => {
    const body = JSON.stringify({ username: 'x'.repeat(JSON_BODY_LIMIT_BYTES), password: TEST_PASSWORD });
    const res = await raw('/v1/auth/login', { contentType: 'application/json', body });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'payload_too_large', errors: [{ field: 'body' }] });
    // just under the limit is read and validated as usual
    const under = await raw('/v1/auth/login', { contentType: 'application/json', body: JSON.stringify({ username: 'x'.repeat(JSON_BODY_LIMIT_BYTES - 100), password: 'p' }) });
    expect(under.status).toBe(400);
  });
});

describe('dates are bounded (one shared schema)', () => {
  it.each(['0000-01-01', '9999-12-31', '2026-02-30', '1899-12-31'])('createdFrom=%s on the lists is a 400 naming the parameter', async (date) => {
    for (const list of ['/v1/service-requests', '/v1/quotes']) {
      const res = await stack.api('GET', `${list}?createdFrom=${date}&createdTo=${date}`, { token });
      expect(res.status, list).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['query.createdFrom', 'query.createdTo']);
    }
    expect((await stack.api('GET', '/v1/service-requests?createdFrom=2026-01-01&createdTo=2999-12-31', { token })).status).toBe(200);
  });
});

describe('attachments with any file name (RFC 6266)', () => {
  it.each(['Plantegning – kjeller.pdf', 'Kart 🗺️.png', 'a\r\nb.pdf', 'sitat "x".pdf'])('%j uploads and downloads with an ASCII fallback and the exact name in filename*', async (filename) => {
    const up = await stack.api('POST', '/v1/attachments', { token, json: { filename, contentType: 'application/pdf', contentBase64: 'JVBERi0xLjQK' } });
    expect(up.status).toBe(201);
    const down = await stack.api('GET', `/v1/attachments/${up.body.id}`, { token });
    expect(down.status).toBe(200);
    const disposition = down.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x21\x23-\x5b\x5d-\x7e]+"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe(filename);
  });
});

describe('database refusals are 4xx problems', () => {
  it("changing a contact's e-mail to another contact's is a 409, not a 500", async () => {
    const add = (email: string) => stack.api('POST', '/v1/contacts', { token, json: { name: 'Kontakt', email, kind: 'personal' } });
    const first = await add('first@nordnett.example');
    const second = await add('second@nordnett.example');
    expect([first.status, second.status]).toEqual([201, 201]);
    const res = await stack.api('PATCH', `/v1/contacts/${second.body.id}`, { token, json: { email: 'FIRST@nordnett.example' } });
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.code).toBe('duplicate_contact');
  });

  it('maps PostgreSQL unique violations to 409, data exceptions to 400 and a statement time-out to 503 (the onError safety net)', async () => {
    const refusal = async (query: Promise<unknown>) =>
      query.then(
        () => undefined,
        (err: unknown) => err,
      );
    const duplicate = await refusal(stack.sql`INSERT INTO contacts (company_id, name, email, kind) SELECT company_id, name, email, kind FROM contacts LIMIT 1`);
    expect(databaseProblem(duplicate, 'PATCH')).toMatchObject({ status: 409, code: 'duplicate' });
    const outOfRange = await refusal(stack.sql`SELECT ${'0000-01-01'}::date`);
    expect(databaseProblem(outOfRange, 'GET')).toMatchObject({ status: 400, extra: { errors: [{ field: 'query' }] } });
    const tooLong = await refusal(stack.sql`SELECT ${'x'.repeat(5)}::varchar(2)::text, ${'1e400'}::numeric::int`);
    expect(databaseProblem(tooLong, 'POST')).toMatchObject({ status: 400 });
    // a statement past its time-out is temporary for the caller (503), never a 500
    const slow = await refusal(stack.sql.begin(async (tx) => (await tx`SET LOCAL statement_timeout = 50`, await tx`SELECT pg_sleep(1)`)));
    expect(databaseProblem(slow, 'GET')).toMatchObject({ status: 503, code: 'query_timeout' });
    expect(databaseProblem(new Error('other'), 'GET')).toBeUndefined();
  });
});

describe('case numbers reveal no volume', () => {
  it('two service requests in a row get unrelated 9-digit numbers from consecutive sequence values', async () => {
    const a = await createSr(stack, token);
    const b = await createSr(stack, token);
    expect(a.number).toMatch(/^SR-\d{9}$/);
    expect(b.number).toMatch(/^SR-\d{9}$/);
    const [seq] = await stack.sql<{ last: string }[]>`SELECT last_value::text AS last FROM pg_sequences WHERE sequencename = 'service_request_number_seq'`;
    const last = Number(seq!.last);
    expect(b.number).not.toBe(`SR-${String(last).padStart(9, '0')}`);
    expect(Math.abs(Number(b.number.slice(3)) - Number(a.number.slice(3)))).toBeGreaterThan(1);
    // and the numbers work everywhere the patterns check them
    expect((await stack.api('GET', `/v1/service-requests/${b.number}`, { token })).status).toBe(200);
  });
});
