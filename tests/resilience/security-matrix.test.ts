// Security: every route of the OpenAPI document × every role × own / other company's / missing object,
// each with a VALID request (tests/support/valid-bodies.ts), so validation never answers before
// authorisation is asked (issue 12). A-1: another company's object answers byte for byte like one
// that does not exist (after replacing its id), and no answer carries the other company's secrets.
// A-6: ops get no case data through the API (403). Nothing answers 5xx.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/temporal';
import { recordFigure } from '../support/figures';
import { FREE_ADDRESSES } from '../support/orders';
import { switchables } from '../support/portfolio';
import { fillPath, type RouteInfo, routeTable } from '../support/routes';
import { type ApiResponse, type Stack, startStack } from '../support/stack';
import { type CompanyFixtures, createCompanyFixtures, MATRIX_WEBHOOK_POLICY, MISSING, portfolioSecrets, refreshDrafts, secretsIn } from '../support/tenancy-fixtures';
import { type BodyContext, fillRoutePath, type OpenApiDoc, validBody, validQuery, variantsOf } from '../support/valid-bodies';

let stack: Stack;
let routes: RouteInfo[];
let doc: OpenApiDoc;
let nordnett: CompanyFixtures;
let fjordtel: CompanyFixtures;
let fjordtelSecrets: Set<string>;
const tokens: Record<string, string> = {};

/** The caller's roles (all Nordnett's but the wholesaler's), in the order the matrix runs them: the handler last, as it may change the other company's objects. */
const ROLES = {
  read: 'kari.nordnett',
  ordering: 'ola.nordnett',
  full: 'ingrid.nordnett',
  superuser: 'per.nordnett',
  ops: 'olav.ops',
  handler: 'hanne.handler',
} as const;
type Role = keyof typeof ROLES;
const RESELLER_ROLES: Role[] = ['read', 'ordering', 'full', 'superuser'];

/**
 * Network look-ups that answer for any line of the wholesaler's network, whoever resells it, by design:
 * I-3 (the switch look-up names the losing operator and the address) and O-10 (Kapaks' availability by
 * number). Their answers for a foreign and a missing number may differ; the secret scan still applies
 * (no end user's name, birth date or org number), without installation addresses.
 */
const NETWORK_LOOKUPS = new Set(['GET /v1/reference/availability', 'GET /v1/switch-isp/lookup', 'POST /v1/orders/{number}/lines/{lineNo}/availability']);

/**
 * Within a role, reads first and the actions that end or hand over an own object (remove, cancel,
 * submit, close, …) last, so every route meets the own drafts still in New.
 */
const FINAL_STEP = /\/(cancel|submit|close|withdraw|reopen|complete|reject|take|incomplete|request-info|in-progress|advance|customer-update|logout)$/;
const runOrder = (r: RouteInfo) => (r.method === 'GET' ? 0 : r.method === 'DELETE' || FINAL_STEP.test(r.path) ? 2 : 1);

/** A-6: what ops may still use through the API: their login and the wholesaler's reference data. */
const opsMayUse = (r: RouteInfo) => r.path.startsWith('/v1/auth/') || r.path.startsWith('/v1/reference/') || r.path === '/v1/service-requests/catalogue';

interface Result {
  role: Role;
  route: string;
  variant: string;
  object: 'own' | 'other' | 'missing' | 'none';
  request: { method: string; path: string; body?: unknown };
  status: number;
  contentType: string | null;
  text: string;
}

const results: Result[] = [];
const violations = { serverErrors: [] as string[], oracles: [] as string[], secrets: [] as string[], ops: [] as string[], handlerOnly: [] as string[], invalidBodies: [] as string[] };
const stats = { pairs: 0, requests: 0, comparisons: 0 };
/** Routes with at least one leak (a foreign/missing difference or a secret in an answer): the figure reported. */
const leakingRoutes = new Set<string>();

beforeAll(async () => {
  stack = await startStack({ timings: { switchIspExecution: { ms: 3_600_000 }, terminationExecution: { ms: 3_600_000 } }, webhookPolicy: MATRIX_WEBHOOK_POLICY });
  nordnett = await createCompanyFixtures(stack, 'nordnett');
  fjordtel = await createCompanyFixtures(stack, 'fjordtel');
  fjordtelSecrets = new Set([...fjordtel.secrets, ...portfolioSecrets('fjordtel')]);
  for (const [role, username] of Object.entries(ROLES)) tokens[role] = await stack.login(username);
  doc = (await stack.api('GET', '/openapi.json')).body as OpenApiDoc;
  routes = (await routeTable(stack)).sort((a, b) => runOrder(a) - runOrder(b));
}, 600_000);
afterAll(async () => {
  await stack?.stop();
});

