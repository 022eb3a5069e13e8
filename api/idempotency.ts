// Every POST that creates a case honours Idempotency-Key: a repeat returns the first answer and
// starts nothing new. The key is stored in the same transaction as the case it created.
import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type postgres from 'postgres';
import type { Queryable } from '../db/client';
import type { AppDeps, AppEnv } from './context';
import { owedStarts, sendStart } from './kit/workflow-starts';
import { problems } from './problem';

type Tx = postgres.TransactionSql;

/** The request header every case-creating POST declares. */
export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z.string().optional().openapi({ description: 'A repeat with the same key returns the first answer' }),
});

/** After createOnce: the audit row names the new case, and a replay says so in a header. */
export function noteCreation(c: Context<AppEnv>, action: string, companyId: string, created: { caseId: string }, replayed: boolean, detail: Record<string, unknown> = {}): void {
  c.set('audit', { action, companyId, caseId: created.caseId, detail: { ...detail, replayed } });
  if (replayed) c.header('Idempotency-Replayed', 'true');
}

export interface StoredResponse {
  status: 200 | 201;
  body: unknown;
}

/** Throws 400 naming the header unless the key is 1–200 visible ASCII characters. */
export function checkKeyFormat(key: string): void {
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw problems.validation([{ field: 'header.Idempotency-Key', code: 'invalid_format', message: '1–200 visible ASCII characters' }]);
  }
}

export interface KeyClaim {
  /** sha256 of the request's fingerprint, as stored with the key */
  hash: string;
  /** null: this request holds the key now; else the earlier request's answer (status null while it is under way) */
  earlier: { status: number | null; response: unknown } | null;
}

/**
 * Claims (user, key) for the request whose fingerprint is given: every POST that creates a case or acts
 * on one goes through here, with the client's key checked by checkKeyFormat first. The same key for a different request answers 422. Inside a transaction a
 * concurrent request with the same key waits until the first one commits.
 */
export async function claimKey(q: Queryable, userId: string, key: string, fingerprint: unknown): Promise<KeyClaim> {
  const hash = createHash('sha256').update(JSON.stringify(fingerprint)).digest('hex');
  const inserted = await q`INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES (${userId}, ${key}, ${hash}) ON CONFLICT DO NOTHING RETURNING key`;
  if (inserted.length > 0) return { hash, earlier: null };
  const [prev] = await q<{ request_hash: string; status_code: number | null; response: unknown }[]>`
    SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = ${userId} AND key = ${key}`;
  if (!prev || prev.request_hash !== hash) throw problems.unprocessable('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
  return { hash, earlier: { status: prev.status_code, response: prev.response } };
}

/**
 * Runs `create` in one transaction with the idempotency key, then — after the commit, never inside
 * the transaction — starts the workflows it registered (registerCase).
 */
export async function createOnce(
  deps: Pick<AppDeps, 'sql' | 'temporal'>,
  request: { userId: string; key: string | undefined; fingerprint: unknown },
  create: (tx: Tx) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const key = request.key;
  if (key !== undefined) checkKeyFormat(key);
  let starts: ReturnType<typeof owedStarts> = [];
  const result = await deps.sql.begin(async (tx) => {
    if (key !== undefined) {
      // a concurrent request with the same key waits here until the first one commits
      const { earlier } = await claimKey(tx, request.userId, key, request.fingerprint);
      if (earlier) return { status: earlier.status as 200 | 201, body: earlier.response, replayed: true };
    }
    const created = await create(tx);
    if (key !== undefined) {
      await tx`UPDATE idempotency_keys SET status_code = ${created.status}, response = ${tx.json(created.body as never)}
               WHERE user_id = ${request.userId} AND key = ${key}`;
    }
    starts = owedStarts(tx);
    return { ...created, replayed: false };
  });
  for (const start of starts) await sendStart(deps.sql, deps.temporal, start);
  return result;
}
