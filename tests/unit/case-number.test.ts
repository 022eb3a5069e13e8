// Case numbers reveal no volume: a keyed permutation of the sequence (domain/case.ts).
import { describe, expect, it } from 'vitest';
import { CASE_NUMBER_SPACE, caseNumber, DEV_CASE_NUMBER_KEY, keyedPermutation, publicSequence } from '../../domain/case';

describe('keyed permutation of case numbers', () => {
  it('is a bijection of a small domain (every value once, cycle walking stays inside)', () => {
    for (const size of [2, 10, 1000, 10_000, 12_345]) {
      const out = new Set<number>();
      for (let i = 0; i < size; i++) out.add(keyedPermutation(i, size, 'a test key of some length'));
      expect(out.size).toBe(size);
      expect(Math.min(...out)).toBe(0);
      expect(Math.max(...out)).toBe(size - 1);
    }
  });

  it('is injective over a sample of the real domain and stays below 10^9', () => {
    const starts = [0, 1_000_000, 536_870_000, 899_990_000, CASE_NUMBER_SPACE - 10_000];
    const out = new Set<number>();
    for (const start of starts) for (let s = start; s < start + 10_000; s++) out.add(publicSequence(s, DEV_CASE_NUMBER_KEY));
    expect(out.size).toBe(starts.length * 10_000);
    expect([...out].every((p) => Number.isInteger(p) && p >= 0 && p < CASE_NUMBER_SPACE)).toBe(true);
  });

  it('is deterministic per key and differs between keys', () => {
    const a = Array.from({ length: 100 }, (_, i) => publicSequence(i + 1, 'key-one-0123456789'));
    expect(Array.from({ length: 100 }, (_, i) => publicSequence(i + 1, 'key-one-0123456789'))).toEqual(a);
    const b = Array.from({ length: 100 }, (_, i) => publicSequence(i + 1, 'key-two-0123456789'));
    expect(a.filter((v, i) => v === b[i]).length).toBeLessThan(3);
  });

  it('is not monotonic: consecutive sequence values give scattered numbers', () => {
    const values = Array.from({ length: 1000 }, (_, i) => publicSequence(i + 1, DEV_CASE_NUMBER_KEY));
    let ups = 0;
    for (let i = 1; i < values.length; i++) if (values[i]! > values[i - 1]!) ups++;
    // a random order goes up about half the time; a counter would go up every time
    expect(ups).toBeGreaterThan(400);
    expect(ups).toBeLessThan(600);
    // neighbours are far apart: nothing like ORD-000042 → ORD-000043
    const gaps = values.slice(1).map((v, i) => Math.abs(v - values[i]!));
    expect(gaps.filter((g) => g < 1000).length).toBeLessThan(5);
  });

  it('keeps the formats the route patterns expect, 9 digits below 10^9 and more beyond', () => {
    expect(caseNumber('order', 42)).toMatch(/^ORD-\d{9}$/);
    expect(caseNumber('service_request', 1)).toMatch(/^SR-\d{9}$/);
    expect(caseNumber('quote', 7)).toMatch(/^Q-\d{9}$/);
    expect(caseNumber('switch_isp', 7)).toMatch(/^SW-\d{6,}$/);
    expect(caseNumber('termination', 7)).toMatch(/^TRM-\d{6,}$/);
    expect(caseNumber('order', 42)).not.toBe('ORD-000000042');
    // beyond 10^9 each block is permuted on its own: still unique, one digit longer
    expect(caseNumber('order', CASE_NUMBER_SPACE + 5)).toMatch(/^ORD-1\d{9}$/);
    expect(caseNumber('order', CASE_NUMBER_SPACE + 5)).not.toBe(`ORD-1${caseNumber('order', 5).slice(4)}`);
    expect(() => publicSequence(-1, 'k')).toThrow(RangeError);
  });
});
