// The adapters as HTTP clients of the operator systems (SIMULATOR_URL: the simulator service, or a real
// system's gateway with the same shape): POST <url>/systems/<system>/<operation> with the arguments. A
// call that gets no answer within timeoutMs is an AdapterTimeoutError, exactly as a simulator's time-out
// (the activity retries it; mutating calls carry their idempotency key, so a lost reply is never applied
// twice). A connection refused before anything was sent is tried again once: nothing reached the system.
import type { Adapters } from './index';
import { AdapterTimeoutError, AdapterUnavailableError } from './faults';
import { decode, encode, fromWireError, type WireError } from './wire';

export interface RemoteOptions {
  /** Per call, longer than the slowest answer the system gives (the simulators' time-outs are 2 s by default). */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function remoteAdapters(baseUrl: string, options: RemoteOptions = {}): Adapters {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const call = async (system: string, operation: string, args: unknown[]): Promise<unknown> => {
    const url = `${baseUrl.replace(/\/$/, '')}/systems/${system}/${operation}`;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await doFetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: encode({ args }), signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) throw new AdapterTimeoutError(system, operation, timeoutMs);
        const refused = (err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
        if (refused && attempt === 1) continue;
        throw new AdapterUnavailableError(system, operation, err instanceof Error ? `${err.message}${refused ? ' (connection refused)' : ''}` : 'no connection');
      }
      const text = await res.text();
      if (res.ok) return (decode<{ result: unknown }>(text) ?? { result: undefined }).result;
      const body = (() => {
        try {
          return decode<{ error?: WireError }>(text);
        } catch {
          return undefined;
        }
      })();
      if (body?.error) throw fromWireError(body.error);
      throw new AdapterUnavailableError(system, operation, `HTTP ${res.status}`);
    }
  };
  const systems = new Map<string, unknown>();
  // every system and operation by name: the same client serves systems added later without a change here
  return new Proxy({} as Adapters, {
    get(_target, system) {
      if (typeof system !== 'string') return undefined;
      if (!systems.has(system)) {
        systems.set(
          system,
          new Proxy(
            {},
            {
              get: (_t, operation) => (typeof operation === 'string' && operation !== 'then' ? (...args: unknown[]) => call(system, operation, args) : undefined),
            },
          ),
        );
      }
      return systems.get(system);
    },
  });
}
