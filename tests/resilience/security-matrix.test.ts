// Security: every route × every role × own/other company, generated from the route table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../support/figures';
import { createSr } from '../support/service-requests';
import { fillPath, type RouteInfo, routeTable } from '../support/routes';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let routes: RouteInfo[];
const tokens: Record<string, string | undefined> = {};
let values: Record<string, string>;

const ROLES = {
  anonymous: undefined,
  read: 'kari.nordnett',
  ordering: 'ola.nordnett',
  full: 'ingrid.nordnett',
  superuser: 'per.nordnett',
  otherCompany: 'anne.fjordtel',
  handler: 'hanne.handler',
  ops: 'olav.ops',
} as const;

beforeAll(async () => {
  stack = await startStack();
  for (const [role, username] of Object.entries(ROLES)) tokens[role] = username ? await stack.login(username) : undefined;
  const sr = await createSr(stack, tokens.ordering!);
  const upload = await stack.api('POST', '/v1/attachments', { token: tokens.ordering, json: { filename: 'a.txt', contentType: 'text/plain', contentBase64: 'aGVp' } });
  values = { number: sr.number, id: upload.body.id, department: 'customer-service', lineNo: '1' };
  routes = await routeTable(stack);
});
afterAll(async () => {
  await stack?.stop();
});

const stats = { requests: 0, leaks: 0 };

describe('security matrix', () => {
  it('every route × every role: no 5xx, anonymous 401, handler routes 403 for others, refusals are problem+json', async () => {
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      for (const role of Object.keys(ROLES)) {
        const res = await stack.api(route.method, fillPath(route.path, values), { token: tokens[role], ...(route.hasBody ? { json: {} } : {}) });
        stats.requests++;
        const where = `${route.method} ${route.path} as ${role} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        expect(res.status, where).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type'), where).toBe('application/problem+json');
        if (role === 'anonymous' && !route.public) expect(res.status, where).toBe(401);
        if (route.path.startsWith('/v1/handler/') && role !== 'anonymous' && role !== 'handler') expect(res.status, where).toBe(403);
        // logout ended the session: log in again for the rest of the matrix
        if (route.path === '/v1/auth/logout' && ROLES[role as keyof typeof ROLES]) tokens[role] = await stack.login(ROLES[role as keyof typeof ROLES]!);
      }
    }
  });

  it('A-1: another company\'s case is never revealed (404 on every route naming it), its own company gets through', async () => {
    const caseRoutes = routes.filter((r) => r.pathParams.includes('number') && !r.path.startsWith('/v1/handler/') && /service-requests|cases/.test(r.path));
    expect(caseRoutes.length).toBeGreaterThan(3);
    for (const route of caseRoutes) {
      const path = fillPath(route.path, values);
      const other = await stack.api(route.method, path, { token: tokens.otherCompany, ...(route.hasBody ? { json: {} } : {}) });
      stats.requests++;
      if (other.status !== 400) {
        // 400 only where the empty body is refused before the case is looked up; never 2xx, never 403
        expect(other.status, `${route.method} ${route.path}`).toBe(404);
      }
      if (other.status < 300) stats.leaks++;
    }
    const own = await stack.api('GET', `/v1/service-requests/${values.number}`, { token: tokens.read });
    expect(own.status).toBe(200);
    expect(stats.leaks).toBe(0);
  });

  it('tampered and expired tokens are refused on every authenticated route', async () => {
    const token = tokens.ordering!;
    const tampered = token.slice(0, -3) + (token.endsWith('abc') ? 'xyz' : 'abc');
    const expired = await stack.login('nils.fjordtel');
    await stack.sql`UPDATE sessions SET last_seen_at = now() - interval '2 hours' WHERE ended_at IS NULL AND user_id = (SELECT id FROM users WHERE username = 'nils.fjordtel')`;
    for (const route of routes.filter((r) => !r.public)) {
      for (const t of [tampered, expired]) {
        const res = await stack.api(route.method, fillPath(route.path, values), { token: t, ...(route.hasBody ? { json: {} } : {}) });
        stats.requests++;
        expect(res.status, `${route.method} ${route.path}`).toBe(401);
      }
    }
    console.log(`security matrix: ${routes.length} routes, ${stats.requests} requests, leaks found = ${stats.leaks}`);
    recordFigure('routes × roles checked', stats.requests);
    recordFigure('leaks found', stats.leaks);
  });
});
