// How calls to the operator systems cross HTTP between the adapters (adapters/remote.ts) and the
// simulator service (simulator/service.ts): JSON with Dates tagged, and the three adapter failures
// (time-out, unavailable, rejected) as an error body the client turns back into the same class.
import { AdapterRejectedError, AdapterTimeoutError, AdapterUnavailableError } from './faults';

export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : v;
  });
}

export function decode<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => (v && typeof v === 'object' && '$date' in v && Object.keys(v).length === 1 ? new Date((v as { $date: string }).$date) : v)) as T;
}

export type WireError =
  | { kind: 'timeout'; system: string; operation: string; afterMs: number }
  | { kind: 'unavailable'; system: string; operation: string; detail: string }
  | { kind: 'rejected'; system: string; operation: string; reason: string };

export function toWireError(err: unknown, system: string, operation: string): WireError | undefined {
  if (err instanceof AdapterTimeoutError) return { kind: 'timeout', system: err.system, operation: err.operation, afterMs: err.afterMs };
  if (err instanceof AdapterRejectedError) return { kind: 'rejected', system: err.system, operation: err.operation, reason: err.reason };
  if (err instanceof AdapterUnavailableError) return { kind: 'unavailable', system, operation, detail: err.message };
  return undefined;
}

export function fromWireError(e: WireError): Error {
  switch (e.kind) {
    case 'timeout':
      return new AdapterTimeoutError(e.system, e.operation, e.afterMs);
    case 'rejected':
      return new AdapterRejectedError(e.system, e.operation, e.reason);
    case 'unavailable':
      return new AdapterUnavailableError(e.system, e.operation, e.detail);
  }
}
