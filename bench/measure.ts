// Measuring helpers shared by the bench's phases (bench/run.ts, bench/engine.ts, bench/load.ts).
import { readdirSync, readFileSync } from 'node:fs';

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

/**
 * CPU time (user + system, ms) used so far by every process descended from `root`, grouped by what it
 * is (its command line): the bench counts what one order and one no-op workflow cost each part of
 * the stack, whatever else the machine runs.
 */
export function cpuByPart(root = process.pid): Record<string, number> {
  const procs = new Map<number, { ppid: number; ticks: number; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // fields after the command (which may hold spaces): state ppid … utime(14) stime(15)
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      procs.set(Number(entry), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), cmd });
    } catch {
      // the process ended while being read
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; hops++) {
      if (p === root) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const out: Record<string, number> = {};
  for (const [pid, p] of procs) {
    if (!descends(pid)) continue;
    const part = partOf(pid === root ? 'bench' : p.cmd);
    out[part] = (out[part] ?? 0) + (p.ticks * 1000) / CLOCK_TICKS;
  }
  return out;
}
const CLOCK_TICKS = 100; // USER_HZ on Linux
function partOf(cmd: string): string {
  if (cmd === 'bench') return 'bench';
  if (/postgres/.test(cmd)) return 'postgres';
  if (/temporal|--service/.test(cmd)) return 'temporal';
  if (/server\.ts/.test(cmd)) return 'api';
  if (/worker\.ts/.test(cmd)) return 'worker';
  if (/simulator/.test(cmd)) return 'simulator';
  if (/load\.ts/.test(cmd)) return 'load';
  return 'other';
}
/** CPU ms per part between two `cpuByPart` readings, divided by `per`. */
export function cpuSpent(before: Record<string, number>, after: Record<string, number>, per: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, round((after[k]! - (before[k] ?? 0)) / Math.max(1, per))]));
}
