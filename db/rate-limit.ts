// Token buckets in PostgreSQL: a limit that holds across every API process and restart. One atomic
// upsert per request refills the bucket for the time since its last use, then takes a token if there is
// one; the row lock of the upsert serialises a user's concurrent requests.
import type { Queryable } from './client';

export interface TokenBucket {
  /** Tokens a full bucket holds (the burst). */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export type TakeResult = { granted: true } | { granted: false; retryAfterSeconds: number };

/** Takes one token from the bucket `key`; when it is empty, says how long until the next token. */
export async function takeToken(sql: Queryable, key: string, b: TokenBucket): Promise<TakeResult> {
  const available = sql`LEAST(${b.capacity}::double precision,
    r.tokens + ${b.refillPerSecond}::double precision * GREATEST(0, extract(epoch FROM excluded.refilled_at - r.refilled_at)))`;
  const [row] = await sql<{ tokens: number; granted: boolean }[]>`
    INSERT INTO rate_buckets AS r (bucket, tokens, refilled_at, granted)
    VALUES (${key}, ${b.capacity - 1}::double precision, clock_timestamp(), true)
    ON CONFLICT (bucket) DO UPDATE SET
      tokens = CASE WHEN ${available} >= 1 THEN ${available} - 1 ELSE ${available} END,
      refilled_at = excluded.refilled_at,
      granted = ${available} >= 1
    RETURNING tokens, granted`;
  if (row!.granted) return { granted: true };
  return { granted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - row!.tokens) / b.refillPerSecond)) };
}
