// A careful client of several API processes (behind no load balancer: it is its own): every POST carries
// an Idempotency-Key, and a request that gets no answer (the process died, the connection dropped) or a
// 5xx is sent again with the same key to the next API. It keeps every 2xx it saw, so a test can check that
// each accepted request is reflected in the system afterwards.
import { randomUUID } from 'node:crypto';
import type { ApiResponse, Stack } from './stack';

export interface Accepted {
  method: string;
  path: string;
  status: number;
  body: any;
  key?: string;
}

export interface LoadFigures {
  requests: number;
  /** attempts sent again to another API after no answer or a 5xx */
  failovers: number;
  /** attempts that got no answer at all (connection refused or reset) */
  noAnswer: number;
  /** 503 answers (Temporal or an operator system unavailable, past the request deadline, an Update the engine lost) */
  unavailable: number;
  /** the 503s by problem code */
  unavailableBy: Record<string, number>;
  /** answers 500 (an unexpected error: the API should answer 503 for anything it waits on) */
  serverErrors: number;
  /** requests accepted (2xx) only after an attempt that got no answer or a 5xx: resent, and applied once */
  acceptedOnResend: number;
}

const RETRYABLE = new Set([500, 502, 503, 504]);

export class LoadClient implements Pick<Stack, 'api'> {
  readonly accepted: Accepted[] = [];
  readonly figures: LoadFigures = { requests: 0, failovers: 0, noAnswer: 0, unavailable: 0, unavailableBy: {}, serverErrors: 0, acceptedOnResend: 0 };
  private turn = 0;

  constructor(
    private readonly apis: () => string[],
    private readonly deadlineMs = 180_000,
  ) {}

  api = async <T = any>(method: string, path: string, opts: { token?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    if (opts.json !== undefined) headers['Content-Type'] = 'application/json';
    if (method === 'POST' && !Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key')) headers['Idempotency-Key'] = `load-${randomUUID()}`;
    const deadline = Date.now() + this.deadlineMs;
    let api = this.turn++;
    const trail: string[] = [];
    for (let attempt = 0; ; attempt++) {
      const base = this.apis()[api % this.apis().length]!;
      this.figures.requests++;
      let answer: ApiResponse<T> | undefined;
      try {
        const res = await fetch(`${base}${path}`, { method, headers, ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : {}), signal: AbortSignal.timeout(60_000) });
        const text = await res.text();
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: keep the text
        }
        answer = { status: res.status, body: body as T, headers: res.headers };
      } catch {
        this.figures.noAnswer++;
      }
      trail.push(`${base} ${answer ? `${answer.status} ${(answer.body as { code?: string } | null)?.code ?? ''}` : 'no answer'} (key ${headers['Idempotency-Key'] ?? '-'})`);
      if (answer && !RETRYABLE.has(answer.status)) {
        if (answer.status >= 200 && answer.status < 300 && method !== 'GET') {
          this.accepted.push({ method, path, status: answer.status, body: answer.body, key: headers['Idempotency-Key'] });
          if (trail.length > 1) this.figures.acceptedOnResend++;
        }
        // a refusal after attempts that got no answer: show what the client went through
        if (answer.status >= 400 && trail.length > 1) console.log(`${method} ${path} after ${trail.length} attempts:\n  ${trail.join('\n  ')}`);
        return answer;
      }
      if (answer?.status === 503) {
        this.figures.unavailable++;
        const code = (answer.body as { code?: string } | null)?.code ?? 'other';
        this.figures.unavailableBy[code] = (this.figures.unavailableBy[code] ?? 0) + 1;
      }
      if (answer?.status === 500) this.figures.serverErrors++;
      // an operator system said it was unavailable and nothing was changed: that request is answered, the next is a new one
      if ((answer?.body as { code?: string } | undefined)?.code === 'upstream_unavailable' && headers['Idempotency-Key']) headers['Idempotency-Key'] = `load-${randomUUID()}`;
      if (Date.now() > deadline) throw new Error(`${method} ${path}: no answer after ${attempt + 1} attempts (last: ${answer ? `${answer.status} ${JSON.stringify(answer.body)}` : 'no answer'})`);
      api++;
      this.figures.failovers++;
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** Math.min(attempt, 4)) + Math.random() * 200));
    }
  };
}
