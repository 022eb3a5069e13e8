// Shared fault injection for the external-system simulators (X-1…X-6): every call waits a
// latency, and may then time out, fail as unavailable, or (lostReplyRate) take effect but
// lose its reply — the case that makes idempotency keys necessary.

export interface FaultConfig {
  /** Uniform latency range in ms, applied to every call. */
  latencyMs: [min: number, max: number];
  /** Probability (0…1) that a call fails fast with AdapterUnavailableError. */
  errorRate: number;
  /** Probability (0…1) that a call hangs for timeoutMs and then fails with AdapterTimeoutError. */
  timeoutRate: number;
  /** How long a timing-out call hangs before the AdapterTimeoutError. */
  timeoutMs: number;
  /**
   * Probability (0…1) that a call takes effect but its reply is lost: the caller sees an
   * AdapterTimeoutError after timeoutMs although the operation ran (retry with the same
   * idempotency key must then return the first result). Default 0.
   */
  lostReplyRate: number;
}

export const DEFAULT_FAULT_CONFIG: Readonly<FaultConfig> = Object.freeze({
  latencyMs: [2, 15] as [number, number],
  errorRate: 0,
  timeoutRate: 0,
  timeoutMs: 2000,
  lostReplyRate: 0,
});

/** The external system did not answer in time (O-11: the caller retries). */
export class AdapterTimeoutError extends Error {
  override readonly name = 'AdapterTimeoutError';
  constructor(
    readonly system: string,
    readonly operation: string,
    readonly afterMs: number,
  ) {
    super(`${system}.${operation} timed out after ${afterMs} ms`);
  }
}

/** The external system answered with a technical error (retryable). */
export class AdapterUnavailableError extends Error {
  override readonly name = 'AdapterUnavailableError';
  constructor(
    readonly system: string,
    readonly operation: string,
    detail = 'service unavailable',
  ) {
    super(`${system}.${operation} failed: ${detail}`);
  }
}

/** A business "no" from the external system (unknown reference, full slot, …): never retry. */
export class AdapterRejectedError extends Error {
  override readonly name = 'AdapterRejectedError';
  constructor(
    readonly system: string,
    readonly operation: string,
    readonly reason: string,
  ) {
    super(`${system}.${operation} rejected: ${reason}`);
  }
}

function checkRate(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new RangeError(`${name} must be within 0…1, got ${v}`);
  return v;
}

function checkMs(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a non-negative number of ms, got ${v}`);
  return v;
}

function validated(c: FaultConfig): FaultConfig {
  const [min, max] = c.latencyMs;
  checkMs('latencyMs[0]', min);
  checkMs('latencyMs[1]', max);
  if (max < min) throw new RangeError(`latencyMs max (${max}) is below min (${min})`);
  checkRate('errorRate', c.errorRate);
  checkRate('timeoutRate', c.timeoutRate);
  checkRate('lostReplyRate', c.lostReplyRate);
  checkMs('timeoutMs', c.timeoutMs);
  if (c.errorRate + c.timeoutRate > 1) throw new RangeError('errorRate + timeoutRate must not exceed 1');
  return c;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FaultInjector {
  private config: FaultConfig;
  private readonly initial: Partial<FaultConfig>;

  constructor(
    readonly system: string,
    config: Partial<FaultConfig> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initial = { ...config };
    this.config = validated({ ...DEFAULT_FAULT_CONFIG, ...config });
  }

  /** Current effective configuration (a copy). */
  get current(): FaultConfig {
    return { ...this.config, latencyMs: [...this.config.latencyMs] };
  }

  /** Switch faults on/off at runtime; unspecified fields keep their current value. */
  set(config: Partial<FaultConfig>): void {
    this.config = validated({ ...this.config, ...config });
  }

  /** Back to the configuration given at construction. */
  reset(): void {
    this.config = validated({ ...DEFAULT_FAULT_CONFIG, ...this.initial });
  }

  async run<T>(operation: string, fn: () => T | Promise<T>): Promise<T> {
    const c = this.config;
    const [min, max] = c.latencyMs;
    const latency = min + (max - min) * this.random();
    if (latency > 0) await sleep(latency);

    const roll = this.random();
    if (roll < c.timeoutRate) {
      await sleep(c.timeoutMs);
      throw new AdapterTimeoutError(this.system, operation, c.timeoutMs);
    }
    if (roll < c.timeoutRate + c.errorRate) {
      throw new AdapterUnavailableError(this.system, operation, 'service unavailable (HTTP 503)');
    }
    const result = await fn();
    if (c.lostReplyRate > 0 && this.random() < c.lostReplyRate) {
      await sleep(c.timeoutMs);
      throw new AdapterTimeoutError(this.system, operation, c.timeoutMs);
    }
    return result;
  }
}

function parseNumber(name: string, raw: string): number {
  const v = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(v)) throw new RangeError(`${name}: not a number: "${raw}"`);
  return v;
}

/**
 * Reads SIM_<SYSTEM>_LATENCY_MS ("5-40" or "10"), SIM_<SYSTEM>_ERROR_RATE,
 * SIM_<SYSTEM>_TIMEOUT_RATE, SIM_<SYSTEM>_TIMEOUT_MS and SIM_<SYSTEM>_LOST_REPLY_RATE.
 * Unset variables are left out; malformed ones throw (a mistyped config must not pass silently).
 */
export function faultConfigFromEnv(system: string, env: Record<string, string | undefined> = process.env): Partial<FaultConfig> {
  const prefix = `SIM_${system.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_`;
  const out: Partial<FaultConfig> = {};
  const get = (k: string) => {
    const v = env[prefix + k];
    return v === undefined || v.trim() === '' ? undefined : v;
  };

  const latency = get('LATENCY_MS');
  if (latency !== undefined) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?$/.exec(latency);
    if (!m || m[1] === undefined) throw new RangeError(`${prefix}LATENCY_MS: expected "min-max" or "ms", got "${latency}"`);
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : Number(m[2]);
    out.latencyMs = [min, max];
  }
  const errorRate = get('ERROR_RATE');
  if (errorRate !== undefined) out.errorRate = checkRate(`${prefix}ERROR_RATE`, parseNumber(`${prefix}ERROR_RATE`, errorRate));
  const timeoutRate = get('TIMEOUT_RATE');
  if (timeoutRate !== undefined) out.timeoutRate = checkRate(`${prefix}TIMEOUT_RATE`, parseNumber(`${prefix}TIMEOUT_RATE`, timeoutRate));
  const timeoutMs = get('TIMEOUT_MS');
  if (timeoutMs !== undefined) out.timeoutMs = checkMs(`${prefix}TIMEOUT_MS`, parseNumber(`${prefix}TIMEOUT_MS`, timeoutMs));
  const lost = get('LOST_REPLY_RATE');
  if (lost !== undefined) out.lostReplyRate = checkRate(`${prefix}LOST_REPLY_RATE`, parseNumber(`${prefix}LOST_REPLY_RATE`, lost));
  return out;
}
