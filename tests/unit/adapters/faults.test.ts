import { describe, expect, it } from 'vitest';
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError, FaultInjector, faultConfigFromEnv } from '../../../adapters/faults';

/** A random source that replays the given values in a loop. */
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

describe('FaultInjector (X-1…X-6 simulators)', () => {
  it('runs the operation and returns its value when no fault is on', async () => {
    const f = new FaultInjector('test', { latencyMs: [0, 0] });
    await expect(f.run('op', () => 42)).resolves.toBe(42);
    await expect(f.run('op', async () => 'async')).resolves.toBe('async');
  });

  it('O-11: timeoutRate 1 → AdapterTimeoutError after timeoutMs, naming system and operation; the operation never runs', async () => {
    const f = new FaultInjector('kapaks', { latencyMs: [0, 0], timeoutRate: 1, timeoutMs: 30 });
    let ran = false;
    const started = Date.now();
    const err = await f
      .run('check', () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterTimeoutError);
    expect((err as Error).name).toBe('AdapterTimeoutError');
    expect((err as Error).message).toContain('kapaks.check');
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(ran).toBe(false);
  });

  it('errorRate 1 → AdapterUnavailableError at once', async () => {
    const f = new FaultInjector('nrdb', { latencyMs: [0, 0], errorRate: 1 });
    const err = await f.run('lookup', () => 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterUnavailableError);
    expect((err as Error).name).toBe('AdapterUnavailableError');
    expect((err as Error).message).toContain('nrdb.lookup');
  });

  it('uses the injected random source: timeout below timeoutRate, error in the next band, success above', async () => {
    // each call draws latency, then the fault roll
    const f = new FaultInjector('x', { latencyMs: [0, 0], timeoutRate: 0.2, errorRate: 0.3, timeoutMs: 1 }, seq(0, 0.1, 0, 0.3, 0, 0.9));
    await expect(f.run('a', () => 'ok')).rejects.toBeInstanceOf(AdapterTimeoutError);
    await expect(f.run('a', () => 'ok')).rejects.toBeInstanceOf(AdapterUnavailableError);
    await expect(f.run('a', () => 'ok')).resolves.toBe('ok');
  });

  it('latency is respected: waits at least the minimum', async () => {
    const f = new FaultInjector('x', { latencyMs: [40, 40] });
    const started = Date.now();
    await f.run('op', () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('latency is drawn within [min, max] from the random source', async () => {
    const f = new FaultInjector('x', { latencyMs: [0, 200] }, seq(0.1, 0.99));
    const started = Date.now();
    await f.run('op', () => undefined); // 0.1 × 200 = 20 ms
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(15);
    expect(took).toBeLessThan(150);
  });

  it('set() switches faults on at runtime and reset() returns to the construction config', async () => {
    const f = new FaultInjector('x', { latencyMs: [0, 0] });
    f.set({ errorRate: 1 });
    await expect(f.run('op', () => 1)).rejects.toBeInstanceOf(AdapterUnavailableError);
    f.reset();
    await expect(f.run('op', () => 1)).resolves.toBe(1);
    expect(f.current.latencyMs).toEqual([0, 0]);
  });

  it('lostReplyRate 1: the operation takes effect but the caller sees a time-out', async () => {
    const f = new FaultInjector('orders', { latencyMs: [0, 0], lostReplyRate: 1, timeoutMs: 5 });
    let effects = 0;
    await expect(
      f.run('register', () => {
        effects++;
      }),
    ).rejects.toBeInstanceOf(AdapterTimeoutError);
    expect(effects).toBe(1);
  });

  it('rejects nonsensical configurations', () => {
    expect(() => new FaultInjector('x', { errorRate: 1.5 })).toThrow(RangeError);
    expect(() => new FaultInjector('x', { latencyMs: [10, 5] })).toThrow(RangeError);
    expect(() => new FaultInjector('x', { errorRate: 0.6, timeoutRate: 0.6 })).toThrow(RangeError);
  });

  it('AdapterRejectedError is a business "no" with its own name', () => {
    const e = new AdapterRejectedError('kapaks', 'check', 'unknown number');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('AdapterRejectedError');
    expect(e.message).toBe('kapaks.check rejected: unknown number');
  });
});

describe('faultConfigFromEnv', () => {
  it('reads SIM_<SYSTEM>_* variables', () => {
    const env = { SIM_KAPAKS_LATENCY_MS: '5-40', SIM_KAPAKS_ERROR_RATE: '0.1', SIM_KAPAKS_TIMEOUT_RATE: '0.05', SIM_KAPAKS_TIMEOUT_MS: '300', SIM_NRDB_ERROR_RATE: '1' };
    expect(faultConfigFromEnv('kapaks', env)).toEqual({ latencyMs: [5, 40], errorRate: 0.1, timeoutRate: 0.05, timeoutMs: 300 });
    expect(faultConfigFromEnv('NRDB', env)).toEqual({ errorRate: 1 });
    expect(faultConfigFromEnv('ORDERS', env)).toEqual({});
  });

  it('accepts a single latency value and the lost-reply rate', () => {
    expect(faultConfigFromEnv('ORDERS', { SIM_ORDERS_LATENCY_MS: '12', SIM_ORDERS_LOST_REPLY_RATE: '0.5' })).toEqual({ latencyMs: [12, 12], lostReplyRate: 0.5 });
  });

  it('refuses malformed values instead of ignoring them', () => {
    expect(() => faultConfigFromEnv('KAPAKS', { SIM_KAPAKS_LATENCY_MS: 'fast' })).toThrow(RangeError);
    expect(() => faultConfigFromEnv('KAPAKS', { SIM_KAPAKS_ERROR_RATE: '2' })).toThrow(RangeError);
    expect(() => faultConfigFromEnv('KAPAKS', { SIM_KAPAKS_TIMEOUT_MS: 'abc' })).toThrow(RangeError);
  });
});
