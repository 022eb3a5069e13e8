// Bad input: property-based requests over every route (fast-check). No 5xx, no partial writes,
// every refusal a problem+json naming the fields.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../support/figures';
import { createSr } from '../support/service-requests';
import { fillPath, type RouteInfo, routeTable } from '../support/routes';
import { type Stack, startStack } from '../support/stack';

const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 10_000);
let stack: Stack;
let routes: RouteInfo[];
let token: string;
let handlerToken: string;
let number: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('ingrid.nordnett');
  handlerToken = await stack.login('hanne.handler');
  number = (await createSr(stack, token)).number;
  // state-changing routes only: reads with random queries are covered by the same run below
  routes = (await routeTable(stack)).filter((r) => !r.public);
});
afterAll(async () => {
  await stack?.stop();
});

const text = fc.oneof(fc.string(), fc.constantFrom('', ' ', 'SR-000001', '22604411', '2026-02-30', '-1', '1e309', '<script>', "'; DROP TABLE cases; --", '\u0000', 'Ø'.repeat(300)));
const body = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom('area', 'subArea', 'reference', 'description', 'attachmentIds', 'text', 'comment', 'name', 'email', 'kind', 'url', 'eventTypes', 'productCode', 'lines', 'filename', 'contentType', 'contentBase64'), fc.jsonValue()),
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
