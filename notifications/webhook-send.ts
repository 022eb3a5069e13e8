// One webhook POST to an address the policy has already checked (notifications/address-policy.ts):
// the connection goes to exactly that address (a pinned `lookup`, so no second DNS answer can
// slip in), a redirect is never followed, the answer body is never read, and a failure becomes a
// coarse category (issue 12 #6) with the detail kept for the server log.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { httpFailure, type WebhookFailure } from '../domain/notifications';
import type { ResolvedAddress } from './address-policy';

export type SendOutcome = { ok: true; status: number } | { ok: false; failure: WebhookFailure; detail: string };

export interface CheckedTarget {
  url: URL;
  hostname: string;
  addresses: ResolvedAddress[];
}

export function postToCheckedTarget(target: CheckedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendOutcome> {
  const { url, addresses } = target;
  const first = addresses[0]!;
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  };
  const signal = AbortSignal.timeout(timeoutMs);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const req = request(
      {
        hostname: target.hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup,
        agent: false,
        signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.destroy(); // the answer's body means nothing to us
        const failure = httpFailure(status);
        done(failure ? { ok: false, failure, detail: `HTTP ${status}` } : { ok: true, status });
      },
    );
    req.on('error', (err) =>
      done({
        ok: false,
        failure: signal.aborted ? 'timeout' : 'connection_failed',
        detail: signal.aborted ? `no answer within ${timeoutMs} ms` : `${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`.trim(),
      }),
    );
    req.end(body);
  });
}
