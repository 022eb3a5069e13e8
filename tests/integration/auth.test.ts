// Authentication hardening (issue 12 items 9–11): login throttling per (username, address) with growing
// delays, client addresses behind trusted proxies, password change and handler-driven reset, rehashing
// of old hashes on login, and server-made request ids in the audit trail.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { hashPassword } from '../../api/passwords';
import { TEST_PASSWORD, TEST_PASSWORD_HASHING } from '../support/env';
import { type ApiResponse, type Stack, startStack } from '../support/stack';

let stack: Stack;
let direct: ReturnType<typeof createApp>;
let viaProxy: ReturnType<typeof createApp>;
beforeAll(async () => {
  stack = await startStack();
  direct = createApp({ sql: stack.sql, temporal: stack.client, adapters: stack.sims, config: stack.config });
  // the same system behind a proxy the operator trusts (TRUSTED_PROXIES=10.0.0.0/8)
  viaProxy = createApp({ sql: stack.sql, temporal: stack.client, adapters: stack.sims, config: { ...stack.config, trustedProxies: '10.0.0.0/8' } });
});
afterAll(async () => {
  await stack?.stop();
});

/** A request whose socket peer is `peer` (as @hono/node-server passes it), optionally through the proxy-trusting app. */
async function from(peer: string, method: string, path: string, opts: { json?: unknown; token?: string; headers?: Record<string, string>; app?: typeof viaProxy } = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.json !== undefined) headers['Content-Type'] = 'application/json';
  const app = opts.app ?? direct;
  const res = await app.request(
    path,
    { method, headers, ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : {}) },
    { incoming: { socket: { remoteAddress: peer, remotePort: 40000, remoteFamily: peer.includes(':') ? 'IPv6' : 'IPv4' } } },
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

const login = (peer: string, username: string, password: string, opts: { headers?: Record<string, string>; app?: typeof viaProxy } = {}) =>
  from(peer, 'POST', '/v1/auth/login', { json: { username, password }, ...opts });

const retryAfter = (res: ApiResponse) => Number(res.headers.get('retry-after'));

/** Moves a pair's failures into the past, as if `seconds` had gone by. */
const age = (username: string, address: string, seconds: number) =>
  stack.sql`UPDATE login_failures SET at = at - make_interval(secs => ${seconds}) WHERE username = ${username} AND address = ${address}`;