function render(res: ApiResponse, replace: string[]): string {
  let text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  for (const r of replace.filter(Boolean).sort((a, b) => b.length - a.length)) text = text.split(r).join('<OBJECT>');
  return `${res.status} ${res.headers.get('content-type')} ${text}`;
}

/** The strings that name an object in an answer: the value and, for an order line, its order. */
const namesOf = (value: string) => [value, value.split(':')[0]!];

describe('security matrix (valid requests, own / other / missing objects)', () => {
  it('runs every route × role × object with a valid request', async () => {
    expect(routes.length).toBeGreaterThan(80);
    const products = (await stack.api('GET', '/v1/reference/products', { token: tokens.ordering })).body.items as Array<{ code: string; family: string; accessType?: string; quoteOnly: boolean }>;
    const adsl = products.find((p) => p.code === 'JARA-ADSL-DELT') ?? products.find((p) => p.family === 'adsl')!;
    const capacity = products.find((p) => p.code === 'SAMB-ETH') ?? products.find((p) => p.quoteOnly)!;
    let address = 0;
    let switchIndex = 10; // the fixtures took the first ones
    const all = switchables('JARA-ADSL-DELT');
    const contextFor = (actor: CompanyFixtures): BodyContext => ({
      actor,
      products: { adsl: adsl.code, capacity: capacity.code },
      freshAddress: () => FREE_ADDRESSES[address++ % FREE_ADDRESSES.length]!,
      switchable: () => {
        const s = all[switchIndex++ % all.length]!;
        return { phoneNumber: s.phoneNumber, reference: s.auth.reference };
      },
    });

    for (const role of Object.keys(ROLES) as Role[]) {
      const reseller = RESELLER_ROLES.includes(role);
      if (reseller && role !== 'read') await refreshDrafts(stack, nordnett);
      for (const route of routes) {
        stats.pairs++;
        const key = `${route.method} ${route.path}`;
        for (const variant of variantsOf(route)) {
          const objects: Array<[Result['object'], string | undefined]> =
            variant.kind === 'none'
              ? [['none', undefined]]
              : [
                  ['own', nordnett.objects[variant.kind]],
                  ['other', fjordtel.objects[variant.kind]],
                  ['missing', MISSING[variant.kind]],
                ];
          const answers: Partial<Record<Result['object'], ApiResponse>> = {};
          for (const [which, value] of objects) {
            const ctx = contextFor(nordnett);
            const path = fillRoutePath(route, ctx, variant, value);
            const query = new URLSearchParams(validQuery(route, ctx, variant, value)).toString();
            const body = route.hasBody ? validBody(route, doc, ctx, variant, variant.place === 'body' ? value : undefined) : undefined;
            const url = query ? `${path}?${query}` : path;
            const res = await stack.api(route.method, url, { token: tokens[role], ...(body !== undefined ? { json: body } : {}) });
            stats.requests++;
            answers[which] = res;
            const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
            results.push({
              role,
              route: key,
              variant: `${variant.kind}@${variant.place}${variant.alt ? '+alt' : ''}`,
              object: which,
              request: { method: route.method, path: url, ...(body !== undefined ? { body } : {}) },
              status: res.status,
              contentType: res.headers.get('content-type'),
              text,
            });
            const where = `${role} ${route.method} ${url}${body !== undefined ? ` ${JSON.stringify(body)}` : ''} → ${res.status} ${text.slice(0, 300)}`;
            if (res.status >= 500) violations.serverErrors.push(where);
            if (role === 'ops' && !opsMayUse(route) && res.status !== 403) violations.ops.push(where);
            if (reseller && route.path.startsWith('/v1/handler/') && res.status !== 403) violations.handlerOnly.push(where);
            if (reseller) {
              const sent = `${url} ${JSON.stringify(body ?? '')}`;
              const secrets = NETWORK_LOOKUPS.has(key) ? [...fjordtelSecrets].filter((s) => !/^[A-ZÆØÅ].*\d{4} [A-ZÆØÅ]/.test(s)) : fjordtelSecrets;
              const found = secretsIn(text, secrets, sent);
              if (found.length > 0) leakingRoutes.add(key);
              if (found.length > 0) violations.secrets.push(`${where}\n    carries Fjordtel's ${found.slice(0, 8).join(', ')}`);
            }
            // a valid request for a missing object must get past validation to the look-up
            if (which === 'missing' && res.status === 400) {
              const errors = (res.body as { errors?: Array<{ field: string; rule?: string }> }).errors ?? [];
              if (errors.some((e) => !e.rule && /^(body|query|path)/.test(e.field))) violations.invalidBodies.push(where);
            }
            if (route.path === '/v1/auth/logout') tokens[role] = await stack.login(ROLES[role]);
          }
          // a line number exists in the network whoever resells it: only the secret scan judges those answers
          if (reseller && variant.kind !== 'none' && variant.kind !== 'phone') {
            stats.comparisons++;
            const other = render(answers.other!, namesOf(fjordtel.objects[variant.kind]));
            const missing = render(answers.missing!, namesOf(MISSING[variant.kind]));
            if (other !== missing) {
              leakingRoutes.add(key);
              violations.oracles.push(
                `${role} ${key} [${variant.kind} in ${variant.place}${variant.alt ? ', rule-refused body' : ''}]\n    other:   ${other.slice(0, 400)}\n    missing: ${missing.slice(0, 400)}`,
              );
            }
          }
        }
      }
    }
    mkdirSync(join(PROJECT_ROOT, '.data'), { recursive: true });
    writeFileSync(join(PROJECT_ROOT, '.data', 'security-matrix.json'), JSON.stringify({ stats, violations, results }, null, 1));
    const leaks = leakingRoutes.size;
    console.log(
      `security matrix: ${routes.length} routes × ${Object.keys(ROLES).length} roles = ${stats.pairs} pairs, ${stats.requests} requests, ` +
        `${stats.comparisons} foreign/missing comparisons, leaks found = ${leaks} routes (${violations.oracles.length} foreign/missing differences, ${violations.secrets.length} answers with secrets: ${[...leakingRoutes].join('; ')}), ` +
        `${violations.serverErrors.length} 5xx, ${violations.ops.length} ops answers not 403`,
    );
    recordFigure('routes × roles checked', stats.pairs);
    recordFigure('leaks found', leaks);
    recordFigure('5xx answers', violations.serverErrors.length);
    recordFigure('matrix requests', stats.requests);
    // the matrix reached every route: each one was asked by every role
    expect(stats.pairs).toBe(routes.length * Object.keys(ROLES).length);
  });

  it('the generated requests are valid (a missing object is never refused by the schema): otherwise the matrix would test validation', () => {
    expect(violations.invalidBodies).toEqual([]);
  });

  it('no 5xx anywhere', () => {
    expect(violations.serverErrors).toEqual([]);
  });

  it("A-1: another company's object answers byte for byte like a missing one (status, content type, body)", () => {
    expect(stats.comparisons).toBeGreaterThan(200);
    expect(violations.oracles.join('\n')).toBe('');
  });

  it("A-1: no answer to a reseller carries the other company's end users, numbers, addresses, cases or people", () => {
    expect(fjordtelSecrets.size).toBeGreaterThan(50);
    expect(violations.secrets.join('\n')).toBe('');
  });

  it('A-6: ops get 403 on every case, portfolio, attachment, audit, notification and handler route', () => {
    expect(violations.ops.join('\n')).toBe('');
  });

  it('A-2: the handler routes answer 403 to every reseller role', () => {
    expect(violations.handlerOnly.join('\n')).toBe('');
  });

  it("the other company's objects still answer their own users (the fixtures are real)", async () => {
    const anne = await stack.login('anne.fjordtel');
    for (const [path, expected] of [
      [`/v1/orders/${fjordtel.objects.orderDraft}`, 200],
      [`/v1/service-requests/${fjordtel.objects.sr}`, 200],
      [`/v1/attachments/${fjordtel.objects.attachment}`, 200],
    ] as const) {
      expect((await stack.api('GET', path, { token: anne })).status, path).toBe(expected);
    }
  });

  it('tampered and expired tokens are refused on every authenticated route', async () => {
    const token = tokens.ordering!;
    const tampered = token.slice(0, -3) + (token.endsWith('abc') ? 'xyz' : 'abc');
    const expired = await stack.login('nils.fjordtel');
    await stack.sql`UPDATE sessions SET last_seen_at = now() - interval '2 hours' WHERE ended_at IS NULL AND user_id = (SELECT id FROM users WHERE username = 'nils.fjordtel')`;
    for (const route of routes.filter((r) => !r.public)) {
      for (const t of [tampered, expired, undefined]) {
        const res = await stack.api(route.method, fillPath(route.path, { number: nordnett.objects.sr, id: nordnett.objects.attachment, lineNo: '1', department: 'customer-service' }), {
          token: t,
          ...(route.hasBody ? { json: {} } : {}),
        });
        expect(res.status, `${route.method} ${route.path}`).toBe(401);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
      }
    }
  });
});
