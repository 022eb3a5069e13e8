// The backbone through the real API, workflow engine and database: auth (A-1…A-5), validation
// (G-1), idempotency, audit, health and the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const validSr = (value: string) => ({
  area: 'Support',
  subArea: 'Portal problem',
  reference: { kind: 'other', value },
  description: 'The order list does not load since Monday',
});

async function workflowsOnQueue(): Promise<number> {
  let n = 0;
  for await (const _ of stack.client.workflow.list({ query: `TaskQueue = '${stack.config.taskQueue}'` })) n++;
  return n;
}

describe('authentication and access', () => {
  it('A-4: a wrong password is refused with problem+json, and so is an unknown user', async () => {
    for (const json of [
      { username: 'ola.nordnett', password: 'wrong-password' },
      { username: 'nobody', password: 'whatever1' },
    ]) {
      const res = await stack.api('POST', '/v1/auth/login', { json });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ status: 401, code: 'unauthenticated', type: '/problems/unauthenticated' });
    }
    const [row] = await stack.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'login' AND outcome = 'refused'`;
    expect(row!.n).toBe(2);
  });

  it('A-4: login brute force from one address slows that username down there; other users are unaffected', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await stack.api('POST', '/v1/auth/login', { json: { username: 'per.nordnett', password: `guess-${i}` } })).status).toBe(401);
    }
    // five more failures just now: the wait grows to 2^5 s, so the next try is refused however slow this machine is
    await stack.sql`INSERT INTO login_failures (username, address) SELECT 'per.nordnett', 'unknown' FROM generate_series(1, 5)`;
    const locked = await stack.api('POST', '/v1/auth/login', { json: { username: 'per.nordnett', password: 'test-password-1' } });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('too_many_login_attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: 'ingrid.nordnett', password: 'test-password-1' } })).status).toBe(200);
    await stack.sql`UPDATE login_failures SET at = at - interval '16 minutes' WHERE username = 'per.nordnett'`;
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: 'per.nordnett', password: 'test-password-1' } })).status).toBe(200);
  });

  it('A-5: a token idle for more than 30 minutes stops working; activity keeps it alive', async () => {
    const token = await stack.login('ola.nordnett');
    expect((await stack.api('GET', '/v1/auth/me', { token })).status).toBe(200);
    await stack.sql`UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE ended_at IS NULL`;
    expect((await stack.api('GET', '/v1/auth/me', { token })).status).toBe(200); // and that touched it
    await stack.sql`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE ended_at IS NULL`;
    const res = await stack.api('GET', '/v1/auth/me', { token });
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/30 minutes/);
  });

  it('A-5: a request touches its session only when the last touch is older than 30 s (a read is no write)', async () => {
    const token = await stack.login('ola.nordnett');
    const lastSeenAgo = async () => {
      const [row] = await stack.sql<{ s: number }[]>`SELECT extract(epoch FROM now() - max(last_seen_at))::float AS s FROM sessions WHERE ended_at IS NULL`;
      return row!.s;
    };
    await stack.sql`UPDATE sessions SET last_seen_at = now() - interval '20 seconds' WHERE ended_at IS NULL`;
    expect((await stack.api('GET', '/v1/auth/me', { token })).status).toBe(200);
    expect(await lastSeenAgo()).toBeGreaterThanOrEqual(19); // not written
    await stack.sql`UPDATE sessions SET last_seen_at = now() - interval '40 seconds' WHERE ended_at IS NULL`;
    expect((await stack.api('GET', '/v1/auth/me', { token })).status).toBe(200);
    expect(await lastSeenAgo()).toBeLessThan(5); // touched
  });

  it('A-4: logout ends the session; a tampered token is refused', async () => {
    const token = await stack.login('ola.nordnett');
    expect((await stack.api('POST', '/v1/auth/logout', { token })).status).toBe(204);
    expect((await stack.api('GET', '/v1/auth/me', { token })).status).toBe(401);
    const other = await stack.login('ola.nordnett');
    const tampered = other.slice(0, -2) + (other.endsWith('AA') ? 'BB' : 'AA');
    expect((await stack.api('GET', '/v1/auth/me', { token: tampered })).status).toBe(401);
    expect((await stack.api('GET', '/v1/service-requests')).status).toBe(401);
  });

  it('A-3: a read-only user can read but not create, and nothing is created', async () => {
    const token = await stack.login('kari.nordnett');
    expect((await stack.api('GET', '/v1/service-requests', { token })).status).toBe(200);
    const before = await workflowsOnQueue();
    const res = await stack.api('POST', '/v1/service-requests', { token, json: validSr('read-only-attempt') });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden', rule: 'A-3' });
    const [row] = await stack.sql`SELECT count(*)::int AS n FROM cases WHERE refs ->> 'reference' = 'read-only-attempt'`;
    expect(row!.n).toBe(0);
    expect(await workflowsOnQueue()).toBe(before);
  });

  it("A-1: a reseller cannot see or act on another company's case (404, not 403)", async () => {
    const nordnett = await stack.login('ola.nordnett');
    const fjordtel = await stack.login('nils.fjordtel');
    const created = await stack.api('POST', '/v1/service-requests', { token: nordnett, json: validSr('tenancy-1') });
    expect(created.status).toBe(201);
    const number = created.body.number;
    const read = await stack.api('GET', `/v1/service-requests/${number}`, { token: fjordtel });
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('not_found');
    expect((await stack.api('POST', `/v1/service-requests/${number}/cancel`, { token: fjordtel })).status).toBe(404);
    expect((await stack.api('GET', `/v1/cases/${number}/audit`, { token: fjordtel })).status).toBe(404);
    const list = await stack.api('GET', '/v1/service-requests?reference=tenancy-1', { token: fjordtel });
    expect(list.body.total).toBe(0);
    expect((await stack.api('GET', `/v1/service-requests/${number}`, { token: nordnett })).body.status).toBe('New');
  });

  it('A-2: a reseller calling a handler route gets 403; a handler gets in', async () => {
    const token = await stack.login('ingrid.nordnett');
    const res = await stack.api('GET', '/v1/handler/queues', { token });
    expect(res.status).toBe(403);
    expect(res.body.rule).toBe('A-2');
    expect((await stack.api('GET', '/v1/handler/queues', { token: await stack.login('hanne.handler') })).status).toBe(200);
    expect((await stack.api('GET', '/v1/handler/queues', { token: await stack.login('olav.ops') })).status).toBe(403);
  });
});

describe('validation (G-1)', () => {
  it('G-1: a malformed body gets 400 naming every failing field, and creates nothing', async () => {
    const token = await stack.login('ola.nordnett');
    const before = await workflowsOnQueue();
    const [seqBefore] = await stack.sql`SELECT count(*)::int AS n FROM cases`;
    const res = await stack.api('POST', '/v1/service-requests', {
      token,
      json: { area: 'Delivery', subArea: 'Billing', reference: { kind: 'phone_number', value: '22 33 44 55' }, description: 'short', extra: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.body.code).toBe('validation_failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body.description', 'body.extra', 'body.reference.value', 'body.subArea']);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'body.extra').code).toBe('unexpected_property');
    expect(res.body.errors.find((e: { field: string }) => e.field === 'body.subArea').rule).toBe('S-5');
    const [seqAfter] = await stack.sql`SELECT count(*)::int AS n FROM cases`;
    expect(seqAfter!.n).toBe(seqBefore!.n);
    expect(await workflowsOnQueue()).toBe(before);
  });

  it('G-1: a missing body and a wrong content type are refused with field paths', async () => {
    const token = await stack.login('ola.nordnett');
    const res = await stack.api('POST', '/v1/service-requests', { token, json: {} });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort()).toEqual([
      'body.area:missing_property',
      'body.description:missing_property',
      'body.reference:missing_property',
      'body.subArea:missing_property',
    ]);
  });

  it('an unknown route answers problem+json 404', async () => {
    const res = await stack.api('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('idempotency', () => {
  it('the same POST with the same Idempotency-Key twice creates one case', async () => {
    const token = await stack.login('ola.nordnett');
    const headers = { 'Idempotency-Key': 'sr-create-0001' };
    const first = await stack.api('POST', '/v1/service-requests', { token, json: validSr('idem-1'), headers });
    const second = await stack.api('POST', '/v1/service-requests', { token, json: validSr('idem-1'), headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.number).toBe(first.body.number);
    expect(second.headers.get('idempotency-replayed')).toBe('true');
    const [row] = await stack.sql`SELECT count(*)::int AS n FROM cases WHERE refs ->> 'reference' = 'idem-1'`;
    expect(row!.n).toBe(1);
    const reused = await stack.api('POST', '/v1/service-requests', { token, json: validSr('idem-2'), headers });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('concurrent repeats with one key still create one case', async () => {
    const token = await stack.login('ola.nordnett');
    const headers = { 'Idempotency-Key': 'sr-create-race' };
    const results = await Promise.all([1, 2, 3].map(() => stack.api('POST', '/v1/service-requests', { token, json: validSr('idem-race'), headers })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.body.number)).size).toBe(1);
  });
});

describe('audit (A-4)', () => {
  it('A-4: every state-changing request leaves a row with who, company, case, action and outcome', async () => {
    const token = await stack.login('ola.nordnett');
    const created = await stack.api('POST', '/v1/service-requests', { token, json: validSr('audit-1') });
    await stack.api('POST', `/v1/service-requests/${created.body.number}/submit`, { token });
    await stack.api('POST', `/v1/service-requests/${created.body.number}/submit`, { token }); // refused: already Submitted
    const audit = await stack.api('GET', `/v1/cases/${created.body.number}/audit`, { token });
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((r: { username: string; action: string; outcome: string; companyId: string }) => [r.username, r.companyId, r.action, r.outcome])).toEqual([
      ['ola.nordnett', 'nordnett', 'service_request.create', 'accepted'],
      ['ola.nordnett', 'nordnett', 'service_request.submit', 'accepted'],
      ['ola.nordnett', 'nordnett', 'service_request.submit', 'refused'],
    ]);
    const asHandler = await stack.api('GET', `/v1/cases/${created.body.number}/audit`, { token: await stack.login('hanne.handler') });
    expect(asHandler.body.items).toHaveLength(3);
  });
});

describe('operations', () => {
  it('health reports PostgreSQL and Temporal reachable', async () => {
    const res = await stack.api('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', postgres: { ok: true }, temporal: { ok: true } });
  });

  it('the OpenAPI 3.1 document describes the routes and the problem schema', async () => {
    const res = await stack.api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/auth/login', '/v1/service-requests', '/v1/service-requests/{number}', '/v1/handler/queues/{department}', '/health']));
    expect(res.body.components.schemas.Problem).toBeDefined();
    expect((await stack.api('GET', '/docs')).status).toBe(200);
  });

  it('A-6: cases carry search attributes ops can filter on in the Temporal UI', async () => {
    const token = await stack.login('ola.nordnett');
    const created = await stack.api('POST', '/v1/service-requests', { token, json: validSr('search-attr-1') });
    await stack.api('POST', `/v1/service-requests/${created.body.number}/submit`, { token });
    // visibility is eventually consistent: poll briefly
    const found = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of stack.client.workflow.list({
          query: `CaseReference = '${created.body.number}' AND CaseStatus = 'Submitted' AND CompanyId = 'nordnett' AND CaseType = 'service_request'`,
        })) {
          ids.push(wf.workflowId);
        }
        return ids.length > 0 ? ids : undefined;
      },
      10_000,
      'visibility of the search attributes',
    );
    expect(found).toEqual([`service-request:${created.body.number}`]);
    // a handler takes it: ops find the handler's cases by CaseAssignee
    await stack.api('POST', `/v1/handler/service-requests/${created.body.number}/take`, { token: await stack.login('hanne.handler') });
    const taken = await eventually(
      async () => {
        for await (const wf of stack.client.workflow.list({ query: `CaseReference = '${created.body.number}' AND CaseAssignee = 'hanne.handler'` })) return wf.workflowId;
        return undefined;
      },
      10_000,
      'visibility of CaseAssignee',
    );
    expect(taken).toBe(`service-request:${created.body.number}`);
  });
});
