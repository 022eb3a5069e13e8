// User administration through the API (A-1…A-5, S-4 "Brukeradministrasjon", issue 15): handlers create
// users, change access type and training (A-3, deck slide 8: "Enkelte tilgangstyper (bestillings- og full
// tilgang) krever at du har gjennomgått noe opplæring"), close users (their sessions end at once), and
// complete a company's User administration request with the change applied; the company's full-access
// users and superuser see its users; contacts are linked to the users they are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/env';
import { ok } from '../support/orders';
import { srAction, uniqueReference } from '../support/service-requests';
import { type Stack, startStack } from '../support/stack';

let stack: Stack;
let hanne: string;
let ingrid: string; // Nordnett, full access
let per: string; // Nordnett, superuser
let ola: string; // Nordnett, ordering
let kari: string; // Nordnett, read
let anne: string; // Fjordtel, full access
let ops: string;

beforeAll(async () => {
  stack = await startStack();
  [hanne, ingrid, per, ola, kari, anne, ops] = (await Promise.all(
    ['hanne.handler', 'ingrid.nordnett', 'per.nordnett', 'ola.nordnett', 'kari.nordnett', 'anne.fjordtel', 'olav.ops'].map((u) => stack.login(u)),
  )) as [string, string, string, string, string, string, string];
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

let n = 0;
const username = () => `test.user${process.pid % 1000}${++n}`;
const post = (path: string, json: unknown, token = hanne) => stack.api('POST', path, { token, json });
const patch = (path: string, json: unknown, token = hanne) => stack.api('PATCH', path, { token, json });
const newUser = (overrides: Record<string, unknown> = {}) => ({
  companyId: 'nordnett',
  username: username(),
  fullName: 'Test Testesen',
  email: `test${n}@nordnett.example`,
  accessType: 'read',
  ...overrides,
});

/** The one-time link the user got by e-mail, as they would follow it. */
async function mailedToken(user: string): Promise<string> {
  const [mail] = await stack.sql<{ text: string }[]>`SELECT text FROM email_outbox WHERE case_id = ${`user:${user}`} ORDER BY id DESC LIMIT 1`;
  return /password-reset\?token=([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
}

describe('A-3: creating users and their access', () => {
  it('A-3: ordering and full access need their training (deck slide 8); a new user sets a password from the e-mailed link and logs in', async () => {
    const untrained = await post('/v1/handler/users', newUser({ accessType: 'ordering' }));
    expect(untrained.status).toBe(400);
    expect(untrained.body.errors).toEqual([expect.objectContaining({ field: 'body.training', rule: 'A-3' })]);
    const superuser = await post('/v1/handler/users', newUser({ role: 'superuser', accessType: 'full', training: ['ordering'] }));
    expect(superuser.status).toBe(400);
    expect(superuser.body.errors[0].message).toMatch(/'full' training/);

    const body = newUser({ accessType: 'ordering', training: ['ordering'] });
    const created = await ok(post('/v1/handler/users', body), 201);
    expect(created).toMatchObject({ username: body.username, companyId: 'nordnett', role: 'reseller', accessType: 'ordering', training: ['ordering'], closed: false, createdBy: 'hanne.handler' });
    // no password of its own until the person chooses one
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: body.username, password: TEST_PASSWORD } })).status).toBe(401);
    const token = await mailedToken(body.username);
    expect((await stack.api('POST', '/v1/auth/password-reset', { json: { token, newPassword: 'my-own-password-1' } })).status).toBe(204);
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: body.username, password: 'my-own-password-1' } })).status).toBe(200);

    const taken = await post('/v1/handler/users', newUser({ username: body.username }));
    expect(taken.status).toBe(400);
    expect(taken.body.errors[0]).toMatchObject({ field: 'body.username', rule: 'A-4' });
    const noCompany = await post('/v1/handler/users', newUser({ companyId: 'wholesaler' }));
    expect(noCompany.status).toBe(400);
    expect(noCompany.body.errors[0].field).toBe('body.companyId');
    const badName = await post('/v1/handler/users', newUser({ username: 'Bad Name' }));
    expect(badName.status).toBe(400);
    expect(badName.body.errors[0].field).toBe('body.username');
  });

  it('A-3: a handler adds and removes training and changes the access type; access without its training is refused, every change audited with who', async () => {
    const body = newUser();
    await ok(post('/v1/handler/users', body), 201);
    const path = `/v1/handler/users/${body.username}`;
    const refused = await patch(path, { accessType: 'full' });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'body.accessType', rule: 'A-3' });
    const full = await ok(patch(path, { accessType: 'full', addTraining: ['full', 'fault'] }));
    expect(full).toMatchObject({ accessType: 'full', training: ['full', 'fault'] });
    const pull = await patch(path, { removeTraining: ['full'] });
    expect(pull.status).toBe(400);
    expect(pull.body.errors[0]).toMatchObject({ field: 'body.removeTraining', rule: 'A-3' });
    expect(await ok(patch(path, { accessType: 'read', removeTraining: ['full'] }))).toMatchObject({ accessType: 'read', training: ['fault'] });
    const detail = await ok(stack.api('GET', path, { token: hanne }));
    expect(detail.changes.map((c: { action: string; by: string }) => `${c.action}:${c.by}`)).toEqual(['user.create:hanne.handler', 'user.update:hanne.handler', 'user.update:hanne.handler']);
    expect(detail.changes[1].detail).toMatchObject({ accessType: { from: 'read', to: 'full' } });
    // handlers and ops are not administered here; a missing user is 404
    expect((await patch('/v1/handler/users/henrik.handler', { accessType: 'read' })).status).toBe(404);
    expect((await patch('/v1/handler/users/nobody.here', { accessType: 'read' })).status).toBe(404);
  });
});

