// The client address behind proxies (issue 12 item 9): X-Forwarded-For only from a trusted proxy.
import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress, parseTrustedProxies, UNKNOWN_ADDRESS } from '../../api/client-address';

const none = parseTrustedProxies('');
const proxies = parseTrustedProxies('10.0.0.0/8, 192.168.1.10 fd00::/8');

describe('normalizeAddress', () => {
  it('canonical text for the forms sockets and proxies write; undefined for anything else', () => {
    expect(normalizeAddress(' 203.0.113.5 ')).toBe('203.0.113.5');
    expect(normalizeAddress('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(normalizeAddress('203.0.113.5:4711')).toBe('203.0.113.5');
    expect(normalizeAddress('[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(normalizeAddress('2001:db8::1')).toBe('2001:db8::1');
    for (const bad of ['', 'unknown', 'localhost', '999.1.1.1', '1.2.3', '<script>', '1.2.3.4/8']) expect(normalizeAddress(bad)).toBeUndefined();
  });
});

describe('parseTrustedProxies', () => {
  it('addresses and CIDR blocks of both families; a bad entry is named', () => {
    expect(proxies.check('10.200.3.4', 'ipv4')).toBe(true);
    expect(proxies.check('192.168.1.10', 'ipv4')).toBe(true);
    expect(proxies.check('192.168.1.11', 'ipv4')).toBe(false);
    expect(proxies.check('fd12::1', 'ipv6')).toBe(true);
    expect(none.check('127.0.0.1', 'ipv4')).toBe(false);
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseTrustedProxies('proxy.example')).toThrow(/proxy\.example/);
    expect(() => parseTrustedProxies(['10.0.0.1/8/1'])).toThrow();
  });
});

describe('clientAddress', () => {
  it('no socket (in-process request): unknown, whatever the header claims', () => {
    expect(clientAddress(undefined, '203.0.113.5', proxies)).toBe(UNKNOWN_ADDRESS);
  });

  it('a direct client that is no trusted proxy: its socket address; X-Forwarded-For is ignored (spoofing)', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.5', proxies)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:198.51.100.7', '203.0.113.5', none)).toBe('198.51.100.7');
    expect(clientAddress('10.0.0.2', '203.0.113.5', none)).toBe('10.0.0.2'); // nothing configured: nothing trusted
  });

  it('from a trusted proxy: the right-most untrusted hop, not what the client wrote further left', () => {
    expect(clientAddress('10.0.0.2', '203.0.113.5', proxies)).toBe('203.0.113.5');
    expect(clientAddress('10.0.0.2', '1.1.1.1, 203.0.113.5', proxies)).toBe('203.0.113.5');
    expect(clientAddress('10.0.0.2', '1.1.1.1, 203.0.113.5, 192.168.1.10', proxies)).toBe('203.0.113.5');
    expect(clientAddress('::ffff:10.0.0.2', '[2001:db8::7]:5555', proxies)).toBe('2001:db8::7');
  });

  it('from a trusted proxy without a usable header: the last hop we can vouch for', () => {
    expect(clientAddress('10.0.0.2', undefined, proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '', proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', 'garbage', proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '203.0.113.5, garbage, 192.168.1.10', proxies)).toBe('192.168.1.10');
    expect(clientAddress('10.0.0.2', '10.0.0.9, 192.168.1.10', proxies)).toBe('10.0.0.9');
  });
});
