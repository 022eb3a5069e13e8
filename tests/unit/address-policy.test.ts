// Webhook address policy (issue 12 #6): which callback URLs our servers may send to. No test here
// resolves a real name or connects anywhere but a loopback receiver it starts itself.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFailure } from '../../domain/notifications';
import { checkWebhookTarget, isInternalAddress, isLoopbackAddress, type Resolver } from '../../notifications/address-policy';
import { postToCheckedTarget } from '../../notifications/webhook-send';

/** A resolver from a table; any other name fails as DNS would (no real lookups in tests). */
const table =
  (entries: Record<string, string[]>): Resolver =>
  async (name) => {
    const found = entries[name];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  };
const PUBLIC = '93.184.215.14';
const resolve = table({ 'hooks.reseller.example': [PUBLIC, '2606:2800:21f:cb07:6820:80da:af6b:8b2c'], 'split.reseller.example': [PUBLIC, '10.1.2.3'], 'empty.reseller.example': [] });

describe('internal addresses', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '240.0.0.1',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fd00::1',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
    '::7f00:1',
    '[::1]',
    'not-an-address',
  ])('%s is internal', (address) => expect(isInternalAddress(address)).toBe(true));

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:2800:21f:cb07:6820:80da:af6b:8b2c', '::ffff:8.8.8.8', '64:ff9b::808:808'])('%s is public', (address) =>
    expect(isInternalAddress(address)).toBe(false),
  );

  it('loopback is a narrower set', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['10.0.0.1', '169.254.169.254', 'fd00::1', '8.8.8.8'].some(isLoopbackAddress)).toBe(false);
  });
});

describe('checkWebhookTarget', () => {
  const refused = async (url: string, policy = {}) => {
    const r = await checkWebhookTarget(url, { allowHttp: true, resolve, ...policy });
    return r.ok ? null : r.reason;
  };

  it.each([
    'http://127.0.0.1:7233/',
    'http://localhost:5499/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:8233/',
    'http://0x7f000001/',
    'http://localhost./',
    'http://127.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://2130706433/',
    'http://017700000001/',
    'http://127.0.0.1./',
    'http://[fd00::1]/',
    'http://10.0.0.1/',
    'http://metadata.google.internal/',
    'https://169.254.169.254/',
    'http://0/',
    'http://[::]/',
    'http://metadata/',
    'http://printer.local/',
    'http://api.localhost/',
    'http://[fe80::1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://split.reseller.example/',
    'http://empty.reseller.example/',
    'http://unknown.reseller.example/',
  ])('%s is refused as an address', async (url) => expect(await refused(url)).toBe('address'));

  it('a public name passes with every address it has; the URL is the WHATWG-normalised one', async () => {
    const r = await checkWebhookTarget('https://HOOKS.reseller.example./samband?x=1', { resolve });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.hostname).toBe('hooks.reseller.example');
    expect(r.addresses.map((a) => a.address)).toEqual([PUBLIC, '2606:2800:21f:cb07:6820:80da:af6b:8b2c']);
    expect(r.url.href).toBe('https://hooks.reseller.example./samband?x=1');
  });

  it('https only unless plain http is allowed (production default refuses it)', async () => {
    expect(await refused('http://hooks.reseller.example/', { allowHttp: false })).toBe('scheme');
    expect(await refused('http://hooks.reseller.example/')).toBeNull();
    expect((await checkWebhookTarget('ftp://hooks.reseller.example/', { allowHttp: true, resolve })).ok).toBe(false);
  });

  it('the test allowance admits loopback the predicate names, and nothing else internal', async () => {
    const allowLoopbackForTests = (u: URL) => u.hostname === '127.0.0.1' && u.port === '4567';
    expect(await refused('http://127.0.0.1:4567/hook', { allowLoopbackForTests })).toBeNull();
    expect(await refused('http://127.0.0.1:7233/', { allowLoopbackForTests })).toBe('address');
    expect(await refused('http://10.0.0.1:4567/', { allowLoopbackForTests: () => true })).toBe('address');
    expect(await refused('http://169.254.169.254:4567/', { allowLoopbackForTests: () => true })).toBe('address');
  });

  it('a resolver that hangs is a refusal, not a hang', async () => {
    const r = await checkWebhookTarget('https://slow.reseller.example/', { resolve: () => new Promise(() => {}), resolveTimeoutMs: 50 });
    expect(r).toMatchObject({ ok: false, reason: 'address' });
  });
});

describe('httpFailure', () => {
  it('is a category, never the exact status', () => {
    expect([200, 204, 301, 302, 307, 404, 418, 500, 503, 999].map(httpFailure)).toEqual([
      null,
      null,
      'redirect_refused',
      'redirect_refused',
      'redirect_refused',
      'http_4xx',
      'http_4xx',
      'http_5xx',
      'http_5xx',
      'http_5xx',
    ]);
  });
});

describe('postToCheckedTarget', () => {
  let server: Server;
  let port: number;
  const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ url: req.url!, headers: req.headers, body });
        if (req.url === '/redirect') res.writeHead(302, { Location: `http://127.0.0.1:${port}/target` }).end();
        else if (req.url === '/slow') setTimeout(() => res.writeHead(204).end(), 500);
        else res.writeHead(req.url === '/missing' ? 404 : 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const target = (path: string) => ({
    url: new URL(`http://hooks.reseller.example:${port}${path}`),
    hostname: 'hooks.reseller.example',
    addresses: [{ address: '127.0.0.1', family: 4 as const }],
  });

  it('connects to the checked address, never resolving the name again, and keeps the name in Host', async () => {
    seen.length = 0;
    expect(await postToCheckedTarget(target('/hook?a=1'), '{"x":1}', { 'Content-Type': 'application/json' }, 2000)).toEqual({ ok: true, status: 204 });
    expect(seen).toMatchObject([{ url: '/hook?a=1', body: '{"x":1}', headers: { host: `hooks.reseller.example:${port}` } }]);
  });

  it('a redirect is a failure and its target is never asked', async () => {
    seen.length = 0;
    expect(await postToCheckedTarget(target('/redirect'), '{}', {}, 2000)).toMatchObject({ ok: false, failure: 'redirect_refused' });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.map((s) => s.url)).toEqual(['/redirect']);
  });

  it('failures are categories: 4xx, time-out, nobody listening', async () => {
    expect(await postToCheckedTarget(target('/missing'), '{}', {}, 2000)).toMatchObject({ ok: false, failure: 'http_4xx' });
    expect(await postToCheckedTarget(target('/slow'), '{}', {}, 100)).toMatchObject({ ok: false, failure: 'timeout' });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const gone = { ...target('/'), url: new URL(`http://hooks.reseller.example:${closedPort}/`) };
    expect(await postToCheckedTarget(gone, '{}', {}, 2000)).toMatchObject({ ok: false, failure: 'connection_failed' });
  });
});