describe('login throttling (item 9)', () => {
  it("a stranger's 5 wrong passwords do not lock the user out: the right password from another address gets in", async () => {
    for (let i = 0; i < 5; i++) expect((await login('198.51.100.7', 'ola.nordnett', `guess-${i}`)).status).toBe(401);
    const attacker = await login('198.51.100.7', 'ola.nordnett', TEST_PASSWORD);
    expect(attacker.status).toBe(429);
    expect(attacker.headers.get('content-type')).toBe('application/problem+json');
    expect(attacker.body.code).toBe('too_many_login_attempts');
    expect(retryAfter(attacker)).toBeGreaterThanOrEqual(1);
    expect((await login('203.0.113.5', 'ola.nordnett', TEST_PASSWORD)).status).toBe(200);
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: 'ola.nordnett', password: TEST_PASSWORD } })).status).toBe(200);
    // the stranger's own counter is untouched by the user's success elsewhere
    const [kept] = await stack.sql`SELECT count(*)::int AS n FROM login_failures WHERE username = 'ola.nordnett' AND address = '198.51.100.7'`;
    expect(kept!.n).toBe(5);
    const [audit] = await stack.sql`SELECT detail FROM audit_log WHERE action = 'login' AND status_code = 429 ORDER BY id DESC LIMIT 1`;
    expect(audit!.detail).toMatchObject({ username: 'ola.nordnett', address: '198.51.100.7' });
  });

  it("the wait grows 1 s, 2 s, 4 s with each further failure; a success clears the address's counter", async () => {
    const [user, peer] = ['lise.fjordtel', '198.51.100.8'];
    for (let i = 0; i < 5; i++) expect((await login(peer, user, `guess-${i}`)).status).toBe(401);
    for (const expected of [1, 2, 4]) {
      const waiting = await login(peer, user, TEST_PASSWORD);
      expect(waiting.status).toBe(429);
      expect([expected - 1, expected]).toContain(retryAfter(waiting));
      await age(user, peer, expected + 0.5);
      expect((await login(peer, user, `guess-after-${expected}`)).status).toBe(401);
    }
    expect(retryAfter(await login(peer, user, TEST_PASSWORD))).toBeGreaterThanOrEqual(7); // 8 s now
    await age(user, peer, 9);
    expect((await login(peer, user, TEST_PASSWORD)).status).toBe(200);
    const [left] = await stack.sql`SELECT count(*)::int AS n FROM login_failures WHERE username = ${user} AND address = ${peer}`;
    expect(left!.n).toBe(0);
    // counting starts afresh: one more wrong password is answered at once
    expect((await login(peer, user, 'wrong-again')).status).toBe(401);
    expect((await login(peer, user, TEST_PASSWORD)).status).toBe(200);
  });

  it('parallel guesses cannot slip through one check: at most the free attempts are tried', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => login('198.51.100.9', 'nils.fjordtel', `parallel-${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBe(5);
    expect(statuses.filter((s) => s === 429).length).toBe(7);
  });

  it('credential stuffing: one address failing across many usernames is stopped, other addresses are not', async () => {
    const peer = '198.51.100.10';
    await stack.sql`INSERT INTO login_failures (username, address) SELECT 'user' || i || '.nowhere', ${peer} FROM generate_series(1, 50) i`;
    const stopped = await login(peer, 'anne.fjordtel', TEST_PASSWORD);
    expect(stopped.status).toBe(429);
    expect(retryAfter(stopped)).toBeGreaterThan(60);
    expect((await login('198.51.100.11', 'anne.fjordtel', TEST_PASSWORD)).status).toBe(200);
  });

  it('X-Forwarded-For is ignored from a peer that is no trusted proxy (spoofing does not spread the count)', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await login('198.51.100.12', 'kari.nordnett', `guess-${i}`, { headers: { 'X-Forwarded-For': `203.0.113.${100 + i}` } })).status).toBe(401);
    }
    expect((await login('198.51.100.12', 'kari.nordnett', TEST_PASSWORD, { headers: { 'X-Forwarded-For': '203.0.113.200' } })).status).toBe(429);
    // nothing is trusted by default, not even a private address
    for (let i = 0; i < 5; i++) expect((await login('10.0.0.5', 'per.nordnett', `guess-${i}`, { headers: { 'X-Forwarded-For': `203.0.113.${i}` } })).status).toBe(401);
    expect((await login('10.0.0.5', 'per.nordnett', TEST_PASSWORD, { headers: { 'X-Forwarded-For': '203.0.113.99' } })).status).toBe(429);
  });

  it('over a real socket (@hono/node-server) the peer address is what counts', async () => {
    const server = serve({ fetch: direct.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.77' },
        body: JSON.stringify({ username: 'anne.fjordtel', password: 'wrong-password' }),
      });
      expect(res.status).toBe(401);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const [row] = await stack.sql`SELECT address FROM login_failures WHERE username = 'anne.fjordtel' ORDER BY id DESC LIMIT 1`;
    expect(row!.address).toBe('127.0.0.1');
  });

  it('behind a trusted proxy each client is counted by its own address, not by what it writes into the header', async () => {
    const proxy = { app: viaProxy };
    for (let i = 0; i < 5; i++) {
      // the client writes its own "X-Forwarded-For: 192.0.2.x"; the proxy appends the address it saw
      const res = await login('10.0.0.5', 'ingrid.nordnett', `guess-${i}`, { ...proxy, headers: { 'X-Forwarded-For': `192.0.2.${i}, 198.51.100.20` } });
      expect(res.status).toBe(401);
    }
    expect((await login('10.0.0.5', 'ingrid.nordnett', TEST_PASSWORD, { ...proxy, headers: { 'X-Forwarded-For': '198.51.100.20' } })).status).toBe(429);
    // another client behind the same proxy, and the user directly: unaffected
    expect((await login('10.0.0.5', 'ingrid.nordnett', TEST_PASSWORD, { ...proxy, headers: { 'X-Forwarded-For': '198.51.100.21' } })).status).toBe(200);
    expect((await login('10.0.0.5', 'ingrid.nordnett', TEST_PASSWORD, proxy)).status).toBe(200);
    const [row] = await stack.sql`SELECT count(*)::int AS n FROM login_failures WHERE username = 'ingrid.nordnett' AND address = '198.51.100.20'`;
    expect(row!.n).toBe(5);
  });
});

describe('password change (item 10)', () => {
  it("needs the current password, applies the policy naming body.newPassword, and ends the user's other sessions", async () => {
    const user = 'henrik.handler';
    const [mine, other] = [await stack.login(user), await stack.login(user)];
    const change = (json: unknown, token = mine) => stack.api('POST', '/v1/auth/password', { token, json });
    expect((await stack.api('POST', '/v1/auth/password', { json: { currentPassword: TEST_PASSWORD, newPassword: 'a-long-new-password' } })).status).toBe(401);
    for (const [newPassword, message] of [
      ['short-pw', /12 characters/],
      ['Henrik.Handler', /username/],
      [TEST_PASSWORD, /current/],
    ] as const) {
      const res = await change({ currentPassword: TEST_PASSWORD, newPassword });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.newPassword', message: expect.stringMatching(message) })]);
    }
    const wrong = await change({ currentPassword: 'not-my-password', newPassword: 'a-long-new-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('body.currentPassword');

    expect((await change({ currentPassword: TEST_PASSWORD, newPassword: 'a-long-new-password' })).status).toBe(204);
    expect((await stack.api('GET', '/v1/auth/me', { token: mine })).status).toBe(200);
    expect((await stack.api('GET', '/v1/auth/me', { token: other })).status).toBe(401);
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: user, password: TEST_PASSWORD } })).status).toBe(401);
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: user, password: 'a-long-new-password' } })).status).toBe(200);
    const audit = await stack.sql`SELECT outcome, detail FROM audit_log WHERE action = 'password_change' AND username = ${user} ORDER BY id`;
    expect(audit.map((a) => a.outcome)).toEqual(['refused', 'refused', 'refused', 'refused', 'accepted']);
    expect(JSON.stringify(audit)).not.toMatch(/a-long-new-password|not-my-password/);
  });

  it('guessing the current password with a borrowed session is throttled like login', async () => {
    const token = await stack.login('olav.ops');
    for (let i = 0; i < 5; i++) {
      expect((await from('198.51.100.30', 'POST', '/v1/auth/password', { token, json: { currentPassword: `guess-${i}`, newPassword: 'a-long-new-password' } })).status).toBe(400);
    }
    const res = await from('198.51.100.30', 'POST', '/v1/auth/password', { token, json: { currentPassword: TEST_PASSWORD, newPassword: 'a-long-new-password' } });
    expect(res.status).toBe(429);
    expect(retryAfter(res)).toBeGreaterThanOrEqual(1);
  });
});

describe('handler-driven password reset (item 10)', () => {
  const user = 'nils.fjordtel';
  let handler: string;
  beforeAll(async () => {
    handler = await stack.login('hanne.handler');
  });
  const issue = (username: string, token = handler) => stack.api('POST', `/v1/handler/users/${username}/password-reset`, { token });
  const reset = (json: unknown) => stack.api('POST', '/v1/auth/password-reset', { json });
  /** A-4: the link goes only to the user's own address; the token is read from the e-mail, as the user would. */
  const mailedToken = async () => {
    const [mail] = await stack.sql<{ text: string; recipient: string }[]>`SELECT text, recipient FROM email_outbox WHERE case_id = ${`user:${user}`} ORDER BY id DESC LIMIT 1`;
    return /password-reset\?token=([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
  };

  it("only handlers issue tokens, only for reseller companies' users", async () => {
    const reseller = await stack.login('anne.fjordtel');
    expect((await issue(user, reseller)).status).toBe(403);
    expect((await stack.api('POST', `/v1/handler/users/${user}/password-reset`)).status).toBe(401);
    expect((await issue('henrik.handler')).body).toMatchObject({ status: 403, rule: 'A-2' });
    expect((await issue('olav.ops')).status).toBe(403);
    expect((await issue('nobody.nowhere')).status).toBe(404);
  });

  it('a one-time token, stored hashed, sets a new password and ends every session; used, replaced or expired tokens are dead', async () => {
    const session = await stack.login(user);
    const first = await issue(user);
    expect(first.status).toBe(201);
    const firstToken = await mailedToken();
    const issued = await issue(user); // replaces the first
    expect(issued.status).toBe(201);
    expect(issued.body).not.toHaveProperty('token'); // the handler never sees it (A-4)
    expect(issued.body.sentTo).toMatch(/^n\*+@/);
    const token = await mailedToken();
    const { expiresAt } = issued.body;
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(token).not.toBe(firstToken);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    const stored = await stack.sql`SELECT token_hash FROM password_reset_tokens t JOIN users u ON u.id = t.user_id WHERE u.username = ${user}`;
    expect(stored.length).toBe(2);
    expect(JSON.stringify(stored)).not.toContain(token);

    const dead = await reset({ token: firstToken, newPassword: 'reset-password-42' });
    expect(dead.status).toBe(400);
    expect(dead.body.errors[0].field).toBe('body.token');
    expect((await reset({ token: 'x'.repeat(43), newPassword: 'reset-password-42' })).body.errors[0].field).toBe('body.token');
    for (const newPassword of ['short', user, TEST_PASSWORD]) {
      const refused = await reset({ token, newPassword });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].field).toBe('body.newPassword');
    }
    expect((await stack.api('GET', '/v1/auth/me', { token: session })).status).toBe(200); // refusals used nothing up

    expect((await reset({ token, newPassword: 'reset-password-42' })).status).toBe(204);
    expect((await stack.api('GET', '/v1/auth/me', { token: session })).status).toBe(401);
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: user, password: TEST_PASSWORD } })).status).toBe(401);
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: user, password: 'reset-password-42' } })).status).toBe(200);
    expect((await reset({ token, newPassword: 'another-password-43' })).status).toBe(400); // one time only

    const audit = await stack.sql`SELECT username, action, outcome, company_id, detail FROM audit_log WHERE action IN ('password_reset_issued', 'password_reset') AND outcome = 'accepted' ORDER BY id`;
    expect(audit.map((a) => [a.username, a.action, a.company_id])).toEqual([
      ['hanne.handler', 'password_reset_issued', 'fjordtel'],
      ['hanne.handler', 'password_reset_issued', 'fjordtel'],
      [user, 'password_reset', 'fjordtel'],
    ]);
    expect(audit[0]!.detail).toMatchObject({ target: user });
    expect(JSON.stringify(audit)).not.toContain(token);

    expect((await issue(user)).status).toBe(201);
    const late = await mailedToken();
    await stack.sql`UPDATE password_reset_tokens SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL`;
    expect((await reset({ token: late, newPassword: 'late-password-44' })).status).toBe(400);
  });
});

describe('password hashes (item 11)', () => {
  it('a hash with older parameters still verifies and is rehashed to the current ones on login', async () => {
    const legacy = await hashPassword(TEST_PASSWORD, { N: 2 ** 14, r: 8, p: 1 }); // the parameters before issue 12
    await stack.sql`UPDATE users SET password_hash = ${legacy} WHERE username = 'kari.nordnett'`;
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: 'kari.nordnett', password: 'wrong-password' } })).status).toBe(401);
    const [unchanged] = await stack.sql`SELECT password_hash FROM users WHERE username = 'kari.nordnett'`;
    expect(unchanged!.password_hash).toBe(legacy);
    await stack.login('kari.nordnett');
    const [row] = await stack.sql`SELECT password_hash FROM users WHERE username = 'kari.nordnett'`;
    expect(row!.password_hash).toMatch(new RegExp(`^scrypt\\$${TEST_PASSWORD_HASHING.N}\\$8\\$1\\$`));
    await stack.login('kari.nordnett');
  });
});

describe('request ids (item 11)', () => {
  it("the audit row carries the server's own request id; the client's X-Request-Id is only a note", async () => {
    const res = await stack.api('POST', '/v1/auth/login', { json: { username: 'ola.nordnett', password: 'wrong-password' }, headers: { 'X-Request-Id': 'client-chosen-id-1' } });
    const serverId = res.headers.get('x-request-id');
    expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await stack.sql`SELECT request_id, detail FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1`;
    expect(row!.request_id).toBe(serverId);
    expect(row!.request_id).not.toBe('client-chosen-id-1');
    expect(row!.detail.clientRequestId).toBe('client-chosen-id-1');
    // two requests with the same client id are still two
    await stack.api('POST', '/v1/auth/login', { json: { username: 'ola.nordnett', password: 'wrong-password' }, headers: { 'X-Request-Id': 'client-chosen-id-1' } });
    const ids = await stack.sql`SELECT DISTINCT request_id FROM audit_log WHERE detail ->> 'clientRequestId' = 'client-chosen-id-1'`;
    expect(ids.length).toBe(2);
    await stack.api('POST', '/v1/auth/login', { json: { username: 'ola.nordnett', password: 'wrong-password' }, headers: { 'X-Request-Id': 'x'.repeat(65) } });
    const [long] = await stack.sql`SELECT detail FROM audit_log WHERE action = 'login' ORDER BY id DESC LIMIT 1`;
    expect(long!.detail.clientRequestId).toBeUndefined();
  });
});
