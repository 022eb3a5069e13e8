// Keyset cursors (api/kit/page.ts): opaque, bound to the list, its sort and the company, and refused
// when tampered with; the request that carries one is refused on `query.after` or `query.offset`.
import { describe, expect, it } from 'vitest';
import { openAfter, openKeys, type PageScope, sealKeys } from '../../api/kit/page';
import { HttpProblem } from '../../api/problem';

const scope: PageScope = { list: 'orders:-updatedAt', companyId: 'nordnett', secret: 'a test key of some length' };
const values = ['2026-12-01T09:00:00.123456Z', 'ORD-000042'];

describe('keyset cursors', () => {
  it('give back the key values they hold, and do not show them', () => {
    const cursor = sealKeys(values, scope);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('ORD');
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('ORD-000042');
    expect(openKeys(cursor, scope, 2)).toEqual(values);
  });

  it('are refused by another company, the wholesaler, another list, another sort or another key', () => {
    const cursor = sealKeys(values, scope);
    expect(openKeys(cursor, { ...scope, companyId: 'fjordtel' }, 2)).toBeUndefined();
    expect(openKeys(cursor, { ...scope, companyId: null }, 2)).toBeUndefined();
    expect(openKeys(cursor, { ...scope, list: 'order-lines:-updatedAt' }, 2)).toBeUndefined();
    expect(openKeys(cursor, { ...scope, list: 'orders:createdAt' }, 2)).toBeUndefined();
    expect(openKeys(cursor, { ...scope, secret: 'another key of some length' }, 2)).toBeUndefined();
    expect(openKeys(cursor, scope, 3)).toBeUndefined(); // a list with more sort keys
  });

  it('are refused when any byte is changed, cut or padded', () => {
    const cursor = sealKeys(values, scope);
    const raw = Buffer.from(cursor, 'base64url');
    for (let i = 0; i < raw.length; i += 3) {
      const tampered = Buffer.from(raw);
      tampered[i] = tampered[i]! ^ 0x01;
      expect(openKeys(tampered.toString('base64url'), scope, 2)).toBeUndefined();
    }
    expect(openKeys(cursor.slice(0, -2), scope, 2)).toBeUndefined();
    expect(openKeys(`${cursor}AA`, scope, 2)).toBeUndefined();
    expect(openKeys('not-a-cursor', scope, 2)).toBeUndefined();
    expect(openKeys('', scope, 2)).toBeUndefined();
  });

  it('are the same for the same page (an answer is byte for byte the same however often it is asked, A-1), and differ for another company, list or position', () => {
    expect(sealKeys(values, scope)).toBe(sealKeys(values, scope));
    expect(sealKeys(values, { ...scope, companyId: 'fjordtel' })).not.toBe(sealKeys(values, scope));
    expect(sealKeys(values, { ...scope, list: `${scope.list}-other` })).not.toBe(sealKeys(values, scope));
    expect(sealKeys([...values].reverse(), scope)).not.toBe(sealKeys(values, scope));
  });
});

describe('the request carrying a cursor', () => {
  const problemOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e as HttpProblem;
    }
    throw new Error('not refused');
  };

  it('is refused on query.after for a foreign or tampered cursor, on query.offset with both', () => {
    const foreign = sealKeys(values, { ...scope, companyId: 'fjordtel' });
    const p = problemOf(() => openAfter({ offset: 0, limit: 25, after: foreign }, scope, 2));
    expect(p).toBeInstanceOf(HttpProblem);
    expect(p.status).toBe(400);
    expect(p.extra.errors?.map((e) => e.field)).toEqual(['query.after']);
    const both = problemOf(() => openAfter({ offset: 25, limit: 25, after: sealKeys(values, scope) }, scope, 2));
    expect(both.extra.errors?.map((e) => e.field)).toEqual(['query.offset']);
  });

  it('opens to its values, and no cursor means the first page', () => {
    expect(openAfter({ offset: 0, limit: 25, after: sealKeys(values, scope) }, scope, 2)).toEqual(values);
    expect(openAfter({ offset: 50, limit: 25 }, scope, 2)).toBeUndefined();
  });
});
