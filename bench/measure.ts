// Measuring helpers shared by the bench's phases (bench/run.ts, bench/engine.ts, bench/load.ts).

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
export const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
export interface Stats {
  n: number;
  p50: number;
  p99: number;
}
export const stats = (ms: number[]): Stats => ({ n: ms.length, p50: round(percentile(ms, 50)), p99: round(percentile(ms, 99)) });

export async function timed<T>(fn: () => Promise<T>, into: number[]): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  into.push(performance.now() - t0);
  return result;
}

/** Closed loop: `concurrency` clients repeat `op` for `seconds`; returns ops/s and latencies. */
export async function closedLoop(concurrency: number, seconds: number, op: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  let i = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) await timed(() => op(i++), latencies);
    }),
  );
  return { perSecond: latencies.length / ((performance.now() - t0) / 1000), latencies };
}

/** `concurrency` clients share `total` operations. */
export async function runCount(concurrency: number, total: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
