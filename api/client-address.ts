// Which address a request came from, for login throttling (issue 12 item 9). X-Forwarded-For is
// written by whoever sends the request, so it is believed only when the socket peer is one of the
// configured trusted proxies (TRUSTED_PROXIES), and then only up to the first hop no trusted proxy vouches for.
import { BlockList, isIP } from 'node:net';

/** In-process requests (tests through `app.request()`) have no socket: they share this one key. */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * An address as sockets and proxies write it → its canonical text, or undefined if it is no IP address.
 * Accepts `[v6]:port`, `v4:port` and IPv4-mapped IPv6 (`::ffff:10.0.0.1` → `10.0.0.1`).
 */
export function normalizeAddress(raw: string): string | undefined {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/.test(s)) s = s.slice(0, s.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(s);
  if (mapped) s = mapped[1]!;
  const family = isIP(s);
  if (family === 4) return s;
  if (family === 6) return s.toLowerCase();
  return undefined;
}

/** TRUSTED_PROXIES: addresses and CIDR blocks, separated by commas or spaces. Throws naming a bad entry. */
export function parseTrustedProxies(spec: string | readonly string[]): BlockList {
  const list = new BlockList();
  const entries = typeof spec === 'string' ? spec.split(/[\s,]+/) : spec;
  for (const entry of entries.map((e) => e.trim()).filter(Boolean)) {
    const [address, prefix, extra] = entry.split('/');
    const ip = address ? normalizeAddress(address) : undefined;
    const type = ip && isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!ip || extra !== undefined || (bits !== undefined && !(bits >= 0 && bits <= (type === 'ipv6' ? 128 : 32)))) {
      throw new Error(`TRUSTED_PROXIES: '${entry}' is neither an IP address nor a CIDR block`);
    }
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, bits, type);
  }
  return list;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  return trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy; then the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy (entries left of it are the client's own word).
 * A malformed entry ends the walk at the hop that passed it on.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: BlockList): string {
  const direct = peer === undefined ? undefined : normalizeAddress(peer);
  if (!direct) return UNKNOWN_ADDRESS;
  let current = direct;
  if (!isTrusted(current, trusted) || !forwardedFor) return current;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]!);
    if (!hop) return current;
    current = hop;
    if (!isTrusted(current, trusted)) return current;
  }
  // every hop is a trusted proxy: the left-most is as close to the client as we know
  return current;
}
