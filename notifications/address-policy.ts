// Where a webhook may be sent (issue 12 #6): only to public internet addresses. A callback URL is
// a request the reseller makes our servers send, so loopback, private, link-local, CGNAT,
// multicast and cloud-metadata addresses would let it reach (and scan) our own network. The same
// check runs at registration and again at send time, and the dispatcher connects to exactly the
// address checked here, so a name that is re-pointed later (DNS rebinding) is caught.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface WebhookPolicy {
  /** Plain-http callback URLs (development only). Default false: https only. */
  allowHttp?: boolean;
  /**
   * Tests only: loopback receivers the test started itself. Production leaves it unset, and then
   * no loopback address is ever allowed.
   */
  allowLoopbackForTests?: (url: URL) => boolean;
  /** Name resolution (tests inject one; default: the system resolver, every address). */
  resolve?: Resolver;
  resolveTimeoutMs?: number;
}

const ranges = new BlockList();
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

// IPv4: "this network", private, CGNAT (also Alibaba's metadata 100.100.100.200), loopback,
// link-local (AWS/GCP/Azure metadata 169.254.169.254), IETF/documentation/benchmark ranges,
// multicast, reserved and broadcast.
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  ranges.addSubnet(net, prefix, 'ipv4');
// IPv6: unspecified, loopback, IPv4-compatible (deprecated), local-use NAT64, discard, Teredo and
// documentation, 6to4, unique-local (AWS metadata fd00:ec2::254), link-local, site-local, multicast.
// IPv4-mapped (::ffff:0:0/96) and well-known NAT64 (64:ff9b::/96) are judged by their IPv4 part.
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  ranges.addSubnet(net, prefix, 'ipv6');

/** Names that are never public (RFC 6761/6762/8375, cloud metadata names), after the trailing dot is removed. */
const INTERNAL_NAME = /(^|\.)(localhost|local|localdomain|internal|intranet|lan|home\.arpa|arpa|corp|private)$/;

/** The 8 hextets of an IPv6 address (with or without a dotted IPv4 tail). */
function hextets(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (s: string | undefined) => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
  const h = parse(head);
  const t = parse(tail);
  return tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** The IPv4 address inside an IPv4-mapped or well-known-prefix NAT64 IPv6 address. */
function embeddedIpv4(address: string): string | null {
  const h = hextets(address);
  const mapped = h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff;
  const nat64 = h[0] === 0x64 && h[1] === 0xff9b && h.slice(2, 6).every((x) => x === 0);
  if (!mapped && !nat64) return null;
  return [h[6]! >> 8, h[6]! & 255, h[7]! >> 8, h[7]! & 255].join('.');
}

function bare(address: string): string {
  return address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // brackets of a URL host, IPv6 zone id
}

/** Whether an IP address is one a webhook must never reach. Anything not an IP address counts as internal. */
export function isInternalAddress(address: string): boolean {
  const ip = bare(address);
  const family = isIP(ip);
  if (family === 4) return ranges.check(ip, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIpv4(ip);
  if (v4) return ranges.check(v4, 'ipv4');
  return ranges.check(ip, 'ipv6');
}

export function isLoopbackAddress(address: string): boolean {
  const ip = bare(address);
  const family = isIP(ip);
  if (family === 4) return LOOPBACK.check(ip, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(ip);
  return v4 ? LOOPBACK.check(v4, 'ipv4') : LOOPBACK.check(ip, 'ipv6');
}

export const systemResolver: Resolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export type TargetCheck = { ok: true; url: URL; hostname: string; addresses: ResolvedAddress[] } | { ok: false; reason: 'invalid_url' | 'scheme' | 'address'; detail: string };

/**
 * Parses a callback URL the way fetch would (WHATWG: `0x7f000001`, `127.1` and `2130706433` all
 * become 127.0.0.1), then checks the scheme, the name and every address it resolves to. A name
 * that does not resolve is refused like an internal one, so the answer tells nothing about our
 * network. `detail` is for the server log only.
 */
export async function checkWebhookTarget(raw: string, policy: WebhookPolicy = {}): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid_url', detail: 'not a URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return { ok: false, reason: 'scheme', detail: `scheme ${url.protocol} not allowed` };
  }
  const hostname = bare(url.hostname).replace(/\.+$/, '');
  if (!hostname) return { ok: false, reason: 'address', detail: 'no host' };
  let addresses: ResolvedAddress[];
  const literal = isIP(hostname);
  if (literal) {
    addresses = [{ address: hostname, family: literal === 6 ? 6 : 4 }];
  } else {
    // a single label goes through the resolver's search domains: never a public name
    if (!hostname.includes('.') || INTERNAL_NAME.test(hostname)) return { ok: false, reason: 'address', detail: `internal name ${hostname}` };
    const resolve = policy.resolve ?? systemResolver;
    const timeoutMs = policy.resolveTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    try {
      addresses = await Promise.race([resolve(hostname), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('resolution timed out')), timeoutMs)))]);
    } catch (err) {
      return { ok: false, reason: 'address', detail: `${hostname} does not resolve: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      clearTimeout(timer);
    }
    if (addresses.length === 0) return { ok: false, reason: 'address', detail: `${hostname} has no addresses` };
  }
  for (const { address } of addresses) {
    if (!isInternalAddress(address)) continue;
    if (isLoopbackAddress(address) && policy.allowLoopbackForTests?.(url)) continue;
    return { ok: false, reason: 'address', detail: `${hostname} → ${address} is internal` };
  }
  return { ok: true, url, hostname, addresses };
}