describe('A-5: closing a user', () => {
  it("A-5: a closed user's token answers 401 at once, they cannot log in, no link opens the account; the close is audited with the reason", async () => {
    const body = newUser();
    await ok(post('/v1/handler/users', body), 201);
    const link = await mailedToken(body.username);
    await ok(stack.api('POST', '/v1/auth/password-reset', { json: { token: link, newPassword: 'leaving-soon-password' } }), 204);
    const session = (await ok(stack.api('POST', '/v1/auth/login', { json: { username: body.username, password: 'leaving-soon-password' } }))).token as string;
    expect((await stack.api('GET', '/v1/auth/me', { token: session })).status).toBe(200);
    await ok(post(`/v1/handler/users/${body.username}/password-reset`, {}), 201);
    const closed = await ok(post(`/v1/handler/users/${body.username}/close`, { reason: 'leaving', comment: 'Left the company' }));
    expect(closed).toMatchObject({ closed: true, closedReason: 'leaving' });
    expect((await stack.api('GET', '/v1/auth/me', { token: session })).status).toBe(401);
    expect((await stack.api('POST', '/v1/auth/login', { json: { username: body.username, password: 'leaving-soon-password' } })).status).toBe(401);
    const lateLink = await mailedToken(body.username);
    expect((await stack.api('POST', '/v1/auth/password-reset', { json: { token: lateLink, newPassword: 'sneaking-back-in-1' } })).status).toBe(400);
    expect((await post(`/v1/handler/users/${body.username}/close`, { reason: 'misuse' })).status).toBe(409);
    expect((await patch(`/v1/handler/users/${body.username}`, { accessType: 'read' })).status).toBe(409);
    const [audit] = await stack.sql`SELECT username, company_id, detail FROM audit_log WHERE action = 'user.close' AND outcome = 'accepted' AND detail ->> 'target' = ${body.username}`;
    expect(audit).toMatchObject({ username: 'hanne.handler', company_id: 'nordnett', detail: expect.objectContaining({ reason: 'leaving' }) });
    // closed users are listed only when asked for
    const listed = await ok(stack.api('GET', '/v1/handler/users?companyId=nordnett&includeClosed=true&limit=100', { token: hanne }));
    expect(listed.items.find((u: { username: string }) => u.username === body.username)).toMatchObject({ closed: true });
    const open = await ok(stack.api('GET', '/v1/handler/users?companyId=nordnett&limit=100', { token: hanne }));
    expect(open.items.map((u: { username: string }) => u.username)).not.toContain(body.username);
  });

  it('A-2: resellers and ops cannot administer users', async () => {
    for (const token of [ingrid, per, ola, ops]) {
      expect((await post('/v1/handler/users', newUser(), token)).status).toBe(403);
      expect((await post('/v1/handler/users/ola.nordnett/close', { reason: 'misuse' }, token)).status).toBe(403);
      expect((await patch('/v1/handler/users/ola.nordnett', { accessType: 'read' }, token)).status).toBe(403);
      expect((await stack.api('GET', '/v1/handler/users', { token })).status).toBe(403);
    }
  });
});

describe("A-3, S-4: the company's users, and changes through a User administration request", () => {
  it("A-3: the full-access user and the superuser see their own company's users and access; read, ordering, handlers and ops do not", async () => {
    for (const token of [ingrid, per]) {
      const page = await ok(stack.api('GET', '/v1/company/users', { token }));
      expect(page.items.every((u: { companyId: string }) => u.companyId === 'nordnett')).toBe(true);
      expect(page.items.find((u: { username: string }) => u.username === 'ola.nordnett')).toMatchObject({ accessType: 'ordering', closed: false });
    }
    const theirs = await ok(stack.api('GET', '/v1/company/users', { token: anne }));
    expect(theirs.items.map((u: { username: string }) => u.username)).not.toContain('ola.nordnett');
    for (const token of [ola, kari, hanne, ops]) expect((await stack.api('GET', '/v1/company/users', { token })).status).toBe(403);
  });

  it('S-4: a superuser asks for a new user in a User administration request; the handler completes it with the change applied once', async () => {
    const sr = await ok(
      post('/v1/service-requests', { area: 'User administration', subArea: 'New user', reference: uniqueReference(), description: 'Please create a user for our new colleague Siri' }, per),
      201,
    );
    const t = { customer: per, handler: hanne };
    await ok(srAction(stack, t, sr.number, 'submit'));
    await ok(srAction(stack, t, sr.number, 'take'));
    const wanted = { kind: 'create', username: username(), fullName: 'Siri Kollega', email: `siri${n}@nordnett.example`, accessType: 'ordering' };
    const untrained = await post(`/v1/handler/service-requests/${sr.number}/complete-user-admin`, { text: 'Created', change: wanted });
    expect(untrained.status).toBe(400);
    expect(untrained.body.errors[0]).toMatchObject({ field: 'body.change.training', rule: 'A-3' });
    expect((await stack.api('GET', `/v1/service-requests/${sr.number}`, { token: per })).body.status).toBe('In Process');

    const done = await ok(
      post(`/v1/handler/service-requests/${sr.number}/complete-user-admin`, { text: 'Siri has her user; the password link is in her e-mail', change: { ...wanted, training: ['ordering'] } }),
    );
    expect(done.status).toBe('Completed');
    const users = await ok(stack.api('GET', '/v1/company/users', { token: per }));
    expect(users.items.find((u: { username: string }) => u.username === wanted.username)).toMatchObject({ accessType: 'ordering', training: ['ordering'], createdBy: 'hanne.handler' });
    const audit = await stack.sql`SELECT username, case_id, action FROM audit_log WHERE dedupe_key = ${`${done.caseId}:user-admin`}`;
    expect(audit).toEqual([{ username: 'hanne.handler', case_id: done.caseId, action: 'user.create' }]);
    // completed once: a second completion is refused by S-7, nothing is applied twice
    expect((await post(`/v1/handler/service-requests/${sr.number}/complete-user-admin`, { text: 'again', change: { ...wanted, training: ['ordering'] } })).status).toBe(400);

    // only a User administration request carries a user change
    const other = await ok(post('/v1/service-requests', { area: 'Other', subArea: 'Other', reference: uniqueReference(), description: 'Something else entirely here' }, per), 201);
    await ok(srAction(stack, t, other.number, 'submit'));
    await ok(srAction(stack, t, other.number, 'take'));
    const wrong = await post(`/v1/handler/service-requests/${other.number}/complete-user-admin`, { text: 'x', change: { kind: 'close', username: 'kari.nordnett', reason: 'leaving' } });
    expect(wrong.status).toBe(409);
    expect(wrong.body.rule).toBe('S-4');
    // and never a change to another company's user (A-1)
    const sr2 = await ok(
      post('/v1/service-requests', { area: 'User administration', subArea: 'Close access', reference: uniqueReference(), description: 'Please close the user of a colleague' }, ingrid),
      201,
    );
    await ok(srAction(stack, { customer: ingrid, handler: hanne }, sr2.number, 'submit'));
    await ok(srAction(stack, { customer: ingrid, handler: hanne }, sr2.number, 'take'));
    const foreign = await post(`/v1/handler/service-requests/${sr2.number}/complete-user-admin`, { text: 'x', change: { kind: 'close', username: 'anne.fjordtel', reason: 'misuse' } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0]).toMatchObject({ field: 'body.change.username', rule: 'A-1' });
    expect((await stack.api('GET', '/v1/auth/me', { token: anne })).status).toBe(200);
  });
});

describe('contacts linked to users', () => {
  it('A-4: a contact that is the same person as a user is linked to them, within the company only, one contact per user', async () => {
    const linked = await ok(post('/v1/contacts', { name: 'Ola Nordmann', email: `ola.kontakt${n}@nordnett.example`, kind: 'personal', username: 'ola.nordnett' }, ingrid), 201);
    expect(linked.username).toBe('ola.nordnett');
    const users = await ok(stack.api('GET', '/v1/company/users', { token: ingrid }));
    expect(users.items.find((u: { username: string }) => u.username === 'ola.nordnett').contactId).toBe(linked.id);
    const again = await post('/v1/contacts', { name: 'Ola igjen', email: `ola.igjen${n}@nordnett.example`, kind: 'personal', username: 'ola.nordnett' }, ingrid);
    expect(again.status).toBe(409);
    const foreign = await post('/v1/contacts', { name: 'Anne', email: `anne${n}@nordnett.example`, kind: 'personal', username: 'anne.fjordtel' }, ingrid);
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].field).toBe('body.username');
    expect((await ok(patch(`/v1/contacts/${linked.id}`, { username: null }, ingrid))).username).toBeNull();
    expect((await ok(stack.api('GET', '/v1/contacts', { token: ingrid }))).items.find((c: { id: string }) => c.id === linked.id).username).toBeNull();
  });
});
